"""``spinewise import fhir``: a Bundle's readable Spinewise answers, stored once.

The Bundle is read leniently (``interop.read_import``): each resource Spinewise cannot
read is skipped and named; with ``strict`` any skip refuses the import. Everything
else happens in ONE unit of work, so an import stores all of it or nothing:

* the patient: the one named; else the clinic's patient known by one of the bundle
  Patient's identifiers (system + value, recorded at each import); else the one whose
  record number is its Spinewise identifier (or id); else, with ``register``, a new
  patient. The Patient's identifiers are recorded for the next import.
* each response, oldest first, by its FHIR id and source (``store.FhirImports``): not
  seen before → a new assessment; seen with the same answers → nothing (``unchanged``);
  seen with other answers → an amendment of that assessment (a new version naming the
  one it amends; the original stays). Each stored version is screened with the
  clearance on record, never one the bundle claims.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from pydantic import BaseModel, ConfigDict

from spinewise.errors import N_, FieldProblem, InputError
from spinewise.interop.fhir.import_read import ImportedResponse, ImportRead, read_import
from spinewise.kb import KnowledgeBase
from spinewise.services.access.actors import CLINICIANS, Actor, Interface, require
from spinewise.services.audit import Action, log, log_reads
from spinewise.services.clinic.patients import NewPatient
from spinewise.services.clinic.screening import screen_and_store
from spinewise.services.convert import assessment_record, patient_record
from spinewise.services.records import PatientRecord, ScreeningResult
from spinewise.services.unit import patient_of, retrying, unit
from spinewise.store import PatientRow, Store, UnitOfWork
from spinewise.store.fhir_imports import FhirImportRow, FhirImports

QR = "QuestionnaireResponse"


class ImportedBundle(BaseModel):
    """What an import did: the patient (``registered`` when new), each stored
    assessment with its decision, how many responses were already stored
    unchanged, and the entries skipped (``Bundle.entry[i].resource``: why)."""

    model_config = ConfigDict(frozen=True)

    patient: PatientRecord
    registered: bool
    results: list[ScreeningResult]
    unchanged: int = 0
    skipped: list[FieldProblem] = []


def _problem(message: str) -> InputError:
    return InputError([FieldProblem("Patient.identifier", message)])


def _register(uow: UnitOfWork, actor: Actor, read: ImportRead) -> PatientRow:
    info = read.patient
    details = NewPatient(
        record_number=info.key, name=info.name or info.key, birth_date=info.birth_date
    )
    if uow.patients.by_record_number(actor.clinic_id, details.record_number):
        raise _problem(f"record number {info.key!r} is already used in your clinic")
    row = uow.patients.add(
        clinic_id=actor.clinic_id,
        record_number=details.record_number,
        name=details.name,
        birth_date=details.birth_date,
        created_by=actor.user_id,
    )
    log(uow, actor, Action.CREATE, "patient", row.id, patient_id=row.id)
    return row


def _patient(
    uow: UnitOfWork,
    actor: Actor,
    read: ImportRead,
    patient_id: int | None,
    register: bool,
) -> tuple[PatientRow, bool]:
    if patient_id is not None:
        return patient_of(uow, actor, patient_id, lock=True), False
    known = FhirImports(uow.session).patient_by_identifier(
        actor.clinic_id, list(read.identifiers)
    )
    if len(known) > 1:
        raise _problem(f"the identifiers name {len(known)} patients of your clinic")
    if known:
        return patient_of(uow, actor, known.pop(), lock=True), False
    row = uow.patients.by_record_number(actor.clinic_id, read.patient.key)
    if row is not None:
        return patient_of(uow, actor, row.id, lock=True), False
    if register:
        return _register(uow, actor, read), True
    raise _problem(
        f"no patient with record number {read.patient.key!r} in your clinic; "
        "register the patient or name the patient to import for"
    )


def _place(
    uow: UnitOfWork, actor: Actor, patient: PatientRow, before: FhirImportRow | None
) -> tuple[int, int, int | None]:
    """Number, version and amended assessment id of the version to store: a new
    assessment, or the next version of the one ``before`` became."""
    if before is None:
        return uow.assessments.last_number(patient.id) + 1, 1, None
    base = uow.assessments.get(actor.clinic_id, before.assessment_id)
    assert base is not None  # a foreign key keeps it
    version = uow.assessments.last_version(patient.id, base.number) + 1
    return base.number, version, base.id


def _store_one(
    uow: UnitOfWork,
    actor: Actor,
    patient: PatientRow,
    response: ImportedResponse,
    kb: KnowledgeBase,
) -> ScreeningResult | None:
    imports = FhirImports(uow.session)
    before = imports.latest(actor.clinic_id, QR, response.source, response.fhir_id)
    if before is not None and before.digest == response.digest:
        return None
    number, version, amends = _place(uow, actor, patient, before)
    row = uow.assessments.add(
        clinic_id=actor.clinic_id,
        patient_id=patient.id,
        number=number,
        version=version,
        amends_id=amends,
        assessed_on=response.assessment.assessed_on,
        document=response.assessment.to_contract(),
        submitted_by=actor.user_id,
    )
    detail: dict[str, Any] = {"number": number, "version": version}
    detail |= {"fhir_id": response.fhir_id, "source": response.source}
    detail |= {"amends": amends} if amends is not None else {}
    log(
        uow,
        actor,
        Action.CREATE,
        "assessment",
        row.id,
        patient_id=patient.id,
        detail=detail,
    )
    imports.add(
        clinic_id=actor.clinic_id,
        patient_id=patient.id,
        resource_type=QR,
        fhir_id=response.fhir_id,
        source=response.source,
        digest=response.digest,
        assessment_id=row.id,
        imported_by=actor.user_id,
    )
    decision = screen_and_store(uow, actor, row, response.assessment, kb)
    return ScreeningResult(assessment=assessment_record(row), decision=decision)


@contextmanager
def _in_file(file: str | None) -> Iterator[None]:
    """Name the file in an ``InputError`` raised inside the block."""
    try:
        yield
    except InputError as error:
        raise InputError(list(error.problems), file=file) from None


def import_fhir_bundle(
    store: Store,
    actor: Actor,
    bundle_json: str | bytes | Mapping[str, Any],
    kb: KnowledgeBase,
    *,
    patient_id: int | None = None,
    register: bool = False,
    strict: bool = False,
    file: str | None = None,
) -> ImportedBundle:
    """Store and screen the bundle's readable Spinewise assessments in one transaction
    (see the module doc); an ``InputError`` (naming the file) stores nothing."""
    require(actor, CLINICIANS, N_("import assessments"))
    try:
        read = read_import(bundle_json)
    except InputError as error:
        raise InputError(list(error.problems), file=file) from None
    if strict and read.skipped:
        raise InputError(list(read.skipped), file=file)
    via = actor.via(Interface.FHIR)
    ordered = sorted(read.responses, key=lambda r: r.assessment.assessed_on)

    def attempt() -> ImportedBundle:
        with unit(store, via) as uow, _in_file(file):
            patient, registered = _patient(uow, via, read, patient_id, register)
            FhirImports(uow.session).add_identifiers(
                via.clinic_id, patient.id, list(read.identifiers)
            )
            if not registered:
                log_reads(uow, via, "patient", [(patient.id, patient.id)])
            stored = [_store_one(uow, via, patient, r, kb) for r in ordered]
            results = [s for s in stored if s is not None]
            counts = {"stored": len(results), "unchanged": len(stored) - len(results)}
            counts["skipped"] = len(read.skipped)
            log(uow, via, Action.CREATE, "fhir_import", None, patient_id=patient.id,
                detail=counts)  # fmt: skip
            return ImportedBundle(
                patient=patient_record(patient),
                registered=registered,
                results=results,
                unchanged=len(stored) - len(results),
                skipped=read.skipped,
            )

    return retrying(attempt)
