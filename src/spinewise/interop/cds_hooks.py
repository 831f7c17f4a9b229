"""CDS Hooks 2.0: request/response shapes and the cards a decision becomes (pure).

The web adapter serves these; this module never does I/O. Card rules:

* ``critical`` — a fired red flag or contraindication (or defer). Red-flag cards carry
  no ``overrideReasons``: a red flag is never to be overridden.
* ``warning`` — precautions (fired or applied because unknown) and missing answers.
* ``info`` — the verdict and the modalities that may be planned.

Every card names the rule it rests on (``source.label``/``url``) so that the feedback
endpoint can be counted per rule.
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from spinewise.kb import KnowledgeBase
from spinewise.models import Decision, Finding, RuleState, Severity, Verdict

Indicator = Literal["info", "warning", "critical"]
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


def service_definitions() -> list[dict[str, Any]]:
    """The discovery document's services, with prefetch templates."""
    prefetch = {
        "patient": "Patient/{{context.patientId}}",
        "assessment": "QuestionnaireResponse?subject={{context.patientId}}"
        "&status=completed&_sort=-authored&_count=1",
    }
    return [
        {
            "hook": "patient-view",
            "id": "spinewise-patient-view",
            "title": "Spinewise massage screening",
            "description": "May this patient's spine be massaged now, with which "
            "massage? Red flags, contraindications, precautions and missing answers.",
            "prefetch": prefetch,
        },
        {
            "hook": "order-select",
            "id": "spinewise-order-select",
            "title": "Spinewise check of a massage or physiotherapy order",
            "description": "Checks a selected massage or physiotherapy order against "
            "the patient's latest screening.",
            "prefetch": prefetch,
        },
    ]


def _card_id(hook_instance: str, key: str) -> str:
    return str(uuid.uuid5(CARD_NAMESPACE, f"{hook_instance}/{key}"))


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


def cards_for(
    decision: Decision, kb: KnowledgeBase, hook_instance: str, base_url: str
) -> list[Card]:
    """The cards for one decision: findings first (most severe first), then the plan."""
    order = list(Severity)
    shown = sorted(
        (f for f in decision.findings if f.severity is not Severity.INFO),
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
                source=Source(
                    label="Spinewise screening (missing answers)",
                    url=f"{base_url.rstrip('/')}/kb",
                    topic=Coding(code="missing", system="urn:spinewise:card"),
                ),
            )
        )
    indicator: Indicator = "info"
    if decision.verdict is Verdict.URGENT_REFERRAL:
        indicator = "critical"
    cards.append(
        Card(
            uuid=_card_id(hook_instance, "verdict"),
            summary=f"Massage screening: {decision.verdict.value.replace('_', ' ')}",
            detail=decision.summary,
            indicator=indicator,
            source=Source(
                label=f"Spinewise knowledge base {decision.kb_version}",
                url=f"{base_url.rstrip('/')}/kb",
                topic=Coding(code="verdict", system="urn:spinewise:card"),
            ),
        )
    )
    return cards


def card_rules(cards: list[Card]) -> dict[str, str]:
    """Card uuid -> rule id (or ``missing``/``verdict``), to count feedback per rule."""
    return {c.uuid: c.source.topic.code for c in cards if c.source.topic is not None}
