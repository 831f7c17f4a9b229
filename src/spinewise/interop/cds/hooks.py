"""CDS Hooks 2.0: request/response shapes and the cards a decision becomes (pure).

The web adapter serves these; this module never does I/O. Card rules:

* ``critical`` — a fired red flag or contraindication (or defer). Red-flag cards carry
  no ``overrideReasons``: a red flag is never to be overridden.
* ``warning`` — precautions (fired or applied because unknown) and missing answers.
* ``info`` — the verdict when massage may proceed, and the modalities that may be
  planned (the verdict card is ``warning`` for any other verdict, ``critical`` for an
  urgent referral).
* no readable assessment — a ``warning`` that screening needs the Spinewise
  questionnaire, never a go-ahead.

Every card names the rule it rests on (``source.label``/``url``) so that the feedback
endpoint can be counted per rule.
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from spinewise.interop.cds.context import PREFETCH
from spinewise.kb import KnowledgeBase
from spinewise.models import (
    Decision,
    Finding,
    Modality,
    ModalityStatus,
    RuleState,
    Severity,
    Verdict,
)

Indicator = Literal["info", "warning", "critical"]
PATIENT_VIEW = "spinewise-patient-view"
ORDER_SELECT = "spinewise-order-select"
CARD_SYSTEM = "urn:spinewise:card"
CARD_NAMESPACE = uuid.UUID("6f1d3c52-8a43-4d0b-9b1e-3c1f9a0e2d71")
OVERRIDE_SYSTEM = "urn:spinewise:cds-override-reason"
OVERRIDE_REASONS: tuple[tuple[str, str], ...] = (
    ("physician-assessed", "Assessed in person by the attending physician"),
    ("information-outdated", "The recorded answer is outdated; re-screen pending"),
    ("not-applicable-to-area", "Does not concern the area to be treated"),
    ("patient-informed-consent", "Patient informed and consents after discussion"),
)


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class FhirAuthorization(_Open):
    access_token: str
    token_type: Literal["Bearer"]
    expires_in: int
    scope: str
    subject: str


class HookRequest(_Open):
    """A CDS Hooks call (``POST /cds-services/{id}``)."""

    hook: str
    hookInstance: str = Field(min_length=1)
    fhirServer: str | None = None
    fhirAuthorization: FhirAuthorization | None = None
    context: dict[str, Any]
    prefetch: dict[str, Any | None] | None = None


class Coding(_Open):
    code: str
    system: str | None = None
    display: str | None = None


class OverrideReason(_Open):
    reason: Coding | None = None
    userComment: str | None = None


class FeedbackItem(_Open):
    card: str
    outcome: Literal["accepted", "overridden"]
    acceptedSuggestions: list[dict[str, Any]] = Field(default_factory=list)
    overrideReason: OverrideReason | None = None
    outcomeTimestamp: str


class FeedbackRequest(_Open):
    feedback: list[FeedbackItem] = Field(min_length=1)


class Source(BaseModel):
    label: str
    url: str | None = None
    topic: Coding | None = None


class Link(BaseModel):
    label: str
    url: str
    type: Literal["absolute", "smart"] = "absolute"


class Card(BaseModel):
    uuid: str
    summary: str = Field(max_length=140)
    detail: str | None = None
    indicator: Indicator
    source: Source
    overrideReasons: list[Coding] | None = None
    links: list[Link] | None = None


USAGE = (
    "Screens the patient's latest answer to the Spinewise questionnaire "
    "(QuestionnaireResponse to urn:spinewise:questionnaire:assessment); without one, "
    "a warning card asks for it. Requests carry the CDS Hooks client JWT."
)


def service_definitions() -> list[dict[str, Any]]:
    """The discovery document's services, with prefetch templates."""
    return [
        {
            "hook": "patient-view",
            "id": PATIENT_VIEW,
            "title": "Spinewise massage screening",
            "description": "May this patient's spine be massaged now, with which "
            "massage? Red flags, contraindications, precautions and missing answers.",
            "prefetch": dict(PREFETCH),
            "usageRequirements": USAGE,
        },
        {
            "hook": "order-select",
            "id": ORDER_SELECT,
            "title": "Spinewise check of a massage or physiotherapy order",
            "description": "Checks a selected massage or physiotherapy order against "
            "the patient's latest screening.",
            "prefetch": dict(PREFETCH),
            "usageRequirements": USAGE,
        },
    ]


def service_hooks() -> dict[str, str]:
    """Service id -> the hook it answers."""
    return {s["id"]: s["hook"] for s in service_definitions()}


def _card_id(hook_instance: str, key: str) -> str:
    return str(uuid.uuid5(CARD_NAMESPACE, f"{hook_instance}/{key}"))


card_id = _card_id  # for the modules that add cards (cds_safety)


def _rule_url(kb: KnowledgeBase, rule_id: str, base_url: str) -> str:
    source = kb.sources[kb.rule(rule_id).source]
    return source.url or f"{base_url.rstrip('/')}/kb#{rule_id}"


