"""The checks the planner words itself (not the knowledge base): locate an unlocated
zone, renew a clearance that ends within the course; and the plan change it words
when a zone's rule gives no text of its own ("Zone to avoid added: ...").

A plan is stored in English; ``reworded_check`` gives a stored check in a reader's
language, recognising the planner's own English forms (the zone's name is the
knowledge base's, looked up with ``kb_text``). Every other check is a knowledge-base
text, looked up as it is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from spinewise.i18n import DEFAULT_LANGUAGE, Translator, format_date

_LOCATE = re.compile(r"Locate before every session: (?P<zone>.+)")
_ZONE_ADDED = re.compile(r"Zone to avoid added: (?P<zone>.+)")
_RENEW = re.compile(
    r"Sessions after (?P<day>\d{4}-\d{2}-\d{2}) need a renewed physician clearance\."
)


def _day(day: dt.date | None, tr: Translator) -> str:
    """A date in a composed text: ISO in English (as stored plans have it)."""
    if day is None or tr.language == DEFAULT_LANGUAGE:
        return str(day)
    return format_date(day, tr.language)


def locate_check(zone: str, tr: Translator) -> str:
    """Locate an unlocated zone (skin lesion, varicose veins) before every session."""
    return tr.gettext("Locate before every session: %(zone)s") % {"zone": zone}


def zone_added_change(zone: str, tr: Translator) -> str:
    """A zone to avoid that a precaution added, when the KB words no change for it."""
    return tr.gettext("Zone to avoid added: %(zone)s") % {"zone": zone}


def renewal_check(until: dt.date | None, tr: Translator) -> str:
    """The clearance ends before the course does."""
    return tr.gettext("Sessions after %(day)s need a renewed physician clearance.") % {
        "day": _day(until, tr)
    }


def reworded_check(text: str, tr: Translator, kb_text: Callable[[str], str]) -> str:
    """A stored plan's check or change in ``tr``'s language (``kb_text`` for the KB's
    texts)."""
    if found := _LOCATE.fullmatch(text):
        return locate_check(kb_text(found["zone"]), tr)
    if found := _ZONE_ADDED.fullmatch(text):
        return zone_added_change(kb_text(found["zone"]), tr)
    if found := _RENEW.fullmatch(text):
        return renewal_check(dt.date.fromisoformat(found["day"]), tr)
    return kb_text(text)
