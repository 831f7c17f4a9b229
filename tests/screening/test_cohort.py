"""The columnar cohort path: layout, inputs, chunks, diffs and the synthetic cohort."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import yaml
from tests.conftest import CASE_FILES
from tests.factories import make_assessment

from spinewise.errors import InputError
from spinewise.kb import KnowledgeBase
from spinewise.models import Assessment, Modality, assessment_fields
from spinewise.screening import (
    assessments_of,
    cohort_frame,
    cohort_schema,
    diff_cohorts,
    generate_cohort,
    rule_column,
    screen,
    screen_cohort,
    status_column,
)

DAY = dt.date(2026, 11, 24)


def examples() -> list[Assessment]:
    return [
        Assessment.model_validate(yaml.safe_load(p.read_text())) for p in CASE_FILES
    ]


def with_rule(kb: KnowledgeBase, rule_id: str, **when: Any) -> KnowledgeBase:
    data = kb.model_dump(by_alias=True)
    for rule in data["rules"]:
        if rule["id"] == rule_id:
            rule["when"] = when
    return KnowledgeBase.model_validate(data)


def test_the_layout_has_a_column_per_field_path_and_the_clearance() -> None:
    schema = cohort_schema()
    assert set(assessment_fields()) < set(schema)
    assert schema["hernia.levels"] == pl.List(pl.String)
    assert schema["symptoms.onset_date"] == pl.Date
    assert schema["red_flags.fever"] == pl.Boolean
    assert "unknown" not in schema["patient.sex"].categories  # type: ignore[attr-defined]
    assert [c for c in schema if c.startswith("clearance.")] == [
        "clearance.status",
        "clearance.date",
        "clearance.valid_until",
        "clearance.excluded_modalities",
    ]


def test_a_cohort_frame_turns_back_into_the_same_assessments() -> None:
    batch = [*examples(), make_assessment(clearance=None)]
    frame = cohort_frame(batch, patient_ids=[f"p{i}" for i in range(len(batch))])
    assert frame.columns[0] == "patient_id"
    for original, back in zip(batch, assessments_of(frame), strict=True):
        expected = original.to_contract()
        if expected["clearance"]:
            expected["clearance"]["physician"] = None  # not a column of the layout
        assert back.to_contract() == expected


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_columnar_results_match_the_expected_examples(
    path: Path, kb: KnowledgeBase
) -> None:
    assessment = Assessment.model_validate(yaml.safe_load(path.read_text()))
    expected = json.loads(path.with_name(path.stem + ".expected.json").read_text())
    row = screen_cohort(cohort_frame([assessment]), kb).row(0, named=True)
    assert row["verdict"] == expected["verdict"]
    for modality, part in expected["modalities"].items():
        assert row[f"status.{modality}"] == part["status"]
    assert row["missing"] == expected["missing"]
    assert row["rescreen_after_days"] == expected["rescreen_after_days"]
    fired = [r.id for r in kb.rules if row[rule_column(r)] is True]
    assert fired == expected["rules"]


def test_parquet_and_arrow_inputs_give_the_same_result(
    tmp_path: Path, kb: KnowledgeBase
) -> None:
    frame = generate_cohort(2_000, assessed_on=DAY, seed=7)
    frame.write_parquet(tmp_path / "cohort.parquet")
    direct = screen_cohort(frame, kb)
    assert screen_cohort(pl.read_parquet(tmp_path / "cohort.parquet"), kb).equals(
        direct
    )
    assert screen_cohort(frame.to_arrow(), kb).equals(direct)


def test_string_columns_with_the_word_unknown_are_read_as_unknown(
    kb: KnowledgeBase,
) -> None:
    frame = cohort_frame([make_assessment(hernia={"morphology": "unknown"})])
    as_text = frame.with_columns(
        pl.lit("unknown").alias("hernia.morphology"),
        pl.col("patient.sex").cast(pl.String),
        pl.col("patient.age").cast(pl.Int64),
    )
    assert screen_cohort(as_text, kb).equals(screen_cohort(frame, kb))
    assert screen_cohort(frame, kb)["missing"].to_list() == [["hernia.morphology"]]


def test_a_missing_column_is_named_in_the_error(kb: KnowledgeBase) -> None:
    frame = cohort_frame([make_assessment()]).drop("red_flags.fever", "clearance.date")
    with pytest.raises(InputError) as raised:
        screen_cohort(frame, kb)
    assert [p.field for p in raised.value.problems] == [
        "red_flags.fever",
        "clearance.date",
    ]


def test_a_null_in_a_required_column_is_refused(kb: KnowledgeBase) -> None:
    frame = cohort_frame([make_assessment()]).with_columns(
        pl.lit(None, pl.Int16).alias("symptoms.pain_nrs")
    )
    with pytest.raises(InputError, match=r"symptoms.pain_nrs: 1 null value"):
        screen_cohort(frame, kb)


def test_a_word_outside_an_enum_is_refused(kb: KnowledgeBase) -> None:
    frame = cohort_frame([make_assessment()]).with_columns(
        pl.lit("sideways").alias("hernia.side")
    )
    with pytest.raises(InputError, match="sideways"):
        screen_cohort(frame, kb)


def test_chunked_screening_equals_one_pass_and_reports_progress(
    kb: KnowledgeBase,
) -> None:
    frame = generate_cohort(10_001, assessed_on=DAY, seed=3)
    seen: list[int] = []
    chunked = screen_cohort(frame, kb, chunk_rows=3_000, progress=seen.append)
    assert seen == [3_000, 3_000, 3_000, 1_001]
    assert chunked.equals(screen_cohort(frame, kb, chunk_rows=20_000))
    assert chunked["patient_id"].to_list() == list(range(1, 10_002))


def test_an_empty_cohort_gives_an_empty_result(kb: KnowledgeBase) -> None:
    result = screen_cohort(cohort_frame([]), kb)
    assert result.height == 0
    assert {"verdict", "missing", status_column(Modality.VACUUM)} <= set(result.columns)


def test_only_what_the_results_need_is_returned(kb: KnowledgeBase) -> None:
    result = screen_cohort(cohort_frame([make_assessment()]), kb)
    assert not [c for c in result.columns if c.startswith("_")]
    assert not [c for c in result.columns if c.startswith("rescreen.")]
    assert len([c for c in result.columns if c.startswith("rule.")]) == len(kb.rules)
    assert (
        "missing"
        not in screen_cohort(
            cohort_frame([make_assessment()]), kb, with_missing=False
        ).columns
    )


def test_diff_names_the_patients_and_rules_a_kb_change_affects(
    kb: KnowledgeBase,
) -> None:
    longer = with_rule(
        kb, "DF-ACU-01", days_since="symptoms.onset_date", op="lt", value=21
    )
    batch = [
        make_assessment(symptoms={"onset_date": "2026-11-08"}),  # day 16: now acute
        make_assessment(symptoms={"onset_date": "2026-09-01"}),
        make_assessment(symptoms={"onset_date": "2026-11-20"}),  # acute in both
    ]
    changed = diff_cohorts(cohort_frame(batch, patient_ids=["a", "b", "c"]), kb, longer)
    assert changed["patient_id"].to_list() == ["a"]
    assert changed["row"].to_list() == [0]
    assert changed.row(0, named=True)["verdict.old"] == "proceed"
    assert changed.row(0, named=True)["verdict.new"] == "not_now"
    assert changed["changed_rules"].to_list() == [["DF-ACU-01"]]


def test_a_rule_in_one_knowledge_base_only_counts_as_not_fired_in_the_other(
    kb: KnowledgeBase,
) -> None:
    data = kb.model_dump(by_alias=True)
    data["rules"] = [r for r in data["rules"] if r["id"] != "CI-VAC-01"]
    without = KnowledgeBase.model_validate(data)
    frame = cohort_frame([make_assessment(medications={"anticoagulants": True})])
    changed = diff_cohorts(frame, kb, without)
    assert changed["changed_rules"].to_list() == [["CI-VAC-01"]]
    assert changed["status.vacuum.old"].to_list() == ["contraindicated"]
    assert diff_cohorts(frame, kb, kb).height == 0


def test_a_generated_cohort_is_valid_and_the_same_for_the_same_seed(
    kb: KnowledgeBase,
) -> None:
    frame = generate_cohort(3_000, assessed_on=DAY, seed=5)
    assert frame.equals(generate_cohort(3_000, assessed_on=DAY, seed=5))
    assert not frame.equals(generate_cohort(3_000, assessed_on=DAY, seed=6))
    assert frame.schema == pl.Schema({"patient_id": pl.Int64, **cohort_schema()})
    assert frame["assessed_on"].max() <= DAY  # type: ignore[operator]
    decided = [screen(a, kb).verdict.value for a in assessments_of(frame.head(300))]
    assert (
        decided
        == screen_cohort(frame.head(300), kb)["verdict"].cast(pl.String).to_list()
    )
