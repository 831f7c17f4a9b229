"""The hook JWT over HTTP: accepted when right, 401 in each bad way, keys from the
EHR's JWK set URL (served over real HTTP), rotated keys picked up."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import jwt
import pytest
from tests.factories import make_assessment
from tests.interop.cds_keys import ISSUER, jwks_of, new_key
from tests.interop.fhir_server import EhrServer
from tests.web.cds.support import (
    KEY,
    PATIENT_VIEW,
    TestClient,
    aud,
    expired,
    patient_view,
    prefetch_of,
    signed,
)

URL = f"/cds-services/{PATIENT_VIEW}"


def call(client: TestClient, headers: dict[str, str]) -> Any:
    return client.post(
        URL, json=patient_view(prefetch_of(make_assessment())), headers=headers
    )


def refusal(answer: Any) -> str:
    assert answer.status_code == 401, answer.text
    assert answer.headers["www-authenticate"] == "Bearer"
    issue = answer.json()["issue"][0]
    assert issue["code"] == "security"
    return str(issue["details"]["text"])


def test_a_well_signed_token_is_accepted(cds: TestClient, ehr: EhrServer) -> None:
    assert call(cds, signed()).status_code == 200
    assert ("/jwks.json", None) in ehr.data.requests


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"key": new_key()}, "signature"),
        (expired(), "expired"),
        ({"audience": aud("spinewise-order-select")}, "aud"),
        ({"audience": "https://elsewhere.example/cds-services/x"}, "aud"),
        ({"issuer": "https://rogue.example"}, "not a trusted EHR"),
        ({"kid": "unknown-kid"}, "kid"),
    ],
    ids=["wrong-key", "expired", "other-service", "other-host", "untrusted", "kid"],
)
def test_a_bad_token_is_refused_saying_why(
    cds: TestClient, claims: dict[str, Any], reason: str
) -> None:
    assert reason in refusal(call(cds, signed(**claims)))


def test_a_replayed_jti_is_refused(cds: TestClient) -> None:
    headers = signed(jti="only-once")
    assert call(cds, headers).status_code == 200
    assert "replay" in refusal(call(cds, headers))


def test_no_token_is_refused(cds: TestClient) -> None:
    assert "JWT is required" in refusal(call(cds, {}))
    assert "JWT is required" in refusal(call(cds, {"Authorization": "Basic abc"}))


def test_garbage_is_refused(cds: TestClient) -> None:
    assert "malformed" in refusal(call(cds, {"Authorization": "Bearer not.a.jwt"}))


def test_discovery_needs_no_token(cds: TestClient) -> None:
    assert cds.get("/cds-services").status_code == 200


def test_a_rotated_key_is_fetched_again(cds: TestClient, ehr: EhrServer) -> None:
    assert call(cds, signed()).status_code == 200
    rotated = new_key()
    ehr.data.jwks = jwks_of(rotated, kid="ehr-key-2")
    answer = call(cds, signed(key=rotated, kid="ehr-key-2"))
    assert answer.status_code == 200, answer.text
    assert [p for p, _ in ehr.data.requests].count("/jwks.json") == 2


def test_an_unusable_jwk_set_is_refused(cds: TestClient, ehr: EhrServer) -> None:
    ehr.data.jwks = {"keys": "not a list"}
    assert "JWK set" in refusal(call(cds, signed()))


def test_a_jku_other_than_the_configured_set_is_refused(cds: TestClient) -> None:
    now = dt.datetime.now(dt.UTC)
    forged = jwt.encode(
        {
            "iss": ISSUER,
            "aud": aud(PATIENT_VIEW),
            "iat": now,
            "exp": now + dt.timedelta(minutes=5),
            "jti": str(uuid.uuid4()),
        },
        KEY,
        algorithm="RS384",
        headers={"kid": "ehr-key-1", "jku": "https://attacker.example/jwks"},
    )
    assert "jku" in refusal(call(cds, {"Authorization": f"Bearer {forged}"}))
