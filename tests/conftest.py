"""Fixtures shared by every test package."""

from __future__ import annotations

from pathlib import Path

import pytest

from spinewise.kb import KnowledgeBase, load_kb

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
EXAMPLES = SHARED / "domain" / "examples"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """The bundled knowledge base, loaded once."""
    return load_kb()
