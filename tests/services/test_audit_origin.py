"""Audit events say where they came from, lists are one event, and anonymous refusals
are counted instead of flooding the trail."""

from __future__ import annotations

import datetime as dt

from tests.pg import World

from spinewise import services
from spinewise.errors import ConflictError, NotFoundError
from spinewise.services import AuditFilter, Interface
from spinewise.services.access.anonymous import REFUSAL_WINDOW
from spinewise.store import AuditQuery, Store, open_store, utc_now
from spinewise.store.counters import window_of

SECRET = "a-test-secret-of-at-least-32-characters!"


def _register(store: Store, world: World, count: int) -> list[int]:
    return [
        services.register_patient(
            store, world.therapist_a, {"record_number": f"L-{n}", "name": f"Name {n}"}
        ).id
        for n in range(count)
    ]


def test_a_list_is_one_audit_event_naming_the_patients_by_id(
    store: Store, world: World
) -> None:
    ids = _register(store, world, 3)
    with store.unit_of_work() as uow:
        before = uow.audit.count()
    services.list_patients(store, world.therapist_a)
    with store.unit_of_work() as uow:
        assert uow.audit.count() == before + 1
        (row,) = uow.audit.query(AuditQuery(clinic_id=world.clinic_a, limit=1))
    assert row.action == "read" and row.patient_id is None
    assert row.patient_ids == "," + ",".join(str(i) for i in sorted(ids)) + ","
    assert "Name" not in str(row.detail)
    for patient_id in ids:
        found = services.list_audit(
            store, world.admin_a, AuditFilter(patient_id=patient_id, action="read")
        )
        assert [e.id for e in found] == [row.id]


def test_every_event_records_the_client_address_and_the_interface(
    store: Store, world: World
) -> None:
    web = world.therapist_a.via(Interface.WEB)
    with services.client_origin("192.0.2.7"):
        (patient_id,) = _register(store, world, 1)
        services.get_patient(store, web, patient_id)
    services.get_patient(store, world.therapist_a, patient_id)
    with store.unit_of_work() as uow:
        rows = uow.audit.query(AuditQuery(clinic_id=world.clinic_a, limit=3))
    assert [(r.interface, r.client_address) for r in reversed(rows)] == [
        ("cli", "192.0.2.7"),
        ("web", "192.0.2.7"),
        ("cli", "local"),
    ]


def _closed(store: Store, token: str) -> str:
    try:
        services.open_questionnaire_link(store, token, secret=SECRET)
    except NotFoundError:
        return "404"
    except ConflictError:
        return "410"
    return "200"


def test_a_thousand_bad_links_write_a_handful_of_audit_rows(
    store: Store, world: World
) -> None:
    (patient_id,) = _register(store, world, 1)
    link = services.create_questionnaire_link(
        store, world.therapist_a, patient_id, "nrs", secret=SECRET, valid_days=1
    )
    services.answer_questionnaire_link(store, link.token, [3], secret=SECRET)
    with store.unit_of_work() as uow:
        before = uow.audit.count()
    started = utc_now()
    with services.client_origin("198.51.100.9"):
        answers = {_closed(store, f"made-up-{n}") for n in range(995)}
        answers |= {_closed(store, link.token) for _ in range(5)}
    assert answers == {"404", "410"}
    # One row per kind of refusal and counting window; the windows are aligned to
    # the clock, so a slow run may straddle two of them.
    windows = {window_of(at, REFUSAL_WINDOW) for at in (started, utc_now())}
    with store.unit_of_work() as uow:
        assert 2 <= uow.audit.count() - before <= 2 * len(windows)
        rows = uow.audit.query(AuditQuery(clinic_id=world.clinic_a, limit=1))
    assert rows[0].client_address == "198.51.100.9"
    assert rows[0].patient_id == patient_id and rows[0].action == "denied"


def test_anonymous_requests_are_limited_per_address_across_processes(
    store: Store, world: World
) -> None:
    other_process = open_store(str(store.url.render_as_string(hide_password=False)))
    now = dt.datetime(2026, 12, 4, 10, 0, 5, tzinfo=dt.UTC)
    try:
        for shared in (store, other_process, store):
            assert services.admit_anonymous(shared, "203.0.113.5", 3, now=now) is None
        wait = services.admit_anonymous(other_process, "203.0.113.5", 3, now=now)
        assert wait == 55
        assert services.admit_anonymous(store, "203.0.113.6", 3, now=now) is None
        later = now + dt.timedelta(seconds=60)
        assert services.admit_anonymous(store, "203.0.113.5", 3, now=later) is None
    finally:
        other_process.dispose()
