"""Every golden case in tests/data/cases gives its expected decision (new ones are picked up)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from tests.conftest import ALL_CASE_FILES, CASE_FILES, NONSPECIFIC_CASE_FILES

from spinewise.kb import KnowledgeBase
from spinewise.models import Assessment
from spinewise.screening import screen, screen_interpreted


def expected_for(case: Path) -> dict[str, object]:
    return dict(json.loads(case.with_name(f"{case.stem}.expected.json").read_text()))


def test_the_golden_cases_are_in_the_repository() -> None:
    assert len(CASE_FILES) >= 10
    assert len(NONSPECIFIC_CASE_FILES) >= 7


@pytest.mark.parametrize("case", ALL_CASE_FILES, ids=[c.stem for c in ALL_CASE_FILES])
def test_example_gives_its_expected_decision(case: Path, kb: KnowledgeBase) -> None:
    expected = expected_for(case)
    decision = screen(Assessment.model_validate(yaml.safe_load(case.read_text())), kb)

    assert decision.profile == expected.get("profile", "disc_herniation")
    assert decision.verdict == expected["verdict"]
    statuses = {m.value: d.status.value for m, d in decision.modalities.items()}
    assert statuses == {
        m: v["status"]
        for m, v in expected["modalities"].items()  # type: ignore[attr-defined]
    }
    assert decision.fired_rules() == expected["rules"]
    assert decision.rescreen_after_days == expected["rescreen_after_days"]
    assert decision.missing == expected["missing"]


@pytest.mark.parametrize("case", ALL_CASE_FILES, ids=[c.stem for c in ALL_CASE_FILES])
def test_every_finding_traces_to_a_rule_and_a_source(
    case: Path, kb: KnowledgeBase
) -> None:
    decision = screen(Assessment.model_validate(yaml.safe_load(case.read_text())), kb)
    for finding in decision.findings:
        rule = kb.rule(finding.rule)
        assert finding.message == rule.message
        assert finding.source == rule.source
        assert finding.citation == kb.sources[rule.source].citation


@pytest.mark.parametrize("case", ALL_CASE_FILES, ids=[c.stem for c in ALL_CASE_FILES])
def test_reference_interpreter_gives_the_same_decision(
    case: Path, kb: KnowledgeBase
) -> None:
    assessment = Assessment.model_validate(yaml.safe_load(case.read_text()))
    assert screen_interpreted(assessment, kb) == screen(assessment, kb)


@pytest.mark.parametrize(
    "case", NONSPECIFIC_CASE_FILES, ids=[c.stem for c in NONSPECIFIC_CASE_FILES]
)
def test_a_nonspecific_case_never_lists_a_hernia_field_nor_a_herniation_rule(
    case: Path, kb: KnowledgeBase
) -> None:
    decision = screen(Assessment.model_validate(yaml.safe_load(case.read_text())), kb)
    herniation_only = {r.id for r in kb.rules if r.profiles == ["disc_herniation"]}
    assert not any(p.startswith("hernia.") for p in decision.missing)
    assert not {f.rule for f in decision.findings} & herniation_only
    for modality in decision.modalities.values():
        assert not {*modality.rules, *modality.undetermined_rules} & herniation_only


def test_acute_irritable_pain_defers_a_herniation_but_not_nonspecific_pain(
    kb: KnowledgeBase,
) -> None:
    """Example 9.7's contrast: the one place the two profiles differ on purpose."""
    data = yaml.safe_load(
        (NONSPECIFIC_CASE_FILES[0].parent / "ns-07-acute-irritable.json").read_text()
    )
    del data["condition"]
    data["hernia"] = {"region": "lumbar", "levels": ["L4-L5"]}
    decision = screen(Assessment.model_validate(data), kb)
    assert decision.profile == "disc_herniation"
    assert decision.verdict == "not_now"
    assert decision.rescreen_after_days == 7
    assert {"DF-ACU-01", "DF-ACU-02"} <= set(decision.fired_rules())
