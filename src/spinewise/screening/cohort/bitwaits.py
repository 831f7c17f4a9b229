"""The re-screen wait of each row (docs/clinical-basis.md#rescreen), on the rows where
every modality is contraindicated only.

The same steps as ``rescreen.wait_expr`` and ``rescreen.soonest_wait``: a modality's
wait is the largest re-screen value among its fired blocking rules, none when one of
them is lasting (or its value is unknown) or none fired; the soonest wait is the
smallest over the modalities not excluded. Only ``not_now`` reads it, and only on
the rows the verdict table still has when it asks (every modality contraindicated,
no earlier verdict). There, where only rules of fixed value fired, the soonest wait
is one of a few values and is found in bits, a bitmap per value; the rows where a
rule of computed value (e.g. 42 days after surgery) fired are gathered and their
waits computed number by number.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
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
from spinewise.screening.cohort.kleene import Columns, Tri, Words, pack, unpack
from spinewise.screening.operators import arithmetic_of

Numbers = npt.NDArray[np.int64]
Flags = npt.NDArray[np.bool_]

_NEVER = np.iinfo(np.int64).min
"""Stands for "no fired rule" inside a maximum."""
_NONE_YET = np.iinfo(np.int64).max
"""Stands for "no wait" inside a minimum."""


def _any(words: list[Words]) -> Words:
    return reduce(lambda a, b: a | b, words)


def bits_at(words: Words, rows: npt.NDArray[np.intp]) -> Flags:
    """The bits of ``words`` at the given row numbers."""
    return _Rows(rows).bits(words)


class _Rows:
    """Row numbers as word indices and shifts, for reading bits at them."""

    def __init__(self, rows: npt.NDArray[np.intp]) -> None:
        self.words = rows >> 6
        self.shifts = (rows & 63).astype(np.uint64)

    def bits(self, words: Words) -> Flags:
        found = (words[self.words] >> self.shifts).astype(np.uint8) & np.uint8(1)
        flags: Flags = found.view(np.bool_)
        return flags


def _valid_at(columns: Columns, path: str, rows: npt.NDArray[np.intp]) -> Flags:
    valid = columns.numbers(path)[1]
    return np.ones(rows.size, np.bool_) if valid is None else bits_at(valid, rows)


def number_at(
    columns: Columns, expr: Expression, rows: npt.NDArray[np.intp]
) -> tuple[Numbers, Flags]:
    """A number expression (``operators.number_column``) at the given rows: its
    values (any where unknown) and where it is known (null in, null out)."""
    if isinstance(expr, Const):
        return np.full(rows.size, expr.const, np.int64), np.ones(rows.size, np.bool_)
    if isinstance(expr, FieldValue):
        data = columns.numbers(expr.field)[0]
        return data[rows].astype(np.int64), _valid_at(columns, expr.field, rows)
    if isinstance(expr, DaysSinceValue):
        on = columns.numbers("assessed_on")[0][rows].astype(np.int64)
        date = columns.numbers(expr.days_since)[0][rows].astype(np.int64)
        known = _valid_at(columns, "assessed_on", rows)
        known &= _valid_at(columns, expr.days_since, rows)
        return on - date, known
    word, left, right = arithmetic_of(expr)
    (a, a_known), (b, b_known) = (
        number_at(columns, left, rows),
        number_at(columns, right, rows),
    )
    values: Any = word.apply(a, b)  # type: ignore[arg-type]
    return np.asarray(values, np.int64), a_known & b_known


@dataclass(frozen=True)
class _Blocking:
    """One modality's blocking rules: the lasting ones, the fixed ones by their
    value, and those whose value is computed per row."""

    lasting: list[str]
    fixed: dict[int, list[str]]
    varying: list[str]


class Waits:
    """Each modality's blocking rules and their re-screen values, compiled once."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.varying_ids = {
            r.id
            for r in kb.rules
            if r.severity.blocks
            and r.rescreen_after is not None
            and not isinstance(r.rescreen_after, Const)
        }
        self.values = {
            r.id: r.rescreen_after
            for r in kb.rules
            if r.severity.blocks and r.rescreen_after is not None
        }
        self.rules: dict[Modality, _Blocking] = {}
        for m in Modality:
            mine = [r for r in kb.rules if r.severity.blocks and m in r.targets]
            fixed: dict[int, list[str]] = {}
            for r in mine:
                if isinstance(r.rescreen_after, Const):
                    fixed.setdefault(r.rescreen_after.const, []).append(r.id)
            self.rules[m] = _Blocking(
                [r.id for r in mine if r.rescreen_after is None],
                fixed,
                [r.id for r in mine if r.id in self.values and r.id not in
                 {i for ids in fixed.values() for i in ids}],
            )  # fmt: skip

    def for_now(
        self,
        columns: Columns,
        states: dict[str, Tri],
        excluded: dict[Modality, Words],
        asked: Words,
        days: npt.NDArray[np.int32],
    ) -> Words:
        """Of the rows ``asked``, those with a soonest wait, its days (at least 1)
        written into ``days``. Rows where a rule of computed value fired are
        screened number by number (``soonest``); the others, whose waits can only
        be the fixed values, in bits (``_fixed_levels``)."""
        rows = columns.rows
        varying = [states[i].value for i in self.values if i in self.varying_ids]
        by_number = asked & _any(varying) if varying else np.zeros_like(asked)
        at = np.flatnonzero(unpack(by_number, rows))
        soonest, has = self.soonest(columns, states, excluded, at)
        days[at[has]] = np.maximum(soonest[has], 1)
        found = np.zeros(rows, np.bool_)
        found[at[has]] = True
        rest = asked & ~by_number
        levels = self._fixed_levels(states, excluded, rest)
        if not levels:
            return pack(found, rows)
        # the levels are nested: every row of a level is in the first
        waiting = np.flatnonzero(unpack(levels[0][1], rows))
        at_rows = _Rows(waiting)
        for value, holds in levels:  # the largest level that holds last
            days[waiting[at_rows.bits(holds)]] = max(value, 1)
        return pack(found, rows) | levels[0][1]

    def _fixed_levels(
        self, states: dict[str, Tri], excluded: dict[Modality, Words], rest: Words
    ) -> list[tuple[int, Words]]:
        """Per fixed value ``d`` (ascending), the rows of ``rest`` whose soonest wait
        is at least ``d``: some modality has a wait (not excluded, no lasting rule
        fired, a fixed one fired), and every such modality's longest value is at
        least ``d``. The first level is where there is a wait at all."""
        values = sorted({d for rules in self.rules.values() for d in rules.fixed})
        at_least: dict[Modality, dict[int, Words]] = {}
        for modality, rules in self.rules.items():
            acc, found = np.zeros_like(rest), {}
            for value in reversed(values):
                for rule_id in rules.fixed.get(value, []):
                    acc = acc | states[rule_id].value
                found[value] = acc
            at_least[modality] = found
        ok = {
            m: rest
            & ~excluded[m]
            & ~_any([states[i].value for i in rules.lasting] + [np.zeros_like(rest)])
            & at_least[m][values[0]]
            for m, rules in self.rules.items()
        } if values else {}  # fmt: skip
        some = _any(list(ok.values())) if ok else np.zeros_like(rest)
        levels = []
        for value in values:
            every = [~ok[m] | at_least[m][value] for m in self.rules]
            levels.append((value, some & reduce(lambda a, b: a & b, every)))
        return levels

    def soonest(
        self,
        columns: Columns,
        states: dict[str, Tri],
        excluded: dict[Modality, Words],
        rows: npt.NDArray[np.intp],
    ) -> tuple[Numbers, Flags]:
        """The smallest wait over the modalities not excluded at the rows, and where
        there is one."""
        at = _At(columns, states, self.values, rows)
        soonest = np.full(rows.size, _NONE_YET, np.int64)
        for modality in Modality:
            wait, has = at.wait(self.rules[modality])
            has &= ~at.at.bits(excluded[modality])
            np.minimum(soonest, np.where(has, wait, _NONE_YET), out=soonest)
        return soonest, soonest != _NONE_YET


