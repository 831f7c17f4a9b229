"""Order cards, the no-screening warning, the response shape and the jti memory."""

from __future__ import annotations

import datetime as dt

from tests.factories import make_assessment

from spinewise.interop import (
    JtiCache,
    card_rules,
    cards_for,
    response_body,
    unavailable_card,
)
from spinewise.kb import KnowledgeBase
from spinewise.models import Modality
from spinewise.screening import screen

BASE = "http://127.0.0.1:8000"


def rules_of(kb: KnowledgeBase, ordered: tuple[Modality, ...] | None, **sections):
    decision = screen(make_assessment(**sections), kb)
    cards = cards_for(decision, kb, "hook-1", BASE, ordered=ordered)
    return cards, set(card_rules(cards).values())


def test_an_order_for_one_modality_drops_findings_about_the_others(
    kb: KnowledgeBase,
) -> None:
    incontinent = {"other": {"incontinence": True}}
    _, all_rules = rules_of(kb, None, **incontinent)
    _, classical = rules_of(kb, (Modality.CLASSICAL,), **incontinent)
    hydro = {r for r in all_rules - classical if r != "verdict"}
    assert hydro, "incontinence should concern hydromassage only"
    assert all(r in all_rules for r in classical)


def test_red_flags_stay_on_any_order(kb: KnowledgeBase) -> None:
    cards, rules = rules_of(
        kb, (Modality.HYDROMASSAGE,), red_flags={"saddle_anaesthesia": True}
    )
    assert "RF-CES-01" in rules
    assert cards[-1].indicator == "critical"


def test_the_order_card_names_the_modality_status(kb: KnowledgeBase) -> None:
    cards, _ = rules_of(kb, (Modality.VACUUM,), medications={"anticoagulants": True})
    last = cards[-1]
    assert last.summary.startswith("Ordered massage — vacuum: contraindicated")
    assert last.indicator == "critical"


def test_an_allowed_order_is_info(kb: KnowledgeBase) -> None:
    cards, _ = rules_of(kb, (Modality.CLASSICAL,))
    assert cards[-1].indicator == "info"
    assert "classical: allowed" in cards[-1].summary


def test_no_screening_is_a_warning_never_a_go_ahead() -> None:
    card = unavailable_card(
        "hook-1", BASE, code="no-assessment", summary="No screening", detail="..."
    )
    assert card.indicator == "warning"
    assert card_rules([card]) == {card.uuid: "no-assessment"}


def test_the_response_omits_optional_fields_instead_of_null(kb: KnowledgeBase) -> None:
    decision = screen(make_assessment(red_flags={"saddle_anaesthesia": True}), kb)
    body = response_body(cards_for(decision, kb, "hook-1", BASE))
    red = body["cards"][0]
    assert "overrideReasons" not in red and "links" not in red
    assert all(v is not None for card in body["cards"] for v in card.values())


def test_a_jti_is_remembered_until_its_token_expires() -> None:
    cache = JtiCache()
    now = dt.datetime(2026, 11, 24, 12, tzinfo=dt.UTC)
    expires = now + dt.timedelta(minutes=5)
    assert cache.claim("a", expires, now)
    assert not cache.claim("a", expires, now + dt.timedelta(minutes=4))
    later = now + dt.timedelta(minutes=6)
    assert cache.claim("a", later + dt.timedelta(minutes=5), later)


def test_many_expired_jtis_are_forgotten() -> None:
    cache = JtiCache()
    now = dt.datetime(2026, 11, 24, 12, tzinfo=dt.UTC)
    for i in range(1000):
        assert cache.claim(str(i), now + dt.timedelta(seconds=1), now)
    later = now + dt.timedelta(seconds=2)
    assert cache.claim("fresh", later + dt.timedelta(minutes=5), later)
    assert list(cache._seen) == ["fresh"]


def test_a_verdict_other_than_proceed_is_a_warning(kb: KnowledgeBase) -> None:
    cards, _ = rules_of(kb, None, clearance=None)  # awaiting clearance
    verdict = next(c for c in cards if card_rules([c]) == {c.uuid: "verdict"})
    assert verdict.summary == "Massage screening: awaiting clearance"
    assert verdict.indicator == "warning"
