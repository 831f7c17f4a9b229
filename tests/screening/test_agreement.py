"""The interpreter, the compiled rules and the columnar cohort path decide alike.

Hypothesis draws assessments with unknowns everywhere the contract allows; every
evaluator must give the same verdict, modality statuses (with their rules), findings
(ids, states, re-screen days), missing answers and re-screen interval. A generated
cohort of 100,000 assessments is checked row by row, columnar against compiled.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.screening.synthetic import synthetic_kb
from tests.strategies import assessments

from spinewise.kb import KnowledgeBase, load_kb
from spinewise.models import (
    Decision,
    Modality,
    Profile,
    RuleState,
    Severity,
)
from spinewise.screening import (
    assessments_of,
    cohort_frame,
    cohort_screener,
    compile_rules,
    evaluate_rules,
    facts_of,
    facts_reader,
    generate_cohort,
    rule_column,
    screen_cohort,
    screen_compiled,
    screen_interpreted,
    status_column,
)

COHORT_ROWS = 100_000
SYNTHETIC = synthetic_kb()
_STATE = {
    True: RuleState.FIRED,
    False: RuleState.NOT_FIRED,
    None: RuleState.UNDETERMINED,
}


def decision_parts(decision: Decision) -> dict[str, Any]:
    """What every evaluator must agree on, read from a ``Decision``."""
    return {
        "verdict": decision.verdict.value,
        "profile": decision.profile.value,
        "rescreen_after_days": decision.rescreen_after_days,
        "approval_valid": decision.approval_valid,
        "missing": decision.missing,
        "modalities": {
            m.value: (
                d.status.value,
                d.rules,
                d.undetermined_rules,
                d.excluded_by_physician,
            )
            for m, d in decision.modalities.items()
        },
        "findings": [
            (f.rule, f.state.value, f.rescreen_after_days) for f in decision.findings
        ],
    }


class RuleTable:
    """What ``decide`` reads from each rule, looked up once per knowledge base."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.ids = [r.id for r in kb.rules]
        self.columns = [rule_column(r) for r in kb.rules]
        self.by_modality = {
            m: [
                r.id
                for r in kb.rules
                if m in r.targets and r.severity is not Severity.INFO
            ]
            for m in Modality
        }
        self.precautions = {r.id for r in kb.rules if r.severity is Severity.PRECAUTION}
        self.temporary = {r.id for r in kb.rules if r.rescreen_after is not None}


def columnar_parts(row: dict[str, Any], table: RuleTable) -> dict[str, Any]:
    """The same parts, read from one row of ``screen_cohort(..., rescreen_by_rule=True)``."""
    state = {i: _STATE[row[c]] for i, c in zip(table.ids, table.columns, strict=True)}
    modalities = {
        m.value: (
            row[status_column(m)],
            [i for i in mine if state[i] is RuleState.FIRED],
            [i for i in mine if state[i] is RuleState.UNDETERMINED],
            row[f"excluded.{m.value}"],
        )
        for m, mine in table.by_modality.items()
    }
    findings = [
        (i, state[i].value, row[f"rescreen.{i}"] if i in table.temporary else None)
        for i in table.ids
        if state[i] is RuleState.FIRED
        or (state[i] is RuleState.UNDETERMINED and i in table.precautions)
    ]
    return {
        "verdict": row["verdict"],
        "profile": row["profile"],
        "rescreen_after_days": row["rescreen_after_days"],
        "approval_valid": row["approval_valid"],
        "missing": row["missing"],
        "modalities": modalities,
        "findings": findings,
    }


# each profile alone, and batches that mix them (the columnar path masks per row)
PROFILES = pytest.mark.parametrize(
    "profile", [*Profile, None], ids=[*(p.value for p in Profile), "mixed"]
)


@PROFILES
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents=st.data())
def test_three_evaluators_give_the_same_decision(
    profile: Profile | None, documents: st.DataObject
) -> None:
    batch = documents.draw(st.lists(assessments(profile), min_size=1, max_size=25))
    kb = load_kb_once()
    compiled = compile_rules(kb)
    result = screen_cohort(cohort_frame(batch), kb, rescreen_by_rule=True)
    for assessment, row in zip(batch, result.iter_rows(named=True), strict=True):
        facts = facts_of(assessment)
        assert facts_reader()(assessment) == facts
        results = evaluate_rules(kb, facts, assessment.profile)
        assert compiled.evaluate(facts, assessment.profile) == results
        reference = screen_interpreted(assessment, kb)
        assert screen_compiled(assessment, kb, compiled) == reference
        assert columnar_parts(row, RuleTable(kb)) == decision_parts(reference)


