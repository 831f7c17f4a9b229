"""The body chart: a posterior view of the back as standalone SVG text (no I/O).

The spine is drawn vertebra by vertebra, C1 to S5, each labelled; treatment areas
are tinted and dotted, no-pressure zones hatched one way with a dotted border, zones
to avoid hatched densely the other way with a dashed border, and the herniated
level is framed in bold black with its name. Nothing depends on colour alone, so
the chart reads in black and white. Geometry is a stylised torso, not anatomy.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from spinewise.i18n import Translator
from spinewise.models import Modality, vertebrae
from spinewise.planning import (
    BAND_SPANS,
    Area,
    Band,
    CoursePlan,
    ZoneToAvoid,
    vertebra_index,
)
from spinewise.reports.bodychart_key import (
    COLOURS,
    DASH,
    ChartWords,
    fmt,
    legend,
)

WIDTH, HEIGHT = 720, 680
CX = 190.0
_TOP = 76.0
_HEIGHTS = [13.0] * 7 + [17.0] * 12 + [22.0] * 5 + [13.0, 11.0, 10.0, 9.0, 8.0]
_HALF = [9.0] * 7 + [11.0] * 12 + [14.0] * 5 + [13.0, 11.0, 9.0, 7.0, 5.0]
_MUSCLE = [9.0] * 7 + [26.0] * 12 + [28.0] * 5 + [18.0] * 5
_OUTLINE = [
    (76, 22), (118, 24), (132, 62), (146, 96), (160, 110), (200, 102), (330, 92),
    (410, 82), (470, 102), (505, 108), (560, 104), (588, 96),
]  # fmt: skip
_NAMES = vertebrae()
_DEFS = """<defs>
<pattern id="sw-treat" width="7" height="7" patternUnits="userSpaceOnUse">
<rect width="7" height="7" fill="#d8efdf"/><circle cx="3.5" cy="3.5" r="1" fill="#2e7d4f"/>
</pattern>
<pattern id="sw-caution" width="9" height="9" patternUnits="userSpaceOnUse" \
patternTransform="rotate(-45)">
<rect width="9" height="9" fill="#fff1dc"/><line x1="0" y1="0" x2="0" y2="9" \
stroke="#b35c00" stroke-width="1.4"/></pattern>
<pattern id="sw-avoid" width="5" height="5" patternUnits="userSpaceOnUse" \
patternTransform="rotate(45)">
<rect width="5" height="5" fill="#fde4e4"/><line x1="0" y1="0" x2="0" y2="5" \
stroke="#b71c1c" stroke-width="2"/></pattern>
</defs>"""

Row = tuple[float, float, float, float]
"""y top, y bottom, inner and outer distance from the midline (right side)."""


def _tops() -> list[float]:
    tops, y = [], _TOP
    for height in _HEIGHTS:
        tops.append(y)
        y += height
    return tops


_Y = _tops()


def _half_width(y: float) -> float:
    """Half the torso's width at height ``y`` (linear between outline points)."""
    points = _OUTLINE
    if y <= points[0][0]:
        return float(points[0][1])
    for (y0, w0), (y1, w1) in itertools.pairwise(points):
        if y <= y1:
            return w0 + (w1 - w0) * (y - y0) / (y1 - y0)
    return float(points[-1][1])


def _rows(band: Band, top: int, bottom: int) -> list[Row]:
    if band is Band.POSTERIOR_THIGH:
        return [(596.0, 664.0, 16.0, 84.0)]
    if band is Band.NECK_ANTEROLATERAL:
        return [(84.0, 122.0, 23.0, 33.0)]
    rows = []
    for i in range(top, bottom + 1):
        y0, y1 = _Y[i], _Y[i] + _HEIGHTS[i]
        spine = _HALF[i] + 4
        inner, outer = {
            Band.MIDLINE: (-spine, spine),
            Band.PARASPINAL: (spine, spine + _MUSCLE[i]),
            Band.GLUTEAL: (spine + _MUSCLE[i], 200.0),
        }.get(band, (spine + _MUSCLE[i], 200.0))
        rows.append((y0, y1, inner, outer))
    if band is Band.GLUTEAL and bottom == len(_NAMES) - 1:
        rows.append((rows[-1][1], 586.0, 6.0, 200.0))
    clipped = []
    for y0, y1, inner, outer in rows:
        edge = min(_half_width(y0), _half_width(y1)) - 3
        if band is Band.SHOULDER:
            edge = min(edge, 100.0)
        if min(outer, edge) > inner:
            clipped.append((y0, y1, inner, min(outer, edge)))
    return clipped


