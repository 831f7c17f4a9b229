"""The demo: every verdict, two isolated clinics, idempotent."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from tests.pg import World

from spinewise import services
from spinewise.errors import NotFoundError
from spinewise.kb import KnowledgeBase
from spinewise.models import Verdict
from spinewise.services import DEMO_USERS, Interface
from spinewise.store import AssessmentRow, DecisionRow, PatientRow, Store, UserRow


def _sizes(store: Store) -> list[int]:
    with store.unit_of_work() as uow:
        return [
            uow.session.scalar(select(func.count()).select_from(t)) or 0
            for t in (UserRow, PatientRow, AssessmentRow, DecisionRow)
        ]


def test_the_demo_covers_every_verdict_and_a_second_run_adds_nothing(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    first = services.seed_demo(store, kb)
    assert [p.verdict for p in first.patients] == [p.expected for p in first.patients]
    assert {p.verdict for p in first.patients} == set(Verdict)
    sizes = _sizes(store)
    second = services.seed_demo(store, kb)
    assert second.added == 0
    assert _sizes(store) == sizes


def test_demo_users_sign_in_with_the_printed_passwords_and_stay_in_their_clinic(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    summary = services.seed_demo(store, kb)
    assert set(summary.passwords) == {u.username for u in DEMO_USERS}
    actors = {
        u.username: services.authenticate(
            store, u.username, summary.passwords[u.username], Interface.CLI
        )
        for u in DEMO_USERS
    }
    assert all(actors.values())
    therapist, north = actors["therapist"], actors["north-therapist"]
    assert therapist is not None and north is not None
    theirs = [p for p in summary.patients if p.clinic == services.SECOND_CLINIC]
    with pytest.raises(NotFoundError):
        services.get_patient(store, therapist, theirs[0].patient_id)
    assert {p.id for p in services.list_patients(store, north)} == {
        p.patient_id for p in theirs
    }


def test_demo_passwords_are_random_meet_the_policy_and_are_kept_on_a_second_run(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    first = services.seed_demo(store, kb)
    assert len(set(first.passwords.values())) == len(DEMO_USERS)
    for username, password in first.passwords.items():
        assert services.password_problem(password, username) is None
    assert services.seed_demo(store, kb).passwords == {}
    renewed = services.seed_demo(store, kb, new_passwords=True)
    assert set(renewed.passwords) == set(first.passwords)
    old, new = first.passwords["admin"], renewed.passwords["admin"]
    assert old != new
    assert services.authenticate(store, "admin", old, Interface.CLI) is None
    assert services.authenticate(store, "admin", new, Interface.CLI) is not None
