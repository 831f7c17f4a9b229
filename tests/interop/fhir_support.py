"""Shared helpers of the FHIR mapping tests (not a conftest: the folder is shared)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.resource import Resource

from spinewise.interop import PatientInfo

DATA = Path(__file__).parent / "data"
INFO = PatientInfo(
    key="patient-42", name="Anna Test", birth_date="1980-05-17", sex="female"
)

R = TypeVar("R", bound=Resource)


def reparsed(resource: R) -> R:
    """Dump ``resource`` to JSON and parse it back with its own model class.

    Asserts the JSON survives unchanged, so the exported resource is valid FHIR R4
    as ``fhir.resources`` reads it.
    """
    text = resource.model_dump_json()
    cls = get_fhir_model_class(resource.get_resource_type())
    again = cls.model_validate_json(text)
    assert again.model_dump_json() == text
    assert isinstance(again, type(resource))
    return again


def official(name: str) -> dict[str, Any]:
    """One committed official FHIR R4 example as JSON."""
    data = json.loads((DATA / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data
