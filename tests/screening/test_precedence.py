"""The one verdict table reads as the contract's: the first row that holds wins."""

from __future__ import annotations

from spinewise.models import Verdict
from spinewise.screening.precedence import (
    BLOCKS_EVERY_MODALITY,
    VERDICT_TABLE,
    Situation,
    first_that_holds,
)


class _Answers:
    """A situation where exactly the named tests hold."""

    def __init__(self, *true: str) -> None:
        self.true = set(true)

    def __getattr__(self, name: str) -> object:
        return lambda: name in self.true


def test_the_table_lists_the_contract_verdicts_in_order() -> None:
    assert [row.verdict for row in VERDICT_TABLE] == [
        Verdict.URGENT_REFERRAL,
        Verdict.INCOMPLETE,
        Verdict.DECLINED_BY_PHYSICIAN,
        Verdict.NOT_NOW,
        Verdict.NOT_SUITABLE,
        Verdict.INCOMPLETE,
        Verdict.AWAITING_CLEARANCE,
        Verdict.PROCEED,
    ]


def test_every_row_but_the_last_names_a_test_of_the_situation() -> None:
    *tested, last = VERDICT_TABLE
    assert last.test is None
    assert all(row.test in vars(Situation) for row in tested)


def test_a_red_flag_outvotes_every_later_row() -> None:
    every_test = [row.test for row in VERDICT_TABLE if row.test]
    assert first_that_holds(_Answers(*every_test)) is Verdict.URGENT_REFERRAL


def test_when_no_row_holds_the_decision_is_proceed() -> None:
    assert first_that_holds(_Answers()) is Verdict.PROCEED


def test_each_row_is_reached_when_only_its_test_holds() -> None:
    for row in VERDICT_TABLE[:-1]:
        assert row.test is not None
        assert first_that_holds(_Answers(row.test)) is row.verdict


def test_referral_and_decline_block_every_modality() -> None:
    assert BLOCKS_EVERY_MODALITY == {
        Verdict.URGENT_REFERRAL,
        Verdict.DECLINED_BY_PHYSICIAN,
    }
