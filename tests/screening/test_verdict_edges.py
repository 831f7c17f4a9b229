"""Verdict edges that mutation testing found untested (section 4 of the clinical basis).

Each test kills a mutant of ``screening/verdict.py`` that the golden cases and the
hypothesis laws let live (docs/developers/mutation-testing.md).
"""

from __future__ import annotations

import pytest
from tests.factories import make_assessment

from spinewise.kb import KnowledgeBase
from spinewise.models import (
    Finding,
    Modality,
    ModalityStatus,
    RuleState,
    Severity,
    Verdict,
)
from spinewise.screening import (
    ENGINE_VERSION,
    RuleResult,
    decide,
    evaluate_rules,
    facts_of,
    screen,
)

ALL_THREE = [Modality.CLASSICAL, Modality.VACUUM, Modality.HYDROMASSAGE]


def test_an_unanswered_red_flag_leaves_every_modality_undetermined(
    kb: KnowledgeBase,
) -> None:
    """4.2: no rule is left open here (fever is "no"), yet the red-flag screen is
    incomplete, so no modality may read as allowed or with precautions."""
    decision = screen(make_assessment(red_flags={"immunosuppressed": None}), kb)
    assert decision.verdict is Verdict.INCOMPLETE
    assert {m: d.status for m, d in decision.modalities.items()} == dict.fromkeys(
        ALL_THREE, ModalityStatus.UNDETERMINED
    )
    assert decision.missing == ["red_flags.immunosuppressed"]


def test_an_open_red_flag_rule_outranks_the_physicians_decline(
    kb: KnowledgeBase,
) -> None:
    """4.4 row 2 before row 3: unrelenting night pain unknown at 60 leaves RF-MAL-03
    open (no field under red_flags is null), and that is incomplete, not declined."""
    decision = screen(
        make_assessment(
            patient={"age": 60},
            symptoms={"night_pain_unrelenting": None},
            clearance={"status": "declined"},
        ),
        kb,
    )
    assert decision.verdict is Verdict.INCOMPLETE
    assert decision.missing == ["symptoms.night_pain_unrelenting"]
    assert {m: d.status for m, d in decision.modalities.items()} == dict.fromkeys(
        ALL_THREE, ModalityStatus.UNDETERMINED
    )


def test_each_modality_lists_the_rules_that_fired_on_it(kb: KnowledgeBase) -> None:
    decision = screen(make_assessment(circulation_skin={"fragile_skin": True}), kb)
    info = ["IN-CUR-01", "IN-DRG-01", "IN-MAT-01", "IN-ACT-01"]
    rules = {m: d.rules for m, d in decision.modalities.items()}
    assert {m: [r for r in ids if r not in info] for m, ids in rules.items()} == {
        Modality.CLASSICAL: ["PC-FRG-01"],
        Modality.VACUUM: ["CI-VAC-04"],
        Modality.HYDROMASSAGE: ["PC-FRG-01"],
    }


def test_the_decision_names_its_schema_versions_and_date(kb: KnowledgeBase) -> None:
    decision = screen(make_assessment(), kb)
    assert (
        decision.schema_,
        decision.kb_version,
        decision.engine_version,
        decision.assessed_on,
        decision.approval_valid,
    ) == ("spinewise.decision/1", kb.version, ENGINE_VERSION, "2026-11-24", True)


def test_without_a_clearance_the_approval_is_not_valid(kb: KnowledgeBase) -> None:
    decision = screen(make_assessment(clearance=None), kb)
    assert decision.verdict is Verdict.AWAITING_CLEARANCE
    assert decision.approval_valid is False


@pytest.mark.parametrize(
    ("sections", "summary"),
    [
        (
            {"red_flags": {"saddle_anaesthesia": True}},
            "Red flag (RF-CES-01): no massage of any kind. "
            "Refer now; follow each finding's referral route.",
        ),
        (
            {"red_flags": {"immunosuppressed": None}},
            "Incomplete: 1 safety answer(s) missing (red_flags.immunosuppressed). "
            "Unknown is never 'no': answer them and re-screen.",
        ),
        (
            {"red_flags": {"fever": True}},
            "Not now (DF-FEV-01): every modality is contraindicated for the time "
            "being. Re-screen in 7 day(s).",
        ),
        (
            {"clearance": None, "circulation_skin": {"fragile_skin": True}},
            "Clinically possible: classical with precautions; hydromassage with "
            "precautions. Awaiting the attending physician's clearance (none valid "
            "on the assessment date).",
        ),
        (
            {},
            "Proceed under the physician's clearance: classical; vacuum; hydromassage.",
        ),
    ],
    ids=["urgent", "incomplete", "not-now", "awaiting", "proceed"],
)
def test_the_summary_is_built_from_the_decisions_own_parts(
    kb: KnowledgeBase, sections: dict[str, object], summary: str
) -> None:
    assert screen(make_assessment(**sections), kb).summary == summary


