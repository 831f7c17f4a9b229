"""Login, knowledge base and keyboard use in a real browser, with axe checks."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from tests.e2e.conftest import assert_accessible, screenshot, sign_in

pytestmark = pytest.mark.e2e


def test_the_login_page_is_accessible_and_refuses_a_wrong_password(
    desktop: Page,
) -> None:
    desktop.goto("/login")
    expect(desktop).to_have_title("Sign in · Spinewise")
    screenshot(desktop, "login-desktop")
    assert_accessible(desktop)
    desktop.get_by_label("Username").fill("alice")
    desktop.get_by_label("Password").fill("not the password")
    desktop.get_by_role("button", name="Sign in").click()
    expect(desktop.get_by_role("alert")).to_contain_text("not right")
    assert_accessible(desktop)


def test_the_login_page_at_phone_width(phone: Page) -> None:
    phone.goto("/login")
    screenshot(phone, "login-phone")
    assert_accessible(phone)


def test_the_knowledge_base_page_shows_its_version_and_every_rule(
    desktop: Page,
) -> None:
    sign_in(desktop)
    desktop.get_by_role("link", name="Knowledge base").click()
    expect(desktop.get_by_role("heading", level=1)).to_have_text("Knowledge base")
    expect(desktop.locator(".lead")).to_contain_text("Version")
    expect(desktop.locator("#rule-RF-CES-01")).to_contain_text("GIRFT-CES-2023")
    screenshot(desktop, "kb-desktop")
    assert_accessible(desktop)


def test_the_knowledge_base_page_at_phone_width(phone: Page) -> None:
    sign_in(phone)
    phone.goto("/kb")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at phone width ({width}px)"
    screenshot(phone, "kb-phone")


def test_the_intake_page_is_accessible(desktop: Page) -> None:
    sign_in(desktop)
    expect(desktop.get_by_role("heading", level=1)).to_have_text("Quick screen")
    screenshot(desktop, "intake-desktop")
    assert_accessible(desktop)


def test_the_skip_link_is_the_first_tab_stop_and_reaches_the_main_content(
    desktop: Page,
) -> None:
    sign_in(desktop)
    desktop.keyboard.press("Tab")
    skip = desktop.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    desktop.keyboard.press("Enter")
    assert desktop.url.endswith("#main")
    desktop.keyboard.press("Tab")
    focused = desktop.evaluate("document.activeElement.closest('main') !== null")
    assert focused, "after the skip link, Tab should move into the main content"


def test_signing_out_ends_the_session(desktop: Page) -> None:
    sign_in(desktop)
    desktop.get_by_role("button", name="Sign out").click()
    desktop.wait_for_url("**/login")
    desktop.goto("/screen")
    desktop.wait_for_url("**/login?next=/screen")


def test_the_account_pages_are_accessible_and_reached_from_the_header(
    desktop: Page,
) -> None:
    sign_in(desktop, "admin-a", then="/audit")
    desktop.locator(".who a").click()
    expect(desktop.get_by_role("heading", level=1)).to_have_text("Your account")
    assert_accessible(desktop)
    desktop.get_by_role("link", name="Your sessions").click()
    expect(desktop.get_by_role("heading", level=1)).to_have_text("Your sessions")
    expect(desktop.locator("tbody")).to_contain_text("(this browser)")
    assert_accessible(desktop)
    desktop.get_by_role("link", name="Your API tokens").click()
    expect(desktop.get_by_role("heading", level=1)).to_have_text("API tokens")
    screenshot(desktop, "account-tokens-desktop")
    assert_accessible(desktop)
