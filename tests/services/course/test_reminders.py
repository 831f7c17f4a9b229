"""``run_reminders`` through a real SMTP server on both databases: due links are
issued and mailed once, even by two runs at the same time; one reminder follows an
unanswered link; consent, language and the one-click stop are respected."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator

import pytest
from tests.mailbox import SENDER, Inbox, smtp_server
from tests.pg import World
from tests.services.builders import START, planned_patient
from tests.services.course.test_outbox import PUBLIC, SECRET
from tests.text_packs import fake_pack, import_fake_texts

from spinewise import services
from spinewise.kb import KnowledgeBase
from spinewise.services import MailSettings, ReminderSettings
from spinewise.store import DueItems, Store

HOW = ReminderSettings(
    secret=SECRET,
    public_url=PUBLIC,
    sender=SENDER,
    valid_days=14,
    remind_after_days=3,
)
MORNING = dt.datetime(START.year, START.month, START.day, 8, tzinfo=dt.UTC)


@pytest.fixture
def mail() -> Iterator[tuple[Inbox, MailSettings]]:
    with smtp_server() as server:
        yield server


def contactable_plan(
    store: Store, world: World, kb: KnowledgeBase, language: str = "en"
) -> services.PlanRecord:
    plan = planned_patient(store, world, kb)
    import_fake_texts(store, world.admin_a)
    services.set_patient_contact(
        store,
        world.therapist_a,
        plan.patient_id,
        email="ann@example.org",
        language=language,
    )
    return plan


def run(
    store: Store, settings: MailSettings, at: dt.datetime = MORNING
) -> dict[str, int]:
    return services.run_reminders(store, services.smtp_mailer(settings), HOW, now=at)


def test_a_run_mails_the_links_due_and_a_second_run_sends_nothing(
    store: Store, world: World, kb: KnowledgeBase, mail: tuple[Inbox, MailSettings]
) -> None:
    inbox, settings = mail
    contactable_plan(store, world, kb)
    counts = run(store, settings)
    assert counts["linked"] == 2 and counts["sent"] == 2
    subjects = sorted(m["Subject"] for m in inbox.messages)
    assert subjects == [
        "Your questionnaire: FAKE ODI test pack",
        "Your questionnaire: FAKE STARTBACK test pack",
    ]
    assert f"{PUBLIC}/q/" in inbox.body(0)
    assert inbox.messages[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    again = run(store, settings)
    assert again["linked"] == 0 and again["sent"] == 0
    assert len(inbox.messages) == 2
    due = services.list_due(store, world.therapist_a, START)
    assert {i.link for i in due} == {"open"}


def test_two_concurrent_runs_send_each_link_once(
    store: Store, world: World, kb: KnowledgeBase, mail: tuple[Inbox, MailSettings]
) -> None:
    inbox, settings = mail
    contactable_plan(store, world, kb)
    results: list[dict[str, int]] = []
    runs = [
        threading.Thread(target=lambda: results.append(run(store, settings)))
        for _ in range(2)
    ]
    for thread in runs:
        thread.start()
    for thread in runs:
        thread.join()
    assert len(results) == 2, "both runs finished without an error"
    assert sum(r["linked"] for r in results) == 2
    assert len(inbox.messages) == 2
    assert len({m["Subject"] for m in inbox.messages}) == 2


def test_one_reminder_follows_an_unanswered_link_and_none_an_answered_one(
    store: Store, world: World, kb: KnowledgeBase, mail: tuple[Inbox, MailSettings]
) -> None:
    inbox, settings = mail
    plan = contactable_plan(store, world, kb)
    run(store, settings)
    services.record_response(
        store,
        world.therapist_a,
        plan.patient_id,
        {"instrument": "odi", "answered_on": START.isoformat(), "answers": [1] * 10},
    )
    later = MORNING + dt.timedelta(days=HOW.remind_after_days, hours=1)
    counts = run(store, settings, later)
    assert counts["sent"] == 1
    assert inbox.messages[-1]["Subject"] == (
        "Reminder: your questionnaire: FAKE STARTBACK test pack"
    )
    assert counts["cancelled"] == 1, "the ODI answered on paper is not reminded"
    assert run(store, settings, later + dt.timedelta(days=1))["sent"] == 0
    assert len(inbox.messages) == 3
    with store.unit_of_work() as uow:
        reminded = {
            row.instrument: row.reminded_at
            for row in DueItems(uow.session).of_plan(plan.id)
            if row.milestone == "baseline"
        }
    assert reminded["startback"] is not None and reminded["odi"] is None


def test_no_message_without_consent_and_the_stop_link_stops_the_reminder(
    store: Store, world: World, kb: KnowledgeBase, mail: tuple[Inbox, MailSettings]
) -> None:
    inbox, settings = mail
    plan = contactable_plan(store, world, kb)
    services.record_consent(
        store, world.therapist_a, plan.patient_id, "contact", given=False
    )
    assert run(store, settings)["no_contact"] == 2
    services.record_consent(
        store, world.therapist_a, plan.patient_id, "contact", given=True
    )
    assert run(store, settings)["sent"] == 2
    token = services.unsubscribe_token(SECRET, world.clinic_a, plan.patient_id)
    assert services.unsubscribe(store, token, SECRET) is True
    later = MORNING + dt.timedelta(days=HOW.remind_after_days, hours=1)
    counts = run(store, settings, later)
    assert counts["sent"] == 0 and counts["cancelled"] == 2
    assert len(inbox.messages) == 2


def test_a_russian_patient_gets_the_e_mail_in_russian(
    store: Store, world: World, kb: KnowledgeBase, mail: tuple[Inbox, MailSettings]
) -> None:
    inbox, settings = mail
    plan = contactable_plan(store, world, kb, language="ru")
    for instrument in ("odi", "startback"):
        pack = {**fake_pack(instrument), "language": "ru"}
        pack["title"] = f"ТЕСТОВЫЙ {instrument.upper()}"
        services.import_text_pack(store, world.admin_a, pack)
    assert run(store, settings)["sent"] == 2
    message = inbox.messages[0]
    assert message["Content-Language"] == "ru"
    assert message["Subject"].startswith("Ваш опросник: ТЕСТОВЫЙ")
    assert "Здравствуйте" in inbox.body(0)
    assert plan.patient_id in {
        i.patient.id for i in services.list_due(store, world.therapist_a, START)
    }
