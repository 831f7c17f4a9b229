"""A working day walked in a real browser on SQLite and PostgreSQL, at 390x844 and
1280x800: the therapist moves a session (a date in the past refused first), the
physician opens the assessment waiting for clearance, the administrator sees the
message that did not go out and erases a patient (an open course refused first).
Screenshots in test-output/screenshots/walk-*; axe on every page."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect
from tests import pg
from tests.e2e.conftest import DESKTOP, PHONE, _free_port, assert_accessible, sign_in
from tests.e2e.conftest import screenshot as save
from tests.services.builders import approve, assessed_patient

from spinewise import services
from spinewise.config import Settings
from spinewise.kb import KnowledgeBase
from spinewise.store import OutboxRow, Store
from spinewise.web import create_app

pytestmark = pytest.mark.e2e
backend, pg_cluster, templates, database_url, store, world = (
    pg.backend,
    pg.pg_cluster,
    pg.templates,
    pg.database_url,
    pg.store,
    pg.world,
)
SIZES = {"phone": PHONE, "desktop": DESKTOP}


@dataclass(frozen=True)
class Day:
    url: str
    backend: str
    plan: services.PlanRecord
    in_error: dict[str, int]


def _clinic_day(store: Store, world: pg.World, kb: KnowledgeBase) -> Day:
    therapist, physician = world.therapist_a, world.physician_a
    screened = assessed_patient(store, therapist, kb, record_number="W-1")
    patient_id = screened.assessment.patient_id
    approve(store, physician, patient_id, kb, valid_until="2027-12-31")
    plan = services.issue_plan(
        store, therapist, patient_id, kb, start_date=dt.date.today()
    )
    waiting = assessed_patient(store, therapist, kb, record_number="W-2")
    services.request_clearance(store, therapist, waiting.assessment.patient_id)
    with store.unit_of_work(write=True) as uow:
        uow.session.add(
            OutboxRow(
                clinic_id=world.clinic_a, patient_id=patient_id, kind="link",
                dedupe_key="walk", to_address="w@example.org", language="en",
                subject="s", body="b", status="failed", attempts=3,
                last_error="mail server refused the address",
            )
        )  # fmt: skip
    in_error = {
        size: services.register_patient(
            store, therapist, {"record_number": f"X-{size}", "name": "Wrong Entry"}
        ).id
        for size in SIZES
    }
    return Day("", "", plan, in_error)


@pytest.fixture
def day(
    backend: str, database_url: str, store: Store, world: pg.World, kb: KnowledgeBase
) -> Iterator[Day]:
    """The app over this backend's fresh database, served by uvicorn in a thread."""
    made = _clinic_day(store, world, kb)
    app = create_app(Settings(database_url=database_url), kb=kb, store=store)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "no server"
        time.sleep(0.02)
    yield Day(f"http://127.0.0.1:{port}", backend, made.plan, made.in_error)
    server.should_exit = True
    thread.join(timeout=5)


def _page(browser: Browser, day: Day, size: str) -> Page:
    phone = size == "phone"
    context = browser.new_context(
        base_url=day.url, viewport=SIZES[size], is_mobile=phone, has_touch=phone
    )
    return context.new_page()


def _shot(page: Page, day: Day, name: str, size: str) -> None:
    if size == "phone":
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{page.url} scrolls sideways at phone width ({width}px)"
    save(page, f"walk-{day.backend}-{name}-{size}")
    assert_accessible(page)


def _therapist(page: Page, day: Day, size: str, store: Store, world: pg.World) -> None:
    sign_in(page, "therapist-a", then="/today")
    expect(page.locator("#sessions-today")).to_contain_text("(1)")
    _shot(page, day, "therapist-today", size)
    page.get_by_role("link", name="Schedule").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Schedule of the plan")
    _shot(page, day, "therapist-schedule", size)
    dates = services.planned_dates(store, world.therapist_a, day.plan.id)
    page.get_by_role("link", name=f"Move session {dates[-1].session_number}").click()
    page.get_by_label("New date").fill("2001-01-01")
    page.get_by_label("Reason").fill("the patient is away")
    page.get_by_role("button", name="Move the session").click()
    expect(page.locator(".error-summary")).to_contain_text("is in the past")
    _shot(page, day, "therapist-move-refused", size)
    later = dates[-1].date + dt.timedelta(days=1)
    page.get_by_label("New date").fill(later.isoformat())
    page.get_by_label("Time").fill("17:30")
    page.get_by_role("button", name="Move the session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Schedule of the plan")
    expect(page.locator("tbody tr").last).to_contain_text("17:30")
    _shot(page, day, "therapist-moved", size)


def _physician(page: Page, day: Day, size: str) -> None:
    sign_in(page, "physician-a", then="/today")
    expect(page.locator("#clearances")).to_contain_text("(1)")
    _shot(page, day, "physician-today", size)
    page.get_by_role("link", name="read the assessment").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Assessment")
    _shot(page, day, "physician-assessment", size)


def _admin(page: Page, day: Day, size: str) -> None:
    sign_in(page, "admin-a", then="/today")
    expect(page.locator("#outbox-problems")).to_contain_text("(1)")
    _shot(page, day, "admin-today", size)
    page.get_by_role("link", name="Erase a patient's personal data").click()
    page.get_by_label("Patient id").fill(str(day.plan.patient_id))
    page.get_by_label("I understand that this cannot be undone").check()
    page.get_by_role("button", name="Erase the personal data").click()
    expect(page.locator(".error-summary")).to_contain_text(
        "Patient id: patient 1 has an open course"
    )
    _shot(page, day, "admin-erase-refused", size)
    page.get_by_label("Patient id").fill(str(day.in_error[size]))
    page.get_by_label("Reason").select_option("registered_in_error")
    page.get_by_label("I understand that this cannot be undone").check()
    page.get_by_role("button", name="Erase the personal data").click()
    expect(page.get_by_role("status")).to_contain_text("personal data erased")
    _shot(page, day, "admin-erased", size)


def test_a_working_day_of_each_role(
    browser: Browser, day: Day, store: Store, world: pg.World
) -> None:
    for size in SIZES:
        for role in ("therapist", "physician", "admin"):
            page = _page(browser, day, size)
            if role == "therapist":
                _therapist(page, day, size, store, world)
            elif role == "physician":
                _physician(page, day, size)
            else:
                _admin(page, day, size)
            page.context.close()
    erased = services.get_patient(store, world.therapist_a, day.in_error["phone"])
    assert erased.name.startswith("Erased patient")
