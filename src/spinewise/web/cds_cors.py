"""CORS for the CDS Hooks endpoints only, for the EHR origins in the settings.

Browser-based EHRs and sandboxes call discovery, the services and feedback from their
own origin. ``SPINEWISE_CDS_CORS_ORIGINS`` (a JSON list; none by default) names the
origins allowed; their preflights (``OPTIONS`` with ``Access-Control-Request-Method``)
are answered and their actual requests get ``Access-Control-Allow-Origin``. Every
other path of the app (pages, the JSON API) sends no CORS header at all, whatever the
origin: the middleware passes those requests by untouched.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from spinewise.web.cds_errors import is_cds_path

METHODS = ("GET", "POST", "OPTIONS")
HEADERS = ("Authorization", "Content-Type", "Accept")
MAX_AGE = 600


class CdsCorsMiddleware:
    """Starlette's CORS handling on ``/cds-services`` paths, nothing elsewhere."""

    def __init__(self, app: ASGIApp, *, origins: Sequence[str]) -> None:
        self.app = app
        self.cors: ASGIApp | None = (
            CORSMiddleware(
                app,
                allow_origins=list(origins),
                allow_methods=list(METHODS),
                allow_headers=list(HEADERS),
                allow_credentials=False,
                max_age=MAX_AGE,
            )
            if origins
            else None
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.cors is not None and scope["type"] == "http":
            if is_cds_path(scope["path"]):
                await self.cors(scope, receive, send)
                return
        await self.app(scope, receive, send)
