"""The web tests' accounts, in a real database (the services sign them in).

Two clinics and four users, as the house style asks: a therapist (alice) and a
physician (bob) in clinic A, an outsider therapist (charlie) in clinic B, and an
admin (dana) in clinic A. Every account has ``PASSWORD``; ``token_of(name)`` is an
API token of that user, stored (as its hash) in the template database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from spinewise import services
from spinewise.services import Actor, Role
from spinewise.services.access.tokens import TOKEN_PREFIX, token_hash
from spinewise.store import open_store, upgrade, utc_now


@dataclass(frozen=True)
class Account:
    username: str
    display_name: str
    clinic: str
    role: Role


PASSWORD = "correct horse battery staple"
ACCOUNTS = {
    "alice": Account("alice", "Alice Therapist", "A", Role.THERAPIST),
    "bob": Account("bob", "Dr Bob Physician", "A", Role.PHYSICIAN),
    "charlie": Account("charlie", "Charlie Outsider", "B", Role.THERAPIST),
    "dana": Account("dana", "Dana Admin", "A", Role.ADMIN),
}


def token_of(name: str) -> str:
    return f"{TOKEN_PREFIX}test-{name}-0123456789abcdef0123456789"


def seed_accounts(path: Path) -> dict[str, int]:
    """A migrated SQLite database at ``path`` with the four accounts and their
    tokens; the user id of each name."""
    store = open_store(f"sqlite:///{path}")
    try:
        upgrade(store)
        ids: dict[str, int] = {}
        admins: dict[str, Actor] = {}
        for clinic, admin in (("A", "dana"), ("B", "admin-b")):
            account = ACCOUNTS.get(admin)
            services.create_clinic(
                store,
                name=f"Clinic {clinic}",
                admin_username=admin,
                admin_password=PASSWORD,
                admin_display_name=account.display_name if account else "Admin B",
            )
            actor = services.authenticate(
                store, admin, PASSWORD, services.Interface.CLI
            )
            assert actor is not None
            admins[clinic] = actor
            ids[admin] = actor.user_id
        for name, account in ACCOUNTS.items():
            if account.role is Role.ADMIN:
                continue
            user = services.create_user(
                store,
                admins[account.clinic],
                username=name,
                password=PASSWORD,
                role=account.role,
                display_name=account.display_name,
                temporary=False,
            )
            ids[name] = user.id
        with store.unit_of_work(write=True) as uow:
            for name in ACCOUNTS:
                uow.api_tokens.add(
                    user_id=ids[name],
                    token_hash=token_hash(token_of(name)),
                    label="test",
                    expires_at=utc_now() + dt.timedelta(days=3650),
                )
        return ids
    finally:
        store.dispose()