def _polygon(rows: Sequence[Row], side: float) -> str:
    right = [(CX + side * o, y) for y0, y1, _, o in rows for y in (y0, y1)]
    left = [(CX + side * i, y) for y0, y1, i, _ in reversed(rows) for y in (y1, y0)]
    return " ".join(f"{fmt(x)},{fmt(y)}" for x, y in right + left)


def _arm(side: float) -> str:
    """An upper-arm stub, as a path (cut off above the elbow)."""

    def at(x: float, y: float) -> str:
        return f"{fmt(CX + side * x)},{fmt(y)}"

    return (
        f"M{at(100, 166)} C{at(108, 150)} {at(130, 148)} {at(138, 170)} "
        f"L{at(148, 296)} L{at(116, 300)} L{at(106, 214)} Z"
    )


def _shapes(area: Area, style: str) -> list[str]:
    stroke, _ = COLOURS[style]
    attrs = (
        f'fill="url(#sw-{style})" stroke="{stroke}" stroke-width="1.2" '
        f'stroke-dasharray="{DASH[style]}"'
    )
    if area.band is Band.ARM:
        return [f'<path d="{_arm(s)}" {attrs}/>' for s in (1.0, -1.0)]
    rows = _rows(area.band, *area.span)
    if not rows:
        return []
    if area.band is Band.MIDLINE:
        if (area.top, area.bottom) != BAND_SPANS[Band.MIDLINE]:
            rows = [(y0, y1, inner - 7, outer + 7) for y0, y1, inner, outer in rows]
        return [f'<polygon points="{_polygon(rows, 1.0)}" {attrs}/>']
    return [f'<polygon points="{_polygon(rows, s)}" {attrs}/>' for s in (1.0, -1.0)]


def _body() -> list[str]:
    right = [(CX + w, float(y)) for y, w in _OUTLINE]
    outline = [*right, (CX + 100, 664.0), (CX + 8, 664.0), (CX, 590.0)]
    outline += [(CX - 8, 664.0), (CX - 100, 664.0)]
    outline += [(CX - w, float(y)) for y, w in reversed(_OUTLINE)]
    points = " ".join(f"{fmt(x)},{fmt(y)}" for x, y in outline)
    style = 'fill="#ffffff" stroke="#444444" stroke-width="1.6"'
    return [
        *(f'<path d="{_arm(s)}" {style}/>' for s in (1.0, -1.0)),
        f'<polygon points="{points}" {style} stroke-linejoin="round"/>',
        f'<circle cx="{fmt(CX)}" cy="42" r="32" {style}/>',
        f'<line x1="{fmt(CX)}" y1="540" x2="{fmt(CX)}" y2="588" '
        'stroke="#777777" stroke-width="1"/>',
    ]


def _spine() -> list[str]:
    parts = []
    for i, name in enumerate(_NAMES):
        y, h, half = _Y[i], _HEIGHTS[i], _HALF[i]
        size = min(9.0, h - 3)
        parts.append(
            f'<rect x="{fmt(CX - half)}" y="{fmt(y + 0.6)}" width="{fmt(2 * half)}" '
            f'height="{fmt(h - 1.2)}" rx="2" fill="#ffffff" stroke="#555555" '
            'stroke-width="0.8"/>'
            f'<text x="{fmt(CX)}" y="{fmt(y + h / 2 + size * 0.36)}" '
            f'font-size="{fmt(size)}" text-anchor="middle" fill="#111111">{name}</text>'
        )
    return parts


def _hernia_marks(levels: Sequence[str], tr: Translator) -> list[str]:
    parts, last_y = [], -100.0
    for level in levels:
        upper, lower = (vertebra_index(v) for v in level.split("-"))
        y0, y1 = _Y[upper], _Y[lower] + _HEIGHTS[lower]
        half = max(_HALF[upper], _HALF[lower]) + 3
        label_y = max((y0 + y1) / 2 + 4, last_y + 16)
        last_y = label_y
        label = tr.gettext("hernia {level}").format(level=level)
        parts.append(
            f'<rect x="{fmt(CX - half)}" y="{fmt(y0)}" width="{fmt(2 * half)}" '
            f'height="{fmt(y1 - y0)}" fill="none" stroke="#000000" stroke-width="3"/>'
            f'<line x1="{fmt(CX + half)}" y1="{fmt((y0 + y1) / 2)}" '
            f'x2="{fmt(CX + 156)}" y2="{fmt(label_y - 4)}" stroke="#000000" '
            'stroke-width="1.2"/>'
            f'<text x="{fmt(CX + 158)}" y="{fmt(label_y)}" font-size="12" '
            f'font-weight="bold" fill="#000000">'
            f"{escape(label)}</text>"
        )
    return parts


