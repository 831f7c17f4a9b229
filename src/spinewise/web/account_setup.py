"""What a signed-in user must do before anything else: change a temporary password,
then (administrators and physicians in production mode) turn on two-factor sign-in.

``page_user`` (web/deps.py) calls ``require_account_ready``; the pages of the account
itself use ``SetupPageUser`` so that they stay reachable.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from spinewise.config import Settings
from spinewise.services import two_factor_required
from spinewise.web.auth import Identity

CHANGE_PASSWORD = "/account/password"
ENROL = "/account/two-factor"


class AccountSetupRequiredError(Exception):
    """The signed-in user must first visit ``path`` (a redirect for the pages)."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(path)


def setup_needed(identity: Identity, settings: Settings) -> str | None:
    """The page the user must go through first, or None.

    Users from an authenticator that does not say (no such attributes) pass.
    """
    if getattr(identity, "must_change_password", False):
        return CHANGE_PASSWORD
    enabled = getattr(identity, "two_factor_enabled", None)
    production = settings.mode == "production"
    if enabled is False and two_factor_required(identity.role, production=production):
        return ENROL
    return None


def require_account_ready(identity: Identity, settings: Settings) -> None:
    path = setup_needed(identity, settings)
    if path is not None:
        raise AccountSetupRequiredError(path)


async def _redirect(request: Request, exc: Exception) -> Response:
    path = exc.path if isinstance(exc, AccountSetupRequiredError) else "/"
    return RedirectResponse(path, status_code=303)


def install_account_setup(app: FastAPI) -> None:
    app.add_exception_handler(AccountSetupRequiredError, _redirect)
