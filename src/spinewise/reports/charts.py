"""Outcome charts as standalone SVG text (no charting library, no I/O).

``render_outcome_chart`` draws one instrument's scores over time, the baseline and the
band of baseline ± the minimal clinically important change (MIC), and says whether the
latest change is clinically important by the same rule as ``spinewise.outcomes``
(at least the MIC or at least 30 % of the baseline). It reads in black and white: the
series is a solid line with filled markers, the baseline is dashed and the MIC band is
hatched with a dotted border; nothing depends on colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from spinewise.i18n import Translator, format_date, format_number
from spinewise.models.outcome import ChangeClass, Instrument
from spinewise.outcomes import INSTRUMENTS, classify_difference

WIDTH, HEIGHT = 720, 400
LEFT, RIGHT, TOP, BOTTOM = 64.0, 696.0, 44.0, 276.0
_PAD = 20.0  # keeps the first and last points off the axes


def axis_label(instrument: Instrument, tr: Translator) -> str:
    """The instrument's short name and scale, for an axis or a chart title."""
    return {
        Instrument.NRS: tr.gettext("Pain NRS (0-10)"),
        Instrument.ODI: tr.gettext("ODI (%% of maximum)").replace("%%", "%"),
        Instrument.RMDQ: tr.gettext("RMDQ (0-24)"),
        Instrument.NDI: tr.gettext("NDI (0-50)"),
    }[instrument]


def _verdict(change: ChangeClass, tr: Translator) -> str:
    return {
        ChangeClass.IMPROVED: tr.gettext("a clinically important improvement"),
        ChangeClass.WORSENED: tr.gettext("a clinically important worsening"),
        ChangeClass.UNCHANGED: tr.gettext("not clinically important"),
    }[change]


def _day(day: date, tr: Translator) -> str:
    """ISO in English (as the data), the locale's short form otherwise."""
    return day.isoformat() if tr.language == "en" else format_date(day, tr.language)


def _num(value: Decimal, tr: Translator) -> str:
    return str(value) if tr.language == "en" else format_number(value, tr.language)


@dataclass(frozen=True)
class _Frame:
    """Maps dates and scores to plot coordinates."""

    first: date
    span_days: int
    scale_max: float

    def x(self, day: date) -> float:
        if self.span_days == 0:
            return (LEFT + RIGHT) / 2
        share = (day - self.first).days / self.span_days
        return LEFT + _PAD + share * (RIGHT - LEFT - 2 * _PAD)

    def y(self, value: Decimal | float) -> float:
        clamped = min(max(float(value), 0.0), self.scale_max)
        return BOTTOM - clamped / self.scale_max * (BOTTOM - TOP)


def render_outcome_chart(
    instrument: Instrument,
    points: Sequence[tuple[date, Decimal]],
    mic: Decimal,
    title: str,
    language: str = "en",
    subject: str | None = None,
) -> str:
    """A standalone SVG of ``points`` (date, score), the first being the baseline,
    its words in ``language``; ``subject`` names what is scored in the text
    alternative when it is not the instrument ("Pain before each session").

    Points are drawn in date order. Raises ``ValueError`` for no points, a MIC that
    is not positive, a score outside the instrument's scale, or STarT Back (which has
    no MIC: report its risk group instead).
    """
    ordered = sorted(points, key=lambda point: point[0])
    definition = INSTRUMENTS[instrument]
    _check(instrument, ordered, mic, definition.scale_max)
    frame = _Frame(
        first=ordered[0][0],
        span_days=(ordered[-1][0] - ordered[0][0]).days,
        scale_max=float(definition.scale_max),
    )
    baseline = ordered[0][1]
    hatch = f"spinewise-mic-hatch-{instrument.value}"
    tr = Translator(language)
    parts = [
        _opening(title, _description(instrument, ordered, mic, tr, subject)),
        _defs(hatch),
        _mic_band(frame, baseline, mic, hatch),
        _axes(frame, axis_label(instrument, tr), ordered, tr),
        _series(frame, ordered, tr),
        _legend(mic, hatch, tr),
        _annotation(ordered, mic, definition.mic_relative, tr),
        "</svg>",
    ]
    return "\n".join(parts) + "\n"


def _check(
    instrument: Instrument,
    points: Sequence[tuple[date, Decimal]],
    mic: Decimal,
    scale_max: Decimal,
) -> None:
    if instrument is Instrument.STARTBACK:
        raise ValueError("STarT Back has no MIC chart: report its risk group instead")
    if not points:
        raise ValueError("points: at least the baseline is needed")
    if mic <= 0:
        raise ValueError(f"mic: must be positive, got {mic}")
    for index, (_, value) in enumerate(points):
        if not 0 <= value <= scale_max:
            raise ValueError(f"points[{index}]: {value} is outside 0-{scale_max}")


