"""Two connections racing for the same assessment version: the database picks one."""

from __future__ import annotations

import datetime as dt
import threading

from tests.pg import World

from spinewise.errors import ConflictError
from spinewise.store import Store


def test_two_connections_cannot_store_the_same_version(
    store: Store, world: World
) -> None:
    with store.unit_of_work(write=True) as uow:
        patient = uow.patients.add(
            clinic_id=world.clinic_a,
            record_number="RACE-1",
            name="Race",
            birth_date=None,
            created_by=world.therapist_a.user_id,
        )
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def write() -> None:
        start.wait()
        try:
            with store.unit_of_work(write=True) as uow:
                uow.assessments.add(
                    clinic_id=world.clinic_a,
                    patient_id=patient.id,
                    number=1,
                    version=1,
                    amends_id=None,
                    assessed_on=dt.date(2026, 11, 24),
                    document={},
                    submitted_by=world.therapist_a.user_id,
                )
            outcomes.append("stored")
        except ConflictError as error:
            outcomes.append(f"conflict:{error.field}")

    threads = [threading.Thread(target=write) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict:version", "stored"]
