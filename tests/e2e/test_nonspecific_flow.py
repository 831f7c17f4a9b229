"""A non-specific back pain patient in a real browser, from intake to the plan PDF.

The intake asks the profile first: choosing non-specific pain hides the hernia
questions and shows the region, STarT Back and sitting ones; the decision says which
profile was screened; after the physician's approval the plan names the profile, has
no hernia zone, and its PDF says so too.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from tests.e2e.conftest import assert_accessible, screenshot, sign_in
from tests.e2e.test_clinic_flow import give_consent, register

pytestmark = pytest.mark.e2e
OpenPage = Callable[..., Page]


def fill_nonspecific_intake(page: Page) -> None:
    page.get_by_label("Condition profile").select_option("nonspecific_back_pain")
    expect(page.get_by_label("Region of the hernia")).to_be_hidden()
    page.get_by_label("Region of the pain").select_option("lumbar")
    page.get_by_label("STarT Back group").select_option("low")
    page.get_by_role(
        "group",
        name="Sedentary (sits most of the working day, or little daily activity)",
    ).get_by_label("Yes", exact=True).check()
    page.get_by_label("Date of this assessment").fill("2026-11-24")
    page.get_by_label("Age in years").fill("38")
    page.get_by_label("Start of the current episode").fill("2026-05-01")
    page.get_by_label("Pain now, 0 (none) to 10 (worst)").fill("4")
    for radio in page.locator('input[type="radio"][value="no"]:visible').all():
        radio.check()


def approve(physician: Page, name: str) -> None:
    sign_in(physician, "physician-a", then="/clearances")
    physician.get_by_role("link", name=f"Decide for {name}").click()
    physician.get_by_label("Approve massage").check()
    physician.get_by_label("Reason").fill("Non-specific low back pain, no red flags.")
    physician.get_by_role("button", name="Record the decision").click()
    expect(physician.locator(".verdict")).to_contain_text("Verdict: Proceed")
    expect(physician.locator(".verdict")).to_contain_text("nonspecific back pain")


def pdf_text(pdf: bytes, tmp_path_name: str) -> str:
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext (poppler-utils) is needed to read the PDF back"
    done = subprocess.run(
        [tool, "-layout", tmp_path_name, "-"],
        capture_output=True,
        check=True,
        text=True,
    )
    return " ".join(done.stdout.split())


def test_a_nonspecific_patient_goes_from_intake_to_the_plan_pdf(
    open_page: OpenPage,
) -> None:
    therapist = open_page()
    sign_in(therapist, then="/patients")
    name = "Nora Desk"
    base = register(therapist, name)
    fill_nonspecific_intake(therapist)
    screenshot(therapist, "intake-nonspecific-desktop")
    assert_accessible(therapist)
    therapist.get_by_role("button", name="Save and screen").click()
    verdict = therapist.locator(".verdict")
    expect(verdict).to_contain_text("Verdict: Awaiting clearance")
    expect(verdict).to_contain_text("Screened as: nonspecific back pain")
    therapist.locator(".next-step").get_by_role(
        "link", name="Request clearance"
    ).click()
    therapist.get_by_role("button", name="Request clearance").click()

    approve(open_page(), name)

    give_consent(therapist, base)
    therapist.goto(base)
    therapist.locator(".next-step").get_by_role("link").click()
    therapist.get_by_role("button", name="Issue the plan").click()
    expect(therapist.locator(".alert").first).to_contain_text("Active")
    summary = therapist.locator("section[aria-labelledby=summary]")
    expect(summary).to_contain_text("Nonspecific back pain")
    expect(summary).not_to_contain_text("Hernia")
    expect(therapist.locator("body")).to_contain_text("Course review at session 4")
    screenshot(therapist, "plan-nonspecific-desktop")
    assert_accessible(therapist)
    with therapist.expect_download() as download:
        therapist.get_by_role("link", name="Download the plan (PDF)").click()
    path = download.value.path()
    assert path.read_bytes().startswith(b"%PDF")
    text = pdf_text(path.read_bytes(), str(path))
    assert "non-specific back or neck pain" in text
    assert "STarT Back low risk" in text
    assert "4 sessions" in text or "Course review at session 4" in text
