"""Request builders of the CDS Hooks web tests (the fixtures are in ``conftest.py``)."""

from __future__ import annotations

import datetime as dt
import warnings
from typing import Any

from starlette.exceptions import StarletteDeprecationWarning
from tests.interop.cds_keys import ISSUER, new_key, token
from tests.interop.fhir_server import (
    ACCESS_TOKEN,
    EhrServer,
    patient_json,
    response_json,
    searchset,
)

from spinewise.config import Settings
from spinewise.models import Assessment

with warnings.catch_warnings():
    # starlette 1.x prefers httpx2 for its test client; httpx works the same here.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

__all__ = ["TestClient"]  # re-exported for the tests

PUBLIC = "http://127.0.0.1:8000"
CLINIC = "Alpha Spine Clinic"
PATIENT_VIEW = "spinewise-patient-view"
ORDER_SELECT = "spinewise-order-select"
PID = "1288992"
KEY = new_key()


def aud(service: str, *, feedback: bool = False) -> str:
    return f"{PUBLIC}/cds-services/{service}" + ("/feedback" if feedback else "")


def signed(service: str = PATIENT_VIEW, **claims: Any) -> dict[str, str]:
    """Headers with a fresh, well-signed hook JWT for ``service`` (override via kw)."""
    audience = claims.pop("audience", aud(service))
    return {
        "Authorization": f"Bearer {token(claims.pop('key', KEY), audience, **claims)}"
    }


CODED_KEYS = (
    "conditions",
    "observations",
    "medicationStatements",
    "medicationRequests",
)


def today() -> dt.date:
    """The call's date as the service sees it (UTC)."""
    return dt.datetime.now(dt.UTC).date()


def prefetch_of(
    assessment: Assessment | None,
    patient_id: str = PID,
    *,
    days_old: int | None = 0,
    coded: tuple[dict[str, Any], ...] = (),
) -> dict:
    """Full prefetch: the Patient, the searchset with the patient's response (authored
    ``days_old`` days before today; None keeps the assessment's own date) and the
    coded searches (``coded`` resources in the conditions searchset, the others
    empty)."""
    found: tuple[dict[str, Any], ...] = ()
    if assessment is not None:
        if days_old is not None:
            day = today() - dt.timedelta(days=days_old)
            assessment = assessment.model_copy(update={"assessed_on": day})
        found = (response_json(patient_id, assessment),)
    prefetch = {"patient": patient_json(patient_id), "assessment": searchset(*found)}
    for key in CODED_KEYS:
        prefetch[key] = searchset(*(coded if key == "conditions" else ()))
    return prefetch


def patient_view(
    prefetch: dict | None = None, *, ehr: EhrServer | None = None, **extra: Any
) -> dict[str, Any]:
    """A patient-view call shaped as the spec's example (hookInstance, fhirServer,
    fhirAuthorization, context userId/patientId/encounterId, prefetch)."""
    body: dict[str, Any] = {
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "hook": "patient-view",
        "context": {
            "userId": "Practitioner/example",
            "patientId": PID,
            "encounterId": "89284",
        },
    }
    if ehr is not None:
        body["fhirServer"] = ehr.fhir_url
        body["fhirAuthorization"] = {
            "access_token": ACCESS_TOKEN,
            "token_type": "Bearer",
            "expires_in": 300,
            "scope": "user/Patient.read user/QuestionnaireResponse.read",
            "subject": "spinewise-cds",
        }
    if prefetch is not None:
        body["prefetch"] = prefetch
    return {**body, **extra}


def service_request(rid: str, text: str) -> dict[str, Any]:
    return {
        "resourceType": "ServiceRequest",
        "id": rid,
        "status": "draft",
        "intent": "order",
        "code": {"text": text},
        "subject": {"reference": f"Patient/{PID}"},
    }


def order_select(
    *orders: dict[str, Any], prefetch: dict | None = None, **extra: Any
) -> dict[str, Any]:
    """An order-select call shaped as the spec's R4 example (selections, draftOrders)."""
    return {
        "hookInstance": "7a3b8f0e-5c2d-4e1f-9a6b-0c8d7e6f5a41",
        "hook": "order-select",
        "context": {
            "userId": "PractitionerRole/123",
            "patientId": PID,
            "encounterId": "89284",
            "selections": [f"{o['resourceType']}/{o['id']}" for o in orders],
            "draftOrders": {
                "resourceType": "Bundle",
                "entry": [{"resource": o} for o in orders],
            },
        },
        **({"prefetch": prefetch} if prefetch is not None else {}),
        **extra,
    }


def cds_settings(ehr: EhrServer, database_url: str) -> Settings:
    """Settings trusting the test EHR, writing to clinic A."""
    return Settings(
        database_url=database_url,
        public_url=PUBLIC,
        cds_trusted_issuers={ISSUER: ehr.jwks_url},
        cds_clinic=CLINIC,
    )


def expired() -> dict[str, Any]:
    return {"lifetime": dt.timedelta(minutes=-2)}


def card_of(body: dict[str, Any], rule: str) -> dict[str, Any]:
    for card in body["cards"]:
        if card["source"].get("topic", {}).get("code") == rule:
            return card
    raise AssertionError(f"no card for {rule}: {[c['summary'] for c in body['cards']]}")
