"""The ``condition`` block: which profile an assessment is screened under, and every
invalid combination named by its field (profile-nonspecific-back-pain.md, 1A)."""

from __future__ import annotations

from typing import Any

import pytest
from tests.factories import assessment_data

from spinewise.errors import InputError
from spinewise.models import Assessment, Profile, Region, parse_model

NONSPECIFIC = {"profile": "nonspecific_back_pain", "region": "lumbar"}


def nonspecific_data(**condition: Any) -> dict[str, Any]:
    data = assessment_data(condition={**NONSPECIFIC, **condition})
    del data["hernia"]
    return data


def problems(data: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(InputError) as caught:
        parse_model(Assessment, data, file="case.json")
    return {p.field: p.message for p in caught.value.problems}


def test_a_file_without_a_condition_block_is_a_disc_herniation() -> None:
    assessment = parse_model(Assessment, assessment_data())
    assert assessment.profile is Profile.DISC_HERNIATION
    assert assessment.condition is None
    assert "condition" not in assessment.to_contract()


def test_a_condition_block_without_a_profile_is_a_disc_herniation() -> None:
    assessment = parse_model(
        Assessment, assessment_data(condition={"start_back_group": "high"})
    )
    assert assessment.profile is Profile.DISC_HERNIATION


def test_a_nonspecific_assessment_has_no_hernia_and_takes_its_region() -> None:
    assessment = parse_model(Assessment, nonspecific_data(region="cervical"))
    assert assessment.profile is Profile.NONSPECIFIC_BACK_PAIN
    assert assessment.hernia is None
    assert assessment.region is Region.CERVICAL
    assert "hernia" not in assessment.to_contract()
    assert Assessment.model_validate(assessment.to_contract()) == assessment


BAD = [
    pytest.param(
        assessment_data(condition={"profile": "sciatica"}),
        "condition.profile",
        id="unknown-profile-word",
    ),
    pytest.param(nonspecific_data(region=None), "condition.region", id="no-region"),
    pytest.param(
        {**nonspecific_data(), "hernia": {"region": "lumbar", "levels": ["L4-L5"]}},
        "hernia",
        id="hernia-under-nonspecific",
    ),
    pytest.param(
        {k: v for k, v in assessment_data().items() if k != "hernia"},
        "hernia",
        id="herniation-without-hernia",
    ),
    pytest.param(
        assessment_data(condition={"profile": "disc_herniation"}, hernia=None),
        "hernia",
        id="herniation-with-null-hernia",
    ),
    pytest.param(
        assessment_data(condition={"region": "cervical"}),
        "condition.region",
        id="region-contradicts-the-hernia",
    ),
    pytest.param(
        nonspecific_data(start_back_group="very high"),
        "condition.start_back_group",
        id="unknown-start-back-group",
    ),
    pytest.param(
        nonspecific_data(sedentary="yes"), "condition.sedentary", id="sedentary-word"
    ),
    pytest.param(
        nonspecific_data(sedentary=1), "condition.sedentary", id="sedentary-number"
    ),
]


@pytest.mark.parametrize(("data", "field"), BAD)
def test_an_invalid_condition_is_named_by_its_field(
    data: dict[str, Any], field: str
) -> None:
    assert field in problems(data)


def test_a_region_equal_to_the_hernias_is_accepted() -> None:
    data = assessment_data(condition={"profile": "disc_herniation", "region": "lumbar"})
    assert parse_model(Assessment, data).profile is Profile.DISC_HERNIATION
