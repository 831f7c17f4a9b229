"""The published conformance resources: every code the export writes is defined by
its CodeSystem, the canonical URLs follow the base, and input reads both the
published URLs and the old ``urn:spinewise:*`` names."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError
from tests.factories import make_assessment
from tests.interop.fhir_support import INFO

from spinewise.config import Settings
from spinewise.interop import (
    DEFAULT_CANONICAL_BASE,
    ClearanceRecord,
    PatientRecord,
    ScoreRecord,
    assessment_bundle,
    clearance_of,
    conformance_resources,
    local_name,
    patient_bundle,
    published,
    read_assessment_bundle,
    read_response,
    to_json,
)
from spinewise.interop.fhir.bundle import AssessmentRecord
from spinewise.kb import KnowledgeBase
from spinewise.models.outcome import Instrument, QuestionnaireResponse
from spinewise.outcomes import INSTRUMENTS, score
from spinewise.screening import screen

BASE = "https://fhir.clinic.example.test/spinewise"


def _scores() -> list[ScoreRecord]:
    records = []
    for instrument in Instrument:
        items = INSTRUMENTS[instrument].item_count
        response = QuestionnaireResponse(
            instrument=instrument,
            answered_on=dt.date(2026, 11, 24),
            answers=[1] * items,
        )
        records.append(ScoreRecord(key=f"s-{instrument.value}", score=score(response)))
    return records


def _record(kb: KnowledgeBase) -> PatientRecord:
    assessment = make_assessment(red_flags={"fever": None})
    approved = make_assessment().clearance
    assert approved is not None
    return PatientRecord(
        patient=INFO,
        assessments=[
            AssessmentRecord(
                key="a-1", assessment=assessment, decision=screen(assessment, kb)
            )
        ],
        clearances=[
            ClearanceRecord(key="c-1", clearance=approved, assessment_key="a-1")
        ],
        scores=_scores(),
    )


def _codings(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, list):
        return [c for v in value for c in _codings(v)]
    if not isinstance(value, dict):
        return []
    found = [value] if "system" in value and "code" in value else []
    return found + [c for v in value.values() for c in _codings(v)]


def test_every_local_code_the_export_writes_is_defined_by_its_code_system(
    kb: KnowledgeBase,
) -> None:
    bundle = to_json(published(patient_bundle(_record(kb), kb), BASE, kb))
    systems = {
        e["resource"]["url"]: {c["code"] for c in e["resource"]["concept"]}
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "CodeSystem"
    }
    local = [c for c in _codings(bundle) if c["system"].startswith(BASE)]
    assert local
    assert [c for c in local if c["code"] not in systems.get(c["system"], ())] == []
    assert [
        c for c in _codings(bundle) if c["system"].startswith("urn:spinewise:")
    ] == []


def test_the_canonical_urls_follow_the_configured_base(kb: KnowledgeBase) -> None:
    urls = {to_json(r)["url"] for r in conformance_resources(kb, BASE)}
    assert f"{BASE}/CodeSystem/spinewise-rule" in urls
    assert f"{BASE}/ValueSet/spinewise-rule" in urls
    assert f"{BASE}/StructureDefinition/spinewise-modality" in urls
    assert all(u.startswith(f"{BASE}/") for u in urls)


def test_a_published_url_of_any_base_reads_as_the_old_name() -> None:
    assert local_name(f"{BASE}/CodeSystem/spinewise-sex") == "urn:spinewise:sex"
    assert local_name("https://x.test/fhir/CodeSystem/spinewise-disc-level") == (
        "urn:spinewise:disc-level"
    )
    assert local_name(f"{BASE}/StructureDefinition/spinewise-modality") == (
        "urn:spinewise:extension:modality"
    )
    for kept in ("urn:spinewise:sex", "http://loinc.org", None):
        assert local_name(kept) == kept


def test_an_assessment_reads_back_from_the_published_and_the_old_form(
    kb: KnowledgeBase,
) -> None:
    assessment = make_assessment()
    old = assessment_bundle(INFO, assessment, "a-1", screen(assessment, kb))
    new = to_json(published(old, BASE))
    assert f"{BASE}/CodeSystem/spinewise-sex" in str(new)
    for bundle in (to_json(old), new):
        assert read_assessment_bundle(bundle) == (INFO, assessment)
    (response,) = [
        e["resource"]
        for e in new["entry"]
        if e["resource"]["resourceType"] == "QuestionnaireResponse"
    ]
    assert read_response(response) == assessment  # the CDS service's reading


def test_a_clearance_task_reads_back_from_the_published_form(kb: KnowledgeBase) -> None:
    bundle = published(patient_bundle(_record(kb)), BASE)
    (task,) = [
        e.resource
        for e in bundle.entry or []
        if e.resource.get_resource_type() == "Task"
    ]
    approved = make_assessment().clearance
    assert clearance_of(task) == approved


def test_the_default_base_of_the_settings_is_the_mapping_default() -> None:
    field = Settings.model_fields["fhir_canonical_base"]
    assert field.default == DEFAULT_CANONICAL_BASE


@pytest.mark.parametrize("base", ["ftp://x.test/fhir", "https://x.test/fhir/", "fhir"])
def test_a_canonical_base_that_is_no_http_url_is_refused_by_name(base: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Settings(fhir_canonical_base=base)
    assert caught.value.errors()[0]["loc"] == ("fhir_canonical_base",)
