"""Spinewise's own code systems, published: a CodeSystem and a ValueSet (all its
codes) for every ``urn:spinewise:*`` system the exports use.

The concepts are gathered from the very functions that emit the codes (the
questionnaire's answer options, the Condition and body-site codes, the clearance
service codes, the instrument components, the knowledge base's rules), so a code
the export writes is a code the CodeSystem defines (content ``complete``). A code
written with more than one display keeps the first as ``display`` and the others as
designations. Canonical URLs come from ``codes.canonical_url`` under the base given.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fhir.resources.R4B.codesystem import (
    CodeSystem,
    CodeSystemConcept,
    CodeSystemConceptDesignation,
)
from fhir.resources.R4B.identifier import Identifier
from fhir.resources.R4B.valueset import (
    ValueSet,
    ValueSetCompose,
    ValueSetComposeInclude,
)

from spinewise.interop import codes
from spinewise.interop.codes import Code, canonical_url, local, published_id
from spinewise.interop.fhir.clearance import CLEARANCE_CODES
from spinewise.interop.fhir.observation import component_codes
from spinewise.interop.fhir.patient import body_site_codes, herniation_code
from spinewise.interop.fhir.questionnaire import questionnaire_fields
from spinewise.kb import KnowledgeBase
from spinewise.models import (
    ClearanceStatus,
    Modality,
    Region,
    Severity,
    Verdict,
    levels_for,
)

TERMINOLOGY_VERSION = "1"  # the enum-based systems; the rules follow the KB version
TITLES = {
    codes.RULE: "Spinewise screening rules",
    codes.SEVERITY: "Spinewise finding severities",
    codes.VERDICT: "Spinewise screening verdicts",
    codes.MODALITY: "Spinewise massage modalities",
    codes.CLEARANCE_STATUS: "Spinewise physician clearance statuses",
    codes.CONDITION: "Spinewise conditions",
    codes.BODY_SITE: "Spinewise body sites",
    codes.DISC_LEVEL: "Spinewise intervertebral disc levels",
    codes.SERVICE: "Spinewise services and clearance outputs",
    codes.INSTRUMENT: "Spinewise outcome instruments and their score parts",
}


@dataclass
class LocalSystem:
    """One local code system: its ``urn:spinewise:*`` name and its codes."""

    name: str
    concepts: dict[str, list[str]] = field(default_factory=dict)  # code -> displays

    def add(self, code: Code) -> None:
        displays = self.concepts.setdefault(code.code, [])
        if code.display and code.display not in displays:
            displays.append(code.display)

    @property
    def title(self) -> str:
        words = self.name.removeprefix("urn:spinewise:").replace("-", " ")
        return TITLES.get(self.name, f"Spinewise {words} codes")

    @property
    def pascal(self) -> str:
        return "".join(w.capitalize() for w in published_id(self.name).split("-"))


def _gathered(kb: KnowledgeBase | None) -> list[Code]:
    found: list[Code] = [o for f in questionnaire_fields() for o in f.options]
    for region in Region:
        found += herniation_code(region)
        for level in levels_for(region):
            found += body_site_codes(region, level)
    found += [local(codes.RULE, rule.id, rule.id) for rule in kb.rules] if kb else []
    found += [local(codes.SEVERITY, s.value) for s in Severity]
    found += [local(codes.VERDICT, v.value) for v in Verdict]
    found += [local(codes.MODALITY, m.value) for m in Modality]
    found += [local(codes.CLEARANCE_STATUS, c.value) for c in ClearanceStatus]
    found += [*CLEARANCE_CODES, *component_codes()]
    return found


def local_systems(kb: KnowledgeBase | None) -> list[LocalSystem]:
    """Every local code system with its codes, sorted by name (without ``kb`` the
    rule system is there, empty)."""
    systems: dict[str, LocalSystem] = {codes.RULE: LocalSystem(codes.RULE)}
    for code in _gathered(kb):
        if code.system.startswith("urn:spinewise:"):
            systems.setdefault(code.system, LocalSystem(code.system)).add(code)
    return [systems[name] for name in sorted(systems)]


def _concept(code: str, displays: list[str]) -> CodeSystemConcept:
    return CodeSystemConcept(
        code=code,
        display=displays[0] if displays else None,
        designation=[CodeSystemConceptDesignation(value=d) for d in displays[1:]]
        or None,
    )


def _version(system: LocalSystem, kb: KnowledgeBase) -> str:
    return kb.version if system.name == codes.RULE else TERMINOLOGY_VERSION


def code_system(system: LocalSystem, kb: KnowledgeBase, base: str) -> CodeSystem:
    """The CodeSystem of one local system (content ``complete``)."""
    return CodeSystem(
        id=published_id(system.name),
        url=canonical_url(system.name, base),
        identifier=[Identifier(system="urn:ietf:rfc:3986", value=system.name)],
        version=_version(system, kb),
        name=system.pascal,
        title=system.title,
        status="active",
        experimental=False,
        publisher="Spinewise",
        description=f"{system.title}; formerly known as {system.name}.",
        caseSensitive=True,
        valueSet=canonical_url(system.name, base).replace("/CodeSystem/", "/ValueSet/"),
        content="complete",
        count=len(system.concepts),
        concept=[_concept(c, d) for c, d in system.concepts.items()],
    )


def value_set(system: LocalSystem, kb: KnowledgeBase, base: str) -> ValueSet:
    """The ValueSet of every code of one local system."""
    url = canonical_url(system.name, base)
    return ValueSet(
        id=published_id(system.name),
        url=url.replace("/CodeSystem/", "/ValueSet/"),
        version=_version(system, kb),
        name=system.pascal,
        title=f"All {system.title.removeprefix('Spinewise ')}",
        status="active",
        experimental=False,
        publisher="Spinewise",
        description=f"Every code of the CodeSystem {url}.",
        compose=ValueSetCompose(
            include=[ValueSetComposeInclude(system=url, version=_version(system, kb))]
        ),
    )


def terminology(kb: KnowledgeBase, base: str) -> list[CodeSystem | ValueSet]:
    """Each local system's CodeSystem then its ValueSet."""
    published: list[CodeSystem | ValueSet] = []
    for system in local_systems(kb):
        published += [code_system(system, kb, base), value_set(system, kb, base)]
    return published