@dataclass(frozen=True)
class _Piece:
    area: Area
    modalities: tuple[Modality, ...]


def _merged(areas: Iterable[Area]) -> list[Area]:
    by_band: dict[Band, list[tuple[int, int]]] = {}
    for area in areas:
        by_band.setdefault(area.band, []).append(area.span)
    merged = []
    for band, spans in by_band.items():
        runs: list[tuple[int, int]] = []
        for top, bottom in sorted(spans):
            if runs and top <= runs[-1][1] + 1:
                runs[-1] = (runs[-1][0], max(runs[-1][1], bottom))
            else:
                runs.append((top, bottom))
        merged += [Area(band=band, top=_NAMES[a], bottom=_NAMES[b]) for a, b in runs]
    return merged


def _treated(courses: dict[Modality, list[Area]]) -> list[_Piece]:
    own = {m: _merged(areas) for m, areas in courses.items()}
    union = _merged(a for areas in courses.values() for a in areas)
    return [
        _Piece(piece, tuple(m for m in own if any(piece.overlaps(a) for a in own[m])))
        for piece in union
    ]


def _tag(piece: _Piece, words: ChartWords) -> str:
    rows = _rows(piece.area.band, *piece.area.span)
    if not rows or piece.area.band is Band.ARM:
        return ""
    y0, y1, inner, outer = rows[len(rows) // 2]
    text = " ".join(words.letter(m) for m in piece.modalities)
    return (
        f'<text x="{fmt(CX + (inner + outer) / 2)}" y="{fmt((y0 + y1) / 2 + 3)}" '
        f'font-size="8" font-weight="bold" text-anchor="middle" '
        f'fill="#1b4d30">{text}</text>'
    )


def render_body_chart(
    plan: CoursePlan,
    modality: Modality | None = None,
    language: str = "en",
    kb_text: Callable[[str], str] | None = None,
) -> str:
    """The plan's body chart as SVG text: every course, or only ``modality``'s; its
    words in ``language``. The zones' names are the plan's own, looked up with
    ``kb_text`` when the plan is stored in English and read in another language."""
    tr = Translator(language)
    words = ChartWords(tr, kb_text) if kb_text else ChartWords(tr)
    courses = [c for c in plan.courses if modality in (None, c.modality)]
    if not courses:
        raise ValueError(f"the plan has no {modality} course")
    treated = {
        c.modality: [a for s in c.sessions for step in s.steps for a in step.areas]
        for c in courses
    }
    seen: dict[str, ZoneToAvoid] = {}
    for course in courses:
        for zone in course.zones_to_avoid:
            seen.setdefault(zone.id, zone)
    zones = list(seen.values())
    pieces = _treated(treated)
    title = words.title(plan)
    described = [(p.area, p.modalities) for p in pieces]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" font-family="Spinewise Sans, DejaVu Sans, sans-serif" '
        'role="img" aria-labelledby="sw-title sw-desc">',
        f'<title id="sw-title">{escape(title)}</title>',
        f'<desc id="sw-desc">{escape(words.description(plan.hernia_levels, zones, described))}'
        "</desc>",
        _DEFS,
        *_body(),
    ]
    for piece in pieces:
        parts += _shapes(piece.area, "treat")
    for style in ("caution", "avoid"):
        for zone in zones:
            if ("caution" if zone.permitted else "avoid") == style:
                for area in zone.areas:
                    parts += _shapes(area, style)
    parts += [*_spine(), *(_tag(p, words) for p in pieces if _tag(p, words))]
    parts += _hernia_marks(plan.hernia_levels, tr)
    left = escape(tr.gettext("patient's left"))
    right = escape(tr.gettext("patient's right"))
    parts += [
        f'<text x="{fmt(CX - 150)}" y="{HEIGHT - 6}" font-size="9" fill="#444444">'
        f"{left}</text>",
        f'<text x="{fmt(CX + 150)}" y="{HEIGHT - 6}" font-size="9" fill="#444444" '
        f'text-anchor="end">{right}</text>',
        *legend(zones, [c.modality for c in courses], words),
        "</svg>",
    ]
    return "\n".join(parts)
