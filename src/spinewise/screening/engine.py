"""``screen(assessment, kb) -> Decision``: the pure heart of Spinewise.

``screen`` runs the knowledge base compiled once into one function (the fast path
every adapter uses); ``screen_interpreted`` walks the condition trees and is the
reference the tests hold the compiled and columnar paths to.
"""

from __future__ import annotations

from spinewise.kb import KnowledgeBase
from spinewise.models import Assessment, Decision
from spinewise.screening.compiled import compile_rules
from spinewise.screening.rules import evaluate_rules, facts_of
from spinewise.screening.verdict import decide


def screen(assessment: Assessment, kb: KnowledgeBase) -> Decision:
    """Evaluate every rule on ``assessment`` and return the contract's decision."""
    return compile_rules(kb).screen(assessment)


def screen_interpreted(assessment: Assessment, kb: KnowledgeBase) -> Decision:
    """The same decision by the reference interpreter (slower; for tests and audit)."""
    facts = facts_of(assessment)
    results = evaluate_rules(kb, facts, assessment.profile)
    return decide(assessment, kb, results, facts)
