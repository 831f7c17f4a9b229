"""``spinewise screen``: the contract's output, exit codes and field-named errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.conftest import CASES, NONSPECIFIC_CASES
from tests.factories import assessment_data
from typer.testing import CliRunner

from spinewise.cli import app

runner = CliRunner()


def run(*args: str) -> Any:
    return runner.invoke(app, list(args))


def write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(
        json.dumps(data) if name.endswith(".json") else yaml.safe_dump(data)
    )
    return path


def test_screening_the_examples_folder_matches_every_expected_decision() -> None:
    result = run("screen", str(CASES), "--json")
    assert result.exit_code == 0, result.stderr
    decisions = json.loads(result.stdout)
    names = sorted(p.name for p in CASES.glob("*.yaml"))
    assert [d["source"] for d in decisions] == names
    for decision in decisions:
        stem = decision["source"].removesuffix(".yaml")
        expected = json.loads((CASES / f"{stem}.expected.json").read_text())
        assert decision["verdict"] == expected["verdict"]
        assert decision["missing"] == expected["missing"]
        assert decision["rescreen_after_days"] == expected["rescreen_after_days"]
        assert [f["rule"] for f in decision["findings"]] == expected["rules"]


def test_the_nonspecific_examples_screen_with_their_profile_and_verdict() -> None:
    files = sorted(NONSPECIFIC_CASES.glob("ns-*[0-9a-z].json"))
    files = [f for f in files if not f.name.endswith(".expected.json")]
    result = run("screen", *map(str, files), "--json")
    assert result.exit_code == 0, result.stderr
    for decision, case in zip(json.loads(result.stdout), files, strict=True):
        expected = json.loads(case.with_name(f"{case.stem}.expected.json").read_text())
        assert decision["profile"] == "nonspecific_back_pain"
        assert decision["verdict"] == expected["verdict"]


def test_radicular_pain_under_nonspecific_is_a_decision_not_bad_input() -> None:
    case = NONSPECIFIC_CASES / "ns-03-radicular-not-this-profile.json"
    result = run("screen", str(case), "--json")
    assert result.exit_code == 0
    decision = json.loads(result.stdout)
    assert decision["verdict"] == "not_suitable"
    assert decision["findings"][0]["rule"] == "CI-PRF-01"
    assert "disc_herniation profile" in decision["findings"][0]["message"]


def test_one_file_prints_one_decision_with_every_contract_key(tmp_path: Path) -> None:
    result = run("screen", str(write(tmp_path, "a.json", assessment_data())), "--json")
    assert result.exit_code == 0
    decision = json.loads(result.stdout)
    assert decision["schema"] == "spinewise.decision/1"
    assert set(decision) >= {
        "verdict",
        "summary",
        "rescreen_after_days",
        "modalities",
        "findings",
        "missing",
        "kb_version",
        "engine_version",
    }


def test_readable_report_shows_verdict_modalities_and_sources() -> None:
    result = run("screen", str(CASES / "06-anticoagulants.yaml"))
    assert result.exit_code == 0
    for text in (
        "PROCEED",
        "vacuum",
        "contraindicated",
        "CI-VAC-01",
        "ABOUSHANAB-2018",
    ):
        assert text in result.stdout


def test_readable_report_lists_missing_answers_and_rescreen_date() -> None:
    assert (
        "red_flags.bowel_dysfunction"
        in run("screen", str(CASES / "04-red-flag-unknown.yaml")).stdout
    )
    assert "2026-12-01" in run("screen", str(CASES / "05-acute-not-now.yaml")).stdout


BAD_INPUTS = [
    pytest.param({"patient": {"age": "old"}}, "patient.age", id="wrong-type"),
    pytest.param({"patient": {"age": 130}}, "patient.age", id="out-of-range"),
    pytest.param({"symptoms": {"pain_nrs": 11}}, "symptoms.pain_nrs", id="nrs-range"),
    pytest.param(
        {"hernia": {"region": "cervical", "levels": ["L4-L5"]}},
        "hernia.levels[0]",
        id="level-outside-region",
    ),
    pytest.param(
        {"symptoms": {"onset_date": "2026-12-01"}},
        "symptoms.onset_date",
        id="onset-after-assessment",
    ),
    pytest.param(
        {"clearance": {"date": "2026-11-20", "valid_until": "2026-11-01"}},
        "clearance.valid_until",
        id="clearance-ends-before-it-starts",
    ),
    pytest.param({"schema": "spinewise.assessment/9"}, "schema", id="unknown-schema"),
    pytest.param({"red_flags": {"fever": "maybe"}}, "red_flags.fever", id="not-a-bool"),
    pytest.param({"hernia": {"side": "up"}}, "hernia.side", id="unknown-enum"),
    pytest.param({"patient": {"height": 180}}, "patient.height", id="unknown-field"),
    pytest.param(
        {"condition": {"profile": "sciatica"}}, "condition.profile", id="bad-profile"
    ),
    pytest.param(
        {"condition": {"profile": "nonspecific_back_pain", "region": "lumbar"}},
        "hernia",
        id="hernia-under-nonspecific",
    ),
    pytest.param(
        {"condition": {"profile": "nonspecific_back_pain"}, "hernia": None},
        "condition.region",
        id="nonspecific-without-region",
    ),
    pytest.param(
        {"condition": {"region": "cervical"}},
        "condition.region",
        id="region-contradicts-hernia",
    ),
    pytest.param({"hernia": None}, "hernia", id="herniation-without-hernia"),
    pytest.param(
        {"condition": {"start_back_group": "huge"}},
        "condition.start_back_group",
        id="bad-start-back-group",
    ),
    pytest.param(
        {"condition": {"sedentary": "often"}}, "condition.sedentary", id="bad-sedentary"
    ),
]


@pytest.mark.parametrize(("override", "field"), BAD_INPUTS)
def test_invalid_input_exits_2_naming_file_and_field(
    tmp_path: Path, override: dict[str, Any], field: str
) -> None:
    path = write(tmp_path, "bad.yaml", assessment_data(**override))
    result = run("screen", str(path), "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"{path}: {field}:" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_required_section_is_named(tmp_path: Path) -> None:
    data = assessment_data()
    del data["symptoms"]
    result = run("screen", str(write(tmp_path, "bad.json", data)))
    assert result.exit_code == 2
    assert "symptoms: required" in result.stderr


def test_broken_json_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{not json")
    result = run("screen", str(path))
    assert result.exit_code == 2
    assert f"{path}: (document): not valid JSON" in result.stderr


def test_every_bad_file_is_reported_and_nothing_is_printed(tmp_path: Path) -> None:
    good = write(tmp_path, "a.yaml", assessment_data())
    bad = write(tmp_path, "b.yaml", assessment_data(patient={"age": -1}))
    result = run("screen", str(good), str(bad), "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "b.yaml: patient.age" in result.stderr


def test_python_dash_m_runs_the_same_command_without_a_traceback(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, "bad.yaml", assessment_data(patient={"age": 300}))
    done = subprocess.run(
        [sys.executable, "-m", "spinewise", "screen", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "patient.age" in done.stderr
    assert "Traceback" not in done.stderr
