"""The slow, obvious reference for cohort reads: the store's repositories, row by row."""

from __future__ import annotations

import polars as pl

from spinewise.models import Assessment, Decision
from spinewise.screening import cohort_frame
from spinewise.store import Store


def stored_decisions(store: Store, clinic_id: int) -> dict[int, tuple[int, Decision]]:
    """Patient id -> (decision id, the newest decision on the current assessment)."""
    found = {}
    with store.unit_of_work() as uow:
        for patient in uow.patients.of_clinic(clinic_id, limit=100_000):
            current = uow.assessments.current(clinic_id, patient.id)
            if current is None:
                continue
            row = uow.decisions.latest_for(clinic_id, [current.id])[current.id]
            found[patient.id] = (row.id, Decision.model_validate(row.output))
    return found


def reference_cohort(store: Store, clinic_id: int) -> pl.DataFrame:
    """What a cohort read must give: each current assessment's newest decision input."""
    ids: list[tuple[int, int, int]] = []
    inputs = []
    with store.unit_of_work() as uow:
        for patient in uow.patients.of_clinic(clinic_id, limit=100_000):
            current = uow.assessments.current(clinic_id, patient.id)
            if current is None:
                continue
            row = uow.decisions.latest_for(clinic_id, [current.id])[current.id]
            ids.append((patient.id, current.id, row.id))
            inputs.append(Assessment.model_validate(row.input))
    frame = cohort_frame(inputs)
    columns = {
        "patient_id": [i[0] for i in ids],
        "assessment_id": [i[1] for i in ids],
        "decision_id": [i[2] for i in ids],
    }
    keys = pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.Int64))
    return pl.concat([keys, frame], how="horizontal")
