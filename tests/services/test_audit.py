"""The audit trail: who read, created, changed or exported what, when, from where."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tests.pg import World
from tests.services.builders import approve, assessed_patient

from spinewise import services
from spinewise.errors import NotFoundError, PermissionDeniedError
from spinewise.kb import KnowledgeBase
from spinewise.services import Action, AuditFilter, Interface, client_origin
from spinewise.services.audit import event, log_reads
from spinewise.store import AuditQuery, Store, utc_now


def _trail(store: Store, world: World, **filters: object) -> list[tuple[str, ...]]:
    entries = services.list_audit(
        store, world.admin_a, AuditFilter.model_validate(filters)
    )
    return [
        (e.username or "", e.interface, e.action, e.entity) for e in reversed(entries)
    ]


def test_reads_and_changes_of_patient_data_are_audited_with_the_interface(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    web = world.therapist_a.via(Interface.WEB)
    result = assessed_patient(store, web, kb)
    patient_id = result.assessment.patient_id
    services.get_patient(store, world.physician_a.via(Interface.API), patient_id)
    approve(store, world.physician_a.via(Interface.FHIR), patient_id, kb)
    assert _trail(store, world, patient_id=patient_id) == [
        ("therapist-a", "web", "create", "patient"),
        ("therapist-a", "web", "create", "consent"),
        ("therapist-a", "web", "create", "consent"),
        ("therapist-a", "web", "create", "consent"),
        ("therapist-a", "web", "create", "assessment"),
        ("therapist-a", "web", "create", "decision"),
        ("physician-a", "api", "read", "patient"),
        ("physician-a", "fhir", "create", "clearance"),
        ("physician-a", "fhir", "create", "decision"),
    ]


def test_refusals_are_audited(store: Store, world: World, kb: KnowledgeBase) -> None:
    other = assessed_patient(store, world.therapist_b, kb).assessment.patient_id
    with pytest.raises(NotFoundError):
        services.get_patient(store, world.therapist_a, other)
    with pytest.raises(PermissionDeniedError):
        services.list_patients(store, world.admin_a)
    denied = services.list_audit(
        store, world.admin_a, AuditFilter(action=Action.DENIED)
    )
    assert [(e.username, e.entity, e.entity_id) for e in reversed(denied)] == [
        ("therapist-a", "patient", str(other)),
        ("admin-a", "(permission)", None),
    ]


def test_the_trail_filters_by_user_action_entity_interface_and_time(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    start = utc_now() - dt.timedelta(seconds=1)
    assessed_patient(store, world.therapist_a, kb, record_number="F-1")
    assessed_patient(store, world.physician_a.via(Interface.WEB), kb, "F-2")
    assert {u for u, *_ in _trail(store, world, username="physician-a")} == {
        "physician-a"
    }
    assert _trail(store, world, interface="web", entity="patient") == [
        ("physician-a", "web", "create", "patient")
    ]
    assert (
        len(_trail(store, world, action="create", since=start)) == 12
    )  # 3 consents each
    before = _trail(store, world, until=start)  # the world's own setting up
    assert before and all(entity in ("clinic", "user") for *_, entity in before)
    assert len(_trail(store, world, limit=2)) == 2


def test_reading_the_trail_is_itself_audited(store: Store, world: World) -> None:
    services.list_audit(store, world.admin_a, AuditFilter(username="nobody"))
    reads = services.list_audit(store, world.admin_a, AuditFilter(entity="audit"))
    assert reads[-1].detail == {"username": "nobody", "limit": 100}


def test_sign_ins_and_backups_are_audited(
    store: Store, world: World, tmp_path: Path
) -> None:
    services.authenticate(store, "therapist-a", "wrong password", Interface.WEB)
    entries = services.list_audit(
        store, world.admin_a, AuditFilter(action=Action.LOGIN_FAILED)
    )
    assert [(e.username, e.interface) for e in entries] == [("therapist-a", "web")]
    services.backup(store, tmp_path / "copy.backup")
    with store.unit_of_work() as uow:
        exports = uow.audit.query(AuditQuery(clinic_id=None, action="export"))
    assert [(e.entity, e.interface) for e in exports] == [("database", "cli")]


def test_the_event_of_one_read_is_the_one_event_makes(
    store: Store, world: World
) -> None:
    actor = world.therapist_a.via(Interface.API)
    with client_origin("203.0.113.9"), store.reading() as uow:
        log_reads(uow, actor, "assessment", [(11, 42)], detail={"why": "care"})
        log_reads(uow, actor, "assessment", iter([(12, None)]))
        made = [
            event(actor, Action.READ, "assessment", 42, patient_id=11, detail={"why": "care"}),
            event(actor, Action.READ, "assessment", None, patient_id=12),
        ]  # fmt: skip
        assert [{**e, "at": None} for e in uow.audit.pending] == [
            {"at": None, **e} for e in made
        ]
        assert [list(e)[1:] for e in uow.audit.pending] == [list(e) for e in made]
