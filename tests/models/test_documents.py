"""The one reader of user files refuses hostile files quickly, naming the file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from spinewise.errors import InputError
from spinewise.models import load_document, parse_document, read_bytes


def _problem(path: Path, **options: int) -> str:
    with pytest.raises(InputError) as caught:
        load_document(path, **options)
    assert caught.value.file == str(path)
    return str(caught.value.problems[0])


def test_only_regular_files_are_read(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    assert "not a regular file" in _problem(fifo)
    assert "not a regular file" in _problem(Path("/dev/zero"))
    assert "is a directory" in _problem(tmp_path)
    assert "no such file" in _problem(tmp_path / "missing.yaml")


def test_files_over_the_size_cap_are_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_text("[" + "1," * 1000 + "1]", encoding="utf-8")
    assert "larger than the limit of 1024 bytes" in _problem(big, max_bytes=1024)
    assert len(read_bytes(big)) == big.stat().st_size


def test_yaml_aliases_are_refused_before_they_expand(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("a: &a [1, 2]\nb: [*a, *a]\n", encoding="utf-8")
    assert "aliases (*name) are not allowed" in _problem(bomb)


@pytest.mark.parametrize("kind", ["json", "yaml"])
def test_deep_nesting_and_huge_integers_are_refused(kind: str) -> None:
    for text in ("[" * 100_000 + "]" * 100_000, "[" * 101 + "]" * 101):
        with pytest.raises(InputError, match="nested"):
            parse_document(text, kind)  # type: ignore[arg-type]
    for text in ("9" * 5000, str(2**70)):
        with pytest.raises(InputError, match="number"):
            parse_document(text, kind)  # type: ignore[arg-type]
    assert parse_document("[" * 50 + "]" * 50, kind)  # type: ignore[arg-type]


def test_text_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("name: Müller\n".encode("latin-1"))
    assert "not UTF-8 text (byte 0xfc at offset 7)" in _problem(latin)
