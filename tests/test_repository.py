"""The repository stands alone: its examples and golden cases are its own files."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import CASE_FILES, CASES

ROOT = Path(__file__).resolve().parents[1]


def test_every_user_example_is_a_golden_case_with_the_same_content() -> None:
    examples = sorted((ROOT / "examples").glob("*.yaml"))
    assert [p.name for p in examples] == [p.name for p in CASE_FILES]
    for example in examples:
        assert example.read_bytes() == (CASES / example.name).read_bytes(), example.name


def test_the_golden_cases_live_inside_the_repository() -> None:
    assert CASES.resolve().is_relative_to(ROOT)
