"""One or two sentences for the clinician, built only from the decision's own parts."""

from __future__ import annotations

from spinewise.models import (
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


def _usable(modalities: dict[Modality, ModalityDecision]) -> str:
    parts = []
    for m, d in modalities.items():
        if d.status in _USABLE:
            note = (
                " with precautions"
                if d.status is ModalityStatus.WITH_PRECAUTIONS
                else ""
            )
            parts.append(f"{m}{note}")
    return "; ".join(parts) or "none"


def summarise(
    verdict: Verdict,
    findings: list[Finding],
    modalities: dict[Modality, ModalityDecision],
    missing: list[str],
    rescreen: int | None,
) -> str:
    """The decision in words; every claim names the rules it rests on."""
    if verdict is Verdict.URGENT_REFERRAL:
        return (
            f"Red flag ({_ids(findings, Severity.RED_FLAG)}): no massage of any kind. "
            "Refer now; follow each finding's referral route."
        )
    if verdict is Verdict.INCOMPLETE:
        return (
            f"Incomplete: {len(missing)} safety answer(s) missing "
            f"({', '.join(missing)}). Unknown is never 'no': answer them and re-screen."
        )
    if verdict is Verdict.DECLINED_BY_PHYSICIAN:
        return (
            "The attending physician declined massage, or excluded every modality "
            "that would otherwise be allowed. No course can be planned."
        )
    if verdict is Verdict.NOT_NOW:
        blocking = _ids(findings, Severity.DEFER, Severity.CONTRAINDICATION)
        return (
            f"Not now ({blocking}): every modality is contraindicated for the time "
            f"being. Re-screen in {rescreen} day(s)."
        )
    if verdict is Verdict.NOT_SUITABLE:
        blocking = _ids(findings, Severity.DEFER, Severity.CONTRAINDICATION)
        return f"Not suitable ({blocking}): every modality is contraindicated for lasting reasons."
    if verdict is Verdict.AWAITING_CLEARANCE:
        return (
            f"Clinically possible: {_usable(modalities)}. Awaiting the attending "
            "physician's clearance (none valid on the assessment date)."
        )
    return f"Proceed under the physician's clearance: {_usable(modalities)}."
