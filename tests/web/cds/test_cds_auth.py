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

from spinewise.web.cds_errors import UNAUTHORIZED

URL = f"/cds-services/{PATIENT_VIEW}"


def call(client: TestClient, headers: dict[str, str]) -> Any:
    return client.post(
        URL, json=patient_view(prefetch_of(make_assessment())), headers=headers
    )


def refusal(answer: Any, caplog: pytest.LogCaptureFixture) -> str:
    """The logged reason of a 401 (the answer itself never says why)."""
    assert answer.status_code == 401, answer.text
    assert answer.headers["www-authenticate"] == "Bearer"
    assert answer.headers["content-type"] == "application/json"
    [issue] = answer.json()["issue"]
    assert issue["code"] == "security"
    assert issue["details"]["text"] == UNAUTHORIZED
    reasons = [
        r.getMessage() for r in caplog.records if "JWT refused" in r.getMessage()
    ]
    caplog.clear()
    return reasons[-1]


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
    cds: TestClient,
    claims: dict[str, Any],
    reason: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert reason in refusal(call(cds, signed(**claims)), caplog)


def test_a_replayed_jti_is_refused(
    cds: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    headers = signed(jti="only-once")
    assert call(cds, headers).status_code == 200
    assert "replay" in refusal(call(cds, headers), caplog)


def test_no_token_is_refused(cds: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    assert "JWT is required" in refusal(call(cds, {}), caplog)
    assert "JWT is required" in refusal(
        call(cds, {"Authorization": "Basic abc"}), caplog
    )


def test_garbage_is_refused(cds: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    assert "malformed" in refusal(
        call(cds, {"Authorization": "Bearer not.a.jwt"}), caplog
    )


def test_discovery_needs_no_token(cds: TestClient) -> None:
    assert cds.get("/cds-services").status_code == 200


def test_a_rotated_key_is_fetched_again(cds: TestClient, ehr: EhrServer) -> None:
    assert call(cds, signed()).status_code == 200
    rotated = new_key()
    ehr.data.jwks = jwks_of(rotated, kid="ehr-key-2")
    answer = call(cds, signed(key=rotated, kid="ehr-key-2"))
    assert answer.status_code == 200, answer.text
    assert [p for p, _ in ehr.data.requests].count("/jwks.json") == 2


def test_an_unusable_jwk_set_is_refused(
    cds: TestClient, ehr: EhrServer, caplog: pytest.LogCaptureFixture
) -> None:
    ehr.data.jwks = {"keys": "not a list"}
    assert "JWK set" in refusal(call(cds, signed()), caplog)


def test_a_jku_other_than_the_configured_set_is_refused(
    cds: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
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
    assert "jku" in refusal(call(cds, {"Authorization": f"Bearer {forged}"}), caplog)


def forged(*, header: dict[str, Any] | None = None, **times: dt.timedelta) -> str:
    """A token signed with the EHR's key, its header and iat/exp offsets chosen."""
    now = dt.datetime.now(dt.UTC)
    claims = {
        "iss": ISSUER,
        "aud": aud(PATIENT_VIEW),
        "iat": now + times.get("iat", dt.timedelta()),
        "exp": now + times.get("exp", dt.timedelta(minutes=5)),
        "jti": str(uuid.uuid4()),
    }
    return jwt.encode(
        claims, KEY, algorithm="RS384", headers=header or {"kid": "ehr-key-1"}
    )


def bearer(tok: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {tok}"}


def test_a_token_without_kid_is_refused(
    cds: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    answer = call(cds, bearer(forged(header={"typ": "JWT"})))
    assert "no kid" in refusal(answer, caplog)


def test_a_jku_on_the_issuers_host_is_followed(cds: TestClient, ehr: EhrServer) -> None:
    jku = f"{ehr.base}/keys/current.json"
    answer = call(cds, bearer(forged(header={"kid": "ehr-key-1", "jku": jku})))
    assert answer.status_code == 200, answer.text
    assert ("/keys/current.json", None) in ehr.data.requests


def test_a_jku_on_another_port_or_scheme_is_refused(
    cds: TestClient, ehr: EhrServer, caplog: pytest.LogCaptureFixture
) -> None:
    other = ehr.base.replace("http://", "https://")
    for jku in (f"{other}/jwks.json", "http://127.0.0.1:1/jwks.json"):
        tok = forged(header={"kid": "ehr-key-1", "jku": jku})
        assert "configured host" in refusal(call(cds, bearer(tok)), caplog)
    assert not [p for p, _ in ehr.data.requests if p.startswith("/keys/")]


def test_times_are_checked_with_the_configured_skew(
    cds: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    second = dt.timedelta(seconds=1)
    within = forged(iat=30 * second, exp=4 * 60 * second)  # a clock 30 s ahead
    assert call(cds, bearer(within)).status_code == 200
    late = forged(exp=-30 * second, iat=-4 * 60 * second)  # expired 30 s ago
    assert call(cds, bearer(late)).status_code == 200
    future = forged(iat=2 * 60 * second)
    assert "iat is in the future" in refusal(call(cds, bearer(future)), caplog)
    old = forged(iat=-10 * 60 * second, exp=60 * second)
    assert "more than five minutes ago" in refusal(call(cds, bearer(old)), caplog)
    gone = forged(iat=-4 * 60 * second, exp=-90 * second)
    assert "expired" in refusal(call(cds, bearer(gone)), caplog)
