"""``GET /fhir/metadata`` and ``GET /fhir/{CodeSystem|ValueSet|StructureDefinition}/
{id}``: the public FHIR conformance resources (no sign-in; they hold no patient
data). Built once per app from the KB and ``Settings.fhir_canonical_base``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import orjson
from fastapi import APIRouter, Request, Response

from spinewise.services import PUBLIC_FHIR_TYPES, FhirConformance, fhir_conformance

PREFIX = "/fhir"
FHIR_JSON = "application/fhir+json"


def _published(request: Request) -> FhirConformance:
    state = request.app.state
    found: FhirConformance | None = getattr(state, "fhir_conformance", None)
    if found is None:
        base = state.settings.fhir_canonical_base
        found = fhir_conformance(state.kb, base, dt.date.today())
        state.fhir_conformance = found
    return found


def _json(body: Mapping[str, Any], status: int = 200) -> Response:
    return Response(orjson.dumps(body), status, media_type=FHIR_JSON)


def _not_found(what: str) -> Response:
    outcome = {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": "not-found", "diagnostics": what}],
    }
    return _json(outcome, 404)


def fhir_router() -> APIRouter:
    """The public conformance routes (left out of the JSON API's OpenAPI document)."""
    router = APIRouter(prefix=PREFIX, include_in_schema=False)

    @router.get("/metadata")
    def metadata(request: Request) -> Response:
        return _json(_published(request).capability)

    @router.get("/{resource_type}/{resource_id}")
    def read(request: Request, resource_type: str, resource_id: str) -> Response:
        if resource_type not in PUBLIC_FHIR_TYPES:
            return _not_found(f"{resource_type} is not served here")
        found = _published(request).find(resource_type, resource_id)
        if found is None:
            return _not_found(f"no {resource_type}/{resource_id}")
        return _json(found)

    return router
