"""The red-flag summary and each modality's status before the clearance, in bits.

The same steps as ``decision._status_expr`` and ``decision._red_flag_exprs``, on the
rules' Kleene words (``bitrules.py``): a modality is contraindicated when a blocking
rule targeting it fired; else undetermined when one is undetermined or a red-flag
question is open; else with precautions when a precaution fired or is undetermined;
else allowed. The statuses are kept as bitmaps for the decision (``bitdecision.py``),
which unpacks them once, to the ``Enum`` codes of the result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import polars as pl

from spinewise.kb import KnowledgeBase, Rule
from spinewise.models import Modality, ModalityStatus, Severity
from spinewise.screening.cohort.kleene import (
    ALL,
    Tri,
    Words,
    codes,
    word_count,
)

STATUS = pl.Enum([s.value for s in ModalityStatus])
_CODE = {s: i for i, s in enumerate(ModalityStatus)}
_NAMES = pl.Series([s.value for s in ModalityStatus], dtype=STATUS)
_PLANES = [
    [s for s in ModalityStatus if _CODE[s] >> bit & 1]
    for bit in range(max(_CODE.values()).bit_length())
]
"""Per bit of a status's code, the statuses whose code has it."""


def _any(words: list[Words], rows: int) -> Words:
    """A new bitmap: the or of ``words`` (of none, no row)."""
    if not words:
        return np.zeros(word_count(rows), np.uint64)
    found = words[0] | words[1] if len(words) > 1 else words[0].copy()
    for w in words[2:]:  # in place: one pass a bitmap, no new array
        found |= w
    return found


@dataclass(frozen=True)
class KleeneAny:
    """Kleene's or of many states, as two bitmaps: ``true`` where any is true,
    ``answered`` where every one is known (the or is unknown where neither)."""

    true: Words
    answered: Words

    @classmethod
    def fold(cls, parts: list[tuple[Words, Words]], rows: int) -> KleeneAny:
        """Of (true, answered) pairs (a state's are its value and known): two
        in-place passes a part, none of the parts written to."""
        if not parts:
            return cls(
                np.zeros(word_count(rows), np.uint64), np.full(word_count(rows), ALL)
            )
        true, answered = parts[0][0].copy(), parts[0][1].copy()
        for more_true, more_answered in parts[1:]:
            true |= more_true
            answered &= more_answered
        return cls(true, answered)

    def tri(self) -> Tri:
        return Tri(self.true, self.answered | self.true)


@dataclass(frozen=True)
class Statuses:
    """A chunk's red-flag summary and each modality's status before the clearance,
    as disjoint bitmaps per status."""

    red_flag_fired: Words
    red_flags_open: Words
    by_modality: dict[Modality, dict[ModalityStatus, Words]]


Groups = dict[frozenset[Modality], list[str]]
"""Rule ids by the modalities their rules target."""


def _by_targets(kb: KnowledgeBase, wanted: Callable[[Rule], bool]) -> Groups:
    groups: Groups = {}
    for rule in kb.rules:
        if wanted(rule):
            groups.setdefault(frozenset(rule.targets), []).append(rule.id)
    return groups


def _any_by_modality(
    groups: Groups, states: dict[str, Tri], rows: int
) -> dict[Modality, KleeneAny]:
    """Per modality, the Kleene or of the rules targeting it: each group's once (most
    rules target every modality), then the groups of each modality."""
    folded = {
        t: KleeneAny.fold([(states[i].value, states[i].known) for i in ids], rows)
        for t, ids in groups.items()
    }
    return {
        m: KleeneAny.fold(
            [(f.true, f.answered) for t, f in folded.items() if m in t], rows
        )
        for m in Modality
    }


class StatusBits:
    """The rules each status reads (red flags; the blocking rules and precautions by
    the modalities they target), listed once per KB."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.red = [r.id for r in kb.rules if r.severity is Severity.RED_FLAG]
        self.blocking = _by_targets(kb, lambda r: r.severity.blocks)
        self.precautions = _by_targets(kb, lambda r: r.severity is Severity.PRECAUTION)

    def __call__(
        self, states: dict[str, Tri], red_flag_nulls: list[Words], rows: int
    ) -> Statuses:
        """The red-flag summary and the statuses before the clearance of a chunk:
        contraindicated where a blocking rule is true; else undetermined unless every
        blocking rule and red flag is answered; else with precautions unless every
        precaution is known false (``decision._status_expr``)."""
        red = KleeneAny.fold(
            [(states[i].value, states[i].known) for i in self.red], rows
        )
        incomplete = _any(red_flag_nulls, rows)
        incomplete |= ~red.answered
        complete = ~incomplete
        blocking = _any_by_modality(self.blocking, states, rows)
        cautions = _any_by_modality(self.precautions, states, rows)
        by_modality = {}
        for modality in Modality:
            blocked, cautious = blocking[modality], cautions[modality]
            contraindicated = blocked.true
            decided = blocked.answered & complete
            clear = decided & ~contraindicated  # neither contraindicated nor open
            careful = cautious.true | ~cautious.answered
            by_modality[modality] = {
                ModalityStatus.ALLOWED: clear & ~careful,
                ModalityStatus.WITH_PRECAUTIONS: clear & careful,
                ModalityStatus.CONTRAINDICATED: contraindicated,
                ModalityStatus.UNDETERMINED: ~(contraindicated | decided),
            }
        return Statuses(red.true, incomplete, by_modality)


def status_codes(
    found: dict[ModalityStatus, Words], forced: Words, rows: int
) -> pl.Series:
    """The one status of each row (disjoint bitmaps) as the Enum, the rows of
    ``forced`` contraindicated whatever their status; each bit of the code unpacked
    once (a forced row takes the bits of contraindicated's code)."""
    kept, planes = ~forced, []
    for statuses in _PLANES:
        plane = _any([found[s] for s in statuses], rows)
        plane &= kept
        if ModalityStatus.CONTRAINDICATED in statuses:
            plane |= forced
        planes.append(plane)
    return _NAMES[pl.Series(codes(planes, rows))]  # not .gather: a lazy query
