"""The knowledge base as a PlanDefinition (one action per rule) and a Library.

Each rule is one ``eca-rule`` action: ``title`` is the rule id, ``description`` the
clinician message, ``code`` the rule and its severity, ``textEquivalent`` the rule's
condition in words (the text of the clinical-basis page, from
``Condition.describe()``) and one ``applicability`` condition that carries the same
condition as Spinewise's structured JSON in the extension ``CONDITION_EXT``: readable
by a reviewer, executable by Spinewise, never ``eval``. (Not an ``Expression``: the
official R4 JSON schema allows only CQL, FHIRPath and FHIR queries as its language,
and the export must pass that schema.) ``documentation`` cites the rule's source. The Library holds
the whole versioned knowledge base as JSON with every source as a citation; a
GuidanceResponse names the PlanDefinition by ``url|version``.
"""

from __future__ import annotations

import base64
import json

from fhir.resources.R4B.attachment import Attachment
from fhir.resources.R4B.extension import Extension
from fhir.resources.R4B.library import Library
from fhir.resources.R4B.plandefinition import (
    PlanDefinition,
    PlanDefinitionAction,
    PlanDefinitionActionCondition,
)
from fhir.resources.R4B.relatedartifact import RelatedArtifact

from spinewise.interop import codes
from spinewise.interop.codes import Code, concept, local, resource_id
from spinewise.kb import KnowledgeBase, Rule, Source

_NAME = "Spinewise knowledge base: massage in intervertebral disc herniation"


def _status(kb: KnowledgeBase) -> str:
    return "draft" if "draft" in kb.version else "active"


def citation(source: Source) -> RelatedArtifact:
    """A source as a ``citation`` RelatedArtifact (label = source id)."""
    note = " (unconfirmed)" if source.unconfirmed else ""
    return RelatedArtifact(
        type="citation",
        label=source.id,
        display=f"{source.id}{note}",
        citation=source.citation,
        url=source.url,
    )


def rule_action(rule: Rule, kb: KnowledgeBase) -> PlanDefinitionAction:
    """One rule as a PlanDefinition action (see the module doc)."""
    condition = rule.when.model_dump(mode="json", by_alias=True, exclude_none=True)
    return PlanDefinitionAction(
        id=rule.id,
        extension=[
            Extension(url=codes.MODALITY_EXT, valueCode=m.value) for m in rule.targets
        ],
        title=rule.id,
        description=rule.message,
        code=[
            concept(
                local(codes.RULE, rule.id, rule.id),
                local(codes.SEVERITY, rule.severity.value),
            )
        ],
        textEquivalent=rule.when.describe(),
        condition=[
            PlanDefinitionActionCondition(
                extension=[
                    Extension(
                        url=codes.CONDITION_EXT,
                        valueString=json.dumps(condition, sort_keys=True),
                    )
                ],
                kind="applicability",
            )
        ],
        documentation=[citation(kb.sources[rule.source])],
    )


def plan_definition(kb: KnowledgeBase) -> PlanDefinition:
    """The knowledge base as an ``eca-rule`` PlanDefinition, one action per rule."""
    return PlanDefinition(
        id=resource_id("PlanDefinition", codes.PLAN_DEFINITION_URL, kb.version),
        url=codes.PLAN_DEFINITION_URL,
        version=kb.version,
        name="SpinewiseKnowledgeBase",
        title=_NAME,
        type=concept(Code(codes.PLAN_DEFINITION_TYPE, "eca-rule", "ECA Rule")),
        status=_status(kb),
        publisher="Spinewise",
        description=(
            f"{len(kb.rules)} screening rules in three-valued logic; a red flag or "
            "contraindication is never outvoted by other answers or a clearance."
        ),
        relatedArtifact=[citation(s) for s in kb.sources.values()],
        library=[f"{codes.LIBRARY_URL}|{kb.version}"],
        action=[rule_action(rule, kb) for rule in kb.rules],
    )


def kb_library(kb: KnowledgeBase) -> Library:
    """The knowledge base's data (rules and sources, JSON) as a Library."""
    data = kb.model_dump_json(by_alias=True, exclude_none=True).encode()
    return Library(
        id=resource_id("Library", codes.LIBRARY_URL, kb.version),
        url=codes.LIBRARY_URL,
        version=kb.version,
        name="SpinewiseKnowledgeBaseData",
        title=f"{_NAME} (data)",
        status=_status(kb),
        type=concept(Code(codes.LIBRARY_TYPE, "asset-collection", "Asset Collection")),
        publisher="Spinewise",
        relatedArtifact=[citation(s) for s in kb.sources.values()],
        content=[
            Attachment(
                contentType="application/json",
                title="knowledge-base.json",
                data=base64.b64encode(data),
            )
        ],
    )
