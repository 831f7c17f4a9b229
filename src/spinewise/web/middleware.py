"""The app's one ASGI layer in front of its routes (``EdgeMiddleware``).

One pure-ASGI pass over each request does what six layers did before (issue 19):
it decides the client address (``web.client``) and names it on every audit event of
the request; adds the security headers to every answer (answers outside /static/
are never cached); answers CORS for the CDS Hooks paths only (``CdsCorsMiddleware``,
when origins are configured); counts the requests to anonymous pages (429); refuses
a body over the limit (413) or one that stalls (408); and turns an exception no
handler took into a logged, generic 500. One wrapper of ``send`` and one of
``receive`` per request, one walk over the request headers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from spinewise.services import Store, admit_anonymous, client_origin
from spinewise.web.auth import ThrottledError
from spinewise.web.cds_cors import CdsCorsMiddleware
from spinewise.web.cds_errors import is_cds_path
from spinewise.web.client import (
    SCOPE_KEY,
    UNKNOWN,
    Network,
    is_anonymous_page,
    resolve_client_address,
)
from spinewise.web.errors import BodyTimeoutError, ContentTooLargeError, error_response

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'"
)
Header = tuple[bytes, bytes]
NO_STORE: Header = (b"cache-control", b"no-store")


def security_headers(*, production: bool) -> list[Header]:
    """The headers every answer carries (HSTS only in production, behind HTTPS)."""
    headers = {
        "content-security-policy": CONTENT_SECURITY_POLICY,
        "x-content-type-options": "nosniff",
        "x-frame-options": "DENY",
        "referrer-policy": "no-referrer",
        "cross-origin-opener-policy": "same-origin",
        "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
    }
    if production:
        headers["strict-transport-security"] = "max-age=31536000; includeSubDomains"
    return [(k.encode(), v.encode()) for k, v in headers.items()]


def with_headers(
    headers: Sequence[Header], added: Sequence[Header], *, cacheable: bool
) -> list[Header]:
    """The answer's headers plus those of ``added`` it does not set itself, and
    ``Cache-Control: no-store`` unless ``cacheable`` or it says otherwise."""
    answer = list(headers)
    present = {name.lower() for name, _ in answer}
    answer += [h for h in added if h[0] not in present]
    if not cacheable and b"cache-control" not in present:
        answer.append(NO_STORE)
    return answer


def request_facts(
    scope: Scope, proxies: Sequence[Network]
) -> tuple[str | None, int | None]:
    """(client address, declared Content-Length) from one walk over the headers."""
    forwarded: str | None = None
    declared: int | None = None
    for name, value in scope["headers"]:
        if name == b"content-length" and declared is None:
            try:
                declared = int(value)
            except ValueError:
                declared = None
        elif name == b"x-forwarded-for" and forwarded is None:
            forwarded = value.decode("latin-1")
    client = scope.get("client")
    peer = client[0] if client else None
    if not proxies:
        return peer, declared
    return resolve_client_address(peer, forwarded, proxies), declared


async def receive_within(receive: Receive, timeout: float) -> Message:
    """The next message, or ``BodyTimeoutError`` when it takes over ``timeout``.

    One timer on the loop, cancelled when the message comes: ``asyncio.timeout``
    does the same at some four times the cost, paid on every part of every body.
    """
    task = asyncio.current_task()
    if task is None:  # not in a task: nothing to cancel
        return await receive()
    expired = False

    def expire() -> None:
        nonlocal expired
        expired = True
        task.cancel()

    timer = asyncio.get_running_loop().call_later(timeout, expire)
    try:
        return await receive()
    except asyncio.CancelledError:
        if expired and task.uncancel() == 0:
            raise BodyTimeoutError(timeout) from None
        raise
    finally:
        timer.cancel()


class EdgeMiddleware:
    """Address, security headers, CDS CORS, anonymous limit, body limit and the
    last-resort 500, in one layer (see the module's docstring)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        production: bool,
        proxies: Sequence[Network] = (),
        cors_origins: Sequence[str] = (),
        anonymous_per_minute: int = 60,
        body_limit: int = 1_000_000,
        body_timeout: float = 30.0,
    ) -> None:
        self.app = app
        self.headers = security_headers(production=production)
        self.proxies = tuple(proxies)
        self.per_minute = anonymous_per_minute
        self.limit = body_limit
        self.timeout = body_timeout
        self.cors: ASGIApp | None = (
            CdsCorsMiddleware(self._guarded, origins=cors_origins)
            if cors_origins
            else None
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        address, declared = request_facts(scope, self.proxies)
        scope[SCOPE_KEY] = address
        cacheable = scope["path"].startswith("/static/")
        added = self.headers
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = with_headers(
                    message.get("headers", ()), added, cacheable=cacheable
                )
            await send(message)

        with client_origin(address or UNKNOWN):
            if self.cors is not None and is_cds_path(scope["path"]):
                await self.cors(scope, receive, send_with_headers)
                return
            try:
                await self._admitted(scope, receive, send_with_headers, declared)
            except Exception as exc:
                if started:
                    raise
                answer = error_response(Request(scope), exc)
                await answer(scope, receive, send_with_headers)

    async def _guarded(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The request under CORS (CDS paths): the same, its 500 inside CORS."""
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            declared = request_facts(scope, ())[1]
            await self._admitted(scope, receive, tracking_send, declared)
        except Exception as exc:
            if started:
                raise
            await error_response(Request(scope), exc)(scope, receive, send)

    async def _admitted(
        self, scope: Scope, receive: Receive, send: Send, declared: int | None
    ) -> None:
        """The anonymous pages' rate limit, then the body limit, then the app."""
        if is_anonymous_page(scope["path"]):
            wait = await self._anonymous_wait(scope)
            if wait is not None:
                answer = error_response(Request(scope, receive), ThrottledError(wait))
                await answer(scope, receive, send)
                return
        if declared is not None and declared > self.limit:
            error = ContentTooLargeError(self.limit)
            await error_response(Request(scope), error)(scope, receive, send)
            return
        limit, timeout = self.limit, self.timeout
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive_within(receive, timeout)
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise ContentTooLargeError(limit)
            return message

        await self.app(scope, limited_receive, send)

    async def _anonymous_wait(self, scope: Scope) -> int | None:
        """Seconds to wait before this address may open an anonymous page again."""
        store: Store | None = getattr(scope["app"].state, "store", None)
        if store is None:
            return None
        address = scope[SCOPE_KEY] or UNKNOWN
        return await run_in_threadpool(admit_anonymous, store, address, self.per_minute)
