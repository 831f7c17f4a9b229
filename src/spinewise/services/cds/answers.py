"""Hook answers remembered by what they rest on: a call like one answered before costs
no screening and no card building (issue 19).

An EHR calls ``patient-view`` each time a chart opens, with the same prefetch. The
answer (its cards, their order, indicators and texts, its ``systemActions``) is a pure
function of: the resources read (prefetched or fetched) and what of them was skipped,
the patient in context, the clearance on Spinewise's record, the call's date, the
orders, and the service's own knowledge base and settings. Only the cards' ids depend
on the call (``card_id(hookInstance, key)``).

So :class:`AnswerCache` keeps answers by content (BLAKE2b of all of the above, keys
sorted: ``answer_key``) as card templates, each card's JSON without its ``uuid``, and
a call fills in its own ids. What can change between two calls is in the key and is
read on every call as before: the clearance and the patient on record (a new approval,
a revoked one, a patient registered), the date (staleness, day counts, validity); the
JWT, the replay check, the call's record and its audit event stay per call. An answer
is remembered only when its template proves to give the answer back for this call's
``hookInstance`` and nothing else in it names the ``hookInstance``; an error
(``InputError``) is never remembered.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from spinewise.interop.cds.hooks import Card, card_id
from spinewise.models import Modality
from spinewise.services.cds.cache import CACHE_SIZE, Lru, content_key
from spinewise.services.cds.current import CallContext
from spinewise.services.cds.fetch import HookData
from spinewise.services.cds.shown import Shown


@dataclass(frozen=True)
class CardTemplate:
    """One card of a remembered answer: its JSON but the ``uuid``, and what the
    cards-shown row records."""

    key: str  # the card's uuid is card_id(hookInstance, key)
    body: dict[str, Any]
    rule: str
    indicator: str
    overridable: bool


@dataclass(frozen=True)
class Answer:
    """A hook call's answer without the call's card ids."""

    verdict: str | None
    cards: tuple[CardTemplate, ...]
    rest: dict[str, Any]  # the answer's other members (``systemActions``)

    def body(self, hook_instance: str) -> dict[str, Any]:
        """The answer's JSON for a call with this ``hookInstance``."""
        cards = [{"uuid": card_id(hook_instance, t.key), **t.body} for t in self.cards]
        return {"cards": cards, **self.rest}

    def shown(self, body: dict[str, Any]) -> list[Shown]:
        """The cards-shown rows' facts of ``body`` (made by ``body``)."""
        return [
            Shown(card["uuid"], t.rule, t.indicator, t.overridable)
            for card, t in zip(body["cards"], self.cards, strict=True)
        ]


def answer_key(
    data: HookData,
    context: CallContext,
    ordered: tuple[Modality, ...] | None,
) -> bytes:
    """The digest of everything a call's answer rests on but its ``hookInstance``
    (the knowledge base and the service's settings are the service's own)."""
    clearance = context.record.clearance
    return content_key(
        {
            "patient": [data.patient_id, data.patient, data.patient_field],
            "assessment": [data.assessment, data.assessment_field],
            "skipped": [[p.field, str(p.message)] for p in data.skipped],
            "coded": [
                list(context.coded.resources),
                list(context.coded.unchecked),
            ],
            "record": [
                context.record.record_number,
                context.record.patient_id,
                None if clearance is None else clearance.model_dump(mode="json"),
            ],
            "call": [
                context.today.isoformat(),
                context.patient_id,
                context.max_age_days,
                context.base_url,
                list(context.orders),
                None if ordered is None else [m.value for m in ordered],
            ],
        }
    )


def template_of(
    body: dict[str, Any], cards: Sequence[Card], hook_instance: str, verdict: str | None
) -> Answer | None:
    """The answer ``body`` (of ``cards``, for ``hook_instance``) as a template; None
    when it would not give ``body`` back or names the ``hookInstance`` elsewhere."""
    templates = []
    for card, dumped in zip(cards, body["cards"], strict=True):
        topic = card.source.topic
        if topic is None or card.uuid != card_id(hook_instance, topic.code):
            return None
        rest = {k: v for k, v in dumped.items() if k != "uuid"}
        templates.append(
            CardTemplate(
                topic.code, rest, topic.code, card.indicator, bool(card.overrideReasons)
            )
        )
    answer = Answer(
        verdict, tuple(templates), {k: v for k, v in body.items() if k != "cards"}
    )
    text = orjson.dumps([[t.body for t in answer.cards], answer.rest])
    if hook_instance.encode() in text or answer.body(hook_instance) != body:
        return None
    return answer


Built = tuple[dict[str, Any], list[Card], str | None]


class AnswerCache:
    """Answers by ``answer_key``, at most ``size``, the least recently used out."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self._answers: Lru[Answer] = Lru(size)

    def answer(
        self, key: bytes, hook_instance: str, build: Callable[[], Built]
    ) -> tuple[dict[str, Any], list[Shown], str | None]:
        """The call's answer, its cards-shown facts and verdict: remembered, else
        ``build`` (the answer's JSON, its cards and verdict) and remembered."""
        found = self._answers.get(key)
        if found is not None:
            body = found.body(hook_instance)
            return body, found.shown(body), found.verdict
        body, cards, verdict = build()
        answer = template_of(body, cards, hook_instance, verdict)
        if answer is not None:
            self._answers.put(key, answer)
        return body, [Shown.of(card) for card in cards], verdict
