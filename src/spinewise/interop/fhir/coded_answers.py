"""Red flags and contraindications the EHR has coded, as answers to screening (pure).

The knowledge base's ``ehr_codes`` list which codes answer which yes/no field. A
resource counts when it is about the patient in context and current:

* ``Condition``: ``clinicalStatus`` active, recurrence or relapse (for a code marked
  ``includes_past``, e.g. cancer history, also remission or resolved; a missing status
  counts, the safer reading); ``verificationStatus`` not refuted nor entered-in-error;
* ``Observation``: any ``status`` but entered-in-error or cancelled, unless its value
  says "no" (``valueBoolean`` false, or the v2-0136 ``N`` code); ``code`` or
  ``valueCodeableConcept`` may carry the code;
* ``MedicationStatement`` / ``MedicationRequest``: ``status`` active, coded in
  ``medicationCodeableConcept``.

A coded answer only ever sets a field to "yes": it adds findings, never turns a
questionnaire's "yes" into "no", and never fills an unknown with "no". Each answer keeps
the resource it came from so that cards can cite it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from spinewise.interop import codes as fhir_codes
from spinewise.kb.codes import CodedAnswer, EhrCodes
from spinewise.models import Assessment

CURRENT = frozenset({"active", "recurrence", "relapse"})
PAST = frozenset({"remission", "resolved", "inactive"})
REFUTED = frozenset({"refuted", "entered-in-error"})
VOID_OBSERVATION = frozenset({"entered-in-error", "cancelled"})
MEDICATION_KINDS = ("MedicationStatement", "MedicationRequest")


@dataclass(frozen=True)
class EhrAnswer:
    """One field answered "yes" by a coded EHR resource."""

    field: str
    reference: str
    code: str

    def citation(self) -> str:
        """``Condition/ces-1 (ICD-10 G83.4 Cauda equina syndrome)``."""
        return f"{self.reference} ({self.code})"


def resources_in(value: object) -> list[Mapping[str, Any]]:
    """The resources of a prefetch value: a resource, a Bundle's entries, or none."""
    if not isinstance(value, Mapping):
        return []
    if value.get("resourceType") != "Bundle":
        return [value]
    entries = value.get("entry")
    found = []
    for entry in entries if isinstance(entries, list) else []:
        resource = entry.get("resource") if isinstance(entry, Mapping) else None
        if isinstance(resource, Mapping):
            found.append(resource)
    return found


def _codes_of(concept: object) -> list[tuple[str, str]]:
    if not isinstance(concept, Mapping):
        return []
    codings = concept.get("coding")
    return [
        (str(c.get("system") or ""), str(c.get("code") or ""))
        for c in (codings if isinstance(codings, list) else [])
        if isinstance(c, Mapping) and c.get("code")
    ]


def _status(concept: object) -> str | None:
    found = _codes_of(concept)
    return found[0][1] if found else None


def _about(resource: Mapping[str, Any], patient_id: str) -> bool:
    subject = resource.get("subject") or resource.get("patient")
    if not isinstance(subject, Mapping):
        return True  # a search for the patient's resources: nothing says otherwise
    reference = str(subject.get("reference") or "")
    target = f"Patient/{patient_id}"
    return not reference or reference == target or reference.endswith(f"/{target}")


def _matches(
    table: Sequence[CodedAnswer], kind: str, coded: list[tuple[str, str]]
) -> list[CodedAnswer]:
    """The entries each coding matches, the longest code per coding."""
    found: list[CodedAnswer] = []
    for system, code in coded:
        hits = [
            entry
            for entry in table
            if kind in entry.resources
            and system in entry.uris
            and (
                code == entry.code
                or (entry.match == "prefix" and code.startswith(entry.code))
            )
        ]
        if hits:
            longest = max(len(h.code) for h in hits)
            found += [h for h in hits if len(h.code) == longest]
    return found


def _condition_counts(resource: Mapping[str, Any], entry: CodedAnswer) -> bool:
    if _status(resource.get("verificationStatus")) in REFUTED:
        return False
    status = _status(resource.get("clinicalStatus"))
    allowed = CURRENT | PAST if entry.includes_past else CURRENT
    return status is None or status in allowed


def _says_no(resource: Mapping[str, Any]) -> bool:
    if resource.get("valueBoolean") is False:
        return True
    return (fhir_codes.YES_NO, "N") in _codes_of(resource.get("valueCodeableConcept"))


def _candidates(
    resource: Mapping[str, Any], table: Sequence[CodedAnswer]
) -> list[CodedAnswer]:
    kind = str(resource.get("resourceType"))
    if kind == "Condition":
        hits = _matches(table, kind, _codes_of(resource.get("code")))
        return [h for h in hits if _condition_counts(resource, h)]
    if kind == "Observation":
        if resource.get("status") in VOID_OBSERVATION or _says_no(resource):
            return []
        coded = _codes_of(resource.get("code"))
        coded += _codes_of(resource.get("valueCodeableConcept"))
        return _matches(table, kind, coded)
    if kind in MEDICATION_KINDS and resource.get("status") == "active":
        return _matches(
            table, kind, _codes_of(resource.get("medicationCodeableConcept"))
        )
    return []


def coded_answers(
    resources: Iterable[Mapping[str, Any]], codes: EhrCodes, patient_id: str
) -> list[EhrAnswer]:
    """The "yes" answers the patient's coded resources give (confirmed codes only)."""
    table = codes.usable_answers()
    answers: list[EhrAnswer] = []
    for resource in resources:
        if not _about(resource, patient_id):
            continue
        reference = f"{resource.get('resourceType')}/{resource.get('id') or '?'}"
        for entry in _candidates(resource, table):
            answer = EhrAnswer(entry.answers, reference, entry.label())
            if answer not in answers:
                answers.append(answer)
    return answers


def with_answers(assessment: Assessment, answers: Iterable[EhrAnswer]) -> Assessment:
    """``assessment`` with every coded answer's field set to yes (only ever to yes)."""
    data = assessment.model_dump(mode="json", by_alias=True)
    changed = False
    for answer in answers:
        section, _, name = answer.field.partition(".")
        block = data.get(section)
        if isinstance(block, dict) and block.get(name) is not True:
            block[name] = True
            changed = True
    return Assessment.model_validate(data) if changed else assessment
