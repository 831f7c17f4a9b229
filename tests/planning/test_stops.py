"""Stop rules (docs/clinical-basis.md#stop-rules) applied to session records."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spinewise.errors import InputError, KnowledgeBaseError
from spinewise.kb import KnowledgeBase
from spinewise.models import Modality, parse_model
from spinewise.models.plan import StopRule
from spinewise.models.session import (
    RED_FLAG_FIELDS,
    AdverseEventKind,
    NeuroSymptom,
    SessionRecord,
    StopDecision,
)
from spinewise.planning.stops import REQUIRED_STOP_RULES, check_stop_rules


def stop_rules(kb: KnowledgeBase) -> list[StopRule]:
    """The bundled knowledge base's stop rules (techniques.yaml, 5.6)."""
    assert kb.techniques is not None
    return list(kb.techniques.stop_rules)


def record(**overrides: Any) -> SessionRecord:
    data: dict[str, Any] = {
        "session_number": 3,
        "performed_on": "2026-12-01",
        "modality": "classical",
        "steps_done": [1, 2, 3],
        "pain_nrs_before": 4,
        "pain_nrs_after": 3,
    }
    data.update(overrides)
    return parse_model(SessionRecord, data)


def test_a_quiet_session_stops_nothing(kb: KnowledgeBase) -> None:
    decision = check_stop_rules(record(), stop_rules(kb))
    assert decision == StopDecision(
        stop=False, suspend_plan=False, rescreen_required=False
    )


def test_pain_rising_two_points_suspends_and_steps_down(kb: KnowledgeBase) -> None:
    decision = check_stop_rules(
        record(pain_nrs_before=3, pain_nrs_after=5), stop_rules(kb)
    )
    assert decision.stop and decision.suspend_plan and decision.rescreen_required
    assert decision.step_down_next_session
    assert decision.rule_ids() == ["SR-PAIN"]
    assert "from 3 to 5" in decision.reasons[0].trigger
    assert decision.reasons[0].source == "OSTELO-2008"


def test_pain_rising_one_point_does_not_stop(kb: KnowledgeBase) -> None:
    decision = check_stop_rules(
        record(pain_nrs_before=3, pain_nrs_after=4), stop_rules(kb)
    )
    assert not decision.stop


def test_red_flag_answered_yes_suspends_and_names_the_question(
    kb: KnowledgeBase,
) -> None:
    decision = check_stop_rules(
        record(red_flags={"fever": True, "cancer_history": False}),
        stop_rules(kb),
        kb.rules,
    )
    assert decision.suspend_plan and decision.rescreen_required
    assert not decision.emergency_referral
    [reason] = decision.reasons
    assert reason.rule_id == "SR-NEU"
    assert "red_flags.fever" in reason.trigger
    assert "RF-INF-01" in reason.related_rules


def test_cauda_equina_flag_asks_for_emergency_referral(kb: KnowledgeBase) -> None:
    decision = check_stop_rules(
        record(red_flags={"saddle_anaesthesia": True}), stop_rules(kb), kb.rules
    )
    assert decision.emergency_referral and decision.suspend_plan
    assert decision.reasons[0].related_rules == ["RF-CES-01"]


@pytest.mark.parametrize(
    ("symptom", "emergency"),
    [
        (NeuroSymptom.NUMBNESS, False),
        (NeuroSymptom.WEAKNESS, False),
        (NeuroSymptom.BLADDER_CHANGE, True),
        (NeuroSymptom.BILATERAL_SYMPTOMS, True),
    ],
)
def test_new_neurological_symptom_suspends_the_plan(
    kb: KnowledgeBase, symptom: NeuroSymptom, emergency: bool
) -> None:
    decision = check_stop_rules(
        record(neurological_symptoms=[symptom.value]), stop_rules(kb)
    )
    assert decision.rule_ids() == ["SR-NEU"]
    assert decision.suspend_plan and decision.rescreen_required
    assert decision.emergency_referral is emergency


def test_neurological_adverse_event_alone_counts(kb: KnowledgeBase) -> None:
    events = [{"kind": "new_neurological_symptom", "description": "foot numb"}]
    decision = check_stop_rules(record(adverse_events=events), stop_rules(kb))
    assert decision.rule_ids() == ["SR-NEU"] and decision.suspend_plan


def test_peripheralisation_stops_and_asks_for_rescreening(kb: KnowledgeBase) -> None:
    events = [{"kind": "peripheralisation"}]
    decision = check_stop_rules(record(adverse_events=events), stop_rules(kb))
    assert decision.rule_ids() == ["SR-PERIPH"]
    assert decision.stop and decision.rescreen_required


def test_cardio_symptom_stops_for_medical_assessment(kb: KnowledgeBase) -> None:
    events = [{"kind": "dizziness"}, {"kind": "palpitations"}]
    decision = check_stop_rules(
        record(modality="hydromassage", adverse_events=events), stop_rules(kb)
    )
    assert decision.rule_ids() == ["SR-CARDIO"]
    assert decision.stop and decision.medical_assessment
    assert "dizziness, palpitations" in decision.reasons[0].trigger


def test_skin_event_suspends_vacuum_and_the_modality(kb: KnowledgeBase) -> None:
    events = [{"kind": "blister", "description": "2 cm blister at L3 left"}]
    decision = check_stop_rules(
        record(modality="classical", adverse_events=events), stop_rules(kb)
    )
    assert decision.rule_ids() == ["SR-SKIN"]
    assert decision.stop
    assert decision.suspended_modalities == [Modality.CLASSICAL, Modality.VACUUM]


