"""The quick screen in a real browser: a red flag, a failed submit, missing answers."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from tests.e2e.conftest import assert_accessible, screenshot, sign_in

pytestmark = pytest.mark.e2e


def fill_clean_intake(page: Page) -> None:
    """Required answers, and "no" to every yes / no / unknown question."""
    page.get_by_label("Date of this assessment").fill("2026-11-24")
    page.get_by_label("Age in years").fill("46")
    page.get_by_label("Region of the hernia").select_option("lumbar")
    page.get_by_role("group", name="Lumbar").get_by_label("L4-L5").check()
    page.get_by_label("Start of the current episode").fill("2026-09-01")
    page.get_by_label("Pain now, 0 (none) to 10 (worst)").fill("3")
    for radio in page.locator('input[type="radio"][value="no"]:visible').all():
        radio.check()  # the other profile's questions are hidden, and not sent


def answer(page: Page, question: str, choice: str) -> None:
    page.get_by_role("group", name=question, exact=True).get_by_label(
        choice, exact=True
    ).check()


def test_a_red_flag_gives_an_urgent_referral(desktop: Page) -> None:
    sign_in(desktop)
    fill_clean_intake(desktop)
    answer(desktop, "Saddle anaesthesia (numbness between the legs)", "Yes")
    desktop.get_by_role("button", name="Screen").click()
    expect(desktop.locator(".verdict")).to_contain_text("Verdict: Urgent referral")
    expect(desktop).to_have_title("Urgent referral · Quick screen · Spinewise")
    finding = desktop.locator(".finding", has_text="RF-CES-01")
    expect(finding).to_contain_text("Source GIRFT-CES-2023")
    expect(desktop.locator(".card")).to_have_count(3)
    expect(desktop.locator(".card").first).to_contain_text("Contraindicated")
    screenshot(desktop, "decision-urgent-referral-desktop")
    assert_accessible(desktop)
    desktop.emulate_media(media="print")
    expect(desktop.locator("form.intake")).to_be_hidden()
    expect(desktop.locator(".site-header")).to_be_hidden()
    expect(desktop.locator(".verdict")).to_be_visible()
    screenshot(desktop, "decision-urgent-referral-print")


def test_a_failed_submit_keeps_the_draft_and_shows_the_error_inline(
    desktop: Page,
) -> None:
    sign_in(desktop)
    fill_clean_intake(desktop)
    answer(desktop, "Fever now (38.0 °C or more)", "Yes")
    answer(desktop, "Osteoporosis", "Unknown")
    desktop.get_by_label("Age in years").fill("130")
    desktop.get_by_label("Pain medicines").fill("ibuprofen, paracetamol")
    desktop.get_by_role("button", name="Screen").click()
    expect(desktop).to_have_title("Error: Quick screen · Spinewise")
    summary = desktop.locator(".error-summary")
    expect(summary).to_contain_text("Age in years: Input should be less than or equal")
    age = desktop.get_by_label("Age in years")
    expect(age).to_have_value("130")
    expect(age).to_have_attribute("aria-invalid", "true")
    expect(desktop.locator("#field-patient-age-error")).to_contain_text("less than")
    fever = desktop.get_by_role("group", name="Fever now (38.0 °C or more)")
    expect(fever.get_by_label("Yes", exact=True)).to_be_checked()
    osteoporosis = desktop.get_by_role("group", name="Osteoporosis", exact=True)
    expect(osteoporosis.get_by_label("Unknown", exact=True)).to_be_checked()
    expect(desktop.get_by_label("Pain medicines")).to_have_value(
        "ibuprofen, paracetamol"
    )
    expect(
        desktop.get_by_role("group", name="Lumbar").get_by_label("L4-L5")
    ).to_be_checked()
    summary.get_by_role("link").first.click()
    assert desktop.url.endswith("#field-patient-age")
    screenshot(desktop, "intake-errors-desktop")
    assert_accessible(desktop)


def test_a_missing_answer_links_back_to_its_question(desktop: Page) -> None:
    sign_in(desktop)
    fill_clean_intake(desktop)
    answer(desktop, "New bowel incontinence or loss of control", "Unknown")
    desktop.get_by_role("button", name="Screen").click()
    expect(desktop.locator(".verdict")).to_contain_text("Verdict: Incomplete")
    link = desktop.locator(".missing").get_by_role(
        "link", name="New bowel incontinence or loss of control"
    )
    link.click()
    assert desktop.url.endswith("#field-red_flags-bowel_dysfunction")
    question = desktop.locator("#field-red_flags-bowel_dysfunction")
    expect(question).to_be_in_viewport()
    expect(question.get_by_label("Unknown", exact=True)).to_be_checked()


def test_a_clean_intake_awaits_clearance_until_the_physician_approves(
    desktop: Page,
) -> None:
    sign_in(desktop)
    fill_clean_intake(desktop)
    desktop.get_by_role("button", name="Screen").click()
    expect(desktop.locator(".verdict")).to_contain_text("Awaiting clearance")
    desktop.get_by_label("Physician's decision").select_option("approved")
    desktop.get_by_label("Date of the decision").fill("2026-11-20")
    desktop.get_by_role("button", name="Screen again").click()
    expect(desktop.locator(".verdict")).to_contain_text("Verdict: Proceed")
    screenshot(desktop, "decision-proceed-desktop")


def test_the_quick_screen_works_at_phone_width(phone: Page) -> None:
    sign_in(phone)
    screenshot(phone, "intake-phone")
    assert_accessible(phone)
    fill_clean_intake(phone)
    answer(phone, "Fever now (38.0 °C or more)", "Yes")
    phone.get_by_role("button", name="Screen").click()
    expect(phone.locator(".verdict")).to_contain_text("Verdict: Not now")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at phone width ({width}px)"
    screenshot(phone, "decision-not-now-phone")
    assert_accessible(phone)
