"""TOTP seeds encrypted at rest (AES-256-GCM), each bound to its user's row.

A seed is stored as ``v1:<key id>:<base64url(nonce + ciphertext + tag)>``. The key
is derived with HKDF-SHA256 (its own info label) from ``SPINEWISE_TOTP_KEY`` when
set, else from the instance secret (``SPINEWISE_SECRET_KEY`` in production; in
development the database's own secret, which protects nothing against a stolen
copy of that database). The associated data names the column and the user id, so a
ciphertext copied onto another user's row does not open. The key id is derived
from the same secret under another label: a seed sealed under another key is told
apart as ``wrong_key`` before any decryption, never mistaken for a wrong code.

Seeds written before encryption (plain base32) still open, as ``plain``, so the
caller can encrypt them (``services.access.totp_keys``). Anything else is
``malformed``. Whatever does not open is refused: never "no second factor".
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
from dataclasses import dataclass, field
from enum import StrEnum

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from spinewise.config import Settings
from spinewise.services.access.instance_secret import instance_secret
from spinewise.store import Store

VERSION = "v1"
KEY_LABEL = b"spinewise totp seed key v1"
KEY_ID_LABEL = b"spinewise totp seed key id v1"
NONCE_BYTES = 12
_PLAIN = re.compile(r"[A-Z2-7]{16,64}=*")


class SeedProblem(StrEnum):
    """Why a stored seed does not open (the codes go to the audit trail)."""

    WRONG_KEY = "wrong_key"
    NOT_THIS_ROW = "not_this_row"
    MALFORMED = "malformed"


def _hkdf(secret: str, label: bytes, length: int) -> bytes:
    kdf = HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=label)
    return kdf.derive(secret.encode("utf-8"))


@dataclass(frozen=True)
class SeedKey:
    """An AES-256-GCM key for TOTP seeds and its public id (``key_id``)."""

    key_id: str
    key: bytes = field(repr=False)

    @classmethod
    def derive(cls, secret: str) -> SeedKey:
        """The key (and its id) an operator's secret stands for."""
        key_id = _hkdf(secret, KEY_ID_LABEL, 6).hex()
        return cls(key_id=key_id, key=_hkdf(secret, KEY_LABEL, 32))


@dataclass(frozen=True)
class OpenedSeed:
    """A stored seed read back: ``seed`` (None when it did not open) and why not,
    or whether it was still plain text or under another key that opened it."""

    seed: str | None
    problem: SeedProblem | None = None
    plain: bool = False
    key_id: str | None = None


def _associated(user_id: int) -> bytes:
    return f"spinewise:users.totp_secret:{user_id}".encode("ascii")


def is_sealed(stored: str) -> bool:
    """Whether ``stored`` is in the encrypted form (of any key)."""
    return stored.startswith(VERSION + ":")


def sealed_under(stored: str, key: SeedKey) -> bool:
    """Whether ``stored`` is in the encrypted form under ``key``."""
    return stored.startswith(f"{VERSION}:{key.key_id}:")


def seal_seed(key: SeedKey, user_id: int, seed: str) -> str:
    """The stored form of ``seed`` for the row of ``user_id``."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = AESGCM(key.key).encrypt(nonce, seed.encode("ascii"), _associated(user_id))
    body = base64.urlsafe_b64encode(nonce + sealed).decode("ascii")
    return f"{VERSION}:{key.key_id}:{body}"


def _decrypt(key: SeedKey, user_id: int, body: str) -> OpenedSeed:
    try:
        raw = base64.urlsafe_b64decode(body.encode("ascii"))
    except (binascii.Error, UnicodeEncodeError):
        return OpenedSeed(None, SeedProblem.MALFORMED)
    if len(raw) <= NONCE_BYTES + 16:
        return OpenedSeed(None, SeedProblem.MALFORMED)
    nonce, sealed = raw[:NONCE_BYTES], raw[NONCE_BYTES:]
    try:
        seed = AESGCM(key.key).decrypt(nonce, sealed, _associated(user_id))
    except InvalidTag:
        return OpenedSeed(None, SeedProblem.NOT_THIS_ROW)
    return OpenedSeed(seed.decode("ascii"), key_id=key.key_id)


def open_seed(keys: tuple[SeedKey, ...], user_id: int, stored: str) -> OpenedSeed:
    """Read the seed stored in the row of ``user_id`` with the first of ``keys``
    whose id it names (a plain seed opens as ``plain``)."""
    if not is_sealed(stored):
        if _PLAIN.fullmatch(stored):
            return OpenedSeed(stored, plain=True)
        return OpenedSeed(None, SeedProblem.MALFORMED)
    parts = stored.split(":")
    if len(parts) != 3:
        return OpenedSeed(None, SeedProblem.MALFORMED)
    for key in keys:
        if key.key_id == parts[1]:
            return _decrypt(key, user_id, parts[2])
    return OpenedSeed(None, SeedProblem.WRONG_KEY)


def totp_key(store: Store, settings: Settings) -> SeedKey:
    """The key seeds are sealed with: from ``SPINEWISE_TOTP_KEY``, else from the
    instance secret (the operator's in production, the database's in development)."""
    secret = settings.totp_key or instance_secret(store, settings)
    return SeedKey.derive(secret)