@PROFILES
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents=st.data())
def test_every_node_of_the_condition_language_decides_alike_in_columns(
    profile: Profile | None, documents: st.DataObject
) -> None:
    batch = documents.draw(st.lists(assessments(profile), min_size=1, max_size=25))
    kb = SYNTHETIC
    result = screen_cohort(cohort_frame(batch), kb, rescreen_by_rule=True)
    for assessment, row in zip(batch, result.iter_rows(named=True), strict=True):
        reference = screen_interpreted(assessment, kb)
        assert screen_compiled(assessment, kb) == reference
        assert columnar_parts(row, RuleTable(kb)) == decision_parts(reference)


@PROFILES
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents=st.data())
def test_a_screener_built_once_decides_every_batch_as_the_interpreter(
    profile: Profile | None, documents: st.DataObject
) -> None:
    kb = load_kb_once()
    screener = screener_once()
    for _ in range(2):  # the same query, reused on another batch
        batch = documents.draw(st.lists(assessments(profile), min_size=1, max_size=15))
        result = screener(cohort_frame(batch))
        for assessment, row in zip(batch, result.iter_rows(named=True), strict=True):
            reference = screen_interpreted(assessment, kb)
            assert columnar_parts(row, RuleTable(kb)) == decision_parts(reference)


def screener_once(
    cache: dict[str, Callable[[pl.DataFrame], pl.DataFrame]] = {},  # noqa: B006
) -> Callable[[pl.DataFrame], pl.DataFrame]:
    """``cohort_screener`` of the bundled KB, built once for every example."""
    if "screener" not in cache:
        cache["screener"] = cohort_screener(load_kb_once(), rescreen_by_rule=True)
    return cache["screener"]


def load_kb_once(cache: dict[str, KnowledgeBase] = {}) -> KnowledgeBase:  # noqa: B006
    """The bundled KB, shared by hypothesis examples and worker processes."""
    if "kb" not in cache:
        cache["kb"] = load_kb()
    return cache["kb"]


def check_rows(cohort: pl.DataFrame, result: pl.DataFrame) -> tuple[int, list[str]]:
    """Compare columnar rows with the interpreter's decisions (in a worker process)."""
    kb = load_kb_once()
    table = RuleTable(kb)
    mismatches = []
    rows = result.iter_rows(named=True)
    for assessment, row in zip(assessments_of(cohort), rows, strict=True):
        expected = decision_parts(screen_interpreted(assessment, kb))
        if columnar_parts(row, table) != expected:
            mismatches.append(f"patient {row['patient_id']}: expected {expected}")
    return cohort.height, mismatches[:5]


@pytest.mark.slow
def test_columnar_path_agrees_with_compiled_on_a_generated_cohort(
    kb: KnowledgeBase,
) -> None:
    cohort = generate_cohort(COHORT_ROWS, assessed_on=dt.date(2026, 11, 24), seed=2026)
    result = screen_cohort(cohort, kb, rescreen_by_rule=True, chunk_rows=40_000)
    assert result["patient_id"].to_list() == cohort["patient_id"].to_list()
    assert result["verdict"].n_unique() == 7  # the cohort reaches every verdict
    for profile in (None, "nonspecific_back_pain"):  # herniation rows have none
        mine = result.filter(cohort["condition.profile"].eq_missing(profile))
        assert mine["verdict"].n_unique() == 7, profile
    workers = max(1, min(2, os.cpu_count() or 1))
    step = -(-COHORT_ROWS // workers)
    slices = [
        (cohort.slice(i, step), result.slice(i, step))
        for i in range(0, COHORT_ROWS, step)
    ]
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        outcomes = list(pool.map(check_rows, *zip(*slices, strict=True)))
    assert sum(n for n, _ in outcomes) == COHORT_ROWS
    assert [m for _, found in outcomes for m in found] == []
