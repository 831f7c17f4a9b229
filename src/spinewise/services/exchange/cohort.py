"""The clinic's cohort from the store, for whole-cohort screening and export.

``read_cohort`` gives every patient's current assessment, as its newest decision was
made from it (with the clearance the store supplied), in the cohort layout of
``spinewise.screening`` plus ``assessment_id`` and ``decision_id``: one row per
patient, ordered by patient id, ready for ``screen_cohort`` or ``diff_cohorts``.

Clinic-wide reads are governance work: physicians and admins (the clinical lead)
only. Each call is one audit event naming how many patients it disclosed (``export``
when the rows leave for a file, ``read`` when they are screened in memory), not one
per patient. The rows are read in one read-only snapshot, so a long read never holds
SQLite's writer lock; the event is committed before the rows are returned.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

import polars as pl

from spinewise.errors import N_
from spinewise.services.access.actors import GOVERNANCE, Actor, require
from spinewise.services.audit import Action, log
from spinewise.services.unit import unit
from spinewise.store import Cohorts, Store, empty_cohort

DEFAULT_CHUNK_ROWS = 200_000
"""Rows a chunk: screening a chunk has a fixed cost (at 1M rows, 50,000 a chunk cost
12 % more CPU than 200,000); a chunk of 200,000 is about 25 MB of records."""
CohortProgress = Callable[[int, int], None]
"""Called after each chunk with the rows just read and the rows to read in all."""


class CohortUse(StrEnum):
    """What a cohort read is for, as the audit trail records it."""

    EXPORT = "export"
    SCREEN = "screen"
    DIFF = "diff"


def read_cohort(
    store: Store,
    actor: Actor,
    *,
    use: CohortUse = CohortUse.SCREEN,
    destination: str | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    progress: CohortProgress | None = None,
    each_chunk: Callable[[pl.DataFrame], pl.DataFrame] | None = None,
) -> pl.DataFrame:
    """Every patient's current assessment in the actor's clinic, as columns.

    ``destination`` (a file name, for an export) is recorded in the audit event.
    ``each_chunk`` (e.g. ``screen_cohort`` with a KB) turns each chunk of rows into
    what is returned instead, on a worker thread while the database reads the next
    chunk: a re-screen of the store then costs little more than the read itself. The
    audit event names the patients read either way.
    """
    with unit(store, actor):
        require(actor, GOVERNANCE, N_("{use} the clinic's whole cohort", use=use.value))
    parts: list[pl.DataFrame] = []
    with store.unit_of_work() as uow:  # one read-only snapshot, no writer lock
        cohorts = Cohorts(uow.session)
        total = cohorts.count(actor.clinic_id) if progress is not None else 0
        read = 0
        chunks = cohorts.chunks(actor.clinic_id, chunk_rows=chunk_rows, then=each_chunk)
        for part in chunks:
            parts.append(part)
            read += part.height
            if progress is not None:
                progress(part.height, max(total, read))
    if not parts:
        parts = [empty_cohort() if each_chunk is None else each_chunk(empty_cohort())]
    frame = pl.concat(parts, rechunk=False) if len(parts) > 1 else parts[0]
    detail: dict[str, object] = {"use": use.value, "patients": frame.height}
    if destination is not None:
        detail["destination"] = destination
    with unit(store, actor) as uow:
        action = Action.EXPORT if use is CohortUse.EXPORT else Action.READ
        log(uow, actor, action, "cohort", detail=detail)
    return frame
