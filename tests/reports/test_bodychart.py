"""The body chart: valid standalone SVG, every vertebra, the hernia, black and white."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from tests.factories import make_assessment
from tests.strategies import ASSESSED_ON, proceeding_data

from spinewise.kb import KnowledgeBase
from spinewise.models import Assessment, Modality, Verdict, vertebrae
from spinewise.planning import CoursePlan, plan_course
from spinewise.reports import render_body_chart
from spinewise.screening import screen

SVG = "{http://www.w3.org/2000/svg}"
LABELLED = vertebrae()[: vertebrae().index("S1") + 1]


def plan_for(kb: KnowledgeBase, **sections: Any) -> CoursePlan:
    assessment = make_assessment(**sections)
    return plan_course(assessment, screen(assessment, kb), kb, ASSESSED_ON)


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_the_chart_is_valid_svg_with_a_title_and_a_description(
    kb: KnowledgeBase,
) -> None:
    root = ET.fromstring(render_body_chart(plan_for(kb)))
    assert root.tag == f"{SVG}svg" and root.get("viewBox")
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and "L4-L5" in (title.text or "")
    assert desc is not None and "Zones to avoid" in (desc.text or "")
    assert root.get("role") == "img"


def test_every_vertebra_from_c1_to_s1_is_drawn_and_labelled(kb: KnowledgeBase) -> None:
    root = ET.fromstring(render_body_chart(plan_for(kb)))
    labels = texts(root)
    assert all(name in labels for name in LABELLED)
    rects = [r for r in root.iter(f"{SVG}rect") if r.get("rx") == "2"]
    assert len(rects) == len(vertebrae())


def test_the_herniated_levels_are_marked_and_named(kb: KnowledgeBase) -> None:
    plan = plan_for(kb, hernia={"levels": ["L4-L5", "L5-S1"]})
    labels = texts(ET.fromstring(render_body_chart(plan)))
    assert "hernia L4-L5" in labels and "hernia L5-S1" in labels


def test_zones_to_avoid_are_hatched_and_dashed_unlike_treatment_areas(
    kb: KnowledgeBase,
) -> None:
    root = ET.fromstring(
        render_body_chart(plan_for(kb, symptoms={"radicular_pain": True}))
    )
    styles = {
        el.get("fill"): el.get("stroke-dasharray")
        for el in root.iter()
        if el.tag in (f"{SVG}polygon", f"{SVG}path")
        and (el.get("fill") or "").startswith("url(")
    }
    assert set(styles) == {"url(#sw-treat)", "url(#sw-caution)", "url(#sw-avoid)"}
    assert len(set(styles.values())) == 3
    patterns = {p.get("id") for p in root.iter(f"{SVG}pattern")}
    assert patterns == {"sw-treat", "sw-caution", "sw-avoid"}


def test_zones_to_locate_on_the_patient_are_listed_not_drawn(kb: KnowledgeBase) -> None:
    plan = plan_for(kb, circulation_skin={"varicose_veins_in_area": True})
    text = " ".join(texts(ET.fromstring(render_body_chart(plan))))
    assert "locate on the patient" in text and "Varicose veins" in text


def test_a_chart_for_one_modality_tags_only_it(kb: KnowledgeBase) -> None:
    plan = plan_for(kb)
    root = ET.fromstring(render_body_chart(plan, Modality.VACUUM))
    assert "V vacuum" in " ".join(texts(root))
    assert "C classical" not in " ".join(texts(root))
    excluded = plan_for(kb, clearance={"excluded_modalities": ["vacuum"]})
    with pytest.raises(ValueError, match="vacuum"):
        render_body_chart(excluded, Modality.VACUUM)


def test_a_cervical_chart_hatches_the_neck_and_the_arms(kb: KnowledgeBase) -> None:
    plan = plan_for(
        kb,
        hernia={"region": "cervical", "levels": ["C5-C6"]},
        symptoms={"radicular_pain": True},
    )
    root = ET.fromstring(render_body_chart(plan))
    arms = [p for p in root.iter(f"{SVG}path") if p.get("fill") == "url(#sw-avoid)"]
    assert len(arms) == 2
    assert "hernia C5-C6" in texts(root)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.filter_too_much]
)
@given(data=proceeding_data())
def test_every_plan_draws_as_valid_svg(kb: KnowledgeBase, data: dict[str, Any]) -> None:
    assessment = Assessment.model_validate(data)
    decision = screen(assessment, kb)
    assume(decision.verdict is Verdict.PROCEED)
    plan = plan_course(assessment, decision, kb, dt.date(2026, 11, 24))
    root = ET.fromstring(render_body_chart(plan))
    labels = texts(root)
    assert all(f"hernia {level}" in labels for level in plan.hernia_levels)
    assert all(name in labels for name in LABELLED)
