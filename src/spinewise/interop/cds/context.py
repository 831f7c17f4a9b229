"""The resources a CDS Hooks call brings (prefetched) or needs fetched (pure).

Prefetch keys (:data:`PREFETCH`): ``patient`` (the Patient read), ``assessment``
(a search for the patient's latest completed or amended QuestionnaireResponse to
Spinewise's Questionnaire, answered as a ``searchset`` Bundle; a lone
QuestionnaireResponse is accepted too) and the :data:`CODED` searches (conditions,
observations, active medications) whose coded red flags and contraindications also
answer screening questions. The spec's three states of a key are kept apart: absent (the client did
not prefetch it: fetch it), ``null`` (the client has no such data) and a resource; an
``OperationOutcome`` (the client could not fetch it) counts as absent.

Only responses to Spinewise's Questionnaire, completed or amended, whose subject is
the patient in context are read; the others are counted as ignored, never screened.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pydantic import ValidationError

from spinewise.errors import FieldProblem, InputError
from spinewise.interop import codes
from spinewise.interop.fhir.assessment_import import assessment_of
from spinewise.interop.fhir.condition_profile import CodedProfile
from spinewise.models import Assessment, problems_of

PATIENT = "patient"
ASSESSMENT = "assessment"
# The patient's coded data that can answer screening questions (fhir_coded_answers).
CODED: dict[str, str] = {
    "conditions": "Condition?patient={{context.patientId}}",
    "observations": "Observation?patient={{context.patientId}}&_sort=-date&_count=100",
    "medicationStatements": "MedicationStatement?patient={{context.patientId}}"
    "&status=active",
    "medicationRequests": "MedicationRequest?patient={{context.patientId}}"
    "&status=active",
}
PREFETCH: dict[str, str] = {
    PATIENT: "Patient/{{context.patientId}}",
    ASSESSMENT: "QuestionnaireResponse?subject=Patient/{{context.patientId}}"
    f"&questionnaire={codes.QUESTIONNAIRE_URL}"
    "&status=completed,amended&_sort=-authored&_count=1",
    **CODED,
}
_TOKEN = re.compile(r"\{\{\s*context\.([A-Za-z]+)\s*\}\}")
_READABLE = ("completed", "amended")


class Absent:
    """A prefetch key the client did not (or could not) satisfy."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT = Absent()


def _fail(field: str, message: str) -> InputError:
    return InputError([FieldProblem(field, message)])


def render_query(template: str, context: Mapping[str, Any]) -> str:
    """A prefetch template with its ``{{context.x}}`` tokens filled in (URL-quoted)."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        found = context.get(name)
        if not isinstance(found, str) or not found:
            raise _fail(f"context.{name}", "required by the prefetch template")
        return quote(found, safe="")

    return _TOKEN.sub(value, template)


def prefetched(prefetch: Mapping[str, Any] | None, key: str) -> object:
    """The value of one prefetch key: a resource, None (no data) or ``ABSENT``."""
    if prefetch is None or key not in prefetch:
        return ABSENT
    value = prefetch[key]
    if isinstance(value, Mapping) and value.get("resourceType") == "OperationOutcome":
        return ABSENT
    if value is not None and not isinstance(value, Mapping):
        raise _fail(f"prefetch.{key}", "expected a FHIR resource or null")
    return value


def check_patient(resource: object, patient_id: str, field: str) -> None:
    """Refuse a Patient that is not the patient in context."""
    if resource is None or isinstance(resource, Absent):
        return
    assert isinstance(resource, Mapping)
    if resource.get("resourceType") != "Patient":
        raise _fail(f"{field}.resourceType", "expected a Patient")
    if resource.get("id") != patient_id:
        raise _fail(
            f"{field}.id",
            f"the Patient is {resource.get('id')!r}, not context.patientId "
            f"{patient_id!r}",
        )


def _refers_to(subject: object, patient_id: str) -> bool:
    if not isinstance(subject, Mapping):
        return False
    reference = str(subject.get("reference") or "")
    target = f"Patient/{patient_id}"
    return reference == target or reference.endswith(f"/{target}")


def _is_spinewise(qr: Mapping[str, Any]) -> bool:
    name = str(qr.get("questionnaire") or "")
    return name.split("|")[0] == codes.QUESTIONNAIRE_URL


def _authored(qr: Mapping[str, Any]) -> dt.datetime:
    text = str(qr.get("authored") or "")
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return dt.datetime.min.replace(tzinfo=dt.UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def authored_on(qr: Mapping[str, Any]) -> dt.date | None:
    """The day a response was authored (None when missing or unreadable)."""
    moment = _authored(qr)
    return None if moment.year == dt.MINYEAR else moment.date()


@dataclass(frozen=True)
class ChosenResponse:
    """The latest readable response of the patient, and how many others were ignored."""

    response: Mapping[str, Any] | None
    ignored: int = 0


def choose_response(value: object, patient_id: str, field: str) -> ChosenResponse:
    """The patient's latest Spinewise QuestionnaireResponse in ``value`` (a
    QuestionnaireResponse, a searchset Bundle, or None)."""
    if value is None:
        return ChosenResponse(None)
    assert isinstance(value, Mapping)
    kind = value.get("resourceType")
    if kind == "QuestionnaireResponse":
        candidates = [value]
    elif kind == "Bundle":
        entries = value.get("entry", [])
        if not isinstance(entries, list):
            raise _fail(f"{field}.entry", "expected a list of entries")
        candidates = [
            e["resource"]
            for e in entries
            if isinstance(e, Mapping)
            and isinstance(e.get("resource"), Mapping)
            and e["resource"].get("resourceType") == "QuestionnaireResponse"
        ]
    else:
        raise _fail(
            f"{field}.resourceType",
            f"expected a QuestionnaireResponse or a Bundle of them (got {kind!r})",
        )
    readable = [
        qr
        for qr in candidates
        if _is_spinewise(qr)
        and qr.get("status") in _READABLE
        and _refers_to(qr.get("subject"), patient_id)
    ]
    latest = max(readable, key=_authored, default=None)
    return ChosenResponse(latest, len(candidates) - len(readable))


def read_response(
    qr: Mapping[str, Any], coded: CodedProfile | None = None
) -> Assessment:
    """The Assessment a QuestionnaireResponse (as JSON) answers, validated as FHIR R4
    and as the contract; an InputError names each bad element or ``linkId``.
    ``coded``: the profile the EHR's Conditions give, where the answers give none."""
    try:
        resource = QuestionnaireResponse.model_validate(dict(qr))
    except ValidationError as exc:
        raise InputError(problems_of(exc)) from None
    return assessment_of(resource, coded)
