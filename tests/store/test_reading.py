"""The reading unit of work (Core, no ORM Session), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import gc
import threading
from pathlib import Path

import pytest
from tests.factories import assessment_data
from tests.pg import World
from tests.store.rows import add_assessment

from spinewise.errors import StoreError
from spinewise.store import AuditQuery, Store, StoredAssessment, open_store, upgrade


def _stored(store: Store, world: World, versions: int = 1) -> list[StoredAssessment]:
    actor = world.therapist_a
    with store.unit_of_work(write=True) as uow:
        patient = uow.patients.add(
            clinic_id=world.clinic_a,
            record_number="R-1",
            name="Reading Patient",
            birth_date=None,
            created_by=actor.user_id,
        )
        return [
            uow.assessments.add(
                clinic_id=world.clinic_a,
                patient_id=patient.id,
                number=1,
                version=version,
                amends_id=None,
                assessed_on=dt.date(2026, 11, 24),
                document=assessment_data(),
                submitted_by=actor.user_id,
            )
            for version in range(1, versions + 1)
        ]


def test_a_reading_unit_reads_what_the_orm_unit_reads(
    store: Store, world: World
) -> None:
    stored = _stored(store, world, versions=3)
    with store.unit_of_work() as orm, store.reading() as core:
        assert core.assessments.get(world.clinic_a, stored[0].id) == (
            orm.assessments.get(world.clinic_a, stored[0].id)
        )
        newest = core.assessments.of_patient(world.clinic_a, stored[0].patient_id)
        assert [a.version for a in newest] == [3, 2, 1]
        assert newest == orm.assessments.of_patient(
            world.clinic_a, stored[0].patient_id
        )
    assert newest[0].document == assessment_data()
    assert newest[0].submitted_at.tzinfo is not None


def test_a_reading_unit_sees_nothing_of_another_clinic(
    store: Store, world: World
) -> None:
    stored = _stored(store, world)[0]
    with store.reading() as uow:
        assert uow.assessments.get(world.clinic_b, stored.id) is None
        assert uow.assessments.of_patient(world.clinic_b, stored.patient_id) == []
        assert not uow.patients.exists(world.clinic_b, stored.patient_id)
        assert uow.patients.exists(world.clinic_a, stored.patient_id)


def test_a_patients_clearances_are_read_as_the_orm_reads_them(
    store: Store, world: World
) -> None:
    stored = _stored(store, world)[0]
    with store.unit_of_work(write=True) as uow:
        for status in ("declined", "approved"):
            uow.clearances.add(
                clinic_id=world.clinic_a,
                patient_id=stored.patient_id,
                assessment_id=stored.id,
                status=status,
                requested_by=world.therapist_a.user_id,
                physician_id=world.physician_a.user_id,
                decided_at=dt.datetime(2026, 11, 25, tzinfo=dt.UTC),
                valid_until=dt.date(2026, 12, 25),
                excluded_modalities=["deep_tissue"],
                reason="checked",
            )
    with store.unit_of_work() as orm, store.reading() as core:
        expected = orm.clearances.of_patient(world.clinic_a, stored.patient_id)
        read = core.clearances.of_patient(world.clinic_a, stored.patient_id)
        assert core.clearances.of_patient(world.clinic_b, stored.patient_id) == []
        names = core.users.names([world.physician_a.user_id, 10_000])
    assert [r.status for r in read] == ["approved", "declined"]
    for view, row in zip(read, expected, strict=True):
        assert view == tuple(getattr(row, name) for name in view._fields)
    assert read[0].excluded_modalities == ["deep_tissue"]
    assert read[0].decided_at == dt.datetime(2026, 11, 25, tzinfo=dt.UTC)
    assert names == {world.physician_a.user_id: "Physician A"}


def test_a_patient_is_found_by_record_number_in_its_clinic_only(
    store: Store, world: World
) -> None:
    stored = _stored(store, world)[0]
    with store.reading() as uow:
        assert uow.patients.id_by_record_number(world.clinic_a, "R-1") == (
            stored.patient_id
        )
        assert uow.patients.id_by_record_number(world.clinic_b, "R-1") is None
        assert uow.patients.id_by_record_number(world.clinic_a, "R-2") is None


def test_a_users_standing_is_read_as_stored(store: Store, world: World) -> None:
    actor = world.physician_b
    with store.reading() as uow:
        standing = uow.users.standing(actor.user_id)
        assert uow.users.standing(10_000) is None
    assert standing == (True, world.clinic_b, "physician")


def test_a_read_by_id_with_the_readers_standing_is_both_reads_in_one(
    store: Store, world: World
) -> None:
    stored = _stored(store, world)[0]
    reader, stranger = world.therapist_a, world.physician_b
    with store.reading() as uow:
        mine = uow.assessments.get_as(reader.user_id, world.clinic_a, stored.id)
        assert mine == (
            uow.users.standing(reader.user_id),
            uow.assessments.get(world.clinic_a, stored.id),
        )
        assert mine[1] == stored
        assert uow.assessments.get_as(stranger.user_id, world.clinic_b, stored.id) == (
            (True, world.clinic_b, "physician"),
            None,
        )
        assert uow.assessments.get_as(reader.user_id, world.clinic_a, 10_000) == (
            uow.users.standing(reader.user_id),
            None,
        )
        assert uow.assessments.get_as(10_000, world.clinic_a, stored.id) == (
            None,
            None,
        )


def test_a_reading_unit_keeps_its_audit_events_for_the_writer(
    store: Store, world: World
) -> None:
    with store.reading() as uow:
        uow.audit.append([{"action": "read"}])
    assert uow.audit.pending[0]["action"] == "read"
    assert uow.audit.pending[0]["at"].tzinfo is not None


def test_a_failed_statement_is_a_store_error_and_the_connection_stays_usable(
    store: Store, world: World
) -> None:
    stored = _stored(store, world)[0]
    with pytest.raises(StoreError), store.reading() as uow:
        uow.assessments.get(world.clinic_a, object())  # type: ignore[arg-type]
    with store.reading() as uow:
        assert uow.assessments.get(world.clinic_a, stored.id) is not None


def test_each_thread_keeps_its_own_sqlite_connection_until_dispose(
    tmp_path: Path,
) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'reads.sqlite3'}")
    upgrade(store)
    seen: list[int] = []

    def read_twice() -> None:
        for _ in range(2):
            with store.reading() as uow:
                seen.append(id(uow._connection))

    threads = [threading.Thread(target=read_twice) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with store.reading() as outer, store.reading() as inner:
        assert outer._connection is not inner._connection  # nested: a second one
    assert len(set(seen)) == 2
    gc.collect()  # the two threads ended: their connections went with them
    assert store._reads.idle() == 2  # this thread's two
    store.dispose()
    assert store._reads.idle() == 0


def test_on_a_sqlite_file_a_readers_audit_event_is_spooled_then_imported(
    tmp_path: Path,
) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'audited.sqlite3'}")
    upgrade(store)
    event = {"interface": "cli", "action": "read", "entity": "assessment"}
    try:
        with store.audited_reading() as uow:
            uow.audit.append([event])
            reader = uow._connection
        with store.reading() as uow:
            assert uow._connection is reader  # kept for the thread's next unit
            assert uow._connection.execute(
                "SELECT action FROM audit_log"
            ).fetchall() in (
                [],
                [("read",)],  # the flusher may have been quicker
            )
        (spool,) = (tmp_path / "audited.sqlite3.audit-spool").iterdir()
        assert b'"action":"read"' in spool.read_bytes()
        with store.unit_of_work() as uow:  # a unit imports the spool first
            assert [row.action for row in uow.audit.query(AuditQuery(None))] == ["read"]
        assert store._audit_sink._connection is not None  # imported by the sink
    finally:
        store.dispose()
    assert list((tmp_path / "audited.sqlite3.audit-spool").iterdir()) == []


def test_a_one_statement_unit_reads_what_an_ordinary_one_reads(
    store: Store, world: World
) -> None:
    stored = _stored(store, world)[0]
    with store.reading() as ordinary:
        expected = ordinary.assessments.get(world.clinic_a, stored.id)
    with store.reading(one_statement=True) as uow:
        assert uow.assessments.get(world.clinic_a, stored.id) == expected
    with store.audited_reading(one_statement=True) as uow:
        assert uow.assessments.get(world.clinic_b, stored.id) is None


def test_a_one_statement_unit_refuses_a_second_statement(
    store: Store, world: World
) -> None:
    stored = _stored(store, world)[0]
    with pytest.raises(StoreError, match="second"):
        with store.reading(one_statement=True) as uow:
            uow.assessments.get(world.clinic_a, stored.id)
            uow.patients.exists(world.clinic_a, stored.patient_id)
    with store.reading(one_statement=True) as uow:  # the connection is reusable
        assert uow.assessments.get(world.clinic_a, stored.id) is not None


def test_a_one_statement_unit_leaves_no_transaction_open_for_the_writers(
    store: Store, world: World
) -> None:
    stored = _stored(store, world)[0]
    with store.reading(one_statement=True) as uow:
        assert uow.assessments.get(world.clinic_a, stored.id) is not None
    more = _stored_again(store, world, stored.patient_id)
    with store.reading(one_statement=True) as uow:
        assert uow.assessments.get(world.clinic_a, more) is not None


def _stored_again(store: Store, world: World, patient_id: int) -> int:
    with store.unit_of_work(write=True) as uow:
        return add_assessment(uow, world, patient_id, assessment_data(), number=2)
