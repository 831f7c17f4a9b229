"""``missing`` over bit-packed Kleene columns, its walk compiled once per KB.

Clinical-knowledge 4.6 (``missing.py`` says it in polars): per candidate path, the
rows where its null leaves some non-info rule undetermined. Which nodes can owe their
unknown to which path is known from the KB alone, so the walk over the rules' nodes
(``rules.null_reason``) is done once, into a plan per path: the rules and inner nodes
whose unknown bits and the path's null bits make its flag. A chunk then only runs the
plans, on the node truths its evaluation already holds, and turns the flags into
lists (``missing.lists_of_bitmaps``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import polars as pl

from spinewise.kb import All, Always, AnyOf, Condition, KnowledgeBase, Not
from spinewise.models import Profile, Severity
from spinewise.screening.cohort.kleene import Tri, Words, any_of
from spinewise.screening.cohort.missing import lists_of_bitmaps
from spinewise.screening.operators import leaf_path

if TYPE_CHECKING:
    from spinewise.screening.cohort.bitrules import Evaluation

Reason = Callable[["Evaluation"], Words]
"""Of a chunk, the rows where a node owes its unknown to the plan's path."""
Flag = Callable[["Evaluation", dict[str, Tri]], Words]


def _null(path: str) -> Reason:
    return lambda ev: ev.null(path)


def _unknown_and(node: Condition, reason: Reason) -> Reason:
    return lambda ev: ev.truth(node).unknown & reason(ev)


def _either(reasons: list[Reason]) -> Reason:
    if len(reasons) == 1:
        return reasons[0]
    return lambda ev: any_of([reason(ev) for reason in reasons])


def reason_plan(node: Condition, path: str) -> Reason | None:
    """Rows where ``path`` is among the node's null paths, if it is unknown there
    (``rules.null_reason`` in bits); None when it never owes its unknown to ``path``."""
    leaf = leaf_path(node)
    if leaf is not None:
        return _null(path) if leaf == path else None
    if isinstance(node, Not):
        return reason_plan(node.not_, path)
    if not isinstance(node, All | AnyOf):
        return None
    parts = node.all if isinstance(node, All) else node.any
    if isinstance(node, AnyOf) and any(isinstance(p, Always) for p in parts):
        return None
    reasons = []
    for part in parts:
        reason = reason_plan(part, path)
        if reason is None:
            continue
        reasons.append(
            reason if leaf_path(part) is not None else _unknown_and(part, reason)
        )
    return _either(reasons) if reasons else None


def _rule_term(rule_id: str, reason: Reason | None) -> Flag:
    """The rule undetermined, and (unless it is the path's own leaf) for the path."""
    if reason is None:
        return lambda ev, states: states[rule_id].unknown
    return lambda ev, states: states[rule_id].unknown & reason(ev)


def _flag_plan(kb: KnowledgeBase, path: str, null_enough: bool) -> Flag | None:
    """Rows where ``path`` leaves some non-info rule undetermined (4.6)."""
    if null_enough:
        return lambda ev, states: ev.null(path)
    terms = []
    for rule in kb.rules:
        if rule.severity is Severity.INFO:
            continue
        reason = reason_plan(rule.when, path)
        if reason is None:
            continue
        own_leaf = leaf_path(rule.when) == path
        terms.append(_rule_term(rule.id, None if own_leaf else reason))
    if not terms:
        return None
    return lambda ev, states: any_of([term(ev, states) for term in terms])


def candidate_paths(kb: KnowledgeBase, red_flag_paths: list[str]) -> dict[str, bool]:
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


class MissingFlags:
    """The ``missing`` lists of ``kb``: one flag plan per candidate path that can be
    missing, compiled once for many chunks."""

    def __init__(self, kb: KnowledgeBase, red_flag_paths: list[str]) -> None:
        self.plans = [
            (path, plan)
            for path, enough in candidate_paths(kb, red_flag_paths).items()
            if (plan := _flag_plan(kb, path, enough)) is not None
        ]
        self.names = [path for path, _ in self.plans]

    def __call__(self, ev: Evaluation, states: dict[str, Tri]) -> pl.Series:
        flags = [plan(ev, states) for _, plan in self.plans]
        return lists_of_bitmaps(self.names, flags, ev.rows).alias("missing")
