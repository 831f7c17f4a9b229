"""Who is on the other end: the client address, proxy-aware, and the rate limit of the
pages anyone can open without signing in.

``client_address(request)`` is the one place that decides the address (sign-in
throttling, session rows and the audit trail all use it). The peer's address counts,
unless the peer is a trusted reverse proxy (``SPINEWISE_TRUSTED_PROXIES``): then the
``X-Forwarded-For`` chain is read from the right, skipping trusted proxies, and the
first address that is not one is the client. Nobody is trusted by default, so a
client cannot choose its own address by sending the header.

The app's ``EdgeMiddleware`` (``web.middleware``) decides it once per request, records
it for the services' audit events (``services.client_origin``) and counts each
request to an anonymous page per address in the database (``services.admit_anonymous``,
shared by every server process), answering 429 with ``Retry-After`` past
``Settings.anonymous_requests_per_minute``.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from typing import cast

from starlette.requests import HTTPConnection

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
FORWARDED_FOR = "x-forwarded-for"
ANONYMOUS_PREFIXES = ("/q/",)
ANONYMOUS_PATHS = frozenset({"/login"})
UNKNOWN = "unknown"
SCOPE_KEY = "spinewise.client_address"  # the address, decided once per request
_UNDECIDED = object()


def _parsed(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return None


def _trusted(address: str, proxies: Sequence[Network]) -> bool:
    parsed = _parsed(address)
    return parsed is not None and any(parsed in network for network in proxies)


def resolve_client_address(
    peer: str | None, forwarded_for: str | None, proxies: Sequence[Network]
) -> str | None:
    """The client's address given the peer, its ``X-Forwarded-For`` and the trusted
    proxies (a malformed forwarded entry stops the walk at the last trusted hop)."""
    if peer is None or not proxies or not _trusted(peer, proxies):
        return peer
    address = peer
    hops = [hop.strip() for hop in (forwarded_for or "").split(",") if hop.strip()]
    for hop in reversed(hops):
        parsed = _parsed(hop)
        if parsed is None:
            break
        address = str(parsed)
        if not _trusted(address, proxies):
            break
    return address


def client_address(request: HTTPConnection) -> str | None:
    """The request's client address (see the module's docstring); decided once per
    request, by ``EdgeMiddleware``, where it runs."""
    decided = request.scope.get(SCOPE_KEY, _UNDECIDED)
    if decided is not _UNDECIDED:
        return cast(str | None, decided)
    peer = request.client.host if request.client else None
    proxies: Sequence[Network] = getattr(request.app.state, "proxies", ())
    return resolve_client_address(peer, request.headers.get(FORWARDED_FOR), proxies)


def is_anonymous_page(path: str) -> bool:
    """A page anyone may open without signing in (static files and /health aside)."""
    return path in ANONYMOUS_PATHS or path.startswith(ANONYMOUS_PREFIXES)
