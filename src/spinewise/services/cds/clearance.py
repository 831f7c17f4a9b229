"""The physician clearance a CDS call screens with: Spinewise's own record, never the EHR's.

The clearance items of an EHR questionnaire are ignored (as ``import fhir`` ignores
them). The patient is found the way ``import fhir`` finds one: the Patient's Spinewise
identifier (``urn:spinewise:patient`` = the clinic's record number,
``interop.record_number_of``) looked up among the configured clinic's patients. The
clearance is the one in force for that patient's current assessment
(``clearance_in_force``, as for stored screenings). A patient Spinewise does not know,
or one with no approval, is screened without clearance (``awaiting_clearance``), and
the card links to the clinic's clearance page for the patient (``/patients/{id}/clearance``)
or, for an unknown patient, to the patient list to register them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from fhir.resources.R4B.patient import Patient
from pydantic import ValidationError

from spinewise.interop import record_number_of
from spinewise.models import Clearance
from spinewise.services.cds.cache import CACHE_SIZE, Lru, content_key
from spinewise.services.clinic.screening import chosen_clearance
from spinewise.services.convert import clearance_record
from spinewise.store import Store


@dataclass(frozen=True)
class ClearanceOnRecord:
    """What Spinewise's record says about the EHR's patient."""

    record_number: str | None
    patient_id: int | None = None
    clearance: Clearance | None = None

    def request_url(self, base_url: str) -> str:
        """Where a clinician requests (or a physician records) the clearance."""
        base = base_url.rstrip("/")
        if self.patient_id is None:
            return f"{base}/patients"
        return f"{base}/patients/{self.patient_id}/clearance"


def _record_number(patient: object) -> str | None:
    if not isinstance(patient, Mapping) or patient.get("resourceType") != "Patient":
        return None
    try:
        resource = Patient.model_validate(dict(patient))
    except ValidationError:
        return None
    return record_number_of(resource)


class RecordNumbers:
    """The record number of an EHR Patient, remembered by content (keys sorted):
    validating the Patient as FHIR is most of what reading it costs, and an EHR sends
    the same Patient each time the chart opens. A Patient that is not valid FHIR has
    none, as before (its call is screened without a clearance)."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self._found: Lru[tuple[str | None]] = Lru(size)

    def of(self, patient: object) -> str | None:
        if not isinstance(patient, Mapping):
            return None
        key = content_key(patient)
        found = self._found.get(key)
        if found is None:
            found = (_record_number(patient),)
            self._found.put(key, found)
        return found[0]


def clearance_on_record(
    store: Store,
    clinic_id: int,
    patient: object,
    numbers: RecordNumbers | None = None,
) -> ClearanceOnRecord:
    """The clinic's patient matching the EHR's Patient and its clearance in force
    (``numbers``: the record numbers of Patients seen before)."""
    number = _record_number(patient) if numbers is None else numbers.of(patient)
    if number is None:
        return ClearanceOnRecord(None)
    with store.reading() as reads:  # Core, prepared statements (store/reading.py)
        patient_id = reads.patients.id_by_record_number(clinic_id, number)
        if patient_id is None:
            return ClearanceOnRecord(number)
        current = reads.assessments.current(clinic_id, patient_id)
        chosen = (
            None
            if current is None
            else chosen_clearance(
                reads.clearances.of_patient(clinic_id, patient_id), current.id
            )
        )
        physician = None
        if chosen is not None and chosen.physician_id is not None:
            physician = reads.users.names([chosen.physician_id]).get(
                chosen.physician_id
            )
    if chosen is None:
        return ClearanceOnRecord(number, patient_id)
    record = clearance_record(chosen, physician)
    return ClearanceOnRecord(number, patient_id, record.to_contract())
