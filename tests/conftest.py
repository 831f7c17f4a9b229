"""Fixtures shared by every test package, and the golden cases kept in the repository."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

from spinewise.kb import KnowledgeBase, load_kb

# No timing asserts in tests (bench/ measures speed): a loaded machine must not fail
# a property test by Hypothesis' per-example deadline.
settings.register_profile("spinewise", deadline=None)
settings.load_profile("spinewise")

DATA = Path(__file__).resolve().parent / "data"
CASES = DATA / "cases"
NONSPECIFIC_CASES = DATA / "cases-nonspecific"


def _case_files(folder: Path = CASES, pattern: str = "*.yaml") -> list[Path]:
    """Every golden assessment; an empty or missing folder stops the run, never skips."""
    files = [
        f for f in sorted(folder.glob(pattern)) if not f.name.endswith(".expected.json")
    ]
    if not files:
        raise RuntimeError(f"no golden cases in {folder}: the test data is missing")
    for case in files:
        if not case.with_name(f"{case.stem}.expected.json").is_file():
            raise RuntimeError(
                f"golden case {case.name} has no .expected.json beside it"
            )
    return files


CASE_FILES = _case_files()  # disc herniation (no condition block)
NONSPECIFIC_CASE_FILES = _case_files(NONSPECIFIC_CASES, "ns-*.json")
ALL_CASE_FILES = CASE_FILES + NONSPECIFIC_CASE_FILES


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """The bundled knowledge base, loaded once."""
    return load_kb()
