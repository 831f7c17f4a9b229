"""Home-care advice (docs/clinical-basis.md#home-care), by region and by rule."""

from __future__ import annotations

import pytest
from tests.factories import make_assessment

from spinewise.kb import KnowledgeBase
from spinewise.models import Region
from spinewise.planning import AdviceKind, home_care_advice
from spinewise.screening import screen

LEVEL = {Region.LUMBAR: "L4-L5", Region.THORACIC: "T7-T8", Region.CERVICAL: "C5-C6"}
COMMON = {"AD-CUR", "AD-DRG", "AD-ACT", "AD-MAT", "AD-BETWEEN"}


def advice_ids(kb: KnowledgeBase, region: Region, **sections: object) -> list[str]:
    hernia = {
        "region": region.value,
        "levels": [LEVEL[region]],
        **sections.pop("hernia", {}),
    }  # type: ignore[dict-item]
    assessment = make_assessment(hernia=hernia, **sections)
    return [a.id for a in home_care_advice(region, screen(assessment, kb), kb)]


@pytest.mark.parametrize(
    ("region", "own", "foreign"),
    [
        (
            Region.LUMBAR,
            {"AD-SLP-L", "AD-STOP-L"},
            {"AD-SLP-C", "AD-NECK", "AD-STOP-C"},
        ),
        (
            Region.THORACIC,
            {"AD-SLP-T", "AD-STOP-T"},
            {"AD-SLP-L", "AD-STOP-L", "AD-NECK"},
        ),
        (
            Region.CERVICAL,
            {"AD-SLP-C", "AD-NECK", "AD-STOP-C"},
            {"AD-SLP-L", "AD-STOP-L"},
        ),
    ],
    ids=lambda value: value.value if isinstance(value, Region) else "",
)
def test_advice_is_tailored_to_the_region(
    kb: KnowledgeBase, region: Region, own: set[str], foreign: set[str]
) -> None:
    ids = set(advice_ids(kb, region))
    assert COMMON | own <= ids
    assert not ids & foreign


def test_the_cauda_equina_card_comes_first_when_in_ces_01_fired(
    kb: KnowledgeBase,
) -> None:
    ids = advice_ids(kb, Region.LUMBAR, hernia={"side": "central"})
    assert ids[0] == "AD-CES"
    assert "AD-CES" not in advice_ids(kb, Region.LUMBAR, hernia={"side": "left"})


def test_spreading_pain_advice_follows_the_radicular_precaution(
    kb: KnowledgeBase,
) -> None:
    assert "AD-RAD-L" in advice_ids(
        kb, Region.LUMBAR, symptoms={"radicular_pain": True}
    )
    assert "AD-RAD-L" in advice_ids(
        kb, Region.LUMBAR, symptoms={"radicular_pain": None}
    )
    assert "AD-RAD-L" not in advice_ids(kb, Region.LUMBAR)
    cervical = advice_ids(kb, Region.CERVICAL, symptoms={"radicular_pain": True})
    assert "AD-RAD-C" in cervical and "AD-RAD-L" not in cervical


def test_safety_net_advice_comes_before_home_care(kb: KnowledgeBase) -> None:
    assessment = make_assessment()
    kinds = [
        a.kind for a in home_care_advice(Region.LUMBAR, screen(assessment, kb), kb)
    ]
    assert kinds == sorted(
        kinds,
        key=[
            AdviceKind.SAFETY_NET,
            AdviceKind.ABOUT_TREATMENT,
            AdviceKind.HOME_CARE,
        ].index,
    )


def test_every_advice_cites_known_sources_and_never_a_drug_dose(
    kb: KnowledgeBase,
) -> None:
    assert kb.techniques is not None
    for spec in kb.techniques.advice:
        assert all(source in kb.sources for source in spec.sources), spec.id
        assert " mg" not in spec.text and "ibuprofen" not in spec.text.lower()


def test_the_mattress_advice_names_no_brand_or_country(kb: KnowledgeBase) -> None:
    assert kb.techniques is not None
    mattress = next(a for a in kb.techniques.advice if a.id == "AD-MAT")
    assert "medium-firm" in mattress.text
    assert "Europe" not in mattress.text
    assert mattress.sources == ["KOVACS-2003"]
