"""What a CDS card must say besides the decision: how current it is and on what (pure).

``CardFacts`` carries the call's date, the questionnaire's ``authored`` day, the
clearance Spinewise has on record, the coded EHR answers used and the orders named.
``annotate`` applies them to the cards of ``cards_for``:

* the verdict card (and the order card of ``order-select``) states the assessment date
  and the clearance's validity, and names the orders;
* an assessment older than ``max_age_days`` (or with no ``authored`` date, the safer
  reading) is not current: the verdict card says so and is at least ``warning``, never
  ``info``; a ``critical`` card stays ``critical`` (staleness never downgrades);
* a finding whose rule reads a field the EHR answered cites the resource;
* without a valid approval a ``warning`` card says how to request the clearance, with
  a link to the clinic's clearance page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from spinewise.interop.cds.hooks import Card, Link, card_id, topic_source
from spinewise.interop.fhir.coded_answers import EhrAnswer
from spinewise.kb import KnowledgeBase
from spinewise.models import Clearance, ClearanceStatus, Decision, Verdict

RULE_SYSTEM = "urn:spinewise:rule"


@dataclass(frozen=True)
class CardFacts:
    """The call's date and what the decision rests on."""

    today: dt.date
    authored: dt.date | None
    max_age_days: int
    clearance: Clearance | None
    record_number: str | None
    clearance_url: str
    known_patient: bool = False
    coded: tuple[EhrAnswer, ...] = ()
    unchecked: tuple[str, ...] = ()
    orders: tuple[str, ...] = field(default=())
    profile_line: str = ""

    @property
    def stale(self) -> bool:
        """No date, or older than the allowed age: not a current assessment."""
        return (
            self.authored is None
            or (self.today - self.authored).days > self.max_age_days
        )

    @property
    def cleared(self) -> bool:
        return self.clearance is not None and self.clearance.is_valid_on(self.today)

    def assessment_line(self) -> str:
        if self.authored is None:
            return (
                "Assessment: the questionnaire has no date (authored), so it is "
                "treated as out of date: repeat it before any massage."
            )
        age = (self.today - self.authored).days
        line = f"Assessment: from {self.authored} ({age} day(s) before {self.today})."
        if self.stale:
            line += (
                f" Older than {self.max_age_days} days: out of date, it must be "
                "repeated before any massage."
            )
        return line

    def clearance_line(self) -> str:
        c = self.clearance
        if c is None and not self.known_patient:
            who = (
                f"record number {self.record_number}"
                if self.record_number
                else "no Spinewise identifier (urn:spinewise:patient)"
            )
            return f"Clearance: none — the patient ({who}) has no record in Spinewise."
        if c is None:
            return "Clearance: none on record in Spinewise."
        if c.status is ClearanceStatus.PENDING:
            return "Clearance: requested, awaiting the physician's decision."
        by = f" by {c.physician}" if c.physician else ""
        on = f" on {c.date}" if c.date else ""
        if c.status is ClearanceStatus.DECLINED:
            return f"Clearance: declined{by}{on}."
        until = f"valid until {c.valid_until}" if c.valid_until else "no end date"
        state = "valid today" if c.is_valid_on(self.today) else "NOT valid today"
        return f"Clearance: approved{by}{on}, {until} ({state})."


def _verdict_summary(card: Card, decision: Decision, facts: CardFacts) -> str:
    summary = card.summary
    if facts.orders:
        names = ", ".join(f"«{o}»" for o in facts.orders)
        if summary.startswith("Ordered massage"):
            summary = summary.replace("Ordered massage", f"Order {names}", 1)
        else:
            summary = f"Order {names} — {summary}"
    if facts.stale:
        when = facts.authored or "an unknown date"
        return f"Assessment from {when} is out of date: repeat it. {summary}"
    return f"{summary} (assessed {facts.authored})"


def _verdict(card: Card, decision: Decision, facts: CardFacts) -> Card:
    lines = [facts.assessment_line(), facts.clearance_line()]
    if facts.profile_line:
        lines.append(facts.profile_line)
    if facts.coded:
        cited = "; ".join(f"{a.field} = yes from {a.citation()}" for a in facts.coded)
        lines.append(f"Coded in the EHR: {cited}.")
    if facts.unchecked:
        lines.append(
            "Coded EHR data not checked (neither prefetched nor fetchable): "
            + ", ".join(facts.unchecked)
            + "."
        )
    indicator = card.indicator
    if facts.stale and indicator == "info":
        indicator = "warning"
    return card.model_copy(
        update={
            "summary": _verdict_summary(card, decision, facts)[:140],
            "detail": "\n\n".join([" ".join(lines), card.detail or ""]).strip(),
            "indicator": indicator,
        }
    )


def _cited(card: Card, kb: KnowledgeBase, facts: CardFacts) -> Card:
    topic = card.source.topic
    if topic is None or topic.system != RULE_SYSTEM or not facts.coded:
        return card
    paths = kb.rule(topic.code).when.paths()
    cited = [a for a in facts.coded if a.field in paths]
    if not cited:
        return card
    refs = ", ".join(a.reference for a in cited)
    text = "; ".join(f"{a.field} = yes from {a.citation()}" for a in cited)
    return card.model_copy(
        update={
            "summary": f"{card.summary} [EHR: {refs}]"[:140],
            "detail": f"{card.detail or ''}\n\nCoded in the EHR: {text}.".strip(),
        }
    )


def clearance_card(hook_instance: str, base_url: str, facts: CardFacts) -> Card:
    """A warning that massage needs a valid physician clearance, and where to ask."""
    action = (
        "request the physician's clearance in Spinewise"
        if facts.known_patient
        else "register the patient in Spinewise (record number as the "
        "urn:spinewise:patient identifier), then request the physician's clearance"
    )
    return Card(
        uuid=card_id(hook_instance, "clearance"),
        summary="No valid physician clearance in Spinewise: request it before "
        "any massage",
        detail=f"{facts.clearance_line()} Clearance is read only from Spinewise's "
        f"record, never from the EHR's questionnaire. To proceed, {action}: "
        f"{facts.clearance_url}",
        indicator="warning",
        source=topic_source("Spinewise physician clearance", base_url, "clearance"),
        links=[Link(label="Request clearance in Spinewise", url=facts.clearance_url)],
    )


def annotate(
    cards: list[Card],
    decision: Decision,
    kb: KnowledgeBase,
    facts: CardFacts,
    hook_instance: str,
    base_url: str,
) -> list[Card]:
    """The cards with dates, clearance, citations and (when needed) the clearance
    card, placed before the verdict card."""
    done = []
    for card in cards:
        topic = card.source.topic
        if topic is not None and topic.code == "verdict":
            if not facts.cleared and decision.verdict is not Verdict.URGENT_REFERRAL:
                done.append(clearance_card(hook_instance, base_url, facts))
            done.append(_verdict(card, decision, facts))
        else:
            done.append(_cited(card, kb, facts))
    return done
