"""The knowledge base refuses to load when a rule is wrong, naming file, rule, problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from spinewise.errors import KnowledgeBaseError
from spinewise.kb import bundled_kb_path, load_kb
from spinewise.models import Profile, Severity


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "kb"
    shutil.copytree(bundled_kb_path(), folder)
    return folder


def edit(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text()
    assert old in text, f"{old!r} not in {file}"
    path.write_text(text.replace(old, new, 1))


def test_bundled_kb_has_79_rules_with_version(kb_copy: Path) -> None:
    kb = load_kb(kb_copy)
    assert kb.version == "2026.12"
    assert kb.counts_by_severity() == {
        Severity.RED_FLAG: 13,
        Severity.DEFER: 9,
        Severity.CONTRAINDICATION: 20,
        Severity.PRECAUTION: 24,
        Severity.INFO: 13,
    }


def test_each_profile_has_its_rules(kb_copy: Path) -> None:
    kb = load_kb(kb_copy)
    herniation = kb.rules_for(Profile.DISC_HERNIATION)
    nonspecific = kb.rules_for(Profile.NONSPECIFIC_BACK_PAIN)
    assert (len(herniation), len(nonspecific)) == (64, 69)
    assert len({r.id for r in herniation} & {r.id for r in nonspecific}) == 54
    assert not any(
        path.startswith("hernia.") for rule in nonspecific for path in rule.when.paths()
    )


def test_every_rule_source_resolves_to_a_citation(kb_copy: Path) -> None:
    kb = load_kb(kb_copy)
    assert all(rule.source in kb.sources for rule in kb.rules)


@pytest.mark.parametrize(
    ("file", "old", "new", "rule", "problem"),
    [
        pytest.param(
            "rules/10-red-flags.yaml",
            "red_flags.saddle_anaesthesia",
            "red_flags.saddle_numbness",
            "RF-CES-01",
            "unknown field path",
            id="unknown-field-path",
        ),
        pytest.param(
            "rules/10-red-flags.yaml",
            "{field: red_flags.bladder_dysfunction, op: eq, value: true}",
            "{field: red_flags.bladder_dysfunction, op: eq, value: 3}",
            "RF-CES-02",
            "does not fit",
            id="wrong-value-type",
        ),
        pytest.param(
            "rules/40-precautions.yaml",
            "value: [extrusion, sequestration]",
            "value: [extruded, sequestration]",
            "PC-MOR-01",
            "allowed: one of",
            id="unknown-enum-value",
        ),
        pytest.param(
            "rules/10-red-flags.yaml",
            "source: GIRFT-CES-2023",
            "source: GIRFT-CES-2099",
            "RF-CES-01",
            "unknown source id",
            id="unknown-source",
        ),
        pytest.param(
            "rules/20-defers.yaml",
            "id: DF-ACU-02",
            "id: DF-ACU-01",
            "DF-ACU-01",
            "duplicate rule id",
            id="duplicate-id",
        ),
        pytest.param(
            "rules/10-red-flags.yaml",
            "  profiles: [disc_herniation, nonspecific_back_pain]\n",
            "  profiles: [disc_herniation]\n",
            "RF-CES-01",
            "a red flag applies to every profile",
            id="red-flag-in-one-profile",
        ),
        pytest.param(
            "rules/20-defers.yaml",
            "  profiles: [disc_herniation]\n",
            "",
            "DF-ACU-01",
            "profiles: required",
            id="rule-without-profiles",
        ),
        pytest.param(
            "rules/20-defers.yaml",
            "  profiles: [disc_herniation]\n",
            "  profiles: []\n",
            "DF-ACU-01",
            "profiles",
            id="rule-with-no-profile",
        ),
        pytest.param(
            "rules/20-defers.yaml",
            "  profiles: [disc_herniation]\n",
            "  profiles: [whiplash]\n",
            "DF-ACU-01",
            "profiles",
            id="unknown-profile",
        ),
        pytest.param(
            "rules/50-info.yaml",
            "  profiles: [disc_herniation]\n  modalities: all\n  when:\n    all:\n    - {field: hernia.region",
            "  profiles: [nonspecific_back_pain]\n  modalities: all\n  when:\n    all:\n    - {field: hernia.region",
            "IN-CES-01",
            "cannot read hernia",
            id="nonspecific-rule-reading-the-hernia",
        ),
        pytest.param(
            "rules/20-defers.yaml",
            "severity: defer",
            "severity: advice",
            "DF-ACU-01",
            "severity",
            id="unknown-severity",
        ),
        pytest.param(
            "rules/50-info.yaml",
            "when: {always: true}",
            "when: {sometimes: true}",
            "IN-CUR-01",
            "not a condition",
            id="unknown-operator",
        ),
        pytest.param(
            "rules/30-contraindications.yaml",
            "  temporary: true\n",
            "  temporary: false\n",
            "CI-ALL-02",
            "temporary",
            id="lasting-rule-with-rescreen",
        ),
    ],
)
def test_kb_error_names_file_rule_and_problem(
    kb_copy: Path, file: str, old: str, new: str, rule: str, problem: str
) -> None:
    edit(kb_copy, file, old, new)
    with pytest.raises(KnowledgeBaseError) as caught:
        load_kb(kb_copy)
    error = caught.value
    assert error.file.endswith(Path(file).name)
    assert error.rule_id == rule
    assert problem in error.problem


def test_invalid_yaml_names_the_file(kb_copy: Path) -> None:
    (kb_copy / "rules" / "50-info.yaml").write_text("- id: [unclosed\n")
    with pytest.raises(KnowledgeBaseError, match=r"50-info\.yaml.*not valid YAML"):
        load_kb(kb_copy)


def test_missing_version_is_a_load_error(kb_copy: Path) -> None:
    (kb_copy / "VERSION").unlink()
    with pytest.raises(KnowledgeBaseError, match="VERSION"):
        load_kb(kb_copy)


def test_the_ehr_codes_are_validated_at_load(tmp_path: Path) -> None:
    folder = tmp_path / "kb"
    shutil.copytree(bundled_kb_path(), folder)
    codes = folder / "ehr-codes.yaml"
    codes.write_text(
        codes.read_text(encoding="utf-8").replace(
            "answers: red_flags.cancer_history", "answers: red_flags.no_such_field", 1
        ),
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeBaseError) as raised:
        load_kb(folder)
    assert "ehr-codes.yaml" in str(raised.value)
    assert "red_flags.no_such_field" in str(raised.value)


def test_every_confirmed_ehr_code_names_the_page_it_was_checked_on() -> None:
    kb = load_kb()
    for code in [*kb.ehr_codes.answers, *kb.ehr_codes.orders]:
        if code.confirmed:
            assert code.source.startswith("https://"), code.code
