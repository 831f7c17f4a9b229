"""The CDS Hooks client-authentication JWT: signature, ``iss``, ``aud``, ``exp``, ``jti``.

A CDS client signs a short-lived JWT (RS384/ES384 recommended by the spec) and sends
it as ``Authorization: Bearer``. The service checks the signature against the JWK set
the issuer publishes (fetched by the caller — this module does no I/O), that ``aud``
is the service's own URL, that it has not expired, and that its ``jti`` was not seen
before (replay).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import heapq
import json
import threading
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import jwt
from jwt import PyJWK, PyJWKSet

from spinewise.interop.cds.rules import (
    ALGORITHMS,
    DEFAULT_SKEW,
    MAX_LIFETIME,
    CdsAuthError,
    check_header,
    check_times,
)

LEEWAY = DEFAULT_SKEW
__all__ = [
    "ALGORITHMS",
    "LEEWAY",
    "MAX_LIFETIME",
    "CdsAuthError",
    "JtiCache",
    "key_set",
    "unverified_header",
    "unverified_issuer",
    "unverified_parts",
    "verify_hook_jwt",
]


class JtiClaims(Protocol):
    """The replay check: ``claim`` is True for the first use of a ``jti`` only.

    ``services.StoredJtis`` keeps the claims in the database (shared by every server
    process); ``JtiCache`` in one process's memory (tests, single-process tools).
    """

    def claim(self, jti: str, expires: dt.datetime, now: dt.datetime) -> bool: ...


class JtiCache:
    """Remembers each ``jti`` until its token expires, so a replay is refused.

    Expired entries leave in expiry order (a heap), so a claim costs O(log n) however
    many tokens arrived in the last five minutes. One process's memory: with several
    server processes a replay to another process is not seen (``spinewise serve`` runs
    one).
    """

    def __init__(self) -> None:
        self._seen: dict[str, dt.datetime] = {}
        self._expiry: list[tuple[dt.datetime, str]] = []
        self._lock = threading.Lock()

    def claim(self, jti: str, expires: dt.datetime, now: dt.datetime) -> bool:
        """Record ``jti``; False when it was already used by an unexpired token."""
        with self._lock:
            while self._expiry and self._expiry[0][0] <= now:
                _, old = heapq.heappop(self._expiry)
                if self._seen.get(old, now) <= now:
                    self._seen.pop(old, None)
            if jti in self._seen:
                return False
            self._seen[jti] = expires
            heapq.heappush(self._expiry, (expires, jti))
            return True


def _segment(part: str, name: str) -> dict[str, Any]:
    try:
        data = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (ValueError, binascii.Error):
        raise CdsAuthError(f"malformed JWT: its {name} is not base64url JSON") from None
    if not isinstance(data, dict):
        raise CdsAuthError(f"malformed JWT: its {name} is not a JSON object")
    return data


def unverified_parts(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The JWT's header and claims read without verification (to choose the issuer's
    key set and key); ``verify_hook_jwt`` then checks everything strictly."""
    parts = token.split(".")
    if len(parts) != 3:
        raise CdsAuthError("malformed JWT: expected header.payload.signature")
    return _segment(parts[0], "header"), _segment(parts[1], "payload")


def unverified_issuer(token: str) -> str:
    """The ``iss`` claim read without verification, to choose the JWK set to fetch."""
    issuer = unverified_parts(token)[1].get("iss")
    if not isinstance(issuer, str):
        raise CdsAuthError("JWT has no iss claim")
    return issuer


def unverified_header(token: str) -> dict[str, Any]:
    """The JWT's header (``alg``, ``kid``, ``jku``) read without verification."""
    return unverified_parts(token)[0]


def key_set(jwks: Mapping[str, Any]) -> PyJWKSet:
    """Parse a JWK set once (keep it: parsing costs more than verifying)."""
    try:
        return PyJWKSet.from_dict(dict(jwks))
    except jwt.PyJWTError as exc:
        raise CdsAuthError(f"unusable JWK set: {exc}") from None


def _key_for(header: dict[str, Any], keys: PyJWKSet) -> PyJWK:
    kid = check_header(header)
    matching = [k for k in keys.keys if k.key_id == kid]
    if not matching:
        raise CdsAuthError(f"no key with kid {kid!r} in the issuer's JWK set")
    return matching[0]


def verify_hook_jwt(
    token: str,
    jwks: Mapping[str, Any] | PyJWKSet,
    *,
    audience: str | Sequence[str],
    issuer: str,
    jti_cache: JtiClaims,
    now: dt.datetime,
    header: dict[str, Any] | None = None,
    skew: dt.timedelta = LEEWAY,
) -> dict[str, Any]:
    """Verify ``token``; return its claims or raise ``CdsAuthError`` saying why.

    ``jwks`` is the issuer's JWK set, parsed (``key_set``) or as JSON; ``aud`` must
    name ``audience`` (or one of them). ``header``: the token's header if already read.
    The times are checked against ``now`` with ``skew`` (``cds_rules.check_times``).
    """
    keys = jwks if isinstance(jwks, PyJWKSet) else key_set(jwks)
    key = _key_for(header or unverified_header(token), keys)
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key=key,
            algorithms=ALGORITHMS,
            audience=audience,
            issuer=issuer,
            options={
                "require": ["iss", "aud", "exp", "iat", "jti"],
                "verify_exp": False,  # checked against ``now``: check_times
                "verify_iat": False,
                "verify_nbf": False,
            },
        )
    except jwt.ExpiredSignatureError:
        raise CdsAuthError("JWT expired") from None
    except jwt.InvalidAudienceError:
        named = audience if isinstance(audience, str) else " or ".join(audience)
        raise CdsAuthError(f"JWT aud is not this service ({named})") from None
    except jwt.InvalidIssuerError:
        raise CdsAuthError("JWT iss is not the expected issuer") from None
    except jwt.InvalidSignatureError:
        raise CdsAuthError("JWT signature does not match the issuer's key") from None
    except jwt.PyJWTError as exc:
        raise CdsAuthError(f"invalid JWT: {exc}") from None
    expires = check_times(claims, now, skew)
    if not jti_cache.claim(str(claims["jti"]), expires + LEEWAY, now):
        raise CdsAuthError("JWT jti already used (replay)")
    return claims
