"""The hook JWT is accepted when right and refused in each bad way."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.interop.cds_keys import ISSUER, jwks_of, new_key, token

from spinewise.interop.cds.jwt import (
    CdsAuthError,
    JtiCache,
    unverified_issuer,
    verify_hook_jwt,
)

AUD = "http://127.0.0.1:8000/cds-services/spinewise-patient-view"
KEY = new_key()
JWKS = jwks_of(KEY)


def verify(tok: str, cache: JtiCache | None = None, jwks: dict | None = None) -> dict:
    return verify_hook_jwt(
        tok,
        jwks or JWKS,
        audience=AUD,
        issuer=ISSUER,
        jti_cache=cache or JtiCache(),
        now=dt.datetime.now(dt.UTC),
    )


def test_a_well_signed_token_is_accepted() -> None:
    claims = verify(token(KEY, AUD))
    assert claims["iss"] == ISSUER


def test_issuer_is_read_before_verification_to_choose_the_key_set() -> None:
    assert unverified_issuer(token(KEY, AUD)) == ISSUER


def test_a_token_signed_with_another_key_is_refused() -> None:
    with pytest.raises(CdsAuthError, match="signature"):
        verify(token(new_key(), AUD))


def test_an_expired_token_is_refused() -> None:
    with pytest.raises(CdsAuthError, match="expired"):
        verify(token(KEY, AUD, lifetime=dt.timedelta(minutes=-2)))


def test_a_token_for_another_service_is_refused() -> None:
    with pytest.raises(CdsAuthError, match="aud"):
        verify(token(KEY, "https://elsewhere.test/cds-services/x"))


def test_a_token_from_another_issuer_is_refused() -> None:
    with pytest.raises(CdsAuthError, match="iss"):
        verify(token(KEY, AUD, issuer="https://rogue.test"))


def test_a_replayed_jti_is_refused() -> None:
    cache = JtiCache()
    tok = token(KEY, AUD, jti="once")
    verify(tok, cache)
    with pytest.raises(CdsAuthError, match="replay"):
        verify(tok, cache)


def test_a_long_lived_token_is_refused() -> None:
    with pytest.raises(CdsAuthError, match="five minutes"):
        verify(token(KEY, AUD, lifetime=dt.timedelta(hours=1)))


def test_an_unknown_kid_is_refused() -> None:
    with pytest.raises(CdsAuthError, match="kid"):
        verify(token(KEY, AUD, kid="other"))


def test_garbage_is_refused_with_a_reason() -> None:
    with pytest.raises(CdsAuthError, match="malformed"):
        unverified_issuer("not-a-jwt")
