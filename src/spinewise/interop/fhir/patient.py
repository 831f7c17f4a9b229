"""Patient and the disc herniation as a Condition (FHIR R4, ``fhir.resources.R4B``).

The assessment contract holds no identity (only age and sex), so who the patient is
comes from :class:`PatientInfo`, which the store fills (its key becomes the Patient's
Spinewise identifier). The Condition is derived from the assessment's ``hernia``
section; it is exported for the EHR's problem list and never read back (on import the
QuestionnaireResponse is the source of truth).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fhir.resources.R4B.condition import Condition, ConditionEvidence
from fhir.resources.R4B.humanname import HumanName
from fhir.resources.R4B.identifier import Identifier
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.reference import Reference
from pydantic import BaseModel, ConfigDict, Field

from spinewise.errors import N_, FieldProblem, InputError
from spinewise.interop import codes
from spinewise.interop.codes import CONFIRMED, Code, concept, local, resource_id, urn
from spinewise.models import Assessment, Imaging, Morphology, Region, Sex, Side


class PatientInfo(BaseModel):
    """Who the patient is, as the store knows them (the assessment has no identity)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: Annotated[str, Field(min_length=1, description="Spinewise patient key")]
    name: str | None = None
    birth_date: dt.date | None = None
    sex: Sex = Sex.UNKNOWN


def patient_id(info: PatientInfo) -> str:
    """The Patient resource id of ``info`` (stable: the same key gives the same id)."""
    return resource_id("Patient", info.key)


def patient_reference(info: PatientInfo) -> Reference:
    """A reference to the Patient of ``info`` inside a Spinewise bundle."""
    return Reference(reference=urn(patient_id(info)), display=info.name)


def patient_resource(info: PatientInfo) -> Patient:
    """The FHIR Patient: Spinewise identifier, name as text, gender, birth date."""
    return Patient(
        id=patient_id(info),
        identifier=[Identifier(system=codes.PATIENT_ID, value=info.key)],
        name=[HumanName(text=info.name)] if info.name else None,
        gender=info.sex.value,
        birthDate=info.birth_date,
    )


def _name_of(patient: Patient) -> str | None:
    for name in patient.name or []:
        if name.text:
            return str(name.text)
        parts = [*(name.given or []), *([name.family] if name.family else [])]
        if parts:
            return " ".join(str(p) for p in parts)
    return None


def record_number_of(patient: Patient) -> str | None:
    """The clinic's record number a Patient carries: its Spinewise identifier
    (system ``urn:spinewise:patient``), if any. ``import fhir`` and the CDS service
    both find the clinic's patient by it."""
    keys = [i.value for i in patient.identifier or [] if i.system == codes.PATIENT_ID]
    return str(keys[0]) if keys and keys[0] else None


def patient_info_of(patient: Patient) -> PatientInfo:
    """Read a Patient back; the key is the Spinewise identifier, else the id."""
    key = record_number_of(patient) or patient.id
    if not key:
        raise InputError(
            [
                FieldProblem(
                    "Patient.identifier", N_("no Spinewise identifier and no id")
                )
            ]
        )
    gender = patient.gender or Sex.UNKNOWN.value
    if gender not in {s.value for s in Sex}:
        raise InputError(
            [
                FieldProblem(
                    "Patient.gender", N_("unknown gender {gender!r}", gender=gender)
                )
            ]
        )
    return PatientInfo(
        key=str(key),
        name=_name_of(patient),
        # A partial birth date ("1974") has no day to store; age is in the assessment.
        birth_date=patient.birthDate
        if isinstance(patient.birthDate, dt.date)
        else None,
        sex=Sex(gender),
    )


_REGION_WORD = {
    Region.CERVICAL: "Cervical",
    Region.THORACIC: "Thoracic",
    Region.LUMBAR: "Lumbar",
}


def _snomed_candidate(key: str, display: str) -> Code:
    # No SNOMED CT id is written here until one is confirmed from a SNOMED release:
    # CONFIRMED[key] is False, so concept() leaves this coding out of the export.
    return Code(codes.SNOMED, key, display, CONFIRMED[f"snomed:{key}"])


