"""``import_fhir_bundle`` with foreign data: readable resources stored in one
transaction, the rest skipped and named; importing again adds nothing; a changed
response becomes an amendment that keeps the original."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from tests.fhir_corpus import corpus
from tests.pg import World

from spinewise.errors import InputError
from spinewise.kb import KnowledgeBase
from spinewise.services import (
    AuditFilter,
    import_fhir_bundle,
    latest_assessments,
    list_audit,
)
from spinewise.store import PatientRow, Store
from spinewise.store.fhir_imports import FhirImportRow

SOURCE = "https://ehr.example.test/fhir"


def patients(store: Store) -> int:
    with store.unit_of_work() as uow:
        return uow.session.scalar(select(func.count()).select_from(PatientRow)) or 0


def test_the_readable_response_is_stored_and_the_rest_named(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    bundle = corpus("bundle-r5-and-broken.json")
    imported = import_fhir_bundle(store, world.therapist_a, bundle, kb, register=True)
    assert imported.registered and len(imported.results) == 1
    assert imported.results[0].decision.decision.verdict.value == "urgent_referral"
    assert [p.field for p in imported.skipped] == [
        f"Bundle.entry[{i}].resource" for i in (2, 3, 4, 5)
    ]


def test_strict_refuses_the_whole_bundle_and_stores_nothing(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    before = patients(store)
    with pytest.raises(InputError) as caught:
        import_fhir_bundle(
            store,
            world.therapist_a,
            corpus("bundle-r5-and-broken.json"),
            kb,
            register=True,
            strict=True,
            file="ehr.json",
        )
    assert caught.value.file == "ehr.json" and len(caught.value.problems) == 4
    assert patients(store) == before


def test_importing_twice_creates_no_duplicates(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    bundle = corpus("import-original.json")
    first = import_fhir_bundle(store, world.therapist_a, bundle, kb, register=True)
    count = patients(store)
    second = import_fhir_bundle(store, world.therapist_a, bundle, kb, register=True)
    assert second.patient.id == first.patient.id and not second.registered
    assert (second.results, second.unchanged) == ([], 1)
    assert patients(store) == count
    stored = latest_assessments(store, world.therapist_a, first.patient.id, limit=None)
    assert len(stored) == 1
    events = list_audit(store, world.admin_a, AuditFilter(entity="fhir_import"))
    assert sorted(e.detail["stored"] for e in events) == [0, 1]


def test_a_changed_response_is_an_amendment_that_keeps_the_original(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    first = import_fhir_bundle(
        store, world.therapist_a, corpus("import-original.json"), kb, register=True
    )
    original = first.results[0].assessment
    amended = import_fhir_bundle(
        store, world.therapist_a, corpus("import-amended.json"), kb
    )
    [result] = amended.results
    assert (result.assessment.number, result.assessment.version) == (original.number, 2)
    assert result.assessment.amends_id == original.id
    assert result.decision.decision.verdict.value == "urgent_referral"
    stored = latest_assessments(store, world.therapist_a, first.patient.id, limit=None)
    assert {a.id for a in stored} == {original.id, result.assessment.id}
    with store.unit_of_work() as uow:
        rows = list(
            uow.session.scalars(select(FhirImportRow).order_by(FhirImportRow.id))
        )
    assert [(r.fhir_id, r.source) for r in rows] == [("qr-77", SOURCE)] * 2
    assert rows[0].digest != rows[1].digest


def test_the_patient_is_found_again_by_an_identifier_of_the_ehr(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    first = import_fhir_bundle(
        store, world.therapist_a, corpus("import-original.json"), kb, register=True
    )
    moved = corpus("import-amended.json")
    moved["entry"][0]["resource"]["id"] = "another-server-id"  # same MRN identifier
    for entry in moved["entry"][1:]:
        entry["resource"]["subject"] = {"reference": "Patient/another-server-id"}
    count = patients(store)
    again = import_fhir_bundle(store, world.therapist_a, moved, kb, register=True)
    assert again.patient.id == first.patient.id and not again.registered
    assert patients(store) == count


def test_another_clinic_does_not_find_the_patient_by_identifier(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    import_fhir_bundle(
        store, world.therapist_a, corpus("import-original.json"), kb, register=True
    )
    with pytest.raises(InputError) as caught:
        import_fhir_bundle(store, world.therapist_b, corpus("import-original.json"), kb)
    assert caught.value.problems[0].field == "Patient.identifier"


def test_a_bundle_exported_before_the_r4_reference_fix_still_imports(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    old = corpus("export-old-shape.json")  # GuidanceResponse.reasonReference to issues
    imported = import_fhir_bundle(store, world.therapist_a, old, kb, register=True)
    assert imported.registered and imported.skipped == []
    (guidance,) = [
        e["resource"]
        for e in old["entry"]
        if e["resource"]["resourceType"] == "GuidanceResponse"
    ]
    exported = {p["name"]: p for p in guidance["contained"][0]["parameter"]}
    assert [r.decision.decision.verdict.value for r in imported.results] == [
        exported["verdict"]["valueCoding"]["code"]
    ]