def test_a_history_date_left_open_is_never_listed_as_missing(
    kb: KnowledgeBase,
) -> None:
    """4.6: a null history date means "no such event", so it is never asked for."""
    assessment = make_assessment()
    facts = facts_of(assessment)
    opened = {
        "history.spinal_surgery_date",
        "history.osteoporosis",
        "symptoms.onset_date",
    }
    results = [
        RuleResult(r.rule, RuleState.UNDETERMINED, frozenset(opened))
        if r.rule.id == "DF-SUR-01"
        else r
        for r in evaluate_rules(kb, facts)
    ]
    decision = decide(assessment, kb, results, facts)
    assert decision.verdict is Verdict.INCOMPLETE
    assert decision.missing == ["history.osteoporosis", "symptoms.onset_date"]


def test_an_open_question_on_an_excluded_modality_does_not_hold_up_a_no(
    kb: KnowledgeBase,
) -> None:
    """Classical and vacuum are lastingly contraindicated; the one open question
    (incontinence) only concerns hydromassage, which the physician excluded."""
    decision = screen(
        make_assessment(
            circulation_skin={"bleeding_disorder": True},
            medications={"anticoagulants": True},
            other={"incontinence": None},
            clearance={"excluded_modalities": ["hydromassage"]},
        ),
        kb,
    )
    assert decision.verdict is Verdict.NOT_SUITABLE
    assert {m: d.status for m, d in decision.modalities.items()} == dict.fromkeys(
        ALL_THREE, ModalityStatus.CONTRAINDICATED
    )
    assert decision.modalities[Modality.HYDROMASSAGE].excluded_by_physician


def test_without_the_exclusion_the_same_open_question_is_incomplete(
    kb: KnowledgeBase,
) -> None:
    decision = screen(
        make_assessment(
            circulation_skin={"bleeding_disorder": True},
            medications={"anticoagulants": True},
            other={"incontinence": None},
        ),
        kb,
    )
    assert decision.verdict is Verdict.INCOMPLETE
    assert decision.missing == ["other.incontinence"]


def test_a_red_flag_finding_carries_every_field_of_its_rule(kb: KnowledgeBase) -> None:
    decision = screen(make_assessment(red_flags={"saddle_anaesthesia": True}), kb)
    (finding,) = [f for f in decision.findings if f.rule == "RF-CES-01"]
    rule = kb.rule("RF-CES-01")
    assert finding == Finding(
        rule="RF-CES-01",
        severity=Severity.RED_FLAG,
        modalities=ALL_THREE,
        message=rule.message,
        source=rule.source,
        citation=kb.sources[rule.source].citation,
        state=RuleState.FIRED,
        temporary=False,
        rescreen_after_days=None,
    )


def test_a_temporary_finding_says_so_and_when_to_rescreen(kb: KnowledgeBase) -> None:
    decision = screen(make_assessment(red_flags={"fever": True}), kb)
    (finding,) = [f for f in decision.findings if f.rule == "DF-FEV-01"]
    assert (finding.severity, finding.temporary, finding.rescreen_after_days) == (
        Severity.DEFER,
        True,
        7,
    )


def test_a_vacuum_contraindication_finding_names_only_vacuum(
    kb: KnowledgeBase,
) -> None:
    decision = screen(make_assessment(circulation_skin={"fragile_skin": True}), kb)
    (finding,) = [f for f in decision.findings if f.rule == "CI-VAC-04"]
    assert (finding.severity, finding.modalities, finding.state) == (
        Severity.CONTRAINDICATION,
        [Modality.VACUUM],
        RuleState.FIRED,
    )
