"""Per-patient rule evaluation, measured side by side in one run.

The 64 rules of the bundled KB on the same patients (a generated cohort, so every
kind of answer and unknown occurs), by:

* the reference interpreter (``evaluate_rules``: walks the condition trees);
* the compiled rules (``compile_rules(kb).evaluate``: one generated function);
* hand-written Python lambdas, three-valued (bench/baseline_lambdas.py);
* json-logic-qubit and rule-engine, translated from the KB (bench/baseline_libraries.py).

Every evaluator is first checked against the interpreter on every patient. Timings
are per patient: the median over repeated passes, divided by the patients per pass.
Goals: the compiled rules at most 0.5x the hand-written lambdas, and ``screen()`` end
to end (facts, rules, the whole decision with findings and summary) at most 2x them.

    .venv/bin/python bench/rules.py
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable
from typing import Any

import baseline_lambdas
from baseline_libraries import (
    PROFILE,
    JsonLogicRules,
    RuleEngineRules,
    days_paths,
    json_logic_input,
    rule_engine_input,
)
from report import emit, machine, median, repeat_times

from spinewise.kb import KnowledgeBase, load_kb
from spinewise.models import RuleState
from spinewise.screening import (
    CompiledRules,
    assessments_of,
    compile_rules,
    decide,
    evaluate_rules,
    facts_of,
    facts_reader,
    generate_cohort,
    screen,
    screen_interpreted,
)

PATIENTS = 2_000
SLOW_PATIENTS = 200
_TRUTH = {
    RuleState.FIRED: True,
    RuleState.NOT_FIRED: False,
    RuleState.UNDETERMINED: None,
}


def per_patient_us(
    evaluate: Callable[[Any], object], inputs: list[Any], repeats: int
) -> float:
    def one_pass() -> None:
        for item in inputs:
            evaluate(item)

    return (
        median(repeat_times(one_pass, repeats=repeats, min_seconds=1.0))
        / len(inputs)
        * 1e6
    )


def check(
    name: str, truths: list[list[bool | None]], expected: list[list[bool | None]]
) -> None:
    wrong = sum(1 for a, b in zip(truths, expected, strict=True) if a != b)
    print(
        f"  {name}: {len(truths) - wrong}/{len(truths)} patients agree with the interpreter"
    )
    if wrong:
        sys.exit(f"{name} disagrees with the interpreter on {wrong} patients")


class Inputs:
    """The same patients in each evaluator's input shape (prepared before timing)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        # disc herniation only: the hand-written lambdas are its 64 rules
        cohort = generate_cohort(
            PATIENTS, assessed_on=dt.date(2026, 11, 24), seed=1, nonspecific_percent=0
        )
        self.assessments = list(assessments_of(cohort))
        self.facts = [facts_of(a) for a in self.assessments]
        self.dated = days_paths(kb)
        self.json = [json_logic_input(f, self.dated) for f in self.facts]
        self.engine = [rule_engine_input(f, self.dated) for f in self.facts]


def check_agreement(
    kb: KnowledgeBase, inputs: Inputs, evaluators: dict[str, Any]
) -> None:
    print("agreement:")
    facts = inputs.facts
    reference = [[_TRUTH[r.state] for r in evaluate_rules(kb, f)] for f in facts]
    same = sum(
        evaluators["compiled"].evaluate(f) == evaluate_rules(kb, f) for f in facts
    )
    print(f"  compiled: {same}/{PATIENTS} patients give identical RuleResults")
    if same != PATIENTS:
        sys.exit("the compiled rules disagree with the interpreter")
    check("lambdas", [baseline_lambdas.evaluate(f) for f in facts], reference)
    check(
        "json-logic", [evaluators["json"].evaluate(d) for d in inputs.json], reference
    )
    check(
        "rule-engine",
        [evaluators["engine"].evaluate(d) for d in inputs.engine],
        reference,
    )


def interleaved(
    passes: dict[str, tuple[Callable[[Any], object], list[Any]]], rounds: int
) -> dict[str, float]:
    """µs per patient: the median of ``rounds`` rounds, each timing one pass of every
    evaluator in turn, so that a busy moment on the machine hits them all."""
    times: dict[str, list[float]] = {name: [] for name in passes}
    for _ in range(rounds):
        for name, (evaluate, inputs) in passes.items():
            start = time.perf_counter()
            for item in inputs:
                evaluate(item)
            times[name].append((time.perf_counter() - start) / len(inputs) * 1e6)
    return {name: median(values) for name, values in times.items()}


