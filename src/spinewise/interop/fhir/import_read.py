"""Reading an import Bundle leniently: what can be read, and what was skipped (pure).

``read_assessments`` (``fhir_bundle_read``) refuses a whole Bundle for one resource it
cannot read. An EHR's export often holds some: a resource type R4 does not know (an
R5-only resource, a typo), a resource that is not valid R4, a Spinewise response whose
answers the contract refuses. :func:`read_import` keeps the rest and names each skip
(``Bundle.entry[i].resource``: why). Only what is wrong with the Bundle as a whole (not
JSON, not a Bundle, no Spinewise response left, no or several patients) is an
``InputError``.

Each response comes with what makes an import idempotent: its FHIR id (else its
identifier, else the digest of its answers), its source (``meta.source``, else the
Bundle's ``meta.source``, else its identifier) and the digest of the assessment it
answers (a change of the answers is an amendment; a change of ``meta`` is not).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pydantic import ValidationError

from spinewise.errors import N_, FieldProblem, InputError
from spinewise.interop import codes
from spinewise.interop.fhir.assessment_import import assessment_of
from spinewise.interop.fhir.bundle_read import BundleInput, patient_for
from spinewise.interop.fhir.condition_profile import coded_profile
from spinewise.interop.fhir.foreign import invalid_reason
from spinewise.interop.fhir.patient import PatientInfo, patient_info_of
from spinewise.models import Assessment, decode_text, parse_document, problems_of

UNKNOWN_SOURCE = "urn:spinewise:source:unknown"


@dataclass(frozen=True)
class ImportedResponse:
    """One readable Spinewise response: where it was, who it is, what it says."""

    entry: int
    fhir_id: str
    source: str
    digest: str
    assessment: Assessment


@dataclass(frozen=True)
class ImportRead:
    """What an import Bundle holds that Spinewise can read, and what it skipped."""

    patient: PatientInfo
    identifiers: tuple[tuple[str, str], ...]
    responses: list[ImportedResponse]
    skipped: list[FieldProblem]


def _fail(field: str, message: str) -> InputError:
    return InputError([FieldProblem(field, message)])


def _document(bundle_json: BundleInput) -> Mapping[str, Any]:
    data: object = bundle_json
    if isinstance(bundle_json, bytes):
        bundle_json = decode_text(bundle_json, None)
    if isinstance(bundle_json, str):  # bounded: depth, integer size, short quotes
        data = parse_document(bundle_json, "json")
    if not isinstance(data, Mapping) or data.get("resourceType") != "Bundle":
        raise _fail("resourceType", "expected a FHIR Bundle")
    return data


def _readable(data: Mapping[str, Any]) -> tuple[Bundle, list[int], list[FieldProblem]]:
    """The Bundle of the valid entries, their indexes in the file, and the skips."""
    entries = data.get("entry") or []
    if not isinstance(entries, list):
        raise _fail("Bundle.entry", "expected a list of entries")
    kept: list[Any] = []
    where: list[int] = []
    skipped: list[FieldProblem] = []
    for i, entry in enumerate(entries):
        field = f"Bundle.entry[{i}].resource"
        resource = entry.get("resource") if isinstance(entry, Mapping) else None
        if not isinstance(resource, Mapping):
            skipped.append(
                FieldProblem(field, N_("no resource in this entry: skipped"))
            )
            continue
        reason = invalid_reason(resource)
        if reason is not None:
            skipped.append(FieldProblem(field, reason))
            continue
        kept.append(entry)
        where.append(i)
    try:
        bundle = Bundle.model_validate({**data, "entry": kept})
    except ValidationError as exc:
        raise InputError(problems_of(exc)) from None
    return bundle, where, skipped


def _digest(assessment: Assessment) -> str:
    text = json.dumps(assessment.to_contract(), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _source(qr: QuestionnaireResponse, bundle: Bundle) -> str:
    for meta in (qr.meta, bundle.meta):
        if meta is not None and meta.source:
            return str(meta.source)
    ident = bundle.identifier
    if ident is not None and ident.value:
        return f"{ident.system or ''}|{ident.value}"
    return UNKNOWN_SOURCE


def _fhir_id(qr: QuestionnaireResponse, digest: str) -> str:
    if qr.id:
        return str(qr.id)
    ident = qr.identifier
    if ident is not None and ident.value:
        return f"{ident.system or ''}|{ident.value}"
    return f"sha256:{digest}"


def _is_spinewise(resource: object) -> bool:
    return (
        isinstance(resource, QuestionnaireResponse)
        and str(resource.questionnaire or "").split("|")[0] == codes.QUESTIONNAIRE_URL
    )


def read_import(bundle_json: BundleInput) -> ImportRead:
    """The patient, identifiers and readable Spinewise responses of an import Bundle,
    and a problem for each entry skipped (see the module doc)."""
    bundle, where, skipped = _readable(_document(bundle_json))
    responses: list[ImportedResponse] = []
    qrs: list[QuestionnaireResponse] = []
    conditions = [
        e.resource.model_dump(mode="json")
        for e in bundle.entry or []
        if isinstance(e.resource, Condition)
    ]
    coded = coded_profile(conditions)  # where a response names no profile
    for entry, index in zip(bundle.entry or [], where, strict=True):
        qr = entry.resource
        if not _is_spinewise(qr):
            continue
        assert isinstance(qr, QuestionnaireResponse)
        try:
            assessment = assessment_of(qr, coded)
        except InputError as error:
            message = "; ".join(f"{p.field}: {p.message}" for p in error.problems)
            skipped.append(FieldProblem(f"Bundle.entry[{index}].resource", message))
            continue
        digest = _digest(assessment)
        qrs.append(qr)
        responses.append(
            ImportedResponse(
                index, _fhir_id(qr, digest), _source(qr, bundle), digest, assessment
            )
        )
    if not responses:
        raise InputError(
            [
                *skipped,
                FieldProblem(
                    "Bundle.entry",
                    N_(
                        "no readable QuestionnaireResponse to {QUESTIONNAIRE_URL}",
                        QUESTIONNAIRE_URL=codes.QUESTIONNAIRE_URL,
                    ),
                ),
            ]
        )
    patient = patient_for(bundle, qrs)
    identifiers = tuple(
        (str(i.system), str(i.value))
        for i in patient.identifier or []
        if i.system and i.value
    )
    return ImportRead(patient_info_of(patient), identifiers, responses, skipped)
