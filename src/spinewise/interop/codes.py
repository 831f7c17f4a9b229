"""Code systems, codes and canonical URLs of Spinewise's FHIR R4 export.

Every external code carries a ``CONFIRMED`` entry: ``True`` only when the code was
checked against an official source (the FHIR R4 specification's code systems and
examples, or docs/clinical-basis.md#outcome-instruments for LOINC 72514-3). An unconfirmed code is never
emitted under its official system: the export uses Spinewise's local systems
(``urn:spinewise:*``) and text instead, so a receiving EHR is never handed a guessed
SNOMED CT or LOINC code. Flip a ``CONFIRMED`` entry only with the source in a comment.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.coding import Coding

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
ICD10 = "http://hl7.org/fhir/sid/icd-10"  # WHO ICD-10 (not ICD-10-CM)
UCUM = "http://unitsofmeasure.org"
YES_NO = "http://terminology.hl7.org/CodeSystem/v2-0136"
DATA_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
DATA_ABSENT_EXT = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
PLAN_DEFINITION_TYPE = "http://terminology.hl7.org/CodeSystem/plan-definition-type"
LIBRARY_TYPE = "http://terminology.hl7.org/CodeSystem/library-type"

# Spinewise's own systems (local, stable; they need no confirmation).
INSTRUMENT = "urn:spinewise:instrument"
RULE = "urn:spinewise:rule"
SEVERITY = "urn:spinewise:severity"
MODALITY = "urn:spinewise:modality"
VERDICT = "urn:spinewise:verdict"
CLEARANCE_STATUS = "urn:spinewise:clearance-status"
DISC_LEVEL = "urn:spinewise:disc-level"
CONDITION = "urn:spinewise:condition"
BODY_SITE = "urn:spinewise:body-site"
SERVICE = "urn:spinewise:service"
SOURCE = "urn:spinewise:source"
PATIENT_ID = "urn:spinewise:patient"
ASSESSMENT_ID = "urn:spinewise:assessment"
MODALITY_EXT = "urn:spinewise:extension:modality"
CONDITION_EXT = "urn:spinewise:extension:condition"  # a rule's condition as JSON

QUESTIONNAIRE_URL = "urn:spinewise:questionnaire:assessment"
QUESTIONNAIRE_VERSION = "1"  # follows the contract schema spinewise.assessment/1
PLAN_DEFINITION_URL = "urn:spinewise:plandefinition:knowledge-base"
LIBRARY_URL = "urn:spinewise:library:knowledge-base"

_NAMESPACE = uuid.UUID("6f1c1f0e-6a43-5d7b-9a52-5b1f0d8e2c11")


@dataclass(frozen=True)
class Code:
    """One code with its system and whether it was confirmed (see the module doc)."""

    system: str
    code: str
    display: str
    confirmed: bool = True


CONFIRMED: dict[str, bool] = {
    # Confirmed in HL7 FHIR IG value sets (docs/clinical-basis.md#outcome-instruments).
    "loinc:72514-3": True,
    # FHIR R4 core code systems (hl7.org/fhir/R4, terminology.hl7.org), read there.
    "data-absent-reason:unknown": True,
    "data-absent-reason:asked-unknown": True,
    "v2-0136:Y": True,
    "v2-0136:N": True,
    "condition-clinical:active": True,
    "condition-ver-status:confirmed": True,
    "condition-ver-status:provisional": True,
    "condition-category:problem-list-item": True,
    "observation-category:survey": True,
    "plan-definition-type:eca-rule": True,
    "library-type:asset-collection": True,
    # SNOMED CT: candidates seen only in secondary sources, not in a SNOMED release
    # or browser; the export uses CONDITION / BODY_SITE local codes instead.
    "snomed:disc-herniation-cervical": False,
    "snomed:disc-herniation-thoracic": False,
    "snomed:disc-herniation-lumbar": False,
    "snomed:cervical-spine": False,
    "snomed:thoracic-spine": False,
    "snomed:lumbar-spine": False,
    # docs/clinical-basis.md#review-list: LOINC panels exist for ODI/RMDQ/NDI but their codes
    # were not confirmed, so scores use INSTRUMENT (urn:spinewise:instrument).
    "loinc:odi": False,
    "loinc:rmdq": False,
    "loinc:ndi": False,
    "loinc:startback": False,
}

PAIN_NRS = Code(
    LOINC,
    "72514-3",
    "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
    CONFIRMED["loinc:72514-3"],
)
YES = Code(YES_NO, "Y", "Yes", CONFIRMED["v2-0136:Y"])
NO = Code(YES_NO, "N", "No", CONFIRMED["v2-0136:N"])
UNKNOWN = Code(
    DATA_ABSENT, "unknown", "Unknown", CONFIRMED["data-absent-reason:unknown"]
)
SURVEY = Code(OBSERVATION_CATEGORY, "survey", "Survey")


def coding(code: Code) -> Coding:
    """The FHIR Coding of ``code`` (refuses an unconfirmed external code)."""
    if not code.confirmed and not code.system.startswith("urn:spinewise:"):
        raise ValueError(f"{code.system}|{code.code} is unconfirmed; use a local code")
    return Coding(system=code.system, code=code.code, display=code.display)


def concept(*codes: Code, text: str | None = None) -> CodeableConcept:
    """A CodeableConcept of the confirmed or local ``codes`` (others are dropped)."""
    usable = [c for c in codes if c.confirmed or c.system.startswith("urn:spinewise:")]
    return CodeableConcept(coding=[coding(c) for c in usable] or None, text=text)


def local(system: str, code: str, display: str | None = None) -> Code:
    """A code of one of Spinewise's own systems."""
    return Code(system, code, display or code.replace("_", " "))


