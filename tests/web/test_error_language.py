"""Errors in the reader's language: the JSON API's ``error`` and ``message`` texts
with ``?lang=ru`` or Accept-Language (field paths untouched, ``"lang"`` said), the
pages' error texts next to their fields in the page's language."""

from __future__ import annotations

import datetime as dt
import json

import yaml
from fastapi.testclient import TestClient
from tests.conftest import CASES
from tests.web.clinic import Clinic, csrf_of

RUSSIAN = {"Accept-Language": "ru-RU,ru;q=0.9"}
CASE = yaml.safe_load((CASES / "05-acute-not-now.yaml").read_text(encoding="utf-8"))


def _bad_body() -> str:
    case = json.loads(json.dumps(CASE, default=str))
    case["patient"]["age"] = 300
    case["hernia"]["levels"] = ["L4-L5", "L4-L5"]
    case["symptoms"]["pain_trend"] = "sideways"
    del case["symptoms"]["pain_nrs"]
    return json.dumps(case)


def _fields(body: dict[str, object]) -> dict[str, str]:
    errors = body["errors"]
    assert isinstance(errors, list)
    return {e["field"]: e["message"] for e in errors}


def test_api_422_in_russian_keeps_the_field_paths(api: TestClient) -> None:
    english = api.post("/api/v1/screen", content=_bad_body())
    russian = api.post("/api/v1/screen?lang=ru", content=_bad_body())
    assert english.status_code == russian.status_code == 422
    assert "lang" not in english.json()
    body = russian.json()
    assert body["lang"] == "ru" and body["error"] == "ошибка во входных данных"
    messages = _fields(body)
    assert set(messages) == set(_fields(english.json()))
    assert messages["symptoms.pain_nrs"] == "обязательное поле; его нужно заполнить"  # noqa: RUF001
    assert messages["patient.age"].startswith("значение должно быть не больше")
    assert messages["symptoms.pain_trend"].startswith("допустимые значения: ")
    assert " или " in messages["symptoms.pain_trend"]


def test_api_errors_follow_accept_language(api: TestClient) -> None:
    response = api.get("/api/v1/kb/rules/XX-NOP-99", headers=RUSSIAN)
    assert response.status_code == 404
    assert response.json()["lang"] == "ru"
    assert response.json()["error"].startswith("не найдено:")


def test_an_unknown_language_answers_in_english_and_says_so(api: TestClient) -> None:
    response = api.post("/api/v1/screen?lang=xx", content=_bad_body())
    body = response.json()
    assert response.status_code == 422 and body["lang"] == "en"
    assert body["error"] == "invalid input" and "xx" in body["lang_warning"]


def test_a_russian_form_shows_russian_problems_next_to_the_fields(
    clinic: Clinic,
) -> None:
    page = clinic.as_page("therapist_a")
    token = csrf_of(page.get("/patients/new", headers=RUSSIAN).text)
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    response = page.post(
        "/patients",
        data={
            "record_number": "P 9",
            "name": "Bo Chen",
            "birth_date": future,
            "csrf_token": token,
        },
        headers=RUSSIAN,
    )
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.text
    assert "текст не соответствует шаблону" in response.text
    assert "should match" not in response.text


def test_a_russian_error_page_is_in_russian(clinic: Clinic) -> None:
    page = clinic.as_page("therapist_a")
    response = page.get("/patients/999999", headers=RUSSIAN)
    assert response.status_code == 404
    assert "Не найдено: пациент 999999." in response.text  # noqa: RUF001
    assert "not found" not in response.text
