"""The clinic's cohort read as columns: current versions, as screened, one clinic only."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from tests.factories import assessment_data
from tests.pg import World
from tests.services.builders import approve, assessed_patient
from tests.store.rows import add_decision
from tests.store.stored_cohort import reference_cohort

from spinewise import services
from spinewise.errors import StoreError
from spinewise.kb import KnowledgeBase
from spinewise.store import Cohorts, Store, cohort_columns

ANALGESICS = ["ibuprofen, 400 mg", 'the "strong" one', "ибупрофен", "a\\b\nc", ""]


@dataclass(frozen=True)
class Clinic:
    cleared: int
    renewed: int
    old_one_amended: int
    amended: int
    never_assessed: int
    unknowns: int
    other_clinic: int


def _read(store: Store, clinic_id: int, chunk_rows: int = 1_000) -> pl.DataFrame:
    with store.unit_of_work() as uow:
        parts = list(Cohorts(uow.session).chunks(clinic_id, chunk_rows=chunk_rows))
    return pl.concat(parts) if parts else pl.DataFrame(schema=cohort_columns())


def _resubmit(
    store: Store, world: World, kb: KnowledgeBase, patient: int, age: int
) -> int:
    data = assessment_data(patient={"age": age})
    result = services.submit_assessment(store, world.therapist_a, patient, data, kb)
    return result.assessment.id


def _amend(
    store: Store, world: World, kb: KnowledgeBase, assessment: int, age: int
) -> None:
    data = assessment_data(patient={"age": age})
    services.amend_assessment(store, world.therapist_a, assessment, data, kb)


@pytest.fixture
def clinic(store: Store, world: World, kb: KnowledgeBase) -> Clinic:
    therapist = world.therapist_a

    def patient(number: str, **sections: object) -> tuple[int, int]:
        result = assessed_patient(store, therapist, kb, number, **sections)
        return result.assessment.patient_id, result.assessment.id

    cleared, _ = patient("P-CLEARED")
    approve(store, world.physician_a, cleared, kb, excluded_modalities=["vacuum"])
    renewed, _ = patient("P-RENEWED", patient={"age": 30})
    _resubmit(store, world, kb, renewed, 31)
    old_one_amended, first = patient("P-OLD-AMENDED", patient={"age": 40})
    _resubmit(store, world, kb, old_one_amended, 41)
    _amend(store, world, kb, first, 42)  # a newer version of the older assessment
    amended, only = patient("P-AMENDED", patient={"age": 50})
    _amend(store, world, kb, only, 51)
    never = services.register_patient(
        store, therapist, {"record_number": "P-NEVER", "name": "No Assessment"}
    ).id
    unknowns, _ = patient(
        "P-UNKNOWN",
        patient={"sex": "unknown", "pregnant": None},
        hernia={"morphology": "unknown", "side": "unknown", "imaging": None},
        medications={"analgesics": ANALGESICS},
    )
    other = assessed_patient(store, world.therapist_b, kb, "P-OTHER").assessment
    return Clinic(
        cleared, renewed, old_one_amended, amended, never, unknowns, other.patient_id
    )


def _row(frame: pl.DataFrame, patient_id: int) -> dict[str, object]:
    return frame.filter(pl.col("patient_id") == patient_id).row(0, named=True)


def test_a_read_gives_each_current_assessment_as_it_was_last_screened(
    store: Store, world: World, clinic: Clinic
) -> None:
    frame = _read(store, world.clinic_a)
    assert frame.schema == cohort_columns()
    assert_frame_equal(frame, reference_cohort(store, world.clinic_a))
    assert frame["patient_id"].is_sorted()
    assert _row(frame, clinic.renewed)["patient.age"] == 31
    assert _row(frame, clinic.old_one_amended)["patient.age"] == 41
    assert _row(frame, clinic.amended)["patient.age"] == 51


def test_the_clearance_is_the_stores_not_the_submitted_files(
    store: Store, world: World, clinic: Clinic
) -> None:
    frame = _read(store, world.clinic_a)
    cleared = _row(frame, clinic.cleared)
    assert cleared["clearance.status"] == "approved"
    assert cleared["clearance.excluded_modalities"] == ["vacuum"]
    # the factory's file carries an approval; the store had none to supply
    assert _row(frame, clinic.renewed)["clearance.status"] is None


def test_patients_without_an_assessment_and_other_clinics_are_not_read(
    store: Store, world: World, clinic: Clinic
) -> None:
    ids = set(_read(store, world.clinic_a)["patient_id"])
    assert clinic.never_assessed not in ids
    assert clinic.other_clinic not in ids
    assert set(_read(store, world.clinic_b)["patient_id"]) == {clinic.other_clinic}
    with store.unit_of_work() as uow:
        cohorts = Cohorts(uow.session)
        assert cohorts.count(world.clinic_a) == len(ids) == 5
        assert cohorts.count(world.clinic_b) == 1


def test_unknown_answers_read_as_nulls_and_free_text_lists_survive(
    store: Store, world: World, clinic: Clinic
) -> None:
    row = _row(_read(store, world.clinic_a), clinic.unknowns)
    assert row["patient.sex"] is None and row["hernia.morphology"] is None
    assert row["hernia.side"] is None and row["hernia.imaging"] is None
    assert row["patient.pregnant"] is None
    assert row["medications.analgesics"] == ANALGESICS


@pytest.mark.parametrize("chunk_rows", [1, 2, 3])
def test_chunks_of_any_size_read_the_same_cohort(
    store: Store, world: World, clinic: Clinic, chunk_rows: int
) -> None:
    with store.unit_of_work() as uow:
        sizes = [
            part.height
            for part in Cohorts(uow.session).chunks(
                world.clinic_a, chunk_rows=chunk_rows
            )
        ]
    assert sum(sizes) == 5 and max(sizes) <= chunk_rows
    assert_frame_equal(
        _read(store, world.clinic_a, chunk_rows), _read(store, world.clinic_a)
    )


def test_a_clinic_without_assessments_reads_as_an_empty_cohort(
    store: Store, world: World
) -> None:
    frame = _read(store, world.clinic_b)
    assert frame.height == 0 and frame.schema == cohort_columns()


def test_a_stored_value_outside_the_contract_fails_the_read(
    store: Store, world: World, clinic: Clinic
) -> None:
    with store.unit_of_work(write=True) as uow:
        current = uow.assessments.current(world.clinic_a, clinic.amended)
        assert current is not None
        forged = assessment_data(hernia={"region": "sacral"})
        add_decision(
            uow, world, clinic.amended, current.id, forged, kb_version="forged"
        )
    with pytest.raises(StoreError, match="cohort layout"):
        _read(store, world.clinic_a)


def test_a_stored_input_kept_whole_outside_the_layout_fails_the_read(
    store: Store, world: World, clinic: Clinic
) -> None:
    with store.unit_of_work(write=True) as uow:
        current = uow.assessments.current(world.clinic_a, clinic.amended)
        assert current is not None
        given = {"schema": "spinewise.assessment/0"}
        add_decision(uow, world, clinic.amended, current.id, given, kb_version="legacy")
    with pytest.raises(StoreError, match="not stored in layout 1"):
        _read(store, world.clinic_a)
