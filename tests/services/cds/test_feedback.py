"""Cards shown, feedback and the override report, straight through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.factories import make_assessment
from tests.pg import World

from spinewise.errors import InputError, PermissionDeniedError
from spinewise.interop import FeedbackItem, cards_for
from spinewise.kb import KnowledgeBase
from spinewise.screening import screen
from spinewise.services import (
    CdsConfig,
    CdsHooks,
    CdsNotConfiguredError,
    feedback_report,
)
from spinewise.services.cds.feedback import record_feedback
from spinewise.services.cds.shown import HookCall, record_hook
from spinewise.store import Store

SERVICE = "spinewise-patient-view"
CLAIMS = {"iss": "https://ehr.example.test", "jti": "x"}


def show(
    store: World | Store, clinic_id: int, kb: KnowledgeBase, hook: str, **sections
):
    decision = screen(make_assessment(**sections), kb)
    cards = cards_for(decision, kb, hook, "http://127.0.0.1:8000")
    assert isinstance(store, Store)
    record_hook(store, clinic_id, HookCall(SERVICE, hook, "p-1", CLAIMS), cards)
    return {c.source.topic.code: c.uuid for c in cards if c.source.topic}


def item(
    card: str, outcome: str, at: str = "2026-11-24T10:00:00Z", **reason
) -> FeedbackItem:
    data: dict = {"card": card, "outcome": outcome, "outcomeTimestamp": at}
    if reason:
        data["overrideReason"] = {"reason": {"code": reason["code"]}}
    return FeedbackItem.model_validate(data)


def test_the_latest_outcome_of_a_card_counts(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    cards = show(store, world.clinic_a, kb, "h-1", medications={"anticoagulants": True})
    card = cards["CI-VAC-01"]
    record_feedback(
        store,
        world.clinic_a,
        SERVICE,
        [
            item(
                card,
                "overridden",
                "2026-11-24T10:00:00Z",
                code="patient-informed-consent",
            ),
            item(card, "accepted", "2026-11-24T10:05:00Z"),
        ],
        CLAIMS,
    )
    rule = next(
        r for r in feedback_report(store, world.physician_a) if r.rule == "CI-VAC-01"
    )
    assert (rule.shown, rule.accepted, rule.overridden) == (1, 1, 0)
    assert rule.reasons == []


def test_the_report_orders_by_override_rate_and_counts_reasons(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    for n in range(3):
        cards = show(
            store, world.clinic_a, kb, f"h-{n}", symptoms={"radicular_pain": True}
        )
        outcome = "overridden" if n < 2 else "accepted"
        record_feedback(
            store,
            world.clinic_a,
            SERVICE,
            [item(cards["PC-RAD-01"], outcome, code="not-applicable-to-area")]
            if outcome == "overridden"
            else [item(cards["PC-RAD-01"], outcome)],
            CLAIMS,
        )
    report = feedback_report(store, world.admin_a)
    first = report[0]
    assert first.rule == "PC-RAD-01"
    assert (first.shown, first.overridden, first.override_rate) == (3, 2, 0.6667)
    assert [(r.code, r.count) for r in first.reasons] == [("not-applicable-to-area", 2)]
    assert first.overridable


def test_only_governance_roles_read_the_report(store: Store, world: World) -> None:
    with pytest.raises(PermissionDeniedError):
        feedback_report(store, world.therapist_a)


def test_another_clinic_sees_nothing_and_cannot_send_feedback_on_its_cards(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    cards = show(store, world.clinic_a, kb, "h-1")
    assert feedback_report(store, world.physician_b) == []
    with pytest.raises(InputError) as caught:
        record_feedback(
            store, world.clinic_b, SERVICE, [item(cards["verdict"], "accepted")], CLAIMS
        )
    assert caught.value.problems[0].field == "feedback[0].card"


def test_feedback_must_name_a_card_of_the_same_service(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    cards = show(store, world.clinic_a, kb, "h-1")
    with pytest.raises(InputError):
        record_feedback(
            store,
            world.clinic_a,
            "spinewise-order-select",
            [item(cards["verdict"], "accepted")],
            CLAIMS,
        )


def test_a_repeated_hook_call_shows_its_cards_once(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    show(store, world.clinic_a, kb, "same")
    show(store, world.clinic_a, kb, "same")
    report = {r.rule: r for r in feedback_report(store, world.physician_a)}
    assert report["verdict"].shown == 1


def test_since_leaves_out_older_cards(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    show(store, world.clinic_a, kb, "h-1")
    tomorrow = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    assert feedback_report(store, world.physician_a, since=tomorrow) == []


def test_the_cds_service_refuses_to_run_without_its_clinic(
    store: Store, kb: KnowledgeBase
) -> None:
    for clinic in (None, "No Such Clinic"):
        cds = CdsHooks(store, kb, CdsConfig("http://127.0.0.1:8000", {}, clinic))
        with pytest.raises(CdsNotConfiguredError, match="SPINEWISE_CDS_CLINIC"):
            cds.clinic_id()
