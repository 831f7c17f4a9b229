"""The Core writing transaction (store/core_write.py), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.pg import World

from spinewise.errors import InputError
from spinewise.store import AuditQuery, CdsCards, CoreWrite, Store, utc_now

LATER = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


def _card(clinic_id: int, uuid: str) -> dict[str, object]:
    return {
        "card_uuid": uuid,
        "clinic_id": clinic_id,
        "service_id": "spinewise-patient-view",
        "rule": "verdict",
        "indicator": "info",
        "overridable": True,
        "hook_instance": "hook-1",
        "issuer": "https://ehr.example.test",
    }


def test_a_value_is_claimed_once_and_again_once_it_expired(store: Store) -> None:
    def claim(tx: CoreWrite) -> bool:
        return tx.claim_nonce("cds-jti", "j-1", LATER)

    assert store.unflushed_core(claim) is True
    assert store.unflushed_core(claim) is False

    def expire_then_claim(tx: CoreWrite) -> bool:
        tx.delete_expired_nonces(LATER)
        return claim(tx)

    assert store.unflushed_core(expire_then_claim) is True


def test_cards_shown_twice_are_stored_once_with_their_audit_event(
    store: Store, world: World
) -> None:
    event = {
        "clinic_id": world.clinic_a,
        "interface": "cds",
        "action": "read",
        "entity": "cds_hook",
        "entity_id": "hook-1",
        "username": "https://ehr.example.test",
        "detail": {"cards": ["verdict"]},
    }

    def record(tx: CoreWrite) -> None:
        tx.add_cards_shown([_card(world.clinic_a, "u-1"), _card(world.clinic_a, "u-1")])
        tx.append_audit([event])

    store.unflushed_core(record)
    store.unflushed_core(record)
    with store.unit_of_work() as uow:
        shown = CdsCards(uow.session).shown_counts(world.clinic_a)
        events = uow.audit.query(AuditQuery(world.clinic_a, entity="cds_hook"))
    assert shown == {"verdict": (1, 1)}
    assert [(e.entity_id, e.detail, e.patient_id) for e in events] == [
        ("hook-1", {"cards": ["verdict"]}, None)
    ] * 2
    assert events[0].at <= utc_now()


def test_a_failed_transaction_leaves_nothing_and_nul_text_is_refused(
    store: Store, world: World
) -> None:
    def half(tx: CoreWrite) -> None:
        tx.claim_nonce("cds-jti", "j-2", LATER)
        tx.add_cards_shown([_card(world.clinic_a, "bad\x00uuid")])

    with pytest.raises(InputError):
        store.unflushed_core(half)
    assert store.unflushed_core(lambda tx: tx.claim_nonce("cds-jti", "j-2", LATER))
