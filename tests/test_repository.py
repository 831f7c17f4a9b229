"""The repository stands alone: its examples and golden cases are its own files."""

from __future__ import annotations

import re
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


SHELF_NAMES = (
    "clinical-knowledge.md",
    "shared/",
    "source-article",
    "DESIGN.md",
    "STYLE.md",
    "RECIPES.md",
)
TEXT_SUFFIXES = {
    ".py",
    ".md",
    ".yaml",
    ".yml",
    ".toml",
    ".html",
    ".txt",
    ".json",
    ".css",
}


def repository_texts() -> list[Path]:
    """Every text file under src/, tests/, bench/, docs/, and the README."""
    found = [ROOT / "README.md"]
    for folder in ("src", "tests", "bench", "docs"):
        found += [
            p
            for p in (ROOT / folder).rglob("*")
            if p.is_file()
            and p.suffix in TEXT_SUFFIXES
            and "__pycache__" not in p.parts
            and "node_modules" not in p.parts  # installed, not committed
        ]
    return found


def test_no_file_names_a_document_outside_the_repository() -> None:
    this_file = Path(__file__).resolve()
    offenders = []
    for path in repository_texts():
        if path.resolve() == this_file:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        offenders += [
            f"{path.relative_to(ROOT)}: {name}" for name in SHELF_NAMES if name in text
        ]
    assert offenders == []


def test_every_cited_docs_anchor_exists_in_its_page() -> None:
    cited = re.compile(r"docs/([\w./-]+\.md)#([\w-]+)")
    missing, seen = [], 0
    for path in (ROOT / "src").rglob("*"):
        if not path.is_file() or path.suffix not in TEXT_SUFFIXES:
            continue
        for page, anchor in cited.findall(path.read_text(encoding="utf-8")):
            seen += 1
            target = ROOT / "docs" / page
            text = target.read_text(encoding="utf-8") if target.exists() else ""
            if f'<a id="{anchor}"></a>' not in text:
                missing.append(f"{path.relative_to(ROOT)}: docs/{page}#{anchor}")
    assert seen > 10, "the comments cite the repository's docs"
    assert missing == []


def test_the_comments_cite_the_clinical_basis_page() -> None:
    page = (ROOT / "docs" / "clinical-basis.md").read_text(encoding="utf-8")
    for anchor in ("decision", "stop-rules", "zones-to-avoid", "review-list"):
        assert f'<a id="{anchor}"></a>' in page
