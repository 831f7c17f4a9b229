"""The public FHIR conformance resources: what ``GET /fhir/...`` serves.

The CodeSystems, ValueSets and extension StructureDefinitions the exports use, and
the CapabilityStatement listing them (``interop.conformance_resources``). They hold
no patient data, so no actor is needed and nothing is audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from spinewise import __version__
from spinewise.interop import (
    PUBLIC_TYPES,
    capability_statement,
    conformance_resources,
    to_json,
)
from spinewise.kb import KnowledgeBase

PUBLIC_FHIR_TYPES = PUBLIC_TYPES  # the resource types GET /fhir/{type}/{id} serves


@dataclass(frozen=True)
class FhirConformance:
    """The published resources as JSON, by resource type and id."""

    capability: dict[str, Any]
    resources: dict[tuple[str, str], dict[str, Any]]

    def find(self, resource_type: str, resource_id: str) -> dict[str, Any] | None:
        """One published resource, or None when there is no such resource."""
        return self.resources.get((resource_type, resource_id))


def fhir_conformance(
    kb: KnowledgeBase, canonical_base: str, today: dt.date
) -> FhirConformance:
    """Everything ``GET /fhir/...`` serves, under ``canonical_base``; build it once
    per process and keep it (it depends only on the KB and the base)."""
    published = [to_json(r) for r in conformance_resources(kb, canonical_base)]
    return FhirConformance(
        capability=to_json(capability_statement(canonical_base, __version__, today)),
        resources={(r["resourceType"], r["id"]): r for r in published},
    )
