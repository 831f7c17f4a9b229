"""Outbound HTTP to the EHR (a real local server) and the JWK-set cache of issuers."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from tests.interop.cds_keys import jwks_of, new_key
from tests.interop.fhir_server import ACCESS_TOKEN, patient_json, running_ehr

from spinewise.interop import CdsAuthError
from spinewise.services import EhrHttp, EhrUnavailableError, TrustedIssuers

KEY = new_key()


def test_a_fhir_read_carries_the_access_token() -> None:
    with running_ehr() as ehr:
        ehr.data.patients["p1"] = patient_json("p1")
        http = EhrHttp()
        assert http.fhir_get(ehr.fhir_url, "Patient/p1", ACCESS_TOKEN)["id"] == "p1"
        assert ehr.fhir_requests() == [("/fhir/Patient/p1", f"Bearer {ACCESS_TOKEN}")]
        http.close()


@pytest.mark.parametrize(
    ("path", "token", "reason"),
    [
        ("Patient/p1", "wrong", "refused the access token (HTTP 401)"),
        ("Patient/none", ACCESS_TOKEN, "not found (HTTP 404)"),
    ],
)
def test_a_refused_or_missing_resource_says_why(
    path: str, token: str, reason: str
) -> None:
    with running_ehr() as ehr:
        ehr.data.patients["p1"] = patient_json("p1")
        with pytest.raises(EhrUnavailableError, match=re.escape(reason)):
            EhrHttp().fhir_get(ehr.fhir_url, path, token)


def test_an_unreachable_server_or_an_oversized_answer_is_unavailable() -> None:
    with running_ehr() as ehr:
        gone = ehr.fhir_url
        ehr.data.patients["p1"] = patient_json("p1")
        with pytest.raises(EhrUnavailableError, match="over 100 bytes"):
            EhrHttp(max_bytes=100).fhir_get(ehr.fhir_url, "Patient/p1", ACCESS_TOKEN)
    with pytest.raises(EhrUnavailableError, match="ConnectError"):
        EhrHttp(timeout=1).fhir_get(gone, "Patient/p1", ACCESS_TOKEN)


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 24, 12, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


class Jwks:
    """A JWK set source that counts its fetches."""

    def __init__(self, jwks: dict[str, Any]) -> None:
        self.jwks = jwks
        self.fetched = 0

    def __call__(self, url: str) -> dict[str, Any]:
        self.fetched += 1
        return self.jwks


def test_key_sets_are_cached_until_stale() -> None:
    clock, source = Clock(), Jwks(jwks_of(KEY))
    issuers = TrustedIssuers({"iss": "https://ehr/jwks"}, source, clock=clock)
    issuers.keys("iss", kid="ehr-key-1")
    issuers.keys("iss", kid="ehr-key-1")
    assert source.fetched == 1
    clock.now += dt.timedelta(minutes=11)
    issuers.keys("iss", kid="ehr-key-1")
    assert source.fetched == 2


def test_unknown_key_ids_refetch_at_most_twice_a_minute() -> None:
    clock, source = Clock(), Jwks(jwks_of(KEY))
    issuers = TrustedIssuers({"iss": "https://ehr/jwks"}, source, clock=clock)
    issuers.keys("iss")
    for _ in range(5):
        issuers.keys("iss", kid="unknown")
    assert source.fetched == 2
    clock.now += dt.timedelta(seconds=31)
    issuers.keys("iss", kid="unknown")
    assert source.fetched == 3


def test_an_untrusted_issuer_is_refused_without_a_fetch() -> None:
    source = Jwks(jwks_of(KEY))
    issuers = TrustedIssuers({"iss": "https://ehr/jwks"}, source)
    with pytest.raises(CdsAuthError, match="not a trusted EHR"):
        issuers.keys("https://rogue")
    assert source.fetched == 0
