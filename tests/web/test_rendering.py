"""Pages speak the reader's language: gettext words in templates, the language
negotiated from the browser for anonymous pages, English by default."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_an_anonymous_page_is_english_by_default(client: TestClient) -> None:
    page = client.get("/login")
    assert '<html lang="en">' in page.text
    assert "<h1>Sign in</h1>" in page.text
    assert page.headers["content-language"] == "en"


def test_an_anonymous_page_follows_the_browsers_language(client: TestClient) -> None:
    page = client.get("/login", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"})
    assert '<html lang="ru">' in page.text
    assert "<h1>Войти</h1>" in page.text
    assert "Имя пользователя" in page.text
    assert page.headers["content-language"] == "ru"


def test_a_browser_language_we_do_not_speak_gives_english(client: TestClient) -> None:
    page = client.get("/login", headers={"Accept-Language": "de-DE,fr;q=0.8"})
    assert '<html lang="en">' in page.text
    assert "<h1>Sign in</h1>" in page.text
