"""A decision's words in another language, on the way out; the decision is unchanged.

The engine writes its summary and findings in English. ``translate_decision`` rewrites
the human text fields — the ``summary`` and each finding's ``message`` — in a requested
language: messages from the knowledge base's catalogue (``kb.in_language``), the summary
from the decision's own parts with the gettext catalogue, in the same shape as
``summary.summarise``. Codes stay codes: verdict, statuses, rule ids, field paths,
sources and citations are the same in every language. In English the result equals the
engine's own text (a test holds the two together over every golden case).
"""

from __future__ import annotations

from spinewise.i18n import DEFAULT_LANGUAGE, Translator
from spinewise.kb import KnowledgeBase
from spinewise.models import (
    Decision,
    Finding,
    Modality,
    ModalityDecision,
    ModalityStatus,
    RuleState,
    Severity,
    Verdict,
)

_USABLE = (ModalityStatus.ALLOWED, ModalityStatus.WITH_PRECAUTIONS)


def _ids(findings: list[Finding], *severities: Severity) -> str:
    return ", ".join(
        f.rule
        for f in findings
        if f.severity in severities and f.state is RuleState.FIRED
    )


def _modality(tr: Translator, modality: Modality) -> str:
    labels = {
        Modality.CLASSICAL: tr.pgettext("modality", "classical"),
        Modality.VACUUM: tr.pgettext("modality", "vacuum"),
        Modality.HYDROMASSAGE: tr.pgettext("modality", "hydromassage"),
    }
    return labels[modality]


def _usable(tr: Translator, modalities: dict[Modality, ModalityDecision]) -> str:
    parts = [
        tr.gettext("{modality} with precautions").format(modality=_modality(tr, m))
        if d.status is ModalityStatus.WITH_PRECAUTIONS
        else _modality(tr, m)
        for m, d in modalities.items()
        if d.status in _USABLE
    ]
    return "; ".join(parts) or tr.pgettext("modalities", "none")


def _blocked_summary(tr: Translator, decision: Decision) -> str:
    findings, verdict = decision.findings, decision.verdict
    if verdict is Verdict.URGENT_REFERRAL:
        return tr.gettext(
            "Red flag ({rules}): no massage of any kind. "
            "Refer now; follow each finding's referral route."
        ).format(rules=_ids(findings, Severity.RED_FLAG))
    if verdict is Verdict.INCOMPLETE:
        count = len(decision.missing)
        return tr.ngettext(
            "Incomplete: {count} safety answer(s) missing ({fields}). "
            "Unknown is never 'no': answer them and re-screen.",
            "Incomplete: {count} safety answer(s) missing ({fields}). "
            "Unknown is never 'no': answer them and re-screen.",
            count,
        ).format(count=count, fields=", ".join(decision.missing))
    if verdict is Verdict.DECLINED_BY_PHYSICIAN:
        return tr.gettext(
            "The attending physician declined massage, or excluded every modality "
            "that would otherwise be allowed. No course can be planned."
        )
    blocking = _ids(findings, Severity.DEFER, Severity.CONTRAINDICATION)
    if verdict is Verdict.NOT_NOW:
        days = decision.rescreen_after_days or 0
        return tr.ngettext(
            "Not now ({rules}): every modality is contraindicated for the time "
            "being. Re-screen in {days} day(s).",
            "Not now ({rules}): every modality is contraindicated for the time "
            "being. Re-screen in {days} day(s).",
            days,
        ).format(rules=blocking, days=days)
    return tr.gettext(
        "Not suitable ({rules}): every modality is contraindicated for lasting reasons."
    ).format(rules=blocking)


def translated_summary(decision: Decision, tr: Translator) -> str:
    """The decision's summary in the translator's language, built from its parts."""
    if decision.verdict is Verdict.AWAITING_CLEARANCE:
        return tr.gettext(
            "Clinically possible: {modalities}. Awaiting the attending "
            "physician's clearance (none valid on the assessment date)."
        ).format(modalities=_usable(tr, decision.modalities))
    if decision.verdict is Verdict.PROCEED:
        return tr.gettext(
            "Proceed under the physician's clearance: {modalities}."
        ).format(modalities=_usable(tr, decision.modalities))
    return _blocked_summary(tr, decision)


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
