"""How a decision is shown: words, icon and tone for each verdict and status.

Colour is never the only carrier: every verdict and modality status has a text label
and an icon beside its tone (the tone only picks the colour).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass

from spinewise.i18n import DEFAULT_LANGUAGE, Translator
from spinewise.kb import KnowledgeBase, technique_words
from spinewise.models import (
    Decision,
    Finding,
    Modality,
    ModalityStatus,
    Severity,
    Verdict,
)
from spinewise.screening import translate_decision
from spinewise.web.draft import question_for
from spinewise.web.intake import intake_sections
from spinewise.web.words import N_


@dataclass(frozen=True)
class Look:
    """The visible form of one value: label, icon name, tone and a sentence."""

    label: str
    icon: str
    tone: str
    note: str = ""


VERDICTS: dict[Verdict, Look] = {
    Verdict.URGENT_REFERRAL: Look(
        N_("Urgent referral"), "stop", "danger",
        N_("No massage. Refer the patient now; see the red flags below."),
    ),
    Verdict.INCOMPLETE: Look(
        N_("Incomplete"), "question", "warning",
        N_("Answers are missing; the decision cannot be made until they are given."),
    ),
    Verdict.DECLINED_BY_PHYSICIAN: Look(
        N_("Declined by the physician"), "ban", "declined",
        N_("The physician has not cleared massage (or excluded every usable modality)."),
    ),
    Verdict.NOT_NOW: Look(
        N_("Not now"), "pause", "warning",
        N_("Massage is contraindicated for now, for temporary reasons. Screen again later."),
    ),
    Verdict.NOT_SUITABLE: Look(
        N_("Not suitable"), "cross", "danger",
        N_("Every modality is contraindicated for lasting reasons."),
    ),
    Verdict.AWAITING_CLEARANCE: Look(
        N_("Awaiting clearance"), "clock", "info",
        N_("Massage may be possible; a physician's valid approval is needed first."),
    ),
    Verdict.PROCEED: Look(
        N_("Proceed"), "check", "ok",
        N_("Cleared by the physician; plan with the modalities marked usable below."),
    ),
}  # fmt: skip

STATUSES: dict[ModalityStatus, Look] = {
    ModalityStatus.ALLOWED: Look(N_("Allowed"), "check", "ok"),
    ModalityStatus.WITH_PRECAUTIONS: Look(
        N_("Allowed with precautions"), "alert", "caution"
    ),
    ModalityStatus.CONTRAINDICATED: Look(N_("Contraindicated"), "cross", "danger"),
    ModalityStatus.UNDETERMINED: Look(N_("Undetermined"), "question", "warning"),
}

SEVERITIES: dict[Severity, Look] = {
    Severity.RED_FLAG: Look(
        N_("Red flags"), "stop", "danger", N_("Urgent referral, no massage.")
    ),
    Severity.DEFER: Look(
        N_("Defers"), "pause", "warning", N_("Temporary; every modality.")
    ),
    Severity.CONTRAINDICATION: Look(
        N_("Contraindications"), "cross", "danger", N_("Block the modalities named.")
    ),
    Severity.PRECAUTION: Look(
        N_("Precautions"),
        "alert",
        "caution",
        N_("Allowed, with changes the plan applies."),
    ),
    Severity.INFO: Look(
        N_("Information"), "info", "info", N_("For the clinician; no effect.")
    ),
}

MODALITY_NAMES = {
    Modality.CLASSICAL: N_("Classical massage"),
    Modality.VACUUM: N_("Vacuum (cupping) massage"),
    Modality.HYDROMASSAGE: N_("Hydromassage"),
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


def clinical_summary(
    decision: Decision, missing: list[MissingAnswer], language: str = DEFAULT_LANGUAGE
) -> str:
    """The decision's summary with each answer named by its question, not its path."""
    tr = Translator(language)
    summary = decision.summary
    for answer in sorted(missing, key=lambda m: -len(m.path)):
        label = tr.gettext(answer.label) if answer.label else answer.label
        summary = summary.replace(answer.path, f"\u201c{label}\u201d")
    return summary


def view_decision(
    decision: Decision,
    kb: KnowledgeBase | None = None,
    language: str = DEFAULT_LANGUAGE,
) -> DecisionView:
    """The decision as the page shows it: its words (summary, finding messages) in
    ``language`` from the knowledge base's catalogue; codes stay codes."""
    if kb is not None:
        decision = translate_decision(decision, kb, language)
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
        summary=clinical_summary(decision, missing, language),
    )


_SVG_DESC = re.compile(r"<desc[^>]*>(.*?)</desc>", re.S)


def svg_description(svg: str, fallback: str) -> str:
    """A chart's own ``<desc>``: the text alternative of its ``<img>``."""
    found = _SVG_DESC.search(svg)
    return html.unescape(found.group(1)).strip() if found else fallback


def kb_words(kb: KnowledgeBase, language: str) -> dict[str, str]:
    """The techniques' texts (course names, steps, zones, checks, stop rules, advice)
    by their English wording, in ``language``: a stored plan copies these texts, so
    a page shows it in the reader's language by looking each one up. Texts the
    planner composes are not here and stay as stored."""
    return technique_words(kb, language)
