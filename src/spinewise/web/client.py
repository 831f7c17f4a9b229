"""Who is asking: the client address of a request, put on every audit event, and the
rate limit of the pages anyone can open without signing in.

``client_address`` is the one place the web tier reads the peer's address (the
proxy-aware version, trusting ``X-Forwarded-For`` only from configured proxies,
replaces its body). ``ClientAddressMiddleware`` records it for the services'
audit events (``services.client_origin``) for the whole request.
``AnonymousLimitMiddleware`` counts each request to an anonymous page per address in
the database (``services.admit_anonymous``, shared by every server process) and
answers 429 with ``Retry-After`` past ``Settings.anonymous_requests_per_minute``.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection, Request
from starlette.types import ASGIApp, Receive, Scope, Send

from spinewise.services import Store, admit_anonymous, client_origin
from spinewise.web.errors import error_response
from spinewise.web.throttle import ThrottledError

ANONYMOUS_PREFIXES = ("/q/",)
ANONYMOUS_PATHS = frozenset({"/login"})


def client_address(connection: HTTPConnection) -> str:
    """The address of the client that sent this request (the direct peer)."""
    client = connection.client
    return client.host if client is not None and client.host else "unknown"


def is_anonymous_page(path: str) -> bool:
    """A page anyone may open without signing in (static files and /health aside)."""
    return path in ANONYMOUS_PATHS or path.startswith(ANONYMOUS_PREFIXES)


class ClientAddressMiddleware:
    """Every audit event written while serving a request names its client address."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with client_origin(client_address(HTTPConnection(scope))):
            await self.app(scope, receive, send)


class AnonymousLimitMiddleware:
    """At most ``per_minute`` requests a minute from one address to anonymous pages."""

    def __init__(self, app: ASGIApp, *, per_minute: int) -> None:
        self.app = app
        self.per_minute = per_minute

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_anonymous_page(scope["path"]):
            await self.app(scope, receive, send)
            return
        store: Store | None = getattr(scope["app"].state, "store", None)
        if store is None:
            await self.app(scope, receive, send)
            return
        address = client_address(HTTPConnection(scope))
        wait = await run_in_threadpool(admit_anonymous, store, address, self.per_minute)
        if wait is None:
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        answer = error_response(request, ThrottledError(wait))
        await answer(scope, receive, send)
