"""Revision 0009s converts stored rows both ways and keeps them immutable."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import text
from tests.factories import assessment_data
from tests.pg import World
from tests.store.rows import add_assessment, add_decision, add_patient

from spinewise.errors import SpinewiseError
from spinewise.kb import load_kb
from spinewise.models import Assessment
from spinewise.screening import screen
from spinewise.store import Store, downgrade, upgrade


def _stored(store: Store, world: World) -> tuple[int, dict[str, Any], dict[str, Any]]:
    document = Assessment.model_validate(assessment_data()).to_contract()
    output = screen(Assessment.model_validate(document), load_kb()).to_contract()
    with store.unit_of_work(write=True) as uow:
        patient_id = add_patient(uow, world, "M-1", "Migrated")
        for number, given in ((1, document), (2, {"schema": "legacy"})):
            assessment_id = add_assessment(uow, world, patient_id, given, number=number)
            add_decision(uow, world, patient_id, assessment_id, given, output)
    return patient_id, document, output


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _refuses_updates(store: Store) -> None:
    for statement in (
        "UPDATE assessments SET number = number",
        "UPDATE decisions SET verdict = verdict",
    ):
        with (
            pytest.raises(SpinewiseError, match="immutable"),
            store.unit_of_work(write=True) as uow,
        ):
            uow.session.execute(text(statement))


def test_stored_rows_go_down_to_json_and_up_again_unchanged(
    store: Store, world: World
) -> None:
    patient_id, document, output = _stored(store, world)
    downgrade(store, "0008o")
    with store.engine.connect() as connection:
        documents = connection.execute(
            text("SELECT document FROM assessments WHERE patient_id = :p ORDER BY id"),
            {"p": patient_id},
        ).scalars()
        assert [_json(d) for d in documents] == [document, {"schema": "legacy"}]
        outputs = connection.execute(
            text("SELECT output FROM decisions WHERE patient_id = :p"),
            {"p": patient_id},
        ).scalars()
        assert all(_json(o) == output for o in outputs)
    _refuses_updates(store)
    upgrade(store)
    with store.unit_of_work() as uow:
        rows = uow.assessments.of_patient(world.clinic_a, patient_id)
        assert [r.document for r in rows] == [{"schema": "legacy"}, document]
        decisions = uow.decisions.of_patient(world.clinic_a, patient_id)
        assert [d.input for d in decisions] == [{"schema": "legacy"}, document]
        assert all(d.output == output for d in decisions)
    _refuses_updates(store)
