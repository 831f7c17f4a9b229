"""techniques.yaml is validated at load: figures, sources, rules and coverage."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from spinewise.errors import KnowledgeBaseError
from spinewise.kb import KnowledgeBase, bundled_kb_path, load_kb
from spinewise.models import Modality, Severity

STOP_RULES = [
    "SR-NEU",
    "SR-PAIN",
    "SR-PERIPH",
    "SR-CARDIO",
    "SR-SKIN",
    "SR-ASK",
    "SR-LIMB",  # non-specific profile (5.6)
    "SR-CAD",  # non-specific neck pain (5.6)
]


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "kb"
    shutil.copytree(bundled_kb_path(), folder)
    return folder


def edit(folder: Path, old: str, new: str) -> None:
    path = folder / "techniques.yaml"
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_the_course_figures_of_section_5_are_in_the_data(kb: KnowledgeBase) -> None:
    techniques = kb.techniques
    assert techniques is not None
    sessions = {m: s.sessions.value for m, s in techniques.modalities.items()}
    assert sessions == {
        Modality.CLASSICAL: 10,
        Modality.VACUUM: 8,
        Modality.HYDROMASSAGE: 10,
    }
    hydro = techniques.modalities[Modality.HYDROMASSAGE].hydromassage
    assert hydro is not None and hydro.water_celsius == (34, 36)
    vacuum = techniques.modalities[Modality.VACUUM].vacuum
    assert vacuum is not None and vacuum.unconfirmed
    assert techniques.progression.first_sessions_at_level_1 == 2


def test_the_stop_rules_of_5_6_are_data_with_sources(kb: KnowledgeBase) -> None:
    techniques = kb.techniques
    assert techniques is not None
    assert [r.id for r in techniques.stop_rules] == STOP_RULES
    assert all(r.source in kb.sources for r in techniques.stop_rules)
    assert techniques.stop_rule("SR-PAIN").pain_rise_nrs == 2


def test_every_precaution_changes_something_for_each_of_its_modalities(
    kb: KnowledgeBase,
) -> None:
    techniques = kb.techniques
    assert techniques is not None
    for rule in kb.rules:
        if rule.severity is Severity.PRECAUTION:
            covered = {m for c in techniques.changes_for(rule.id) for m in c.modalities}
            covered |= {
                m
                for z in techniques.zones.zones
                if z.rule == rule.id
                for m in (z.modalities or rule.targets)
            }
            if any(w.rule == rule.id for w in techniques.zones.widened_margins):
                covered |= set(rule.targets)
            assert covered >= set(rule.targets), rule.id


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        pytest.param(
            "sources: [KOVACS-2003]",
            "sources: [KOVACS-2004]",
            "unknown source id",
            id="source",
        ),
        pytest.param(
            "when_rule: IN-CES-01", "when_rule: IN-CES-09", "unknown rule id", id="rule"
        ),
        pytest.param(
            "  - rule: PC-HTN-01\n",
            "  - rule: PC-XXX-01\n",
            "PC-HTN-01 changes nothing",
            id="coverage",
        ),
        pytest.param(
            "      - modalities: [vacuum]\n        max_level: 1\n        check: Measure",
            "      - modalities: [classical]\n        max_level: 1\n        check: Measure",
            "does not touch classical",
            id="foreign-modality",
        ),
        pytest.param(
            "gaps_days: {value: [3, 4]",
            "gaps_days: {value: [1, 6]",
            "greater than or equal to 2",
            id="consecutive-days",
        ),
        pytest.param(
            "gaps_days: {value: [3, 4]",
            "gaps_days: {value: [7]",
            "allowed: 2 or 3 a week",
            id="once-a-week",
        ),
        pytest.param(
            "        intensity: [1, 3]\n",
            "        intensity: [1, 4]\n",
            "intensity",
            id="intensity-above-the-levels",
        ),
        pytest.param(
            "    paraspinal: [C7, S2]", "    paraspinal: [S2, C7]", "below", id="span"
        ),
    ],
)
def test_a_wrong_techniques_file_does_not_load(
    kb_copy: Path, old: str, new: str, problem: str
) -> None:
    edit(kb_copy, old, new)
    with pytest.raises(KnowledgeBaseError) as caught:
        load_kb(kb_copy)
    assert "techniques.yaml" in str(caught.value)
    assert problem in str(caught.value)


def test_a_knowledge_base_without_techniques_still_screens(kb_copy: Path) -> None:
    (kb_copy / "techniques.yaml").unlink()
    assert load_kb(kb_copy).techniques is None
