"""The verdict precedence, the clearance and re-screen arithmetic (docs/clinical-basis.md#decision)."""

from __future__ import annotations

from tests.factories import make_assessment

from spinewise.kb import KnowledgeBase
from spinewise.models import Modality, ModalityStatus, RuleState, Verdict
from spinewise.screening import screen

CLEAN = Verdict.PROCEED


def test_clean_baseline_proceeds(kb: KnowledgeBase) -> None:
    assert screen(make_assessment(), kb).verdict is CLEAN


def test_red_flag_outvotes_clearance(kb: KnowledgeBase) -> None:
    decision = screen(make_assessment(red_flags={"cancer_history": True}), kb)
    assert decision.verdict is Verdict.URGENT_REFERRAL
    assert {d.status for d in decision.modalities.values()} == {
        ModalityStatus.CONTRAINDICATED
    }


def test_approval_ending_on_the_assessment_day_is_still_valid(
    kb: KnowledgeBase,
) -> None:
    clearance = {"valid_until": "2026-11-24"}
    assert screen(make_assessment(clearance=clearance), kb).verdict is Verdict.PROCEED


def test_expired_approval_awaits_clearance(kb: KnowledgeBase) -> None:
    clearance = {"valid_until": "2026-11-23"}
    decision = screen(make_assessment(clearance=clearance), kb)
    assert decision.verdict is Verdict.AWAITING_CLEARANCE
    assert decision.approval_valid is False


def test_approval_dated_after_the_assessment_is_not_yet_valid(
    kb: KnowledgeBase,
) -> None:
    clearance = {"date": "2026-11-25", "valid_until": None}
    assert screen(make_assessment(clearance=clearance), kb).verdict is (
        Verdict.AWAITING_CLEARANCE
    )


def test_exclusions_of_an_expired_approval_still_apply(kb: KnowledgeBase) -> None:
    clearance = {
        "date": "2026-10-01",
        "valid_until": "2026-11-01",
        "excluded_modalities": ["vacuum"],
    }
    decision = screen(make_assessment(clearance=clearance), kb)
    assert decision.modalities[Modality.VACUUM].status is ModalityStatus.CONTRAINDICATED
    assert decision.modalities[Modality.VACUUM].excluded_by_physician


def test_exclusions_of_a_pending_clearance_are_ignored(kb: KnowledgeBase) -> None:
    clearance = {"status": "pending", "excluded_modalities": ["vacuum"]}
    decision = screen(make_assessment(clearance=clearance), kb)
    assert decision.verdict is Verdict.AWAITING_CLEARANCE
    assert decision.modalities[Modality.VACUUM].status is ModalityStatus.ALLOWED


def test_declined_clearance_holds_whatever_its_dates(kb: KnowledgeBase) -> None:
    clearance = {
        "status": "declined",
        "valid_until": "2026-01-01",
        "date": "2025-12-01",
    }
    decision = screen(make_assessment(clearance=clearance), kb)
    assert decision.verdict is Verdict.DECLINED_BY_PHYSICIAN


def test_excluding_every_otherwise_allowed_modality_is_a_decline(
    kb: KnowledgeBase,
) -> None:
    decision = screen(
        make_assessment(
            medications={"anticoagulants": True},
            clearance={"excluded_modalities": ["classical", "hydromassage"]},
        ),
        kb,
    )
    assert decision.verdict is Verdict.DECLINED_BY_PHYSICIAN


def test_day_41_after_spinal_surgery_rescreens_after_one_day(
    kb: KnowledgeBase,
) -> None:
    decision = screen(
        make_assessment(history={"spinal_surgery_date": "2026-10-14"}), kb
    )
    assert decision.verdict is Verdict.NOT_NOW
    assert "CI-VAC-06" in decision.fired_rules()
    assert decision.rescreen_after_days == 1


