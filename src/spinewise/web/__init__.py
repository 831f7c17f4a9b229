"""The web adapter: JSON API (``/api/v1``) and server-rendered pages over the core.

Build it with ``create_app(settings, kb=..., authenticator=..., store=...)``;
``spinewise serve`` runs ``app_from_environment()`` (settings from ``SPINEWISE_*``,
users from the database). To add a resource:

* API: a module in ``web/api/`` with an ``APIRouter``, added to ``api._ROUTERS``;
  routes take ``ApiUser`` / ``StoreDep`` (``web.deps``) and raise Spinewise errors,
  which ``web.errors`` maps to the one error shape (422 / 404 / 403 / 409).
* Pages: a module in ``web/pages/`` added to ``pages._ROUTERS`` (CSRF-checked) and,
  if it has a menu entry, to ``pages.NAV``; routes take ``PageUser`` and ``render``.
  The intake form (``intake.html``) and the decision (``decision.html``) are
  macros: ``pages.screen.intake_context(draft, placed, view)`` feeds them.
"""

from spinewise.web.app import app_from_environment, create_app
from spinewise.web.auth import (
    ROLES,
    AuthenticationRequiredError,
    Authenticator,
    Identity,
    NoAccounts,
    TokenCache,
)
from spinewise.web.throttle import LoginThrottle, ThrottledError

__all__ = [
    "ROLES",
    "AuthenticationRequiredError",
    "Authenticator",
    "Identity",
    "LoginThrottle",
    "NoAccounts",
    "ThrottledError",
    "TokenCache",
    "app_from_environment",
    "create_app",
]
