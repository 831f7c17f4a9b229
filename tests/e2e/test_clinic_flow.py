"""The clinic flow in a real browser, from intake to the outcome chart.

A therapist registers a patient and submits the intake; a red flag gives the
referral page; a physician approves with an exclusion; the therapist issues the
plan, downloads its PDF and records two sessions; the patient answers a
questionnaire on a phone through the link; the chart shows the change. Every main
page is screenshot and checked with axe on the way.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from tests.e2e.conftest import (
    DEMO_PASSWORDS,
    PHONE,
    assert_accessible,
    screenshot,
    sign_in,
)
from tests.e2e.test_quick_screen import answer, fill_clean_intake

pytestmark = pytest.mark.e2e
OpenPage = Callable[..., Page]


def register(page: Page, name: str) -> str:
    """Register a patient through the form; the intake page follows."""
    page.goto("/patients")
    page.get_by_role("link", name="Register a patient").first.click()
    page.get_by_label("Record number").fill(f"E2E-{uuid.uuid4().hex[:8]}")
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Date of birth").fill("1980-04-02")
    page.get_by_role("button", name="Register and start the intake").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Intake: {name}")
    return page.url.removesuffix("/assessments/new")


def give_consent(page: Page, base: str) -> None:
    """The patient consents to treatment, data processing and contact."""
    page.goto(f"{base}/consent")
    for kind in ("treatment", "data_processing", "contact"):
        page.locator(f"section[aria-labelledby=consent-{kind}]").get_by_role(
            "button", name="The patient consents"
        ).click()
    expect(page.locator(".consent-state").first).to_contain_text("Given, recorded by")
    assert_accessible(page)


def fits_the_phone(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways ({width}px)"


def test_a_red_flag_gives_the_referral_page(open_page: OpenPage) -> None:
    therapist = open_page()
    sign_in(therapist, then="/patients")
    register(therapist, "Rita Redflag")
    fill_clean_intake(therapist)
    answer(therapist, "Saddle anaesthesia (numbness between the legs)", "Yes")
    therapist.get_by_role("button", name="Save and screen").click()
    expect(therapist.get_by_role("heading", level=1)).to_have_text(
        "Urgent referral: Rita Redflag"
    )
    referral = therapist.locator(".referral")
    expect(referral).to_contain_text("Refer the patient now: no massage")
    expect(referral).to_contain_text("RF-CES-01")
    expect(therapist.locator(".verdict")).to_contain_text("Verdict: Urgent referral")
    screenshot(therapist, "referral-desktop")
    assert_accessible(therapist)
    therapist.goto("/patients")
    row = therapist.get_by_role("row", name="Rita Redflag")
    expect(row).to_contain_text("Urgent referral")
    expect(row).to_contain_text("Refer the patient now")


def clear_with_an_exclusion(physician: Page, name: str) -> None:
    sign_in(physician, "physician-a", then="/clearances")
    expect(physician.get_by_role("row", name=name)).to_be_visible()
    screenshot(physician, "clearance-queue-desktop")
    assert_accessible(physician)
    physician.get_by_role("link", name=f"Decide for {name}").click()
    physician.get_by_label("Approve with exclusions (restrict)").check()
    physician.get_by_role("group", name="Modalities excluded").get_by_label(
        "Vacuum (cupping) massage"
    ).check()
    physician.get_by_label("Reason").fill("Bruises easily: no cupping in this course.")
    screenshot(physician, "clearance-form-desktop")
    assert_accessible(physician)
    physician.get_by_role("button", name="Record the decision").click()
    expect(physician.locator(".verdict")).to_contain_text("Verdict: Proceed")
    vacuum = physician.locator(".card", has_text="Vacuum (cupping) massage")
    expect(vacuum).to_contain_text("Excluded by the physician.")
    expect(vacuum).to_contain_text("Contraindicated")


def issue_plan_and_download(therapist: Page, base: str) -> None:
    therapist.goto(base)
    expect(therapist.locator(".next-step")).to_contain_text("Issue the course plan")
    therapist.locator(".next-step").get_by_role("link").click()
    group = therapist.get_by_role("group", name="Modalities")
    expect(group.get_by_label("Vacuum (cupping) massage")).to_have_count(0)
    group.get_by_label("Hydromassage").uncheck()
    therapist.get_by_role("button", name="Issue the plan").click()
    expect(therapist.locator(".alert").first).to_contain_text("Active")
    chart = therapist.get_by_role("img", name="Posterior view of the back")
    expect(chart).to_be_visible()
    assert therapist.evaluate("document.querySelector('.chart img').naturalWidth") > 0
    screenshot(therapist, "plan-desktop")
    assert_accessible(therapist)
    with therapist.expect_download() as download:
        therapist.get_by_role("link", name="Download the plan (PDF)").click()
    path = download.value.path()
    assert path.read_bytes().startswith(b"%PDF")
    assert download.value.suggested_filename.endswith(".pdf")


def record_session(
    therapist: Page, base: str, number: int, pain: tuple[int, int]
) -> None:
    therapist.goto(base)
    therapist.locator(".next-step").get_by_role(
        "link", name=f"Record session {number}"
    ).click()
    expect(therapist.locator(".session-form h2")).to_contain_text(f"session {number}")
    steps = therapist.get_by_role("group", name="Steps done")
    for box in steps.get_by_role("checkbox").all():
        box.check()
    therapist.get_by_label("Pain before the session, 0 to 10").fill(str(pain[0]))
    therapist.get_by_label("Pain after the session, 0 to 10").fill(str(pain[1]))
    therapist.get_by_role(
        "group", name="Saddle anaesthesia (numbness between the legs)"
    ).get_by_label("No", exact=True).check()
    therapist.get_by_label("SOAP: subjective").fill("Less pain on waking.")
    if number == 1:
        screenshot(therapist, "session-form-desktop")
        assert_accessible(therapist)
    therapist.get_by_role("button", name="Sign and save the note").click()
    expect(therapist.locator(".just")).to_contain_text(
        f"Session {number} recorded and signed"
    )
    expect(therapist.locator(".just")).to_contain_text("No stop rule applied.")


def patient_answers_on_the_phone(phone: Page, url: str) -> None:
    phone.goto(url)
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        "Pain numeric rating scale (0-10)"
    )
    expect(phone.get_by_role("navigation", name="Main")).to_have_count(0)
    fits_the_phone(phone)
    screenshot(phone, "questionnaire-phone")
    assert_accessible(phone)
    phone.get_by_role("group", name="Question 1").get_by_label("2", exact=True).check()
    phone.get_by_role("button", name="Send my answers").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Thank you")
    screenshot(phone, "questionnaire-done-phone")
    phone.goto(url)
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        "This questionnaire is closed"
    )


def measure_outcomes(therapist: Page, base: str) -> str:
    """A baseline entered at the clinic, then a link for the follow-up."""
    therapist.goto(f"{base}/outcomes")
    expect(therapist.locator(".empty")).to_contain_text("No questionnaire yet.")
    therapist.get_by_role("button", name="Enter the answers").click()
    baseline = dt.date.today() - dt.timedelta(days=14)
    therapist.get_by_label("Date answered").fill(baseline.isoformat())
    therapist.get_by_role("group", name="Question 1").get_by_label(
        "7", exact=True
    ).check()
    therapist.get_by_role("button", name="Save and score").click()
    expect(therapist.locator(".outcome").first).to_contain_text("Baseline only")
    therapist.get_by_label("Questionnaire", exact=True).last.select_option("nrs")
    therapist.get_by_role("button", name="Create the link").click()
    link = therapist.get_by_label("Link for the patient").input_value()
    assert "/q/" in link
    screenshot(therapist, "questionnaire-link-desktop")
    return link


def test_a_patient_goes_from_intake_to_the_outcome_chart(open_page: OpenPage) -> None:
    therapist = open_page()
    sign_in(therapist, then="/patients")
    screenshot(therapist, "patients-desktop")
    assert_accessible(therapist)
    name = "Ada Flow"
    base = register(therapist, name)
    screenshot(therapist, "intake-stored-desktop")
    fill_clean_intake(therapist)
    therapist.get_by_role("button", name="Save and screen").click()
    expect(therapist.locator(".verdict")).to_contain_text("Verdict: Awaiting clearance")
    screenshot(therapist, "decision-awaiting-desktop")
    assert_accessible(therapist)
    therapist.locator(".next-step").get_by_role(
        "link", name="Request clearance"
    ).click()
    therapist.get_by_label("Note for the physician").fill(
        "Clean intake; please review."
    )
    therapist.get_by_role("button", name="Request clearance").click()
    expect(therapist.locator("section[aria-labelledby=request]")).to_contain_text(
        "Clearance was requested"
    )

    clear_with_an_exclusion(open_page(), name)
    give_consent(therapist, base)
    issue_plan_and_download(therapist, base)
    record_session(therapist, base, 1, (5, 4))
    screenshot(therapist, "session-notes-desktop")
    assert_accessible(therapist)
    record_session(therapist, base, 2, (4, 3))

    link = measure_outcomes(therapist, base)
    patient_answers_on_the_phone(open_page(phone=True), link)

    therapist.goto(f"{base}/outcomes")
    change = therapist.locator(".change")
    expect(change).to_contain_text("Improved")
    expect(change).to_contain_text("Clinically important.")
    chart = therapist.get_by_role("img", name="NRS scores by date")
    expect(chart).to_be_visible()
    screenshot(therapist, "outcomes-desktop")
    assert_accessible(therapist)
    therapist.goto(base)
    expect(therapist.locator(".next-step")).to_contain_text("Record session 3")
    screenshot(therapist, "patient-desktop")
    assert_accessible(therapist)


def test_the_patient_list_and_patient_page_work_at_phone_width(
    open_page: OpenPage,
) -> None:
    phone = open_page(phone=True)
    sign_in(phone, "therapist", then="/patients", password=DEMO_PASSWORDS["therapist"])
    fits_the_phone(phone)
    screenshot(phone, "patients-phone")
    assert_accessible(phone)
    phone.locator("tbody th a").first.click()
    expect(phone.locator(".next-step")).to_be_visible()
    fits_the_phone(phone)
    screenshot(phone, "patient-phone")
    assert_accessible(phone)


def test_the_audit_trail_is_for_admins(open_page: OpenPage) -> None:
    admin = open_page()
    sign_in(admin, "admin-a", then="/audit")
    expect(admin.get_by_role("heading", level=1)).to_have_text("Audit trail")
    expect(admin.get_by_role("link", name="Patients")).to_have_count(0)
    admin.get_by_label("Action").select_option("login")
    admin.get_by_role("button", name="Show events").click()
    expect(admin.locator("table.audit")).to_contain_text("login")
    screenshot(admin, "audit-desktop")
    assert_accessible(admin)
