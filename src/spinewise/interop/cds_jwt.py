"""The CDS Hooks client-authentication JWT: signature, ``iss``, ``aud``, ``exp``, ``jti``.

A CDS client signs a short-lived JWT (RS384/ES384 recommended by the spec) and sends
it as ``Authorization: Bearer``. The service checks the signature against the JWK set
the issuer publishes (fetched by the caller — this module does no I/O), that ``aud``
is the service's own URL, that it has not expired, and that its ``jti`` was not seen
before (replay).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Mapping
from typing import Any

import jwt
from jwt import PyJWK, PyJWKSet

ALGORITHMS = ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512"]
MAX_LIFETIME = dt.timedelta(minutes=5)


class CdsAuthError(Exception):
    """The hook request's JWT is missing or invalid; the message says why."""


class JtiCache:
    """Remembers each ``jti`` until its token expires, so a replay is refused."""

    def __init__(self) -> None:
        self._seen: dict[str, dt.datetime] = {}
        self._lock = threading.Lock()

    def claim(self, jti: str, expires: dt.datetime, now: dt.datetime) -> bool:
        """Record ``jti``; False when it was already used by an unexpired token."""
        with self._lock:
            self._seen = {k: v for k, v in self._seen.items() if v > now}
            if jti in self._seen:
                return False
            self._seen[jti] = expires
            return True


def unverified_issuer(token: str) -> str:
    """The ``iss`` claim read without verification, to choose the JWK set to fetch."""
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        raise CdsAuthError(f"malformed JWT: {exc}") from None
    issuer = claims.get("iss")
    if not isinstance(issuer, str):
        raise CdsAuthError("JWT has no iss claim")
    return issuer


def _key_for(token: str, jwks: Mapping[str, Any]) -> PyJWK:
    try:
        header = jwt.get_unverified_header(token)
        keys = PyJWKSet.from_json(json.dumps(jwks)).keys
    except jwt.PyJWTError as exc:
        raise CdsAuthError(f"unusable JWT or JWK set: {exc}") from None
    kid = header.get("kid")
    matching = [k for k in keys if kid is None or k.key_id == kid]
    if not matching:
        raise CdsAuthError(f"no key with kid {kid!r} in the issuer's JWK set")
    return matching[0]


def verify_hook_jwt(
    token: str,
    jwks: Mapping[str, Any],
    *,
    audience: str,
    issuer: str,
    jti_cache: JtiCache,
    now: dt.datetime,
) -> dict[str, Any]:
    """Verify ``token``; return its claims or raise ``CdsAuthError`` saying why."""
    key = _key_for(token, jwks)
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key=key.key,
            algorithms=ALGORITHMS,
            audience=audience,
            issuer=issuer,
            options={"require": ["iss", "aud", "exp", "jti"]},
            leeway=dt.timedelta(seconds=30),
        )
    except jwt.ExpiredSignatureError:
        raise CdsAuthError("JWT expired") from None
    except jwt.InvalidAudienceError:
        raise CdsAuthError(f"JWT aud is not this service ({audience})") from None
    except jwt.InvalidIssuerError:
        raise CdsAuthError("JWT iss is not the expected issuer") from None
    except jwt.InvalidSignatureError:
        raise CdsAuthError("JWT signature does not match the issuer's key") from None
    except jwt.PyJWTError as exc:
        raise CdsAuthError(f"invalid JWT: {exc}") from None
    expires = dt.datetime.fromtimestamp(int(claims["exp"]), tz=dt.UTC)
    if expires - now > MAX_LIFETIME + dt.timedelta(seconds=30):
        raise CdsAuthError("JWT lifetime exceeds five minutes")
    if not jti_cache.claim(str(claims["jti"]), expires, now):
        raise CdsAuthError("JWT jti already used (replay)")
    return claims
