"""``spinewise cohort screen | diff | generate`` on Parquet files."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from spinewise.cli import app
from spinewise.kb import bundled_kb_path

runner = CliRunner()


def generated(tmp_path: Path, rows: int = 5_000) -> Path:
    path = tmp_path / "cohort.parquet"
    result = runner.invoke(
        app, ["cohort", "generate", str(rows), str(path), "--assessed-on", "2026-11-24"]
    )
    assert result.exit_code == 0, result.output
    return path


def test_generate_writes_a_cohort_of_the_asked_size(tmp_path: Path) -> None:
    frame = pl.read_parquet(generated(tmp_path, 1_234))
    assert frame.height == 1_234
    assert str(frame["assessed_on"].max()) <= "2026-11-24"
    profiles = frame["condition.profile"].cast(pl.String).fill_null("disc_herniation")
    assert set(profiles) == {"disc_herniation", "nonspecific_back_pain"}
    nonspecific = frame.filter(profiles == "nonspecific_back_pain")
    assert nonspecific["hernia.region"].null_count() == nonspecific.height
    assert nonspecific["condition.region"].null_count() == 0


def test_screen_prints_counts_and_writes_the_results(tmp_path: Path) -> None:
    out = tmp_path / "results.parquet"
    result = runner.invoke(
        app,
        [
            "cohort",
            "screen",
            str(generated(tmp_path)),
            "--out",
            str(out),
            "--chunk-rows",
            "1000",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "awaiting_clearance" in result.output and "with_precautions" in result.output
    assert "5,000 assessments screened" in result.output
    screened = pl.read_parquet(out)
    assert screened.height == 5_000
    assert screened["verdict"].null_count() == 0


def test_diff_names_the_changes_between_two_knowledge_bases(tmp_path: Path) -> None:
    new = tmp_path / "kb"
    shutil.copytree(bundled_kb_path(), new)
    defers = new / "rules" / "20-defers.yaml"
    text = defers.read_text().replace(
        "when: {days_since: symptoms.onset_date, op: lt, value: 14}",
        "when: {days_since: symptoms.onset_date, op: lt, value: 21}",
    )
    defers.write_text(text)
    out = tmp_path / "changed.parquet"
    result = runner.invoke(
        app,
        [
            "cohort",
            "diff",
            str(generated(tmp_path)),
            "--kb",
            str(bundled_kb_path()),
            "--kb",
            str(new),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "DF-ACU-01" in result.output
    assert "changes per profile" in result.output
    assert "nonspecific_back_pain" in result.output
    changed = pl.read_parquet(out)
    assert changed.height > 0
    assert changed["changed_rules"].to_list() == [["DF-ACU-01"]] * changed.height
    assert "not_now" in changed["verdict.new"].cast(pl.String).to_list()


def test_diff_needs_two_knowledge_bases(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "cohort",
            "diff",
            str(generated(tmp_path, 10)),
            "--kb",
            str(bundled_kb_path()),
        ],
    )
    assert result.exit_code == 2
    assert "--kb" in result.output


def test_a_file_that_is_not_parquet_exits_2_naming_it(tmp_path: Path) -> None:
    bad = tmp_path / "cohort.parquet"
    bad.write_text("not parquet")
    result = runner.invoke(app, ["cohort", "screen", str(bad)])
    assert result.exit_code == 2
    assert "cohort.parquet" in result.output


def test_a_cohort_without_a_needed_column_exits_2_naming_it(tmp_path: Path) -> None:
    path = generated(tmp_path, 10)
    pl.read_parquet(path).drop("red_flags.fever").write_parquet(path)
    result = runner.invoke(app, ["cohort", "screen", str(path)])
    assert result.exit_code == 2
    assert "red_flags.fever: column missing" in result.output
