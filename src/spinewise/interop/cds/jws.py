"""The hook JWT's signature and registered claims, checked without PyJWT's per-call
overhead (pure; issue 19).

``jwt.decode`` checks each base64url character of the token in a Python loop (~0.1
ms of a ~0.15 ms check for a 2048-bit RS384 token); here the same checks run in C
(a regular expression, ``base64``) and the signature is verified by the key's own
PyJWT algorithm (``PyJWK.Algorithm.verify``: the cryptography library). What is
checked is PyJWT's ``decode`` with the options ``verify_hook_jwt`` passed it, and a
little more (tests/interop/cds/test_jws_reference.py holds both to the same tokens):

* three segments, each canonical base64url (padding as PyJWT allows it), the header
  and payload JSON objects;
* ``alg`` one of ``ALGORITHMS`` and exactly the key's algorithm (the ``kid``'s key);
  no ``crit`` header (no extension is understood: RFC 7515 4.1.11; PyJWT would accept
  ``b64``, never sent by a CDS client);
* the signature over ``header.payload`` by that key;
* ``iss``, ``aud``, ``exp``, ``iat`` and ``jti`` present (not null); ``iss`` the issuer;
  ``aud`` a string or a list of strings naming one of the audiences; ``sub`` and
  ``jti``, when present, strings. The times are ``rules.check_times``'.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from jwt import PyJWK

from spinewise.interop.cds.rules import ALGORITHMS, CdsAuthError

REQUIRED = ("iss", "aud", "exp", "iat", "jti")
_ALPHABET = re.compile(r"[A-Za-z0-9_-]*")


def _decoded(segment: str, name: str) -> bytes:
    stripped = segment.rstrip("=")
    padding = len(segment) - len(stripped)
    if (
        padding > 2
        or (padding and len(segment) % 4)
        or len(stripped) % 4 == 1
        or not _ALPHABET.fullmatch(stripped)
    ):
        raise CdsAuthError(f"malformed JWT: its {name} is not base64url")
    try:
        data = base64.urlsafe_b64decode(stripped + "=" * (-len(stripped) % 4))
    except (ValueError, binascii.Error):  # pragma: no cover - the pattern held
        raise CdsAuthError(f"malformed JWT: its {name} is not base64url") from None
    if base64.urlsafe_b64encode(data).rstrip(b"=") != stripped.encode("ascii"):
        raise CdsAuthError(f"malformed JWT: its {name} is not canonical base64url")
    return data


def _object(data: bytes, name: str) -> dict[str, Any]:
    try:
        found = json.loads(data)
    except (ValueError, RecursionError):
        raise CdsAuthError(f"malformed JWT: its {name} is not JSON") from None
    if not isinstance(found, dict):
        raise CdsAuthError(f"malformed JWT: its {name} is not a JSON object")
    return found


def checked_signature(token: str, key: PyJWK) -> tuple[dict[str, Any], dict[str, Any]]:
    """The header and claims of ``token`` once its signature by ``key`` holds."""
    parts = token.split(".")
    if len(parts) != 3:
        raise CdsAuthError("malformed JWT: expected header.payload.signature")
    header = _object(_decoded(parts[0], "header"), "header")
    claims = _object(_decoded(parts[1], "payload"), "payload")
    signature = _decoded(parts[2], "signature")
    if "crit" in header:
        raise CdsAuthError("JWT crit header: no extension is supported")
    alg = header.get("alg")
    if alg not in ALGORITHMS or alg != key.algorithm_name:
        raise CdsAuthError(f"JWT alg {alg!r} is not the key's ({key.algorithm_name})")
    if "kid" in header and not isinstance(header["kid"], str):
        raise CdsAuthError("JWT kid must be a string")
    algorithm = key.Algorithm
    signed = f"{parts[0]}.{parts[1]}".encode("ascii")
    if not algorithm.verify(signed, algorithm.prepare_key(key.key), signature):
        raise CdsAuthError("JWT signature does not match the issuer's key")
    return header, claims


def check_claims(
    claims: Mapping[str, Any], audience: str | Sequence[str], issuer: str
) -> None:
    """The registered claims as ``jwt.decode`` checks them with our options."""
    for name in REQUIRED:
        if claims.get(name) is None:
            raise CdsAuthError(f'invalid JWT: Token is missing the "{name}" claim')
    if claims["iss"] != issuer:
        raise CdsAuthError("JWT iss is not the expected issuer")
    named = claims["aud"]
    named = [named] if isinstance(named, str) else named
    if not isinstance(named, list) or not all(isinstance(a, str) for a in named):
        raise CdsAuthError("invalid JWT: aud is not a string or a list of strings")
    wanted = [audience] if isinstance(audience, str) else list(audience)
    if not any(a in named for a in wanted):
        raise CdsAuthError(f"JWT aud is not this service ({' or '.join(wanted)})")
    if "sub" in claims and not isinstance(claims["sub"], str):
        raise CdsAuthError("invalid JWT: sub must be a string")
    if not isinstance(claims["jti"], str):
        raise CdsAuthError("invalid JWT: jti must be a string")
