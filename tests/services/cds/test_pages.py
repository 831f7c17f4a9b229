"""Following ``next`` pages of a FHIR search on the test EHR (real HTTP), bounded by
a page count and a time budget."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.fhir_corpus import corpus
from tests.interop.fhir_server import ACCESS_TOKEN, EhrServer, running_ehr

from spinewise.services.cds.http import EhrHttp
from spinewise.services.cds.pages import FetchLimits, all_pages

PID = "1288992"


@pytest.fixture
def ehr() -> Iterator[EhrServer]:
    with running_ehr() as server:
        data = corpus("search-two-pages.json")
        server.data.page_size = 1
        server.data.responses[PID] = data["responses"] * 2  # four pages
        yield server


def first_page(ehr: EhrServer, http: EhrHttp) -> dict:
    query = f"QuestionnaireResponse?subject=Patient/{PID}"
    return http.fhir_get(ehr.fhir_url, query, ACCESS_TOKEN)


def test_every_page_is_read_within_the_limits(ehr: EhrServer) -> None:
    http = EhrHttp()
    merged, skipped = all_pages(
        first_page(ehr, http), "q", http, (ehr.fhir_url, ACCESS_TOKEN), FetchLimits()
    )
    assert (len(merged["entry"]), skipped) == (4, [])
    assert "link" not in merged


def test_the_page_limit_stops_the_reading_and_says_so(ehr: EhrServer) -> None:
    http = EhrHttp()
    merged, skipped = all_pages(
        first_page(ehr, http), "q", http, (ehr.fhir_url, ACCESS_TOKEN), FetchLimits(2)
    )
    assert len(merged["entry"]) == 2
    assert [p.field for p in skipped] == ["q.link"]
    assert "limit of 2" in skipped[0].message


def test_the_time_budget_stops_the_reading_and_says_so(ehr: EhrServer) -> None:
    http = EhrHttp()
    ticks = iter(range(0, 1000, 4))  # each look at the clock: 4 s later
    merged, skipped = all_pages(
        first_page(ehr, http),
        "q",
        http,
        (ehr.fhir_url, ACCESS_TOKEN),
        FetchLimits(max_pages=10, budget=5),
        clock=lambda: float(next(ticks)),
    )
    assert len(merged["entry"]) == 2
    assert "time budget of 5 s spent" in skipped[0].message


def test_without_a_fhir_server_next_pages_are_only_noted(ehr: EhrServer) -> None:
    http = EhrHttp()
    page = first_page(ehr, http)
    merged, skipped = all_pages(page, "q", http, None, FetchLimits())
    assert merged is page
    assert "no fhirServer" in skipped[0].message
