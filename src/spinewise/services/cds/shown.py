"""The cards a hook call showed, as rows, and the call's audit event.

Hook calls come from an EHR, not a signed-in user: their cards-shown rows are written
to the configured clinic (``settings.cds_clinic``) and each call is audited as a
``cds`` system event named after the JWT's issuer. The rows are what feedback on a
card finds and what the override report counts as ``shown`` (``feedback``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from spinewise.interop import Card
from spinewise.services.access.actors import Interface
from spinewise.services.audit import Action, system_event
from spinewise.store import CdsCards, Store


@dataclass(frozen=True)
class HookCall:
    """One answered hook call, as the audit trail records it."""

    service_id: str
    hook_instance: str
    patient: str
    claims: Mapping[str, Any]
    verdict: str | None = None
    fetched: tuple[str, ...] = field(default=())

    @property
    def issuer(self) -> str:
        return str(self.claims.get("iss", ""))


HookRows = tuple[list[dict[str, Any]], dict[str, Any]]


class Shown(NamedTuple):
    """What the cards-shown row of a card records besides the call."""

    uuid: str
    rule: str  # the rule id, or ``missing``/``verdict``/... (``card_rules``)
    indicator: str
    overridable: bool

    @classmethod
    def of(cls, card: Card) -> Shown:
        topic = card.source.topic
        rule = "(none)" if topic is None else topic.code
        return cls(card.uuid, rule, card.indicator, bool(card.overrideReasons))


def hook_rows(
    clinic_id: int, call: HookCall, cards: Sequence[Card | Shown]
) -> HookRows:
    """The cards-shown rows and the audit event of one answered call."""
    shown = [c if isinstance(c, Shown) else Shown.of(c) for c in cards]
    rows = [
        {
            "card_uuid": card.uuid,
            "clinic_id": clinic_id,
            "service_id": call.service_id,
            "rule": card.rule,
            "indicator": card.indicator,
            "overridable": card.overridable,
            "hook_instance": call.hook_instance[:128],
            "issuer": call.issuer[:255],
        }
        for card in shown
    ]
    detail = {
        "service": call.service_id,
        "ehr_patient": call.patient,
        "issuer": call.issuer,
        "verdict": call.verdict,
        "cards": [r["rule"] for r in rows],
        "fetched": list(call.fetched),
    }
    event = system_event(
        Interface.CDS,
        Action.READ,
        "cds_hook",
        call.hook_instance[:64],
        clinic_id=clinic_id,
        username=call.issuer[:64],
        detail=detail,
    )
    return rows, event


def write_hooks(store: Store, calls: Sequence[HookRows]) -> None:
    """Record several calls' cards as shown and audit the calls, in one transaction."""
    with store.unit_of_work(write=True) as uow:
        CdsCards(uow.session).add_shown([r for rows, _ in calls for r in rows])
        uow.audit.append([event for _, event in calls])


def record_hook(
    store: Store, clinic_id: int, call: HookCall, cards: list[Card]
) -> None:
    """Record the cards returned by ``call`` as shown, and audit the call."""
    write_hooks(store, [hook_rows(clinic_id, call, cards)])
