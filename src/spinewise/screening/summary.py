"""One or two sentences for the clinician, built only from the decision's own parts.

The one builder of the summary: the engine calls it in English (the default
translator, whose words are the msgids themselves); ``translated.py`` calls it again
with another language's translator when a decision goes out in that language.
"""

from __future__ import annotations

from spinewise.i18n import Translator
from spinewise.models import (
    Finding,
    Modality,
    ModalityDecision,
    ModalityStatus,
    RuleState,
    Severity,
    Verdict,
)

ENGLISH = Translator()

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


def _blocked(
    tr: Translator,
    verdict: Verdict,
    findings: list[Finding],
    missing: list[str],
    rescreen: int | None,
) -> str:
    if verdict is Verdict.URGENT_REFERRAL:
        return tr.gettext(
            "Red flag ({rules}): no massage of any kind. "
            "Refer now; follow each finding's referral route."
        ).format(rules=_ids(findings, Severity.RED_FLAG))
    if verdict is Verdict.INCOMPLETE:
        count = len(missing)
        return tr.ngettext(
            "Incomplete: {count} safety answer(s) missing ({fields}). "
            "Unknown is never 'no': answer them and re-screen.",
            "Incomplete: {count} safety answer(s) missing ({fields}). "
            "Unknown is never 'no': answer them and re-screen.",
            count,
        ).format(count=count, fields=", ".join(missing))
    if verdict is Verdict.DECLINED_BY_PHYSICIAN:
        return tr.gettext(
            "The attending physician declined massage, or excluded every modality "
            "that would otherwise be allowed. No course can be planned."
        )
    blocking = _ids(findings, Severity.DEFER, Severity.CONTRAINDICATION)
    if verdict is Verdict.NOT_NOW:
        return tr.ngettext(
            "Not now ({rules}): every modality is contraindicated for the time "
            "being. Re-screen in {days} day(s).",
            "Not now ({rules}): every modality is contraindicated for the time "
            "being. Re-screen in {days} day(s).",
            rescreen or 0,
        ).format(rules=blocking, days=rescreen)
    return tr.gettext(
        "Not suitable ({rules}): every modality is contraindicated for lasting reasons."
    ).format(rules=blocking)


def summarise(
    verdict: Verdict,
    findings: list[Finding],
    modalities: dict[Modality, ModalityDecision],
    missing: list[str],
    rescreen: int | None,
    tr: Translator = ENGLISH,
) -> str:
    """The decision in words; every claim names the rules it rests on."""
    if verdict is Verdict.AWAITING_CLEARANCE:
        return tr.gettext(
            "Clinically possible: {modalities}. Awaiting the attending "
            "physician's clearance (none valid on the assessment date)."
        ).format(modalities=_usable(tr, modalities))
    if verdict is Verdict.PROCEED:
        return tr.gettext(
            "Proceed under the physician's clearance: {modalities}."
        ).format(modalities=_usable(tr, modalities))
    return _blocked(tr, verdict, findings, missing, rescreen)
