"""Coded EHR resources as screening answers: only "yes", only current, only confirmed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.factories import make_assessment

from spinewise.interop.fhir.coded_answers import (
    coded_answers,
    resources_in,
    with_answers,
)
from spinewise.kb import KnowledgeBase

DATA = Path(__file__).resolve().parents[2] / "data" / "fhir"
PID = "1288992"
ICD10 = "http://hl7.org/fhir/sid/icd-10"


def fixture(name: str) -> dict[str, Any]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def condition(code: str, clinical: str | None = "active", **extra: Any) -> dict:
    resource: dict[str, Any] = {
        "resourceType": "Condition",
        "id": "c-1",
        "code": {"coding": [{"system": ICD10, "code": code}]},
        "subject": {"reference": f"Patient/{PID}"},
        **extra,
    }
    if clinical is not None:
        resource["clinicalStatus"] = {"coding": [{"code": clinical}]}
    return resource


def fields(kb: KnowledgeBase, *resources: dict[str, Any]) -> list[str]:
    return [a.field for a in coded_answers(resources, kb.ehr_codes, PID)]


def test_a_cauda_equina_condition_answers_the_cauda_equina_question(
    kb: KnowledgeBase,
) -> None:
    [answer] = coded_answers(
        [fixture("condition-cauda-equina.json")], kb.ehr_codes, PID
    )
    assert answer.field == "red_flags.saddle_anaesthesia"
    assert answer.citation() == "Condition/ces-1 (ICD-10 G83.4 Cauda equina syndrome)"


@pytest.mark.parametrize("status", ["active", "recurrence", "relapse", None])
def test_current_conditions_count(kb: KnowledgeBase, status: str | None) -> None:
    assert fields(kb, condition("G83.4", status)) == ["red_flags.saddle_anaesthesia"]


@pytest.mark.parametrize("status", ["remission", "resolved", "inactive"])
def test_past_conditions_count_only_for_cancer_history(
    kb: KnowledgeBase, status: str
) -> None:
    assert fields(kb, condition("G83.4", status)) == []
    assert fields(kb, condition("C79.51", status)) == ["red_flags.cancer_history"]


@pytest.mark.parametrize("verification", ["refuted", "entered-in-error"])
def test_refuted_conditions_never_count(kb: KnowledgeBase, verification: str) -> None:
    resource = condition(
        "G83.4", verificationStatus={"coding": [{"code": verification}]}
    )
    assert fields(kb, resource) == []


def test_a_subcode_matches_its_category_and_the_longest_atc_class_wins(
    kb: KnowledgeBase,
) -> None:
    assert fields(kb, condition("M46.26")) == ["other.acute_infection"]
    statement = fixture("medication-statement-anticoagulant.json")
    aspirin = {
        **statement,
        "id": "ms-aspirin",
        "medicationCodeableConcept": {
            "coding": [{"system": "http://www.whocc.no/atc", "code": "B01AC06"}]
        },
    }
    assert fields(kb, statement, aspirin) == [
        "medications.anticoagulants",
        "medications.antiplatelets",
    ]


def test_only_active_medications_count(kb: KnowledgeBase) -> None:
    assert fields(kb, fixture("medication-request-stopped.json")) == []


def test_unconfirmed_codes_are_never_used(kb: KnowledgeBase) -> None:
    snomed = {
        **condition("x"),
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "192970008"}]},
    }
    assert fields(kb, snomed) == []
    listed = {c.code: c.confirmed for c in kb.ehr_codes.answers}
    assert listed["192970008"] is False


def test_an_observation_saying_no_adds_nothing(kb: KnowledgeBase) -> None:
    observation = {
        "resourceType": "Observation",
        "id": "o-1",
        "status": "final",
        "code": {"coding": [{"system": ICD10, "code": "G83.4"}]},
        "subject": {"reference": f"Patient/{PID}"},
    }
    assert fields(kb, observation) == ["red_flags.saddle_anaesthesia"]
    assert fields(kb, {**observation, "valueBoolean": False}) == []
    assert fields(kb, {**observation, "status": "entered-in-error"}) == []


def test_another_patients_resource_is_ignored(kb: KnowledgeBase) -> None:
    other = condition("G83.4", subject={"reference": "Patient/someone-else"})
    assert fields(kb, other) == []


def test_coded_answers_only_ever_say_yes(kb: KnowledgeBase) -> None:
    assessment = make_assessment(
        red_flags={"saddle_anaesthesia": False, "cancer_history": None},
        medications={"anticoagulants": True},
    )
    answers = coded_answers([condition("G83.4")], kb.ehr_codes, PID)
    changed = with_answers(assessment, answers)
    assert changed.red_flags.saddle_anaesthesia is True
    assert changed.red_flags.cancer_history is None  # an unknown stays unknown
    assert changed.medications.anticoagulants is True
    assert with_answers(assessment, []) is assessment


def test_resources_are_read_from_bundles_and_lone_resources() -> None:
    ces = fixture("condition-cauda-equina.json")
    bundle = {"resourceType": "Bundle", "entry": [{"resource": ces}, {"x": 1}]}
    assert resources_in(bundle) == [ces]
    assert resources_in(ces) == [ces]
    assert resources_in(None) == []


@pytest.mark.parametrize(
    ("code", "field"),
    [
        ("S32.001A", "red_flags.recent_significant_trauma"),
        ("S22.032A", "red_flags.recent_significant_trauma"),
        ("M48.56XA", "red_flags.recent_significant_trauma"),
        ("M50.03", "red_flags.myelopathy_signs"),
        ("C79.51", "red_flags.cancer_history"),
        ("M46.36", "other.acute_infection"),
    ],
)
def test_each_confirmed_red_flag_category_answers_its_field(
    kb: KnowledgeBase, code: str, field: str
) -> None:
    assert fields(kb, condition(code)) == [field]


def test_an_unrelated_code_answers_nothing(kb: KnowledgeBase) -> None:
    assert fields(kb, condition("M51.16")) == []  # lumbar disc disorder, radiculopathy
