"""The published Questionnaire covers the whole contract, with unknown as an answer."""

from __future__ import annotations

from tests.interop.fhir_support import reparsed

from spinewise.interop import (
    QUESTIONNAIRE_CANONICAL,
    questionnaire_fields,
    questionnaire_resource,
)
from spinewise.interop.codes import DATA_ABSENT, YES_NO
from spinewise.models import assessment_fields


def _items_by_link() -> dict[str, object]:
    q = reparsed(questionnaire_resource())
    found = {}
    for item in q.item or []:
        found[item.linkId] = item
        for child in item.item or []:
            found[child.linkId] = child
    return found


def test_every_rule_readable_field_is_a_question_whose_link_id_is_its_path() -> None:
    links = {f.path for f in questionnaire_fields()}
    assert set(assessment_fields()) <= links


def test_the_clearance_is_a_group_of_the_questionnaire() -> None:
    items = _items_by_link()
    assert {
        "clearance.status",
        "clearance.physician",
        "clearance.date",
        "clearance.valid_until",
        "clearance.excluded_modalities",
    } <= set(items)


def test_a_three_valued_question_offers_yes_no_and_unknown() -> None:
    item = _items_by_link()["red_flags.fever"]
    options = [(o.valueCoding.system, o.valueCoding.code) for o in item.answerOption]
    assert options == [(YES_NO, "Y"), (YES_NO, "N"), (DATA_ABSENT, "unknown")]
    assert item.type == "choice"
    assert item.required is True


def test_required_contract_fields_are_required_questions() -> None:
    items = _items_by_link()
    for path in ("assessed_on", "patient.age", "hernia.region", "symptoms.pain_nrs"):
        assert items[path].required is True, path
    assert items["symptoms.pain_trend"].required is False


def test_disc_levels_repeat_and_offer_every_level_of_every_region() -> None:
    item = _items_by_link()["hernia.levels"]
    codes = [o.valueCoding.code for o in item.answerOption]
    assert item.repeats is True
    assert codes[0] == "C2-C3"
    assert codes[-1] == "L5-S1"
    assert "T12-L1" in codes
    assert len(codes) == len(set(codes))


def test_the_questionnaire_is_published_under_its_canonical_url() -> None:
    q = questionnaire_resource()
    assert f"{q.url}|{q.version}" == QUESTIONNAIRE_CANONICAL
    assert q.status == "active"
