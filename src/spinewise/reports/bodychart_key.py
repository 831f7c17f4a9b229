"""The body chart's words: its title, its text description (the ``<desc>`` a screen
reader reads and a page's ``alt``), and the key beside the drawing, in a language.

The plan's areas are data; their names come from ``planning.area_label`` and the
zones' names from the knowledge base (``kb_text`` looks a stored English text up in
the reader's language). Vertebra labels and rule ids are codes: never translated.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from spinewise.i18n import Translator
from spinewise.models import Modality
from spinewise.planning import Area, Band, CoursePlan, ZoneToAvoid, area_label
from spinewise.reports.words import modality_word, region_word

COLOURS = {
    "treat": ("#2e7d4f", "#d8efdf"),
    "caution": ("#b35c00", "#fff1dc"),
    "avoid": ("#b71c1c", "#fde4e4"),
}
DASH = {"treat": "none", "caution": "1.5 2.5", "avoid": "6 3"}


def fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _same(text: str) -> str:
    return text


@dataclass(frozen=True)
class ChartWords:
    """The language of a chart: gettext for its own words, ``kb_text`` for the
    knowledge base's (a zone's name), identity when the plan is already in it."""

    tr: Translator = field(default_factory=Translator)
    kb_text: Callable[[str], str] = _same

    def letter(self, modality: Modality) -> str:
        """The one-letter tag a treated area carries for each modality."""
        return {
            Modality.CLASSICAL: self.tr.pgettext("chart letter", "C"),
            Modality.VACUUM: self.tr.pgettext("chart letter", "V"),
            Modality.HYDROMASSAGE: self.tr.pgettext("chart letter", "H"),
        }[modality]

    def zone(self, zone: ZoneToAvoid) -> str:
        """A zone as "Hernia zone (L3-S1) [CI-...]": its name, spans and rules."""
        spans = ", ".join(
            dict.fromkeys(
                f"{a.top}-{a.bottom}"
                for a in zone.areas
                if a.band in (Band.MIDLINE, Band.PARASPINAL)
            )
        )
        rules = f" [{', '.join(zone.rules)}]" if zone.rules else ""
        where = f" ({spans})" if spans else ""
        return f"{self.kb_text(zone.label)}{where}{rules}"

    def title(self, plan: CoursePlan) -> str:
        if plan.hernia_levels:
            return self.tr.gettext("Body chart: hernia %(levels)s") % {
                "levels": ", ".join(plan.hernia_levels)
            }
        return self.tr.gettext("Body chart: non-specific %(region)s pain") % {
            "region": region_word(plan.region, self.tr)
        }

    def description(
        self,
        levels: Sequence[str],
        zones: Sequence[ZoneToAvoid],
        pieces: Sequence[tuple[Area, Sequence[Modality]]],
    ) -> str:
        """The chart in words: the hernia, every treated area with its modalities,
        every zone to avoid."""
        tr, none = self.tr, self.tr.pgettext("areas", "none")
        treated = "; ".join(
            f"{area_label(area, tr)} "
            f"({', '.join(modality_word(m, tr) for m in modalities)})"
            for area, modalities in pieces
        )
        avoided = "; ".join(self.zone(z) for z in zones)
        sentences = [
            tr.gettext("Posterior view of the back with the spine from C1 to S5.")
        ]
        if levels:
            sentences.append(
                tr.gettext("Herniated level: %(levels)s.")
                % {"levels": ", ".join(levels)}
            )
        sentences.append(
            tr.gettext("Treatment areas: %(areas)s.") % {"areas": treated or none}
        )
        sentences.append(
            tr.gettext("Zones to avoid: %(zones)s.") % {"zones": avoided or none}
        )
        return " ".join(sentences)


def wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


def swatch(x: float, y: float, style: str) -> str:
    stroke, _ = COLOURS[style]
    return (
        f'<rect x="{fmt(x)}" y="{fmt(y)}" width="22" height="13" '
        f'fill="url(#sw-{style})" stroke="{stroke}" stroke-width="1.2" '
        f'stroke-dasharray="{DASH[style]}"/>'
    )


def text_lines(x: float, y: float, lines: list[str], size: float = 9) -> str:
    spans = "".join(
        f'<tspan x="{fmt(x)}" dy="{0 if n == 0 else fmt(size * 1.25)}">'
        f"{escape(line)}</tspan>"
        for n, line in enumerate(lines)
    )
    return f'<text x="{fmt(x)}" y="{fmt(y)}" font-size="{fmt(size)}">{spans}</text>'


def _keys(
    modalities: Sequence[Modality], words: ChartWords
) -> list[tuple[str, list[str]]]:
    tr = words.tr
    letters = ", ".join(f"{words.letter(m)} {modality_word(m, tr)}" for m in modalities)
    return [
        ("treat", [tr.gettext("Treatment area"), *wrap(f"({letters})", 40)]),
        (
            "caution",
            wrap(
                tr.gettext("No pressure: only the gentle techniques the plan names"), 32
            ),
        ),
        ("avoid", wrap(tr.gettext("Zone to avoid: no technique"), 32)),
    ]


def legend(
    zones: Sequence[ZoneToAvoid], modalities: Sequence[Modality], words: ChartWords
) -> list[str]:
    """The key: what each fill means, then the zones drawn and those to locate."""
    tr = words.tr
    x, y = 448.0, 40.0
    key = tr.gettext("Key")
    parts = [
        f'<text x="{fmt(x)}" y="{fmt(y - 16)}" font-size="12" font-weight="bold">'
        f"{escape(key)}</text>"
    ]
    for style, lines in _keys(modalities, words):
        parts += [swatch(x, y, style), text_lines(x + 30, y + 10, lines)]
        y += 14 + 12 * len(lines)
    parts.append(
        f'<rect x="{fmt(x)}" y="{fmt(y)}" width="22" height="13" fill="none" '
        f'stroke="#000000" stroke-width="3"/>'
    )
    parts.append(text_lines(x + 30, y + 10, [tr.gettext("Herniated level")]))
    y += 36
    located = [z for z in zones if z.located]
    unlocated = [z for z in zones if not z.located]
    for heading, group in (
        (tr.gettext("Zones on this chart"), located),
        (tr.gettext("Not drawn: locate on the patient"), unlocated),
    ):
        if not group:
            continue
        parts.append(
            f'<text x="{fmt(x)}" y="{fmt(y)}" font-size="10" font-weight="bold">'
            f"{escape(heading)}</text>"
        )
        y += 14
        for zone in group:
            style = "caution" if zone.permitted else "avoid"
            lines = wrap(words.zone(zone), 46)
            parts += [swatch(x, y - 9, style), text_lines(x + 30, y, lines, 8.5)]
            y += 8 + 10.6 * len(lines)
        y += 8
    return parts
