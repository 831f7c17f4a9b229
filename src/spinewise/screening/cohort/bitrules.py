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
from spinewise.models import Profile, Severity
from spinewise.screening.cohort.bitstatus import Statuses, status_bits
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
from spinewise.screening.cohort.missing import lists_of_bitmaps
from spinewise.screening.cohort.rules import PROFILE_COLUMN, rule_column
from spinewise.screening.operators import NULL_TESTS, leaf_path

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


class Evaluation:
    """One chunk: each node's truth and each column's null bits, computed once."""

    def __init__(self, frame: pl.DataFrame) -> None:
        self.columns = Columns(frame)
        self.rows = frame.height
        self._nodes: dict[int, Tri] = {}
        self._nulls: dict[str, Words] = {}

    def null(self, path: str) -> Words:
        """Rows where ``path`` is null."""
        if path not in self._nulls:
            self._nulls[path] = ~self.columns.valid(path)
        return self._nulls[path]

    def truth(self, node: Condition) -> Tri:
        key = id(node)
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
        recomputed per leaf (cheap) rather than kept (4 bytes a row each)."""
        on = self.columns.numbers("assessed_on")[0]
        date = self.columns.numbers(path)[0]
        known = ~self.null(path) & ~self.null("assessed_on")
        return np.subtract(on, date, dtype=np.int32), known


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
        self.rules = list(kb.rules)
        self.red_flag_paths = red_flag_paths
        self.candidates = _candidate_paths(kb, red_flag_paths)

    def profile_masks(self, ev: Evaluation) -> dict[frozenset[Profile], Words]:
        """Per profile set of a rule (not every profile), the rows it applies to."""
        data, valid = ev.columns.numbers(PROFILE_COLUMN)
        words = list(ev.columns.schema[PROFILE_COLUMN].categories)  # type: ignore[attr-defined]
        herniation = Profile.DISC_HERNIATION
        masks: dict[frozenset[Profile], Words] = {}
        for rule in self.rules:
            wanted = frozenset(rule.profiles)
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
        ev = Evaluation(frame)
        masks = self.profile_masks(ev)
        states: dict[str, Tri] = {}
        for rule in self.rules:
            state = ev.truth(rule.when)
            mask = masks.get(frozenset(rule.profiles))
            states[rule.id] = state if mask is None else state.within(mask)
        series = [states[r.id].to_series(rule_column(r), ev.rows) for r in self.rules]
        nulls = [ev.null(p) for p in self.red_flag_paths]
        statuses = status_bits(self.kb, states, nulls, ev.rows)
        found = Evaluated(ev.columns, states, series, statuses, None)
        if not with_missing:
            return found
        flags = [
            (path, flag)
            for path in self.candidates
            if (flag := self._flag(ev, states, path)) is not None
        ]
        found.missing = lists_of_bitmaps(
            [name for name, _ in flags], [f for _, f in flags], ev.rows
        ).alias("missing")
        return found

    def _flag(self, ev: Evaluation, states: dict[str, Tri], path: str) -> Words | None:
        """Rows where ``path`` leaves some non-info rule undetermined (4.6)."""
        if self.candidates[path]:
            return ev.null(path)
        terms = []
        for rule in self.rules:
            if rule.severity is Severity.INFO:
                continue
            reason = _null_reason(ev, rule.when, path)
            if reason is None:
                continue
            undetermined = states[rule.id].unknown
            terms.append(
                undetermined if leaf_path(rule.when) == path else undetermined & reason
            )
        return reduce(lambda a, b: a | b, terms) if terms else None


def _null_reason(ev: Evaluation, node: Condition, path: str) -> Words | None:
    """Rows where ``path`` is among the node's null paths, if it is unknown there
    (``rules.null_reason`` in bits); None when it never owes its unknown to ``path``."""
    leaf = leaf_path(node)
    if leaf is not None:
        return ev.null(path) if leaf == path else None
    if isinstance(node, Not):
        return _null_reason(ev, node.not_, path)
    if not isinstance(node, All | AnyOf):
        return None
    parts = node.all if isinstance(node, All) else node.any
    if isinstance(node, AnyOf) and any(isinstance(p, Always) for p in parts):
        return None
    terms = []
    for part in parts:
        reason = _null_reason(ev, part, path)
        if reason is None:
            continue
        if leaf_path(part) is None:
            reason = ev.truth(part).unknown & reason
        terms.append(reason)
    return reduce(lambda a, b: a | b, terms) if terms else None


def _candidate_paths(kb: KnowledgeBase, red_flag_paths: list[str]) -> dict[str, bool]:
    """The sorted candidate paths of ``missing`` (``missing._candidates``), each with
    whether being null is enough (a red flag, or a leaf rule of every profile; else
    the rules that read it decide)."""
    rules = [r for r in kb.rules if r.severity is not Severity.INFO]
    read: set[str] = set(red_flag_paths)
    for rule in rules:
        read |= rule.when.paths()
    found: dict[str, bool] = {}
    for path in sorted(read):
        if path.startswith("history.") and path.endswith("_date"):
            continue
        leaf_profiles = {
            p for r in rules if leaf_path(r.when) == path for p in r.profiles
        }
        found[path] = path in red_flag_paths or leaf_profiles == set(Profile)
    return found
