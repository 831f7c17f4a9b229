"""``screen(assessment, kb) -> Decision``: the pure heart of Spinewise."""

from __future__ import annotations

from spinewise.kb import KnowledgeBase
from spinewise.models import Assessment, Decision
from spinewise.screening.rules import evaluate_rules, facts_of
from spinewise.screening.verdict import decide


def screen(assessment: Assessment, kb: KnowledgeBase) -> Decision:
    """Evaluate every rule on ``assessment`` and return the contract's decision."""
    facts = facts_of(assessment)
    return decide(assessment, kb, evaluate_rules(kb, facts), facts)
