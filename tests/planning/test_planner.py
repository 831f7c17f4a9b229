"""The course planner on named cases: refusals, precautions, figures from the KB."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml
from tests.conftest import CASE_FILES, CASES
from tests.factories import make_assessment

from spinewise.errors import PlanRefusedError
from spinewise.kb import KnowledgeBase
from spinewise.models import Assessment, Decision, Modality, Verdict
from spinewise.planning import (
    Band,
    CoursePlan,
    JetIntensity,
    TechniqueKind,
    plan_course,
)
from spinewise.screening import screen

START = dt.date(2026, 11, 24)


def plan_for(kb: KnowledgeBase, **sections: Any) -> CoursePlan:
    assessment = make_assessment(**sections)
    return plan_course(assessment, screen(assessment, kb), kb, START)


def example(name: str) -> Assessment:
    return Assessment.model_validate(yaml.safe_load((CASES / name).read_text()))


def refusal(
    kb: KnowledgeBase,
    assessment: Assessment,
    decision: Decision | None = None,
    start: dt.date = START,
    modalities: list[Modality] | None = None,
) -> str:
    decision = decision or screen(assessment, kb)
    with pytest.raises(PlanRefusedError) as caught:
        plan_course(assessment, decision, kb, start, modalities)
    return str(caught.value)


def test_a_clean_approved_case_gets_all_three_courses(kb: KnowledgeBase) -> None:
    plan = plan_for(kb)
    assert [c.modality for c in plan.courses] == list(Modality)
    assert [len(c.sessions) for c in plan.courses] == [10, 8, 10]
    assert all(not c.changes for c in plan.courses)
    assert plan.kb_version == kb.version


def test_no_plan_without_a_clearance(kb: KnowledgeBase) -> None:
    reason = refusal(kb, make_assessment(clearance=None))
    assert "awaiting_clearance" in reason and "proceed" in reason


def test_no_plan_for_a_red_flag_even_with_an_approval(kb: KnowledgeBase) -> None:
    reason = refusal(kb, example("03-cauda-equina.yaml"))
    assert "urgent_referral" in reason


def test_no_plan_when_the_decision_claims_an_approval_it_lacks(
    kb: KnowledgeBase,
) -> None:
    assessment = make_assessment()
    forged = screen(assessment, kb).model_copy(update={"approval_valid": False})
    assert "no valid physician approval" in refusal(kb, assessment, forged)


def test_no_plan_from_a_decision_made_for_another_assessment(kb: KnowledgeBase) -> None:
    assessment = make_assessment()
    other = screen(make_assessment(assessed_on="2026-11-23"), kb)
    assert "screen it again" in refusal(kb, assessment, other)


def test_no_plan_from_a_decision_made_with_another_knowledge_base(
    kb: KnowledgeBase,
) -> None:
    assessment = make_assessment()
    old = screen(assessment, kb).model_copy(update={"kb_version": "2025.01"})
    assert "2025.01" in refusal(kb, assessment, old)


def test_no_plan_that_starts_after_the_approval_expires(kb: KnowledgeBase) -> None:
    reason = refusal(kb, make_assessment(), start=dt.date(2026, 12, 21))
    assert "2026-12-20" in reason


def test_no_plan_that_starts_before_the_assessment(kb: KnowledgeBase) -> None:
    assert "before the assessment" in refusal(
        kb, make_assessment(), start=dt.date(2026, 11, 23)
    )


def test_an_excluded_modality_cannot_be_asked_for(kb: KnowledgeBase) -> None:
    assessment = example("08-vacuum-excluded.yaml")
    assert "vacuum" in refusal(kb, assessment, modalities=[Modality.VACUUM])
    plan = plan_course(assessment, screen(assessment, kb), kb, START)
    assert [c.modality for c in plan.courses] == [
        Modality.CLASSICAL,
        Modality.HYDROMASSAGE,
    ]


def test_a_contraindicated_modality_cannot_be_asked_for(kb: KnowledgeBase) -> None:
    assessment = example("06-anticoagulants.yaml")
    reason = refusal(kb, assessment, modalities=[Modality.VACUUM])
    assert "vacuum is contraindicated" in reason


def test_one_modality_may_be_asked_for(kb: KnowledgeBase) -> None:
    assessment = make_assessment()
    plan = plan_course(assessment, screen(assessment, kb), kb, START, [Modality.VACUUM])
    assert [c.modality for c in plan.courses] == [Modality.VACUUM]


def test_anticoagulants_mean_light_pressure_and_low_jets(kb: KnowledgeBase) -> None:
    assessment = example("06-anticoagulants.yaml")
    plan = plan_course(assessment, screen(assessment, kb), kb, START)
    classical = plan.course(Modality.CLASSICAL)
    assert classical.max_level == 2
    kinds = {s.kind for session in classical.sessions for s in session.steps}
    assert TechniqueKind.KNEADING not in kinds
    hydro = plan.course(Modality.HYDROMASSAGE)
    jets = {
        step.parameters.jets
        for session in hydro.sessions
        for step in session.steps
        if step.parameters is not None and step.parameters.kind == "hydromassage"
    }
    assert jets <= {JetIntensity.OFF, JetIntensity.LOW}
    assert {c.rule for c in classical.changes} >= {"PC-ACO-01"}


def test_vacuum_with_antiplatelets_stays_at_level_one_with_skin_checks(
    kb: KnowledgeBase,
) -> None:
    vacuum = plan_for(kb, medications={"antiplatelets": True}).course(Modality.VACUUM)
    params = [
        step.parameters
        for session in vacuum.sessions
        for step in session.steps
        if step.parameters is not None and step.parameters.kind == "vacuum"
    ]
    assert {p.level for p in params} == {1}
    assert {p.negative_pressure_kpa for p in params} == {(10, 20)}
    assert {p.skin_check_every_minutes for p in params} == {2}
    assert any(c.rule == "PC-APL-01" for c in vacuum.checks)


def test_pregnancy_keeps_the_water_at_35_and_the_lower_back_free(
    kb: KnowledgeBase,
) -> None:
    plan = plan_for(kb, patient={"pregnant": True, "pregnancy_weeks": 20})
    hydro = plan.course(Modality.HYDROMASSAGE)
    temps = {
        step.parameters.water_celsius
        for session in hydro.sessions
        for step in session.steps
        if step.parameters is not None and step.parameters.kind == "hydromassage"
    }
    assert temps == {(34, 35)}
    assert "lower-back-pregnancy" in {z.id for z in hydro.zones_to_avoid}
    assert plan.course(Modality.CLASSICAL).position.startswith("Side-lying")
    assert Modality.VACUUM not in [c.modality for c in plan.courses]


def test_a_cervical_hernia_gets_cups_only_on_the_upper_trapezius(
    kb: KnowledgeBase,
) -> None:
    plan = plan_for(kb, hernia={"region": "cervical", "levels": ["C5-C6"]})
    vacuum = plan.course(Modality.VACUUM)
    bands = {a.band for s in vacuum.sessions for st in s.steps for a in st.areas}
    assert bands == {Band.SHOULDER}
    assert "neck-front-sides" in {z.id for z in plan.zones_to_avoid()}
    hydro = plan.course(Modality.HYDROMASSAGE)
    for session in hydro.sessions:
        for step in session.steps:
            if step.kind is TechniqueKind.JETS:
                assert all(
                    a.top[0] != "C" for a in step.areas if a.band is Band.PARASPINAL
                )


def test_no_imaging_widens_the_zone_to_two_vertebrae(kb: KnowledgeBase) -> None:
    plan = plan_for(kb, hernia={"imaging": "none"})
    midline = next(z for z in plan.zones_to_avoid() if z.id == "hernia-midline")
    assert [(a.top, a.bottom) for a in midline.areas] == [("L2", "S2")]
    assert midline.rules == ["PC-IMG-01"]
    clean = next(z for z in plan_for(kb).zones_to_avoid() if z.id == "hernia-midline")
    assert [(a.top, a.bottom) for a in clean.areas] == [("L3", "S1")]


def test_an_unknown_precaution_is_applied_and_says_so(kb: KnowledgeBase) -> None:
    plan = plan_for(kb, history={"osteoporosis": None})
    changes = [
        c for c in plan.course(Modality.CLASSICAL).changes if c.rule == "PC-OST-01"
    ]
    assert changes and {c.state.value for c in changes} == {"undetermined"}
    kinds = {
        s.kind
        for session in plan.course(Modality.CLASSICAL).sessions
        for s in session.steps
    }
    assert TechniqueKind.VIBRATION not in kinds


def test_sessions_after_the_approval_expires_are_flagged(kb: KnowledgeBase) -> None:
    plan = plan_for(kb, clearance={"valid_until": "2026-12-05"})
    classical = plan.course(Modality.CLASSICAL)
    late = [s.number for s in classical.sessions if s.beyond_clearance]
    assert late and all(
        s.date > dt.date(2026, 12, 5) for s in classical.sessions[late[0] - 1 :]
    )
    assert any("renewed physician clearance" in c.text for c in classical.checks)


def test_outcome_measures_fall_on_sessions_one_five_and_last(kb: KnowledgeBase) -> None:
    classical = plan_for(kb).course(Modality.CLASSICAL)
    with_odi = [s.number for s in classical.sessions if "ODI" in s.measures]
    assert with_odi == [1, 5, 10]
    assert all(any("NRS" in m for m in s.measures) for s in classical.sessions)
    cervical = plan_for(kb, hernia={"region": "cervical", "levels": ["C5-C6"]})
    assert "NDI" in cervical.course(Modality.CLASSICAL).sessions[0].measures


def test_course_figures_come_from_the_knowledge_base(kb: KnowledgeBase) -> None:
    techniques = kb.techniques
    assert techniques is not None
    vacuum = techniques.modalities[Modality.VACUUM]
    changed = vacuum.model_copy(
        update={"sessions": vacuum.sessions.model_copy(update={"value": 5})}
    )
    edited = kb.model_copy(
        update={
            "techniques": techniques.model_copy(
                update={
                    "modalities": {**techniques.modalities, Modality.VACUUM: changed}
                }
            )
        }
    )
    plan = plan_for(edited)
    assert len(plan.course(Modality.VACUUM).sessions) == 5
    figure = next(
        f for f in plan.course(Modality.VACUUM).figures if f.what.startswith("sessions")
    )
    assert (figure.value, figure.source) == ("5", "TEUT-2018")


def test_unconfirmed_figures_are_marked(kb: KnowledgeBase) -> None:
    plan = plan_for(kb)
    figures = {(c.modality, f.what): f for c in plan.courses for f in c.figures}
    assert figures[(Modality.CLASSICAL, "sessions per course")].unconfirmed
    assert not figures[(Modality.VACUUM, "sessions per course")].unconfirmed
    assert figures[(Modality.VACUUM, "negative pressure, level 1")].unconfirmed


def test_a_knowledge_base_without_techniques_plans_nothing(kb: KnowledgeBase) -> None:
    bare = kb.model_copy(update={"techniques": None})
    assessment = make_assessment()
    assert "techniques.yaml" in refusal(bare, assessment, screen(assessment, kb))


def cited_sources(node: object) -> set[str]:
    """Every source id a dumped plan cites (``source`` and ``sources`` list fields)."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "source" and isinstance(value, str):
                found.add(value)
            elif key == "sources" and isinstance(value, list):
                found |= set(value)
            else:
                found |= cited_sources(value)
    elif isinstance(node, list):
        for item in node:
            found |= cited_sources(item)
    return found


def test_every_cited_source_has_its_citation(kb: KnowledgeBase) -> None:
    plan = plan_for(kb, symptoms={"radicular_pain": True})
    assert plan.verdict is Verdict.PROCEED
    cited = cited_sources(
        {k: v for k, v in plan.model_dump().items() if k != "sources"}
    )
    assert "NASS-2014" in cited
    assert set(plan.sources) == cited
    for source_id, citation in plan.sources.items():
        assert citation == kb.sources[source_id].citation, source_id


def test_the_examples_that_proceed_all_get_a_plan(kb: KnowledgeBase) -> None:
    for path in CASE_FILES:
        assessment = example(path.name)
        decision = screen(assessment, kb)
        if decision.verdict is Verdict.PROCEED:
            plan = plan_course(assessment, decision, kb, START)
            assert plan.courses, path.name
        else:
            with pytest.raises(PlanRefusedError):
                plan_course(assessment, decision, kb, START)
