"""When an outcome asks for a review before the next session (pure).

* A worsening of at least the MIC (or 30 % of the baseline) against the course's
  baseline on the ODI, RMDQ, NDI or pain NRS (docs/clinical-basis.md#mic).
* A pre-session pain rating higher than at the previous session, three sessions in a
  row (four ratings, each above the one before).

The course's baseline is the last scorable questionnaire answered on or before the
plan's start, else the first one after it. STarT Back has no change score: its high
risk group is an advisory (refer for psychologically informed care), never a review.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from itertools import pairwise

from spinewise.models.outcome import Change, ChangeClass, Instrument, Score
from spinewise.outcomes.mcid import classify_change

REVIEWED = (Instrument.ODI, Instrument.RMDQ, Instrument.NDI, Instrument.NRS)
RISES_IN_A_ROW = 3


def course_baseline(scores: Sequence[Score], start: dt.date) -> Score | None:
    """The course's baseline among one instrument's scores (None: none scorable)."""
    scorable = sorted((s for s in scores if s.scorable), key=lambda s: s.answered_on)
    before = [s for s in scorable if s.answered_on <= start]
    if before:
        return before[-1]
    return scorable[0] if scorable else None


def worsening(baseline: Score, latest: Score) -> Change | None:
    """The change from the baseline when it is a clinically important worsening."""
    if latest is baseline or latest.instrument not in REVIEWED:
        return None
    change = classify_change(baseline, latest)
    return change if change.classification is ChangeClass.WORSENED else None


def pain_rising(pre_session: Sequence[int], times: int = RISES_IN_A_ROW) -> bool:
    """The last ``times`` pre-session ratings each rose above the one before."""
    if len(pre_session) < times + 1:
        return False
    last = list(pre_session[-(times + 1) :])
    return all(after > before for before, after in pairwise(last))
