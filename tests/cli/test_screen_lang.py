"""``spinewise screen --lang``: the decision's words in the asked language, codes as
codes, ``"lang"`` in the JSON; without it, the output is exactly what it was."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import CASES
from typer.testing import CliRunner

from spinewise.cli import app

runner = CliRunner()
CAUDA = str(CASES / "03-cauda-equina.yaml")
NOT_NOW = str(CASES / "05-acute-not-now.yaml")


def run(*args: str, env: dict[str, str] | None = None) -> Any:
    return runner.invoke(app, list(args), env=env)


def test_json_in_russian_keeps_codes_and_says_its_language() -> None:
    english = json.loads(run("screen", CAUDA, "--json").stdout)
    result = run("screen", CAUDA, "--json", "--lang", "ru")
    assert result.exit_code == 0, result.stderr
    russian = json.loads(result.stdout)
    assert russian.pop("lang") == "ru"
    assert "lang" not in english
    assert russian["verdict"] == english["verdict"] == "urgent_referral"
    assert russian["modalities"] == english["modalities"]
    assert [f["rule"] for f in russian["findings"]] == [
        f["rule"] for f in english["findings"]
    ]
    assert [f["citation"] for f in russian["findings"]] == [
        f["citation"] for f in english["findings"]
    ]
    assert russian["summary"].startswith("Симптом опасности (RF-CES-01")
    assert "синдром конского хвоста" in russian["findings"][0]["message"]


def test_the_language_may_come_from_the_environment() -> None:
    result = run("screen", NOT_NOW, "--json", env={"SPINEWISE_LANG": "ru-RU"})
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["lang"] == "ru"
    assert document["summary"].endswith("Повторная оценка через 7 дней.")


def test_english_asked_for_is_the_default_text_with_its_language_named() -> None:
    default = json.loads(run("screen", NOT_NOW, "--json").stdout)
    english = json.loads(run("screen", NOT_NOW, "--json", "--lang", "en").stdout)
    assert english == {**default, "lang": "en"}


def test_the_readable_report_shows_the_russian_summary() -> None:
    result = run("screen", NOT_NOW, "--lang", "ru")
    assert result.exit_code == 0, result.stderr
    assert "Временно противопоказан (DF-ACU-01, DF-ACU-02)" in " ".join(
        result.stdout.split()
    )


def test_a_folder_in_russian_names_each_source() -> None:
    result = run("screen", str(CASES), "--json", "--lang", "ru")
    assert result.exit_code == 0, result.stderr
    documents = json.loads(result.stdout)
    assert {d["lang"] for d in documents} == {"ru"}
    assert all(d["source"].endswith(".yaml") for d in documents)


def test_an_unknown_language_exits_2_naming_the_option() -> None:
    result = run("screen", CAUDA, "--json", "--lang", "klingon")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "--lang: unknown language 'klingon' (known: en, ru)" in result.stderr


def test_a_language_the_deployment_has_not_enabled_is_unknown() -> None:
    result = run("screen", CAUDA, "--lang", "ru", env={"SPINEWISE_LANGUAGES": "en"})
    assert result.exit_code == 2
    assert "--lang: unknown language 'ru' (known: en)" in result.stderr
