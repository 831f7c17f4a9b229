"""How decisions are shown: never by colour alone."""

from __future__ import annotations

from tests.factories import make_assessment

from spinewise.kb import KnowledgeBase
from spinewise.models import Decision, ModalityStatus, Severity, Verdict
from spinewise.screening import screen
from spinewise.web.presentation import (
    SEVERITIES,
    STATUSES,
    VERDICTS,
    rescreen_day,
    view_decision,
)


def test_every_verdict_status_and_severity_has_words_and_an_icon_beside_its_colour() -> (
    None
):
    for table, vocabulary in ((VERDICTS, Verdict), (STATUSES, ModalityStatus),
                              (SEVERITIES, Severity)):  # fmt: skip
        assert set(table) == set(vocabulary)
        for look in table.values():
            assert look.label and look.icon and look.tone
    assert len({look.label for look in VERDICTS.values()}) == len(Verdict)


def test_the_view_groups_findings_by_severity_in_order(kb: KnowledgeBase) -> None:
    decision = screen(make_assessment(red_flags={"fever": True}), kb)
    view = view_decision(decision)
    labels = [look.label for look, _ in view.findings]
    assert labels == [SEVERITIES[s].label for s in Severity if s in
                      {f.severity for f in decision.findings}]  # fmt: skip
    assert view.rescreen_on is not None


def test_a_missing_answer_names_its_question_and_section(kb: KnowledgeBase) -> None:
    view = view_decision(screen(make_assessment(red_flags={"fever": None}), kb))
    fever = next(m for m in view.missing if m.path == "red_flags.fever")
    assert fever.label == "Fever now (38.0 °C or more)"
    assert fever.section == "Red flags"
    assert fever.anchor == "field-red_flags-fever"


def test_a_re_screen_day_past_the_calendar_is_left_out(kb: KnowledgeBase) -> None:
    decision = screen(make_assessment(red_flags={"fever": True}), kb)
    late = Decision.model_validate(
        {**decision.to_contract(), "assessed_on": "9999-12-30"}
    )
    assert rescreen_day(late) is None
