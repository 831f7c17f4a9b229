"""Helpers of the compiled rules: AST node builders, checked literals, tree facts."""

from __future__ import annotations

import ast
from collections.abc import Sequence
from typing import Any

from spinewise.errors import KnowledgeBaseError
from spinewise.kb import All, Always, AnyOf, Condition, Not
from spinewise.screening.operators import leaf_path


def load(name: str) -> ast.Name:
    return ast.Name(name, ast.Load())


def store(name: str) -> ast.Name:
    return ast.Name(name, ast.Store())


def assign(name: str, value: ast.expr) -> ast.Assign:
    return ast.Assign([store(name)], value)


def is_(left: ast.expr, right: bool | None, negate: bool = False) -> ast.Compare:
    op: ast.cmpop = ast.IsNot() if negate else ast.Is()
    return ast.Compare(left, [op], [ast.Constant(right)])


def either(tests: Sequence[ast.expr]) -> ast.expr:
    return tests[0] if len(tests) == 1 else ast.BoolOp(ast.Or(), list(tests))


def literal(value: object) -> Any:
    """A rule's value, checked to be a plain literal before it becomes a constant."""
    if isinstance(value, list):
        return tuple(literal(item) for item in value)
    if type(value) in (bool, int, str):
        return value
    raise KnowledgeBaseError("(compiled rules)", None, f"not a literal: {value!r}")


def is_leaf(node: Condition) -> bool:
    """A comparison: unknown exactly when the one field it reads is null."""
    return leaf_path(node) is not None


def may_be_unknown(node: Condition) -> bool:
    if isinstance(node, All):
        return any(may_be_unknown(p) for p in node.all)
    if isinstance(node, AnyOf):
        if any(isinstance(p, Always) for p in node.any):
            return False
        return any(may_be_unknown(p) for p in node.any)
    if isinstance(node, Not):
        return may_be_unknown(node.not_)
    return is_leaf(node)
