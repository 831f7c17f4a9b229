"""Concurrent writers on one patient: every amendment and assessment is kept."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from tests.factories import assessment_data
from tests.pg import World
from tests.services.builders import assessed_patient

from spinewise import services
from spinewise.errors import ConflictError
from spinewise.kb import KnowledgeBase
from spinewise.services.unit import retrying
from spinewise.store import Store

WRITERS = 4


def _together(work: Callable[[int], object]) -> list[BaseException]:
    """Run ``work(0..WRITERS-1)`` in threads released at the same moment."""
    start = threading.Barrier(WRITERS)
    failures: list[BaseException] = []

    def run(index: int) -> None:
        start.wait()
        try:
            work(index)
        except BaseException as error:  # reported by the test
            failures.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


def test_concurrent_amendments_of_one_assessment_are_all_kept(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    original = assessed_patient(store, world.therapist_a, kb)
    actors = [world.therapist_a, world.physician_a]

    def amend(index: int) -> None:
        services.amend_assessment(
            store,
            actors[index % 2],
            original.assessment.id,
            assessment_data(symptoms={"pain_nrs": 4 + index}),
            kb,
        )

    assert _together(amend) == []
    history = services.latest_assessments(
        store, world.therapist_a, original.assessment.patient_id, limit=None
    )
    assert [a.version for a in history] == list(range(WRITERS + 1, 0, -1))
    assert sorted(a.assessment.symptoms.pain_nrs for a in history) == [
        3,
        *range(4, 4 + WRITERS),
    ]
    amended = [a for a in history if a.version > 1]
    assert {a.amends_id for a in amended} == {original.assessment.id}


def test_concurrent_new_assessments_get_distinct_numbers(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    patient_id = assessed_patient(store, world.therapist_a, kb).assessment.patient_id

    def submit(index: int) -> None:
        services.submit_assessment(
            store, world.therapist_a, patient_id, assessment_data(), kb
        )

    assert _together(submit) == []
    history = services.latest_assessments(
        store, world.therapist_a, patient_id, limit=None
    )
    assert sorted(a.number for a in history) == list(range(1, WRITERS + 2))
    decisions = services.decisions_of_patient(store, world.therapist_a, patient_id)
    assert len(decisions) == WRITERS + 1


def test_a_writer_that_lost_the_race_for_a_version_tries_again() -> None:
    attempts: list[int] = []

    def attempt() -> str:
        attempts.append(1)
        if len(attempts) < 3:
            raise ConflictError("version taken", field="version")
        return "stored"

    assert retrying(attempt) == "stored"
    assert len(attempts) == 3


def test_other_conflicts_and_endless_races_are_not_hidden() -> None:
    def duplicate() -> None:
        raise ConflictError("record number taken", field="record_number")

    def always_lost() -> None:
        raise ConflictError("version taken", field="version")

    with pytest.raises(ConflictError, match="record number"):
        retrying(duplicate)
    with pytest.raises(ConflictError, match="version"):
        retrying(always_lost, attempts=3)
