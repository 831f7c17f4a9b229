"""Printable reports: the therapist's course plan and the patient's care sheet.

HTML from Jinja2 templates (``templates/``), printed by WeasyPrint. The reports read
only the core's models and a ``ReportContext`` with what the store knows (clinic,
patient, print date); they never import the store. DejaVu Sans covers Latin and
Cyrillic, so names in either script print.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from pydantic import BaseModel, ConfigDict, Field

from spinewise.models import Decision, Modality, Profile, Severity
from spinewise.planning import (
    AdviceKind,
    CoursePlan,
    HydroParameters,
    ModalityCourse,
    Session,
    Step,
    VacuumParameters,
    describe_where,
)
from spinewise.reports.bodychart import render_body_chart

_TEMPLATES = Path(__file__).parent / "templates"
_ENV = Environment(
    loader=FileSystemLoader(_TEMPLATES),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_VERDICT_WORDS = {
    "proceed": "Proceed: massage may be given as planned",
}
_SEVERITY_WORDS = {
    Severity.RED_FLAG: "red flag",
    Severity.DEFER: "defer",
    Severity.CONTRAINDICATION: "contraindication",
    Severity.PRECAUTION: "precaution",
    Severity.INFO: "information",
}


class ReportContext(BaseModel):
    """What a report shows beyond the plan: who it is for and who prints it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    clinic_name: str = Field(min_length=1)
    clinic_address: str | None = None
    clinic_phone: str | None = None
    patient_name: str = Field(min_length=1)
    patient_id: str = Field(min_length=1)
    patient_birth_date: dt.date | None = None
    therapist: str | None = None
    printed_on: dt.date


def _day(value: dt.date | None) -> str:
    return value.strftime("%d %b %Y") if value else "-"


def _weekday(value: dt.date) -> str:
    return value.strftime("%a %d %b %Y")


def _parameters(step: Step) -> str:
    params = step.parameters
    if isinstance(params, VacuumParameters):
        low, high = params.negative_pressure_kpa
        mm_low, mm_high = params.negative_pressure_mmhg
        text = (
            f"pressure level {params.level}: -{low} to -{high} kPa "
            f"(-{mm_low} to -{mm_high} mmHg); moving cups"
        )
        if params.skin_check_every_minutes:
            text += f"; skin check every {params.skin_check_every_minutes} min"
        return text + (" *" if params.unconfirmed else "")
    if isinstance(params, HydroParameters):
        low, high = params.water_celsius
        text = f"water {low}-{high} °C"
        if params.thermometer:
            text += " (thermometer)"
        text += f"; jets {params.jets.value}"
        return text + (" *" if params.unconfirmed else "")
    return ""


def _step_row(step: Step, levels: dict[int, str]) -> dict[str, Any]:
    return {
        "order": step.order,
        "technique": step.technique,
        "areas": describe_where(step),
        "minutes": f"{step.minutes}{' *' if step.unconfirmed else ''}",
        "intensity": f"{step.intensity} ({levels.get(step.intensity, '')})",
        "parameters": _parameters(step),
        "rules": ", ".join(step.rules),
        "notes": " ".join(step.notes),
    }


def _groups(
    sessions: Sequence[Session], levels: dict[int, str]
) -> list[dict[str, Any]]:
    """Consecutive sessions with the same steps, shown once."""
    groups: list[dict[str, Any]] = []
    for session in sessions:
        if groups and groups[-1]["steps_key"] == session.steps:
            groups[-1]["last"] = session.number
            continue
        groups.append(
            {
                "first": session.number,
                "last": session.number,
                "level": session.level,
                "level_name": levels.get(session.level, ""),
                "minutes": session.minutes,
                "steps_key": session.steps,
                "steps": [_step_row(step, levels) for step in session.steps],
            }
        )
    return groups


def _course_view(course: ModalityCourse, levels: dict[int, str]) -> dict[str, Any]:
    return {
        "course": course,
        "groups": _groups(course.sessions, levels),
        "calendar": [
            {
                "number": s.number,
                "date": _weekday(s.date),
                "level": s.level,
                "minutes": s.minutes,
                "measures": "; ".join(s.measures),
                "beyond": s.beyond_clearance,
            }
            for s in course.sessions
        ],
    }


PROFILE_WORDS = {
    Profile.DISC_HERNIATION: "disc herniation",
    Profile.NONSPECIFIC_BACK_PAIN: "non-specific back or neck pain",
}


def _common(plan: CoursePlan, context: ReportContext) -> dict[str, Any]:
    return {
        "plan": plan,
        "ctx": context,
        "day": _day,
        "modality_names": ", ".join(c.name for c in plan.courses),
        "profile_words": PROFILE_WORDS[plan.profile],
        "footer": (
            f"Spinewise · knowledge base {plan.kb_version} · engine "
            f"{plan.engine_version} · planner {plan.planner_version}"
        ),
    }


def render_plan_html(
    plan: CoursePlan, decision: Decision, context: ReportContext
) -> str:
    """The therapist's course plan as print-ready HTML."""
    excluded = ", ".join(m.value for m in plan.clearance.excluded_modalities)
    statuses = {m: d.status.value for m, d in decision.modalities.items()}
    return _ENV.get_template("plan.html").render(
        **_common(plan, context),
        decision=decision,
        verdict=_VERDICT_WORDS.get(decision.verdict.value, decision.verdict.value),
        severity=_SEVERITY_WORDS,
        statuses=[(m.value, statuses.get(m, "-")) for m in Modality],
        excluded=excluded or "none",
        courses=[_course_view(c, plan.level_names) for c in plan.courses],
        chart=Markup(render_body_chart(plan)),  # our own SVG, escaped as built
        zones=plan.zones_to_avoid(),
    )


def render_care_sheet_html(plan: CoursePlan, context: ReportContext) -> str:
    """The patient's one-page care sheet as print-ready HTML."""
    advice = plan.advice
    return _ENV.get_template("care_sheet.html").render(
        **_common(plan, context),
        urgent=[a for a in advice if a.kind is AdviceKind.SAFETY_NET],
        about=[a for a in advice if a.kind is AdviceKind.ABOUT_TREATMENT],
        home=[a for a in advice if a.kind is AdviceKind.HOME_CARE],
        courses=[
            {
                "name": c.name,
                "count": len(c.sessions),
                "first": _weekday(c.sessions[0].date),
                "last": _weekday(c.sessions[-1].date),
                "frequency": c.frequency,
            }
            for c in plan.courses
        ],
    )


def _pdf(html: str) -> bytes:
    from weasyprint import HTML

    document: bytes = HTML(string=html, base_url=str(_TEMPLATES)).write_pdf()
    return document


def render_plan_pdf(
    plan: CoursePlan, decision: Decision, context: ReportContext
) -> bytes:
    """The therapist's course plan as PDF bytes (A4, numbered pages)."""
    return _pdf(render_plan_html(plan, decision, context))


def render_care_sheet_pdf(plan: CoursePlan, context: ReportContext) -> bytes:
    """The patient's care sheet as a one-page PDF."""
    return _pdf(render_care_sheet_html(plan, context))
