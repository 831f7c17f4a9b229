"""Code generation for ``compile_rules``: condition trees to one function, as AST nodes.

The generated function reads each field path once (``v = f["path"]``), works out each
date's days to the assessment once, and returns the list of ``RuleResult``s in rule
order. Results that cannot vary (not fired, fired with a fixed re-screen,
undetermined by one field) are built once here and returned as they are; frozen
dataclasses are safe to share.

Meaning comes from ``screening/operators.py``: each comparison's ``ast_op``, each
arithmetic word's operator and each junction's deciding value (an ``all`` is false
if any part is false, else unknown if any part is unknown; ``any`` the mirror;
``not`` keeps unknown). Parts are evaluated in order and stop at the first deciding
one (no part has side effects). When a rule is unknown, its null
paths are the union over its unknown parts, as in ``operators.interpret``: an
unknown node has evaluated every part.
"""

from __future__ import annotations

import ast

from spinewise.kb import (
    All,
    Always,
    AnyOf,
    Compare,
    Condition,
    Const,
    DaysSince,
    DaysSinceValue,
    Expression,
    FieldValue,
    KnowledgeBase,
    Not,
    Rule,
)
from spinewise.models import Profile, RuleState
from spinewise.screening.compiled.nodes import (
    assign,
    either,
    is_,
    is_leaf,
    literal,
    load,
    may_be_unknown,
    store,
)
from spinewise.screening.operators import (
    COMPARISONS,
    NULL_TESTS,
    arithmetic_of,
    junction_of,
)
from spinewise.screening.rules import RuleResult

Leaf = Compare | DaysSince


