"""Signing keys and tokens of a test EHR (a CDS client), made fresh per test run."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

ISSUER = "https://ehr.example.test"
KID = "ehr-key-1"


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def jwks_of(key: rsa.RSAPrivateKey, kid: str = KID) -> dict[str, Any]:
    public = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    return {"keys": [{**public, "kid": kid, "alg": "RS384", "use": "sig"}]}


def token(
    key: rsa.RSAPrivateKey,
    audience: str,
    *,
    issuer: str = ISSUER,
    lifetime: dt.timedelta = dt.timedelta(minutes=5),
    jti: str | None = None,
    kid: str = KID,
) -> str:
    now = dt.datetime.now(dt.UTC)
    claims = {
        "iss": issuer,
        "sub": "client-1",
        "aud": audience,
        "iat": now,
        "exp": now + lifetime,
        "jti": jti or str(uuid.uuid4()),
    }
    return jwt.encode(
        claims, key, algorithm="RS384", headers={"kid": kid, "typ": "JWT"}
    )
