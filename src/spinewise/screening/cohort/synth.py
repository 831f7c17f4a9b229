"""A synthetic cohort for trying the cohort path out (and for the benchmarks).

Every row is a valid assessment (the contract's ranges and date order hold), with
the kinds of answers a chain's records have: mostly clean, some recent episodes,
precautions, rare red flags, unknown answers, clearances of every kind. The draws
are hashes of the row number with a seed: the same seed gives the same cohort with
the same polars version, and a million rows take about a second.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from spinewise.models import Region, levels_for
from spinewise.screening.cohort.layout import (
    CLEARANCE_DATE,
    CLEARANCE_EXCLUDED,
    CLEARANCE_STATUS,
    CLEARANCE_VALID_UNTIL,
    PATIENT_ID,
    cohort_schema,
)

_SCALE = 1_000_000  # draws are whole numbers in [0, _SCALE); 1 % = 10_000
_ANSWERS: dict[str, tuple[float, float]] = {
    # path: (% true, % unknown); the rest is false
    "symptoms.radicular_pain": (40, 5),
    "symptoms.antalgic_posture": (10, 5),
    "symptoms.severe_muscle_spasm": (10, 5),
    "symptoms.night_pain_unrelenting": (3, 3),
    "history.osteoporosis": (8, 3),
    "history.long_term_corticosteroids": (4, 3),
    "medications.anticoagulants": (5, 2),
    "medications.antiplatelets": (8, 2),
    "circulation_skin.dvt_current_or_suspected": (0.5, 2),
    "circulation_skin.bleeding_disorder": (1, 2),
    "circulation_skin.varicose_veins_in_area": (5, 3),
    "circulation_skin.skin_lesion_in_area": (3, 2),
    "circulation_skin.fragile_skin": (4, 3),
    "circulation_skin.reduced_skin_sensation": (3, 3),
    "cardiorespiratory.uncontrolled_hypertension": (5, 3),
    "cardiorespiratory.decompensated_heart_failure": (0.5, 2),
    "cardiorespiratory.recent_myocardial_infarction": (0.5, 2),
    "other.uncontrolled_epilepsy": (0.5, 2),
    "other.incontinence": (2, 2),
    "other.acute_infection": (2, 2),
    "other.intoxication": (0.2, 1),
}
_RED_FLAG = (0.2, 0.5)
_ANALGESICS = ("ibuprofen", "paracetamol", "naproxen", "diclofenac")


class _Draws:
    """Independent uniform draws per row: the row number hashed with a seed pair."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.stream = 0

    def __call__(self) -> pl.Expr:
        self.stream += 1
        return (pl.col("_row").hash(self.seed * 1_000 + self.stream) % _SCALE).cast(
            pl.Int64
        )

    def pick(self, choices: list[tuple[object, float]]) -> pl.Expr:
        """One of the values by percentage; the remainder of 100 % is null."""
        u = self()
        expr: pl.Expr = pl.lit(None)
        bound = 0.0
        chain: Any = None
        for value, percent in choices:
            bound += percent * _SCALE / 100
            test = u < int(bound)
            chain = (pl.when(test) if chain is None else chain.when(test)).then(
                pl.lit(value)
            )
        return chain.otherwise(expr) if chain is not None else expr

    def answer(self, percent_true: float, percent_unknown: float) -> pl.Expr:
        return self.pick(
            [(True, percent_true), (False, 100 - percent_true - percent_unknown)]
        )

    def chance(self, percent: float) -> pl.Expr:
        return self() < int(percent * _SCALE / 100)


def _days_before(days: pl.Expr, column: str = "assessed_on") -> pl.Expr:
    return (pl.col(column).to_physical() - days.cast(pl.Int32)).cast(pl.Date)


def _level(u: pl.Expr, offset: int) -> pl.Expr:
    chain: Any = None
    for region in Region:
        levels = levels_for(region)
        index = (u + offset) % len(levels)
        choice = pl.lit(pl.Series(levels)).get(index.cast(pl.Int64))
        test = pl.col("hernia.region") == region.value
        chain = (pl.when(test) if chain is None else chain.when(test)).then(choice)
    assert chain is not None
    level: pl.Expr = chain
    return level


def _patient_columns(draw: _Draws) -> list[pl.Expr]:
    return [
        pl.when(draw.chance(1))
        .then(8 + draw() % 8)
        .otherwise(18 + draw() % 72)
        .alias("patient.age"),
        draw.pick([("female", 48), ("male", 45), ("other", 2)]).alias("patient.sex"),
        draw.pick([("lumbar", 70), ("cervical", 22), ("thoracic", 8)]).alias(
            "hernia.region"
        ),
        draw.pick(
            [("bulge", 20), ("protrusion", 45), ("extrusion", 20), ("sequestration", 5)]
        ).alias("hernia.morphology"),
        draw.pick(
            [("left", 40), ("right", 40), ("central", 8), ("bilateral", 4)]
        ).alias("hernia.side"),
        draw.pick([("mri", 60), ("ct", 20), ("none", 15)]).alias("hernia.imaging"),
        pl.when(draw.chance(15))
        .then(draw() % 42)
        .otherwise(draw() % 400)
        .alias("_onset_days"),
        pl.min_horizontal(
            draw() % 7 + pl.when(draw.chance(12)).then(draw() % 6).otherwise(0), 10
        ).alias("symptoms.pain_nrs"),
        draw.pick([("improving", 45), ("stable", 35), ("worsening", 12)]).alias(
            "symptoms.pain_trend"
        ),
    ]


