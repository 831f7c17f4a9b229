"""A clinic day in a real browser, at 390x844 and 1280x800: the day view of each role,
the patient search, a patient, the plan and a read-only assessment; screenshots and
axe checks; the navigation folds behind "Menu" on a phone."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from tests.e2e.conftest import DEMO_PASSWORDS, assert_accessible, screenshot, sign_in

pytestmark = pytest.mark.e2e
OpenPage = Callable[..., Page]
SIZES = {"phone": True, "desktop": False}


def fits(page: Page, phone: bool) -> None:
    if phone:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{page.url} scrolls sideways at phone width ({width}px)"


def shot(page: Page, name: str, size: str) -> None:
    fits(page, size == "phone")
    screenshot(page, f"{name}-{size}")
    assert_accessible(page)


@pytest.mark.parametrize("size", SIZES)
def test_a_therapists_day(open_page: OpenPage, size: str) -> None:
    page = open_page(phone=SIZES[size])
    sign_in(page, "therapist", then="/today", password=DEMO_PASSWORDS["therapist"])
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")
    shot(page, "today-therapist", size)
    page.goto("/patients")
    page.get_by_label("Find a patient").fill("BORIS")
    expect(page.locator("#patient-results")).to_contain_text("Boris")
    expect(page.locator(".result-count")).to_have_text("1 patient matching BORIS.")
    expect(page.locator("#patient-results tbody tr")).to_have_count(1)
    assert "q=BORIS" in page.url
    shot(page, "patients-search", size)
    page.locator("#patient-results tbody th a").first.click()
    expect(page.locator(".next-step")).to_be_visible()
    shot(page, "patient", size)
    page.goto("/patients")
    page.get_by_role("link", name="Issue the course plan").first.click()
    issue = page.get_by_role("button", name="Issue the plan")
    if issue.count():
        issue.click()
    expect(page.locator("#summary")).to_be_visible()
    summary_top = page.locator("#summary").bounding_box()
    assert summary_top is not None and summary_top["y"] < 2 * 844
    expect(page.get_by_text("never over").first).to_be_hidden()
    shot(page, "plan", size)
    page.locator("details.fold summary").first.click()
    expect(page.get_by_text("never over").first).to_be_visible()


@pytest.mark.parametrize("size", SIZES)
def test_a_physicians_day(open_page: OpenPage, size: str) -> None:
    page = open_page(phone=SIZES[size])
    sign_in(page, "physician", then="/today", password=DEMO_PASSWORDS["physician"])
    shot(page, "today-physician", size)
    reads = page.get_by_role("link", name="read the assessment")
    if reads.count():
        reads.first.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Assessment")
        shot(page, "assessment", size)


@pytest.mark.parametrize("size", SIZES)
def test_an_administrators_day(open_page: OpenPage, size: str) -> None:
    page = open_page(phone=SIZES[size])
    sign_in(page, "admin", then="/today", password=DEMO_PASSWORDS["admin"])
    expect(page.get_by_role("heading", name="Users of the clinic")).to_be_visible()
    shot(page, "today-admin", size)


def test_the_navigation_folds_behind_menu_on_a_phone(open_page: OpenPage) -> None:
    page = open_page(phone=True)
    sign_in(page, "therapist", then="/today", password=DEMO_PASSWORDS["therapist"])
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Patients")).to_be_hidden()
    nav.get_by_role("button", name="Menu").click()
    expect(nav.get_by_role("link", name="Patients")).to_be_visible()
    desktop = open_page()
    sign_in(desktop, "therapist", then="/today", password=DEMO_PASSWORDS["therapist"])
    menu = desktop.get_by_role("navigation", name="Main")
    expect(menu.get_by_role("button", name="Menu")).to_be_hidden()
    expect(menu.get_by_role("link", name="Patients")).to_be_visible()
