"""The official FHIR R4 examples Spinewise relies on parse with the models it uses."""

from __future__ import annotations

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from tests.interop.fhir_support import DATA, official

from spinewise.errors import InputError
from spinewise.interop import assessment_of, patient_info_of
from spinewise.models import Sex

EXAMPLES = sorted(p.name for p in DATA.glob("*.json"))


def test_the_official_examples_are_committed() -> None:
    assert {
        "patient-example-f001-pieter.json",
        "questionnaire-example-gcs.json",
        "questionnaireresponse-example-gcs.json",
        "guidanceresponse-example.json",
        "observation-example.json",
        "task-example1.json",
    } <= set(EXAMPLES)


@pytest.mark.parametrize("name", EXAMPLES)
def test_official_example_parses_and_round_trips(name: str) -> None:
    data = official(name)
    cls = get_fhir_model_class(data["resourceType"])
    resource = cls.model_validate(data)
    again = cls.model_validate_json(resource.model_dump_json())
    assert again.model_dump_json() == resource.model_dump_json()
    assert again.id == data["id"]


def test_an_ehr_patient_is_read_by_its_id_when_it_has_no_spinewise_identifier() -> None:
    info = patient_info_of(
        Patient.model_validate(official("patient-example-f001-pieter.json"))
    )
    assert info.key == "f001"
    assert info.name == "Pieter van de Heuvel"
    assert info.sex is Sex.MALE
    assert str(info.birth_date) == "1944-11-17"


def test_a_response_to_another_questionnaire_is_refused_naming_the_questionnaire() -> (
    None
):
    qr = QuestionnaireResponse.model_validate(
        official("questionnaireresponse-example-gcs.json")
    )
    with pytest.raises(InputError) as caught:
        assessment_of(qr)
    fields = [p.field for p in caught.value.problems]
    assert fields[0] == "QuestionnaireResponse.questionnaire"
    assert {"1.1", "1.2", "1.3"} <= set(fields)


def test_a_partial_birth_date_is_read_as_unknown_not_refused() -> None:
    data = official("patient-example-f001-pieter.json") | {"birthDate": "1944"}
    info = patient_info_of(Patient.model_validate(data))
    assert info.birth_date is None
    assert info.key == "f001"
