"""``spinewise questionnaire due``, ``reminders run`` (no mail server: logged) and
``outbox resend`` / ``outbox cancel`` on both databases."""

from __future__ import annotations

import json
import os

from tests import pg
from tests.cli.running import SECRET_KEY, as_user, runner
from tests.services.builders import planned_patient
from tests.text_packs import import_fake_texts

from spinewise import services
from spinewise.cli import app
from spinewise.kb import KnowledgeBase
from spinewise.store import Store


def reminders_run(url: str) -> dict[str, int]:
    env = {"SPINEWISE_DATABASE_URL": url, "SPINEWISE_SECRET_KEY": SECRET_KEY}
    assert "SPINEWISE_SMTP_HOST" not in os.environ
    result = runner.invoke(app, ["reminders", "run", "--json"], env=env)
    assert result.exit_code == 0, result.stderr
    counts = json.loads(result.stdout)
    assert isinstance(counts, dict)
    return counts


def test_due_items_are_listed_then_linked_by_a_reminders_run(
    database_url: str, store: Store, world: pg.World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    import_fake_texts(store, world.admin_a)
    services.set_patient_contact(
        store, world.therapist_a, plan.patient_id, email="a@example.org", language="en"
    )
    listed = as_user(
        database_url, "therapist-a", "questionnaire", "due", "--overdue", "--json"
    )
    assert listed.exit_code == 0, listed.stderr
    baseline = [i for i in json.loads(listed.stdout) if i["milestone"] == "baseline"]
    assert {i["instrument"] for i in baseline} == {"odi", "startback"}
    assert {i["link"] for i in baseline} == {"none"}
    first = reminders_run(database_url)
    assert first["linked"] >= 2 and first["logged"] == first["linked"]
    again = reminders_run(database_url)
    assert again["linked"] == 0 and again["logged"] == 0
    text = as_user(database_url, "therapist-a", "questionnaire", "due")
    assert "link open" in text.stdout and "link none" not in text.stdout
    both = as_user(database_url, "therapist-a", "questionnaire", "due", "1", "--clinic")
    assert both.exit_code == 2 and "not both" in both.stderr


def test_a_message_is_re_sent_and_cancelled_from_the_cli(
    database_url: str, store: Store, world: pg.World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    services.set_patient_contact(
        store, world.therapist_a, plan.patient_id, email="a@example.org", language="en"
    )
    queued = services.email_link(
        store,
        world.therapist_a,
        plan.patient_id,
        "nrs",
        secret=SECRET_KEY,
        valid_days=7,
        public_url="https://clinic.example",
    )
    again = as_user(database_url, "therapist-a", "outbox", "resend", str(queued.id))
    assert again.exit_code == 0, again.stderr
    assert "queued to a@example.org" in again.stdout
    gone = as_user(database_url, "therapist-a", "outbox", "cancel", str(queued.id))
    assert gone.exit_code == 0 and "cancelled" in gone.stdout
    refused = as_user(database_url, "therapist-a", "outbox", "resend", str(queued.id))
    assert refused.exit_code == 2 and "send a new link" in refused.stderr


def test_an_open_link_is_cancelled_from_the_cli(
    database_url: str, store: Store, world: pg.World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    link = services.create_questionnaire_link(
        store,
        world.therapist_a,
        plan.patient_id,
        "nrs",
        secret=SECRET_KEY,
        valid_days=7,
    )
    done = as_user(database_url, "therapist-a", "questionnaire", "cancel", str(link.id))
    assert done.exit_code == 0, done.stderr
    assert f"link {link.id} (nrs, patient {plan.patient_id}) cancelled" in done.stdout
    assert services.open_links(store, world.therapist_a, plan.patient_id) == []
    again = as_user(
        database_url, "therapist-a", "questionnaire", "cancel", str(link.id)
    )
    assert again.exit_code == 2 and "already answered or cancelled" in again.stderr
    other = as_user(
        database_url, "therapist-b", "questionnaire", "cancel", str(link.id)
    )
    assert other.exit_code == 2 and "not found" in other.stderr
