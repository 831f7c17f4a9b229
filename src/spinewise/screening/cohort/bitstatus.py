"""The red-flag summary and each modality's status before the clearance, in bits.

The same steps as ``decision._status_expr`` and ``decision._red_flag_exprs``, on the
rules' Kleene words (``bitrules.py``): a modality is contraindicated when a blocking
rule targeting it fired; else undetermined when one is undetermined or a red-flag
question is open; else with precautions when a precaution fired or is undetermined;
else allowed. The statuses are kept as bitmaps for the decision (``bitdecision.py``),
which unpacks them once, to the ``Enum`` codes of the result.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from spinewise.kb import KnowledgeBase
from spinewise.models import Modality, ModalityStatus, Severity
from spinewise.screening.cohort.kleene import Tri, Words, constant, unpack, word_count

STATUS = pl.Enum([s.value for s in ModalityStatus])
_CODE = {s: i for i, s in enumerate(ModalityStatus)}
_NAMES = pl.Series([s.value for s in ModalityStatus], dtype=STATUS)


def _any(words: list[Words], rows: int) -> Words:
    found = np.zeros(word_count(rows), np.uint64)
    for w in words:  # in place: one pass a bitmap, no new array
        found |= w
    return found


def _kleene_any(states: list[Tri], rows: int) -> Tri:
    """Kleene's or of many (``Tri.__or__`` folded): true where any is true, known
    where all are known or one is true; two in-place passes a state."""
    if not states:
        return constant(False, rows)
    value, known = states[0].value.copy(), states[0].known.copy()
    for state in states[1:]:
        value |= state.value
        known &= state.known
    return Tri(value, known | value)


@dataclass(frozen=True)
class Statuses:
    """A chunk's red-flag summary and each modality's status before the clearance,
    as disjoint bitmaps per status."""

    red_flag_fired: Words
    red_flags_open: Words
    by_modality: dict[Modality, dict[ModalityStatus, Words]]


class StatusBits:
    """The rules each status reads (red flags; per modality its blocking rules and
    precautions), listed once per KB."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.red = [r.id for r in kb.rules if r.severity is Severity.RED_FLAG]
        self.blocking = {
            m: [r.id for r in kb.rules if m in r.targets and r.severity.blocks]
            for m in Modality
        }
        self.precautions = {
            m: [
                r.id
                for r in kb.rules
                if m in r.targets and r.severity is Severity.PRECAUTION
            ]
            for m in Modality
        }

    def __call__(
        self, states: dict[str, Tri], red_flag_nulls: list[Words], rows: int
    ) -> Statuses:
        """The red-flag summary and the statuses before the clearance of a chunk."""
        red = [states[i] for i in self.red]
        fired = _any([s.value for s in red], rows)
        incomplete = _any([s.unknown for s in red] + red_flag_nulls, rows)
        by_modality = {}
        for modality in Modality:
            blocked = _kleene_any([states[i] for i in self.blocking[modality]], rows)
            cautious = _kleene_any(
                [states[i] for i in self.precautions[modality]], rows
            )
            contraindicated = blocked.value
            undetermined = ~contraindicated & (blocked.unknown | incomplete)
            precautions = (
                ~contraindicated & ~undetermined & (cautious.value | cautious.unknown)
            )
            allowed = ~(contraindicated | undetermined | precautions)
            by_modality[modality] = {
                ModalityStatus.ALLOWED: allowed,
                ModalityStatus.WITH_PRECAUTIONS: precautions,
                ModalityStatus.CONTRAINDICATED: contraindicated,
                ModalityStatus.UNDETERMINED: undetermined,
            }
        return Statuses(fired, incomplete, by_modality)


def status_codes(found: dict[ModalityStatus, Words], rows: int) -> pl.Series:
    """The one status of each row (disjoint bitmaps) as the Enum, each bit of its
    code unpacked once."""
    codes = np.zeros(rows, np.uint8)
    for bit in range(max(_CODE.values()).bit_length()):
        words = _any([w for s, w in found.items() if _CODE[s] >> bit & 1], rows)
        codes |= unpack(words, rows).view(np.uint8) << np.uint8(bit)
    return _NAMES[pl.Series(codes.astype(np.uint32))]  # not .gather: a lazy query
