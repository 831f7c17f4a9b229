"""Rules of the CDS Hooks 2.0 spec that the request shapes alone do not enforce (pure).

* The client JWT's header: ``kid`` is required (the spec: "kid: the identifier of the
  key pair used to sign this JWT"), ``alg`` asymmetric, and a ``jku`` may only point at
  the trusted issuer's configured host (same scheme, host and port as its JWK set URL)
  — never at a key set the token's author chose.
* Its times, read against the service's clock with a small skew (a setting): ``exp``
  not passed, ``iat`` not in the future, and a token at most five minutes old and
  valid for at most five minutes (the spec's recommended lifetime).
* Feedback: an ``accepted`` outcome must carry ``acceptedSuggestions``
  (:class:`UnprocessableFeedbackError`, answered 422).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from spinewise.errors import FieldProblem, InputError
from spinewise.interop.cds.hooks import FeedbackRequest

ALGORITHMS = ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512"]
MAX_LIFETIME = dt.timedelta(minutes=5)
DEFAULT_SKEW = dt.timedelta(seconds=60)


class CdsAuthError(Exception):
    """The hook request's JWT is missing or invalid; the message says why (for the
    log: the EHR is answered a bare 401)."""


class UnprocessableFeedbackError(InputError):
    """Well-formed feedback the spec does not allow (answered 422, naming fields)."""


def check_header(header: Mapping[str, Any]) -> str:
    """The token's ``kid``; ``CdsAuthError`` when it is missing or ``alg`` is not an
    asymmetric algorithm."""
    if header.get("alg") not in ALGORITHMS:
        raise CdsAuthError(f"JWT alg {header.get('alg')!r} is not allowed")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise CdsAuthError("JWT header has no kid (required by CDS Hooks 2.0)")
    return kid


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = -1
    return parts.scheme.lower(), (parts.hostname or "").lower(), port


def check_jku(jku: object, configured: str) -> str | None:
    """The JWK set URL a ``jku`` header names, if it is on the configured set's host
    (scheme, host and port); ``CdsAuthError`` for any other value."""
    if jku is None:
        return None
    if not isinstance(jku, str) or _origin(jku) != _origin(configured):
        raise CdsAuthError("JWT jku is not on the trusted issuer's configured host")
    return jku


def _moment(claims: Mapping[str, Any], name: str) -> dt.datetime:
    value = claims.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise CdsAuthError(f"JWT {name} must be a number (seconds since 1970)")
    return dt.datetime.fromtimestamp(value, tz=dt.UTC)


def check_times(
    claims: Mapping[str, Any], now: dt.datetime, skew: dt.timedelta = DEFAULT_SKEW
) -> dt.datetime:
    """Check ``exp``/``iat`` (and ``nbf`` if given) against ``now``; the expiry."""
    expires, issued = _moment(claims, "exp"), _moment(claims, "iat")
    if expires < now - skew:
        raise CdsAuthError("JWT expired")
    if issued > now + skew:
        raise CdsAuthError("JWT iat is in the future")
    if "nbf" in claims and _moment(claims, "nbf") > now + skew:
        raise CdsAuthError("JWT is not valid yet (nbf)")
    if issued < now - MAX_LIFETIME - skew:
        raise CdsAuthError("JWT iat is more than five minutes ago")
    if expires - now > MAX_LIFETIME + skew or expires - issued > MAX_LIFETIME + skew:
        raise CdsAuthError("JWT lifetime exceeds five minutes")
    return expires


def check_feedback(request: FeedbackRequest) -> None:
    """Refuse an ``accepted`` outcome without ``acceptedSuggestions`` (the spec makes
    them required for it) or with suggestions that name no ``id``."""
    problems = []
    for i, item in enumerate(request.feedback):
        field = f"feedback[{i}].acceptedSuggestions"
        if item.outcome == "accepted" and not item.acceptedSuggestions:
            problems.append(FieldProblem(field, "required for an accepted outcome"))
        for j, suggestion in enumerate(item.acceptedSuggestions):
            if not isinstance(suggestion.get("id"), str) or not suggestion["id"]:
                problems.append(FieldProblem(f"{field}[{j}].id", "required: a string"))
    if problems:
        raise UnprocessableFeedbackError(problems)
