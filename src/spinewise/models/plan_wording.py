"""The words a plan's steps and areas are said in, in the reader's language.

The planner keeps *where* a step works as data (its areas, the zone areas it keeps
off and those it crosses gently, its intensity); this module puts the words
together with a ``Translator``: gettext messages with named placeholders, so that a
language orders them its own way. English is the default and the text stored plans
and the JSON API carry (``Step.wording``, ``Area.label``); vertebra labels (L3, S1)
are codes and stay as they are in every language.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from spinewise.i18n import Translator
from spinewise.models.areas import Area, Band

if TYPE_CHECKING:
    from spinewise.models.plan import Step

_ENGLISH = Translator()


def band_label(band: Band, tr: Translator = _ENGLISH) -> str:
    """A band of the back as a clinician names it ("paraspinal muscles")."""
    return {
        Band.MIDLINE: tr.pgettext("area", "spinous processes (midline)"),
        Band.PARASPINAL: tr.pgettext("area", "paraspinal muscles"),
        Band.SHOULDER: tr.pgettext("area", "upper trapezius"),
        Band.NECK_ANTEROLATERAL: tr.pgettext("area", "front and sides of the neck"),
        Band.RIBS: tr.pgettext("area", "ribs and costovertebral joints"),
        Band.PELVIC_RIM: tr.pgettext("area", "pelvic rim (iliac crest)"),
        Band.GLUTEAL: tr.pgettext("area", "gluteal muscles (buttock)"),
        Band.POSTERIOR_THIGH: tr.pgettext("area", "back of the thigh"),
        Band.ARM: tr.pgettext("area", "arm"),
    }[band]


def area_label(area: Area, tr: Translator = _ENGLISH) -> str:
    """An area as "paraspinal muscles L3-S1" (a band's whole span: its name only)."""
    if area.nominal:
        return band_label(area.band, tr)
    where = area.top if area.top == area.bottom else f"{area.top}-{area.bottom}"
    return f"{band_label(area.band, tr)} {where}"


def joined(items: Sequence[str], tr: Translator = _ENGLISH) -> str:
    """``a and b and c`` in the reader's language."""
    text = items[0]
    for item in items[1:]:
        text = tr.gettext("%(first)s and %(second)s") % {"first": text, "second": item}
    return text


def _span_text(top: str, bottom: str) -> str:
    return top if top == bottom else f"{top}\u2013{bottom}"


def _spans_text(areas: Sequence[Area], tr: Translator) -> str:
    return ", ".join(
        f"{band_label(a.band, tr)} {_span_text(a.top, a.bottom)}" for a in areas
    )


def _piece_text(piece: Area, cuts: list[Area], tr: Translator) -> str:
    text = _span_text(piece.top, piece.bottom)
    top, bottom = piece.span
    above = tr.gettext("above %(vertebra)s")
    below = tr.gettext("below %(vertebra)s")
    sides = [above % {"vertebra": c.top} for c in cuts if c.span[0] == bottom + 1]
    sides += [below % {"vertebra": c.bottom} for c in cuts if c.span[1] == top - 1]
    return f"{text} ({joined(sides, tr)})" if sides else text


def _band_text(band: Band, areas: list[Area], cuts: list[Area], tr: Translator) -> str:
    pieces = [a for a in areas if a.band is band]
    if len(pieces) == 1 and pieces[0].nominal:
        return band_label(band, tr)
    mine = [c for c in cuts if c.band is band]
    texts = [_piece_text(p, mine, tr) for p in pieces]
    return f"{band_label(band, tr)} {joined(texts, tr)}"


def describe_where(step: Step, tr: Translator = _ENGLISH) -> str:
    """Where a step works, where it goes gently and where it must never go, e.g.
    "paraspinal muscles T10-L2 (above L3) — never over paraspinal muscles L3-S1"."""
    bands = list(dict.fromkeys(area.band for area in step.areas))
    where = "; ".join(_band_text(b, step.areas, step.keeps_off, tr) for b in bands)
    if step.gently_over:
        where = tr.gettext(
            "%(where)s \u2014 over %(areas)s gently only (level %(level)s)"
        ) % {
            "where": where,
            "areas": _spans_text(step.gently_over, tr),
            "level": step.intensity,
        }
    if step.keeps_off:
        where = tr.gettext("%(where)s \u2014 never over %(areas)s") % {
            "where": where,
            "areas": _spans_text(step.keeps_off, tr),
        }
    return where


def step_wording(step: Step, tr: Translator = _ENGLISH) -> str:
    """A step as "Kneading: paraspinal muscles ..." (its technique's name is the
    knowledge base's, in the language the plan was made or looked up in)."""
    return f"{step.technique}: {describe_where(step, tr)}"
