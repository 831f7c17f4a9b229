"""What a signed-in user must do before anything else: change a temporary password,
then (administrators and physicians in production mode) turn on two-factor sign-in.

``page_user`` (web/deps.py) calls ``require_account_ready``; the pages of the account
itself use ``SetupPageUser`` so that they stay reachable.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from spinewise.config import Settings
from spinewise.services import (
    Actor,
    Store,
    must_change_password,
    two_factor_enabled,
    two_factor_required,
)

CHANGE_PASSWORD = "/account/password"
ENROL = "/account/two-factor"


class AccountSetupRequiredError(Exception):
    """The signed-in user must first visit ``path`` (a redirect for the pages)."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(path)


def setup_needed(store: Store, actor: Actor, settings: Settings) -> str | None:
    """The page the user must go through first, or None."""
    if must_change_password(store, actor.user_id):
        return CHANGE_PASSWORD
    production = settings.mode == "production"
    if two_factor_required(actor.role, production=production):
        enabled, _ = two_factor_enabled(store, actor)
        if not enabled:
            return ENROL
    return None


def require_account_ready(store: Store, actor: Actor, settings: Settings) -> None:
    path = setup_needed(store, actor, settings)
    if path is not None:
        raise AccountSetupRequiredError(path)


async def _redirect(request: Request, exc: Exception) -> Response:
    path = exc.path if isinstance(exc, AccountSetupRequiredError) else "/"
    return RedirectResponse(path, status_code=303)


def install_account_setup(app: FastAPI) -> None:
    app.add_exception_handler(AccountSetupRequiredError, _redirect)
