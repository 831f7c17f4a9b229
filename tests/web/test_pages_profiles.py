"""The intake asks the condition profile first and keeps only its questions."""

from __future__ import annotations

from fastapi.testclient import TestClient
from tests.web.test_pages import assert_well_formed, clean_form, submit


def test_the_intake_asks_the_profile_first_and_marks_each_profiles_questions(
    user: TestClient,
) -> None:
    page = user.get("/screen").text
    assert_well_formed(page)
    assert page.index('name="condition.profile"') < page.index('name="patient.age"')
    assert 'class="form-section only-disc_herniation"' in page  # the hernia section
    assert 'class="only-nonspecific_back_pain"' in page  # region, STarT Back, sitting


def test_a_nonspecific_intake_is_screened_under_its_profile_ignoring_hidden_answers(
    user: TestClient,
) -> None:
    form = clean_form(
        condition__profile="nonspecific_back_pain",
        condition__region="lumbar",
        condition__start_back_group="low",
        condition__sedentary="yes",
    )  # the hidden hernia answers of clean_form are sent too, as a browser does
    status, html = submit(user, form)
    assert status == 200, html
    assert "Screened as: <strong>nonspecific back pain</strong>" in html
    assert "IN-SIT-01" in html and "IN-CUR-02" in html
    assert "IN-CUR-01" not in html


def test_a_nonspecific_intake_without_a_region_names_the_question(
    user: TestClient,
) -> None:
    status, html = submit(user, clean_form(condition__profile="nonspecific_back_pain"))
    assert status == 422
    assert "field-condition-region" in html
