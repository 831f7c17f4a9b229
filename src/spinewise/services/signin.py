"""Signing in for the web app: an object with the web layer's ``Authenticator`` shape.

``create_app(settings, authenticator=StoreAuthenticator(store))``. Each method returns
a ``SignedInUser`` (string ids, display name, role) carrying the services' ``Actor``
for the right interface: ``web`` for password and session sign-ins, ``api`` for tokens.
"""

from __future__ import annotations

from dataclasses import dataclass

from spinewise.services.accounts import actor_of, authenticate, verify_api_token
from spinewise.services.actors import Actor, Interface
from spinewise.store import Store


@dataclass(frozen=True)
class SignedInUser:
    """A signed-in user as the web layer sees it, with the ``Actor`` to call services."""

    actor: Actor
    display_name: str

    @property
    def user_id(self) -> str:
        return str(self.actor.user_id)

    @property
    def username(self) -> str:
        return self.actor.username

    @property
    def clinic_id(self) -> str:
        return str(self.actor.clinic_id)

    @property
    def role(self) -> str:
        return self.actor.role.value


def load_actor(store: Store, user_id: int, interface: Interface) -> Actor | None:
    """The actor of an active user (behind a session cookie), else None."""
    with store.unit_of_work() as uow:
        row = uow.users.get(user_id)
        if row is None or not row.active:
            return None
        return actor_of(row, interface)


class StoreAuthenticator:
    """Verifies passwords (argon2), API tokens (SHA-256) and sessions against the store."""

    def __init__(self, store: Store, interface: Interface = Interface.WEB) -> None:
        self._store = store
        self._interface = interface

    def _signed_in(self, actor: Actor | None) -> SignedInUser | None:
        if actor is None:
            return None
        with self._store.unit_of_work() as uow:
            row = uow.users.get(actor.user_id)
            name = row.display_name if row is not None else actor.username
        return SignedInUser(actor=actor, display_name=name)

    def verify_password(self, username: str, password: str) -> SignedInUser | None:
        return self._signed_in(
            authenticate(self._store, username, password, self._interface)
        )

    def verify_token(self, token: str) -> SignedInUser | None:
        return self._signed_in(verify_api_token(self._store, token, Interface.API))

    def load_user(self, user_id: str) -> SignedInUser | None:
        if not user_id.isdigit():
            return None
        return self._signed_in(load_actor(self._store, int(user_id), self._interface))