def _opening(title: str, description: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" '
        'font-family="Spinewise Sans, DejaVu Sans, Arial, sans-serif" '
        'font-size="11">\n'
        f"<title>{escape(title)}</title>\n<desc>{escape(description)}</desc>\n"
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>\n'
        + _text(
            LEFT, 24, title, extra=' class="heading" font-size="14" font-weight="bold"'
        )
    )


def _description(
    instrument: Instrument,
    points: Sequence[tuple[date, Decimal]],
    mic: Decimal,
    tr: Translator,
    subject: str | None = None,
) -> str:
    values = ", ".join(f"{_day(day, tr)}: {_num(value, tr)}" for day, value in points)
    if subject is None:
        text = tr.gettext(
            "{instrument} scores by date ({values}); baseline {baseline}; minimal "
            "clinically important change {mic}."
        )
    else:
        text = tr.gettext(
            "{subject}, by date ({values}); baseline {baseline}; minimal "
            "clinically important change {mic}."
        )
    return text.format(
        subject=subject,
        instrument=instrument.value.upper(),
        values=values,
        baseline=_num(points[0][1], tr),
        mic=_num(mic, tr),
    )


def _defs(hatch: str) -> str:
    return (
        f'<defs><pattern id="{hatch}" patternUnits="userSpaceOnUse" width="6" '
        'height="6" patternTransform="rotate(45)">'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#000" stroke-width="1"/>'
        "</pattern></defs>"
    )


def _mic_band(frame: _Frame, baseline: Decimal, mic: Decimal, hatch: str) -> str:
    top, bottom = frame.y(baseline + mic), frame.y(baseline - mic)
    base_y = frame.y(baseline)
    return (
        f'<g class="mic-band"><rect x="{LEFT:.1f}" y="{top:.1f}" '
        f'width="{RIGHT - LEFT:.1f}" height="{bottom - top:.1f}" '
        f'fill="url(#{hatch})" fill-opacity="0.5" stroke="#000" '
        'stroke-dasharray="2 2" stroke-width="0.8"/>'
        f'<line class="baseline" x1="{LEFT:.1f}" y1="{base_y:.1f}" x2="{RIGHT:.1f}" '
        f'y2="{base_y:.1f}" stroke="#000" stroke-width="1" stroke-dasharray="6 3"/></g>'
    )


def _axes(
    frame: _Frame, label: str, points: Sequence[tuple[date, Decimal]], tr: Translator
) -> str:
    step = _tick_step(frame.scale_max)
    marks = [
        f'<line x1="{LEFT}" y1="{BOTTOM}" x2="{RIGHT}" y2="{BOTTOM}"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{BOTTOM}"/>',
    ]
    mid_y = (TOP + BOTTOM) / 2
    labels = [
        _text(18, mid_y, label, "middle", f' transform="rotate(-90 18 {mid_y})"'),
        _text((LEFT + RIGHT) / 2, BOTTOM + 36, tr.gettext("Date"), "middle"),
    ]
    for tick in range(0, int(frame.scale_max) + 1, step):
        y = frame.y(tick)
        marks.append(f'<line x1="{LEFT - 5}" y1="{y:.1f}" x2="{LEFT}" y2="{y:.1f}"/>')
        labels.append(_text(LEFT - 8, y + 4, str(tick), "end"))
    last_label = float("-inf")
    for day in sorted({day for day, _ in points}):
        x = frame.x(day)
        marks.append(
            f'<line x1="{x:.1f}" y1="{BOTTOM}" x2="{x:.1f}" y2="{BOTTOM + 5}"/>'
        )
        if x - last_label >= 72:  # skip a date label that would overlap the previous
            labels.append(_text(x, BOTTOM + 18, _day(day, tr), "middle"))
            last_label = x
    return "\n".join(
        [
            '<g class="axes" stroke="#000">',
            *marks,
            "</g>",
            '<g class="ticks">',
            *labels,
            "</g>",
        ]
    )


def _tick_step(scale_max: float) -> int:
    """The smallest round step giving at most six intervals that divide the scale."""
    for step in (1, 2, 4, 5, 10, 20, 25, 50):
        if scale_max / step <= 6 and scale_max % step == 0:
            return step
    return int(scale_max)


