"""Where a step works, in words: English as stored plans have it, Russian composed
from the same data (vertebra labels stay codes), and plurals in Russian's three forms."""

from __future__ import annotations

import pytest

from spinewise.i18n import Translator
from spinewise.models.plan import Area, Band, Step, TechniqueKind
from spinewise.models.plan_wording import area_label, describe_where, step_wording

RUSSIAN = Translator("ru")


def step(**fields: object) -> Step:
    """A kneading step over the paraspinal muscles and the buttock, around a
    hernia zone at L3-S1 that it leaves out."""
    values: dict[str, object] = {
        "order": 1,
        "technique_id": "kneading",
        "technique": "Kneading",
        "kind": TechniqueKind.KNEADING,
        "areas": [
            Area(band=Band.PARASPINAL, top="T10", bottom="L2"),
            Area(band=Band.PARASPINAL, top="S2", bottom="S2"),
            Area(band=Band.GLUTEAL, top="S1", bottom="S5"),
        ],
        "minutes": 5,
        "intensity": 1,
        "source": "ARTICLE",
        "keeps_off": [Area(band=Band.PARASPINAL, top="L3", bottom="S1")],
    }
    return Step.model_validate({**values, **fields})


def test_a_step_with_two_bands_and_a_cut_reads_as_it_always_has_in_english() -> None:
    assert step().wording == (
        "Kneading: paraspinal muscles T10\u2013L2 (above L3) and S2 (below S1); "
        "gluteal muscles (buttock) \u2014 never over paraspinal muscles L3\u2013S1"
    )
    assert step_wording(step()) == step().wording


def test_the_same_step_in_russian_names_every_band_and_the_zone_it_never_enters() -> (
    None
):
    assert describe_where(step(), RUSSIAN) == (
        "паравертебральные мышцы T10\u2013L2 (выше L3) и S2 (ниже S1); "
        "ягодичные мышцы (ягодичная область) \u2014 никогда не воздействовать на "
        "зону: паравертебральные мышцы L3\u2013S1"
    )


def test_a_zone_crossed_gently_says_so_with_the_steps_level_in_russian() -> None:
    gentle = step(
        areas=[Area(band=Band.PARASPINAL, top="T10", bottom="S2")],
        keeps_off=[],
        gently_over=[Area(band=Band.PARASPINAL, top="L3", bottom="S1")],
        intensity=2,
    )
    assert describe_where(gentle) == (
        "paraspinal muscles T10\u2013S2 \u2014 over paraspinal muscles L3\u2013S1 "
        "gently only (level 2)"
    )
    assert describe_where(gentle, RUSSIAN) == (
        "паравертебральные мышцы T10\u2013S2 \u2014 только мягко (уровень 2) в зоне: "
        "паравертебральные мышцы L3\u2013S1"
    )


@pytest.mark.parametrize(
    ("area", "english", "russian"),
    [
        (Area(band=Band.MIDLINE, top="C1", bottom="S5"), "spinous processes (midline)",
         "остистые отростки (срединная линия)"),
        (Area(band=Band.PARASPINAL, top="C1", bottom="S3"), "paraspinal muscles C1-S3",
         "паравертебральные мышцы C1-S3"),
        (Area(band=Band.RIBS, top="T4", bottom="T4"), "ribs and costovertebral joints T4",
         "рёбра и рёберно-позвонковые суставы T4"),
    ],
)  # fmt: skip
def test_an_area_is_named_in_the_readers_language_with_its_vertebrae_as_codes(
    area: Area, english: str, russian: str
) -> None:
    assert area.label == english == area_label(area)
    assert area_label(area, RUSSIAN) == russian


@pytest.mark.parametrize(
    ("count", "vertebrae", "sessions"),
    [(1, "1 позвонок", "1 сеанс"), (2, "2 позвонка", "2 сеанса"),
     (5, "5 позвонков", "5 сеансов"), (21, "21 позвонок", "21 сеанс")],
)  # fmt: skip
def test_the_planners_counted_words_take_russians_three_forms(
    count: int, vertebrae: str, sessions: str
) -> None:
    zone = "%(num)d vertebra(e) above and below each herniated level"
    margin = RUSSIAN.ngettext(zone, zone, count) % {"num": count}
    assert margin == f"{vertebrae} выше и ниже каждого уровня грыжи"
    slower = "sessions 1-%(hold)s at level 1, then up one level at most every "
    pace = RUSSIAN.ngettext(
        slower + "%(num)d session (slower: %(rules)s).",
        slower + "%(num)d sessions (slower: %(rules)s).",
        count,
    ) % {"hold": 2, "num": count, "rules": "IN-X"}
    assert f"за {sessions} (медленнее: IN-X)." in pace
