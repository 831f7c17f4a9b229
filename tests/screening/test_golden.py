"""Every golden case in tests/data/cases gives its expected decision (new ones are picked up)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from tests.conftest import CASE_FILES

from spinewise.kb import KnowledgeBase
from spinewise.models import Assessment
from spinewise.screening import screen, screen_interpreted


def expected_for(case: Path) -> dict[str, object]:
    return dict(json.loads(case.with_name(f"{case.stem}.expected.json").read_text()))


def test_the_golden_cases_are_in_the_repository() -> None:
    assert len(CASE_FILES) >= 10


@pytest.mark.parametrize("case", CASE_FILES, ids=[c.stem for c in CASE_FILES])
def test_example_gives_its_expected_decision(case: Path, kb: KnowledgeBase) -> None:
    expected = expected_for(case)
    decision = screen(Assessment.model_validate(yaml.safe_load(case.read_text())), kb)

    assert decision.verdict == expected["verdict"]
    statuses = {m.value: d.status.value for m, d in decision.modalities.items()}
    assert statuses == {
        m: v["status"]
        for m, v in expected["modalities"].items()  # type: ignore[attr-defined]
    }
    assert decision.fired_rules() == expected["rules"]
    assert decision.rescreen_after_days == expected["rescreen_after_days"]
    assert decision.missing == expected["missing"]


@pytest.mark.parametrize("case", CASE_FILES, ids=[c.stem for c in CASE_FILES])
def test_every_finding_traces_to_a_rule_and_a_source(
    case: Path, kb: KnowledgeBase
) -> None:
    decision = screen(Assessment.model_validate(yaml.safe_load(case.read_text())), kb)
    for finding in decision.findings:
        rule = kb.rule(finding.rule)
        assert finding.message == rule.message
        assert finding.source == rule.source
        assert finding.citation == kb.sources[rule.source].citation


@pytest.mark.parametrize("case", CASE_FILES, ids=[c.stem for c in CASE_FILES])
def test_reference_interpreter_gives_the_same_decision(
    case: Path, kb: KnowledgeBase
) -> None:
    assessment = Assessment.model_validate(yaml.safe_load(case.read_text()))
    assert screen_interpreted(assessment, kb) == screen(assessment, kb)
