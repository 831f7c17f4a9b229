"""Code generation for ``screen()``: from an assessment straight to what the decision needs.

The rules function of ``codegen.py`` returns one ``RuleResult`` per rule, which the
decision table then walks. For ``screen()`` this module generates, per profile, one
function that reads only the fields the rules use from the assessment itself (no facts
dict), works out each rule's truth value with the same code, and then, in straight-line
code with the rule's role fixed at generation time, does what the decision table's loop
does for that rule: appends its shared ``Finding``, its id to each target's fired or
undetermined list, sets the target's flags (precaution, lasting, blocking open, longest
wait), and adds its asked null paths to the missing set. It returns those parts as one
tuple (see ``Outcome`` in decision.py); the verdict is read from them by the decision
table's own code. The tests hold the result byte-identical to ``decide()``.
"""

from __future__ import annotations

import ast
from types import SimpleNamespace

from spinewise.kb import Compare, Condition, Const, DaysSince, KnowledgeBase, Rule
from spinewise.models import (
    Assessment,
    Profile,
    RuleState,
    Severity,
    assessment_fields,
    enum_words,
)
from spinewise.screening.compiled.codegen import Leaf, _Generator
from spinewise.screening.compiled.decision import DecisionTable, asked_path
from spinewise.screening.compiled.nodes import assign, is_, is_leaf, load
from spinewise.screening.rules import RuleResult

_MODALITY_COUNT = 3
_FLAGS = ("P", "L", "B", "W")  # precaution, lasting, blocking open, longest wait
_SUMMARY_BLOCKING = (Severity.DEFER, Severity.CONTRAINDICATION)


def _call(name: str, *args: ast.expr) -> ast.Expr:
    return ast.Expr(ast.Call(load(name), list(args), []))


def _true() -> ast.Constant:
    return ast.Constant(True)


class _OutcomeGenerator(_Generator):
    """The rules' truth code of ``_Generator``, followed per rule by its effect."""

    def __init__(self, table: DecisionTable) -> None:
        super().__init__()
        self.table = table
        self.namespace["FIND"] = table.fired_finding
        self.namespace["WORDS"] = enum_words()
        self.namespace["ABSENT"] = _absent_sections()

    def effects(self, rule: Rule) -> list[ast.stmt]:
        """The rule's truth value and, by it, its effect on the outcome."""
        node = rule.when
        leaf = isinstance(node, Compare | DaysSince) and is_leaf(node)
        stmts, truth = ([], ast.Constant(None)) if leaf else self.truth(node)
        fired = self.fired(rule)
        undetermined = None
        if rule.severity is not Severity.INFO:
            undetermined = self.undetermined(rule)
        if isinstance(node, Compare | DaysSince) and leaf:
            return [self.leaf_effects(node, fired, undetermined or [ast.Pass()])]
        branch = ast.If(is_(truth, True), fired, [])
        if undetermined is not None:
            branch.orelse = [ast.If(is_(truth, None), undetermined, [])]
        return [*stmts, branch]

    def leaf_effects(
        self, node: Leaf, fired: list[ast.stmt], undetermined: list[ast.stmt]
    ) -> ast.stmt:
        """A one-field rule branches on the value itself (as ``choose`` does): a
        tri-state answer tests ``is False`` / ``is True`` first, then the general
        ``None`` / comparison test keeps it exact for anything else."""
        test, read = self.leaf_test(node)
        general = ast.If(is_(read, None), undetermined, [ast.If(test, fired, [])])
        value = getattr(node, "value", None)
        if not (isinstance(value, bool) and node.op in ("eq", "ne")):
            return general
        nothing: list[ast.stmt] = [ast.Pass()]
        outcome = {
            v: fired if (v == value) == (node.op == "eq") else nothing
            for v in (True, False)
        }
        inner = ast.If(is_(read, True), outcome[True], [general])
        return ast.If(is_(read, False), outcome[False], [inner])

    def fired(self, rule: Rule) -> list[ast.stmt]:
        red, blocking, info, _, targets = self.table.roles[id(rule)]
        body: list[ast.stmt] = []
        wait: ast.expr | None
        if rule.rescreen_after is None or isinstance(rule.rescreen_after, Const):
            days = None if rule.rescreen_after is None else rule.rescreen_after.const
            result = RuleResult(rule, RuleState.FIRED, frozenset(), days)
            body.append(_call("FA", self.constant(self.table.finding(result), "FF")))
            wait = None if days is None else ast.Constant(days)
        else:
            body.append(assign("x", self.rescreen(rule.rescreen_after)))
            finding = ast.Call(
                load("FIND"), [self.constant(rule, "rule"), load("x")], []
            )
            body.append(_call("FA", finding))
            wait = load("x")
        if rule.severity is Severity.RED_FLAG:
            body.append(_call("REDA", ast.Constant(rule.id)))
        if rule.severity in _SUMMARY_BLOCKING:
            body.append(_call("BLKA", ast.Constant(rule.id)))
        if info:
            return body
        if red:
            body.append(assign("RF", _true()))
        for i in targets:
            body.append(_call(f"R{i}A", ast.Constant(rule.id)))
            if not blocking:
                body.append(assign(f"P{i}", _true()))
            elif wait is None:
                body.append(assign(f"L{i}", _true()))
            else:
                body.extend(_longest_wait(i, wait, variable=isinstance(wait, ast.Name)))
        return body

    def undetermined(self, rule: Rule) -> list[ast.stmt]:
        red, blocking, _, precaution, targets = self.table.roles[id(rule)]
        body: list[ast.stmt] = []
        if precaution:
            result = RuleResult(rule, RuleState.UNDETERMINED)
            body.append(_call("FA", self.constant(self.table.finding(result), "UF")))
        if red:
            body.append(assign("RO", _true()))
        body.extend(self.nulls(rule.when))
        for i in targets:
            body.append(_call(f"O{i}A", ast.Constant(rule.id)))
            body.append(assign(f"B{i}" if blocking else f"P{i}", _true()))
        return body

    def nulls(self, node: Condition) -> list[ast.stmt]:
        """Statements adding the node's null paths that are asked for to ``n``."""
        if isinstance(node, Compare | DaysSince):
            path = node.field if isinstance(node, Compare) else node.days_since
            return [_call("NA", ast.Constant(path)) if asked_path(path) else ast.Pass()]
        return super().nulls(node) or [ast.Pass()]

    def unanswered(self) -> list[ast.stmt]:
        """Each red-flag question left unanswered is missing and leaves them open."""
        body: list[ast.stmt] = []
        for path in self.table.red_flag_paths:
            then = [_call("NA", ast.Constant(path)), assign("UA", _true())]
            body.append(ast.If(is_(self.value(path), None), then, []))
        return body

    def preamble(self) -> list[ast.stmt]:
        """Read each field the rules use once, from the assessment (enum words as
        the facts give them), and each date's days to the assessment date."""
        sections: dict[str, str] = {}
        body: list[ast.stmt] = []
        fields = assessment_fields()
        for path, local in self.loads.items():
            names = path.split(".")
            if not all(n.isidentifier() for n in names) or path not in fields:
                raise ValueError(f"not a field path: {path!r}")
            owner = "a"
            if len(names) == 2:
                if names[0] not in sections:
                    sections[names[0]] = owner = f"s{len(sections)}"
                    body.append(assign(owner, _section_read(names[0])))
                owner = sections[names[0]]
            read: ast.expr = ast.Attribute(load(owner), names[-1], ast.Load())
            if fields[path].kind == "enum":
                read = ast.Subscript(load("WORDS"), read, ast.Load())
            body.append(assign(local, read))
        for path, local in self.days.items():
            value = load(self.loads[path])
            delta = ast.BinOp(load(self.loads["assessed_on"]), ast.Sub(), value)
            count = ast.Attribute(delta, "days", ast.Load())
            test = is_(value, None)
            body.append(assign(local, ast.IfExp(test, ast.Constant(None), count)))
        return body


