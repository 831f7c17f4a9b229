"""Feedback over HTTP: outcomes stored per card (hence per rule) and reported."""

from __future__ import annotations

from typing import Any

from tests.factories import make_assessment
from tests.pg import World
from tests.web.cds.support import (
    PATIENT_VIEW,
    TestClient,
    aud,
    card_of,
    patient_view,
    prefetch_of,
    signed,
)

from spinewise.services import AuditFilter, feedback_report, list_audit
from spinewise.store import Store

FEEDBACK = f"/cds-services/{PATIENT_VIEW}/feedback"
WHEN = "2026-11-24T10:05:31Z"
ACCEPTED = [{"id": "e56e1945-20b3-4393-8503-a1a20fd73152"}]


def shown(client: TestClient) -> dict[str, Any]:
    prefetch = prefetch_of(
        make_assessment(
            red_flags={"saddle_anaesthesia": True},
            medications={"anticoagulants": True},
        )
    )
    answer = client.post(
        f"/cds-services/{PATIENT_VIEW}",
        json=patient_view(prefetch),
        headers=signed(),
    )
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def send(client: TestClient, *items: dict[str, Any], feedback_aud: bool = True):
    audience = aud(PATIENT_VIEW, feedback=feedback_aud)
    return client.post(
        FEEDBACK, json={"feedback": list(items)}, headers=signed(audience=audience)
    )


def overridden(card: str, code: str | None = None, comment: str | None = None):
    reason: dict[str, Any] = {}
    if code:
        reason["reason"] = {"code": code, "system": "urn:spinewise:cds-override-reason"}
    if comment:
        reason["userComment"] = comment
    item: dict[str, Any] = {
        "card": card,
        "outcome": "overridden",
        "outcomeTimestamp": WHEN,
    }
    if reason:
        item["overrideReason"] = reason
    return item


def test_feedback_is_stored_and_reported_per_rule(
    cds: TestClient, store: Store, world: World
) -> None:
    cards = shown(cds)
    contra = card_of(cards, "CI-VAC-01")["uuid"]
    red = card_of(cards, "RF-CES-01")["uuid"]
    verdict = card_of(cards, "verdict")["uuid"]
    answer = send(
        cds,
        overridden(contra, "physician-assessed", "seen by Dr A this morning"),
        {
            "card": verdict,
            "outcome": "accepted",
            "acceptedSuggestions": ACCEPTED,
            "outcomeTimestamp": WHEN,
        },
        overridden(red),
    )
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"stored": 3}

    report = {r.rule: r for r in feedback_report(store, world.physician_a)}
    assert report["CI-VAC-01"].overridden == 1
    assert report["CI-VAC-01"].reasons[0].code == "physician-assessed"
    assert report["CI-VAC-01"].comments == ["seen by Dr A this morning"]
    assert report["verdict"].accepted == 1
    assert report["RF-CES-01"].overridden_though_not_overridable == 1
    assert all(r.shown == 1 for r in report.values())


def test_feedback_for_an_unknown_card_is_400_and_stores_nothing(
    cds: TestClient, store: Store, world: World
) -> None:
    cards = shown(cds)
    known = card_of(cards, "verdict")["uuid"]
    answer = send(
        cds,
        {
            "card": known,
            "outcome": "accepted",
            "acceptedSuggestions": ACCEPTED,
            "outcomeTimestamp": WHEN,
        },
        overridden("00000000-0000-0000-0000-000000000000"),
    )
    assert answer.status_code == 400
    assert answer.json()["issue"][0]["expression"] == ["feedback[1].card"]
    report = feedback_report(store, world.physician_a)
    assert all(r.accepted == r.overridden == 0 for r in report)


def test_a_malformed_feedback_names_the_field(cds: TestClient) -> None:
    card = card_of(shown(cds), "verdict")["uuid"]
    answer = send(cds, {"card": card, "outcome": "ignored", "outcomeTimestamp": WHEN})
    assert answer.status_code == 400
    assert answer.json()["issue"][0]["expression"] == ["feedback[0].outcome"]
    answer = send(
        cds,
        {
            "card": card,
            "outcome": "accepted",
            "acceptedSuggestions": ACCEPTED,
            "outcomeTimestamp": "now",
        },
    )
    assert answer.json()["issue"][0]["expression"] == ["feedback[0].outcomeTimestamp"]


def test_feedback_accepts_the_service_url_as_audience(cds: TestClient) -> None:
    card = card_of(shown(cds), "verdict")["uuid"]
    item = {
        "card": card,
        "outcome": "accepted",
        "acceptedSuggestions": ACCEPTED,
        "outcomeTimestamp": WHEN,
    }
    assert send(cds, item, feedback_aud=False).status_code == 200


def test_feedback_needs_a_valid_token(cds: TestClient) -> None:
    answer = cds.post(FEEDBACK, json={"feedback": []})
    assert answer.status_code == 401


def test_calls_and_feedback_are_audited_as_cds_events(
    cds: TestClient, store: Store, world: World
) -> None:
    card = card_of(shown(cds), "verdict")["uuid"]
    send(
        cds,
        {
            "card": card,
            "outcome": "accepted",
            "acceptedSuggestions": ACCEPTED,
            "outcomeTimestamp": WHEN,
        },
    )
    events = list_audit(store, world.admin_a, AuditFilter(interface="cds"))
    assert {(e.action, e.entity) for e in events} == {
        ("read", "cds_hook"),
        ("create", "cds_feedback"),
    }
    hook = next(e for e in events if e.entity == "cds_hook")
    assert hook.detail is not None and hook.detail["ehr_patient"] == "1288992"
