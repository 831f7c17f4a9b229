"""The result's profile column: the row's profile, a disc herniation where none is
given, at any chunking (each chunk reads its own slice's validity)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from spinewise.kb import KnowledgeBase
from spinewise.models import Profile
from spinewise.screening.cohort import generate_cohort, screen_cohort

HERNIATION = Profile.DISC_HERNIATION.value


def test_the_profile_is_the_rows_and_a_disc_herniation_where_none_is_given(
    kb: KnowledgeBase,
) -> None:
    cohort = generate_cohort(700, assessed_on=dt.date(2026, 3, 1))
    given = cohort["condition.profile"]
    assert 0 < given.null_count() < cohort.height  # both kinds of row
    expected = given.cast(pl.String).fill_null(HERNIATION).to_list()
    for chunk_rows in (700, 333, 64):
        found = screen_cohort(cohort, kb, chunk_rows=chunk_rows)["profile"]
        assert found.dtype == pl.Enum([p.value for p in Profile])
        assert found.cast(pl.String).to_list() == expected


def test_a_cohort_without_the_condition_block_is_screened_as_disc_herniations(
    kb: KnowledgeBase,
) -> None:
    cohort = generate_cohort(300, assessed_on=dt.date(2026, 3, 1))
    herniations = cohort.filter(
        cohort["condition.profile"].is_null()
        | (cohort["condition.profile"] == HERNIATION)
    )
    before_profiles = herniations.drop(
        [c for c in herniations.columns if c.startswith("condition.")]
    )
    found = screen_cohort(before_profiles, kb, chunk_rows=100)["profile"]
    assert found.cast(pl.String).to_list() == [HERNIATION] * herniations.height
