"""Printable reports: the therapist's course plan and the patient's care sheet.

HTML from Jinja2 templates (``templates/``), printed by WeasyPrint in a language: the
plan in the clinician's, the care sheet in the patient's (the caller says which, and
passes the plan with the knowledge base's texts in that language). The reports read
only the core's models and a ``ReportContext`` with what the store knows (clinic,
patient, print date); they never import the store. The bundled DejaVu Sans covers Latin
and Cyrillic, so names in either script print.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup
from pydantic import BaseModel, ConfigDict, Field

from spinewise.i18n import Translator
from spinewise.models import Decision, Modality, Profile, Severity
from spinewise.models.plan import JetIntensity
from spinewise.planning import (
    AdviceKind,
    CoursePlan,
    HydroParameters,
    ModalityCourse,
    Session,
    Step,
    VacuumParameters,
    ZoneToAvoid,
    area_label,
    describe_where,
)
from spinewise.reports.bodychart import render_body_chart
from spinewise.reports.rendering import pdf, render, weekday
from spinewise.reports.words import modality_word, region_word, side_word, verdict_word


def severity_words(tr: Translator) -> dict[Severity, str]:
    """A finding's severity as a clinician reads it."""
    return {
        Severity.RED_FLAG: tr.gettext("red flag"),
        Severity.DEFER: tr.gettext("defer"),
        Severity.CONTRAINDICATION: tr.gettext("contraindication"),
        Severity.PRECAUTION: tr.gettext("precaution"),
        Severity.INFO: tr.gettext("information"),
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


def _parameters(step: Step, tr: Translator) -> str:
    params = step.parameters
    if isinstance(params, VacuumParameters):
        low, high = params.negative_pressure_kpa
        mm_low, mm_high = params.negative_pressure_mmhg
        text = tr.gettext(
            "pressure level {level}: -{low} to -{high} kPa (-{mm_low} to -{mm_high} "
            "mmHg); moving cups"
        ).format(level=params.level, low=low, high=high, mm_low=mm_low, mm_high=mm_high)
        if params.skin_check_every_minutes:
            text += tr.gettext("; skin check every {minutes} min").format(
                minutes=params.skin_check_every_minutes
            )
        return text + (" *" if params.unconfirmed else "")
    if isinstance(params, HydroParameters):
        low, high = params.water_celsius
        text = tr.gettext("water {low}-{high} °C").format(low=low, high=high)
        if params.thermometer:
            text += tr.gettext(" (thermometer)")
        text += tr.gettext("; jets {jets}").format(jets=_jets(params.jets, tr))
        return text + (" *" if params.unconfirmed else "")
    return ""


def _jets(jets: JetIntensity, tr: Translator) -> str:
    return {
        JetIntensity.OFF: tr.pgettext("jets", "off"),
        JetIntensity.LOW: tr.pgettext("jets", "low"),
        JetIntensity.MODERATE: tr.pgettext("jets", "moderate"),
    }[jets]


def _step_row(step: Step, levels: dict[int, str], tr: Translator) -> dict[str, Any]:
    return {
        "order": step.order,
        "technique": step.technique,
        "areas": describe_where(step, tr),
        "minutes": f"{step.minutes}{' *' if step.unconfirmed else ''}",
        "intensity": f"{step.intensity} ({levels.get(step.intensity, '')})",
        "parameters": _parameters(step, tr),
        "rules": ", ".join(step.rules),
        "notes": " ".join(step.notes),
    }


def _groups(
    sessions: Sequence[Session], levels: dict[int, str], tr: Translator
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
                "steps": [_step_row(step, levels, tr) for step in session.steps],
            }
        )
    return groups


def _course_view(
    course: ModalityCourse, levels: dict[int, str], tr: Translator
) -> dict[str, Any]:
    return {
        "course": course,
        "groups": _groups(course.sessions, levels, tr),
        "calendar": [
            {
                "number": s.number,
                "date": weekday(s.date, tr.language),
                "level": s.level,
                "minutes": s.minutes,
                "measures": "; ".join(s.measures),
                "beyond": s.beyond_clearance,
            }
            for s in course.sessions
        ],
    }


