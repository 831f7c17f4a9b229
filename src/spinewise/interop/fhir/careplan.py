"""The course plan as a CarePlan.

The mapping reads only what it needs through the :class:`PlanLike` protocol (title,
period, modalities, activities with their scheduled dates), so it does not follow
every change of the planner's model. :func:`plan_input` turns the planner's
``CoursePlan`` into :class:`CarePlanInput` (the pydantic model of that shape which
``PatientRecord`` carries): one activity per dated session, one per piece of advice,
and the zones to avoid and stop rules as notes, so the EHR sees what must not be done.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Annotated, Protocol

from fhir.resources.R4B.annotation import Annotation
from fhir.resources.R4B.careplan import (
    CarePlan,
    CarePlanActivity,
    CarePlanActivityDetail,
)
from fhir.resources.R4B.period import Period
from fhir.resources.R4B.reference import Reference
from fhir.resources.R4B.timing import Timing
from pydantic import BaseModel, ConfigDict, Field

from spinewise.interop import codes
from spinewise.interop.codes import concept, local, resource_id
from spinewise.interop.fhir.patient import PatientInfo, patient_reference
from spinewise.models import Modality
from spinewise.planning import CoursePlan, ModalityCourse


class ActivityLike(Protocol):
    """One planned activity: what is done and on which days."""

    @property
    def description(self) -> str: ...

    @property
    def scheduled(self) -> Sequence[dt.date]: ...

    @property
    def modality(self) -> Modality | None: ...


class PlanLike(Protocol):
    """What the CarePlan mapping reads from a course plan."""

    @property
    def title(self) -> str: ...

    @property
    def start(self) -> dt.date: ...

    @property
    def end(self) -> dt.date | None: ...

    @property
    def modalities(self) -> Sequence[Modality]: ...

    @property
    def activities(self) -> Sequence[ActivityLike]: ...


class ActivityInput(BaseModel):
    """A planned activity (a session, a piece of advice) with its scheduled days."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    description: Annotated[str, Field(min_length=1)]
    scheduled: list[dt.date] = Field(default_factory=list)
    modality: Modality | None = None


class CarePlanInput(BaseModel):
    """A course plan as the CarePlan mapping needs it (satisfies ``PlanLike``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: Annotated[str, Field(min_length=1, description="plan id in the store")]
    title: Annotated[str, Field(min_length=1)]
    start: dt.date
    end: dt.date | None = None
    modalities: list[Modality] = Field(default_factory=list)
    activities: list[ActivityInput] = Field(default_factory=list)
    status: str = "active"
    notes: list[str] = Field(
        default_factory=list, description="zones to avoid, stop rules (CarePlan.note)"
    )
    assessment_key: str | None = Field(
        default=None, description="the screened assessment the plan rests on"
    )


def _session_activities(course: ModalityCourse) -> list[ActivityInput]:
    activities = []
    for session in course.sessions:
        steps = "; ".join(
            f"{s.technique} {s.minutes} min on " + ", ".join(a.label for a in s.areas)
            for s in session.steps
        )
        activities.append(
            ActivityInput(
                description=(
                    f"{course.name}, session {session.number} "
                    f"({session.minutes} min, level {session.level}): {steps}"
                ),
                scheduled=[session.date],
                modality=course.modality,
            )
        )
    return activities


def plan_input(
    plan: CoursePlan,
    key: str,
    assessment_key: str | None = None,
    status: str = "active",
) -> CarePlanInput:
    """The planner's course plan in the shape the CarePlan mapping reads."""
    sessions = [a for c in plan.courses for a in _session_activities(c)]
    advice = [ActivityInput(description=f"{a.title}: {a.text}") for a in plan.advice]
    zones = [
        f"Avoid ({', '.join(m.value for m in z.modalities)}): {z.label}"
        for z in plan.zones_to_avoid()
    ]
    stops = [f"Stop when {r.when}: {r.action}" for r in plan.stop_rules]
    names = ", ".join(c.name for c in plan.courses)
    return CarePlanInput(
        key=key,
        title=f"Massage course for disc herniation: {names}",
        start=plan.start_date,
        end=max(d for a in sessions for d in a.scheduled),
        modalities=[c.modality for c in plan.courses],
        activities=[*sessions, *advice],
        status=status,
        notes=[*zones, *stops],
        assessment_key=assessment_key,
    )


_MODALITY_TEXT = {
    Modality.CLASSICAL: "Classical massage",
    Modality.VACUUM: "Vacuum (cupping) massage",
    Modality.HYDROMASSAGE: "Hydromassage",
}


def _activity(activity: ActivityLike, today_status: str) -> CarePlanActivity:
    timing = Timing(event=list(activity.scheduled)) if activity.scheduled else None
    code = (
        concept(local(codes.MODALITY, activity.modality.value))
        if activity.modality is not None
        else None
    )
    return CarePlanActivity(
        detail=CarePlanActivityDetail(
            code=code,
            status=today_status,
            description=activity.description,
            scheduledTiming=timing,
        )
    )


def careplan_resource(
    info: PatientInfo,
    plan: PlanLike,
    key: str,
    status: str = "active",
    addresses: list[Reference] | None = None,
    supporting: list[Reference] | None = None,
    notes: list[str] | None = None,
) -> CarePlan:
    """The course plan ``key`` of a patient as a CarePlan (intent ``plan``).

    ``addresses`` references the Condition, ``supporting`` the GuidanceResponse and
    clearance the plan rests on; ``notes`` become ``note``. Activities are
    ``scheduled`` when they have dates, ``not-started`` otherwise.
    """
    return CarePlan(
        id=resource_id("CarePlan", info.key, key),
        status=status,
        intent="plan",
        title=plan.title,
        category=[
            concept(local(codes.MODALITY, m.value), text=_MODALITY_TEXT[m])
            for m in plan.modalities
        ]
        or None,
        subject=patient_reference(info),
        period=Period(start=plan.start, end=plan.end),
        addresses=addresses or None,
        supportingInfo=supporting or None,
        activity=[
            _activity(a, "scheduled" if a.scheduled else "not-started")
            for a in plan.activities
        ]
        or None,
        note=[Annotation(text=n) for n in notes or []] or None,
    )
