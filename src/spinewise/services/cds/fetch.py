"""The resources a hook call needs: from ``prefetch``, else from the EHR's FHIR server.

A prefetch key that is absent (or an ``OperationOutcome``) is fetched from
``fhirServer`` with the ``fhirAuthorization`` access token, using the same query the
prefetch template asks for; a ``null`` key means the EHR has no such data and is not
fetched. When the questionnaire can be neither prefetched nor fetched the call fails
with ``EhrUnavailableError`` (the spec's 412 Precondition Failed); the Patient is only
a cross-check and is skipped when it cannot be had.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from spinewise.errors import FieldProblem, InputError
from spinewise.interop import ABSENT, PREFETCH, HookRequest, prefetched, render_query
from spinewise.interop.fhir.foreign import patient_in, readable_entries
from spinewise.services.cds.http import EhrHttp, EhrUnavailableError
from spinewise.services.cds.pages import FetchLimits, all_pages

PATIENT = "patient"
ASSESSMENT = "assessment"


@dataclass(frozen=True)
class HookData:
    """The Patient and the questionnaire search result of one call, with where each
    came from (``prefetch.patient`` or the FHIR query), for error messages."""

    patient_id: str
    patient: object
    patient_field: str
    assessment: object
    assessment_field: str
    fetched: tuple[str, ...] = ()
    skipped: tuple[FieldProblem, ...] = ()


def _server(request: HookRequest, require_https: bool) -> tuple[str, str] | None:
    """The FHIR server and access token to fetch with, if the request gives both."""
    server = request.fhirServer
    if request.fhirAuthorization is not None and not server:
        raise InputError(
            [FieldProblem("fhirServer", "required when fhirAuthorization is given")]
        )
    if not server or request.fhirAuthorization is None:
        return None
    if not server.startswith(("https://", "http://")):
        raise InputError([FieldProblem("fhirServer", "expected an http(s) URL")])
    if require_https and not server.startswith("https://"):
        raise InputError(
            [FieldProblem("fhirServer", "must be https when production data is used")]
        )
    return server, request.fhirAuthorization.access_token


def _fetch(
    http: EhrHttp, where: tuple[str, str], key: str, context: dict[str, Any]
) -> tuple[object, str]:
    query = render_query(PREFETCH[key], context)
    server, token = where
    return http.fhir_get(server, query, token), f"{server.rstrip('/')}/{query}"


def _readable(
    value: object,
    field: str,
    http: EhrHttp,
    where: tuple[str, str] | None,
    limits: FetchLimits,
) -> tuple[object, list[FieldProblem]]:
    """The questionnaire search result with its next pages and without the entries
    Spinewise cannot read (each noted); something else than a Bundle or a
    QuestionnaireResponse is read as no data (noted)."""
    if not isinstance(value, Mapping):
        return value, []
    kind = value.get("resourceType")
    if kind == "QuestionnaireResponse":
        return value, []
    if kind != "Bundle":
        note = f"a {kind!r} instead of a QuestionnaireResponse or Bundle: not read"
        return None, [FieldProblem(f"{field}.resourceType", note)]
    paged, skipped = all_pages(value, field, http, where, limits)
    kept, unread = readable_entries(paged, field)
    return {**paged, "entry": [{"resource": r} for r in kept]}, skipped + unread


def hook_data(
    request: HookRequest,
    patient_id: str,
    http: EhrHttp,
    require_https: bool,
    limits: FetchLimits | None = None,
) -> HookData:
    """The call's Patient and questionnaire search result (prefetched or fetched),
    with what could not be read of them (``skipped``)."""
    where = _server(request, require_https)
    patient = prefetched(request.prefetch, PATIENT)
    assessment = prefetched(request.prefetch, ASSESSMENT)
    patient_field, assessment_field = f"prefetch.{PATIENT}", f"prefetch.{ASSESSMENT}"
    fetched: list[str] = []
    if assessment is ABSENT:
        if where is None:
            raise EhrUnavailableError(
                "prefetch.assessment is missing and the request gives no fhirServer "
                "with fhirAuthorization to fetch it"
            )
        assessment, assessment_field = _fetch(http, where, ASSESSMENT, request.context)
        fetched.append(ASSESSMENT)
    if patient is ABSENT:
        patient = None
        if where is not None:
            try:
                patient, patient_field = _fetch(http, where, PATIENT, request.context)
                fetched.append(PATIENT)
            except EhrUnavailableError:
                patient = (
                    None  # only a cross-check; the questionnaire names its subject
                )
    patient, patient_skips = patient_in(patient, patient_id, patient_field)
    assessment, skipped = _readable(
        assessment, assessment_field, http, where, limits or FetchLimits()
    )
    return HookData(
        patient_id,
        patient,
        patient_field,
        assessment,
        assessment_field,
        tuple(fetched),
        tuple(patient_skips + skipped),
    )
