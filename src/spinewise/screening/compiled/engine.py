"""The per-patient fast path: the rule set compiled once into one Python function.

``compile_rules(kb)`` walks every rule's condition tree and builds, as ``ast`` nodes,
one function that evaluates all rules in three-valued logic and returns exactly what
the reference interpreter (``evaluate_rules``) returns: the same ``RuleResult`` per
rule, with the null paths that leave it undetermined and the re-screen value when it
fired. No text from users or knowledge-base files is ever executed: field paths
become string constants in subscripts, values are literals checked again here, and
every name in the generated code is made up by this module. The code object is taken
from ``compile()`` of the AST and bound with ``FunctionType`` (no ``exec``).
"""

from __future__ import annotations

import ast
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import cache
from types import CodeType, FunctionType, SimpleNamespace
from typing import cast

from spinewise.kb import KnowledgeBase
from spinewise.models import (
    Assessment,
    Decision,
    Profile,
    assessment_fields,
    enum_words,
)
from spinewise.screening.compiled.codegen import evaluator_module
from spinewise.screening.compiled.decision import DecisionTable
from spinewise.screening.compiled.finish import Finisher, Outcome
from spinewise.screening.compiled.outcome import outcome_module
from spinewise.screening.rules import RuleResult

Evaluator = Callable[[dict[str, object]], list[RuleResult]]
FactsReader = Callable[[Assessment], dict[str, object]]
_CACHE_SIZE = 8
_cache: OrderedDict[int, tuple[KnowledgeBase, CompiledRules]] = OrderedDict()
_cache_lock = threading.Lock()


def bind_function(
    module: ast.Module, namespace: dict[str, object], label: str
) -> Callable[..., object]:
    """Compile a one-function module built from AST nodes; ``namespace`` is its globals.

    The function sees no builtins but the names the generator put in ``namespace``;
    ``label`` is a fixed word (the code's file name in tracebacks), never KB text.
    """
    ast.fix_missing_locations(module)
    code = compile(module, f"<spinewise {label}>", "exec", dont_inherit=True)
    function_code = next(c for c in code.co_consts if isinstance(c, CodeType))
    namespace["__builtins__"] = {}
    return FunctionType(function_code, namespace)


class CompiledRules:
    """One knowledge base's rules as a generated function; keep it and reuse it."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._evaluators: dict[Profile, Evaluator] = {}
        for profile in Profile:
            module, namespace = evaluator_module(kb, profile)
            function = bind_function(module, namespace, "compiled rules")
            namespace["SELF"] = function
            self._evaluators[profile] = cast(Evaluator, function)
        self.table = DecisionTable(kb)
        self._read = facts_reader()
        self._finish = Finisher(self.table).finish
        self._outcomes: dict[Profile, Callable[[Assessment], Outcome]] = {}
        for profile in Profile:
            module, namespace = outcome_module(kb, profile, self.table)
            function = bind_function(module, namespace, "screen outcome")
            self._outcomes[profile] = cast(Callable[[Assessment], Outcome], function)

    @property
    def kb_version(self) -> str:
        return self.kb.version

    def evaluate(
        self, facts: dict[str, object], profile: Profile = Profile.DISC_HERNIATION
    ) -> list[RuleResult]:
        """The results of the rules of ``profile``, exactly as
        ``evaluate_rules(kb, facts, profile)`` gives them."""
        return self._evaluators[profile](facts)

    def facts_of(self, assessment: Assessment) -> dict[str, object]:
        """The assessment as field path -> value, exactly as ``facts_of`` gives it."""
        return facts_reader()(assessment)

    def screen(self, assessment: Assessment) -> Decision:
        """The decision, through the compiled rules of the assessment's profile and the
        decision table (the same decision as the reference ``decide``): one generated
        function per profile reads the assessment and gives every rule's effect on
        the decision (``outcome.py``); ``finish.py`` makes the decision of it."""
        return self._finish(assessment, self._outcomes[assessment.profile](assessment))


def compile_rules(kb: KnowledgeBase) -> CompiledRules:
    """The compiled rules of ``kb``; compiled once per knowledge-base object.

    A hit is read without the lock (one ``dict.get``); a miss compiles under it, so
    threads that miss at once wait for one compilation instead of each making their
    own. The eight knowledge bases compiled last are kept."""
    entry = _cache.get(id(kb))
    if entry is not None and entry[0] is kb:
        return entry[1]
    with _cache_lock:
        entry = _cache.get(id(kb))
        if entry is not None and entry[0] is kb:
            return entry[1]
        compiled = CompiledRules(kb)
        _cache[id(kb)] = (kb, compiled)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return compiled


def screen_compiled(
    assessment: Assessment, kb: KnowledgeBase, compiled: CompiledRules | None = None
) -> Decision:
    """``screen(assessment, kb)`` through the compiled rules: the same decision."""
    if compiled is None:
        compiled = compile_rules(kb)
    elif compiled.kb is not kb and compiled.kb_version != kb.version:
        raise ValueError(
            f"rules compiled for kb {compiled.kb_version}, not for kb {kb.version}"
        )
    return compiled.screen(assessment)


@cache
def facts_reader() -> FactsReader:
    """A generated ``facts_of``: one dict display of attribute reads, no loop."""
    sections: dict[str, str] = {}
    keys: list[ast.expr | None] = []
    values: list[ast.expr] = []
    for path, spec in assessment_fields().items():
        names = path.split(".")
        if not all(n.isidentifier() for n in names):
            raise ValueError(f"not a field path: {path!r}")
        if len(names) == 1:
            read: ast.expr = ast.Attribute(
                ast.Name("a", ast.Load()), names[0], ast.Load()
            )
        else:
            local = sections.setdefault(names[0], f"s{len(sections)}")
            read = ast.Attribute(ast.Name(local, ast.Load()), names[1], ast.Load())
        if spec.kind == "enum":
            read = ast.Subscript(ast.Name("WORDS", ast.Load()), read, ast.Load())
        keys.append(ast.Constant(path))
        values.append(read)
    body: list[ast.stmt] = [
        ast.Assign([ast.Name(local, ast.Store())], _section_read(section))
        for section, local in sections.items()
    ]
    body.append(ast.Return(ast.Dict(keys, values)))
    function = ast.FunctionDef(
        name="facts_of",
        args=ast.arguments([], [ast.arg("a")], None, [], [], None, []),
        body=body,
        decorator_list=[],
        returns=None,
    )
    module = ast.Module([function], [])
    absent = SimpleNamespace(**{p.split(".")[-1]: None for p in assessment_fields()})
    namespace = {"WORDS": enum_words(), "ABSENT": absent}
    return cast(FactsReader, bind_function(module, namespace, "facts reader"))


def _section_read(section: str) -> ast.expr:
    """``a.section``; for an optional block (``hernia``, ``condition``) ``ABSENT``
    (every field None) when the block is not given."""
    read = ast.Attribute(ast.Name("a", ast.Load()), section, ast.Load())
    if Assessment.model_fields[section].is_required():
        return read
    given = ast.Compare(read, [ast.IsNot()], [ast.Constant(None)])
    again = ast.Attribute(ast.Name("a", ast.Load()), section, ast.Load())
    return ast.IfExp(given, again, ast.Name("ABSENT", ast.Load()))
