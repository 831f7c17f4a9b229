"""The statuses' Kleene or of many rules, folded in place, equals ``|`` pair by pair
and leaves its inputs as they were; the statuses of the KB's rules, folded by the
modalities they target, equal each modality's rules folded alone; and a status
column's codes give each row its status, or contraindicated where forced."""

from __future__ import annotations

from functools import reduce

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from spinewise.kb import KnowledgeBase, Rule, load_kb
from spinewise.models import Modality, ModalityStatus, Severity
from spinewise.screening.cohort.bitstatus import KleeneAny, StatusBits, status_codes
from spinewise.screening.cohort.kleene import Tri, Words, known_test, pack, unpack

Truth = bool | None
KB: KnowledgeBase = load_kb()


def tri(values: list[Truth]) -> Tri:
    rows = len(values)
    test = pack(np.array([v is True for v in values], np.bool_), rows)
    known = pack(np.array([v is not None for v in values], np.bool_), rows)
    return known_test(test, known, rows)


@settings(max_examples=80, deadline=None)
@given(
    rows=st.integers(1, 150),
    count=st.integers(0, 6),
    data=st.data(),
)
def test_kleene_any_of_many_equals_or_pair_by_pair(
    rows: int, count: int, data: st.DataObject
) -> None:
    truths = st.lists(
        st.sampled_from([True, False, None]), min_size=rows, max_size=rows
    )
    states = [tri(data.draw(truths)) for _ in range(count)]
    before = [s.to_series("x", rows).to_list() for s in states]
    found = KleeneAny.fold([(s.value, s.known) for s in states], rows).tri()
    assert [s.to_series("x", rows).to_list() for s in states] == before
    if not states:
        assert found.to_series("x", rows).to_list() == [False] * rows
        return
    expected = reduce(lambda a, b: a | b, states)
    assert (
        found.to_series("x", rows).to_list() == expected.to_series("x", rows).to_list()
    )


def _random_tri(rng: np.random.Generator, rows: int) -> Tri:
    """Mostly false (a row's status hangs on its few true or unknown rules)."""
    answers = rng.choice(3, rows, p=[0.96, 0.02, 0.02])  # false, true, unknown
    return known_test(pack(answers == 1, rows), pack(answers != 2, rows), rows)


def _rows(words: Words, rows: int) -> list[bool]:
    return list(unpack(words, rows).tolist())


@settings(max_examples=25, deadline=None)
@given(rows=st.integers(1, 300), seed=st.integers(0, 2**16))
def test_the_statuses_grouped_by_targets_equal_each_modalitys_rules_alone(
    rows: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    states = {r.id: _random_tri(rng, rows) for r in KB.rules}
    nulls = [pack(rng.integers(0, 50, rows) == 0, rows) for _ in range(3)]
    found = StatusBits(KB)(states, nulls, rows)

    def folded(rules: list[Rule]) -> Tri:
        return KleeneAny.fold(
            [(states[r.id].value, states[r.id].known) for r in rules], rows
        ).tri()

    red = [r for r in KB.rules if r.severity is Severity.RED_FLAG]
    red_open = reduce(lambda a, b: a | b, [states[r.id].unknown for r in red] + nulls)
    assert _rows(found.red_flag_fired, rows) == _rows(folded(red).value, rows)
    assert _rows(found.red_flags_open, rows) == _rows(red_open, rows)
    for m in Modality:
        mine = [r for r in KB.rules if m in r.targets]
        blocked = folded([r for r in mine if r.severity.blocks])
        cautious = folded([r for r in mine if r.severity is Severity.PRECAUTION])
        undetermined = ~blocked.value & (blocked.unknown | red_open)
        careful = ~blocked.value & ~undetermined & (cautious.value | cautious.unknown)
        expected = {
            ModalityStatus.CONTRAINDICATED: blocked.value,
            ModalityStatus.UNDETERMINED: undetermined,
            ModalityStatus.WITH_PRECAUTIONS: careful,
            ModalityStatus.ALLOWED: ~(blocked.value | undetermined | careful),
        }
        for status, words in expected.items():
            assert _rows(found.by_modality[m][status], rows) == _rows(words, rows)


@settings(max_examples=60, deadline=None)
@given(rows=st.integers(1, 200), seed=st.integers(0, 2**16))
def test_status_codes_give_each_row_its_status_or_contraindicated_where_forced(
    rows: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    statuses = list(ModalityStatus)
    chosen = rng.integers(0, len(statuses), rows)
    forced = rng.integers(0, 4, rows) == 0
    found = {s: pack(chosen == i, rows) for i, s in enumerate(statuses)}
    expected = [
        ModalityStatus.CONTRAINDICATED.value if f else statuses[c].value
        for c, f in zip(chosen.tolist(), forced.tolist(), strict=True)
    ]
    series = status_codes(found, pack(forced, rows), rows)
    assert series.dtype == pl.Enum([s.value for s in ModalityStatus])
    assert series.to_list() == expected
