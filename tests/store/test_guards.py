"""The database itself refuses to change the audit log, assessments and decisions."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from tests.factories import make_assessment
from tests.pg import ON_POSTGRESQL_ONLY, World

from spinewise import services
from spinewise.errors import InputError, SpinewiseError
from spinewise.kb import KnowledgeBase
from spinewise.store import Store


def _one_audit_row(store: Store) -> None:
    with store.unit_of_work(write=True) as uow:
        uow.audit.append([{"interface": "cli", "action": "read", "entity": "patient"}])


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET action = 'forged'",
        "DELETE FROM audit_log",
    ],
    ids=["update", "delete"],
)
def test_the_audit_log_is_append_only(
    store: Store, world: World, statement: str
) -> None:
    _one_audit_row(store)
    with store.unit_of_work() as uow:
        before = uow.audit.count()
    with (
        pytest.raises(SpinewiseError, match="append-only"),
        store.unit_of_work(write=True) as uow,
    ):
        uow.session.execute(text(statement))
    with store.unit_of_work() as uow:
        assert uow.audit.count() == before


@ON_POSTGRESQL_ONLY
def test_the_audit_log_cannot_be_truncated_on_postgresql(
    store: Store, world: World
) -> None:
    _one_audit_row(store)
    with (
        pytest.raises(SpinewiseError, match="append-only"),
        store.unit_of_work(write=True) as uow,
    ):
        uow.session.execute(text("TRUNCATE audit_log"))


@pytest.mark.parametrize("table", ["assessments", "decisions"])
def test_stored_assessments_and_decisions_cannot_be_updated(
    store: Store, world: World, kb: KnowledgeBase, table: str
) -> None:
    patient = services.register_patient(
        store, world.therapist_a, {"record_number": "G-1", "name": "Guarded"}
    )
    services.submit_assessment(
        store, world.therapist_a, patient.id, make_assessment(), kb
    )
    with (
        pytest.raises(SpinewiseError, match="immutable"),
        store.unit_of_work(write=True) as uow,
    ):
        uow.session.execute(text(f"UPDATE {table} SET patient_id = patient_id"))


def test_text_with_a_nul_character_is_an_input_error_on_both_databases(
    store: Store, world: World
) -> None:
    with pytest.raises(InputError, match="NUL"):
        services.register_patient(
            store, world.therapist_a, {"record_number": "N-1", "name": "Ann\x00Lee"}
        )
    assert services.list_patients(store, world.therapist_a) == []
