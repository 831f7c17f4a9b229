"""A failure half-way through a use case leaves nothing half-written.

The screener is the seam: a use case stores the assessment, then screens it, then
stores the decision and the audit events. Breaking the screener, or handing the
database a decision it refuses, must roll every one of those back.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from tests.factories import assessment_data
from tests.pg import World
from tests.services.builders import APPROVAL, assessed_patient

from spinewise import services
from spinewise.errors import InputError
from spinewise.kb import KnowledgeBase
from spinewise.models import Assessment, ClearanceStatus, Decision
from spinewise.screening import screen
from spinewise.store import (
    AssessmentRow,
    AuditRow,
    ClearanceRow,
    DecisionRow,
    PatientRow,
    Store,
)


class InjectedError(Exception):
    pass


def _explodes(assessment: Assessment, kb: KnowledgeBase) -> Decision:
    raise InjectedError("the screener failed half-way")


def _unstorable(assessment: Assessment, kb: KnowledgeBase) -> Decision:
    """A decision the database refuses (empty kb_version violates a CHECK)."""
    return screen(assessment, kb).model_copy(update={"kb_version": ""})


SCREENERS: dict[str, tuple[Callable[[Assessment, KnowledgeBase], Decision], type]] = {
    "exception": (_explodes, InjectedError),
    "constraint": (_unstorable, InputError),
}


def _counts(store: Store) -> dict[str, int]:
    tables = (PatientRow, AssessmentRow, DecisionRow, ClearanceRow, AuditRow)
    with store.unit_of_work() as uow:
        return {
            t.__tablename__: uow.session.scalar(select(func.count()).select_from(t))
            or 0
            for t in tables
        }


@pytest.mark.parametrize("fault", SCREENERS)
def test_a_failed_submission_stores_neither_assessment_nor_decision(
    store: Store, world: World, kb: KnowledgeBase, fault: str
) -> None:
    screener, error = SCREENERS[fault]
    patient = services.register_patient(
        store, world.therapist_a, {"record_number": "F-1", "name": "Fault"}
    )
    before = _counts(store)
    with pytest.raises(error):
        services.submit_assessment(
            store,
            world.therapist_a,
            patient.id,
            assessment_data(),
            kb,
            screener=screener,
        )
    assert _counts(store) == before


@pytest.mark.parametrize("fault", SCREENERS)
def test_a_failed_amendment_leaves_the_original_alone(
    store: Store, world: World, kb: KnowledgeBase, fault: str
) -> None:
    screener, error = SCREENERS[fault]
    original = assessed_patient(store, world.therapist_a, kb)
    before = _counts(store)
    with pytest.raises(error):
        services.amend_assessment(
            store,
            world.therapist_a,
            original.assessment.id,
            assessment_data(symptoms={"pain_nrs": 6}),
            kb,
            screener=screener,
        )
    assert _counts(store) == before
    latest = services.latest_assessments(
        store, world.therapist_a, original.assessment.patient_id
    )
    assert [a.id for a in latest] == [original.assessment.id]


@pytest.mark.parametrize("fault", SCREENERS)
def test_a_failed_clearance_leaves_the_request_pending(
    store: Store, world: World, kb: KnowledgeBase, fault: str
) -> None:
    screener, error = SCREENERS[fault]
    result = assessed_patient(store, world.therapist_a, kb)
    patient_id = result.assessment.patient_id
    services.request_clearance(store, world.therapist_a, patient_id)
    before = _counts(store)
    with pytest.raises(error):
        services.record_clearance(
            store, world.physician_a, patient_id, APPROVAL, kb, screener=screener
        )
    assert _counts(store) == before
    current = services.current_clearance(store, world.therapist_a, patient_id)
    assert current is not None and current.status is ClearanceStatus.PENDING