def test_lasting_contraindications_everywhere_are_not_suitable(
    kb: KnowledgeBase,
) -> None:
    decision = screen(make_assessment(patient={"age": 15}), kb)
    assert decision.verdict is Verdict.NOT_SUITABLE
    assert decision.rescreen_after_days is None


def test_unknown_contraindication_leaves_its_modality_undetermined(
    kb: KnowledgeBase,
) -> None:
    decision = screen(make_assessment(other={"incontinence": None}), kb)
    assert decision.verdict is Verdict.INCOMPLETE
    hydro = decision.modalities[Modality.HYDROMASSAGE]
    assert hydro.status is ModalityStatus.UNDETERMINED
    assert hydro.undetermined_rules == ["CI-HYD-01"]
    assert decision.missing == ["other.incontinence"]


def test_unknown_precaution_is_applied_and_listed_as_missing(
    kb: KnowledgeBase,
) -> None:
    decision = screen(make_assessment(history={"osteoporosis": None}), kb)
    assert decision.verdict is Verdict.PROCEED
    assert all(
        d.status is ModalityStatus.WITH_PRECAUTIONS
        for d in decision.modalities.values()
    )
    (finding,) = [f for f in decision.findings if f.rule == "PC-OST-01"]
    assert finding.state is RuleState.UNDETERMINED
    assert decision.missing == ["history.osteoporosis"]


def test_fever_alone_defers_and_needs_no_referral(kb: KnowledgeBase) -> None:
    decision = screen(make_assessment(red_flags={"fever": True}), kb)
    assert decision.verdict is Verdict.NOT_NOW
    assert decision.rescreen_after_days == 7


def test_fever_with_immunosuppression_is_a_red_flag(kb: KnowledgeBase) -> None:
    decision = screen(
        make_assessment(red_flags={"fever": True, "immunosuppressed": True}), kb
    )
    assert decision.verdict is Verdict.URGENT_REFERRAL
    assert "RF-INF-01" in decision.fired_rules()


def test_men_need_not_answer_pregnancy(kb: KnowledgeBase) -> None:
    decision = screen(make_assessment(patient={"sex": "male", "pregnant": None}), kb)
    assert decision.verdict is Verdict.PROCEED
    assert decision.missing == []


def test_unknown_sex_with_unknown_pregnancy_is_incomplete_for_vacuum(
    kb: KnowledgeBase,
) -> None:
    decision = screen(make_assessment(patient={"sex": "unknown", "pregnant": None}), kb)
    assert decision.modalities[Modality.VACUUM].status is ModalityStatus.UNDETERMINED
    # CI-HYD-06 also needs the weeks if the answer turns out to be "pregnant"
    assert decision.missing == [
        "patient.pregnancy_weeks",
        "patient.pregnant",
        "patient.sex",
    ]


def test_first_trimester_rescreens_hydromassage_at_week_13(kb: KnowledgeBase) -> None:
    decision = screen(
        make_assessment(patient={"pregnant": True, "pregnancy_weeks": 10}), kb
    )
    (finding,) = [f for f in decision.findings if f.rule == "CI-HYD-06"]
    assert finding.rescreen_after_days == 21


def test_undetermined_info_rule_is_neither_shown_nor_missing(
    kb: KnowledgeBase,
) -> None:
    decision = screen(make_assessment(hernia={"side": "unknown"}), kb)
    assert "IN-CES-01" not in [f.rule for f in decision.findings]
    assert decision.missing == []


def test_missing_lists_only_fields_that_settle_an_open_rule(kb: KnowledgeBase) -> None:
    decision = screen(
        make_assessment(
            symptoms={"pain_trend": None, "severe_muscle_spasm": None},
            assessed_on="2026-11-24",
        ),
        kb,
    )
    # onset 2026-09-01 is 84 days back: DF-ACU-02 is false whatever the trend,
    # but PC-SPA-01 still reads the spasm answer.
    assert decision.missing == ["symptoms.severe_muscle_spasm"]
