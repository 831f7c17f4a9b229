"""Laws of the course planner over generated assessments that screen to proceed."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from tests.strategies import ASSESSED_ON, proceeding_data

from spinewise.kb import KnowledgeBase
from spinewise.models import Assessment, Decision, Imaging, Modality, Verdict
from spinewise.planning import (
    Area,
    Band,
    CoursePlan,
    TechniqueKind,
    applied_precautions,
    hernia_spans,
    plan_course,
    vertebra_index,
)
from spinewise.screening import screen

SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
_NO_PRESSURE = {
    TechniqueKind.STROKING,
    TechniqueKind.MOVING_CUPS,
    TechniqueKind.AIR_BUBBLES,
}


def planned(
    kb: KnowledgeBase, data: dict[str, Any]
) -> tuple[Assessment, Decision, CoursePlan]:
    assessment = Assessment.model_validate(data)
    decision = screen(assessment, kb)
    assume(decision.verdict is Verdict.PROCEED)
    return assessment, decision, plan_course(assessment, decision, kb, ASSESSED_ON)


def without(decision: Decision, rule: str) -> Decision:
    return decision.model_copy(
        update={"findings": [f for f in decision.findings if f.rule != rule]}
    )


@SETTINGS
@given(data=proceeding_data())
def test_no_step_ever_works_in_a_zone_to_avoid(
    kb: KnowledgeBase, data: dict[str, Any]
) -> None:
    assessment, _, plan = planned(kb, data)
    unknown_level = assessment.hernia.imaging in (None, Imaging.NONE)
    margin = 2 if unknown_level else 1
    spans = [
        (vertebra_index(top), vertebra_index(bottom))
        for top, bottom in hernia_spans(assessment.hernia.levels, margin)
    ]
    for course in plan.courses:
        for session in course.sessions:
            for step in session.steps:
                for area in step.areas:
                    assert area.band is not Band.MIDLINE
                    for zone in course.zones_to_avoid:
                        assert not zone.forbids(step.kind, step.intensity, area), (
                            zone.id,
                            step.technique_id,
                            area.label,
                        )
                    if area.band is Band.PARASPINAL:
                        top, bottom = area.span
                        inside = any(a <= bottom and top <= b for a, b in spans)
                        assert not inside or step.kind in _NO_PRESSURE
                        assert not inside or step.intensity <= 2


def _covered(area: Area, by: list[Area]) -> bool:
    said = {
        index
        for cover in by
        if cover.band is area.band
        for index in range(cover.span[0], cover.span[1] + 1)
    }
    return set(range(area.span[0], area.span[1] + 1)) <= said


def _hull(band: Band, areas: list[Area]) -> Area | None:
    mine = [a for a in areas if a.band is band]
    if not mine:
        return None
    top = min(mine, key=lambda a: a.span[0]).top
    return Area(band=band, top=top, bottom=max(mine, key=lambda a: a.span[1]).bottom)


def _within(zone_area: Area, hull: Area) -> Area | None:
    if not zone_area.overlaps(hull):
        return None
    top = max(zone_area.span[0], hull.span[0])
    bottom = min(zone_area.span[1], hull.span[1])
    names = [a.top for a in (zone_area, hull)] + [a.bottom for a in (zone_area, hull)]
    by_index = {vertebra_index(n): n for n in names}
    return Area(band=hull.band, top=by_index[top], bottom=by_index[bottom])


@SETTINGS
@given(data=proceeding_data())
def test_no_step_comes_near_a_zone_to_avoid_without_saying_so(
    kb: KnowledgeBase, data: dict[str, Any]
) -> None:
    _, _, plan = planned(kb, data)
    for course in plan.courses:
        zone_areas = [a for zone in course.zones_to_avoid for a in zone.areas]
        for session in course.sessions:
            for step in session.steps:
                said = step.keeps_off + step.gently_over
                for band in {a.band for a in step.areas}:
                    hull = _hull(band, step.areas + step.keeps_off)
                    assert hull is not None
                    for zone_area in zone_areas:
                        near = _within(zone_area, hull)
                        assert near is None or _covered(near, said), (
                            step.technique_id,
                            zone_area.label,
                            step.wording,
                        )
                for area in step.keeps_off:
                    assert "never over" in step.wording
                    assert area.top in step.wording and area.bottom in step.wording
                for area in step.gently_over:
                    assert "gently only" in step.wording
                    assert area.top in step.wording and area.bottom in step.wording


@SETTINGS
@given(data=proceeding_data())
def test_only_usable_modalities_that_the_physician_did_not_exclude_are_planned(
    kb: KnowledgeBase, data: dict[str, Any]
) -> None:
    assessment, decision, plan = planned(kb, data)
    excluded = set(
        assessment.clearance.excluded_modalities if assessment.clearance else []
    )
    planned_modalities = [course.modality for course in plan.courses]
    assert planned_modalities == [
        m for m in Modality if m in decision.usable_modalities() and m not in excluded
    ]


@SETTINGS
@given(data=proceeding_data())
def test_every_applied_precaution_changes_the_plan_and_is_cited(
    kb: KnowledgeBase, data: dict[str, Any]
) -> None:
    assessment, decision, plan = planned(kb, data)
    for rule, finding in applied_precautions(decision).items():
        touched = [c for c in plan.courses if c.modality in finding.modalities]
        if not touched:
            continue
        other = plan_course(assessment, without(decision, rule), kb, ASSESSED_ON)
        for course in touched:
            cited = [c for c in course.changes if c.rule == rule]
            assert cited, (rule, course.modality)
            assert all(c.source == kb.rule(rule).source for c in cited)
            before = other.course(course.modality).model_dump(exclude={"changes"})
            assert course.model_dump(exclude={"changes"}) != before, (
                rule,
                course.modality,
            )


@SETTINGS
@given(data=proceeding_data())
def test_intensity_never_exceeds_the_caps(
    kb: KnowledgeBase, data: dict[str, Any]
) -> None:
    _, decision, plan = planned(kb, data)
    techniques = kb.techniques
    assert techniques is not None
    applied = applied_precautions(decision)
    for course in plan.courses:
        caps = [techniques.modalities[course.modality].max_level.value]
        caps += [
            change.max_level
            for rule in applied
            for change in techniques.changes_for(rule)
            if course.modality in change.modalities and change.max_level is not None
        ]
        assert course.max_level == min(caps)
        for session in course.sessions:
            assert session.level <= course.max_level
            for step in session.steps:
                assert step.intensity <= session.level
                if step.parameters is not None and step.parameters.kind == "vacuum":
                    assert step.parameters.level == step.intensity


@SETTINGS
@given(data=proceeding_data())
def test_progression_is_gentle(kb: KnowledgeBase, data: dict[str, Any]) -> None:
    _, _, plan = planned(kb, data)
    for course in plan.courses:
        levels = [session.level for session in course.sessions]
        assert levels[:2] == [1, 1]
        assert all(0 <= b - a <= 1 for a, b in itertools.pairwise(levels))


@SETTINGS
@given(data=proceeding_data())
def test_sessions_are_two_or_three_a_week_never_on_consecutive_days_in_week_one(
    kb: KnowledgeBase, data: dict[str, Any]
) -> None:
    _, _, plan = planned(kb, data)
    for course in plan.courses:
        days = [(s.date - plan.start_date).days for s in course.sessions]
        assert days[0] == 0
        assert all(b > a for a, b in itertools.pairwise(days))
        first_week = [d for d in days if d < 7]
        assert all(b - a >= 2 for a, b in itertools.pairwise(first_week))
        for start in range(days[-1] - 6):
            assert 2 <= sum(1 for d in days if start <= d < start + 7) <= 3


@SETTINGS
@given(data=proceeding_data())
def test_the_plan_survives_a_json_round_trip(
    kb: KnowledgeBase, data: dict[str, Any]
) -> None:
    _, _, plan = planned(kb, data)
    assert CoursePlan.model_validate(plan.to_json()) == plan
    assert set(plan.sources) <= set(kb.sources)


def test_the_generated_cases_reach_proceed_often_enough(kb: KnowledgeBase) -> None:
    """Guards the strategy itself: most drawn cases must screen to proceed."""
    seen: list[bool] = []

    @settings(max_examples=60, deadline=None, database=None)
    @given(data=proceeding_data())
    def draw(data: dict[str, Any]) -> None:
        seen.append(
            screen(Assessment.model_validate(data), kb).verdict is Verdict.PROCEED
        )

    draw()
    assert sum(seen) >= len(seen) // 3


def test_start_date_is_the_first_session(kb: KnowledgeBase) -> None:
    from tests.factories import make_assessment

    assessment = make_assessment()
    decision = screen(assessment, kb)
    start = dt.date(2026, 11, 26)
    plan = plan_course(assessment, decision, kb, start)
    assert all(course.sessions[0].date == start for course in plan.courses)
