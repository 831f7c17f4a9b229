"""The verdict table: the contract's verdicts in order, the first row that holds wins.

Every evaluator reads the verdict from this one table: ``decide()`` (the interpreter
and the compiled rules) with Python truth values, the cohort path with polars
Booleans. Each evaluator supplies a :class:`Situation` — the tests the rows name —
and nothing else; the order, and which verdicts block every modality, live here.
``docs/clinical-basis.md#decision`` prints this table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, TypeVar

from spinewise.models import Verdict

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Situation(Protocol[T_co]):
    """The facts the verdict table tests, as truth values of one kind (bool or column)."""

    def red_flag_fired(self) -> T_co: ...
    def red_flags_open(self) -> T_co: ...
    def declined(self) -> T_co: ...
    def all_contraindicated_for_now(self) -> T_co: ...
    def all_contraindicated(self) -> T_co: ...
    def some_undetermined(self) -> T_co: ...
    def no_valid_approval(self) -> T_co: ...


@dataclass(frozen=True)
class VerdictRow:
    """One row: the verdict, the :class:`Situation` test that selects it (None: always)
    and its wording on the clinical-basis page."""

    verdict: Verdict
    test: str | None
    holds_when: str
    blocks_every_modality: bool = False

    def holds(self, situation: Situation[T]) -> T | bool:
        """The row's test on ``situation`` (True for the last row)."""
        if self.test is None:
            return True
        value: T = getattr(situation, self.test)()
        return value


VERDICT_TABLE: tuple[VerdictRow, ...] = (
    VerdictRow(
        Verdict.URGENT_REFERRAL,
        "red_flag_fired",
        "any red-flag rule is true: no massage; refer now",
        blocks_every_modality=True,
    ),
    VerdictRow(
        Verdict.INCOMPLETE,
        "red_flags_open",
        "any red-flag rule is undetermined or a red-flag question is unanswered",
    ),
    VerdictRow(
        Verdict.DECLINED_BY_PHYSICIAN,
        "declined",
        "the clearance is declined, or it excludes every modality that would "
        "otherwise be allowed",
        blocks_every_modality=True,
    ),
    VerdictRow(
        Verdict.NOT_NOW,
        "all_contraindicated_for_now",
        "every modality is contraindicated, and at least one only for a time "
        "(`rescreen_after_days` says when to look again)",
    ),
    VerdictRow(
        Verdict.NOT_SUITABLE,
        "all_contraindicated",
        "every modality is contraindicated for lasting reasons",
    ),
    VerdictRow(
        Verdict.INCOMPLETE,
        "some_undetermined",
        "any modality is undetermined",
    ),
    VerdictRow(
        Verdict.AWAITING_CLEARANCE,
        "no_valid_approval",
        "a modality is allowed or with precautions, and no approval is valid on "
        "the assessment day (absent, pending or expired)",
    ),
    VerdictRow(
        Verdict.PROCEED,
        None,
        "otherwise: approved and valid; at least one modality allowed or with "
        "precautions after the physician's exclusions",
    ),
)
"""The contract's verdict table, in order; the last row holds always."""

DECISION_NOTES: tuple[tuple[str, str, str], ...] = (
    (
        "rescreen",
        "Re-screen interval",
        "With `not_now`, `rescreen_after_days` is the shortest wait over the "
        "modalities the physician did not exclude, at least 1 day; a modality's wait "
        "is the longest re-screen interval of its fired temporary blocking rules, and "
        "a lasting blocking rule means no wait (none).",
    ),
    (
        "missing",
        "Missing answers",
        "`missing` lists, sorted, every unanswered red-flag question and every field "
        "whose null leaves a non-informational rule undetermined (history dates are "
        "never asked for: an empty date means there was none).",
    ),
    (
        "modality-status",
        "Modality status",
        "A modality is `contraindicated` when a red flag, defer or contraindication "
        "targeting it fired; else `undetermined` when a red-flag question is open or "
        "such a rule is undetermined; else `with_precautions` when a precaution fired "
        "or is undetermined; else `allowed`. The physician's exclusions then make a "
        "modality `contraindicated`; a clearance never undoes a fired rule.",
    ),
)
"""How the decision reads beside the table (anchor, title, text) for the docs page."""

BLOCKS_EVERY_MODALITY = frozenset(
    row.verdict for row in VERDICT_TABLE if row.blocks_every_modality
)


def first_that_holds(situation: Situation[bool]) -> Verdict:
    """The verdict of the first row whose test is true."""
    for row in VERDICT_TABLE:
        if row.holds(situation):
            return row.verdict
    raise AssertionError("the verdict table ends with a row that always holds")
