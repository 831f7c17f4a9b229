"""One setting read from the environment alone agrees with what ``Settings`` reads."""

from __future__ import annotations

import os

import pytest

from spinewise import environment
from spinewise.config import Settings


@pytest.fixture
def bare_environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No ``SPINEWISE_*`` variable set, in any letter case."""
    for key in list(os.environ):
        if key.lower().startswith(environment.PREFIX.lower()):
            monkeypatch.delenv(key)
    return monkeypatch


def test_unset_settings_read_as_the_settings_defaults(
    bare_environment: pytest.MonkeyPatch,
) -> None:
    settings = Settings()
    assert environment.database_url() == settings.database_url
    assert environment.languages() == settings.languages
    assert environment.environment_setting("port") is None


@pytest.mark.parametrize(
    "name",
    ["SPINEWISE_DATABASE_URL", "spinewise_database_url", "Spinewise_Database_Url"],
)
def test_a_setting_is_found_in_any_letter_case_as_settings_finds_it(
    bare_environment: pytest.MonkeyPatch, name: str
) -> None:
    bare_environment.setenv(name, "sqlite:////clinic/Spinewise.sqlite3")
    assert environment.database_url() == Settings().database_url
    assert environment.database_url() == "sqlite:////clinic/Spinewise.sqlite3"


def test_a_value_is_taken_as_written_even_when_empty(
    bare_environment: pytest.MonkeyPatch,
) -> None:
    bare_environment.setenv("SPINEWISE_DATABASE_URL", "")
    bare_environment.setenv("SPINEWISE_LANGUAGES", " en , ru ")
    settings = Settings()
    assert environment.database_url() == settings.database_url == ""
    assert environment.languages() == settings.languages == " en , ru "


def test_a_given_mapping_is_read_instead_of_the_process_environment() -> None:
    given = {"SPINEWISE_LANGUAGES": "en", "OTHER": "x"}
    assert environment.languages(given) == "en"
    assert environment.environment_setting("other", given) is None
