"""Reading what a foreign FHIR server sends without refusing the whole of it (pure).

An EHR's Bundle may hold resources Spinewise cannot read: a resource type R4 does not
know (an R5-only resource, a typo), an entry that is not a resource, a resource that
is not valid R4. Like HAPI FHIR and Medplum with foreign data, Spinewise reads what it
can and says what it skipped: each skip is a :class:`FieldProblem` naming where the
resource was (``prefetch.assessment.entry[2].resource``) and why, collected in an
``OperationOutcome`` (:func:`skipped_outcome`, a ``fhir.resources`` model) that the CDS
service returns among its ``systemActions`` and notes on its last card.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.operationoutcome import (
    OperationOutcome,
    OperationOutcomeIssue,
)
from pydantic import ValidationError

from spinewise.errors import N_, FieldProblem
from spinewise.interop.fhir.bundle import to_json
from spinewise.models import problems_of


def known_type(kind: object) -> bool:
    """Whether ``kind`` is a resource type of FHIR R4 (as ``fhir.resources`` knows)."""
    if not isinstance(kind, str) or not kind:
        return False
    try:
        get_fhir_model_class(kind)
    except (ValueError, KeyError):
        return False
    return True


def invalid_reason(resource: Mapping[str, Any]) -> str | None:
    """Why ``resource`` is not a valid R4 resource (its first problem), or None."""
    kind = resource.get("resourceType")
    if not known_type(kind):
        return f"unknown resourceType {kind!r} (not FHIR R4): skipped"
    try:
        get_fhir_model_class(str(kind)).model_validate(dict(resource))
    except ValidationError as exc:
        first = problems_of(exc)[0]
        return f"not valid FHIR R4 ({first.field}: {first.message}): skipped"
    return None


def readable_entries(
    bundle: Mapping[str, Any], field: str
) -> tuple[list[Mapping[str, Any]], list[FieldProblem]]:
    """The entries' resources whose type R4 knows, and a problem for each other entry
    (validation of the kept resources is the reader's)."""
    entries = bundle.get("entry", [])
    if not isinstance(entries, list):
        return [], [
            FieldProblem(f"{field}.entry", N_("not a list of entries: skipped"))
        ]
    kept: list[Mapping[str, Any]] = []
    skipped: list[FieldProblem] = []
    for i, entry in enumerate(entries):
        resource = entry.get("resource") if isinstance(entry, Mapping) else None
        where = f"{field}.entry[{i}].resource"
        if not isinstance(resource, Mapping):
            skipped.append(
                FieldProblem(where, N_("no resource in this entry: skipped"))
            )
        elif not known_type(resource.get("resourceType")):
            kind = resource.get("resourceType")
            skipped.append(
                FieldProblem(
                    where,
                    N_(
                        "unknown resourceType {kind!r} (not FHIR R4): skipped",
                        kind=kind,
                    ),
                )
            )
        else:
            kept.append(resource)
    return kept, skipped


def patient_in(
    value: object, patient_id: str, field: str
) -> tuple[object, list[FieldProblem]]:
    """The Patient to cross-check from a ``prefetch.patient`` that may be a Bundle:
    the entry whose id is the patient in context (else None, noted)."""
    if not isinstance(value, Mapping) or value.get("resourceType") != "Bundle":
        return value, []
    kept, skipped = readable_entries(value, field)
    for resource in kept:
        if (
            resource.get("resourceType") == "Patient"
            and resource.get("id") == patient_id
        ):
            return resource, skipped
    note = FieldProblem(
        field,
        N_(
            "a Bundle without Patient/{patient_id}: not cross-checked",
            patient_id=patient_id,
        ),
    )
    return None, [*skipped, note]


def skipped_outcome(skipped: list[FieldProblem]) -> dict[str, Any]:
    """The skips as an OperationOutcome (warnings, ``expression`` = where)."""
    issues = [
        OperationOutcomeIssue(
            severity="warning",
            code="not-supported" if "resourceType" in p.message else "processing",
            diagnostics=p.message,
            expression=[p.field] if p.field else None,
        )
        for p in skipped
    ]
    return to_json(OperationOutcome(issue=issues))
