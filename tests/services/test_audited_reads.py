"""Audited reads: a reading transaction, the event committed (batched) before the end."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from tests.pg import World
from tests.services.builders import assessed_patient

from spinewise import services
from spinewise.errors import NotFoundError, PermissionDeniedError, StoreError
from spinewise.kb import KnowledgeBase
from spinewise.services import Action, AuditFilter
from spinewise.services.unit import reading
from spinewise.store import AuditWriter, Store
from spinewise.store.audit_spool import AuditSpool


def _reads(store: Store, world: World) -> list[str | None]:
    entries = services.list_audit(
        store, world.admin_a, AuditFilter(action=Action.READ, entity="assessment")
    )
    return [e.entity_id for e in entries]


def test_a_read_returns_only_once_its_event_is_committed(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    stored = assessed_patient(store, world.therapist_a, kb).assessment
    services.get_assessment(store, world.therapist_a, stored.id)
    assert _reads(store, world) == [str(stored.id)]


def test_reads_waiting_together_are_committed_in_one_transaction(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    stored = assessed_patient(store, world.therapist_a, kb).assessment
    transactions = []
    gate = threading.Event()
    write = store._audit_sink.write

    def counted(events: list[dict[str, Any]], via: Any) -> None:
        gate.wait(timeout=30)  # the first batch waits until every reader queued
        transactions.append(len(events))
        write(events, via)

    store.audit_writer = AuditWriter(counted)
    readers = [
        threading.Thread(
            target=services.get_assessment, args=(store, world.therapist_a, stored.id)
        )
        for _ in range(6)
    ]
    for reader in readers:
        reader.start()
    while store.audit_writer.waiting() < 5:  # the first is writing, five queue
        threading.Event().wait(0.01)
    gate.set()
    for reader in readers:
        reader.join(timeout=30)
    assert _reads(store, world) == [str(stored.id)] * 6
    assert transactions == [1, 5]  # the first reader alone, then the five together


def test_a_read_whose_event_cannot_be_written_fails(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    stored = assessed_patient(store, world.therapist_a, kb).assessment

    def broken(events: list[dict[str, Any]], via: Any) -> None:
        raise StoreError("database error: disk full")

    store.audit_writer = AuditWriter(broken)
    with pytest.raises(StoreError, match="disk full"):
        services.get_assessment(store, world.therapist_a, stored.id)


def test_a_read_of_another_clinics_assessment_is_refused_and_the_refusal_audited(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    stored = assessed_patient(store, world.therapist_a, kb).assessment
    with pytest.raises(NotFoundError):
        services.get_assessment(store, world.therapist_b, stored.id)
    with pytest.raises(NotFoundError):
        services.latest_assessments(store, world.therapist_b, stored.patient_id)
    denied = services.list_audit(
        store, world.admin_b, AuditFilter(action=Action.DENIED)
    )
    assert [(e.username, e.entity, e.entity_id) for e in denied] == [
        ("therapist-b", "patient", str(stored.patient_id)),
        ("therapist-b", "assessment", str(stored.id)),
    ]
    assert _reads(store, world) == []


def test_a_deactivated_user_can_no_longer_read_through_the_reading_unit(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    stored = assessed_patient(store, world.therapist_a, kb).assessment
    services.latest_assessments(store, world.therapist_a, stored.patient_id)
    services.set_user_active(store, world.admin_a, world.therapist_a.user_id, False)
    with pytest.raises(PermissionDeniedError):
        services.get_assessment(store, world.therapist_a, stored.id)
    assert _reads(store, world) == [str(stored.id)]  # only the read before


def test_the_trail_read_right_after_a_read_shows_it_even_before_the_flusher_ran(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    stored = assessed_patient(store, world.therapist_a, kb).assessment
    if isinstance(store.audit_writer, AuditSpool):  # a SQLite file: a slow flusher
        store.audit_writer.close()
        directory = store.audit_writer.directory
        store.audit_writer = AuditSpool(directory, store._audit_sink.run, period=3600)
    services.get_assessment(store, world.therapist_a, stored.id)
    if isinstance(store.audit_writer, AuditSpool):
        assert store.audit_writer.pending()  # spooled, not yet imported
    assert _reads(store, world) == [str(stored.id)]


def test_a_one_statement_read_must_read_the_standing_with_its_data(
    store: Store, world: World
) -> None:
    with (
        pytest.raises(ValueError, match="standing"),
        reading(store, world.therapist_a, one_statement=True),
    ):
        pass  # pragma: no cover