def test_patient_asking_stops_the_session_only(kb: KnowledgeBase) -> None:
    decision = check_stop_rules(record(patient_asked_to_stop=True), stop_rules(kb))
    assert decision.rule_ids() == ["SR-ASK"]
    assert decision.stop and not decision.suspend_plan


def test_every_rule_that_holds_is_reported(kb: KnowledgeBase) -> None:
    decision = check_stop_rules(
        record(
            pain_nrs_before=2,
            pain_nrs_after=7,
            red_flags={"fever": True},
            adverse_events=[{"kind": "burn"}, {"kind": "fainting"}],
            patient_asked_to_stop=True,
        ),
        stop_rules(kb),
    )
    assert set(decision.rule_ids()) == {
        "SR-NEU",
        "SR-PAIN",
        "SR-CARDIO",
        "SR-SKIN",
        "SR-ASK",
    }


def test_pain_increase_event_without_the_nrs_rise_does_not_stop(
    kb: KnowledgeBase,
) -> None:
    events = [{"kind": "pain_increase"}]
    decision = check_stop_rules(
        record(pain_nrs_before=3, pain_nrs_after=4, adverse_events=events),
        stop_rules(kb),
    )
    assert not decision.stop


@pytest.mark.parametrize("missing", REQUIRED_STOP_RULES)
def test_a_missing_stop_rule_is_a_knowledge_base_error(
    kb: KnowledgeBase, missing: str
) -> None:
    rules = [r for r in stop_rules(kb) if r.id != missing]
    with pytest.raises(KnowledgeBaseError, match=missing):
        check_stop_rules(record(), rules)


def test_data_cannot_switch_off_suspension_for_a_pain_rise(kb: KnowledgeBase) -> None:
    rules = [r.model_copy(update={"stops_plan": False}) for r in stop_rules(kb)]
    decision = check_stop_rules(record(pain_nrs_before=1, pain_nrs_after=9), rules)
    assert decision.suspend_plan


def test_unknown_red_flag_question_is_an_input_error() -> None:
    with pytest.raises(InputError) as caught:
        record(red_flags={"headache": True}, pain_nrs_after=11)
    fields = [p.field for p in caught.value.problems]
    assert "pain_nrs_after" in fields


def test_a_stop_without_a_reason_cannot_be_built() -> None:
    with pytest.raises(ValueError, match="cited reason"):
        StopDecision(stop=True, suspend_plan=False, rescreen_required=False)


nrs = st.integers(min_value=0, max_value=10)
events = st.lists(st.sampled_from(list(AdverseEventKind)), max_size=4)
flags = st.dictionaries(st.sampled_from(RED_FLAG_FIELDS), st.booleans(), max_size=4)
symptoms = st.lists(st.sampled_from(list(NeuroSymptom)), max_size=2)


@st.composite
def records(draw: st.DrawFn) -> SessionRecord:
    return record(
        modality=draw(st.sampled_from([m.value for m in Modality])),
        pain_nrs_before=draw(nrs),
        pain_nrs_after=draw(nrs),
        adverse_events=[{"kind": k.value} for k in draw(events)],
        red_flags=draw(flags),
        neurological_symptoms=[s.value for s in draw(symptoms)],
        patient_asked_to_stop=draw(st.booleans()),
    )


@given(records())
def test_a_pain_rise_of_two_always_suspends(
    kb: KnowledgeBase, session: SessionRecord
) -> None:
    decision = check_stop_rules(session, stop_rules(kb))
    if session.pain_change >= 2:
        assert decision.suspend_plan and decision.rescreen_required
        assert "SR-PAIN" in decision.rule_ids()
    else:
        assert "SR-PAIN" not in decision.rule_ids()


@given(records())
def test_a_red_flag_always_suspends_and_requires_rescreening(
    kb: KnowledgeBase, session: SessionRecord
) -> None:
    decision = check_stop_rules(session, stop_rules(kb))
    if any(session.red_flags.values()) or session.neurological_symptoms:
        assert decision.stop and decision.suspend_plan and decision.rescreen_required
        assert "SR-NEU" in decision.rule_ids()


@given(records())
def test_nothing_stops_or_suspends_without_a_cited_reason(
    kb: KnowledgeBase, session: SessionRecord
) -> None:
    decision = check_stop_rules(session, stop_rules(kb))
    acting = decision.stop or decision.suspend_plan or decision.suspended_modalities
    assert bool(acting) == bool(decision.reasons)
    for reason in decision.reasons:
        assert (
            reason.rule_id in REQUIRED_STOP_RULES and reason.source and reason.message
        )
    if decision.suspend_plan:
        assert any(
            r.rule_id in {"SR-NEU", "SR-PAIN"}
            or next(s for s in stop_rules(kb) if s.id == r.rule_id).stops_plan
            for r in decision.reasons
        )


def test_a_missing_pain_threshold_is_a_knowledge_base_error(kb: KnowledgeBase) -> None:
    rules = [
        r.model_copy(update={"pain_rise_nrs": None}) if r.id == "SR-PAIN" else r
        for r in stop_rules(kb)
    ]
    with pytest.raises(KnowledgeBaseError, match="pain_rise_nrs"):
        check_stop_rules(record(), rules)


def test_the_pain_threshold_comes_from_the_knowledge_base(kb: KnowledgeBase) -> None:
    rules = [
        r.model_copy(update={"pain_rise_nrs": 3}) if r.id == "SR-PAIN" else r
        for r in stop_rules(kb)
    ]
    assert not check_stop_rules(record(pain_nrs_before=2, pain_nrs_after=4), rules).stop
    assert check_stop_rules(record(pain_nrs_before=2, pain_nrs_after=5), rules).stop
