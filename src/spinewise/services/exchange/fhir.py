"""A patient's record out as a FHIR R4 Bundle, and assessments in from one.

Export (``spinewise export fhir``): the patient, every assessment version with its
latest decision, the clearances, the course plans and the scored questionnaires, read
in one unit of work and audited as one ``export`` event. Resource keys are the
record's own (``assessment-N-vV``, ``clearance-ID``, ``plan-ID``, ``score-ID``) and
the patient's key is the clinic's record number, so two exports of the same record are
byte-identical (``interop.patient_bundle``).

Import (``spinewise import fhir``): ``services.fhir_import`` (lenient reading, one
transaction, idempotent by FHIR id and source; re-exported here).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from spinewise.errors import N_
from spinewise.interop import (
    DEFAULT_CANONICAL_BASE,
    AssessmentRecord,
    ClearanceRecord,
    PatientInfo,
    PatientRecord,
    ScoreRecord,
    patient_bundle,
    plan_input,
    published,
    to_json,
)
from spinewise.kb import KnowledgeBase
from spinewise.models import Assessment, Decision, Sex
from spinewise.models.outcome import Score
from spinewise.planning import CoursePlan
from spinewise.services.access.actors import CLINICIANS, Actor, require
from spinewise.services.audit import Action, log
from spinewise.services.convert import clearance_record
from spinewise.services.exchange.fhir_import import ImportedBundle as ImportedBundle
from spinewise.services.exchange.fhir_import import (
    import_fhir_bundle as import_fhir_bundle,
)
from spinewise.services.unit import patient_of, unit
from spinewise.store import CoursePlans, QuestionnaireResponses, Store, UnitOfWork

# A course plan's status in the store -> CarePlan.status (FHIR R4 request-status).
CAREPLAN_STATUS = {
    "active": "active",
    "suspended": "on-hold",
    "completed": "completed",
    "superseded": "revoked",
}


def _assessments(
    uow: UnitOfWork, clinic_id: int, patient_id: int
) -> tuple[list[AssessmentRecord], dict[int, str]]:
    rows = sorted(
        uow.assessments.of_patient(clinic_id, patient_id),
        key=lambda r: (r.number, r.version),
    )
    decisions = uow.decisions.latest_for(clinic_id, [r.id for r in rows])
    signers = uow.users.names(sorted({r.submitted_by for r in rows}))
    keys = {r.id: f"assessment-{r.number}-v{r.version}" for r in rows}
    records = [
        AssessmentRecord(
            key=keys[r.id],
            assessment=Assessment.model_validate(r.document),
            decision=Decision.model_validate(decisions[r.id].output)
            if r.id in decisions
            else None,
            signed_by=signers.get(r.submitted_by),
        )
        for r in rows
    ]
    return records, keys


def _clearances(
    uow: UnitOfWork, clinic_id: int, patient_id: int, keys: Mapping[int, str]
) -> list[ClearanceRecord]:
    rows = sorted(uow.clearances.of_patient(clinic_id, patient_id), key=lambda r: r.id)
    names = uow.users.names([r.physician_id for r in rows])
    return [
        ClearanceRecord(
            key=f"clearance-{r.id}",
            clearance=clearance_record(
                r, names.get(r.physician_id) if r.physician_id else None
            ).to_contract(),
            requested_on=r.requested_at.date(),
            assessment_key=keys.get(r.assessment_id),
        )
        for r in rows
    ]


def _plans(
    uow: UnitOfWork, clinic_id: int, patient_id: int, keys: Mapping[int, str]
) -> list[Any]:
    decided = {
        d.id: d.assessment_id for d in uow.decisions.of_patient(clinic_id, patient_id)
    }
    rows = sorted(
        CoursePlans(uow.session).of_patient(clinic_id, patient_id), key=lambda r: r.id
    )
    return [
        plan_input(
            CoursePlan.model_validate(r.plan),
            f"plan-{r.id}",
            assessment_key=keys.get(decided.get(r.decision_id, -1)),
            status=CAREPLAN_STATUS.get(r.status, "unknown"),
        )
        for r in rows
    ]


def _record(uow: UnitOfWork, actor: Actor, patient_id: int) -> PatientRecord:
    clinic = actor.clinic_id
    patient = patient_of(uow, actor, patient_id)
    assessments, keys = _assessments(uow, clinic, patient.id)
    latest = assessments[-1].assessment.patient.sex if assessments else Sex.UNKNOWN
    scores = QuestionnaireResponses(uow.session).of_patient(clinic, patient.id)
    return PatientRecord(
        patient=PatientInfo(
            key=patient.record_number,
            name=patient.name,
            birth_date=patient.birth_date,
            sex=latest,
        ),
        assessments=assessments,
        clearances=_clearances(uow, clinic, patient.id, keys),
        plans=_plans(uow, clinic, patient.id, keys),
        scores=[
            ScoreRecord(key=f"score-{r.id}", score=Score.model_validate(r.score))
            for r in scores
        ],
    )


def export_fhir_record(
    store: Store,
    actor: Actor,
    patient_id: int,
    *,
    kb: KnowledgeBase | None = None,
    canonical_base: str = DEFAULT_CANONICAL_BASE,
) -> dict[str, Any]:
    """The patient's whole record as FHIR R4 Bundle JSON, local code systems named
    under ``canonical_base``; with ``kb`` the knowledge base and the conformance
    resources (CodeSystem, ValueSet, StructureDefinition) are in it too."""
    with unit(store, actor) as uow:
        require(actor, CLINICIANS, N_("export records"))
        record = _record(uow, actor, patient_id)
        log(
            uow,
            actor,
            Action.EXPORT,
            "patient",
            patient_id,
            patient_id=patient_id,
            detail={
                "format": "fhir-r4",
                "assessments": len(record.assessments),
                "clearances": len(record.clearances),
                "plans": len(record.plans),
                "scores": len(record.scores),
            },
        )
    return to_json(published(patient_bundle(record, kb), canonical_base, kb))
