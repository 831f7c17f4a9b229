"""A physician's approval carries over to a newer assessment only under the issue's
exact conditions, and says which answer or rule asks for it again."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests.factories import make_assessment

from spinewise.kb import KnowledgeBase
from spinewise.screening import changed_answers, clearance_carries_over

UNTIL = dt.date(2026, 12, 20)
LATER = "2026-12-01"


def carry(kb: KnowledgeBase, until: dt.date | None = UNTIL, **after: Any) -> Any:
    before = make_assessment()
    return clearance_carries_over(
        before, make_assessment(assessed_on=LATER, **after), kb, until
    )


def test_an_unchanged_assessment_within_valid_until_keeps_the_approval(
    kb: KnowledgeBase,
) -> None:
    result = carry(kb)
    assert result.carries and result.reasons == []


def test_better_answers_keep_the_approval(kb: KnowledgeBase) -> None:
    result = carry(kb, symptoms={"pain_nrs": 2}, medications={"analgesics": ["x"]})
    assert result.carries, result.reasons


def test_an_approval_without_an_end_date_ends_at_the_next_assessment(
    kb: KnowledgeBase,
) -> None:
    result = carry(kb, until=None)
    assert not result.carries
    assert result.reasons == [
        "the approval had no end date, so it ended at this new assessment"
    ]


def test_an_approval_that_ended_before_the_new_date_is_asked_again(
    kb: KnowledgeBase,
) -> None:
    result = carry(kb, until=dt.date(2026, 11, 30))
    assert not result.carries
    assert "ended on 2026-11-30" in result.reasons[0]


@pytest.mark.parametrize(
    ("sections", "path"),
    [
        ({"red_flags": {"fever": None}}, "red_flags.fever"),
        ({"circulation_skin": {"fragile_skin": None}}, "circulation_skin.fragile_skin"),
        ({"symptoms": {"antalgic_posture": None}}, "symptoms.antalgic_posture"),
    ],
    ids=["red-flag", "contraindication", "acute-phase"],
)
def test_an_answer_that_became_unknown_asks_again_naming_it(
    kb: KnowledgeBase, sections: dict[str, Any], path: str
) -> None:
    result = carry(kb, **sections, clearance=None)
    assert not result.carries
    assert [a.path for a in result.answers] == [path]
    assert any(f"\u201c{path}\u201d is now unknown" in r for r in result.reasons)


def test_an_answer_that_crosses_a_threshold_asks_again_naming_the_rule(
    kb: KnowledgeBase,
) -> None:
    result = carry(kb, symptoms={"pain_nrs": 8})
    assert not result.carries
    assert [a.path for a in result.answers] == ["symptoms.pain_nrs"]
    assert "DF-ACU-03" in result.rules


@pytest.mark.parametrize(
    "symptoms",
    [{"pain_nrs": 5}, {"pain_trend": "stable"}, {"onset_date": "2026-10-01"}],
    ids=["pain-up-below-threshold", "another-choice", "another-date"],
)
def test_any_other_change_of_a_guarded_answer_asks_again(
    kb: KnowledgeBase, symptoms: dict[str, Any]
) -> None:
    result = carry(kb, symptoms=symptoms)
    assert not result.carries
    assert [a.path for a in result.answers] == [f"symptoms.{next(iter(symptoms))}"]


def test_a_newly_firing_precaution_asks_for_the_physicians_word(
    kb: KnowledgeBase,
) -> None:
    result = carry(
        kb, other={"intoxication": None}, medications={"antiplatelets": True}
    )
    assert not result.carries
    assert "PC-APL-01" in result.rules
    assert any("PC-APL-01 applies now" in r for r in result.reasons)


def test_labels_name_the_answer_in_the_reasons(kb: KnowledgeBase) -> None:
    before = make_assessment()
    after = make_assessment(assessed_on=LATER, red_flags={"fever": None})
    result = clearance_carries_over(
        before, after, kb, UNTIL, {"red_flags.fever": "Fever"}
    )
    assert result.reasons == ["the answer \u201cFever\u201d is now unknown"]


def test_changed_answers_lists_every_difference_in_contract_order(
    kb: KnowledgeBase,
) -> None:
    before = make_assessment()
    after = make_assessment(
        symptoms={"pain_nrs": 5}, other={"incontinence": True}, assessed_on=LATER
    )
    changes = changed_answers(before, after)
    assert [(c.path, c.before, c.after) for c in changes] == [
        ("symptoms.pain_nrs", 3, 5),
        ("other.incontinence", False, True),
    ]
