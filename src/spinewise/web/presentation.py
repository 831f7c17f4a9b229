"""How a decision is shown: words, icon and tone for each verdict and status.

Colour is never the only carrier: every verdict and modality status has a text label
and an icon beside its tone (the tone only picks the colour).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass

from spinewise.models import (
    Decision,
    Finding,
    Modality,
    ModalityStatus,
    Severity,
    Verdict,
)
from spinewise.web.draft import question_for
from spinewise.web.intake import intake_sections


@dataclass(frozen=True)
class Look:
    """The visible form of one value: label, icon name, tone and a sentence."""

    label: str
    icon: str
    tone: str
    note: str = ""


VERDICTS: dict[Verdict, Look] = {
    Verdict.URGENT_REFERRAL: Look(
        "Urgent referral", "stop", "danger",
        "No massage. Refer the patient now; see the red flags below.",
    ),
    Verdict.INCOMPLETE: Look(
        "Incomplete", "question", "warning",
        "Answers are missing; the decision cannot be made until they are given.",
    ),
    Verdict.DECLINED_BY_PHYSICIAN: Look(
        "Declined by the physician", "ban", "declined",
        "The physician has not cleared massage (or excluded every usable modality).",
    ),
    Verdict.NOT_NOW: Look(
        "Not now", "pause", "warning",
        "Massage is contraindicated for now, for temporary reasons. Screen again later.",
    ),
    Verdict.NOT_SUITABLE: Look(
        "Not suitable", "cross", "danger",
        "Every modality is contraindicated for lasting reasons.",
    ),
    Verdict.AWAITING_CLEARANCE: Look(
        "Awaiting clearance", "clock", "info",
        "Massage may be possible; a physician's valid approval is needed first.",
    ),
    Verdict.PROCEED: Look(
        "Proceed", "check", "ok",
        "Cleared by the physician; plan with the modalities marked usable below.",
    ),
}  # fmt: skip

STATUSES: dict[ModalityStatus, Look] = {
    ModalityStatus.ALLOWED: Look("Allowed", "check", "ok"),
    ModalityStatus.WITH_PRECAUTIONS: Look(
        "Allowed with precautions", "alert", "caution"
    ),
    ModalityStatus.CONTRAINDICATED: Look("Contraindicated", "cross", "danger"),
    ModalityStatus.UNDETERMINED: Look("Undetermined", "question", "warning"),
}

SEVERITIES: dict[Severity, Look] = {
    Severity.RED_FLAG: Look(
        "Red flags", "stop", "danger", "Urgent referral, no massage."
    ),
    Severity.DEFER: Look("Defers", "pause", "warning", "Temporary; every modality."),
    Severity.CONTRAINDICATION: Look(
        "Contraindications", "cross", "danger", "Block the modalities named."
    ),
    Severity.PRECAUTION: Look(
        "Precautions", "alert", "caution", "Allowed, with changes the plan applies."
    ),
    Severity.INFO: Look("Information", "info", "info", "For the clinician; no effect."),
}

MODALITY_NAMES = {
    Modality.CLASSICAL: "Classical massage",
    Modality.VACUUM: "Vacuum (cupping) massage",
    Modality.HYDROMASSAGE: "Hydromassage",
}


@dataclass(frozen=True)
class MissingAnswer:
    path: str
    label: str
    section: str
    anchor: str


@dataclass(frozen=True)
class DecisionView:
    """Everything the decision template shows, computed once."""

    decision: Decision
    verdict: Look
    findings: list[tuple[Look, list[Finding]]]
    missing: list[MissingAnswer]
    rescreen_on: dt.date | None
    summary: str


def missing_answer(path: str) -> MissingAnswer:
    question = question_for(path)
    if question is None:
        label = path.rpartition(".")[2].replace("_", " ").capitalize()
        return MissingAnswer(path, label, "", "field-" + path.replace(".", "-"))
    section = next(s.title for s in intake_sections() if question in s.questions)
    return MissingAnswer(path, question.label, section, question.anchor)


def rescreen_day(decision: Decision) -> dt.date | None:
    """The first day to screen again, when the decision names one."""
    if decision.rescreen_after_days is None or not decision.assessed_on:
        return None
    try:
        day = dt.date.fromisoformat(decision.assessed_on)
        return day + dt.timedelta(days=decision.rescreen_after_days)
    except (ValueError, OverflowError):
        return None


def clinical_summary(decision: Decision, missing: list[MissingAnswer]) -> str:
    """The decision's summary with each answer named by its question, not its path."""
    summary = decision.summary
    for answer in sorted(missing, key=lambda m: -len(m.path)):
        summary = summary.replace(answer.path, f"\u201c{answer.label}\u201d")
    return summary


def view_decision(decision: Decision) -> DecisionView:
    missing = [missing_answer(p) for p in decision.missing]
    groups = [
        (SEVERITIES[s], [f for f in decision.findings if f.severity is s])
        for s in Severity
    ]
    return DecisionView(
        decision=decision,
        verdict=VERDICTS[decision.verdict],
        findings=[(look, found) for look, found in groups if found],
        missing=missing,
        rescreen_on=rescreen_day(decision),
        summary=clinical_summary(decision, missing),
    )


_SVG_DESC = re.compile(r"<desc[^>]*>(.*?)</desc>", re.S)


def svg_description(svg: str, fallback: str) -> str:
    """A chart's own ``<desc>``: the text alternative of its ``<img>``."""
    found = _SVG_DESC.search(svg)
    return html.unescape(found.group(1)).strip() if found else fallback
