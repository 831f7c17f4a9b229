"""The condition profile read from coded Conditions: ICD-10 M54.5 / M54.50 / M54.2 are
non-specific pain, M50 / M51 a disc herniation, herniation when both are coded."""

from __future__ import annotations

from typing import Any

import pytest

from spinewise.interop import CodedProfile, coded_profile, with_coded_profile
from spinewise.models import Profile, Region

WHO = "http://hl7.org/fhir/sid/icd-10"
CM = "http://hl7.org/fhir/sid/icd-10-cm"


def condition(code: str, system: str = WHO, status: str = "active") -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "id": code.replace(".", ""),
        "clinicalStatus": {"coding": [{"code": status}]},
        "code": {"coding": [{"system": system, "code": code}]},
        "subject": {"reference": "Patient/7"},
    }


@pytest.mark.parametrize(
    ("code", "system", "region"),
    [
        ("M54.5", WHO, Region.LUMBAR),
        ("M54.50", CM, Region.LUMBAR),
        ("M54.2", WHO, Region.CERVICAL),
    ],
)
def test_a_nonspecific_pain_code_gives_the_profile_and_region(
    code: str, system: str, region: Region
) -> None:
    found = coded_profile([condition(code, system)], "7")
    assert found is not None
    assert (found.profile, found.region) == (Profile.NONSPECIFIC_BACK_PAIN, region)
    assert code in found.reason


def test_a_herniation_and_nonspecific_pain_coded_together_is_a_herniation() -> None:
    found = coded_profile([condition("M54.5"), condition("M51.2")], "7")
    assert found is not None
    assert found.profile is Profile.DISC_HERNIATION
    assert "coded too" in found.reason and "M54.5" in found.reason


@pytest.mark.parametrize(
    "resource",
    [
        condition("M54.5", status="resolved"),
        condition("M54.51", CM),  # vertebrogenic: not non-specific
        condition("G83.4"),
        {**condition("M54.5"), "subject": {"reference": "Patient/8"}},
    ],
    ids=["resolved", "vertebrogenic", "other-code", "other-patient"],
)
def test_other_conditions_give_no_profile(resource: dict[str, Any]) -> None:
    assert coded_profile([resource], "7") is None


def test_low_back_and_neck_coded_together_leave_the_region_to_the_questionnaire() -> (
    None
):
    found = coded_profile([condition("M54.5"), condition("M54.2")], "7")
    assert found is not None and found.region is None
    assert with_coded_profile({"patient": {}}, found) == {"patient": {}}


def test_the_coded_profile_fills_only_what_the_answers_leave_open() -> None:
    coded = CodedProfile(Profile.NONSPECIFIC_BACK_PAIN, Region.LUMBAR, "coded")
    filled = with_coded_profile({"condition": {"sedentary": True}}, coded)
    assert filled["condition"] == {
        "sedentary": True,
        "profile": "nonspecific_back_pain",
        "region": "lumbar",
    }
    asked = {"condition": {"profile": "disc_herniation"}, "hernia": {}}
    assert with_coded_profile(asked, coded) == asked
    hernia = {"hernia": {"region": "lumbar"}}
    assert with_coded_profile(hernia, coded) == hernia
