"""A licensed questionnaire end to end in a real browser: an administrator imports
the (fake) texts, the therapist makes a link with its QR code, the patient answers
all ten ODI items on a 390x844 phone; every page fits the phone and is axe clean."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from tests.e2e.conftest import assert_accessible, screenshot, sign_in
from tests.e2e.test_clinic_flow import fits_the_phone, register

pytestmark = pytest.mark.e2e
OpenPage = Callable[..., Page]
PACK = Path(__file__).resolve().parents[1] / "data" / "text-packs" / "fake-odi-en.yaml"


def import_the_texts(admin: Page) -> None:
    sign_in(admin, "admin-a", then="/questionnaire-texts")
    admin.get_by_label("Text pack file (YAML or JSON)").set_input_files(str(PACK))
    admin.get_by_role("button", name="Import").click()
    expect(admin.get_by_role("status")).to_contain_text("now in force")
    expect(admin.locator("table")).to_contain_text("FAKE ODI test pack")
    assert_accessible(admin)


def make_a_link(therapist: Page) -> str:
    sign_in(therapist, then="/patients")
    base = register(therapist, "Phone Patient")
    therapist.goto(f"{base}/outcomes")
    therapist.get_by_label("Questionnaire", exact=True).last.select_option("odi")
    therapist.get_by_role("button", name="Create the link").click()
    expect(therapist.get_by_role("img", name="QR code to scan")).to_be_visible()
    screenshot(therapist, "questionnaire-link-qr-desktop")
    assert_accessible(therapist)
    return therapist.get_by_label("Link for the patient").input_value()


def test_a_patient_answers_a_licensed_questionnaire_on_a_phone(
    open_page: OpenPage,
) -> None:
    import_the_texts(open_page())
    url = make_a_link(open_page())
    phone = open_page(phone=True)
    phone.goto(url)
    expect(phone.get_by_role("heading", level=1)).to_have_text("FAKE ODI test pack")
    expect(phone.get_by_text("placeholder")).to_have_count(0)
    fits_the_phone(phone)
    assert_accessible(phone)
    screenshot(phone, "questionnaire-odi-phone")
    for number in range(1, 11):
        phone.get_by_role(
            "group", name=f"Question {number} FAKE TEST ITEM {number} of ODI"
        ).get_by_label("fake option 2", exact=True).check()
    phone.get_by_role("button", name="Send my answers").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Thank you")
    fits_the_phone(phone)
    assert_accessible(phone)
