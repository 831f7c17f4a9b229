"""The patient record as a Bundle: valid resources, round trip, field-named errors."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.conftest import ALL_CASE_FILES, NONSPECIFIC_CASE_FILES
from tests.factories import make_assessment
from tests.interop.fhir_support import INFO, reparsed

from spinewise.errors import InputError
from spinewise.interop import (
    ActivityInput,
    AssessmentRecord,
    CarePlanInput,
    ClearanceRecord,
    PatientRecord,
    ScoreRecord,
    assessment_bundle,
    patient_bundle,
    read_assessment_bundle,
    read_assessments,
    record_resources,
    to_json,
)
from spinewise.kb import KnowledgeBase
from spinewise.models import Assessment, Modality
from spinewise.models.outcome import Instrument, QuestionnaireResponse
from spinewise.outcomes import score
from spinewise.screening import screen


def _record(kb: KnowledgeBase) -> PatientRecord:
    assessment = make_assessment(
        red_flags={"fever": None}, medications={"anticoagulants": True}
    )
    approved = make_assessment().clearance
    assert approved is not None
    odi = score(
        QuestionnaireResponse(
            instrument=Instrument.ODI,
            answered_on=dt.date(2026, 11, 24),
            answers=[2, 1, 3, 2, 2, 1, 2, 0, 1, 2],
        )
    )
    return PatientRecord(
        patient=INFO,
        assessments=[
            AssessmentRecord(
                key="a-1", assessment=assessment, decision=screen(assessment, kb)
            ),
            AssessmentRecord(key="a-2", assessment=make_assessment()),
        ],
        clearances=[
            ClearanceRecord(
                key="c-1",
                clearance=approved,
                requested_on=dt.date(2026, 11, 18),
                assessment_key="a-1",
            )
        ],
        plans=[
            CarePlanInput(
                key="p-1",
                title="Classical massage",
                start=dt.date(2026, 11, 25),
                modalities=[Modality.CLASSICAL],
                activities=[
                    ActivityInput(
                        description="Session 1", scheduled=[dt.date(2026, 11, 25)]
                    )
                ],
                assessment_key="a-1",
            )
        ],
        scores=[ScoreRecord(key="s-1", score=odi)],
    )


def test_every_exported_resource_validates_with_its_fhir_model(
    kb: KnowledgeBase,
) -> None:
    resources = record_resources(_record(kb), kb)
    kinds = {r.get_resource_type() for r in resources}
    assert kinds == {
        "Patient", "Questionnaire", "PlanDefinition", "Library", "QuestionnaireResponse",
        "Condition", "Observation", "GuidanceResponse", "DetectedIssue",
        "ServiceRequest", "Task", "CarePlan",
    }  # fmt: skip
    for resource in resources:
        reparsed(resource)
    reparsed(patient_bundle(_record(kb), kb))


def test_every_reference_in_the_bundle_resolves_to_an_entry(kb: KnowledgeBase) -> None:
    bundle = to_json(patient_bundle(_record(kb), kb))
    urls = {e["fullUrl"] for e in bundle["entry"]}
    assert len(urls) == len(bundle["entry"])
    text = json.dumps(bundle)
    references = {
        part.split('"')[0] for part in text.split('"reference": "urn:uuid:')[1:]
    }
    assert references
    assert {f"urn:uuid:{r}" for r in references} <= urls


def test_exporting_the_same_record_twice_gives_identical_json(
    kb: KnowledgeBase,
) -> None:
    assert to_json(patient_bundle(_record(kb), kb)) == to_json(
        patient_bundle(_record(kb), kb)
    )


@pytest.mark.parametrize("case", ALL_CASE_FILES, ids=[c.stem for c in ALL_CASE_FILES])
def test_export_import_export_keeps_the_clinical_content(
    case: Path, kb: KnowledgeBase
) -> None:
    assessment = Assessment.model_validate(yaml.safe_load(case.read_text()))
    first = to_json(assessment_bundle(INFO, assessment, "a-1", screen(assessment, kb)))
    patient, back = read_assessment_bundle(json.dumps(first))
    assert (patient, back) == (INFO, assessment)
    again = to_json(assessment_bundle(patient, back, "a-1", screen(back, kb)))
    assert again == first


@pytest.mark.parametrize(
    ("region", "code"), [("lumbar", "M54.5"), ("cervical", "M54.2")]
)
def test_a_nonspecific_condition_is_coded_in_icd_10(
    kb: KnowledgeBase, region: str, code: str
) -> None:
    data = yaml.safe_load(NONSPECIFIC_CASE_FILES[0].read_text())
    data["condition"]["region"] = region
    assessment = Assessment.model_validate(data)
    bundle = to_json(assessment_bundle(INFO, assessment, "a-1", screen(assessment, kb)))
    conditions = [
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Condition"
    ]
    codings = [c for r in conditions for c in r["code"]["coding"]]
    assert {"system": "http://hl7.org/fhir/sid/icd-10", "code": code} in [
        {"system": c["system"], "code": c["code"]} for c in codings
    ]


def test_a_profile_missing_from_the_response_is_read_from_the_condition(
    kb: KnowledgeBase,
) -> None:
    assessment = Assessment.model_validate(
        yaml.safe_load(NONSPECIFIC_CASE_FILES[0].read_text())
    )
    bundle = to_json(assessment_bundle(INFO, assessment, "a-1", screen(assessment, kb)))
    for entry in bundle["entry"]:
        resource = entry["resource"]
        if resource["resourceType"] == "QuestionnaireResponse":
            resource["item"] = [
                i for i in resource["item"] if not i["linkId"].startswith("condition")
            ]
        if resource["resourceType"] == "Condition":  # as ICD-10-CM codes it
            resource["code"]["coding"] = [
                {"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "M54.50"}
            ]
    _, back = read_assessment_bundle(json.dumps(bundle))
    assert back.profile == "nonspecific_back_pain"
    assert back.condition is not None and back.condition.region == "lumbar"


def test_a_whole_record_reads_back_every_assessment_by_key(kb: KnowledgeBase) -> None:
    record = _record(kb)
    patient, assessments = read_assessments(to_json(patient_bundle(record, kb)))
    assert patient == INFO
    assert assessments == [(a.key, a.assessment) for a in record.assessments]


def _problems(bundle: Any) -> dict[str, str]:
    with pytest.raises(InputError) as caught:
        read_assessment_bundle(bundle)
    return {p.field: p.message for p in caught.value.problems}


def test_text_that_is_not_json_is_an_input_error() -> None:
    assert "(document)" in _problems("{not json")


def test_a_resource_that_is_not_a_bundle_is_refused() -> None:
    assert "resourceType" in _problems({"resourceType": "Patient"})


def test_invalid_fhir_inside_the_bundle_names_the_element() -> None:
    bundle = to_json(assessment_bundle(INFO, make_assessment(), "a-1"))
    del bundle["entry"][2]["resource"]["status"]
    problems = _problems(bundle)
    assert any(field.startswith("entry[2].resource") for field in problems)


def test_a_bad_answer_in_the_bundle_names_the_link_id() -> None:
    bundle = to_json(assessment_bundle(INFO, make_assessment(), "a-1"))
    qr = next(
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "QuestionnaireResponse"
    )
    symptoms = next(i for i in qr["item"] if i["linkId"] == "symptoms")
    pain = next(i for i in symptoms["item"] if i["linkId"] == "symptoms.pain_nrs")
    pain["answer"] = [{"valueInteger": 12}]
    assert list(_problems(bundle)) == ["symptoms.pain_nrs"]


def test_a_bundle_without_an_assessment_is_refused(kb: KnowledgeBase) -> None:
    empty = to_json(patient_bundle(PatientRecord(patient=INFO), kb))
    assert "Bundle.entry" in _problems(empty)


def test_several_assessments_are_refused_by_the_single_reader(
    kb: KnowledgeBase,
) -> None:
    problems = _problems(to_json(patient_bundle(_record(kb))))
    assert "read_assessments" in problems["Bundle.entry"]


def test_problems_of_several_assessments_are_prefixed_with_their_keys(
    kb: KnowledgeBase,
) -> None:
    bundle = to_json(patient_bundle(_record(kb)))
    for entry in bundle["entry"]:
        if entry["resource"]["resourceType"] == "QuestionnaireResponse":
            entry["resource"]["item"].append(
                {"linkId": "bogus", "answer": [{"valueInteger": 1}]}
            )
    with pytest.raises(InputError) as caught:
        read_assessments(bundle)
    assert [p.field for p in caught.value.problems] == ["a-1: bogus", "a-2: bogus"]


def test_two_patients_without_a_subject_match_are_refused() -> None:
    bundle = to_json(assessment_bundle(INFO, make_assessment(), "a-1"))
    other = to_json(
        assessment_bundle(
            INFO.model_copy(update={"key": "x"}), make_assessment(), "a-1"
        )
    )
    for entry in bundle["entry"]:
        if entry["resource"]["resourceType"] == "QuestionnaireResponse":
            entry["resource"]["subject"] = {"reference": "Patient/nowhere"}
    bundle["entry"].append(other["entry"][0])
    assert "Patient" in _problems(bundle)["Bundle.entry"]


def _by_type(bundle: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for entry in bundle["entry"]:
        found.setdefault(entry["resource"]["resourceType"], []).append(entry)
    return found


def _types_of(bundle: dict[str, Any], references: list[dict[str, Any]]) -> set[str]:
    kinds = {e["fullUrl"]: e["resource"]["resourceType"] for e in bundle["entry"]}
    return {kinds[r["reference"]] for r in references}


def test_references_point_only_at_the_types_r4_allows_there(kb: KnowledgeBase) -> None:
    bundle = to_json(patient_bundle(_record(kb), kb))
    entries = _by_type(bundle)
    guidance = entries["GuidanceResponse"][0]["resource"]
    assert _types_of(bundle, guidance["reasonReference"]) == {
        "Condition",
        "Observation",
    }
    links = [p for p in guidance["contained"][0]["parameter"] if "valueReference" in p]
    assert {p["name"]: _types_of(bundle, [p["valueReference"]]) for p in links} == {
        "assessment": {"QuestionnaireResponse"},
        "issue": {"DetectedIssue"},
    }
    request = entries["ServiceRequest"][0]["resource"]
    assert _types_of(bundle, request["reasonReference"]) == {"Condition"}
    assert _types_of(bundle, request["supportingInfo"]) == {"GuidanceResponse"}
