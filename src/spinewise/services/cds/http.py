"""Outbound HTTP to EHRs for CDS Hooks: their JWK sets and their FHIR servers.

Everything goes through one ``httpx.Client`` whose ``transport`` the caller may pass
(the httpx seam): tests serve the JWK set and the FHIR resources from real local
servers, or hand in ``httpx.MockTransport``. Redirects are not followed, answers are
size-capped and every failure is a :class:`EhrUnavailableError` saying what failed;
nothing from the EHR is trusted before it is validated by the caller.

JWK sets are cached per issuer (:class:`TrustedIssuers`) and fetched again when they
are older than ``ttl`` or when a token names a key id the cached set lacks (key
rotation) — that at most once per ``refetch_after``, so tokens with unknown key ids
cannot make us hammer the EHR.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Mapping
from typing import Any

import httpx
import orjson
from jwt import PyJWKSet

from spinewise.errors import SpinewiseError
from spinewise.interop import CdsAuthError, key_set

MAX_BYTES = 5_000_000
MAX_KEY_SETS = 64  # cached JWK sets (one per issuer and jku URL)
Clock = Callable[[], dt.datetime]


class EhrUnavailableError(SpinewiseError):
    """The EHR's FHIR server or JWK set could not be read; the message says why."""


def utc_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class EhrHttp:
    """GET JSON from an EHR: a JWK set, or a FHIR read or search with a bearer token."""

    def __init__(
        self,
        transport: httpx.BaseTransport | None = None,
        *,
        timeout: float = 3.0,
        max_bytes: int = MAX_BYTES,
    ) -> None:
        self._max_bytes = max_bytes
        self._client = httpx.Client(
            transport=transport,
            timeout=timeout,
            follow_redirects=False,
            headers={"Accept": "application/fhir+json, application/json"},
        )

    def close(self) -> None:
        self._client.close()

    def get_json(self, url: str, *, token: str | None = None) -> dict[str, Any]:
        """The JSON object at ``url``; ``EhrUnavailableError`` on any failure."""
        headers = {"Authorization": f"Bearer {token}"} if token else None
        try:
            with self._client.stream("GET", url, headers=headers) as answer:
                if answer.status_code != 200:
                    raise EhrUnavailableError(_refusal(url, answer.status_code))
                body = b""
                for chunk in answer.iter_bytes():
                    body += chunk
                    if len(body) > self._max_bytes:
                        raise EhrUnavailableError(
                            f"{url}: the answer is over {self._max_bytes} bytes"
                        )
        except httpx.HTTPError as exc:
            raise EhrUnavailableError(f"{url}: {type(exc).__name__}: {exc}") from None
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError:
            raise EhrUnavailableError(f"{url}: the answer is not JSON") from None
        if not isinstance(data, dict):
            raise EhrUnavailableError(f"{url}: expected a JSON object")
        return data

    def fhir_get(self, server: str, query: str, token: str | None) -> dict[str, Any]:
        """A FHIR read or search (``query`` relative to the server's base URL)."""
        return self.get_json(f"{server.rstrip('/')}/{query}", token=token)


def _refusal(url: str, status: int) -> str:
    if status in (401, 403):
        return f"{url}: the server refused the access token (HTTP {status})"
    if status == 404:
        return f"{url}: not found (HTTP 404)"
    return f"{url}: HTTP {status}"


class TrustedIssuers:
    """The EHRs whose hook JWTs we accept: issuer -> JWK set URL, sets cached."""

    def __init__(
        self,
        issuers: Mapping[str, str],
        fetch: Callable[[str], Mapping[str, Any]],
        *,
        ttl: dt.timedelta = dt.timedelta(minutes=10),
        refetch_after: dt.timedelta = dt.timedelta(seconds=30),
        clock: Clock = utc_clock,
    ) -> None:
        self._urls = dict(issuers)
        self._fetch = fetch
        self._ttl = ttl
        self._refetch_after = refetch_after
        self._clock = clock
        self._cache: dict[str, tuple[dt.datetime, PyJWKSet]] = {}
        self._kid_fetches: dict[str, dt.datetime] = {}
        self._lock = threading.Lock()

    def url_of(self, issuer: str) -> str:
        """The JWK set URL of a trusted issuer (``CdsAuthError`` for any other)."""
        url = self._urls.get(issuer)
        if url is None:
            raise CdsAuthError(f"JWT issuer {issuer!r} is not a trusted EHR")
        return url

    def keys(
        self, issuer: str, *, kid: str | None = None, url: str | None = None
    ) -> PyJWKSet:
        """The issuer's keys (from ``url``, a ``jku`` the caller checked is on the
        issuer's host, else the configured set); fetched again when stale or lacking
        ``kid`` (that at most once per ``refetch_after``)."""
        url = url or self.url_of(issuer)
        slot = f"{issuer} {url}"
        now = self._clock()
        with self._lock:
            cached = self._cache.get(slot)
            last_kid_fetch = self._kid_fetches.get(slot)
        if cached is not None and now - cached[0] < self._ttl:
            keys = cached[1]
            if kid is None or any(k.key_id == kid for k in keys.keys):
                return keys
            if (
                last_kid_fetch is not None
                and now - last_kid_fetch < self._refetch_after
            ):
                return keys  # verify_hook_jwt then says the kid is unknown
            with self._lock:
                self._kid_fetches[slot] = now
        try:
            keys = key_set(self._fetch(url))
        except EhrUnavailableError as exc:
            raise CdsAuthError(f"the issuer's JWK set is unavailable: {exc}") from None
        with self._lock:
            if len(self._cache) >= MAX_KEY_SETS:  # jku URLs must not grow it unbounded
                oldest = min(self._cache, key=lambda k: self._cache[k][0])
                del self._cache[oldest]
            self._cache[slot] = (now, keys)
        return keys
