"""Zones to avoid (docs/clinical-basis.md#zones-to-avoid): the hernia span, its clamping and merging, area cutting."""

from __future__ import annotations

import pytest

from spinewise.models import Modality
from spinewise.planning import (
    Area,
    Band,
    Step,
    TechniqueKind,
    ZoneToAvoid,
    hernia_spans,
)
from spinewise.planning.zones import workable


@pytest.mark.parametrize(
    ("levels", "margin", "spans"),
    [
        (["L4-L5"], 1, [("L3", "S1")]),
        (["L5-S1"], 1, [("L4", "S2")]),
        (["C7-T1"], 1, [("C6", "T2")]),
        (["L4-L5"], 2, [("L2", "S2")]),
        (["C2-C3"], 2, [("C1", "C5")]),
        (["L5-S1"], 5, [("T12", "S5")]),
        (["L4-L5", "L5-S1"], 1, [("L3", "S2")]),
        (["L1-L2", "L4-L5"], 1, [("T12", "S1")]),
        (["T3-T4", "T9-T10"], 1, [("T2", "T5"), ("T8", "T11")]),
    ],
)
def test_the_hernia_zone_spans_one_vertebra_each_side(
    levels: list[str], margin: int, spans: list[tuple[str, str]]
) -> None:
    assert hernia_spans(levels, margin) == spans


def zone(
    permitted: list[TechniqueKind], top: str = "L3", bottom: str = "S1"
) -> ZoneToAvoid:
    return ZoneToAvoid(
        id="z",
        label="zone",
        areas=[Area(band=Band.PARASPINAL, top=top, bottom=bottom)],
        permitted=permitted,
        permitted_max_level=2,
        modalities=list(Modality),
        rules=["PC-IMG-01"],
        source="ARTICLE",
    )


def test_a_zone_cuts_a_band_into_the_parts_above_and_below() -> None:
    area = Area(band=Band.PARASPINAL, top="T10", bottom="S2")
    found = workable(area, [zone([])], TechniqueKind.KNEADING, 2)
    assert [(p.top, p.bottom) for p in found.pieces] == [("T10", "L2"), ("S2", "S2")]
    assert found.cut_by == ["PC-IMG-01"]
    assert found.keeps_off == [Area(band=Band.PARASPINAL, top="L3", bottom="S1")]
    assert found.gently_over == []


def test_a_permitted_technique_keeps_the_whole_band() -> None:
    area = Area(band=Band.PARASPINAL, top="T10", bottom="S2")
    found = workable(area, [zone([TechniqueKind.STROKING])], TechniqueKind.STROKING, 2)
    assert found.pieces == [area] and found.cut_by == []
    assert found.gently_over == [Area(band=Band.PARASPINAL, top="L3", bottom="S1")]


def test_a_permitted_technique_above_the_zone_level_is_cut() -> None:
    area = Area(band=Band.PARASPINAL, top="L3", bottom="L4")
    found = workable(area, [zone([TechniqueKind.STROKING])], TechniqueKind.STROKING, 3)
    assert found.pieces == []
    assert found.keeps_off == [area]


def test_another_band_is_untouched() -> None:
    area = Area(band=Band.GLUTEAL, top="S1", bottom="S5")
    found = workable(area, [zone([])], TechniqueKind.KNEADING, 3)
    assert found.pieces == [area] and found.cut_by == [] and found.keeps_off == []


def test_a_cut_zone_is_named_beside_the_parts_above_and_below_it() -> None:
    step = Step(
        order=1,
        technique_id="CL-4",
        technique="Kneading (petrissage) of the paraspinal muscles",
        kind=TechniqueKind.KNEADING,
        areas=[
            Area(band=Band.PARASPINAL, top="T10", bottom="L2"),
            Area(band=Band.PARASPINAL, top="S2", bottom="S2"),
        ],
        keeps_off=[Area(band=Band.PARASPINAL, top="L3", bottom="S1")],
        minutes=5,
        intensity=2,
        source="ARTICLE",
    )
    assert step.wording == (
        "Kneading (petrissage) of the paraspinal muscles: paraspinal muscles "
        "T10\u2013L2 (above L3) and S2 (below S1) \u2014 never over paraspinal "
        "muscles L3\u2013S1"
    )
    assert Step.model_validate(step.model_dump(mode="json")) == step


def test_an_area_runs_downwards() -> None:
    with pytest.raises(ValueError, match="below"):
        Area(band=Band.RIBS, top="T9", bottom="T2")
