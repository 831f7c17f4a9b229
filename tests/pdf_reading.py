"""Reading printed PDFs back in tests: their text, page count and embedded fonts
(poppler-utils: pdftotext, pdfinfo, pdffonts)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

FIELD_PATH = re.compile(
    r"\b(red_flags|symptoms|history|medications|hernia|condition|clearance)\.[a-z_]+"
)
REPO_PATH = re.compile(r"\b(src|docs|tests)/[\w./-]+|\.py\b|\.ya?ml\b")


def poppler(tool: str) -> str:
    path = shutil.which(tool)
    assert path, f"{tool} (poppler-utils) is needed to read the PDFs back"
    return path


def _run(tool: str, pdf: bytes, tmp_path: Path, name: str, *args: str) -> str:
    path = tmp_path / name
    path.write_bytes(pdf)
    return subprocess.run(
        [poppler(tool), *args, str(path), *(["-"] if tool == "pdftotext" else [])],
        capture_output=True,
        check=True,
        text=True,
    ).stdout


def pdf_text(pdf: bytes, tmp_path: Path, name: str = "report.pdf") -> str:
    """The PDF's text, laid out as printed."""
    return _run("pdftotext", pdf, tmp_path, name, "-layout")


def words(pdf: bytes, tmp_path: Path, name: str = "report.pdf") -> str:
    """The PDF's text with every run of white space as one space."""
    return " ".join(pdf_text(pdf, tmp_path, name).split())


def pages(pdf: bytes, tmp_path: Path) -> int:
    info = _run("pdfinfo", pdf, tmp_path, "pages.pdf")
    line = next(line for line in info.splitlines() if line.startswith("Pages:"))
    return int(line.split()[1])


def fonts(pdf: bytes, tmp_path: Path) -> list[tuple[str, bool]]:
    """Each font of the PDF: its name and whether it is embedded."""
    listing = _run("pdffonts", pdf, tmp_path, "fonts.pdf").splitlines()[2:]
    found = []
    for line in listing:
        parts = line.split()
        # name type [type...] encoding emb sub uni object-id generation
        found.append((parts[0], parts[-5] == "yes"))
    return found


def assert_plain_words(text: str) -> None:
    """No field path, repository path or template placeholder in a reader's text."""
    assert not FIELD_PATH.search(text), FIELD_PATH.search(text)
    assert not REPO_PATH.search(text), REPO_PATH.search(text)
    assert "{" not in text and "%(" not in text, "an unformatted placeholder"
