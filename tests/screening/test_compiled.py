"""The compiled rules: exactly the interpreter's results, from code built as AST nodes."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from tests.conftest import CASE_FILES
from tests.factories import make_assessment
from tests.screening.synthetic import synthetic_kb
from tests.strategies import assessments

from spinewise.kb import KnowledgeBase, load_kb
from spinewise.models import Assessment, Profile, RuleState
from spinewise.screening import (
    CompiledRules,
    compile_rules,
    evaluate_rules,
    facts_of,
    facts_reader,
    screen_compiled,
    screen_interpreted,
)

BUNDLED = load_kb()
SYNTHETIC = synthetic_kb()


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_compiled_screen_equals_the_reference_on_every_example(
    path: Path, kb: KnowledgeBase
) -> None:
    assessment = Assessment.model_validate(yaml.safe_load(path.read_text()))
    assert screen_compiled(assessment, kb) == screen_interpreted(assessment, kb)


@pytest.mark.parametrize("rule", BUNDLED.rules, ids=lambda r: r.id)
def test_each_rule_left_unknown_is_undetermined_with_the_same_nulls(
    rule: object,
) -> None:
    facts = facts_of(make_assessment())
    for path in rule.when.paths():  # type: ignore[attr-defined]
        if path != "assessed_on":
            facts[path] = None
    compiled = compile_rules(BUNDLED).evaluate(facts)
    assert compiled == evaluate_rules(BUNDLED, facts)


@settings(max_examples=150, deadline=None)
@given(assessments())
def test_compiled_rules_equal_the_interpreter_on_every_node_of_the_language(
    assessment: Assessment,
) -> None:
    facts = facts_of(assessment)
    assert compile_rules(SYNTHETIC).evaluate(facts) == evaluate_rules(SYNTHETIC, facts)
    reference = screen_interpreted(assessment, SYNTHETIC)
    assert screen_compiled(assessment, SYNTHETIC) == reference


def test_a_partial_facts_dict_reads_absent_paths_as_unknown() -> None:
    facts: dict[str, object] = {"assessed_on": dt.date(2026, 11, 24), "patient.age": 70}
    results = compile_rules(BUNDLED).evaluate(facts)
    assert results == evaluate_rules(BUNDLED, facts)
    assert any(r.state is RuleState.UNDETERMINED for r in results)


def test_the_generated_facts_reader_equals_facts_of() -> None:
    assessment = make_assessment(
        patient={"sex": "unknown", "pregnant": None},
        hernia={"morphology": "unknown", "imaging": None},
        history={"spinal_surgery_date": "2026-10-01"},
        medications={"analgesics": ["ibuprofen"]},
    )
    read = facts_reader()(assessment)
    assert read == facts_of(assessment)
    assert list(read) == list(facts_of(assessment))
    assert read["patient.sex"] is None and read["hernia.region"] == "lumbar"
    assert type(read["hernia.region"]) is str


def test_rules_are_compiled_once_per_knowledge_base_object() -> None:
    first = compile_rules(BUNDLED)
    assert compile_rules(BUNDLED) is first
    other = load_kb()
    assert compile_rules(other) is not first
    assert compile_rules(other).kb is other


def test_threads_that_first_screen_with_a_knowledge_base_at_once_share_one_compilation() -> (
    None
):
    fresh = load_kb()
    start = threading.Barrier(8)

    def compiled() -> CompiledRules:
        start.wait()
        return compile_rules(fresh)

    with ThreadPoolExecutor(8) as pool:
        made = [future.result() for future in [pool.submit(compiled) for _ in range(8)]]
    assert all(rules is made[0] for rules in made)


def test_compiled_rules_of_another_knowledge_base_are_refused() -> None:
    with pytest.raises(ValueError, match="compiled for kb test-1"):
        screen_compiled(make_assessment(), BUNDLED, compile_rules(SYNTHETIC))


@pytest.mark.parametrize("profile", list(Profile))
def test_the_generated_function_sees_only_names_the_compiler_gave_it(
    profile: Profile,
) -> None:
    compiled = CompiledRules(BUNDLED)
    function = compiled._evaluators[profile]
    assert function.__globals__["__builtins__"] == {}  # type: ignore[attr-defined]
    names = set(function.__code__.co_names)  # type: ignore[attr-defined]
    assert names <= set(function.__globals__) | {"add", "days"}  # type: ignore[attr-defined]
    paths = {p for r in BUNDLED.rules_for(profile) for p in r.when.paths()}
    assert paths <= set(function.__code__.co_consts)  # type: ignore[attr-defined]
    assert not paths & names


def test_nothing_but_paths_and_rule_values_becomes_a_constant_of_the_code() -> None:
    data = SYNTHETIC.model_dump(by_alias=True)
    data["rules"][0]["message"] = "__import__('os').system('exit 1') or a message"
    kb = KnowledgeBase.model_validate(data)
    evaluator = CompiledRules(kb)._evaluators[Profile.DISC_HERNIATION]
    code = evaluator.__code__  # type: ignore[attr-defined]
    texts = {c for c in code.co_consts if isinstance(c, str)}
    assert not any("import" in t for t in texts)
    words = {v for r in kb.rules for v in _values(r.when)}
    assert texts <= {p for r in kb.rules for p in r.when.paths()} | words | {
        "patient.pregnancy_weeks",
        "symptoms.onset_date",
        "assessed_on",
    }


def _values(node: object) -> set[str]:
    found: set[str] = set()
    value = getattr(node, "value", None)
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str):
            found.add(item)
    for name in ("all", "any"):
        for part in getattr(node, name, None) or []:
            found |= _values(part)
    if getattr(node, "not_", None) is not None:
        found |= _values(node.not_)  # type: ignore[attr-defined]
    return found
