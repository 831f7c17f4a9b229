"""A patient's whole record as one FHIR ``collection`` Bundle (pure; no I/O, no clock).

The store and services fill a :class:`PatientRecord` (patient, assessments with their
decisions, clearances, plans, scores) and call :func:`patient_bundle`. Every resource
id is a UUID v5 of the patient key and the record's own key, and every reference is
the ``urn:uuid`` ``fullUrl`` of its entry, so exporting the same record twice gives
byte-identical JSON and a bundle read back and exported again is unchanged. Read an
assessment back with ``read_assessment_bundle`` (``fhir_bundle_read``).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

from fhir.resources.R4B.bundle import Bundle, BundleEntry
from fhir.resources.R4B.domainresource import DomainResource
from fhir.resources.R4B.reference import Reference
from fhir.resources.R4B.resource import Resource
from pydantic import BaseModel, ConfigDict, Field

from spinewise.interop.codes import resource_id, urn
from spinewise.interop.fhir.assessment import questionnaire_response, response_reference
from spinewise.interop.fhir.careplan import CarePlanInput, careplan_resource
from spinewise.interop.fhir.clearance import clearance_resources
from spinewise.interop.fhir.decision import (
    detected_issues,
    guidance_id,
    guidance_response,
    issue_references,
)
from spinewise.interop.fhir.kb import kb_library, plan_definition
from spinewise.interop.fhir.narrative import with_narrative
from spinewise.interop.fhir.observation import pain_observation, score_observation
from spinewise.interop.fhir.patient import (
    PatientInfo,
    condition_id,
    condition_resource,
    patient_resource,
)
from spinewise.interop.fhir.questionnaire import questionnaire_resource
from spinewise.kb import KnowledgeBase
from spinewise.models import Assessment, Clearance, Decision
from spinewise.models.outcome import Score

Key = Annotated[str, Field(min_length=1, description="the record's id in the store")]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AssessmentRecord(_Record):
    """One stored assessment and, once screened, its decision."""

    key: Key
    assessment: Assessment
    decision: Decision | None = None
    signed_by: str | None = None  # the therapist's name (Observation.performer)


class ClearanceRecord(_Record):
    """One physician clearance, and the assessment it answers (if known)."""

    key: Key
    clearance: Clearance
    requested_on: dt.date | None = None
    assessment_key: str | None = None


class ScoreRecord(_Record):
    """One scored outcome questionnaire."""

    key: Key
    score: Score


class PatientRecord(_Record):
    """Everything Spinewise holds on one patient, as the FHIR export needs it."""

    patient: PatientInfo
    assessments: list[AssessmentRecord] = Field(default_factory=list)
    clearances: list[ClearanceRecord] = Field(default_factory=list)
    plans: list[CarePlanInput] = Field(default_factory=list)
    scores: list[ScoreRecord] = Field(default_factory=list)


def _condition_ref(info: PatientInfo, key: str) -> Reference:
    return Reference(reference=urn(condition_id(info, key)))


def _guidance_ref(info: PatientInfo, key: str) -> Reference:
    return Reference(reference=urn(guidance_id(info, key)))


def assessment_resources(
    info: PatientInfo, record: AssessmentRecord
) -> list[DomainResource]:
    """QuestionnaireResponse, Condition, pain Observation and, if screened, the
    GuidanceResponse with its DetectedIssues, for one assessment."""
    qr_ref = response_reference(info, record.key)
    condition = condition_resource(info, record.assessment, record.key, evidence=qr_ref)
    therapist = (
        Reference(type="Practitioner", display=record.signed_by)
        if record.signed_by
        else None
    )
    pain = pain_observation(
        info, record.assessment, record.key, derived_from=qr_ref, performer=therapist
    )
    resources: list[DomainResource] = [
        questionnaire_response(info, record.assessment, record.key),
        condition,
        pain,
    ]
    if record.decision is not None:
        issues = detected_issues(info, record.decision, record.key, evidence=qr_ref)
        resources.append(
            guidance_response(
                info,
                record.decision,
                record.key,
                assessment=qr_ref,
                issues=issue_references(issues),
                reasons=[
                    Reference(reference=urn(str(condition.id))),
                    Reference(reference=urn(str(pain.id))),
                ],
            )
        )
        resources += issues
    return resources


def _clearance_resources(
    info: PatientInfo, record: ClearanceRecord
) -> list[DomainResource]:
    reasons, supporting = [], []
    if record.assessment_key is not None:
        reasons = [_condition_ref(info, record.assessment_key)]
        supporting = [_guidance_ref(info, record.assessment_key)]
    request, task = clearance_resources(
        info, record.clearance, record.key, record.requested_on, reasons, supporting
    )
    return [request, task]


def _plan_resource(info: PatientInfo, plan: CarePlanInput) -> DomainResource:
    based = plan.assessment_key
    return careplan_resource(
        info,
        plan,
        plan.key,
        status=plan.status,
        addresses=[_condition_ref(info, based)] if based else None,
        supporting=[_guidance_ref(info, based)] if based else None,
        notes=plan.notes,
    )


def record_resources(
    record: PatientRecord, kb: KnowledgeBase | None = None
) -> list[DomainResource]:
    """Every resource of the record, in bundle order (the KB ones when ``kb``), each
    with its generated narrative."""
    info = record.patient
    resources: list[DomainResource] = [patient_resource(info), questionnaire_resource()]
    if kb is not None:
        resources += [plan_definition(kb), kb_library(kb)]
    for assessment in record.assessments:
        resources += assessment_resources(info, assessment)
    for clearance in record.clearances:
        resources += _clearance_resources(info, clearance)
    resources += [_plan_resource(info, plan) for plan in record.plans]
    resources += [score_observation(info, s.score, s.key) for s in record.scores]
    return [with_narrative(r) for r in resources]


def patient_bundle(record: PatientRecord, kb: KnowledgeBase | None = None) -> Bundle:
    """The patient's whole record as a ``collection`` Bundle.

    Pass ``kb`` to include the knowledge base (PlanDefinition + Library) the
    decisions name, making the bundle self-contained.
    """
    return Bundle(
        id=resource_id("Bundle", record.patient.key),
        type="collection",
        entry=[
            BundleEntry(fullUrl=urn(str(r.id)), resource=r)
            for r in record_resources(record, kb)
        ],
    )


def assessment_bundle(
    info: PatientInfo,
    assessment: Assessment,
    key: str,
    decision: Decision | None = None,
) -> Bundle:
    """One assessment (and its decision) with its patient, as a ``collection``."""
    record = PatientRecord(
        patient=info,
        assessments=[
            AssessmentRecord(key=key, assessment=assessment, decision=decision)
        ],
    )
    return patient_bundle(record)


def to_json(resource: Resource) -> dict[str, Any]:
    """A resource (or bundle) as FHIR JSON: a plain dict, ready for ``json.dumps``."""
    data = json.loads(resource.model_dump_json())
    assert isinstance(data, dict)
    return data
