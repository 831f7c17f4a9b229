"""The EHR users' feedback on the cards CDS Hooks showed, and the override report.

Feedback comes from an EHR, not a signed-in user: it is written to the configured
clinic (``settings.cds_clinic``) and audited as a ``cds`` system event named after the
JWT's issuer; it may only name cards that the same service showed (``shown``: the
cards-shown rows of each answered call). The report is for the clinic's governance
roles (a clinical lead: physicians and administrators) and is audited as a read.

Counting (``feedback_report``): ``shown`` counts cards returned; a card's outcome is
the latest feedback on it (the spec lets an EHR report a card more than once);
``override_rate`` is overridden / shown; reasons and comments come from the overridden
outcomes. A red-flag card offers no override reasons, so an override of one is
flagged ``overridden_though_not_overridable`` for the lead to follow up.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict

from spinewise.errors import N_, FieldProblem, InputError
from spinewise.interop import FeedbackItem
from spinewise.services.access.actors import GOVERNANCE, Actor, Interface, require
from spinewise.services.audit import Action, log, system_event
from spinewise.services.unit import unit
from spinewise.store import CdsCardRow, CdsCards, CdsFeedbackRow, Store


def _moment(text: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else None


def _cut(value: str | None, length: int) -> str | None:
    return value[:length] if value else None


def _feedback_rows(
    clinic_id: int,
    service_id: str,
    items: Sequence[FeedbackItem],
    cards: Mapping[str, CdsCardRow],
) -> list[dict[str, Any]]:
    problems, rows = [], []
    for i, item in enumerate(items):
        card = cards.get(item.card)
        if card is None or card.service_id != service_id:
            problems.append(
                FieldProblem(
                    f"feedback[{i}].card",
                    f"no card {item.card!r} was shown by this service",
                )
            )
        at = _moment(item.outcomeTimestamp)
        if at is None:
            problems.append(
                FieldProblem(
                    f"feedback[{i}].outcomeTimestamp",
                    "expected an ISO 8601 date-time with a time zone (…Z)",
                )
            )
        if card is None or at is None:
            continue
        why = item.overrideReason
        reason = why.reason if why is not None else None
        rows.append(
            {
                "clinic_id": clinic_id,
                "card_id": card.id,
                "outcome": item.outcome,
                "reason_code": _cut(reason.code if reason else None, 128),
                "reason_system": _cut(reason.system if reason else None, 255),
                "reason_display": _cut(reason.display if reason else None, 255),
                "comment": why.userComment if why is not None else None,
                "outcome_at": at,
            }
        )
    if problems:
        raise InputError(problems)
    return rows


def record_feedback(
    store: Store,
    clinic_id: int,
    service_id: str,
    items: Sequence[FeedbackItem],
    claims: Mapping[str, Any],
) -> int:
    """Store the outcomes (an InputError names each ``feedback[i]`` field that names
    an unknown card or a bad timestamp; then nothing is stored)."""
    issuer = str(claims.get("iss", ""))
    with store.unit_of_work(write=True) as uow:
        repo = CdsCards(uow.session)
        cards = repo.by_uuid(clinic_id, {item.card for item in items})
        rows = _feedback_rows(clinic_id, service_id, items, cards)
        repo.add_feedback(rows)
        overridden = sum(1 for r in rows if r["outcome"] == "overridden")
        uow.audit.append(
            [
                system_event(
                    Interface.CDS,
                    Action.CREATE,
                    "cds_feedback",
                    service_id,
                    clinic_id=clinic_id,
                    username=issuer[:64],
                    detail={
                        "issuer": issuer,
                        "items": len(rows),
                        "overridden": overridden,
                    },
                )
            ]
        )
    return len(rows)


class ReasonCount(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str | None
    display: str | None
    count: int


class RuleFeedback(BaseModel):
    """How the cards of one rule fared."""

    model_config = ConfigDict(frozen=True)

    rule: str
    shown: int
    accepted: int
    overridden: int
    override_rate: float
    overridable: bool
    overridden_though_not_overridable: int
    reasons: list[ReasonCount]
    comments: list[str]


def _latest(
    feedback: list[tuple[CdsFeedbackRow, CdsCardRow]],
) -> dict[int, tuple[CdsFeedbackRow, CdsCardRow]]:
    latest: dict[int, tuple[CdsFeedbackRow, CdsCardRow]] = {}
    for row, card in feedback:
        held = latest.get(card.id)
        if held is None or (row.outcome_at, row.id) >= (held[0].outcome_at, held[0].id):
            latest[card.id] = (row, card)
    return latest


def _rule_report(
    rule: str,
    shown: tuple[int, int],
    outcomes: list[tuple[CdsFeedbackRow, CdsCardRow]],
) -> RuleFeedback:
    overridden = [(f, c) for f, c in outcomes if f.outcome == "overridden"]
    reasons = Counter((f.reason_code, f.reason_display) for f, _ in overridden)
    count, overridable = shown
    return RuleFeedback(
        rule=rule,
        shown=count,
        accepted=sum(1 for f, _ in outcomes if f.outcome == "accepted"),
        overridden=len(overridden),
        override_rate=round(len(overridden) / count, 4) if count else 0.0,
        overridable=overridable > 0,
        overridden_though_not_overridable=sum(
            1 for _, c in overridden if not c.overridable
        ),
        reasons=[
            ReasonCount(code=code, display=display, count=n)
            for (code, display), n in sorted(
                reasons.items(), key=lambda kv: (-kv[1], kv[0][0] or "")
            )
        ],
        comments=[f.comment for f, _ in overridden if f.comment],
    )


def feedback_report(
    store: Store, actor: Actor, *, since: dt.datetime | None = None
) -> list[RuleFeedback]:
    """Per rule: cards shown, accepted, overridden, the reasons and comments; the
    most overridden first."""
    with unit(store, actor) as uow:
        require(actor, GOVERNANCE, N_("read the CDS override report"))
        repo = CdsCards(uow.session)
        shown = repo.shown_counts(actor.clinic_id, since)
        latest = _latest(repo.feedback(actor.clinic_id, since))
        log(
            uow,
            actor,
            Action.READ,
            "cds_feedback",
            detail={"since": since.isoformat() if since else None},
        )
    by_rule: dict[str, list[tuple[CdsFeedbackRow, CdsCardRow]]] = {}
    for outcome in latest.values():
        by_rule.setdefault(outcome[1].rule, []).append(outcome)
    report = [_rule_report(r, n, by_rule.get(r, [])) for r, n in shown.items()]
    return sorted(report, key=lambda r: (-r.override_rate, -r.overridden, r.rule))