def _history_columns(draw: _Draws) -> list[pl.Expr]:
    dates = {
        "spinal_surgery_date": (6, 800),
        "other_surgery_date": (5, 200),
        "epidural_injection_date": (4, 150),
    }
    return [
        pl.when(draw.chance(percent))
        .then(_days_before(draw() % span))
        .alias(f"history.{name}")
        for name, (percent, span) in dates.items()
    ]


def _clearance_columns(draw: _Draws) -> list[pl.Expr]:
    given = pl.col(CLEARANCE_STATUS).is_not_null()
    future = pl.when(draw.chance(3)).then(-1 - draw() % 10).otherwise(draw() % 60)
    excluded = (
        pl.concat_list(
            [
                pl.when(draw.chance(10)).then(
                    pl.lit(pl.Series(["classical", "vacuum", "hydromassage"])).get(
                        draw() % 3
                    )
                ),
                pl.when(draw.chance(1)).then(pl.lit("hydromassage")),
            ]
        )
        .list.drop_nulls()
        .list.unique(maintain_order=True)
    )
    return [
        pl.when(given).then(_days_before(future)).alias(CLEARANCE_DATE),
        pl.when(given & draw.chance(60)).then(draw() % 90).alias("_valid_days"),
        pl.when(given).then(excluded).alias(CLEARANCE_EXCLUDED),
    ]


def _first_columns(draw: _Draws) -> list[pl.Expr]:
    """Columns drawn from the row alone."""
    answers = {p: draw.answer(*share) for p, share in _ANSWERS.items()}
    red_flags = [p for p in cohort_schema() if p.startswith("red_flags.")]
    answers |= {p: draw.answer(*_RED_FLAG) for p in red_flags}
    status = draw.pick([("approved", 60), ("declined", 4), ("pending", 10)])
    return [
        (pl.col("_row") + 1).cast(pl.Int64).alias(PATIENT_ID),
        _days_before(draw() % 365, "_base").alias("assessed_on"),
        *_patient_columns(draw),
        *(v.alias(p) for p, v in answers.items()),
        status.alias(CLEARANCE_STATUS),
    ]


def _second_columns(draw: _Draws) -> list[pl.Expr]:
    """Columns that depend on the first ones (sex, region, dates, the clearance)."""
    level = draw()
    pregnant = (
        pl.when(pl.col("patient.sex") == "male")
        .then(draw.answer(0, 1))
        .otherwise(draw.answer(4, 2))
    )
    analgesics = pl.concat_list(
        [pl.when(draw.chance(30)).then(pl.lit(name)) for name in _ANALGESICS]
    ).list.drop_nulls()
    levels = pl.concat_list(
        [_level(level, 0), pl.when(draw.chance(20)).then(_level(level, 1))]
    ).list.drop_nulls()
    return [
        pregnant.alias("patient.pregnant"),
        levels.alias("hernia.levels"),
        _days_before(pl.col("_onset_days")).alias("symptoms.onset_date"),
        analgesics.alias("medications.analgesics"),
        *_history_columns(draw),
        *_clearance_columns(draw),
    ]


def _profile_columns(draw: _Draws, nonspecific_percent: float) -> list[pl.Expr]:
    """The ``condition`` block of non-specific rows (null on herniation rows)."""
    return [
        pl.when(draw.chance(nonspecific_percent))
        .then(pl.lit("nonspecific_back_pain"))
        .alias("condition.profile")
    ]


def _nonspecific_columns(draw: _Draws) -> list[pl.Expr]:
    """Non-specific rows: a region of their own, STarT Back, sitting; no hernia."""
    nonspecific = pl.col("condition.profile").is_not_null()
    hernia = [c for c in cohort_schema() if c.startswith("hernia.")]
    drawn = {
        "condition.region": draw.pick(
            [("lumbar", 70), ("cervical", 25), ("thoracic", 5)]
        ),
        "condition.start_back_group": draw.pick(
            [("low", 40), ("medium", 35), ("high", 15)]
        ),
        "condition.sedentary": draw.answer(60, 10),
    }
    return [
        *(pl.when(~nonspecific).then(pl.col(c)).alias(c) for c in hernia),
        *(pl.when(nonspecific).then(v).alias(p) for p, v in drawn.items()),
    ]


def generate_cohort(
    rows: int,
    *,
    assessed_on: dt.date,
    seed: int = 0,
    nonspecific_percent: float = 25,
) -> pl.DataFrame:
    """``rows`` synthetic assessments in the cohort layout, assessed up to a year
    before ``assessed_on``; ``patient_id`` is 1..rows. About ``nonspecific_percent``
    of the rows are screened under ``nonspecific_back_pain``, the others are disc
    herniations without a ``condition`` block."""
    draw = _Draws(seed)
    third = [
        pl.when(pl.col("patient.pregnant") & draw.chance(90))
        .then(1 + draw() % 40)
        .alias("patient.pregnancy_weeks"),
        (pl.col(CLEARANCE_DATE).to_physical() + pl.col("_valid_days"))
        .cast(pl.Date)
        .alias(CLEARANCE_VALID_UNTIL),
    ]
    schema = cohort_schema()
    return (
        pl.DataFrame({"_row": pl.int_range(0, rows, dtype=pl.UInt64, eager=True)})
        .lazy()
        .with_columns(pl.lit(assessed_on).alias("_base"))
        .with_columns(_first_columns(draw))
        .with_columns(_second_columns(draw))
        .with_columns(third)
        .with_columns(_profile_columns(draw, nonspecific_percent))
        .with_columns(_nonspecific_columns(draw))
        .select(pl.col(PATIENT_ID), *(pl.col(c).cast(t) for c, t in schema.items()))
        .collect()
    )
