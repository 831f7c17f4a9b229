"""Whole-cohort screening in columns: the cohort layout, the rules and the decision as
polars expressions, cohort diffs and a synthetic cohort generator (agree with screen()).
"""

from spinewise.screening.cohort.decision import status_column
from spinewise.screening.cohort.diff import diff_cohorts
from spinewise.screening.cohort.layout import (
    assessments_of,
    cohort_frame,
    cohort_schema,
    conform_cohort,
    needed_columns,
)
from spinewise.screening.cohort.plan import (
    cohort_plan,
    cohort_screener,
    screen_cohort,
)
from spinewise.screening.cohort.rules import rule_column
from spinewise.screening.cohort.synth import generate_cohort

__all__ = [
    "assessments_of",
    "cohort_frame",
    "cohort_plan",
    "cohort_schema",
    "cohort_screener",
    "conform_cohort",
    "diff_cohorts",
    "generate_cohort",
    "needed_columns",
    "rule_column",
    "screen_cohort",
    "status_column",
]
