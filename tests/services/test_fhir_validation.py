"""Every FHIR export of the demo clinics passes a strict R4 validator (the official
definitions with their invariants, reference target types followed through the
Bundle, required bindings): no errors, and each kind of warning left is listed and
justified in docs/integrators/fhir.md."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from tests.fhir_validator import Issue, errors, validate
from tests.services.demo_exports import demo_exports, demo_store

from spinewise.kb import KnowledgeBase

DOC = Path(__file__).parents[2] / "docs" / "integrators" / "fhir.md"


@pytest.fixture(scope="module")
def exports(
    tmp_path_factory: pytest.TempPathFactory, kb: KnowledgeBase
) -> dict[str, dict[str, Any]]:
    store, therapists = demo_store(tmp_path_factory.mktemp("demo"), kb)
    try:
        return demo_exports(store, therapists, kb)
    finally:
        store.dispose()


@pytest.fixture(scope="module")
def found(exports: dict[str, dict[str, Any]]) -> dict[str, list[Issue]]:
    return validate(exports)


def test_the_demo_exports_are_every_patient_and_one_with_the_knowledge_base(
    exports: dict[str, dict[str, Any]],
) -> None:
    assert len(exports) >= 13
    assert sum(name.endswith("+kb") for name in exports) == 1


def test_every_demo_export_has_no_validation_error(
    found: dict[str, list[Issue]],
) -> None:
    failing = {name: errors(issues)[:5] for name, issues in found.items()}
    assert {name: e for name, e in failing.items() if e} == {}


@pytest.mark.xfail(strict=True, reason="#20: code systems, narratives to publish")
def test_every_kind_of_warning_left_is_justified_in_the_fhir_doc(
    found: dict[str, list[Issue]],
) -> None:
    documented = set(re.findall(r"^\| `([\w:.-]+)` \|", DOC.read_text(), re.M))
    warnings = {
        i.kind for issues in found.values() for i in issues if i.severity == "warning"
    }
    assert warnings - documented == set()
