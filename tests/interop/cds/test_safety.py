"""What cards state besides the decision: assessment date, staleness, clearance (pure)."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.factories import make_assessment

from spinewise.interop import cards_for
from spinewise.interop.cds.safety import CardFacts, annotate
from spinewise.interop.fhir.coded_answers import EhrAnswer
from spinewise.kb import KnowledgeBase
from spinewise.models import Clearance, ClearanceStatus
from spinewise.screening import screen

TODAY = dt.date(2026, 12, 4)
BASE = "https://spinewise.example.org"
APPROVED = Clearance(
    status=ClearanceStatus.APPROVED,
    physician="Dr Ivanova",
    date=dt.date(2026, 11, 20),
    valid_until=dt.date(2026, 12, 20),
)


def facts(**changes: object) -> CardFacts:
    base: dict[str, object] = {
        "today": TODAY,
        "authored": TODAY - dt.timedelta(days=2),
        "max_age_days": 14,
        "clearance": APPROVED,
        "record_number": "P-1",
        "clearance_url": f"{BASE}/patients/7/clearance",
        "known_patient": True,
    }
    return CardFacts(**{**base, **changes})  # type: ignore[arg-type]


def cards(kb: KnowledgeBase, card_facts: CardFacts, **sections: object) -> list:
    assessment = make_assessment(
        assessed_on=TODAY.isoformat(), clearance=card_facts.clearance, **sections
    )
    decision = screen(assessment, kb)
    made = cards_for(decision, kb, "hook-1", BASE)
    return annotate(made, decision, kb, card_facts, "hook-1", BASE)


def by_topic(made: list, code: str):
    return next(c for c in made if c.source.topic and c.source.topic.code == code)


@pytest.mark.parametrize(
    ("age", "stale"), [(0, False), (14, False), (15, True), (400, True)]
)
def test_the_age_limit_is_inclusive(age: int, stale: bool) -> None:
    assert facts(authored=TODAY - dt.timedelta(days=age)).stale is stale


def test_no_authored_date_is_stale() -> None:
    assert facts(authored=None).stale


def test_the_verdict_card_states_date_and_validity(kb: KnowledgeBase) -> None:
    verdict = by_topic(cards(kb, facts()), "verdict")
    assert verdict.indicator == "info"
    assert "(assessed 2026-12-02)" in verdict.summary
    assert "from 2026-12-02 (2 day(s) before 2026-12-04)" in verdict.detail
    assert (
        "approved by Dr Ivanova on 2026-11-20, valid until 2026-12-20 (valid today)"
        in verdict.detail
    )


def test_a_stale_go_ahead_becomes_a_warning(kb: KnowledgeBase) -> None:
    verdict = by_topic(cards(kb, facts(authored=dt.date(2026, 10, 1))), "verdict")
    assert verdict.indicator == "warning"
    assert verdict.summary.startswith("Assessment from 2026-10-01 is out of date")


@pytest.mark.parametrize(
    ("clearance", "says"),
    [
        (None, "none on record"),
        (Clearance(status=ClearanceStatus.PENDING), "awaiting the physician"),
        (
            Clearance(status=ClearanceStatus.DECLINED, date=dt.date(2026, 11, 1)),
            "declined on 2026-11-01",
        ),
        (
            APPROVED.model_copy(update={"valid_until": dt.date(2026, 12, 1)}),
            "NOT valid today",
        ),
    ],
)
def test_without_a_valid_approval_a_clearance_card_links_to_the_request(
    kb: KnowledgeBase, clearance: Clearance | None, says: str
) -> None:
    made = cards(kb, facts(clearance=clearance))
    card = by_topic(made, "clearance")
    assert card.indicator == "warning"
    assert says in card.detail
    assert card.links and card.links[0].url == f"{BASE}/patients/7/clearance"
    assert by_topic(made, "verdict").indicator == "warning"
    assert made.index(card) == len(made) - 2, "just before the verdict"


def test_a_finding_from_coded_data_cites_the_resource(kb: KnowledgeBase) -> None:
    coded = (
        EhrAnswer(
            "red_flags.saddle_anaesthesia",
            "Condition/ces-1",
            "ICD-10 G83.4 Cauda equina syndrome",
        ),
    )
    made = cards(kb, facts(coded=coded), red_flags={"saddle_anaesthesia": True})
    card = by_topic(made, "RF-CES-01")
    assert card.summary.endswith("[EHR: Condition/ces-1]")
    assert "Condition/ces-1 (ICD-10 G83.4 Cauda equina syndrome)" in card.detail
    assert "clearance" not in {c.source.topic.code for c in made if c.source.topic}