class _At:
    """The rules' fired bits and computed values at some rows, each read once."""

    def __init__(
        self,
        columns: Columns,
        states: dict[str, Tri],
        values: dict[str, Expression],
        rows: npt.NDArray[np.intp],
    ) -> None:
        self.columns, self.states, self.values, self.rows = (
            columns,
            states,
            values,
            rows,
        )
        self._varying: dict[str, tuple[Flags, Numbers, Flags]] = {}
        self.at = _Rows(rows)

    def fired(self, rule_ids: list[str]) -> Flags:
        """Where any of the rules fired."""
        if not rule_ids:
            return np.zeros(self.rows.size, np.bool_)
        words = reduce(lambda a, b: a | b, (self.states[i].value for i in rule_ids))
        return self.at.bits(words)

    def varying(self, rule_id: str) -> tuple[Flags, Numbers, Flags]:
        """Where the rule fired, its value there and where that value is known."""
        if rule_id not in self._varying:
            fired = self.fired([rule_id])
            days = np.zeros(self.rows.size, np.int64)
            known = np.zeros(self.rows.size, np.bool_)
            where = np.flatnonzero(fired)
            value = self.values[rule_id]
            days[where], known[where] = number_at(self.columns, value, self.rows[where])
            self._varying[rule_id] = fired, days, known
        return self._varying[rule_id]

    def wait(self, rules: _Blocking) -> tuple[Numbers, Flags]:
        """The modality's wait at the rows, and where it has one."""
        longest = np.full(self.rows.size, _NEVER, np.int64)
        stop = self.fired(rules.lasting)
        for value in sorted(rules.fixed):  # the largest fired value last
            longest[self.fired(rules.fixed[value])] = value
        for rule_id in rules.varying:
            fired, days, known = self.varying(rule_id)
            stop |= fired & ~known
            np.maximum(longest, np.where(fired & known, days, _NEVER), out=longest)
        return longest, ~stop & (longest != _NEVER)