def zone_places(zones: Sequence[ZoneToAvoid], tr: Translator) -> dict[str, str]:
    """Where each located zone lies, by zone id ("paraspinal muscles L3-S1; ...")."""
    return {z.id: "; ".join(area_label(a, tr) for a in z.areas) for z in zones}


def profile_words(profile: Profile, tr: Translator) -> str:
    """The condition profile in the reader's words."""
    if profile is Profile.DISC_HERNIATION:
        return tr.gettext("disc herniation")
    return tr.gettext("non-specific back or neck pain")


def footer(plan: CoursePlan, tr: Translator) -> str:
    """The versions a printed plan was made with."""
    return tr.gettext(
        "Spinewise · knowledge base {kb} · engine {engine} · planner {planner}"
    ).format(
        kb=plan.kb_version, engine=plan.engine_version, planner=plan.planner_version
    )


def _common(plan: CoursePlan, context: ReportContext, tr: Translator) -> dict[str, Any]:
    return {
        "plan": plan,
        "ctx": context,
        "modality_names": ", ".join(c.name for c in plan.courses),
        "profile_words": profile_words(plan.profile, tr),
        "footer": footer(plan, tr),
    }


def render_plan_html(
    plan: CoursePlan, decision: Decision, context: ReportContext, language: str = "en"
) -> str:
    """The therapist's course plan as print-ready HTML, in ``language``."""
    tr = Translator(language)
    excluded = ", ".join(
        modality_word(m, tr) for m in plan.clearance.excluded_modalities
    )
    statuses = {m: d.status.value for m, d in decision.modalities.items()}
    return render(
        "plan.html",
        language,
        **_common(plan, context, tr),
        decision=decision,
        verdict=verdict_word(decision.verdict, tr),
        region=region_word(plan.region, tr),
        side=side_word(plan.hernia_side, tr),
        severity=severity_words(tr),
        statuses=[(modality_word(m, tr), statuses.get(m, "-")) for m in Modality],
        excluded=excluded or tr.pgettext("modalities", "none"),
        courses=[_course_view(c, plan.level_names, tr) for c in plan.courses],
        chart=Markup(
            render_body_chart(plan, language=language)
        ),  # our own SVG, escaped as built
        zones=plan.zones_to_avoid(),
        zone_places=zone_places(plan.zones_to_avoid(), tr),
    )


def render_care_sheet_html(
    plan: CoursePlan, context: ReportContext, language: str = "en"
) -> str:
    """The patient's one-page care sheet as print-ready HTML, in ``language``."""
    tr = Translator(language)
    advice = plan.advice
    return render(
        "care_sheet.html",
        language,
        **_common(plan, context, tr),
        urgent=[a for a in advice if a.kind is AdviceKind.SAFETY_NET],
        about=[a for a in advice if a.kind is AdviceKind.ABOUT_TREATMENT],
        home=[a for a in advice if a.kind is AdviceKind.HOME_CARE],
        courses=[
            {
                "name": c.name,
                "count": len(c.sessions),
                "first": weekday(c.sessions[0].date, language),
                "last": weekday(c.sessions[-1].date, language),
                "frequency": c.frequency,
            }
            for c in plan.courses
        ],
    )


def render_plan_pdf(
    plan: CoursePlan, decision: Decision, context: ReportContext, language: str = "en"
) -> bytes:
    """The therapist's course plan as PDF bytes (A4, numbered pages)."""
    return pdf(render_plan_html(plan, decision, context, language))


def render_care_sheet_pdf(
    plan: CoursePlan, context: ReportContext, language: str = "en"
) -> bytes:
    """The patient's care sheet as a one-page PDF."""
    return pdf(render_care_sheet_html(plan, context, language))