def herniation_code(region: Region) -> list[Code]:
    """Codes for a disc herniation of ``region``: SNOMED candidate, then local."""
    word = _REGION_WORD[region]
    display = f"{word} intervertebral disc herniation"
    return [
        _snomed_candidate(f"disc-herniation-{region.value}", display),
        local(codes.CONDITION, f"disc-herniation-{region.value}", display),
    ]


NONSPECIFIC_ICD10 = {
    Region.LUMBAR: ("M54.5", "Low back pain"),
    Region.CERVICAL: ("M54.2", "Cervicalgia"),
}


def nonspecific_code(region: Region) -> list[Code]:
    """Codes for non-specific pain of ``region``: WHO ICD-10 (lumbar M54.5, cervical
    M54.2; none for thoracic pain, outside the profile), then local."""
    display = f"Non-specific {_REGION_WORD[region].lower()} pain"
    icd = NONSPECIFIC_ICD10.get(region)
    found = [Code(codes.ICD10, *icd)] if icd else []
    return [*found, local(codes.CONDITION, f"nonspecific-{region.value}", display)]


def body_site_codes(region: Region, level: str) -> list[Code]:
    """Codes for the herniated disc: the spine region and the disc level."""
    region_display = f"{_REGION_WORD[region]} spine"
    return [
        _snomed_candidate(f"{region.value}-spine", region_display),
        local(codes.BODY_SITE, f"{region.value}-spine", region_display),
        local(codes.DISC_LEVEL, level, f"{level} intervertebral disc"),
    ]


def _describe(assessment: Assessment) -> str:
    hernia = assessment.hernia
    if hernia is None:
        return f"Non-specific {_REGION_WORD[assessment.region].lower()} pain"
    word = _REGION_WORD[hernia.region]
    details = [
        str(value)
        for value in (hernia.morphology, hernia.side)
        if value not in (Morphology.UNKNOWN, Side.UNKNOWN)
    ]
    extra = f" ({', '.join(details)})" if details else ""
    return f"{word} intervertebral disc herniation{extra}, {', '.join(hernia.levels)}"


def condition_id(info: PatientInfo, assessment_key: str) -> str:
    """The Condition resource id for one assessment of one patient."""
    return resource_id("Condition", info.key, assessment_key)


def condition_resource(
    info: PatientInfo,
    assessment: Assessment,
    assessment_key: str,
    evidence: Reference | None = None,
) -> Condition:
    """The herniation as a Condition: code, body site per level, onset, imaging.

    Verification is ``confirmed`` when MRI or CT imaging is recorded, ``provisional``
    otherwise. ``evidence`` is usually a reference to the QuestionnaireResponse.
    """
    hernia = assessment.hernia
    region = assessment.region
    sites = [
        concept(*body_site_codes(region, "")[:2], text=f"{_REGION_WORD[region]} spine")
    ]
    if hernia is None:
        verification = "provisional"
        code = nonspecific_code(region)
    else:
        imaged = hernia.imaging in (Imaging.MRI, Imaging.CT)
        verification = "confirmed" if imaged else "provisional"
        code = herniation_code(region)
        sites += [
            concept(body_site_codes(region, level)[2], text=f"{level} disc")
            for level in hernia.levels
        ]
    return Condition(
        id=condition_id(info, assessment_key),
        clinicalStatus=concept(Code(codes.CONDITION_CLINICAL, "active", "Active")),
        verificationStatus=concept(
            Code(codes.CONDITION_VERIFICATION, verification, verification.title())
        ),
        category=[
            concept(
                Code(codes.CONDITION_CATEGORY, "problem-list-item", "Problem List Item")
            )
        ],
        code=concept(*code, text=_describe(assessment)),
        bodySite=sites,
        subject=patient_reference(info),
        onsetDateTime=assessment.symptoms.onset_date,
        recordedDate=assessment.assessed_on,
        evidence=[ConditionEvidence(detail=[evidence])] if evidence else None,
    )
