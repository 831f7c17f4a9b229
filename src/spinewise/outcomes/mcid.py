"""Change from baseline and its minimal clinically important change (7, 7.7).

A change is clinically important when the decrease (improved) or increase (worsened)
is at least the absolute MIC **or** at least 30 % of the baseline (OSTELO-2008). All
arithmetic is exact: ``change = follow-up - baseline`` in ``Decimal`` and the 30 %
branch compares the exact ratio (as fractions), never a rounded percentage. With a
baseline of 0 only the absolute MIC applies. ODI changes are in percentage points, NDI
changes on the 0-50 scale (the reported scores).

STarT Back has no change classification: ``classify_change`` raises
``UnclassifiableChangeError`` for it; report its risk group at each time point.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from spinewise.errors import N_
from spinewise.models.outcome import Change, ChangeClass, Score
from spinewise.outcomes.arithmetic import EXACT, round_half_away_from_zero
from spinewise.outcomes.errors import UnclassifiableChangeError
from spinewise.outcomes.instruments import INSTRUMENTS


def classify_difference(
    baseline: Decimal,
    follow_up: Decimal,
    *,
    mic: Decimal,
    mic_relative: Decimal | None,
) -> ChangeClass:
    """Improved, unchanged or worsened from ``baseline`` to ``follow_up`` (exact)."""
    change = EXACT.subtract(follow_up, baseline)
    if _reaches(-change, baseline, mic, mic_relative):
        return ChangeClass.IMPROVED
    if _reaches(change, baseline, mic, mic_relative):
        return ChangeClass.WORSENED
    return ChangeClass.UNCHANGED


def classify_change(baseline: Score, follow_up: Score) -> Change:
    """The change from ``baseline`` to ``follow_up`` and whether it matters clinically.

    Raises ``UnclassifiableChangeError`` for STarT Back, for scores of different
    instruments, for a score that is not scorable and for a score outside the
    instrument's range (nothing is guessed).
    """
    if follow_up.instrument is not baseline.instrument:
        raise UnclassifiableChangeError(
            "follow_up.instrument",
            N_(
                "expected {value} like the baseline, got {value2}",
                value=baseline.instrument.value,
                value2=follow_up.instrument.value,
            ),
        )
    definition = INSTRUMENTS[baseline.instrument]
    if definition.mic_absolute is None:
        raise UnclassifiableChangeError(
            "baseline.instrument",
            N_(
                "{name} has no change classification; report its risk group at each time point",
                name=definition.name,
            ),
        )
    base = _in_range(_reported(baseline, "baseline"), "baseline", definition.scale_max)
    follow = _in_range(
        _reported(follow_up, "follow_up"), "follow_up", definition.scale_max
    )
    change = EXACT.subtract(follow, base)
    classification = classify_difference(
        base, follow, mic=definition.mic_absolute, mic_relative=definition.mic_relative
    )
    return Change(
        baseline=baseline,
        follow_up=follow_up,
        change=change,
        relative_change_percent=(
            None
            if base == 0
            else round_half_away_from_zero(Fraction(change) / Fraction(base) * 100)
        ),
        mic=definition.mic_absolute,
        mic_relative=definition.mic_relative,
        classification=classification,
        clinically_important=classification is not ChangeClass.UNCHANGED,
        sources=definition.mic_sources,
    )


def trajectory(scores: Sequence[Score]) -> list[Change]:
    """Changes from the baseline (the earliest score) to each later scorable score.

    Scores are taken in date order (stable for equal dates). A follow-up that is not
    scorable has no change and is left out; an unscorable baseline raises, because a
    later questionnaire is not the course's baseline.
    """
    ordered = sorted(scores, key=lambda s: s.answered_on)
    if not ordered:
        return []
    baseline, *follow_ups = ordered
    return [classify_change(baseline, s) for s in follow_ups if s.scorable]


def _reported(score: Score, item: str) -> Decimal:
    if score.score is None:
        raise UnclassifiableChangeError(item, score.reason or "not scorable")
    return score.score


def _in_range(value: Decimal, item: str, scale_max: Decimal) -> Decimal:
    """A reported score outside the instrument's range is refused, never classified."""
    if not Decimal(0) <= value <= scale_max:
        raise UnclassifiableChangeError(
            f"{item}.score",
            N_(
                "{value} is outside the instrument's range 0..{scale_max}",
                value=value,
                scale_max=scale_max,
            ),
        )
    return value


def _reaches(
    amount: Decimal, baseline: Decimal, mic: Decimal, mic_relative: Decimal | None
) -> bool:
    """``amount`` is at least the MIC or at least ``mic_relative`` of the baseline."""
    if amount >= mic:
        return True
    if mic_relative is None or baseline == 0:
        return False
    return Fraction(amount) >= Fraction(mic_relative) * Fraction(baseline)
