"""A stored course plan's words in another language, for printing.

A plan is stored as the planner wrote it, in English. Its clinical texts (techniques,
zones, precaution changes, checks, stop rules, home-care advice) come from the knowledge
base, so the same plan in Russian is the planner's output for the same assessment,
decision, start day and modalities with the knowledge base in Russian
(``kb.in_language``) and the planner's own words (figures, checks) in Russian too. That is only the same plan if the planner, run again in English,
gives back exactly the stored plan: then the translated one is used; otherwise (a plan
made by an older planner or knowledge base) the stored words are printed unchanged,
never a plan that differs from the one issued.
"""

from __future__ import annotations

from spinewise.errors import SpinewiseError
from spinewise.i18n import DEFAULT_LANGUAGE
from spinewise.kb import KnowledgeBase
from spinewise.models import Assessment, Decision
from spinewise.models.plan import CoursePlan
from spinewise.planning import plan_course


def plan_in_language(
    stored: CoursePlan,
    assessment: Assessment,
    decision: Decision,
    kb: KnowledgeBase,
    language: str,
) -> CoursePlan:
    """``stored`` with the knowledge base's texts in ``language`` (itself in English,
    or when it cannot be shown to be the same plan)."""
    if language == DEFAULT_LANGUAGE or stored.kb_version != kb.version:
        return stored
    modalities = [course.modality for course in stored.courses]
    try:
        again = plan_course(assessment, decision, kb, stored.start_date, modalities)
        again = again.model_copy(update={"clearance": stored.clearance})
        if again != stored:
            return stored
        local = plan_course(
            assessment,
            decision,
            kb.in_language(language),
            stored.start_date,
            modalities,
            language=language,
        )
    except SpinewiseError:
        return stored
    return local.model_copy(update={"clearance": stored.clearance})
