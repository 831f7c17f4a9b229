"""Letters to the attending physician: a progress report and a discharge letter.

What the physician needs to judge the course: the screening decision and its reasons
(rule ids with their citations), the clearance they gave (who, when, until when), the
sessions given, every stop event, and the outcome scores with their charts and whether
each change is clinically important (the MIC rule of ``spinewise.outcomes``). A STarT
Back high risk group shows as an advisory (refer for psychologically informed care); for
a disc herniation it never changes the decision. Where an instrument's official band
name is stigmatising (ODI's), the letter shows the neutral label and keeps the official
name in a footnote.

The letter is a clinician's document: it is written in the clinician's language (the
caller passes the decision and stop texts already in it). The service gathers a
``LetterData``; this module only lays it out.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Any

from markupsafe import Markup
from pydantic import BaseModel, ConfigDict, Field

from spinewise.i18n import Translator
from spinewise.models import Decision, Modality
from spinewise.models.outcome import Change, ChangeClass, Instrument, Score
from spinewise.outcomes import INSTRUMENTS
from spinewise.reports.charts import axis_label, render_outcome_chart
from spinewise.reports.pdf import ReportContext, profile_words, severity_words
from spinewise.reports.rendering import pdf, render
from spinewise.reports.words import band_word, modality_word, verdict_word


class LetterKind(StrEnum):
    """Which letter: during the course, or at its end."""

    PROGRESS = "progress"
    DISCHARGE = "discharge"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LetterClearance(_Frozen):
    """The attending physician's clearance the course ran under."""

    physician: str | None = None
    status: str = Field(description="approved, declined, pending or none")
    decided_on: dt.date | None = None
    valid_until: dt.date | None = None
    excluded: list[Modality] = Field(default_factory=list)


class LetterSession(_Frozen):
    """One signed session (its latest version)."""

    number: int
    performed_on: dt.date
    modality: Modality
    pain_before: int
    pain_after: int
    stopped: bool = False


class LetterStop(_Frozen):
    """One stop rule that held at a session, in the reader's words."""

    session_number: int
    performed_on: dt.date
    rule: str
    when: str
    action: str
    source: str
    plan_suspended: bool
    rescreen: bool


class LetterOutcome(_Frozen):
    """One instrument's scores in date order and the latest change from baseline."""

    instrument: Instrument
    scores: list[Score]
    latest: Change | None = None


class LetterData(_Frozen):
    """Everything a letter shows, gathered (and audited) by the service."""

    kind: LetterKind
    context: ReportContext
    assessed_on: dt.date
    decision: Decision
    clearance: LetterClearance
    planned_sessions: int = 0
    plan_start: dt.date | None = None
    plan_status: str | None = None
    sessions: list[LetterSession] = Field(default_factory=list)
    stops: list[LetterStop] = Field(default_factory=list)
    outcomes: list[LetterOutcome] = Field(default_factory=list)
    pain_points: list[tuple[dt.date, Decimal]] = Field(default_factory=list)
    kb_version: str


def _band(score: Score, tr: Translator) -> tuple[str, str | None]:
    """The neutral band label and, where it differs, the instrument's official name."""
    if score.band is None:
        return "", None
    official = INSTRUMENTS[score.instrument].official_band_name(score.band)
    return band_word(score.band, tr), official


def _verdict(change: Change | None, tr: Translator) -> str:
    if change is None:
        return tr.gettext("baseline only")
    return {
        ChangeClass.IMPROVED: tr.gettext("clinically important improvement"),
        ChangeClass.WORSENED: tr.gettext("clinically important worsening"),
        ChangeClass.UNCHANGED: tr.gettext("not clinically important"),
    }[change.classification]


def _outcome_view(
    outcome: LetterOutcome, tr: Translator, footnotes: list[str]
) -> dict[str, Any]:
    definition = INSTRUMENTS[outcome.instrument]
    rows = []
    for score in outcome.scores:
        label, official = _band(score, tr)
        mark = ""
        if official is not None:
            if official not in footnotes:
                footnotes.append(official)
            mark = "*" * (footnotes.index(official) + 1)
        rows.append({"score": score, "band": label, "mark": mark})
    points = [(s.answered_on, s.score) for s in outcome.scores if s.score is not None]
    chart = None
    if definition.mic_absolute is not None and points:
        chart = Markup(  # our own SVG, escaped as built
            render_outcome_chart(
                outcome.instrument,
                points,
                definition.mic_absolute,
                title=axis_label(outcome.instrument, tr),
                language=tr.language,
            )
        )
    high = [s for s in outcome.scores if s.risk is not None and s.risk.value == "high"]
    return {
        "name": tr.gettext(definition.name),
        "rows": rows,
        "latest": outcome.latest,
        "verdict": _verdict(outcome.latest, tr),
        "chart": chart,
        "risk": outcome.instrument is Instrument.STARTBACK,
        "high_on": high[-1].answered_on if high else None,
    }


def _pain_chart(data: LetterData, tr: Translator) -> Markup | None:
    if not data.pain_points:
        return None
    mic = INSTRUMENTS[Instrument.NRS].mic_absolute or Decimal(2)
    title = tr.gettext("Pain before each session (0-10)")
    svg = render_outcome_chart(
        Instrument.NRS,
        data.pain_points,
        mic,
        title=title,
        language=tr.language,
        subject=tr.gettext("Pain before each session"),
    )
    return Markup(svg)  # our own SVG, escaped as built


def _plan_status(status: str | None, tr: Translator) -> str:
    """The course plan's state as the letter says it (a discharge letter printed while
    the plan is still active says so rather than claim the course ended)."""
    words = {
        "active": tr.pgettext("plan status", "active"),
        "suspended": tr.pgettext("plan status", "suspended until re-screened"),
        "completed": tr.pgettext("plan status", "completed"),
        "superseded": tr.pgettext("plan status", "replaced by a newer plan"),
    }
    return words.get(status or "", status or "")


def render_letter_html(data: LetterData, language: str = "en") -> str:
    """A progress report or discharge letter as print-ready HTML, in ``language``."""
    tr = Translator(language)
    footnotes: list[str] = []
    outcomes = [_outcome_view(o, tr, footnotes) for o in data.outcomes]
    startback = [o["high_on"] for o in outcomes if o["high_on"] is not None]
    return render(
        "letter.html",
        language,
        data=data,
        ctx=data.context,
        discharge=data.kind is LetterKind.DISCHARGE,
        verdict=verdict_word(data.decision.verdict, tr),
        severity=severity_words(tr),
        profile=profile_words(data.decision.profile, tr),
        excluded=", ".join(modality_word(m, tr) for m in data.clearance.excluded),
        outcomes=outcomes,
        footnotes=footnotes,
        startback_high=startback[-1] if startback else None,
        pain_chart=_pain_chart(data, tr),
        given=len(data.sessions),
        clearance_words={
            "approved": tr.pgettext("clearance", "approved"),
            "declined": tr.pgettext("clearance", "declined"),
            "pending": tr.pgettext("clearance", "pending"),
        },
        plan_status=_plan_status(data.plan_status, tr),
        risk_words={
            "low": tr.pgettext("risk", "low"),
            "medium": tr.pgettext("risk", "medium"),
            "high": tr.pgettext("risk", "high"),
        },
        sources=sorted({(f.source, f.citation) for f in data.decision.findings}),
    )


def render_letter_pdf(data: LetterData, language: str = "en") -> bytes:
    """A progress report or discharge letter as PDF bytes (A4, numbered pages)."""
    return pdf(render_letter_html(data, language))
