"""An in-memory ``Authenticator`` for the web tests (the services provide the real one).

Two clinics and three actors, as the house style asks: a therapist and a physician in
clinic A, an outsider (therapist) in clinic B, and an admin in clinic A.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass


@dataclass(frozen=True)
class Account:
    user_id: str
    username: str
    display_name: str
    clinic_id: str
    role: str


PASSWORD = "correct horse battery staple"
ACCOUNTS = {
    "alice": Account("u-alice", "alice", "Alice Therapist", "clinic-a", "therapist"),
    "bob": Account("u-bob", "bob", "Dr Bob Physician", "clinic-a", "physician"),
    "charlie": Account(
        "u-charlie", "charlie", "Charlie Outsider", "clinic-b", "therapist"
    ),
    "dana": Account("u-dana", "dana", "Dana Admin", "clinic-a", "admin"),
}
TOKENS = {
    f"token-{name}-0123456789abcdef": account for name, account in ACCOUNTS.items()
}


def token_of(name: str) -> str:
    return f"token-{name}-0123456789abcdef"


class MemoryAuthenticator:
    """Every account has ``PASSWORD``; tokens are ``token_of(name)``."""

    def __init__(self) -> None:
        self.by_id = {a.user_id: a for a in ACCOUNTS.values()}
        self.disabled: set[str] = set()

    def verify_password(self, username: str, password: str) -> Account | None:
        account = ACCOUNTS.get(username)
        if account is None or account.user_id in self.disabled:
            return None
        return account if secrets.compare_digest(password, PASSWORD) else None

    def verify_token(self, token: str) -> Account | None:
        account = TOKENS.get(token)
        return None if account is None or account.user_id in self.disabled else account

    def load_user(self, user_id: str) -> Account | None:
        return None if user_id in self.disabled else self.by_id.get(user_id)
