"""Every FHIR export of the demo clinics passes a strict R4 validator (the official
definitions with their invariants, reference target types followed through the
Bundle, required bindings): no errors, and each kind of warning left is listed and
justified in docs/integrators/fhir.md."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from tests.fhir_validator import Issue, errors, validate
from tests.services.demo_exports import demo_exports, demo_store

from spinewise import services
from spinewise.interop import DEFAULT_CANONICAL_BASE
from spinewise.kb import KnowledgeBase

DOC = Path(__file__).parents[3] / "docs" / "integrators" / "fhir.md"


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
def found(
    exports: dict[str, dict[str, Any]], kb: KnowledgeBase
) -> dict[str, list[Issue]]:
    """One validator run: the exports, and what ``GET /fhir/...`` serves (the
    receiving system reads the code systems there, as the context)."""
    served = services.fhir_conformance(kb, DEFAULT_CANONICAL_BASE, dt.date(2026, 12, 4))
    documents = {**exports, "metadata": served.capability}
    documents |= {"/".join(key): r for key, r in served.resources.items()}
    return validate(documents, context=list(served.resources.values()))


def test_the_demo_exports_are_every_patient_and_one_with_the_knowledge_base(
    exports: dict[str, dict[str, Any]],
) -> None:
    assert len(exports) >= 13
    assert sum(name.endswith("+kb") for name in exports) == 1
    with_kb = next(b for name, b in exports.items() if name.endswith("+kb"))
    kinds = {e["resource"]["resourceType"] for e in with_kb["entry"]}
    assert {"PlanDefinition", "CodeSystem", "ValueSet", "StructureDefinition"} <= kinds


def test_every_demo_export_and_conformance_resource_has_no_validation_error(
    found: dict[str, list[Issue]],
) -> None:
    failing = {name: errors(issues)[:5] for name, issues in found.items()}
    assert {name: e for name, e in failing.items() if e} == {}


def test_every_kind_of_warning_left_is_justified_in_the_fhir_doc(
    found: dict[str, list[Issue]],
) -> None:
    documented = set(re.findall(r"^\| `([\w:.-]+)` \|", DOC.read_text(), re.M))
    warnings = {
        i.kind for issues in found.values() for i in issues if i.severity == "warning"
    }
    assert warnings - documented == set()
