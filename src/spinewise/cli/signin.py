"""Opening the database and signing in for the record-keeping commands.

The acting user comes from ``--user`` (or ``SPINEWISE_USER``); the password from
``SPINEWISE_PASSWORD`` or a hidden prompt; a two-factor code (for a user who has
two-factor sign-in) from ``SPINEWISE_OTP`` or a hidden prompt. Every command acts as that user through the
services, so roles, clinic isolation and the audit trail apply to the CLI as to the web.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import typer

from spinewise.cli.context import current_settings
from spinewise.cli.output import fail
from spinewise.cli.words import _
from spinewise.config import Settings
from spinewise.errors import SpinewiseError
from spinewise.kb import KnowledgeBase, load_kb
from spinewise.services import (
    Actor,
    Interface,
    Store,
    complete_sign_in,
    ensure_schema,
    must_change_password,
    open_store,
    sign_in,
    totp_key,
)

USER_HELP = (
    "acting user (or SPINEWISE_USER); password from SPINEWISE_PASSWORD or a prompt"
)


def user_option() -> str | None:
    """The ``--user/-u`` option every record command takes."""
    value: str | None = typer.Option(
        None, "--user", "-u", envvar="SPINEWISE_USER", help=USER_HELP
    )
    return value


@contextmanager
def reported() -> Iterator[None]:
    """Spinewise errors become ``error: ...`` on stderr and exit status 2."""
    try:
        yield
    except SpinewiseError as error:
        fail(error)


@contextmanager
def database(*, check_schema: bool = True) -> Iterator[tuple[Settings, Store]]:
    """The configured database (a new SQLite file gets its schema on first use)."""
    settings = current_settings()
    with reported():
        store = open_store(settings.database_url)
    try:
        if check_schema:
            with reported():
                ensure_schema(store, create_if_empty=store.backend == "sqlite")
        yield settings, store
    finally:
        store.dispose()


@dataclass(frozen=True)
class SignedIn:
    settings: Settings
    store: Store
    actor: Actor

    def kb(self, path: Path | None = None) -> KnowledgeBase:
        """The knowledge base in force (``--kb``, else SPINEWISE_KB_PATH, else bundled)."""
        with reported():
            return load_kb(path or self.settings.kb_path)


def new_password(prompt: str) -> str:
    """A new user's password: SPINEWISE_NEW_PASSWORD or a confirmed prompt."""
    given = os.environ.get("SPINEWISE_NEW_PASSWORD")
    if given:
        return given
    value: str = typer.prompt(prompt, hide_input=True, confirmation_prompt=True)
    return value


def _second_factor(
    store: Store, settings: Settings, user_id: int, username: str
) -> Actor | None:
    code = os.environ.get("SPINEWISE_OTP") or typer.prompt(
        _("two-factor code for {user} (or a recovery code)").format(user=username),
        hide_input=True,
    )
    key = totp_key(store, settings)
    return complete_sign_in(store, user_id, code, Interface.CLI, key=key)


@contextmanager
def signed_in(
    username: str | None, *, temporary_ok: bool = False
) -> Iterator[SignedIn]:
    """Sign ``username`` in (audited); the session the command acts in.

    A user with two-factor sign-in gives the code in SPINEWISE_OTP or at a prompt.
    A user with a temporary password may only change it (``temporary_ok``).
    """
    if not username:
        fail(_("name the acting user with --user NAME (or SPINEWISE_USER)"))
    with database() as (settings, store):
        password = os.environ.get("SPINEWISE_PASSWORD") or typer.prompt(
            _("password for {user}").format(user=username), hide_input=True
        )
        with reported():
            step = sign_in(store, username, password, Interface.CLI)
            actor = step.actor
            if step.code_needed_for is not None:
                actor = _second_factor(store, settings, step.code_needed_for, username)
        if actor is None:
            fail(
                _(
                    "cannot sign in as {user}: wrong password or code, or inactive user"
                ).format(user=username)
            )
        if not temporary_ok and must_change_password(store, actor.user_id):
            fail(
                _(
                    "{user} has a temporary password: change it first with "
                    "`spinewise users password`"
                ).format(user=username)
            )
        with reported():
            yield SignedIn(settings, store, actor)
