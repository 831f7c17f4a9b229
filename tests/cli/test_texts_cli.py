"""``spinewise questionnaire texts import FILE``: a pack in the wrong shape is one
``file: field: message`` line per problem and exit 2; a good one is stored."""

from __future__ import annotations

from pathlib import Path

import yaml
from tests import pg
from tests.cli.running import as_user
from tests.text_packs import fake_pack


def write(path: Path, data: object) -> str:
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return str(path)


def test_a_pack_in_the_wrong_shape_names_the_file_and_each_field(
    database_url: str, world: pg.World, tmp_path: Path
) -> None:
    data = fake_pack("rmdq")
    data["items"] = data["items"][:23]
    data["language"] = ""
    path = write(tmp_path / "rmdq.yaml", data)
    run = as_user(database_url, "admin-a", "questionnaire", "texts", "import", path)
    assert run.exit_code == 2
    assert f"{path}: language: expected a non-blank text" in run.stderr
    assert f"{path}: items: " in run.stderr and "has 24 items; got 23" in run.stderr
    listed = as_user(database_url, "admin-a", "questionnaire", "texts", "list")
    assert "no text packs imported" in listed.stdout


def test_a_good_pack_is_imported_and_listed_in_force(
    database_url: str, world: pg.World, tmp_path: Path
) -> None:
    path = write(tmp_path / "ndi.yaml", fake_pack("ndi"))
    run = as_user(database_url, "admin-a", "questionnaire", "texts", "import", path)
    assert run.exit_code == 0, run.stderr
    assert "ndi 1.0-test (en), 10 items, now in force" in run.stdout
    listed = as_user(database_url, "admin-a", "questionnaire", "texts", "list")
    assert "ndi\t1.0-test\ten\tin force" in listed.stdout
    other = as_user(database_url, "therapist-b", "questionnaire", "texts", "list")
    assert "no text packs imported" in other.stdout
