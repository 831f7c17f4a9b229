"""The whole outcome loop on a real server and a real mail server (aiosmtpd): the day
view lists the plan's baseline questionnaires as due, ``spinewise reminders run``
mails the links (subject, link, language, one-click stop), the patient opens the
link on a 390x844 phone and answers, the score and its chart are on the outcomes
page and the item is no longer due. Every page fits and is axe clean."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect
from tests.cli.running import runner
from tests.e2e.conftest import DESKTOP, PHONE, assert_accessible, screenshot
from tests.e2e.test_clinic_flow import fits_the_phone
from tests.mailbox import Inbox, smtp_server
from tests.pg import PASSWORD, World, seed_world
from tests.services.builders import approve, assessed_patient
from tests.text_packs import import_fake_texts

from spinewise import services
from spinewise.cli import app as cli_app
from spinewise.config import Settings
from spinewise.kb import KnowledgeBase
from spinewise.store import Store, open_store, upgrade
from spinewise.web import create_app

pytestmark = pytest.mark.e2e


@dataclass
class Loop:
    base: str
    url: str
    store: Store
    world: World
    patient_id: int
    inbox: Inbox
    env: dict[str, str]


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _patient_with_a_plan(store: Store, world: World, kb: KnowledgeBase) -> int:
    therapist = world.therapist_a
    screened = assessed_patient(store, therapist, kb, record_number="P-77")
    patient_id = screened.assessment.patient_id
    approve(store, world.physician_a, patient_id, kb)
    services.issue_plan(store, therapist, patient_id, kb, start_date=dt.date.today())
    import_fake_texts(store, world.admin_a, ("odi", "startback"))
    services.set_patient_contact(
        store, therapist, patient_id, email="phone@example.org", language="en"
    )
    return patient_id


@pytest.fixture
def loop(kb: KnowledgeBase, tmp_path: Path) -> Iterator[Loop]:
    url = f"sqlite:///{tmp_path / 'loop.sqlite3'}"
    store = open_store(url)
    upgrade(store)
    world = seed_world(store)
    patient_id = _patient_with_a_plan(store, world, kb)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with smtp_server() as (inbox, mail):
        env = {
            "SPINEWISE_DATABASE_URL": url,
            "SPINEWISE_PUBLIC_URL": base,
            "SPINEWISE_SMTP_HOST": mail.host,
            "SPINEWISE_SMTP_PORT": str(mail.port),
            "SPINEWISE_SMTP_STARTTLS": "false",
            "SPINEWISE_MAIL_FROM": mail.sender,
        }
        settings = Settings(
            database_url=url,
            public_url=base,
            smtp_host=mail.host,
            smtp_port=mail.port,
            smtp_starttls=False,
            mail_from=mail.sender,
        )
        server = uvicorn.Server(
            uvicorn.Config(
                create_app(settings, kb=kb, store=store),
                host="127.0.0.1",
                port=port,
                log_level="warning",
            )
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not server.started:
            assert time.monotonic() < deadline and thread.is_alive(), "no server"
            time.sleep(0.05)
        try:
            yield Loop(base, url, store, world, patient_id, inbox, env)
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            store.dispose()


def _sign_in(page: Page, then: str) -> None:
    page.goto(f"/login?next={then}")
    page.get_by_label("Username").fill("therapist-a")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{then}")


def _the_day_lists_the_baseline(therapist: Page) -> None:
    _sign_in(therapist, "/today")
    panel = therapist.locator("#due")
    expect(panel.get_by_role("heading", level=2)).to_have_text("Questionnaires due (2)")
    expect(panel).to_contain_text("Oswestry")
    expect(panel).to_contain_text("due today")
    expect(panel).to_contain_text("no link sent yet")
    screenshot(therapist, "due-panel-before-run")
    assert_accessible(therapist)


def _reminders_run(loop: Loop) -> None:
    result = runner.invoke(cli_app, ["reminders", "run", "--json"], env=loop.env)
    assert result.exit_code == 0, result.stderr
    assert '"linked": 2' in result.stdout and '"sent": 2' in result.stdout


def _the_odi_mail(loop: Loop) -> str:
    [odi] = [m for m in loop.inbox.messages if "ODI" in str(m["Subject"])]
    assert odi["Subject"] == "Your questionnaire: FAKE ODI test pack"
    assert odi["To"] == "phone@example.org"
    assert odi["Content-Language"] == "en"
    assert odi["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert str(odi["List-Unsubscribe"]).strip().startswith(f"<{loop.base}/unsubscribe/")
    body = odi.get_content()
    [link] = [w for w in body.split() if w.startswith(f"{loop.base}/q/")]
    return str(link)


def _the_patient_answers(phone: Page, link: str) -> None:
    phone.goto(link)
    expect(phone.get_by_role("heading", level=1)).to_have_text("FAKE ODI test pack")
    fits_the_phone(phone)
    assert_accessible(phone)
    screenshot(phone, "due-loop-odi-phone")
    for number in range(1, 11):
        phone.get_by_role(
            "group", name=f"Question {number} FAKE TEST ITEM {number} of ODI"
        ).get_by_label("fake option 2", exact=True).check()
    phone.get_by_role("button", name="Send my answers").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Thank you")
    fits_the_phone(phone)
    screenshot(phone, "due-loop-thank-you-phone")


def _the_score_and_chart_are_shown(therapist: Page, loop: Loop) -> None:
    therapist.goto(f"/patients/{loop.patient_id}/outcomes")
    chart = therapist.locator("figure.chart img").first
    expect(chart).to_be_visible()
    assert therapist.evaluate(
        "() => document.querySelector('figure.chart img').naturalWidth"
    ), "the chart image loads"
    expect(therapist.locator("main")).to_contain_text("40")
    screenshot(therapist, "due-loop-outcomes")
    assert_accessible(therapist)
    therapist.goto("/today")
    panel = therapist.locator("#due")
    expect(panel.get_by_role("heading", level=2)).to_have_text("Questionnaires due (1)")
    expect(panel).to_contain_text("link sent, not answered")
    screenshot(therapist, "due-panel-after-answer")


def _the_day_fits_a_phone(phone: Page) -> None:
    _sign_in(phone, "/today")
    expect(phone.locator("#due")).to_contain_text("link sent, not answered")
    fits_the_phone(phone)
    screenshot(phone, "due-panel-phone")
    assert_accessible(phone)


def test_reminders_mail_the_due_link_and_the_phone_answer_reaches_the_chart(
    browser: Browser, loop: Loop
) -> None:
    desk = browser.new_context(base_url=loop.base, viewport=DESKTOP)
    mobile = browser.new_context(
        base_url=loop.base, viewport=PHONE, is_mobile=True, has_touch=True
    )
    try:
        therapist = desk.new_page()
        _the_day_lists_the_baseline(therapist)
        _reminders_run(loop)
        link = _the_odi_mail(loop)
        _the_patient_answers(mobile.new_page(), link)
        _the_score_and_chart_are_shown(therapist, loop)
        _the_day_fits_a_phone(mobile.new_page())
    finally:
        desk.close()
        mobile.close()
