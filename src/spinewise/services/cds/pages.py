"""Following a FHIR search's ``Bundle.link[next]`` pages, bounded.

A searchset may come in pages (the EHR's ``_count``, or its own page size, whatever
the query asked). The CDS service reads the next pages from the call's ``fhirServer``
with its access token, at most ``max_pages`` pages in all and within ``budget``
seconds (both settings), and merges their entries into one searchset. What it did not
read is said (a :class:`FieldProblem`), never silently dropped: a page limit or time
budget reached, or a ``next`` link that leaves the FHIR server (never followed: the
access token is for that server only).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from spinewise.config import Settings
from spinewise.errors import FieldProblem
from spinewise.services.cds.http import EhrHttp, EhrUnavailableError


@dataclass(frozen=True)
class FetchLimits:
    """How far the service follows ``next`` pages: pages in all, seconds in all."""

    max_pages: int = 5
    budget: float = 5.0

    @classmethod
    def of(cls, settings: Settings) -> FetchLimits:
        return cls(settings.cds_fetch_max_pages, settings.cds_fetch_budget_seconds)


def next_link(bundle: Mapping[str, Any]) -> str | None:
    """The URL of the bundle's ``next`` link, if any."""
    links = bundle.get("link")
    if not isinstance(links, list):
        return None
    for link in links:
        if isinstance(link, Mapping) and link.get("relation") == "next":
            url = link.get("url")
            return url if isinstance(url, str) and url else None
    return None


def _stop(url: str, server: str, pages: int, spent: float, limits: FetchLimits) -> str:
    """Why the page at ``url`` is not fetched ('' when it may be)."""
    if not url.startswith(server.rstrip("/") + "/"):
        return f"next page {url} is not on the FHIR server: not read"
    if pages >= limits.max_pages:
        return f"more pages than the limit of {limits.max_pages}: the rest not read"
    if spent > limits.budget:
        return f"time budget of {limits.budget:g} s spent: the rest not read"
    return ""


def _entries(bundle: Mapping[str, Any]) -> list[Any]:
    entries = bundle.get("entry")
    return list(entries) if isinstance(entries, list) else []


def all_pages(
    first: Mapping[str, Any],
    field: str,
    http: EhrHttp,
    where: tuple[str, str] | None,
    limits: FetchLimits,
    clock: Callable[[], float] = time.monotonic,
) -> tuple[Mapping[str, Any], list[FieldProblem]]:
    """``first`` with the entries of its next pages (a new searchset when there were
    any), and what was not read."""
    url = next_link(first)
    if first.get("resourceType") != "Bundle" or url is None:
        return first, []
    if where is None:
        return first, [
            FieldProblem(f"{field}.link", "next pages not read: no fhirServer")
        ]
    server, token = where
    entries, started, pages = _entries(first), clock(), 1
    skipped: list[FieldProblem] = []
    while url is not None:
        reason = _stop(url, server, pages, clock() - started, limits)
        if reason:
            skipped.append(FieldProblem(f"{field}.link", reason))
            break
        try:
            page = http.get_json(url, token=token)
        except EhrUnavailableError as exc:
            skipped.append(FieldProblem(f"{field}.link", f"next page not read: {exc}"))
            break
        pages += 1
        entries += _entries(page)
        url = next_link(page) if page.get("resourceType") == "Bundle" else None
    merged = {k: v for k, v in first.items() if k not in ("link", "entry", "total")}
    return {**merged, "entry": entries}, skipped