class _Generator:
    """Builds the statements of the generated function and the names it reads."""

    def __init__(self) -> None:
        self.namespace: dict[str, object] = {
            "RR": RuleResult,
            "FIRED": RuleState.FIRED,
            "UNDET": RuleState.UNDETERMINED,
            "EMPTY": frozenset(),
            "frozenset": frozenset,
            "set": set,
            "isinstance": isinstance,
            "int": int,
        }
        self.loads: dict[str, str] = {}
        self.days: dict[str, str] = {}
        self.truths: dict[int, ast.expr] = {}
        self.body: list[ast.stmt] = []
        self.counter = 0

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def constant(self, value: object, prefix: str) -> ast.Name:
        name = self.fresh(prefix)
        self.namespace[name] = value
        return load(name)

    def value(self, path: str) -> ast.Name:
        return load(self.loads.setdefault(path, f"v{len(self.loads)}"))

    def days_of(self, path: str) -> ast.Name:
        self.value("assessed_on")
        self.value(path)
        return load(self.days.setdefault(path, f"d{len(self.days)}"))

    def leaf_test(self, node: Leaf) -> tuple[ast.expr, ast.Name]:
        """The known-value comparison of a leaf and the local it reads."""
        if isinstance(node, Compare):
            read = self.value(node.field)
        else:
            read = self.days_of(node.days_since)
        op = COMPARISONS[node.op].ast_op()
        return ast.Compare(read, [op], [ast.Constant(literal(node.value))]), read

    def choose(
        self, node: Leaf, yes: ast.expr, no: ast.expr, unknown: ast.expr
    ) -> ast.expr:
        """``yes``, ``no`` or ``unknown`` by the leaf's truth value.

        A comparison of a tri-state answer with ``true``/``false`` tests ``is False``
        and ``is True`` first (the usual answers: no ``==`` call), then falls back to
        the interpreter's own ``==``/``!=`` for anything else, so it stays exact.
        """
        test, read = self.leaf_test(node)
        general = ast.IfExp(is_(read, None), unknown, ast.IfExp(test, yes, no))
        value = getattr(node, "value", None)
        if not (isinstance(value, bool) and node.op in ("eq", "ne")):
            return general
        outcome = {
            v: yes if (v == value) == (node.op == "eq") else no for v in (True, False)
        }
        return ast.IfExp(
            is_(read, False),
            outcome[False],
            ast.IfExp(is_(read, True), outcome[True], general),
        )

    def truth(self, node: Condition) -> tuple[list[ast.stmt], ast.expr]:
        """Statements computing the node's truth value, and the expression holding it."""
        if isinstance(node, Always):
            return [], ast.Constant(True)
        if isinstance(node, All | AnyOf):
            return self.junction(node)
        name = self.fresh("t")
        value: ast.expr
        if isinstance(node, Not):
            stmts, inner = self.truth(node.not_)
            negated = ast.UnaryOp(ast.Not(), inner)
            value = ast.IfExp(is_(inner, None), ast.Constant(None), negated)
            stmts = [*stmts, assign(name, value)]
        elif isinstance(node, Compare) and node.op in NULL_TESTS:
            value = is_(self.value(node.field), None, not NULL_TESTS[node.op])
            stmts = [assign(name, value)]
        else:
            known = (ast.Constant(True), ast.Constant(False), ast.Constant(None))
            stmts = [assign(name, self.choose(node, *known))]
        self.truths[id(node)] = load(name)
        return stmts, load(name)

    def junction(self, node: All | AnyOf) -> tuple[list[ast.stmt], ast.expr]:
        """Kleene ``all``/``any``, parts in order, stopping at the first deciding one
        (false for ``all``, true for ``any``); else unknown if a part is, else the other.
        """
        word, parts = junction_of(node)
        decisive = word.deciding
        if any(isinstance(p, Always) for p in parts) and (
            decisive or all(isinstance(p, Always) for p in parts)
        ):
            return [], ast.Constant(True)
        kept = [p for p in parts if not isinstance(p, Always)]
        name = self.fresh("t")
        done: list[ast.stmt] = [assign(name, ast.Constant(decisive))]
        children = [self.truth(p) for p in kept]
        unknown = [
            is_(expr, None)
            for (_, expr), p in zip(children, kept, strict=True)
            if may_be_unknown(p)
        ]
        rest: ast.expr = ast.Constant(not decisive)
        if unknown:
            rest = ast.IfExp(either(unknown), ast.Constant(None), rest)
        block: list[ast.stmt] = [assign(name, rest)]
        for stmts, expr in reversed(children):
            block = [*stmts, ast.If(is_(expr, decisive), done, block)]
        self.truths[id(node)] = load(name)
        return block, load(name)

    def nulls(self, node: Condition) -> list[ast.stmt]:
        """Statements adding the node's null paths to ``n`` (the node is unknown)."""
        if isinstance(node, Compare | DaysSince):
            path = node.field if isinstance(node, Compare) else node.days_since
            add = ast.Attribute(load("n"), "add", ast.Load())
            return [ast.Expr(ast.Call(add, [ast.Constant(path)], []))]
        if isinstance(node, Not):
            return self.nulls(node.not_)
        if isinstance(node, All | AnyOf):
            _, parts = junction_of(node)
            return [
                ast.If(is_(self.truths[id(p)], None), self.nulls(p), [])
                for p in parts
                if may_be_unknown(p)
            ]
        return []

    def rescreen(self, expr: Expression) -> ast.expr:
        """A re-screen expression; None propagates as in ``operators.evaluate_number``."""
        if isinstance(expr, Const):
            return ast.Constant(literal(expr.const))
        if isinstance(expr, FieldValue):
            read = self.value(expr.field)
            test = ast.Call(load("isinstance"), [read, load("int")], [])
            return ast.IfExp(test, read, ast.Constant(None))
        if isinstance(expr, DaysSinceValue):
            return self.days_of(expr.days_since)
        word, left, right = arithmetic_of(expr)
        a, b = self.fresh("x"), self.fresh("x")
        unknown = either(
            [
                is_(ast.NamedExpr(store(a), self.rescreen(left)), None),
                is_(ast.NamedExpr(store(b), self.rescreen(right)), None),
            ]
        )
        operation = ast.BinOp(load(a), word.ast_op(), load(b))
        return ast.IfExp(unknown, ast.Constant(None), operation)

    def rule(self, rule: Rule) -> ast.expr:
        """The expression giving this rule's ``RuleResult``."""
        r = self.constant(rule, "rule")
        not_fired = self.constant(RuleResult(rule, RuleState.NOT_FIRED), "N")
        fired: ast.expr
        if rule.rescreen_after is None or isinstance(rule.rescreen_after, Const):
            days = None if rule.rescreen_after is None else rule.rescreen_after.const
            fired = self.constant(
                RuleResult(rule, RuleState.FIRED, frozenset(), days), "F"
            )
        else:
            args = [
                r,
                load("FIRED"),
                load("EMPTY"),
                self.rescreen(rule.rescreen_after),
            ]
            fired = ast.Call(load("RR"), args, [])
        node = rule.when
        if isinstance(node, Compare | DaysSince) and is_leaf(node):
            path = node.field if isinstance(node, Compare) else node.days_since
            undetermined = self.constant(
                RuleResult(rule, RuleState.UNDETERMINED, frozenset({path})), "U"
            )
            return self.choose(node, fired, not_fired, undetermined)
        stmts, truth = self.truth(node)
        self.body.extend(stmts)
        if not may_be_unknown(node):
            return ast.IfExp(truth, fired, not_fired)
        result = self.fresh("r")
        undetermined_stmts: list[ast.stmt] = [
            assign("n", ast.Call(load("set"), [], [])),
            *self.nulls(node),
            assign(
                result,
                ast.Call(
                    load("RR"),
                    [r, load("UNDET"), ast.Call(load("frozenset"), [load("n")], [])],
                    [],
                ),
            ),
        ]
        known = assign(result, ast.IfExp(truth, fired, not_fired))
        self.body.append(ast.If(is_(truth, None), undetermined_stmts, [known]))
        return load(result)

    def preamble(self) -> list[ast.stmt]:
        """Read every path once (a partial dict retries with None for what it lacks)."""
        loads: list[ast.stmt] = [
            assign(local, ast.Subscript(load("f"), ast.Constant(path), ast.Load()))
            for path, local in self.loads.items()
        ]
        self.namespace["DEFAULTS"] = dict.fromkeys(self.loads)
        merged = ast.Dict([None, None], [load("DEFAULTS"), load("f")])
        retry = ast.Return(ast.Call(load("SELF"), [merged], []))
        handler = ast.ExceptHandler(load("KeyError"), None, [retry])
        self.namespace["KeyError"] = KeyError
        days: list[ast.stmt] = []
        for path, local in self.days.items():
            read = self.value(path)
            delta = ast.BinOp(self.value("assessed_on"), ast.Sub(), read)
            count = ast.Attribute(delta, "days", ast.Load())
            days.append(
                assign(local, ast.IfExp(is_(read, None), ast.Constant(None), count))
            )
        return [ast.Try(loads, [handler], [], []), *days]


def evaluator_module(
    kb: KnowledgeBase, profile: Profile | None = None
) -> tuple[ast.Module, dict[str, object]]:
    """The AST of ``evaluate(f) -> list[RuleResult]`` for the rules of ``profile`` in
    ``kb`` (every rule when None) and the names it reads.

    The caller binds ``SELF`` (the function itself, for the partial-dict retry).
    """
    generator = _Generator()
    rules = kb.rules if profile is None else kb.rules_for(profile)
    results = [generator.rule(rule) for rule in rules]
    body = [
        *generator.preamble(),
        *generator.body,
        ast.Return(ast.List(results, ast.Load())),
    ]
    function = ast.FunctionDef(
        name="evaluate_rules_compiled",
        args=ast.arguments([], [ast.arg("f")], None, [], [], None, []),
        body=body,
        decorator_list=[],
        returns=None,
    )
    return ast.Module([function], []), generator.namespace
