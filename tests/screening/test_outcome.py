"""``screen()``'s generated outcome function and its finish give ``decide()``'s decision."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

from hypothesis import given, settings
from tests.screening.synthetic import synthetic_kb
from tests.strategies import assessments

from spinewise.kb import KnowledgeBase, Rule, load_kb
from spinewise.models import Assessment, Profile, assessment_fields
from spinewise.screening import (
    CompiledRules,
    assessments_of,
    generate_cohort,
    screen,
    screen_interpreted,
)

BUNDLED = load_kb()
SYNTHETIC = synthetic_kb()


def _same_json(assessment: Assessment, kb: KnowledgeBase) -> None:
    fast = json.dumps(screen(assessment, kb).to_contract())
    reference = json.dumps(screen_interpreted(assessment, kb).to_contract())
    assert fast == reference


def test_thousands_of_generated_patients_of_every_profile_decide_byte_identically() -> (
    None
):
    profiles: Counter[Profile] = Counter()
    for seed in (11, 12):
        cohort = generate_cohort(
            1_500, assessed_on=dt.date(2026, 11, 24), seed=seed, nonspecific_percent=40
        )
        for assessment in assessments_of(cohort):
            profiles[assessment.profile] += 1
            _same_json(assessment, BUNDLED)
    assert set(profiles) == set(Profile)


@settings(max_examples=300, deadline=None)
@given(assessments())
def test_hypothesis_assessments_decide_byte_identically_under_both_knowledge_bases(
    assessment: Assessment,
) -> None:
    _same_json(assessment, BUNDLED)
    _same_json(assessment, SYNTHETIC)


def test_what_finish_remembers_does_not_leak_between_patients() -> None:
    cohort = list(
        assessments_of(generate_cohort(400, assessed_on=dt.date(2026, 11, 24), seed=5))
    )
    first = [screen(a, BUNDLED).to_contract() for a in cohort]
    again = [screen(a, BUNDLED).to_contract() for a in reversed(cohort)]
    assert first == list(reversed(again))


def test_each_decision_has_lists_of_its_own() -> None:
    assessment = next(
        iter(assessments_of(generate_cohort(1, assessed_on=dt.date(2026, 11, 24))))
    )
    one, two = screen(assessment, BUNDLED), screen(assessment, BUNDLED)
    assert one == two
    assert one.findings is not two.findings
    assert one.missing is not two.missing
    for modality, decision in one.modalities.items():
        assert decision.rules is not two.modalities[modality].rules


def test_the_outcome_function_sees_only_names_the_compiler_gave_it() -> None:
    compiled = CompiledRules(SYNTHETIC)
    paths = set(assessment_fields())
    attributes = {"append", "add", "days"} | {
        part for path in paths for part in path.split(".")
    }
    for profile in Profile:
        function = compiled._outcomes[profile]
        namespace = function.__globals__  # type: ignore[attr-defined]
        assert namespace["__builtins__"] == {}
        code = function.__code__  # type: ignore[attr-defined]
        assert set(code.co_names) <= set(namespace) | attributes
        rules = SYNTHETIC.rules_for(profile)
        texts = {c for c in code.co_consts if isinstance(c, str)}
        assert texts <= {r.id for r in rules} | paths | _values_of(rules)


def _values_of(rules: list[Rule]) -> set[str]:
    found: set[str] = set()

    def walk(node: object) -> None:
        value = getattr(node, "value", None)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                found.add(item)
        for name in ("all", "any"):
            for part in getattr(node, name, None) or []:
                walk(part)
        inner = getattr(node, "not_", None)
        if inner is not None:
            walk(inner)

    for rule in rules:
        walk(rule.when)
    return found
