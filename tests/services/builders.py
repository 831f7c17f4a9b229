"""Small builders for service tests: patients with assessments, physician decisions."""

from __future__ import annotations

from typing import Any

from tests.factories import assessment_data

from spinewise import services
from spinewise.kb import KnowledgeBase
from spinewise.services import Actor, ClearanceOutcome, ScreeningResult
from spinewise.store import Store

APPROVAL = {"status": "approved", "valid_until": "2026-12-31", "reason": "fine"}


def assessed_patient(
    store: Store,
    actor: Actor,
    kb: KnowledgeBase,
    record_number: str = "P-1",
    **sections: Any,
) -> ScreeningResult:
    """A new patient of the actor's clinic with one submitted, screened assessment."""
    patient = services.register_patient(
        store,
        actor,
        {"record_number": record_number, "name": f"Patient {record_number}"},
    )
    consent_to_everything(store, actor, patient.id)
    return services.submit_assessment(
        store, actor, patient.id, assessment_data(**sections), kb
    )


def consent_to_everything(store: Store, actor: Actor, patient_id: int) -> None:
    """The patient consents to treatment, data processing and contact at intake."""
    for kind in services.ConsentKind:
        services.record_consent(store, actor, patient_id, kind, given=True)


def approve(
    store: Store,
    physician: Actor,
    patient_id: int,
    kb: KnowledgeBase,
    **decision: Any,
) -> ClearanceOutcome:
    """The physician's decision (an approval until 2026-12-31 unless overridden)."""
    return services.record_clearance(
        store, physician, patient_id, {**APPROVAL, **decision}, kb
    )