def _series(
    frame: _Frame, points: Sequence[tuple[date, Decimal]], tr: Translator
) -> str:
    coords = [(frame.x(day), frame.y(value), value) for day, value in points]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in coords)
    lines = [
        '<g class="scores">',
        f'<polyline points="{path}" fill="none" stroke="#000" stroke-width="2"/>',
    ]
    for x, y, value in coords:
        lines.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#000"/>')
        label_y = y - 8 if y - 8 > TOP + 4 else y + 16
        lines.append(
            _text(x, label_y, _num(value, tr), anchor="middle", extra=' class="value"')
        )
    lines.append("</g>")
    return "\n".join(lines)


def _width(text: str) -> float:
    """About how wide ``text`` runs at the chart's 11 px (DejaVu Sans)."""
    return len(text) * 6.6


def _wrapped(text: str, limit: int = 96) -> list[str]:
    """``text`` in lines of at most about ``limit`` characters, broken at spaces."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= limit:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _legend(mic: Decimal, hatch: str, tr: Translator) -> str:
    y = BOTTOM + 60
    score, baseline = tr.gettext("score"), tr.gettext("baseline")
    base_x = LEFT + 30 + max(_width(score), 36) + 14
    band_x = base_x + 30 + max(_width(baseline), 48) + 12
    return "\n".join(
        [
            '<g class="legend">',
            f'<line x1="{LEFT}" y1="{y}" x2="{LEFT + 24}" y2="{y}" stroke="#000" '
            'stroke-width="2"/>',
            f'<circle cx="{LEFT + 12}" cy="{y}" r="3.5" fill="#000"/>',
            _text(LEFT + 30, y + 4, score),
            f'<line x1="{base_x:.1f}" y1="{y}" x2="{base_x + 24:.1f}" y2="{y}" '
            'stroke="#000" stroke-dasharray="6 3"/>',
            _text(base_x + 30, y + 4, baseline),
            f'<rect x="{band_x:.1f}" y="{y - 6}" width="24" height="12" '
            f'fill="url(#{hatch})" stroke="#000" stroke-dasharray="2 2"/>',
            _text(
                band_x + 30,
                y + 4,
                tr.gettext(
                    "minimal clinically important change (baseline ± {mic})"
                ).format(mic=_num(mic, tr)),
            ),
            "</g>",
        ]
    )


def _annotation(
    points: Sequence[tuple[date, Decimal]],
    mic: Decimal,
    mic_relative: Decimal | None,
    tr: Translator,
) -> str:
    (first_day, baseline), (last_day, latest) = points[0], points[-1]
    if mic_relative is None:
        rule = tr.gettext(
            "Clinically important: a change of at least {mic} of baseline."
        ).format(mic=_num(mic, tr))
    else:
        rule = tr.gettext(
            "Clinically important: a change of at least {mic} or {percent} %% of "
            "baseline."
        ).format(mic=_num(mic, tr), percent=f"{mic_relative * 100:.0f}")
        rule = rule.replace("%%", "%")
    if len(points) < 2:
        headline = tr.gettext("Baseline only: no follow-up score yet.")
    else:
        verdict = classify_difference(
            baseline, latest, mic=mic, mic_relative=mic_relative
        )
        change = latest - baseline
        shown = f"{change:+}" if tr.language == "en" else _signed(change, tr)
        headline = tr.gettext(
            "Latest change {change} ({day} vs baseline {baseline_day}): {verdict}."
        ).format(
            change=shown,
            day=_day(last_day, tr),
            baseline_day=_day(first_day, tr),
            verdict=_verdict(verdict, tr),
        )
    bold, plain = _wrapped(headline), _wrapped(rule)
    y, step = (
        (BOTTOM + 88, 18.0) if len(bold) + len(plain) <= 2 else (BOTTOM + 80, 16.0)
    )
    lines = ['<g class="annotation">']
    for line in bold:
        lines.append(_text(LEFT, y, line, extra=' font-weight="bold"'))
        y += step
    for line in plain:
        lines.append(_text(LEFT, y, line))
        y += step
    lines.append("</g>")
    return "\n".join(lines)


def _text(
    x: float, y: float, content: str, anchor: str = "start", extra: str = ""
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor={quoteattr(anchor)}{extra}>'
        f"{escape(content)}</text>"
    )


def _signed(value: Decimal, tr: Translator) -> str:
    sign = "+" if value > 0 else "\u2212" if value < 0 else ""
    return sign + _num(abs(value), tr)
