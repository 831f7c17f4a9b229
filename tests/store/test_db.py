"""The engine and the unit of work, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import text
from tests.pg import World
from tests.store.rows import add_assessment, add_decision, add_patient

from spinewise.errors import ConflictError, InputError
from spinewise.store import AuditQuery, Store, database_url, open_store, utc_now


def test_sqlite_runs_in_wal_mode_with_foreign_keys_on(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'wal.sqlite3'}")
    try:
        with store.engine.connect() as connection:
            mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
            keys = connection.exec_driver_sql("PRAGMA foreign_keys").scalar()
        assert (mode, keys) == ("wal", 1)
    finally:
        store.dispose()


def test_a_new_sqlite_file_and_its_folder_are_created_on_first_use(
    tmp_path: Path,
) -> None:
    path = tmp_path / "new" / "folder" / "spinewise.sqlite3"
    store = open_store(f"sqlite:///{path}")
    try:
        with store.unit_of_work() as uow:
            uow.session.execute(text("SELECT 1"))
        assert path.exists()
    finally:
        store.dispose()


@pytest.mark.parametrize(
    "given", ["postgresql://u@h/db", "postgres://u@h/db", "postgresql+psycopg://u@h/db"]
)
def test_postgresql_urls_mean_psycopg_3(given: str) -> None:
    assert database_url(given).drivername == "postgresql+psycopg"


@pytest.mark.parametrize("given", ["mysql://u@h/db", "not a url"])
def test_an_unsupported_database_url_is_refused_naming_the_setting(given: str) -> None:
    with pytest.raises(InputError) as caught:
        database_url(given)
    assert caught.value.problems[0].field == "database_url"


def test_a_unit_of_work_commits_on_success_and_rolls_back_on_error(
    store: Store, world: World
) -> None:
    with store.unit_of_work(write=True) as uow:
        uow.clinics.add("Committed Clinic")
    with pytest.raises(RuntimeError), store.unit_of_work(write=True) as uow:
        uow.clinics.add("Rolled Back Clinic")
        raise RuntimeError("half-way")
    with store.unit_of_work() as uow:
        names = {c.name for c in uow.clinics.all()}
    assert "Committed Clinic" in names
    assert "Rolled Back Clinic" not in names


def test_a_duplicate_is_refused_naming_the_field(store: Store, world: World) -> None:
    with pytest.raises(ConflictError) as caught, store.unit_of_work(write=True) as uow:
        uow.users.add(
            clinic_id=world.clinic_a,
            username="therapist-a",
            display_name="Twin",
            role="therapist",
            password_hash="x",
        )
    assert caught.value.field == "username"


def _patient_with_assessment(store: Store, world: World) -> tuple[int, int]:
    with store.unit_of_work(write=True) as uow:
        patient_id = add_patient(uow, world)
        document = {"schema": "spinewise.assessment/1"}
        return patient_id, add_assessment(uow, world, patient_id, document)


def test_a_malformed_row_is_refused_naming_the_field(
    store: Store, world: World
) -> None:
    patient_id, assessment_id = _patient_with_assessment(store, world)
    with pytest.raises(InputError) as caught, store.unit_of_work(write=True) as uow:
        add_decision(uow, world, patient_id, assessment_id, {}, kb_version="")
    assert caught.value.problems[0].field == "kb_version"


def test_a_row_cannot_claim_another_clinic_than_its_patient(
    store: Store, world: World
) -> None:
    patient_id, _ = _patient_with_assessment(store, world)
    with pytest.raises(InputError), store.unit_of_work(write=True) as uow:
        add_assessment(uow, world, patient_id, {}, number=2, clinic_b=True)


def test_queries_for_one_clinic_never_return_another_clinics_rows(
    store: Store, world: World
) -> None:
    patient_id, assessment_id = _patient_with_assessment(store, world)
    with store.unit_of_work() as uow:
        assert uow.patients.get(world.clinic_b, patient_id) is None
        assert uow.assessments.get(world.clinic_b, assessment_id) is None
        assert uow.assessments.current(world.clinic_b, patient_id) is None
        assert uow.patients.get(world.clinic_a, patient_id) is not None


def test_timestamps_come_back_aware_in_utc(store: Store, world: World) -> None:
    before = utc_now()
    with store.unit_of_work(write=True) as uow:
        uow.audit.append(
            [{"interface": "cli", "action": "read", "entity": "x", "clinic_id": 99}]
        )
    with store.unit_of_work() as uow:
        (row,) = uow.audit.query(AuditQuery(clinic_id=99))
    assert row.at.tzinfo is dt.UTC
    assert before - dt.timedelta(seconds=5) <= row.at <= utc_now()


def test_naive_timestamps_are_refused(store: Store) -> None:
    with pytest.raises(Exception, match="naive"), store.unit_of_work(write=True) as uow:
        uow.audit.append(
            [
                {
                    "interface": "cli",
                    "action": "read",
                    "entity": "x",
                    "at": dt.datetime(2026, 1, 1),
                }
            ]
        )
