"""The knowledge base as a PlanDefinition (one action per rule) and a Library."""

from __future__ import annotations

import json

from tests.interop.fhir_support import reparsed

from spinewise.interop import kb_library, plan_definition
from spinewise.interop.codes import CONDITION_EXT, LIBRARY_URL
from spinewise.kb import KnowledgeBase


def test_every_rule_is_one_action_of_the_plan_definition(kb: KnowledgeBase) -> None:
    plan = reparsed(plan_definition(kb))
    assert [a.title for a in plan.action] == [r.id for r in kb.rules]
    assert plan.version == kb.version
    assert plan.type.coding[0].code == "eca-rule"
    assert plan.library == [f"{LIBRARY_URL}|{kb.version}"]


def test_an_action_describes_its_condition_and_cites_its_source(
    kb: KnowledgeBase,
) -> None:
    plan = plan_definition(kb)
    for rule, action in zip(kb.rules, plan.action, strict=True):
        [condition] = action.condition
        assert condition.kind == "applicability"
        assert action.textEquivalent == rule.when.describe()
        [extension] = condition.extension
        assert extension.url == CONDITION_EXT
        assert json.loads(extension.valueString) == rule.when.model_dump(
            mode="json", by_alias=True, exclude_none=True
        )
        [doc] = action.documentation
        assert (doc.type, doc.label) == ("citation", rule.source)
        assert doc.citation == kb.sources[rule.source].citation
        assert action.description == rule.message


def test_the_library_holds_the_knowledge_base_that_reloads_equal(
    kb: KnowledgeBase,
) -> None:
    library = reparsed(kb_library(kb))
    [content] = library.content
    data = json.loads(content.data)  # fhir.resources decodes base64Binary
    assert KnowledgeBase.model_validate(data) == kb
    assert {a.label for a in library.relatedArtifact} == set(kb.sources)
