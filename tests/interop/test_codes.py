"""No unconfirmed code is ever exported under an official code system."""

from __future__ import annotations

from typing import Any

import pytest
from tests.factories import make_assessment
from tests.interop.fhir_support import INFO

import spinewise.interop as interop
from spinewise.interop import (
    CONFIRMED,
    AssessmentRecord,
    PatientRecord,
    patient_bundle,
    to_json,
)
from spinewise.interop.codes import LOINC, SNOMED, Code, coding, concept, local
from spinewise.interop.fhir.patient import body_site_codes, herniation_code
from spinewise.kb import KnowledgeBase
from spinewise.models import Region
from spinewise.screening import screen


def _codings(node: Any) -> list[tuple[str, str]]:
    found = []
    if isinstance(node, dict):
        if "system" in node and "code" in node:
            found.append((node["system"], node["code"]))
        for value in node.values():
            found += _codings(value)
    elif isinstance(node, list):
        for value in node:
            found += _codings(value)
    return found


def test_the_exported_record_holds_only_confirmed_loinc_and_no_snomed(
    kb: KnowledgeBase,
) -> None:
    assessment = make_assessment(red_flags={"saddle_anaesthesia": True})
    record = PatientRecord(
        patient=INFO,
        assessments=[
            AssessmentRecord(
                key="a", assessment=assessment, decision=screen(assessment, kb)
            )
        ],
    )
    codings = _codings(to_json(patient_bundle(record, kb)))
    assert {code for system, code in codings if system == LOINC} == {"72514-3"}
    assert not [c for c in codings if c[0] == SNOMED]
    assert CONFIRMED["loinc:72514-3"] is True


@pytest.mark.parametrize("region", list(Region))
def test_unconfirmed_snomed_candidates_fall_back_to_local_codes(region: Region) -> None:
    herniation = concept(*herniation_code(region))
    site = concept(*body_site_codes(region, "L4-L5"))
    systems = {c.system for c in [*herniation.coding, *site.coding]}
    assert SNOMED not in systems
    assert all(s.startswith("urn:spinewise:") for s in systems)


def test_an_unconfirmed_external_code_cannot_be_turned_into_a_coding() -> None:
    with pytest.raises(ValueError, match="unconfirmed"):
        coding(Code(SNOMED, "123", "guess", confirmed=False))
    assert coding(local("urn:spinewise:x", "y")).code == "y"


def test_every_snomed_and_instrument_loinc_entry_is_marked_unconfirmed() -> None:
    unconfirmed = [k for k, v in CONFIRMED.items() if not v]
    assert all(k.startswith(("snomed:", "loinc:")) for k in unconfirmed)
    assert all(not v for k, v in CONFIRMED.items() if k.startswith("snomed:"))


def _isort_key(name: str) -> tuple[int, str]:
    """Constants, then classes, then functions (the order ruff's RUF022 keeps)."""
    return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)


def test_the_interop_package_exports_a_sorted_all() -> None:
    assert interop.__all__ == sorted(interop.__all__, key=_isort_key)
    assert all(hasattr(interop, name) for name in interop.__all__)
