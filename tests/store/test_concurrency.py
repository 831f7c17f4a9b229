"""Two connections racing for the same assessment version: the database picks one."""

from __future__ import annotations

import threading

from tests.pg import World
from tests.store.rows import add_assessment, add_patient

from spinewise.errors import ConflictError
from spinewise.store import Store


def test_two_connections_cannot_store_the_same_version(
    store: Store, world: World
) -> None:
    with store.unit_of_work(write=True) as uow:
        patient_id = add_patient(uow, world, "RACE-1", "Race")
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def write() -> None:
        start.wait()
        try:
            with store.unit_of_work(write=True) as uow:
                add_assessment(uow, world, patient_id, {})
            outcomes.append("stored")
        except ConflictError as error:
            outcomes.append(f"conflict:{error.field}")

    threads = [threading.Thread(target=write) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict:version", "stored"]
