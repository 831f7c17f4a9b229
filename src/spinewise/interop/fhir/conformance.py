"""What the exports use, published: the local CodeSystems and ValueSets
(``fhir_terminology``), a StructureDefinition per Spinewise extension and the
CapabilityStatement of the public conformance endpoints (``GET /fhir/...``).

``published`` turns a bundle built with the internal ``urn:spinewise:*`` names into
the published form: each local code system and extension named by its canonical
http(s) URL under the configured base (``codes.canonical_url``). Identifier systems
(``urn:spinewise:patient``, ``urn:spinewise:assessment``) and the canonical URLs of
the Questionnaire, PlanDefinition and Library keep their names: EHRs match patients
and search responses by them.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from fhir.resources.R4B.bundle import Bundle, BundleEntry
from fhir.resources.R4B.capabilitystatement import (
    CapabilityStatement,
    CapabilityStatementImplementation,
    CapabilityStatementRest,
    CapabilityStatementRestResource,
    CapabilityStatementRestResourceInteraction,
    CapabilityStatementSoftware,
)
from fhir.resources.R4B.domainresource import DomainResource
from fhir.resources.R4B.elementdefinition import (
    ElementDefinition,
    ElementDefinitionBinding,
    ElementDefinitionType,
)
from fhir.resources.R4B.structuredefinition import (
    StructureDefinition,
    StructureDefinitionContext,
    StructureDefinitionDifferential,
)

from spinewise.interop import codes
from spinewise.interop.codes import canonical_url, published_id
from spinewise.interop.fhir.narrative import with_narrative
from spinewise.interop.fhir.terminology import local_systems, terminology
from spinewise.kb import KnowledgeBase

FHIR_VERSION = "4.0.1"
_EXTENSION_BASE = "http://hl7.org/fhir/StructureDefinition/Extension"
# url -> (title, contexts, value type, bound code system or None)
_EXTENSIONS: dict[str, tuple[str, tuple[str, ...], str, str | None]] = {
    codes.MODALITY_EXT: (
        "Massage modality a rule or finding concerns",
        ("DetectedIssue", "PlanDefinition.action"),
        "code",
        codes.MODALITY,
    ),
    codes.CONDITION_EXT: (
        "A screening rule's condition as Spinewise's JSON (spinewise.kb schema)",
        ("PlanDefinition.action.condition",),
        "string",
        None,
    ),
}
PUBLIC_TYPES = ("CodeSystem", "ValueSet", "StructureDefinition")


def _value_element(value_type: str, system: str | None, base: str) -> ElementDefinition:
    binding = None
    if system is not None:
        value_set = canonical_url(system, base).replace("/CodeSystem/", "/ValueSet/")
        binding = ElementDefinitionBinding(strength="required", valueSet=value_set)
    return ElementDefinition(
        id="Extension.value[x]",
        path="Extension.value[x]",
        min=1,
        type=[ElementDefinitionType(code=value_type)],
        binding=binding,
    )


def extension_definition(url: str, base: str) -> StructureDefinition:
    """The StructureDefinition of one Spinewise extension."""
    title, contexts, value_type, system = _EXTENSIONS[url]
    canonical = canonical_url(url, base)
    elements = [
        ElementDefinition(
            id="Extension", path="Extension", short=title, definition=title
        ),
        ElementDefinition(
            id="Extension.extension", path="Extension.extension", max="0"
        ),
        ElementDefinition(id="Extension.url", path="Extension.url", fixedUri=canonical),
        _value_element(value_type, system, base),
    ]
    return StructureDefinition(
        id=published_id(url),
        url=canonical,
        version=codes.QUESTIONNAIRE_VERSION,
        name="".join(w.capitalize() for w in published_id(url).split("-")),
        title=title,
        status="active",
        publisher="Spinewise",
        description=f"{title}; formerly known as {url}.",
        # no fhirVersion: optional, and the official R4 JSON schema's enum stops at
        # 4.0.0 while the R4 definitions say 4.0.1 (the CapabilityStatement, where it
        # is required, says 4.0.1)
        kind="complex-type",
        abstract=False,
        context=[
            StructureDefinitionContext(type="element", expression=c) for c in contexts
        ],
        type="Extension",
        baseDefinition=_EXTENSION_BASE,
        derivation="constraint",
        differential=StructureDefinitionDifferential(element=elements),
    )


def conformance_resources(kb: KnowledgeBase, base: str) -> list[DomainResource]:
    """Every CodeSystem, ValueSet and extension StructureDefinition the exports use,
    each with its narrative."""
    published: list[DomainResource] = [*terminology(kb, base)]
    published += [extension_definition(url, base) for url in _EXTENSIONS]
    return [with_narrative(r) for r in published]


def capability_statement(
    base: str, software_version: str, date: dt.date
) -> CapabilityStatement:
    """What ``GET /fhir/...`` serves: read of the conformance resources (public)."""
    resources = [
        CapabilityStatementRestResource(
            type=kind,
            interaction=[CapabilityStatementRestResourceInteraction(code="read")],
        )
        for kind in PUBLIC_TYPES
    ]
    statement = CapabilityStatement(
        id="spinewise",
        url=f"{base.rstrip('/')}/CapabilityStatement/spinewise",
        version=software_version,
        name="SpinewiseConformance",
        title="Spinewise FHIR conformance resources",
        status="active",
        date=date,
        publisher="Spinewise",
        description="Read access to the CodeSystems, ValueSets and StructureDefinitions "
        "that Spinewise's FHIR R4 exports use; patient data are not served here.",
        kind="instance",
        software=CapabilityStatementSoftware(
            name="Spinewise", version=software_version
        ),
        implementation=CapabilityStatementImplementation(
            description="Spinewise conformance endpoint", url=base
        ),
        fhirVersion=FHIR_VERSION,
        format=["json"],
        rest=[CapabilityStatementRest(mode="server", resource=resources)],
    )
    return with_narrative(statement)


def _rewrite(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, dict):
        return {
            k: names.get(v, v)
            if k in ("system", "url") and isinstance(v, str)
            else _rewrite(v, names)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_rewrite(v, names) for v in value]
    return value


def published(bundle: Bundle, base: str, kb: KnowledgeBase | None = None) -> Bundle:
    """``bundle`` with the local systems and extensions under their canonical URLs;
    with ``kb``, the conformance resources are added as entries too."""
    names = {s.name: canonical_url(s.name, base) for s in local_systems(None)}
    names |= {url: canonical_url(url, base) for url in _EXTENSIONS}
    data = _rewrite(json.loads(bundle.model_dump_json()), names)
    result = Bundle.model_validate(data)
    if kb is not None:
        added = [
            BundleEntry(
                fullUrl=f"{base.rstrip('/')}/{r.get_resource_type()}/{r.id}", resource=r
            )
            for r in conformance_resources(kb, base)
        ]
        result = result.model_copy(update={"entry": [*(result.entry or []), *added]})
    return result
