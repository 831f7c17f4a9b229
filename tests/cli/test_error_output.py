"""The CLI's errors in the run's language: the file and the field path as they are,
the problem in Russian under ``--lang ru``, exit 2; English runs print what they did."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from tests import pg
from tests.cli.running import SECRET_KEY, runner
from tests.conftest import CASES

from spinewise.cli import app
from spinewise.store import Store

backend, pg_cluster, templates, database_url, store, world = (
    pg.backend,
    pg.pg_cluster,
    pg.templates,
    pg.database_url,
    pg.store,
    pg.world,
)


def _bad_assessment(tmp_path: Path) -> Path:
    case = yaml.safe_load((CASES / "05-acute-not-now.yaml").read_text(encoding="utf-8"))
    case["patient"]["age"] = "forty"
    case["hernia"]["levels"] = ["L4-L5", "L4-L5"]
    del case["symptoms"]
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(case), encoding="utf-8")
    return path


def test_a_bad_assessment_in_russian_names_file_and_fields_in_russian(
    tmp_path: Path,
) -> None:
    path = _bad_assessment(tmp_path)
    result = runner.invoke(app, ["screen", str(path), "--lang", "ru"])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert f"{path}: symptoms: обязательное поле; его нужно заполнить" in lines  # noqa: RUF001
    assert f"{path}: hernia.levels: уровень указан дважды" in lines
    assert any(
        line.startswith(f"{path}: patient.age: нужно целое число (получено")
        for line in lines
    ), lines
    assert "required" not in result.stderr


def test_the_same_file_in_english_reads_as_before(tmp_path: Path) -> None:
    path = _bad_assessment(tmp_path)
    result = runner.invoke(app, ["screen", str(path)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert f"{path}: symptoms: required; this field must be given" in lines
    assert f"{path}: hernia.levels: a level is listed twice" in lines


@pytest.mark.parametrize("backend", ["sqlite"])  # the words, not the store, are tested
def test_a_refusal_is_printed_in_russian(
    database_url: str, store: Store, world: pg.World
) -> None:
    env = {
        "SPINEWISE_DATABASE_URL": database_url,
        "SPINEWISE_USER": "therapist-a",
        "SPINEWISE_PASSWORD": pg.PASSWORD,
        "SPINEWISE_SECRET_KEY": SECRET_KEY,
    }
    english = runner.invoke(app, ["users", "list"], env=env)
    russian = runner.invoke(app, ["--lang", "ru", "users", "list"], env=env)
    assert english.exit_code == russian.exit_code == 2
    assert "may not list users" in english.stderr
    assert "ошибка: роль therapist не даёт права просматривать список" in " ".join(
        russian.stderr.split()
    )
