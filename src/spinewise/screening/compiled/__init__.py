"""The per-patient fast path: the rule set compiled once, from AST nodes, into one
Python function (and a generated facts reader) that returns what the interpreter does.
"""

from spinewise.screening.compiled.engine import (
    CompiledRules,
    compile_rules,
    facts_reader,
    screen_compiled,
)

__all__ = ["CompiledRules", "compile_rules", "facts_reader", "screen_compiled"]
