"""Which selected orders of an ``order-select`` call are massage or physiotherapy (pure).

Only the orders named in ``context.selections`` count (the spec: decision support
focuses on the newly selected orders); each must be a ``ServiceRequest`` in
``context.draftOrders``. An order is relevant when one of its codes is in
:data:`ORDER_CODES` or its text (``code.text``, a coding's ``display``) contains a
:data:`KEYWORDS` phrase. A match naming a Spinewise modality narrows the cards to that
modality; a general match (``massage``, ``physiotherapy``) keeps them all, also when
the same order names a modality too.

Codes: Spinewise's own systems need no confirmation; the knowledge base's
``ehr_codes.orders`` add the confirmed external ones (no SNOMED CT code for massage or
physical therapy could be confirmed from a readable source, so none is used yet) and a
clinic adds its own with the ``cds_order_codes`` setting. Text is the fallback, in
English and Russian (stems: «массаж», «вакуумный», «баночный», «гидромассаж»…).
Recognising too much only shows more cards; the text match backs up a code we do not
know. Only ``draft`` and ``active`` orders (or ones without a status) count.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from spinewise.errors import FieldProblem, InputError
from spinewise.interop import codes
from spinewise.models import Modality

GENERAL: tuple[Modality, ...] = ()


@dataclass(frozen=True)
class OrderCode:
    """A code that marks an order as massage or physiotherapy."""

    system: str
    code: str
    display: str
    modalities: tuple[Modality, ...] = GENERAL
    confirmed: bool = True


ORDER_CODES: tuple[OrderCode, ...] = (
    OrderCode(codes.SERVICE, "massage", "Massage therapy"),
    OrderCode(codes.SERVICE, "physiotherapy", "Physiotherapy"),
    *(OrderCode(codes.MODALITY, m.value, f"{m.value} massage", (m,)) for m in Modality),
)
# Orders that count: a draft being signed, an active one, or one whose status the EHR
# does not give (the safer reading: more cards, never fewer).
COUNTED_STATUSES = frozenset({"draft", "active", "unknown", None})

_V, _H, _C = (Modality.VACUUM,), (Modality.HYDROMASSAGE,), (Modality.CLASSICAL,)
# English words, and Russian stems (``*``: any ending, so «массажа», «массажем» too).
KEYWORDS: tuple[tuple[str, tuple[Modality, ...]], ...] = (
    ("hydromassage", _H),
    ("hydro-massage", _H),
    ("hydro massage", _H),
    ("underwater massage", _H),
    ("vacuum massage", _V),
    ("vacuum-massage", _V),
    ("cupping", _V),
    ("classical massage", _C),
    ("classic massage", _C),
    ("swedish massage", _C),
    ("massage", GENERAL),
    ("physiotherapy", GENERAL),
    ("physical therapy", GENERAL),
    ("manual therapy", GENERAL),
    ("гидромассаж*", _H),
    ("подводн* душ-массаж*", _H),
    ("подводн* массаж*", _H),
    ("вакуумн* массаж*", _V),
    ("вакуумн*", _V),
    ("баночн* массаж*", _V),
    ("баночн*", _V),
    ("классическ* массаж*", _C),
    ("массаж*", GENERAL),
    ("физиотерапи*", GENERAL),
    ("мануальн* терапи*", GENERAL),
)


def _pattern(keyword: str) -> str:
    stem = re.escape(keyword).replace(re.escape("*"), r"\w*")
    return r"\b" + stem + r"\b"


_WORDS = re.compile(
    "|".join(f"(?P<k{i}>{_pattern(k)})" for i, (k, _) in enumerate(KEYWORDS)),
    flags=re.IGNORECASE,
)
_BY_CODE = {(c.system, c.code): c for c in ORDER_CODES}
ExtraCodes = Mapping[tuple[str, str], tuple[Modality, ...]]


@dataclass(frozen=True)
class OrderMatch:
    """A selected order that is massage or physiotherapy."""

    reference: str
    text: str
    modalities: tuple[Modality, ...]

    @property
    def general(self) -> bool:
        """True when the order names no particular massage modality."""
        return not self.modalities


def _fail(field: str, message: str) -> InputError:
    return InputError([FieldProblem(field, message)])


def _texts(code: Mapping[str, Any]) -> list[str]:
    found = [code.get("text")]
    found += [c.get("display") for c in code.get("coding") or [] if isinstance(c, dict)]
    return [t for t in found if isinstance(t, str) and t]


def _keyword_hits(text: str) -> list[tuple[Modality, ...]]:
    return [
        KEYWORDS[int(str(w.lastgroup)[1:])][1]
        for w in _WORDS.finditer(text)
        if w.lastgroup
    ]


def _match(code: Mapping[str, Any], extra: ExtraCodes) -> tuple[Modality, ...] | None:
    """The modalities an order's code names: () when general, None when unrelated.
    Codes first (Spinewise's, the KB's confirmed ones and the configured extras),
    then the text as a fallback."""
    hits: list[tuple[Modality, ...]] = []
    for coding in code.get("coding") or []:
        if isinstance(coding, dict):
            key = (str(coding.get("system")), str(coding.get("code")))
            known = _BY_CODE.get(key)
            if known is not None:
                hits.append(known.modalities)
            elif key in extra:
                hits.append(extra[key])
    for text in _texts(code):
        hits += _keyword_hits(text)
    if not hits:
        return None
    if any(not h for h in hits):
        return GENERAL  # a general word or code wins: all cards, the safer reading
    specific = sorted({m for h in hits for m in h}, key=list(Modality).index)
    return tuple(specific)


def _drafts(context: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    bundle = context.get("draftOrders")
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        raise _fail("context.draftOrders", "required: a FHIR Bundle of draft orders")
    entries = bundle.get("entry", [])
    if not isinstance(entries, list):
        raise _fail("context.draftOrders.entry", "expected a list of entries")
    found: dict[str, Mapping[str, Any]] = {}
    for entry in entries:
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if isinstance(resource, dict) and resource.get("id"):
            found[f"{resource.get('resourceType')}/{resource['id']}"] = resource
    return found


def _selections(context: Mapping[str, Any]) -> list[str]:
    selections = context.get("selections")
    if not isinstance(selections, list) or not all(
        isinstance(s, str) for s in selections
    ):
        raise _fail(
            "context.selections",
            "required: a list of the selected orders' ids (ServiceRequest/123)",
        )
    return selections


def selected_orders(
    context: Mapping[str, Any], extra: ExtraCodes | None = None
) -> list[OrderMatch]:
    """The selected massage or physiotherapy ``ServiceRequest``s of an order-select
    context, draft or active (an InputError names a malformed ``selections`` or
    ``draftOrders``). ``extra``: more (system, code) pairs of massage orders."""
    selections = _selections(context)
    drafts = _drafts(context)
    matches = []
    for reference in selections:
        resource = drafts.get(reference)
        if resource is None or resource.get("resourceType") != "ServiceRequest":
            continue
        if resource.get("status") not in COUNTED_STATUSES:
            continue
        code = resource.get("code")
        modalities = _match(code, extra or {}) if isinstance(code, dict) else None
        if modalities is not None:
            text = next(iter(_texts(code)), reference) if isinstance(code, dict) else ""
            matches.append(OrderMatch(reference, text, modalities))
    return matches


def ordered_modalities(orders: list[OrderMatch]) -> tuple[Modality, ...] | None:
    """The modalities the cards should concern: None (all) when any order is general."""
    if not orders or any(o.general for o in orders):
        return None
    wanted = {m for o in orders for m in o.modalities}
    return tuple(m for m in Modality if m in wanted)
