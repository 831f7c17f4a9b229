"""The compiled path's decision table builds the reference ``decide()``'s decision."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from spinewise.kb import load_kb
from spinewise.screening import (
    assessments_of,
    compile_rules,
    facts_reader,
    generate_cohort,
    screen,
    screen_interpreted,
)

BUNDLED = load_kb()


def test_a_generated_cohort_gets_byte_identical_decisions_from_both_paths() -> None:
    cohort = generate_cohort(1_500, assessed_on=dt.date(2026, 11, 24), seed=7)
    for assessment in assessments_of(cohort):
        fast = json.dumps(screen(assessment, BUNDLED).to_contract())
        reference = json.dumps(screen_interpreted(assessment, BUNDLED).to_contract())
        assert fast == reference


def test_findings_are_built_once_and_shared_between_decisions() -> None:
    cohort = generate_cohort(50, assessed_on=dt.date(2026, 11, 24), seed=3)
    fired = [f for a in assessments_of(cohort) for f in screen(a, BUNDLED).findings]
    by_key = {(f.rule, f.state, f.rescreen_after_days): f for f in fired}
    assert all(f is by_key[(f.rule, f.state, f.rescreen_after_days)] for f in fired)


def test_results_of_another_rule_set_are_refused() -> None:
    table = compile_rules(BUNDLED).table
    assessment = next(
        iter(
            assessments_of(
                generate_cohort(1, assessed_on=dt.date(2026, 11, 24), seed=1)
            )
        )
    )
    with pytest.raises(ValueError, match="another rule set"):
        table.decide(assessment, [], facts_reader()(assessment))
