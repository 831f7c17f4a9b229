"""The account and user-administration pages in a real browser: accessible, and the
QR code of two-factor enrolment shown under the strict CSP."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from tests.e2e.conftest import assert_accessible, screenshot, sign_in

pytestmark = pytest.mark.e2e


def test_the_users_pages_are_accessible(desktop: Page) -> None:
    sign_in(desktop, "admin-b", then="/users")
    expect(desktop.get_by_role("heading", level=1)).to_have_text("Users of your clinic")
    expect(desktop.get_by_role("link", name="Physician B")).to_be_visible()
    expect(desktop.get_by_label("Role")).to_have_value("therapist")
    assert_accessible(desktop)
    desktop.get_by_role("link", name="Physician B").click()
    expect(desktop.get_by_role("button", name="Reset the password")).to_be_visible()
    assert_accessible(desktop)


def test_two_factor_enrolment_shows_a_qr_code_and_the_key(desktop: Page) -> None:
    sign_in(desktop, "physician-b", then="/account")
    assert_accessible(desktop)
    desktop.get_by_role("link", name="Turn on two-factor sign-in").click()
    desktop.get_by_role("button", name="Start").click()
    expect(desktop.locator(".qr svg")).to_be_visible()
    expect(desktop.locator("code.secret")).to_have_text(re.compile(r"^[A-Z2-7]{32}$"))
    screenshot(desktop, "two-factor-enrolment")
    assert_accessible(desktop)
    desktop.goto("/account/password")
    assert_accessible(desktop)