def _finding_card(f: Finding, kb: KnowledgeBase, hook_instance: str, base: str) -> Card:
    critical = f.severity in (
        Severity.RED_FLAG,
        Severity.DEFER,
        Severity.CONTRAINDICATION,
    )
    applied = " (answer unknown: applied)" if f.state is RuleState.UNDETERMINED else ""
    reasons = None
    if f.severity is not Severity.RED_FLAG:
        reasons = [
            Coding(code=c, system=OVERRIDE_SYSTEM, display=d)
            for c, d in OVERRIDE_REASONS
        ]
    first = f.message.split(":")[0]
    return Card(
        uuid=_card_id(hook_instance, f.rule),
        summary=f"{f.rule}: {first}{applied}"[:140],
        detail=f"{f.message}\n\nModalities: {', '.join(f.modalities)}. "
        f"Source: {f.source} — {f.citation}",
        indicator="critical" if critical else "warning",
        source=Source(
            label=f"Spinewise rule {f.rule} ({f.source})",
            url=_rule_url(kb, f.rule, base),
            topic=Coding(code=f.rule, system="urn:spinewise:rule"),
        ),
        overrideReasons=reasons,
    )


def _topic_source(label: str, base_url: str, code: str) -> Source:
    return Source(
        label=label,
        url=f"{base_url.rstrip('/')}/kb",
        topic=Coding(code=code, system=CARD_SYSTEM),
    )


topic_source = _topic_source


def _verdict_card(decision: Decision, hook_instance: str, base_url: str) -> Card:
    indicator: Indicator = "warning"  # not now, not suitable, awaiting, incomplete, ...
    if decision.verdict is Verdict.URGENT_REFERRAL:
        indicator = "critical"
    elif decision.verdict is Verdict.PROCEED:
        indicator = "info"
    return Card(
        uuid=_card_id(hook_instance, "verdict"),
        summary=f"Massage screening: {decision.verdict.value.replace('_', ' ')}",
        detail=decision.summary,
        indicator=indicator,
        source=_topic_source(
            f"Spinewise knowledge base {decision.kb_version}", base_url, "verdict"
        ),
    )


def _order_indicator(decision: Decision, ordered: tuple[Modality, ...]) -> Indicator:
    statuses = {decision.modalities[m].status for m in ordered}
    if (
        decision.verdict is Verdict.URGENT_REFERRAL
        or ModalityStatus.CONTRAINDICATED in statuses
    ):
        return "critical"
    if decision.verdict is not Verdict.PROCEED or statuses - {ModalityStatus.ALLOWED}:
        return "warning"
    return "info"


def _order_card(
    decision: Decision,
    ordered: tuple[Modality, ...],
    hook_instance: str,
    base_url: str,
) -> Card:
    """The verdict card of an order-select call that names particular modalities."""
    statuses = ", ".join(
        f"{m.value}: {decision.modalities[m].status.value.replace('_', ' ')}"
        for m in ordered
    )
    verdict = decision.verdict.value.replace("_", " ")
    return Card(
        uuid=_card_id(hook_instance, "verdict"),
        summary=f"Ordered massage — {statuses}; screening: {verdict}"[:140],
        detail=decision.summary,
        indicator=_order_indicator(decision, ordered),
        source=_topic_source(
            f"Spinewise knowledge base {decision.kb_version}", base_url, "verdict"
        ),
    )


def _concerns(f: Finding, ordered: tuple[Modality, ...] | None) -> bool:
    return ordered is None or bool(set(f.modalities) & set(ordered))


def cards_for(
    decision: Decision,
    kb: KnowledgeBase,
    hook_instance: str,
    base_url: str,
    *,
    ordered: tuple[Modality, ...] | None = None,
) -> list[Card]:
    """The cards for one decision: findings first (most severe first), then the plan.

    ``ordered`` (order-select naming particular modalities) keeps the findings that
    concern them (red flags concern every modality) and makes the last card the
    ordered modalities' status.
    """
    order = list(Severity)
    shown = sorted(
        (
            f
            for f in decision.findings
            if f.severity is not Severity.INFO and _concerns(f, ordered)
        ),
        key=lambda f: order.index(f.severity),
    )
    cards = [_finding_card(f, kb, hook_instance, base_url) for f in shown]
    if decision.missing:
        cards.append(
            Card(
                uuid=_card_id(hook_instance, "missing"),
                summary=f"{len(decision.missing)} safety answer(s) missing: "
                "unknown is never 'no'"[:140],
                detail="Answer before any massage: " + ", ".join(decision.missing),
                indicator="warning",
                source=_topic_source(
                    "Spinewise screening (missing answers)", base_url, "missing"
                ),
            )
        )
    if ordered:
        cards.append(_order_card(decision, ordered, hook_instance, base_url))
    else:
        cards.append(_verdict_card(decision, hook_instance, base_url))
    return cards


def unavailable_card(
    hook_instance: str, base_url: str, *, code: str, summary: str, detail: str
) -> Card:
    """A warning that no screening can be shown (never a go-ahead): ``code`` is
    ``no-assessment`` or ``unreadable-assessment``."""
    return Card(
        uuid=_card_id(hook_instance, code),
        summary=summary[:140],
        detail=detail,
        indicator="warning",
        source=_topic_source("Spinewise screening questionnaire", base_url, code),
    )


def response_body(cards: list[Card]) -> dict[str, Any]:
    """The service's answer: ``{"cards": [...]}``, optional fields omitted (the spec
    forbids null)."""
    return {"cards": [c.model_dump(mode="json", exclude_none=True) for c in cards]}


def card_rules(cards: list[Card]) -> dict[str, str]:
    """Card uuid -> rule id (or ``missing``/``verdict``), to count feedback per rule."""
    return {c.uuid: c.source.topic.code for c in cards if c.source.topic is not None}