# Published names: a Spinewise code system is exported (``published``) as the
# CodeSystem ``{base}/CodeSystem/spinewise-NAME`` and an extension as the
# StructureDefinition ``{base}/StructureDefinition/spinewise-NAME``, under the
# configurable canonical base (Settings.fhir_canonical_base). Inside the mapping the
# ``urn:spinewise:*`` names stay the keys; input accepts both (``local_name``).
DEFAULT_CANONICAL_BASE = "https://spinewise.example.org/fhir"
EXTENSIONS = (MODALITY_EXT, CONDITION_EXT)
_PUBLISHED_NAME = re.compile(
    r"^https?://\S+/(?:CodeSystem|StructureDefinition)/spinewise-([a-z0-9-]+)$"
)


def published_id(name: str) -> str:
    """The id a ``urn:spinewise:*`` system or extension is published under."""
    short = name.removeprefix("urn:spinewise:").removeprefix("extension:")
    return f"spinewise-{short}"


def canonical_url(name: str, base: str) -> str:
    """The canonical http(s) URL of a local system or extension under ``base``."""
    kind = "StructureDefinition" if name in EXTENSIONS else "CodeSystem"
    return f"{base.rstrip('/')}/{kind}/{published_id(name)}"


def local_name(system: str | None) -> str | None:
    """The ``urn:spinewise:*`` name of a published URL (any base); else ``system``
    unchanged, so the old names keep reading as before."""
    found = _PUBLISHED_NAME.match(system or "")
    if found is None:
        return system
    short = found.group(1)
    if "/StructureDefinition/" in str(system):
        return f"urn:spinewise:extension:{short}"
    return f"urn:spinewise:{short}"


def resource_id(*parts: str) -> str:
    """A stable id (UUID v5) for the resource named by ``parts``: exports are pure."""
    return str(uuid.uuid5(_NAMESPACE, "/".join(parts)))


def urn(rid: str) -> str:
    """The ``urn:uuid`` a bundle entry is known by and referenced with."""
    return f"urn:uuid:{rid}"