def measure_rules(
    kb: KnowledgeBase, inputs: Inputs, evaluators: dict[str, Any]
) -> None:
    """All 64 rules per patient: the goal's pair (compiled, lambdas) on its own, the
    others against the lambdas in a second group (fewer patients for the libraries)."""
    lambdas = (baseline_lambdas.evaluate, inputs.facts)
    pair = interleaved(
        {
            "compiled": (evaluators["compiled"].evaluate, inputs.facts),
            "lambdas": lambdas,
        },
        31,
    )
    others = interleaved(
        {
            "interpreter": (lambda f: evaluate_rules(kb, f), inputs.facts),
            "lambdas": lambdas,
            "json": (evaluators["json"].evaluate, inputs.json[:SLOW_PATIENTS]),
            "engine": (evaluators["engine"].evaluate, inputs.engine[:SLOW_PATIENTS]),
        },
        7,
    )
    ratio = pair["compiled"] / pair["lambdas"]
    emit(
        "rules",
        "compiled (compile_rules(kb).evaluate)",
        pair["compiled"],
        "µs/patient",
        baseline="hand-written lambdas",
        ratio=round(ratio, 2),
        goal="<= 0.5",
        met=ratio <= 0.5,
    )
    emit("rules", "hand-written lambdas (3-valued)", pair["lambdas"], "µs/patient")
    names = {
        "interpreter": "interpreter (evaluate_rules)",
        "json": "json-logic-qubit (3-valued via min/max)",
        "engine": "rule-engine (3-valued via $min/$max)",
    }
    for key, measure in names.items():
        emit(
            "rules",
            measure,
            others[key],
            "µs/patient",
            baseline="hand-written lambdas",
            ratio=round(others[key] / others["lambdas"], 2),
        )
    speedup = others["interpreter"] / pair["compiled"]
    emit("rules", "compiled speed-up over the interpreter", speedup, "x")


def measure_screen(kb: KnowledgeBase, inputs: Inputs, compiled: CompiledRules) -> None:
    """``screen()`` end to end against the lambdas (rules alone), interleaved; the
    reference path (interpreter + ``decide``) and the decision alone beside them."""
    print("per patient, the whole decision:")
    sample = inputs.assessments[:500]
    facts = inputs.facts[:500]
    results = [
        compiled.evaluate(f, a.profile) for a, f in zip(sample, facts, strict=True)
    ]
    triples = list(zip(sample, results, facts, strict=True))
    pair = interleaved(
        {
            "screen": (lambda a: screen(a, kb), sample),
            "lambdas": (baseline_lambdas.evaluate, facts),
            "table": (lambda t: compiled.table.decide(*t), triples),
            "decide": (lambda t: decide(t[0], kb, t[1], t[2]), triples),
        },
        31,
    )
    ratio = pair["screen"] / pair["lambdas"]
    emit(
        "rules",
        "screen() end to end (facts + compiled rules + decision table)",
        pair["screen"],
        "µs/patient",
        baseline="hand-written lambdas (rules alone)",
        ratio=round(ratio, 2),
        goal="<= 2",
        met=ratio <= 2,
    )
    emit(
        "rules",
        "hand-written lambdas (3-valued), same rounds",
        pair["lambdas"],
        "µs/patient",
    )
    emit("rules", "decision alone: decision table", pair["table"], "µs/patient")
    emit(
        "rules",
        "decision alone: reference decide()",
        pair["decide"],
        "µs/patient",
        baseline="decision table",
        ratio=round(pair["decide"] / pair["table"], 2),
    )
    reference = per_patient_us(lambda a: screen_interpreted(a, kb), sample[:200], 3)
    emit(
        "rules",
        "screen_interpreted() (interpreter + decide)",
        reference,
        "µs/patient",
        baseline="screen()",
        ratio=round(reference / pair["screen"], 1),
    )


def measure_inputs(inputs: Inputs) -> None:
    print("per patient, input preparation:")
    sample = inputs.assessments[:500]
    emit(
        "rules",
        "facts_of (reference)",
        per_patient_us(facts_of, sample, 11),
        "µs/patient",
    )
    emit(
        "rules",
        "facts_reader() (generated)",
        per_patient_us(facts_reader(), sample, 11),
        "µs/patient",
    )
    emit(
        "rules",
        "json-logic input preparation (not in its time)",
        per_patient_us(lambda f: json_logic_input(f, inputs.dated), inputs.facts, 7),
        "µs/patient",
    )
    emit(
        "rules",
        "rule-engine input preparation (not in its time)",
        per_patient_us(lambda f: rule_engine_input(f, inputs.dated), inputs.facts, 7),
        "µs/patient",
    )


def main() -> None:
    kb = load_kb()
    rules = len(kb.rules_for(PROFILE))
    print(
        f"bench/rules.py: {rules} disc herniation rules, {PATIENTS:,} patients; {machine()}"
    )
    inputs = Inputs(kb)
    compiled = compile_rules(kb)
    if "--screen-only" in sys.argv[1:]:  # screen() against the lambdas, nothing else
        measure_screen(kb, inputs, compiled)
        return
    evaluators = {
        "compiled": compiled,
        "json": JsonLogicRules(kb),
        "engine": RuleEngineRules(kb),
    }
    check_agreement(kb, inputs, evaluators)
    print("per patient, all rules (median of passes):")
    measure_rules(kb, inputs, evaluators)
    measure_screen(kb, inputs, compiled)
    measure_inputs(inputs)


if __name__ == "__main__":
    main()
