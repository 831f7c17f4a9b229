"""The record number of an EHR Patient: read once per content, none for a Patient
that is not valid FHIR."""

from __future__ import annotations

from spinewise.interop import PatientInfo, patient_resource, to_json
from spinewise.services.cds.clearance import RecordNumbers


def patient(key: str) -> dict[str, object]:
    return to_json(patient_resource(PatientInfo(key=key)))


def test_the_same_patient_gives_the_same_record_number_each_time() -> None:
    numbers = RecordNumbers()
    assert numbers.of(patient("R-1")) == "R-1"
    assert numbers.of(patient("R-1")) == "R-1"
    assert numbers.of(patient("R-2")) == "R-2"


def test_a_patient_that_is_not_valid_fhir_has_no_record_number_even_when_seen_twice() -> (
    None
):
    numbers = RecordNumbers()
    broken = {**patient("R-1"), "birthDate": "not a date"}
    assert numbers.of(broken) is None
    assert numbers.of(broken) is None
    assert numbers.of(patient("R-1")) == "R-1"


def test_what_is_not_a_patient_has_no_record_number() -> None:
    numbers = RecordNumbers(size=1)
    assert numbers.of("Patient") is None
    assert numbers.of({"resourceType": "Practitioner"}) is None
