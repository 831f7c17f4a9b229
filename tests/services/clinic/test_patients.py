"""Registering and reading patients."""

from __future__ import annotations

import pytest
from tests.pg import World

from spinewise import services
from spinewise.errors import ConflictError, InputError, PermissionDeniedError
from spinewise.store import Store


def test_a_registered_patient_reads_back(store: Store, world: World) -> None:
    created = services.register_patient(
        store,
        world.therapist_a,
        {"record_number": "A-100", "name": "Ann Example", "birth_date": "1980-02-03"},
    )
    read = services.get_patient(store, world.physician_a, created.id)
    assert read == created
    assert (read.clinic_id, read.record_number, str(read.birth_date)) == (
        world.clinic_a,
        "A-100",
        "1980-02-03",
    )


def test_a_duplicate_record_number_is_refused_in_one_clinic_but_not_across(
    store: Store, world: World
) -> None:
    details = {"record_number": "DUP-1", "name": "First"}
    services.register_patient(store, world.therapist_a, details)
    with pytest.raises(ConflictError) as caught:
        services.register_patient(store, world.physician_a, details)
    assert caught.value.field == "record_number"
    other = services.register_patient(store, world.therapist_b, details)
    assert other.clinic_id == world.clinic_b


def test_a_malformed_patient_is_refused_naming_every_field(
    store: Store, world: World
) -> None:
    with pytest.raises(InputError) as caught:
        services.register_patient(
            store,
            world.therapist_a,
            {"record_number": "has space", "name": "", "birth_date": "yesterday"},
        )
    fields = {p.field for p in caught.value.problems}
    assert fields == {"record_number", "name", "birth_date"}
    assert services.list_patients(store, world.therapist_a) == []


def test_admins_do_not_handle_patients(store: Store, world: World) -> None:
    with pytest.raises(PermissionDeniedError):
        services.register_patient(
            store, world.admin_a, {"record_number": "X", "name": "X"}
        )


def test_listing_gives_the_clinics_patients_and_audits_the_list_once(
    store: Store, world: World
) -> None:
    mine = [
        services.register_patient(
            store, world.therapist_a, {"record_number": f"L-{i}", "name": f"P{i}"}
        )
        for i in range(3)
    ]
    services.register_patient(
        store, world.therapist_b, {"record_number": "L-9", "name": "Other"}
    )
    listed = services.list_patients(store, world.therapist_a)
    assert listed == mine
    reads = services.list_audit(
        store,
        world.admin_a,
        services.AuditFilter(action=services.Action.READ, entity="patient"),
    )
    (listing,) = reads  # one event for the whole list, naming each patient by id
    assert listing.patient_ids == [p.id for p in mine]
