"""Who is asking: the identity the web layer works with and the seam that checks it.

The web layer never stores passwords or tokens. It asks an ``Authenticator`` (injected
into ``create_app``) to verify a username and password, an API token, or the user id
kept in the signed session cookie. The services provide the real implementation
(argon2 hashes in the store); tests pass an in-memory one.
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

ROLES = ("therapist", "physician", "admin")


class AuthenticationRequiredError(Exception):
    """No valid session or API token: 401 for the API, the login page for pages."""


class Identity(Protocol):
    """A signed-in user as the web layer sees it (any object with these attributes)."""

    @property
    def user_id(self) -> str: ...

    @property
    def username(self) -> str: ...

    @property
    def display_name(self) -> str: ...

    @property
    def clinic_id(self) -> str: ...

    @property
    def role(self) -> str:
        """One of ``ROLES``; the services enforce what each role may do."""
        ...


class Authenticator(Protocol):
    """Verifies credentials. Methods are synchronous and called from a worker thread.

    ``verify_token`` runs on every API request, so it must be cheap: look up a digest
    of a long random token, never an argon2 hash.
    """

    def verify_password(self, username: str, password: str) -> Identity | None:
        """The user these credentials belong to, or None (never say which part failed)."""
        ...

    def verify_token(self, token: str) -> Identity | None:
        """The user an API token belongs to, or None for an unknown or revoked token."""
        ...

    def load_user(self, user_id: str) -> Identity | None:
        """The user behind a session, or None when it no longer exists or is disabled."""
        ...


class NoAccounts:
    """An ``Authenticator`` that knows nobody: the app serves only public pages."""

    def verify_password(self, username: str, password: str) -> Identity | None:
        return None

    def verify_token(self, token: str) -> Identity | None:
        return None

    def load_user(self, user_id: str) -> Identity | None:
        return None


class TokenCache:
    """API tokens verified in the last ``ttl`` seconds, keyed by their SHA-256.

    The API's hot path then skips the authenticator (and its worker thread): a
    revoked token stops working within ``ttl`` seconds; the services re-check the
    user on every call they serve anyway. Used from the event loop only.
    """

    def __init__(
        self,
        ttl: float = 10.0,
        *,
        max_entries: int = 1024,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self._max = max_entries
        self._clock = clock
        self._entries: OrderedDict[bytes, tuple[float, Identity]] = OrderedDict()

    @staticmethod
    def _key(token: str) -> bytes:
        return hashlib.sha256(token.encode()).digest()

    def get(self, token: str) -> Identity | None:
        key = self._key(token)
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry[0] <= self._clock():
            del self._entries[key]
            return None
        return entry[1]

    def clear(self) -> None:
        """Forget every token (e.g. after revoking one)."""
        self._entries.clear()

    def put(self, token: str, identity: Identity) -> None:
        key = self._key(token)
        self._entries[key] = (self._clock() + self.ttl, identity)
        self._entries.move_to_end(key)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)
