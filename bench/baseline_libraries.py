"""Baselines for bench/rules.py: the KB's conditions in two rule libraries.

Both are translated programmatically from the KB's condition trees and keep the
three-valued logic with an encoding the libraries can compute: false = 0,
unknown = 1, true = 2; Kleene ``and`` is the minimum, ``or`` the maximum, ``not`` is
``2 - x``, and a comparison over a null field is 1. Neither library has date
arithmetic the engine's way, so ``days(assessed_on - path)`` is computed while the
input is prepared (outside the timed loop, reported separately), as are the flat /
nested input shapes each library reads. They return truth values only.
"""

from __future__ import annotations

from typing import Any

import json_logic
import rule_engine

from spinewise.kb import (
    All,
    Always,
    AnyOf,
    Condition,
    DaysSince,
    KnowledgeBase,
    Not,
    days_between,
)
from spinewise.models import Profile

PROFILE = Profile.DISC_HERNIATION
"""The bench's patients and hand-written lambdas are of this profile only."""
_TRUTH = {0: False, 1: None, 2: True}
_JSON_OPS = {"eq": "===", "ne": "!==", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}
_RE_OPS = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}


def _flat(path: str) -> str:
    return path.replace(".", "__")


def days_paths(kb: KnowledgeBase) -> list[str]:
    found: set[str] = set()

    def walk(node: Condition) -> None:
        if isinstance(node, DaysSince):
            found.add(node.days_since)
        for part in getattr(node, "all", None) or getattr(node, "any", None) or []:
            walk(part)
        if isinstance(node, Not):
            walk(node.not_)

    for rule in kb.rules:
        walk(rule.when)
    return sorted(found)


# json-logic-qubit ----------------------------------------------------------------


def to_json_logic(node: Condition) -> Any:
    if isinstance(node, Always):
        return 2
    if isinstance(node, All | AnyOf):
        parts = node.all if isinstance(node, All) else node.any
        return {
            "min" if isinstance(node, All) else "max": [to_json_logic(p) for p in parts]
        }
    if isinstance(node, Not):
        return {"-": [2, to_json_logic(node.not_)]}
    if isinstance(node, DaysSince):
        var: Any = {"var": f"days.{_flat(node.days_since)}"}
        test: Any = {_JSON_OPS[node.op]: [var, node.value]}
    else:
        var = {"var": node.field}
        if node.op in ("is_null", "is_not_null"):
            null = {"===": [var, None]}
            return {"if": [null, 2, 0] if node.op == "is_null" else [null, 0, 2]}
        if node.op == "in":
            test = {"in": [var, node.value]}
        else:
            test = {_JSON_OPS[node.op]: [var, node.value]}
    return {"if": [{"===": [var, None]}, 1, {"if": [test, 2, 0]}]}


def json_logic_input(facts: dict[str, Any], dated: list[str]) -> dict[str, Any]:
    """Nested sections (``var`` splits on dots) plus the precomputed days."""
    data: dict[str, Any] = {"days": {_flat(p): days_between(facts, p) for p in dated}}
    for path, value in facts.items():
        if "." in path:
            section, name = path.split(".")
            data.setdefault(section, {})[name] = value
    return data


class JsonLogicRules:
    def __init__(self, kb: KnowledgeBase) -> None:
        # the disc herniation profile's rules, as the reference evaluates them
        self.rules = [to_json_logic(rule.when) for rule in kb.rules_for(PROFILE)]

    def evaluate(self, data: dict[str, Any]) -> list[bool | None]:
        return [_TRUTH[json_logic.jsonLogic(rule, data)] for rule in self.rules]


# rule-engine ----------------------------------------------------------------------


def _literal(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    return str(value)


def to_rule_engine(node: Condition) -> str:
    if isinstance(node, Always):
        return "2"
    if isinstance(node, All | AnyOf):
        parts = node.all if isinstance(node, All) else node.any
        name = "$min" if isinstance(node, All) else "$max"
        return f"{name}([{', '.join(to_rule_engine(p) for p in parts)}])"
    if isinstance(node, Not):
        return f"(2 - {to_rule_engine(node.not_)})"
    if isinstance(node, DaysSince):
        var = f"days__{_flat(node.days_since)}"
        test = f"{var} {_RE_OPS[node.op]} {node.value}"
    else:
        var = _flat(node.field)
        if node.op == "is_null":
            return f"({var} == null ? 2 : 0)"
        if node.op == "is_not_null":
            return f"({var} == null ? 0 : 2)"
        operator = "in" if node.op == "in" else _RE_OPS[node.op]
        test = f"{var} {operator} {_literal(node.value)}"
    return f"({var} == null ? 1 : ({test} ? 2 : 0))"


def rule_engine_input(facts: dict[str, Any], dated: list[str]) -> dict[str, Any]:
    """Flat symbol names (``red_flags__fever``) plus the precomputed days."""
    data = {_flat(p): v for p, v in facts.items() if not isinstance(v, list)}
    data |= {f"days__{_flat(p)}": days_between(facts, p) for p in dated}
    return data


class RuleEngineRules:
    def __init__(self, kb: KnowledgeBase) -> None:
        context = rule_engine.Context(default_value=None)
        self.rules = [
            rule_engine.Rule(to_rule_engine(r.when), context=context)
            for r in kb.rules_for(PROFILE)
        ]

    def evaluate(self, data: dict[str, Any]) -> list[bool | None]:
        return [_TRUTH[int(rule.evaluate(data))] for rule in self.rules]
