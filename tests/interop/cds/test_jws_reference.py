"""The hook JWT check (``interop.cds.jws``) accepts exactly the tokens PyJWT's
``jwt.decode`` accepted with the service's options (the reference), over well-formed,
forged and malformed tokens; a ``crit`` header is refused by both or by ours alone."""

from __future__ import annotations

import base64
import datetime as dt
import hmac
import json
import uuid
from collections.abc import Callable
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm
from tests.interop.cds_keys import ISSUER, KID, jwks_of, new_key

from spinewise.interop.cds.jwt import (
    CdsAuthError,
    JtiCache,
    _key_for,
    key_set,
    unverified_header,
    verify_hook_jwt,
)
from spinewise.interop.cds.rules import ALGORITHMS, check_times

AUD = "http://127.0.0.1:8000/cds-services/spinewise-patient-view"
RSA = new_key()
EC = ec.generate_private_key(ec.SECP256R1())
KEYS = key_set(
    {
        "keys": [
            *jwks_of(RSA)["keys"],
            {**json.loads(ECAlgorithm.to_jwk(EC.public_key())), "kid": "ec"},
        ]
    }
)
NOW = dt.datetime.now(dt.UTC)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def claims(**changes: Any) -> dict[str, Any]:
    found = {
        "iss": ISSUER,
        "sub": "client-1",
        "aud": AUD,
        "iat": int(NOW.timestamp()),
        "exp": int(NOW.timestamp()) + 240,
        "jti": str(uuid.uuid4()),
    }
    found.update(changes)
    return {k: v for k, v in found.items() if v is not ...}


def signed(payload: dict[str, Any] | None = None, **header: Any) -> str:
    alg = header.get("alg", "RS384")
    key = EC if alg.startswith("ES") else RSA
    head = {"kid": KID if key is RSA else "ec", **header}
    body = json.dumps(payload or claims()).encode()
    return jwt.PyJWS().encode(body, key, algorithm=alg, headers=head)


def raw(header: object, payload: object, signature: bytes = b"x") -> str:
    parts = [json.dumps(header).encode(), json.dumps(payload).encode(), signature]
    return ".".join(b64(p) for p in parts)


def resigned(token: str, change: Callable[[str], str]) -> str:
    head, body, sig = token.split(".")
    return ".".join(change(part) for part in (head, body, sig))


def hs256_with_the_public_key() -> str:
    """Algorithm confusion: an HMAC keyed with the issuer's public key."""
    signing = ".".join(
        b64(json.dumps(part).encode())
        for part in ({"alg": "HS256", "kid": KID}, claims())
    )
    digest = hmac.new(PEM, signing.encode(), "sha256").digest()
    return f"{signing}.{b64(digest)}"


PEM = RSA.public_key().public_bytes(
    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
)
GOOD = signed()
TOKENS: dict[str, str] = {
    "well signed RS384": GOOD,
    "well signed ES256": signed(alg="ES256"),
    "another key": jwt.encode(claims(), new_key(), "RS384", headers={"kid": KID}),
    "RS256 with the RS384 key": signed(alg="RS256"),
    "alg none": raw({"alg": "none", "kid": KID}, claims(), b""),
    "HS256 keyed with the public key": hs256_with_the_public_key(),
    "aud a list naming us": signed(claims(aud=["https://x.test", AUD])),
    "aud a list not naming us": signed(claims(aud=["https://x.test"])),
    "aud a list with a number": signed(claims(aud=[AUD, 3])),
    "aud a number": signed(claims(aud=3)),
    "aud empty": signed(claims(aud="")),
    "aud an empty list": signed(claims(aud=[])),
    "iss another": signed(claims(iss="https://rogue.test")),
    "iss a number": signed(claims(iss=7)),
    "sub a number": signed(claims(sub=7)),
    "jti a number": signed(claims(jti=7)),
    "jti null": signed(claims(jti=None)),
    "kid a number": raw({"alg": "RS384", "kid": 5}, claims()),
    "header a list": raw(["RS384"], claims()),
    "payload a list": ".".join([GOOD.split(".")[0], b64(b"[1]"), GOOD.split(".")[2]]),
    "two segments": ".".join(GOOD.split(".")[:2]),
    "four segments": GOOD + ".e30",
    "junk in the signature": GOOD[:-2] + "!!",
    "a dot inside": GOOD.replace(".", "..", 1),
    "padded signature": resigned(
        GOOD, lambda p: p + "=" * (-len(p) % 4) if p == GOOD.split(".")[2] else p
    ),
    "over-padded signature": GOOD + "===",
    "non-canonical signature end": GOOD[:-1] + chr(ord(GOOD[-1]) ^ 1),
    "non-ASCII": GOOD[:-1] + "é",
    "crit b64 true": signed(crit=["b64"], b64=True),
}
for name in ("iss", "aud", "exp", "iat", "jti"):
    TOKENS[f"no {name}"] = signed(claims(**{name: ...}))


def reference(token: str) -> dict[str, Any]:
    """The check as it was: the kid's key, then ``jwt.decode``, then the times."""
    key = _key_for(unverified_header(token), KEYS)
    found: dict[str, Any] = jwt.decode(
        token,
        key=key,
        algorithms=ALGORITHMS,
        audience=[AUD],
        issuer=ISSUER,
        options={
            "require": ["iss", "aud", "exp", "iat", "jti"],
            "verify_exp": False,
            "verify_iat": False,
            "verify_nbf": False,
        },
    )
    check_times(found, NOW)
    return found


def outcome(check: Callable[[str], dict[str, Any]], token: str) -> object:
    try:
        return check(token)
    except (CdsAuthError, jwt.PyJWTError):
        return "refused"


def ours(token: str) -> dict[str, Any]:
    return verify_hook_jwt(
        token, KEYS, audience=[AUD], issuer=ISSUER, jti_cache=JtiCache(), now=NOW
    )


@pytest.mark.parametrize("name", sorted(TOKENS))
def test_a_token_is_accepted_as_pyjwt_accepted_it(name: str) -> None:
    token = TOKENS[name]
    expected = outcome(reference, token)
    if name.startswith("crit"):
        expected = "refused"  # no JWS extension is understood (jws.py)
    assert outcome(ours, token) == expected


def test_the_well_signed_tokens_are_accepted() -> None:
    assert outcome(ours, TOKENS["well signed RS384"]) != "refused"
    assert outcome(ours, TOKENS["well signed ES256"]) != "refused"
    assert outcome(ours, TOKENS["aud a list naming us"]) != "refused"
