"""The re-screen wait of each row (docs/clinical-basis.md#rescreen), on the rows where
every modality is contraindicated only.

The same steps as ``rescreen.wait_expr`` and ``rescreen.soonest_wait``: a modality's
wait is the largest re-screen value among its fired blocking rules, none when one of
them is lasting (or its value is unknown) or none fired; the soonest wait is the
smallest over the modalities not excluded. Only ``not_now`` reads it, and only on
the rows the verdict table still has when it asks (every modality contraindicated,
no earlier verdict).

Everything that is a yes or no is worked out in bits over the whole chunk, once
(``_Bits``): per modality, where it has no wait whatever fired (excluded, a lasting
rule fired, or a rule of computed value fired whose value is unknown) and where its
longest fixed value is at least each fixed value. A modality's wait is the largest of
its fixed value and the values of its rules of computed value (e.g. 42 days after
surgery); most of these target every modality, and as a largest only grows, the
soonest wait is the largest of their value and the soonest of the rest. Where no
modality with a wait has a fired rule of computed value that targets only some
modalities, that rest is one of the few fixed values, found in bits, a bitmap per
value. The rows with a wait are gathered once; the common values are computed number
by number where those rules fired, and the few other rows modality by modality.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from spinewise.kb import (
    Const,
    DaysSinceValue,
    Expression,
    FieldValue,
    KnowledgeBase,
)
from spinewise.models import Modality
from spinewise.screening.cohort.kleene import (
    Columns,
    Tri,
    Words,
    all_of,
    any_of,
    unpack,
)
from spinewise.screening.operators import arithmetic_of

Numbers = npt.NDArray[np.int64]

_NEVER = np.iinfo(np.int64).min
"""Stands for "no fired rule" inside a maximum."""
_NONE_YET = np.iinfo(np.int64).max
"""Stands for "no wait" inside a minimum (and for a modality that has none: the
largest of it and any value is still none)."""


class _Rows:
    """Row numbers as byte indices and shifts, for reading bits at them."""

    def __init__(self, rows: npt.NDArray[np.intp]) -> None:
        self.bytes = rows >> 3
        self.shifts = (rows & 7).astype(np.uint8)

    def bits(self, words: Words) -> npt.NDArray[np.uint8]:
        """The bits at the rows, 0 or 1 a byte."""
        found: npt.NDArray[np.uint8] = words.view(np.uint8)[self.bytes]
        np.right_shift(found, self.shifts, out=found)
        np.bitwise_and(found, np.uint8(1), out=found)
        return found


def known_words(columns: Columns, expr: Expression) -> Words | None:
    """Where a number expression is known (null in, null out); None: everywhere."""
    if isinstance(expr, Const):
        return None
    if isinstance(expr, FieldValue):
        return columns.numbers(expr.field)[1]
    if isinstance(expr, DaysSinceValue):
        parts = [columns.numbers(p)[1] for p in ("assessed_on", expr.days_since)]
    else:
        _, left, right = arithmetic_of(expr)
        parts = [known_words(columns, left), known_words(columns, right)]
    known = [p for p in parts if p is not None]
    return all_of(known) if known else None


def number_at(
    columns: Columns, expr: Expression, rows: npt.NDArray[np.intp]
) -> Numbers | int:
    """A number expression (``operators.number_column``) at the given rows, any value
    where it is unknown (``known_words``)."""
    if isinstance(expr, Const):
        return expr.const
    if isinstance(expr, FieldValue):
        value: Numbers = columns.numbers(expr.field)[0][rows].astype(np.int64)
        return value
    if isinstance(expr, DaysSinceValue):
        on: Numbers = columns.numbers("assessed_on")[0][rows].astype(np.int64)
        since: Numbers = on - columns.numbers(expr.days_since)[0][rows]
        return since
    word, left, right = arithmetic_of(expr)
    a, b = number_at(columns, left, rows), number_at(columns, right, rows)
    values: Any = word.apply(a, b)  # type: ignore[arg-type]
    return np.asarray(values, np.int64)


@dataclass(frozen=True)
class _Bits:
    """A chunk's waits in bits. Per modality: where it has no wait whatever fired
    (``stop``: excluded, a lasting rule fired, or a rule of computed value whose value
    is unknown) and, per fixed value ascending, where a fixed rule of at least that
    value fired (nested: each level within the one before). Per rule of computed
    value, where it fired with its value known; ``common``, where one that targets
    every modality did; ``by_rule``, where a modality not stopped has one that
    targets only some."""

    stop: dict[Modality, Words]
    at_least: dict[Modality, list[Words]]
    fired_known: dict[str, Words]
    common: Words
    by_rule: Words


class Waits:
    """The blocking rules and their re-screen values, grouped by the modalities they
    target (most target all three), compiled once."""

    def __init__(self, kb: KnowledgeBase) -> None:
        blocking = [r for r in kb.rules if r.severity.blocks]
        self.values = sorted(
            {r.rescreen_after.const for r in blocking if isinstance(r.rescreen_after, Const)}
        )  # fmt: skip
        self.lasting: dict[tuple[Modality, ...], list[str]] = {}
        self.fixed: dict[tuple[Modality, ...], dict[int, list[str]]] = {}
        self.varying: dict[tuple[Modality, ...], dict[str, Expression]] = {}
        for r in blocking:
            if r.rescreen_after is None:
                self.lasting.setdefault(r.targets, []).append(r.id)
            elif isinstance(r.rescreen_after, Const):
                by_value = self.fixed.setdefault(r.targets, {})
                by_value.setdefault(r.rescreen_after.const, []).append(r.id)
            else:
                self.varying.setdefault(r.targets, {})[r.id] = r.rescreen_after
        every = set(Modality)
        self.common = {
            i: e for t, rules in self.varying.items() if set(t) == every for i, e in rules.items()
        }  # fmt: skip
        self.by_rule = {t: r for t, r in self.varying.items() if set(t) != every}
        # the longest fixed value by how many levels hold; none when stopped
        self.longest = np.array([_NEVER, *self.values, _NONE_YET], np.int64)

    def for_now(
        self,
        columns: Columns,
        states: dict[str, Tri],
        excluded: dict[Modality, Words],
        asked: Words,
        days: npt.NDArray[np.int32],
    ) -> Words:
        """Of the rows ``asked``, those with a soonest wait, its days (at least 1)
        written into ``days``.

        A modality's wait is the largest of its fixed value and the values of its
        rules of computed value, those that target every modality (``common``) and
        the others; as a largest only grows, the soonest wait is the largest of the
        common value and the soonest of the rest. Where no modality with a wait has
        a fired rule of the others, that rest is a fixed value found in bits
        (``_levels``); elsewhere it goes modality by modality (``_by_rule``). The
        common values are computed where they fired, number by number."""
        bits = self._bits(columns, states, excluded)
        by_rule = asked & bits.by_rule
        some, levels = self._levels(bits, asked & ~by_rule)
        waiting = np.flatnonzero(unpack(some | by_rule, columns.rows))
        at_rows = _Rows(waiting)
        count = np.zeros(waiting.size, np.uint8)
        for level in levels:
            count += at_rows.bits(level)
        wait = self.longest[count]
        found = np.flatnonzero(at_rows.bits(by_rule).view(np.bool_))
        if found.size:
            wait[found] = self._by_rule(bits, columns, waiting[found])
        found = np.flatnonzero(at_rows.bits(bits.common).view(np.bool_))
        if found.size:
            common = self._largest(bits, columns, waiting[found], self.common)
            wait[found] = np.maximum(wait[found], common)
        days[waiting] = np.maximum(wait, 1)
        return some | by_rule

    def _bits(
        self, columns: Columns, states: dict[str, Tri], excluded: dict[Modality, Words]
    ) -> _Bits:
        stop = dict(excluded)
        for targets, rule_ids in self.lasting.items():
            lasting = any_of([states[i].value for i in rule_ids])
            for m in targets:
                stop[m] = stop[m] | lasting
        fired_known, found = {}, {}
        for targets, rules in self.varying.items():
            unknown = []  # a fired rule whose value is unknown: no wait
            for rule_id, expr in rules.items():
                fired, known = states[rule_id].value, known_words(columns, expr)
                fired_known[rule_id] = fired if known is None else fired & known
                if known is not None:
                    unknown.append(fired ^ fired_known[rule_id])
            for m in targets if unknown else ():
                stop[m] = stop[m] | any_of(unknown)
            found[targets] = any_of([fired_known[i] for i in rules])
        common = by_rule = np.zeros_like(stop[Modality.CLASSICAL])
        for targets, fired in found.items():
            if set(targets) == set(Modality):
                common = common | fired
            else:
                by_rule = by_rule | (fired & ~all_of([stop[m] for m in targets]))
        return _Bits(stop, self._at_least(states), fired_known, common, by_rule)

    def _at_least(self, states: dict[str, Tri]) -> dict[Modality, list[Words]]:
        nothing = np.zeros_like(next(iter(states.values())).value)
        levels = {m: [nothing] * len(self.values) for m in Modality}
        for targets, by_value in self.fixed.items():
            acc = nothing  # the rules of this value or a larger one
            for i in reversed(range(len(self.values))):
                fired = [states[r].value for r in by_value.get(self.values[i], [])]
                acc = (
                    any_of(fired if acc is nothing else [acc, *fired]) if fired else acc
                )
                for m in targets if acc is not nothing else ():
                    mine = levels[m]
                    mine[i] = acc if mine[i] is nothing else mine[i] | acc
        return levels

    def _levels(self, bits: _Bits, rest: Words) -> tuple[Words, list[Words]]:
        """The rows of ``rest`` with a wait (some modality not stopped has a fixed
        rule or a rule of computed value targeting every modality fired) and, per
        fixed value ``d`` (ascending), those where every such modality's longest fixed
        value is at least ``d``."""
        ok = {
            m: rest & ~bits.stop[m] & any_of([bits.common, *bits.at_least[m][:1]])
            for m in Modality
        }  # fmt: skip
        some = any_of(list(ok.values()))
        levels = [
            some & all_of([~ok[m] | bits.at_least[m][i] for m in Modality])
            for i in range(len(self.values))
        ]
        return some, levels

    def _largest(
        self,
        bits: _Bits,
        columns: Columns,
        at: npt.NDArray[np.intp],
        rules: dict[str, Expression],
    ) -> Numbers:
        """At the rows, the largest value of the rules that fired with it known."""
        rows, largest = _Rows(at), np.full(at.size, _NEVER, np.int64)
        first = True
        for rule_id, expr in rules.items():
            fired = np.flatnonzero(rows.bits(bits.fired_known[rule_id]).view(np.bool_))
            values = number_at(columns, expr, at[fired])
            largest[fired] = values if first else np.maximum(largest[fired], values)
            first = False
        return largest

    def _by_rule(
        self, bits: _Bits, columns: Columns, at: npt.NDArray[np.intp]
    ) -> Numbers:
        """At rows where a modality not stopped has a fired rule of known value among
        those that do not target every modality: the soonest over the modalities
        with a wait of the largest of their fixed value and those rules' values.
        ``_NEVER`` stands for a modality not stopped that has neither where a common
        rule fired: its wait is the common value."""
        rows = _Rows(at)
        common = rows.bits(bits.common).view(np.bool_)
        largest = {
            t: self._largest(bits, columns, at, r) for t, r in self.by_rule.items()
        }
        soonest = np.full(at.size, _NONE_YET, np.int64)
        stopped = np.uint8(len(self.values) + 1)
        for m in Modality:
            count = rows.bits(bits.stop[m]) * stopped
            for level in bits.at_least[m]:
                count += rows.bits(level)
            longest = self.longest[np.minimum(count, stopped, out=count)]
            for targets, group in largest.items():
                if m in targets:
                    np.maximum(longest, group, out=longest)
            longest[(longest == _NEVER) & ~common] = _NONE_YET
            np.minimum(soonest, longest, out=soonest)
        return soonest
