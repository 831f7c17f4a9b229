"""The outcome chart: standalone SVG, MIC band, legend, annotation, black and white."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import pytest

from spinewise.models.outcome import Instrument
from spinewise.reports.charts import render_outcome_chart

SVG = "{http://www.w3.org/2000/svg}"
ODI_POINTS = [
    (date(2026, 11, 2), Decimal("35.8")),
    (date(2026, 11, 16), Decimal("30.0")),
    (date(2026, 11, 30), Decimal("25.8")),
]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def annotation(root: ET.Element) -> str:
    group = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "annotation")
    return " ".join("".join(t.itertext()) for t in group.iter(f"{SVG}text"))


def odi_chart(points: list[tuple[date, Decimal]] = ODI_POINTS) -> ET.Element:
    return parse(render_outcome_chart(Instrument.ODI, points, Decimal(10), "ODI"))


def test_chart_is_a_standalone_svg_with_a_viewbox_and_a_title() -> None:
    root = parse(
        render_outcome_chart(
            Instrument.ODI, ODI_POINTS, Decimal(10), "ODI: Ann & <course 1>"
        )
    )
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == "0 0 720 400"
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == "ODI: Ann & <course 1>"
    assert "ODI: Ann & <course 1>" in texts(root)  # also drawn as a visible heading
    assert root.find(f"{SVG}desc") is not None


def test_chart_has_labelled_axes_with_ticks() -> None:
    labels = texts(odi_chart())
    assert "ODI (% of maximum)" in labels and "Date" in labels
    assert {"0", "20", "40", "60", "80", "100"} <= set(labels)
    assert "2026-11-02" in labels and "2026-11-30" in labels


def test_chart_draws_the_scores_as_a_line_with_markers_and_value_labels() -> None:
    root = odi_chart()
    assert len(list(root.iter(f"{SVG}polyline"))) == 1
    values = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "value"]
    assert values == ["35.8", "30.0", "25.8"]
    assert len(list(root.iter(f"{SVG}circle"))) == 3 + 1  # points and legend


def test_chart_has_a_hatched_mic_band_and_its_legend_entry() -> None:
    root = odi_chart()
    assert any("minimal clinically important change" in text for text in texts(root))
    pattern = root.find(f"{SVG}defs/{SVG}pattern")
    assert pattern is not None
    band = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "mic-band")
    rect = band.find(f"{SVG}rect")
    assert rect is not None and rect.get("fill") == f"url(#{pattern.get('id')})"
    # baseline 35.8 +- 10 on a 232-pixel, 0-100 axis: 45.8 at y 169.7, 25.8 at y 216.1
    assert (rect.get("y"), rect.get("height")) == ("169.7", "46.4")


def test_chart_reads_in_black_and_white() -> None:
    svg = render_outcome_chart(Instrument.ODI, ODI_POINTS, Decimal(10), "ODI")
    colours = set(re.findall(r'(?:fill|stroke)="([^"]+)"', svg))
    assert colours <= {"#000", "#fff", "none", "url(#spinewise-mic-hatch-odi)"}
    assert "stroke-dasharray" in svg


def test_annotation_says_the_latest_change_is_clinically_important() -> None:
    text = annotation(odi_chart())
    assert "Latest change -10.0" in text
    assert "a clinically important improvement" in text
    assert "at least 10 or 30 % of baseline" in text


def test_annotation_says_a_small_change_is_not_clinically_important() -> None:
    points = [
        (date(2026, 11, 2), Decimal("40.0")),
        (date(2026, 11, 9), Decimal("34.0")),
    ]
    assert "not clinically important" in annotation(odi_chart(points))


def test_annotation_counts_thirty_percent_inside_the_band_as_important() -> None:
    points = [(date(2026, 11, 2), Decimal(10)), (date(2026, 11, 30), Decimal(7))]
    svg = render_outcome_chart(Instrument.RMDQ, points, Decimal(5), "RMDQ")
    assert "a clinically important improvement" in annotation(parse(svg))


def test_annotation_flags_a_worsening() -> None:
    points = [(date(2026, 11, 2), Decimal(5)), (date(2026, 11, 9), Decimal(7))]
    svg = render_outcome_chart(Instrument.NRS, points, Decimal(2), "Pain")
    assert "a clinically important worsening" in annotation(parse(svg))


def test_a_baseline_alone_is_drawn_and_says_so() -> None:
    root = odi_chart(ODI_POINTS[:1])
    assert "Baseline only" in annotation(root)


def test_points_are_drawn_in_date_order() -> None:
    assert ET.tostring(odi_chart(ODI_POINTS[::-1])) == ET.tostring(odi_chart())


@pytest.mark.parametrize(
    ("instrument", "points", "mic", "problem"),
    [
        (Instrument.STARTBACK, ODI_POINTS, Decimal(1), "STarT Back"),
        (Instrument.ODI, [], Decimal(10), "baseline"),
        (Instrument.ODI, ODI_POINTS, Decimal(0), "mic"),
        (Instrument.NRS, [(date(2026, 11, 2), Decimal(11))], Decimal(2), "points"),
    ],
    ids=["startback", "no-points", "zero-mic", "off-scale"],
)
def test_chart_refuses_what_it_cannot_draw_honestly(
    instrument: Instrument,
    points: list[tuple[date, Decimal]],
    mic: Decimal,
    problem: str,
) -> None:
    with pytest.raises(ValueError, match=problem):
        render_outcome_chart(instrument, points, mic, "chart")
