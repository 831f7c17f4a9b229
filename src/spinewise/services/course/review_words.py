"""Why a course is under review, in the reader's language (a clinician reads it).

A review keeps its reasons as stored data: the English ``message`` (the audit detail
and the words of reviews stored before this) and, beside it, what the message says
(``kind``, the instrument, scores and days, or the pain ratings). ``reason_text``
writes those in any language; a reason without them shows its stored message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from spinewise.i18n import Translator, format_date, format_number
from spinewise.models.outcome import Instrument

WORSENING = "worsening"
PAIN_RISING = "pain_rising"


def _instrument_code(instrument: Instrument) -> str:
    return instrument.name if instrument is Instrument.NRS else instrument.value.upper()


def worsening_reason(
    instrument: Instrument,
    baseline: tuple[dt.date, object],
    latest: tuple[dt.date, object],
) -> dict[str, Any]:
    """A worsening beyond the MIC against the course's baseline, as stored data."""
    (baseline_on, baseline_score), (on, score) = baseline, latest
    message = (
        f"{_instrument_code(instrument)} worsened from {baseline_score} (baseline "
        f"{baseline_on}) to {score} on {on}: at least the minimal important change"
    )
    return {
        "message": message,
        "kind": WORSENING,
        "instrument": instrument.value,
        "baseline": str(baseline_score),
        "baseline_on": baseline_on.isoformat(),
        "score": str(score),
        "on": on.isoformat(),
    }


def pain_rising_reason(ratings: Sequence[int], first: int, last: int) -> dict[str, Any]:
    """Pre-session pain rising three sessions in a row, as stored data."""
    shown = ", ".join(str(p) for p in ratings)
    message = (
        f"pain before the session rose three sessions in a row ({shown}, "
        f"sessions {first}-{last})"
    )
    return {
        "message": message,
        "kind": PAIN_RISING,
        "ratings": list(ratings),
        "first": first,
        "last": last,
    }


def reason_text(reason: Mapping[str, Any], language: str) -> str:
    """A stored reason in ``language`` (its stored message when it has no data)."""
    tr = Translator(language)
    try:
        if reason.get("kind") == WORSENING:
            return _worsening_text(reason, tr)
        if reason.get("kind") == PAIN_RISING:
            return _pain_text(reason, tr)
    except (KeyError, ValueError, ArithmeticError):
        pass  # an unexpected shape: its stored words rather than none
    return str(reason.get("message", ""))


def _worsening_text(reason: Mapping[str, Any], tr: Translator) -> str:
    def day(key: str) -> str:
        return format_date(dt.date.fromisoformat(reason[key]), tr.language, "medium")

    def number(key: str) -> str:
        return format_number(Decimal(reason[key]), tr.language)

    return tr.gettext(
        "%(instrument)s worsened from %(baseline)s (baseline %(baseline_on)s) to "
        "%(score)s on %(day)s: at least the minimal important change"
    ) % {
        "instrument": _instrument_code(Instrument(reason["instrument"])),
        "baseline": number("baseline"),
        "baseline_on": day("baseline_on"),
        "score": number("score"),
        "day": day("on"),
    }


def _pain_text(reason: Mapping[str, Any], tr: Translator) -> str:
    return tr.gettext(
        "pain before the session rose three sessions in a row (%(ratings)s, "
        "sessions %(first)s-%(last)s)"
    ) % {
        "ratings": ", ".join(str(int(p)) for p in reason["ratings"]),
        "first": int(reason["first"]),
        "last": int(reason["last"]),
    }
