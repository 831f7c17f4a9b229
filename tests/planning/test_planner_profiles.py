"""Plans for the non-specific back and neck pain profile (profile document 5.1-5.6, 6)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests.factories import assessment_data

from spinewise.kb import KnowledgeBase
from spinewise.models import Assessment, Profile
from spinewise.planning import CoursePlan, plan_course
from spinewise.screening import screen

START = dt.date(2026, 11, 25)


def nonspecific(**condition: Any) -> dict[str, Any]:
    data = assessment_data(
        condition={
            "profile": "nonspecific_back_pain",
            "region": "lumbar",
            "start_back_group": "medium",
            "sedentary": False,
            **condition,
        }
    )
    del data["hernia"]
    return data


def planned(kb: KnowledgeBase, data: dict[str, Any]) -> CoursePlan:
    assessment = Assessment.model_validate(data)
    decision = screen(assessment, kb)
    assert decision.verdict == "proceed", decision.summary
    return plan_course(assessment, decision, kb, START)


def test_a_nonspecific_plan_has_no_hernia_zone_but_keeps_the_spinous_line(
    kb: KnowledgeBase,
) -> None:
    plan = planned(kb, nonspecific())
    assert plan.profile is Profile.NONSPECIFIC_BACK_PAIN
    assert plan.hernia_levels == []
    for course in plan.courses:
        zones = {z.id for z in course.zones_to_avoid}
        assert "spinous-line" in zones
        assert not zones & {"hernia-midline", "hernia-paraspinal"}


def test_the_course_defaults_are_operational_and_start_at_level_two(
    kb: KnowledgeBase,
) -> None:
    plan = planned(kb, nonspecific())
    classical = next(c for c in plan.courses if c.modality == "classical")
    assert len(classical.sessions) == 8
    assert [s.level for s in classical.sessions][:2] == [2, 3]
    assert "consecutive days allowed" in classical.frequency


@pytest.mark.parametrize(
    ("changes", "sessions"),
    [
        ({"condition": {"start_back_group": "low"}}, 4),
        ({"symptoms": {"onset_date": "2026-11-01"}}, 6),
    ],
    ids=["start-back-low", "acute"],
)
def test_a_short_course_when_the_rule_asks_for_it(
    kb: KnowledgeBase, changes: dict[str, dict[str, Any]], sessions: int
) -> None:
    data = nonspecific()
    for section, values in changes.items():
        data[section] = {**data[section], **values}
    plan = planned(kb, data)
    assert {len(c.sessions) for c in plan.courses} == {sessions}


def test_an_irritable_episode_is_planned_gently(kb: KnowledgeBase) -> None:
    data = nonspecific()
    data["symptoms"] = {**data["symptoms"], "onset_date": "2026-11-14", "pain_nrs": 7}
    plan = planned(kb, data)
    for course in plan.courses:
        assert {s.level for s in course.sessions} == {1}
        assert "PC-ACU-01" in {c.rule for c in course.changes}


def test_every_session_ends_with_the_active_part_and_session_4_reviews_the_course(
    kb: KnowledgeBase,
) -> None:
    plan = planned(kb, nonspecific())
    for course in plan.courses:
        texts = {c.text: c.source for c in course.checks}
        review = next(t for t in texts if t.startswith("Course review at session 4"))
        active = next(t for t in texts if t.startswith("The last 3-5 minutes"))
        assert texts[review] == "FURLAN-2015"
        assert texts[active] == "NICE-NG59"


def test_the_sedentary_advice_is_on_the_care_sheet_only_when_sedentary(
    kb: KnowledgeBase,
) -> None:
    sitting = {a.id for a in planned(kb, nonspecific(sedentary=True)).advice}
    active = {a.id for a in planned(kb, nonspecific(sedentary=False)).advice}
    assert {"AD-SIT", "AD-MOVE", "AD-DESK", "AD-HONEST"} <= sitting
    assert not {"AD-SIT", "AD-MOVE", "AD-DESK"} & active
    assert {"AD-LIMB", "AD-STOP-L"} <= active  # the safety net stays on every sheet
    assert "AD-CUR" not in active  # the herniation's wording


def test_the_profile_stop_rules_are_on_its_plans_only(kb: KnowledgeBase) -> None:
    lumbar = {r.id for r in planned(kb, nonspecific()).stop_rules}
    neck = {r.id for r in planned(kb, nonspecific(region="cervical")).stop_rules}
    herniation = {r.id for r in planned(kb, assessment_data()).stop_rules}
    assert "SR-LIMB" in lumbar and "SR-CAD" not in lumbar
    assert {"SR-LIMB", "SR-CAD"} <= neck
    assert not {"SR-LIMB", "SR-CAD"} & herniation
    assert {"SR-NEU", "SR-PAIN"} <= lumbar & neck & herniation
