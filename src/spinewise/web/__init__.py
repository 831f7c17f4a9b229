"""The web adapter: JSON API (``/api/v1``) and server-rendered pages over the core.

Build it with ``create_app(settings, store=..., kb=...)``; ``spinewise serve`` runs
``app_from_environment()`` (settings from ``SPINEWISE_*``, users, sessions and tokens
from the database). To add a resource:

* API: a module in ``web/api/`` with an ``APIRouter``, added to ``api._ROUTERS``;
  routes take ``ApiActor`` / ``StoreDep`` (``web.deps``) and raise Spinewise errors,
  which ``web.errors`` maps to the one error shape (422 / 404 / 403 / 409).
* Pages: a module in ``web/pages/`` added to ``pages._ROUTERS`` (CSRF-checked) and,
  if it has a menu entry, to ``pages.NAV``; routes take ``PageActor`` and ``render``.
  The intake form (``intake.html``) and the decision (``decision.html``) are
  macros: ``pages.screen.intake_context(draft, placed, view)`` feeds them.
"""

from spinewise.web.app import app_from_environment, create_app
from spinewise.web.auth import ROLES, AuthenticationRequiredError, ThrottledError
from spinewise.web.client import client_address, resolve_client_address

__all__ = [
    "ROLES",
    "AuthenticationRequiredError",
    "ThrottledError",
    "app_from_environment",
    "client_address",
    "create_app",
    "resolve_client_address",
]
