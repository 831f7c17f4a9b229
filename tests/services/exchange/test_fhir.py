"""A patient's record out as a FHIR Bundle and assessments in from one, via services."""

from __future__ import annotations

import json

import pytest
from tests.factories import make_assessment
from tests.pg import World
from tests.services.builders import approve, assessed_patient, planned_patient

from spinewise import services
from spinewise.errors import InputError, NotFoundError, PermissionDeniedError
from spinewise.interop import (
    PatientInfo,
    assessment_bundle,
    parse_bundle,
    read_assessments,
    to_json,
)
from spinewise.kb import KnowledgeBase
from spinewise.services import (
    Action,
    AuditFilter,
    export_fhir_record,
    import_fhir_bundle,
    list_audit,
    patient_overview,
)
from spinewise.store import Store


def kinds(bundle: dict) -> list[str]:
    return [e["resource"]["resourceType"] for e in bundle["entry"]]


def test_the_export_is_a_valid_bundle_of_the_whole_record(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    screened = assessed_patient(store, world.therapist_a, kb, "P-7")
    patient = screened.assessment.patient_id
    approve(store, world.physician_a, patient, kb)
    bundle = export_fhir_record(store, world.therapist_a, patient)
    parse_bundle(bundle)  # every resource valid FHIR R4
    found = kinds(bundle)
    for kind in ("Patient", "QuestionnaireResponse", "Condition", "GuidanceResponse"):
        assert kind in found
    assert {"ServiceRequest", "Task"} <= set(found)
    patient_resource = bundle["entry"][0]["resource"]
    assert patient_resource["identifier"][0]["value"] == "P-7"


def test_two_exports_are_identical_and_audited(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    patient = assessed_patient(store, world.therapist_a, kb).assessment.patient_id
    first = export_fhir_record(store, world.therapist_a, patient)
    assert export_fhir_record(store, world.therapist_a, patient) == first
    events = list_audit(store, world.admin_a, AuditFilter(action=Action.EXPORT))
    assert len(events) == 2
    assert events[0].detail is not None and events[0].detail["format"] == "fhir-r4"


def test_the_knowledge_base_goes_along_on_request(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    patient = assessed_patient(store, world.therapist_a, kb).assessment.patient_id
    bundle = export_fhir_record(store, world.therapist_a, patient, kb=kb)
    assert {"PlanDefinition", "Library"} <= set(kinds(bundle))


def test_export_import_export_keeps_the_clinical_content(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    screened = assessed_patient(
        store, world.therapist_a, kb, "P-9", symptoms={"radicular_pain": True}
    )
    exported = export_fhir_record(
        store, world.therapist_a, screened.assessment.patient_id
    )
    imported = import_fhir_bundle(
        store, world.therapist_b, json.dumps(exported), kb, register=True
    )
    assert imported.registered and imported.patient.record_number == "P-9"
    again = export_fhir_record(store, world.therapist_b, imported.patient.id)
    before, after = read_assessments(exported), read_assessments(again)
    assert before[0] == after[0]
    assert [a for _, a in before[1]] == [a for _, a in after[1]]
    verdicts = [r.decision.decision.verdict for r in imported.results]
    assert verdicts == [screened.decision.decision.verdict]


def test_an_import_finds_the_patient_by_record_number(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    patient = assessed_patient(
        store, world.therapist_a, kb, "P-3"
    ).assessment.patient_id
    bundle = assessment_bundle(PatientInfo(key="P-3"), make_assessment(), "ehr-1")
    imported = import_fhir_bundle(store, world.therapist_a, to_json(bundle), kb)
    assert imported.patient.id == patient and not imported.registered
    overview = patient_overview(store, world.therapist_a, patient)
    assert len(overview.assessments) == 2


def test_the_bundle_clearance_is_never_trusted(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    bundle = assessment_bundle(PatientInfo(key="P-5"), make_assessment(), "ehr-1")
    imported = import_fhir_bundle(
        store, world.therapist_a, to_json(bundle), kb, register=True
    )
    # the factory's assessment carries an approval; none is on record here
    assert imported.results[0].decision.decision.verdict.value == "awaiting_clearance"


def test_a_bad_answer_names_the_link_id_and_nothing_is_stored(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    bundle = to_json(assessment_bundle(PatientInfo(key="P-8"), make_assessment(), "a"))
    response = next(
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "QuestionnaireResponse"
    )
    response["item"].append(
        {"linkId": "symptoms.pain_nrs", "answer": [{"valueInteger": 12}]}
    )
    with pytest.raises(InputError) as caught:
        import_fhir_bundle(
            store, world.therapist_a, bundle, kb, register=True, file="b.json"
        )
    assert caught.value.file == "b.json"
    assert any(
        p.field.startswith("Bundle.entry[")
        and p.message.startswith("symptoms.pain_nrs")
        for p in caught.value.problems
    )
    with pytest.raises(InputError):  # the patient was not registered either
        import_fhir_bundle(store, world.therapist_a, to_json(assessment_bundle(
            PatientInfo(key="P-8"), make_assessment(), "a")), kb)  # fmt: skip


def test_an_unknown_patient_is_refused_with_the_record_number(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    bundle = assessment_bundle(PatientInfo(key="NOPE-1"), make_assessment(), "a")
    with pytest.raises(InputError) as caught:
        import_fhir_bundle(store, world.therapist_a, to_json(bundle), kb)
    assert caught.value.problems[0].field == "Patient.identifier"
    assert "NOPE-1" in caught.value.problems[0].message


def test_another_clinics_patient_is_not_found(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    patient = assessed_patient(store, world.therapist_a, kb).assessment.patient_id
    with pytest.raises(NotFoundError):
        export_fhir_record(store, world.therapist_b, patient)
    bundle = assessment_bundle(PatientInfo(key="x"), make_assessment(), "a")
    with pytest.raises(NotFoundError):
        import_fhir_bundle(
            store, world.therapist_b, to_json(bundle), kb, patient_id=patient
        )


def test_administrators_do_not_export_clinical_records(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    patient = assessed_patient(store, world.therapist_a, kb).assessment.patient_id
    with pytest.raises(PermissionDeniedError):
        export_fhir_record(store, world.admin_a, patient)


def test_plans_and_scores_are_exported_as_careplan_and_observations(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    odi = {"instrument": "odi", "answered_on": "2026-11-24", "answers": [2] * 10}
    services.record_response(store, world.therapist_a, plan.patient_id, odi)
    bundle = export_fhir_record(store, world.therapist_a, plan.patient_id)
    parse_bundle(bundle)
    careplan = next(
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "CarePlan"
    )
    assert careplan["status"] == "active"
    assert kinds(bundle).count("Observation") == 2  # pain NRS and the ODI score
