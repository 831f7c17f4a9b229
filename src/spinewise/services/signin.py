"""Signing in for the web app: an object with the web layer's ``Authenticator`` shape.

``create_app(settings, authenticator=StoreAuthenticator(store))``. Each method returns
a ``SignedInUser`` (string ids, display name, role) carrying the services' ``Actor``
for the right interface: ``web`` for password and session sign-ins, ``api`` for tokens.

A user with two-factor sign-in is never signed in by ``verify_password`` alone (it
answers None): the login page calls ``password_step`` and then ``verify_code``.
The ``SignedInUser`` says whether the user must change a temporary password first and
whether two-factor sign-in is on, for the pages to send them to their account first.
"""

from __future__ import annotations

from dataclasses import dataclass

from spinewise.services.accounts import actor_of, verify_api_token
from spinewise.services.actors import Actor, Interface
from spinewise.services.sign_in import complete_sign_in, sign_in
from spinewise.store import Store


@dataclass(frozen=True)
class SignedInUser:
    """A signed-in user as the web layer sees it, with the ``Actor`` to call services."""

    actor: Actor
    display_name: str
    must_change_password: bool = False
    two_factor_enabled: bool = False

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
            if row is None:
                return SignedInUser(actor=actor, display_name=actor.username)
            return SignedInUser(
                actor=actor,
                display_name=row.display_name,
                must_change_password=row.must_change_password,
                two_factor_enabled=row.totp_enabled,
            )

    def verify_password(self, username: str, password: str) -> SignedInUser | None:
        """The user, when the password is right and no second factor is needed."""
        return self._signed_in(
            sign_in(self._store, username, password, self._interface).actor
        )

    def password_step(self, username: str, password: str) -> PasswordStep:
        """The first step of signing in: done, a code needed, or refused."""
        step = sign_in(self._store, username, password, self._interface)
        pending = step.code_needed_for
        return PasswordStep(
            user=self._signed_in(step.actor),
            code_needed_for=None if pending is None else str(pending),
        )

    def verify_code(self, user_id: str, code: str) -> SignedInUser | None:
        """The second step: the user, when ``code`` is right for them."""
        if not user_id.isdigit():
            return None
        return self._signed_in(
            complete_sign_in(self._store, int(user_id), code, self._interface)
        )

    def verify_token(self, token: str) -> SignedInUser | None:
        return self._signed_in(verify_api_token(self._store, token, Interface.API))

    def load_user(self, user_id: str) -> SignedInUser | None:
        if not user_id.isdigit():
            return None
        return self._signed_in(load_actor(self._store, int(user_id), self._interface))


@dataclass(frozen=True)
class PasswordStep:
    """The first step of a sign-in: ``user`` when done, ``code_needed_for`` (a user
    id) when a second-factor code must follow, neither when refused."""

    user: SignedInUser | None
    code_needed_for: str | None = None
