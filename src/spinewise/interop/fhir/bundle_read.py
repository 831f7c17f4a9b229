"""Read assessments back from a FHIR Bundle (an EHR's, or one Spinewise exported).

Only the Patient and the QuestionnaireResponse(s) to Spinewise's Questionnaire are
read; everything derived (Condition, Observations, GuidanceResponse, DetectedIssue)
is recomputed by screening again, so a bundle cannot smuggle in a decision. Every
failure is an ``InputError``: bad JSON, a resource that is not valid FHIR R4 (the
field path inside the bundle), no or several patients, and answers the contract
refuses (named by ``linkId``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pydantic import ValidationError

from spinewise.errors import FieldProblem, InputError
from spinewise.interop import codes
from spinewise.interop.fhir.assessment_import import assessment_of
from spinewise.interop.fhir.condition_profile import coded_profile
from spinewise.interop.fhir.patient import PatientInfo, patient_info_of
from spinewise.models import Assessment, decode_text, parse_document, problems_of

BundleInput = str | bytes | Mapping[str, Any]


def _fail(field: str, message: str) -> InputError:
    return InputError([FieldProblem(field, message)])


def parse_bundle(bundle_json: BundleInput) -> Bundle:
    """Validate ``bundle_json`` (text or parsed JSON) as a FHIR R4 Bundle."""
    data: object = bundle_json
    if isinstance(bundle_json, bytes):
        bundle_json = decode_text(bundle_json, None)
    if isinstance(bundle_json, str):
        data = parse_document(bundle_json, "json")
    if not isinstance(data, Mapping) or data.get("resourceType") != "Bundle":
        raise _fail("resourceType", "expected a FHIR Bundle")
    try:
        return Bundle.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_of(exc)) from None


def _is_spinewise(qr: QuestionnaireResponse) -> bool:
    return str(qr.questionnaire or "").split("|")[0] == codes.QUESTIONNAIRE_URL


def patient_for(bundle: Bundle, qrs: list[QuestionnaireResponse]) -> Patient:
    patients: dict[str, Patient] = {}
    for entry in bundle.entry or []:
        if isinstance(entry.resource, Patient):
            rid = entry.resource.id
            for name in (entry.fullUrl, f"Patient/{rid}" if rid else None):
                if name:
                    patients[str(name)] = entry.resource
    subjects = {
        str(qr.subject.reference) for qr in qrs if qr.subject and qr.subject.reference
    }
    found = {id(patients[s]): patients[s] for s in subjects if s in patients}
    if not found:
        found = {id(p): p for p in patients.values()}
    if len(found) != 1:
        raise _fail(
            "Bundle.entry",
            f"expected the assessments' one Patient, found {len(found)}",
        )
    return next(iter(found.values()))


def _key_of(qr: QuestionnaireResponse, index: int) -> str:
    ident = qr.identifier
    if ident is not None and ident.system == codes.ASSESSMENT_ID and ident.value:
        return str(ident.value)
    return str(qr.id or f"assessment-{index}")


def read_assessments(
    bundle_json: BundleInput,
) -> tuple[PatientInfo, list[tuple[str, Assessment]]]:
    """The patient and every Spinewise assessment in the bundle, with their keys.

    With several assessments, each problem's field is prefixed with the
    assessment's key (``a-17: red_flags.fever``).
    """
    bundle = parse_bundle(bundle_json)
    qrs = [
        e.resource
        for e in bundle.entry or []
        if isinstance(e.resource, QuestionnaireResponse) and _is_spinewise(e.resource)
    ]
    if not qrs:
        raise _fail(
            "Bundle.entry",
            f"no QuestionnaireResponse to {codes.QUESTIONNAIRE_URL}",
        )
    patient = patient_info_of(patient_for(bundle, qrs))
    coded = coded_profile(
        e.resource.model_dump(mode="json")
        for e in bundle.entry or []
        if isinstance(e.resource, Condition)
    )
    assessments: list[tuple[str, Assessment]] = []
    problems: list[FieldProblem] = []
    for index, qr in enumerate(qrs):
        key = _key_of(qr, index)
        try:
            assessments.append((key, assessment_of(qr, coded)))
        except InputError as error:
            prefix = f"{key}: " if len(qrs) > 1 else ""
            problems += [
                FieldProblem(prefix + p.field, p.message) for p in error.problems
            ]
    if problems:
        raise InputError(problems)
    return patient, assessments


def read_assessment_bundle(bundle_json: BundleInput) -> tuple[PatientInfo, Assessment]:
    """The patient and the one assessment of an assessment bundle.

    An InputError names the ``linkId`` (= contract field path) of each bad answer;
    a bundle with several assessments is refused (use ``read_assessments``).
    """
    patient, assessments = read_assessments(bundle_json)
    if len(assessments) != 1:
        raise _fail(
            "Bundle.entry",
            f"expected one assessment, found {len(assessments)}; use read_assessments",
        )
    return patient, assessments[0][1]
