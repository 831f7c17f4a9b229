"""Choosing the language: the user's own setting on the account page, the switch of
the anonymous pages (``?lang``, remembered), English for a code we do not speak."""

from __future__ import annotations

from fastapi.testclient import TestClient
from tests.web.clinic import Clinic, csrf_of


def test_a_user_chooses_russian_and_every_page_follows(clinic: Clinic) -> None:
    page = clinic.as_page("therapist_a")
    account = page.get("/account").text
    saved = page.post(
        "/account/language",
        data={"language": "ru", "csrf_token": csrf_of(account)},
    )
    assert saved.status_code == 200
    assert "Язык Ваших страниц сохранён." in saved.text
    today = page.get("/today", headers={"Accept-Language": "en"})
    assert today.headers["content-language"] == "ru"
    assert "<h1>Сегодня" in today.text


def test_the_browsers_language_is_the_default_again_when_chosen(clinic: Clinic) -> None:
    page = clinic.as_page("therapist_a")
    token = csrf_of(page.get("/account").text)
    page.post("/account/language", data={"language": "ru", "csrf_token": token})
    page.post("/account/language", data={"language": "", "csrf_token": token})
    assert page.get("/today").headers["content-language"] == "en"


def test_an_unknown_language_setting_is_refused_naming_the_field(
    clinic: Clinic,
) -> None:
    page = clinic.as_page("therapist_a")
    token = csrf_of(page.get("/account").text)
    refused = page.post(
        "/account/language", data={"language": "xx", "csrf_token": token}
    )
    assert refused.status_code == 422
    assert "language" in refused.text and "xx" in refused.text


def test_the_switch_of_an_anonymous_page_is_remembered(client: TestClient) -> None:
    chosen = client.get("/login?lang=ru")
    assert chosen.headers["content-language"] == "ru"
    assert 'href="?lang=en"' in chosen.text
    assert "<h1>Войти</h1>" in client.get("/login").text
    assert client.get("/login?lang=en").headers["content-language"] == "en"
    assert client.get("/login").headers["content-language"] == "en"


def test_an_unknown_language_gives_english_and_says_so(client: TestClient) -> None:
    page = client.get("/login?lang=xx", headers={"Accept-Language": "ru"})
    assert page.status_code == 200
    assert page.headers["content-language"] == "en"
    assert "does not speak the language “xx”" in page.text
