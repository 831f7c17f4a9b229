"""The clinic's questionnaire texts through the services: imported by an
administrator, audited, per clinic; no link without texts (both databases)."""

from __future__ import annotations

import pytest
from tests.pg import World
from tests.services.builders import assessed_patient
from tests.text_packs import fake_pack, import_fake_texts

from spinewise import services
from spinewise.errors import ConflictError, InputError, PermissionDeniedError
from spinewise.kb import KnowledgeBase
from spinewise.models.outcome import Instrument
from spinewise.store import AuditQuery, Store

SECRET = "a test secret that is long enough to sign links"


def patient(store: Store, world: World, kb: KnowledgeBase) -> int:
    return assessed_patient(
        store, world.therapist_a, kb, record_number="T-1"
    ).assessment.patient_id


def link(store: Store, world: World, patient_id: int, instrument: str) -> str:
    return services.create_questionnaire_link(
        store, world.therapist_a, patient_id, instrument, secret=SECRET, valid_days=7
    ).token


def test_an_administrator_imports_a_pack_and_it_is_audited(
    store: Store, world: World
) -> None:
    pack = services.import_text_pack(
        store, world.admin_a, fake_pack("odi"), file="odi-en.yaml"
    )
    assert (pack.instrument, pack.language, pack.items) == (Instrument.ODI, "en", 10)
    with store.unit_of_work() as uow:
        events = uow.audit.query(
            AuditQuery(clinic_id=world.clinic_a, entity="questionnaire_text_pack")
        )
    assert [(e.username, e.action, e.detail["file"]) for e in events] == [
        ("admin-a", "create", "odi-en.yaml")
    ]


def test_only_administrators_import_texts(store: Store, world: World) -> None:
    with pytest.raises(PermissionDeniedError):
        services.import_text_pack(store, world.therapist_a, fake_pack("odi"))


def test_a_pack_in_the_wrong_shape_names_the_file_and_every_field(
    store: Store, world: World
) -> None:
    data = fake_pack("odi")
    data["items"][2]["options"].pop()
    data["items"][5]["text"] = ""
    with pytest.raises(InputError) as caught:
        services.import_text_pack(store, world.admin_a, data, file="odi.yaml")
    assert caught.value.file == "odi.yaml"
    assert [p.field for p in caught.value.problems] == [
        "items[2].options",
        "items[5].text",
    ]
    assert services.list_text_packs(store, world.admin_a) == []


def test_the_newest_import_is_in_force_and_packs_stay_in_their_clinic(
    store: Store, world: World
) -> None:
    import_fake_texts(store, world.admin_a, ("odi", "odi", "ndi"))
    packs = services.list_text_packs(store, world.admin_a)
    assert [(p.instrument.value, p.in_force) for p in packs] == [
        ("ndi", True),
        ("odi", True),
        ("odi", False),
    ]
    assert services.list_text_packs(store, world.admin_b) == []


def test_no_link_is_issued_without_texts_and_the_message_says_what_to_import(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    patient_id = patient(store, world, kb)
    import_fake_texts(store, world.admin_b, ("rmdq",))  # another clinic's
    with pytest.raises(ConflictError) as caught:
        link(store, world, patient_id, "rmdq")
    message = str(caught.value)
    assert caught.value.field == "instrument"
    assert "spinewise questionnaire texts import" in message
    assert "instrument: rmdq and language: en" in message


def test_the_patient_reads_the_clinics_texts_never_a_placeholder(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    patient_id = patient(store, world, kb)
    import_fake_texts(store, world.admin_a, ("startback",))
    view = services.open_questionnaire_link(
        store, link(store, world, patient_id, "startback"), secret=SECRET
    )
    assert view.title == "FAKE STARTBACK test pack"
    assert view.items[0].text.startswith("FAKE TEST ITEM 1")
    assert len(view.items[8].options) == 5
    assert not any("placeholder" in i.text for i in view.items)


def test_the_nrs_needs_no_import_in_english(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    patient_id = patient(store, world, kb)
    view = services.open_questionnaire_link(
        store, link(store, world, patient_id, "nrs"), secret=SECRET
    )
    assert "How strong is your back or neck pain" in view.items[0].text
