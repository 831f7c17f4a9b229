"""The course plan as a CarePlan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from tests.factories import make_assessment
from tests.interop.fhir_support import INFO, reparsed

from spinewise.interop import (
    ActivityInput,
    CarePlanInput,
    careplan_resource,
    plan_input,
)
from spinewise.interop.codes import MODALITY
from spinewise.kb import KnowledgeBase
from spinewise.models import Modality
from spinewise.planning import plan_course
from spinewise.screening import screen

PLAN = CarePlanInput(
    key="plan-1",
    title="Classical massage, 10 sessions",
    start=dt.date(2026, 11, 25),
    end=dt.date(2026, 12, 20),
    modalities=[Modality.CLASSICAL],
    activities=[
        ActivityInput(
            description="Session 1: stroking and light kneading, paravertebral",
            scheduled=[dt.date(2026, 11, 25)],
            modality=Modality.CLASSICAL,
        ),
        ActivityInput(description="Medium-firm mattress; sleep on the side"),
    ],
)


def test_a_course_plan_is_a_care_plan_with_period_modalities_and_activities() -> None:
    plan = reparsed(careplan_resource(INFO, PLAN, PLAN.key))
    assert (plan.status, plan.intent) == ("active", "plan")
    assert plan.title == PLAN.title
    assert (str(plan.period.start), str(plan.period.end)) == (
        "2026-11-25",
        "2026-12-20",
    )
    assert [c.coding[0].code for c in plan.category] == ["classical"]
    session, advice = (a.detail for a in plan.activity)
    assert session.status == "scheduled"
    assert [str(e) for e in session.scheduledTiming.event] == ["2026-11-25"]
    assert (session.code.coding[0].system, session.code.coding[0].code) == (
        MODALITY,
        "classical",
    )
    assert advice.status == "not-started"
    assert advice.scheduledTiming is None


@dataclass
class _Activity:
    description: str
    scheduled: list[dt.date] = field(default_factory=list)
    modality: Modality | None = None


@dataclass
class _Plan:
    title: str
    start: dt.date
    end: dt.date | None
    modalities: list[Modality]
    activities: list[_Activity]


def test_any_object_with_the_plan_attributes_maps() -> None:
    plan = _Plan("Vacuum course", dt.date(2026, 11, 25), None, [Modality.VACUUM], [])
    resource = reparsed(careplan_resource(INFO, plan, "plan-2", status="draft"))
    assert resource.status == "draft"
    assert resource.period.end is None
    assert resource.activity is None


def test_the_planners_course_plan_maps_sessions_advice_and_zones(
    kb: KnowledgeBase,
) -> None:
    assessment = make_assessment()
    decision = screen(assessment, kb)
    course = plan_course(assessment, decision, kb, dt.date(2026, 11, 25))
    summary = plan_input(course, "plan-9", assessment_key="a-1")
    sessions = [s for c in course.courses for s in c.sessions]
    assert summary.start == course.start_date
    assert summary.end == max(s.date for s in sessions)
    assert summary.modalities == [c.modality for c in course.courses]
    resource = reparsed(careplan_resource(INFO, summary, "plan-9", notes=summary.notes))
    scheduled = [a for a in resource.activity if a.detail.status == "scheduled"]
    assert len(scheduled) == len(sessions)
    assert len(resource.activity) == len(sessions) + len(course.advice)
    notes = [n.text for n in resource.note]
    assert any(n.startswith("Avoid") for n in notes)
    assert len(notes) == len(course.zones_to_avoid()) + len(course.stop_rules)