def _longest_wait(i: int, wait: ast.expr, *, variable: bool) -> list[ast.stmt]:
    """``W{i} = max(W{i}, wait)`` (None: none yet); a variable wait that is None
    makes the rule lasting, as in the decision table."""
    current = load(f"W{i}")
    shorter = ast.BoolOp(
        ast.Or(), [is_(current, None), ast.Compare(current, [ast.Lt()], [wait])]
    )
    update: list[ast.stmt] = [ast.If(shorter, [assign(f"W{i}", wait)], [])]
    if not variable:
        return update
    return [ast.If(is_(wait, None), [assign(f"L{i}", _true())], update)]


def _absent_sections() -> object:
    return SimpleNamespace(**{p.split(".")[-1]: None for p in assessment_fields()})


def _section_read(section: str) -> ast.expr:
    """``a.section``; an optional block that is not given reads as ``ABSENT``."""
    read = ast.Attribute(load("a"), section, ast.Load())
    if Assessment.model_fields[section].is_required():
        return read
    given = ast.Compare(read, [ast.IsNot()], [ast.Constant(None)])
    again = ast.Attribute(load("a"), section, ast.Load())
    return ast.IfExp(given, again, load("ABSENT"))


def _start() -> list[ast.stmt]:
    """The outcome's empty parts, and the bound ``append`` of each list."""
    body: list[ast.stmt] = []
    lists = ["F", "RED", "BLK"]
    lists += [f"{p}{i}" for p in ("R", "O") for i in range(_MODALITY_COUNT)]
    for name in lists:
        body.append(assign(name, ast.List([], ast.Load())))
        body.append(assign(f"{name}A", ast.Attribute(load(name), "append", ast.Load())))
    body.append(assign("n", ast.Call(load("set"), [], [])))
    body.append(assign("NA", ast.Attribute(load("n"), "add", ast.Load())))
    flags = [f"{f}{i}" for f in _FLAGS for i in range(_MODALITY_COUNT)]
    for name in ["RF", "RO", "UA", *flags]:
        value = None if name.startswith("W") else False
        body.append(assign(name, ast.Constant(value)))
    return body


def _result() -> ast.Return:
    """``Outcome`` order: findings, fired ids, open ids, the flags, missing, ids."""
    names = ["F"]
    names += [f"{p}{i}" for p in ("R", "O") for i in range(_MODALITY_COUNT)]
    names += [f"{f}{i}" for f in _FLAGS for i in range(_MODALITY_COUNT)]
    names += ["RF", "RO", "UA", "n", "RED", "BLK"]
    return ast.Return(ast.Tuple([load(n) for n in names], ast.Load()))


def outcome_module(
    kb: KnowledgeBase, profile: Profile, table: DecisionTable
) -> tuple[ast.Module, dict[str, object]]:
    """The AST of ``outcome(a) -> Outcome`` for the rules of ``profile``, and the names
    it reads."""
    generator = _OutcomeGenerator(table)
    effects = [s for rule in kb.rules_for(profile) for s in generator.effects(rule)]
    unanswered = generator.unanswered()
    generator.value("assessed_on")
    body = [*_start(), *generator.preamble(), *unanswered, *effects, _result()]
    function = ast.FunctionDef(
        name="screen_outcome",
        args=ast.arguments([], [ast.arg("a")], None, [], [], None, []),
        body=body,
        decorator_list=[],
        returns=None,
    )
    return ast.Module([function], []), generator.namespace
