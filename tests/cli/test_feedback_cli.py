"""``spinewise feedback report``: per rule, shown, accepted, overridden and why."""

from __future__ import annotations

import json

from tests import pg
from tests.cli.running import as_user
from tests.factories import make_assessment

from spinewise.interop import FeedbackItem, card_rules, cards_for
from spinewise.kb import KnowledgeBase
from spinewise.screening import screen
from spinewise.services.cds.feedback import record_feedback
from spinewise.services.cds.shown import HookCall, record_hook
from spinewise.store import open_store

SERVICE = "spinewise-patient-view"
CLAIMS = {"iss": "https://ehr.example.test"}


def seed(url: str, clinic_id: int, kb: KnowledgeBase) -> None:
    """Two hook calls with an anticoagulant: one override with a reason, one accept."""
    store = open_store(url)
    try:
        decision = screen(make_assessment(medications={"anticoagulants": True}), kb)
        for n, outcome in enumerate(("overridden", "accepted")):
            cards = cards_for(decision, kb, f"hook-{n}", "http://127.0.0.1:8000")
            record_hook(
                store, clinic_id, HookCall(SERVICE, f"hook-{n}", "p", CLAIMS), cards
            )
            card = next(u for u, r in card_rules(cards).items() if r == "CI-VAC-01")
            item = {
                "card": card,
                "outcome": outcome,
                "outcomeTimestamp": "2026-11-24T10:00:00Z",
            }
            if outcome == "overridden":
                item["overrideReason"] = {
                    "reason": {
                        "code": "physician-assessed",
                        "display": "Assessed in person",
                    },
                    "userComment": "INR checked today",
                }
            feedback = [FeedbackItem.model_validate(item)]
            record_feedback(store, clinic_id, SERVICE, feedback, CLAIMS)
    finally:
        store.dispose()


def test_the_report_shows_counts_reasons_and_comments(
    database_url: str, world: pg.World, kb: KnowledgeBase
) -> None:
    seed(database_url, world.clinic_a, kb)
    run = as_user(database_url, "physician-a", "feedback", "report")
    assert run.exit_code == 0, run.stderr
    line = next(x for x in run.stdout.splitlines() if x.startswith("CI-VAC-01"))
    assert line.split()[1:5] == ["2", "1", "1", "50%"]
    assert "Assessed in person: 1" in line
    assert "INR checked today" in run.stdout


def test_the_json_report_and_since(
    database_url: str, world: pg.World, kb: KnowledgeBase
) -> None:
    seed(database_url, world.clinic_a, kb)
    run = as_user(database_url, "admin-a", "feedback", "report", "--json")
    assert run.exit_code == 0, run.stderr
    rows = {r["rule"]: r for r in json.loads(run.stdout)}
    assert rows["CI-VAC-01"]["override_rate"] == 0.5
    assert rows["CI-VAC-01"]["reasons"][0]["code"] == "physician-assessed"
    later = as_user(
        database_url, "admin-a", "feedback", "report", "--since", "2999-01-01"
    )
    assert "no CDS Hooks cards shown" in later.stdout


def test_a_therapist_may_not_read_the_report(database_url: str) -> None:
    run = as_user(database_url, "therapist-a", "feedback", "report")
    assert run.exit_code == 2
    assert "may not read the CDS override report" in run.stderr
