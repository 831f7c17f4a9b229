"""The KB's rules and ``missing`` flags evaluated once over bit-packed Kleene columns.

Compiled from the same rule data as the scalar engine (``kb`` nodes, walked; no text
is evaluated): every node's three-valued truth is a :class:`~kleene.Tri` computed once
per chunk and reused, by the rule columns and by the ``missing`` flags that look
inside compound rules (``rules.null_reason`` in polars says the same; the two agree
with the interpreter in tests/screening/test_agreement.py). The flags are then
packed into one 64-bit mask a row and turned into lists (``missing.lists_of_bitmaps``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from spinewise.kb import (
    All,
    Always,
    AnyOf,
    Compare,
    Condition,
    DaysSince,
    KnowledgeBase,
    Not,
)
from spinewise.models import Profile
from spinewise.screening.cohort.bitmissing import MissingFlags
from spinewise.screening.cohort.bitstatus import StatusBits, Statuses
from spinewise.screening.cohort.kleene import (
    ALL,
    Columns,
    Tri,
    Words,
    constant,
    known_test,
    pack,
    word_count,
)
from spinewise.screening.cohort.rules import PROFILE_COLUMN, rule_column
from spinewise.screening.operators import NULL_TESTS

_ORDER: dict[str, Callable[[Any, Any], npt.NDArray[np.bool_]]] = {
    "eq": np.equal,
    "ne": np.not_equal,
    "lt": np.less,
    "le": np.less_equal,
    "gt": np.greater,
    "ge": np.greater_equal,
}


def _one_of(data: npt.NDArray[Any], values: list[Any]) -> npt.NDArray[np.bool_]:
    """Per row, is the value one of ``values`` (a few: one comparison each)."""
    if not values:
        return np.zeros(data.shape, np.bool_)
    return reduce(np.logical_or, (data == v for v in values))


def node_keys(kb: KnowledgeBase) -> dict[int, str]:
    """Every node of the KB's rules (by identity) to a key its equals share (its
    kind and data), so that a test written in several rules is evaluated once."""
    keys: dict[int, str] = {}

    def walk(node: Condition) -> None:
        keys[id(node)] = f"{type(node).__name__}:{node.model_dump_json()}"
        if isinstance(node, Not):
            walk(node.not_)
        elif isinstance(node, All | AnyOf):
            for part in node.all if isinstance(node, All) else node.any:
                walk(part)

    for rule in kb.rules:
        walk(rule.when)
    return keys


class Evaluation:
    """One chunk: each node's truth and each column's null bits, computed once (a
    node equal to one already evaluated, by ``node_keys``, reuses its truth)."""

    def __init__(self, frame: pl.DataFrame, keys: dict[int, str] | None = None) -> None:
        self.columns = Columns(frame)
        self.rows = frame.height
        self._keys = keys or {}
        self._nodes: dict[int | str, Tri] = {}
        self._nulls: dict[str, Words] = {}
        self._days: dict[str, tuple[npt.NDArray[np.int32], Words]] = {}

    def null(self, path: str) -> Words:
        """Rows where ``path`` is null."""
        if path not in self._nulls:
            self._nulls[path] = ~self.columns.valid(path)
        return self._nulls[path]

    def truth(self, node: Condition) -> Tri:
        key = self._keys.get(id(node), id(node))
        if key not in self._nodes:
            self._nodes[key] = self._evaluate(node)
        return self._nodes[key]

    def _evaluate(self, node: Condition) -> Tri:
        if isinstance(node, Always):
            return constant(True, self.rows)
        if isinstance(node, Compare):
            return self._compare(node)
        if isinstance(node, DaysSince):
            days, valid = self._days_since(node.days_since)
            test = pack(_ORDER[node.op](days, node.value), self.rows)
            return known_test(test, valid, self.rows)
        if isinstance(node, Not):
            return ~self.truth(node.not_)
        if isinstance(node, All):
            return reduce(lambda a, b: a & b, (self.truth(p) for p in node.all))
        assert isinstance(node, AnyOf)
        return reduce(lambda a, b: a | b, (self.truth(p) for p in node.any))

    def _compare(self, node: Compare) -> Tri:
        rows, name = self.rows, node.field
        if node.op in NULL_TESTS:
            null = self.null(name)
            full = np.full(word_count(rows), ALL, np.uint64)
            return Tri(null if NULL_TESTS[node.op] else ~null, full)
        dtype = self.columns.schema[name]
        if dtype == pl.Boolean:
            column = self.columns.booleans(name)
            wanted = node.value == (node.op == "eq")
            return column if wanted else ~column
        data, valid = self.columns.numbers(name)
        values: list[Any] = (
            list(node.value) if isinstance(node.value, list) else [node.value]
        )
        if isinstance(dtype, pl.Enum):
            words = list(dtype.categories)
            values = [words.index(v) if v in words else -1 for v in values]
        if node.op == "in":
            test = _one_of(data, values)
        else:
            test = _ORDER[node.op](data, values[0])
        return known_test(pack(test, rows), valid, rows)

    def _days_since(self, path: str) -> tuple[npt.NDArray[np.int32], Words]:
        """``days(assessed_on - path)`` (any value where unknown), and where known;
        kept for the chunk (4 bytes a row a path: the KB's 13 such tests read 4
        dates, and the subtraction is the costly part of each)."""
        if path not in self._days:
            on = self.columns.numbers("assessed_on")[0]
            date = self.columns.numbers(path)[0]
            known = ~self.null(path) & ~self.null("assessed_on")
            self._days[path] = np.subtract(on, date, dtype=np.int32), known
        return self._days[path]


@dataclass
class Evaluated:
    """A chunk's columns, each rule's truth, the rule columns, the statuses and
    ``missing`` (None when not asked)."""

    columns: Columns
    states: dict[str, Tri]
    rules: list[pl.Series]
    statuses: Statuses
    missing: pl.Series | None


class BitRules:
    """The rule columns and ``missing`` of ``kb``, compiled once for many chunks."""

    def __init__(self, kb: KnowledgeBase, red_flag_paths: list[str]) -> None:
        self.kb = kb
        self.rules = [
            (r.id, r.when, frozenset(r.profiles), rule_column(r)) for r in kb.rules
        ]
        self.red_flag_paths = red_flag_paths
        self.missing = MissingFlags(kb, red_flag_paths)
        self.statuses = StatusBits(kb)
        self.keys = node_keys(kb)

    def profile_masks(self, ev: Evaluation) -> dict[frozenset[Profile], Words]:
        """Per profile set of a rule (not every profile), the rows it applies to."""
        data, valid = ev.columns.numbers(PROFILE_COLUMN)
        words = list(ev.columns.schema[PROFILE_COLUMN].categories)  # type: ignore[attr-defined]
        herniation = Profile.DISC_HERNIATION
        masks: dict[frozenset[Profile], Words] = {}
        for _, _, wanted, _ in self.rules:
            if wanted == set(Profile) or wanted in masks:
                continue
            codes = [words.index(p.value) for p in wanted if p.value in words]
            test = pack(_one_of(data, codes), ev.rows)
            test = test & valid if valid is not None else test
            if herniation in wanted:
                test = test | ev.null(PROFILE_COLUMN)
            masks[wanted] = test
        return masks

    def evaluate(self, frame: pl.DataFrame, *, with_missing: bool) -> Evaluated:
        """The rule columns (true, false, null), the red-flag summary and statuses
        (``bitstatus.py``) and, if asked, ``missing``."""
        ev = Evaluation(frame, self.keys)
        masks = self.profile_masks(ev)
        states: dict[str, Tri] = {}
        for rule_id, when, profiles, _ in self.rules:
            state = ev.truth(when)
            mask = masks.get(profiles)
            states[rule_id] = state if mask is None else state.within(mask)
        series = [states[i].to_series(name, ev.rows) for i, _, _, name in self.rules]
        nulls = [ev.null(p) for p in self.red_flag_paths]
        statuses = self.statuses(states, nulls, ev.rows)
        found = Evaluated(ev.columns, states, series, statuses, None)
        if not with_missing:
            return found
        found.missing = self.missing(ev, states)
        return found
