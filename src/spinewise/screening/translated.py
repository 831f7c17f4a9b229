"""A decision's words in another language, on the way out; the decision is unchanged.

The engine writes its summary and findings in English. ``translate_decision`` rewrites
the human text fields — the ``summary`` and each finding's ``message`` — in a requested
language: messages from the knowledge base's catalogue (``kb.in_language``), the summary
from the decision's own parts by ``summary.summarise`` with that language's
translator. Codes stay codes: verdict, statuses, rule ids, field paths,
sources and citations are the same in every language. In English the result equals the
engine's own text (a test holds the two together over every golden case).
"""

from __future__ import annotations

from spinewise.i18n import DEFAULT_LANGUAGE, Translator
from spinewise.kb import KnowledgeBase
from spinewise.models import Decision
from spinewise.screening.summary import summarise


def translated_summary(decision: Decision, tr: Translator) -> str:
    """The decision's summary in the translator's language, built from its parts."""
    return summarise(
        decision.verdict,
        decision.findings,
        decision.modalities,
        decision.missing,
        decision.rescreen_after_days,
        tr,
    )


def translate_decision(
    decision: Decision, kb: KnowledgeBase, language: str
) -> Decision:
    """The decision with its summary and finding messages in ``language``.

    English returns the decision itself. A finding whose rule the KB does not know
    (a decision stored under an older KB) keeps its stored message.
    """
    if language == DEFAULT_LANGUAGE:
        return decision
    local = kb.in_language(language)
    messages = {rule.id: rule.message for rule in local.rules}
    findings = [
        f.model_copy(update={"message": messages.get(f.rule, f.message)})
        for f in decision.findings
    ]
    summary = translated_summary(decision, Translator(language))
    return decision.model_copy(update={"summary": summary, "findings": findings})


def decision_document(
    decision: Decision, kb: KnowledgeBase, language: str
) -> dict[str, object]:
    """The contract JSON of the decision in ``language``, saying which (``"lang"``)."""
    document = translate_decision(decision, kb, language).to_contract()
    document["lang"] = language
    return document
