"""``spinewise demo``: a demo clinic to try Spinewise on, and a second one for isolation.

Idempotent: clinics, users and patients are looked up before they are created, and a
patient who already has an assessment is left alone, so running it twice adds nothing.
Each demo user gets a random password that meets the password policy when it is
created (or, with ``new_passwords``, again); the passwords are returned once, to print,
and only their hashes are stored. Never seed the demo into a real database.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from spinewise.errors import N_, ConflictError
from spinewise.kb import KnowledgeBase
from spinewise.models import Verdict
from spinewise.services.access.accounts import create_clinic, create_user
from spinewise.services.access.actors import Actor, Interface, Role, actor_of
from spinewise.services.access.passwords import hash_password, random_password
from spinewise.services.access.signout import user_sessions_must_end
from spinewise.services.audit import Action, system_event
from spinewise.services.clinic.assessments import submit_assessment
from spinewise.services.clinic.clearance import record_clearance, request_clearance
from spinewise.services.clinic.consent import ConsentKind, record_consent
from spinewise.services.clinic.patients import find_patient, register_patient
from spinewise.store import Store, utc_now

DEMO_CLINIC = "Demo Spine Clinic"
SECOND_CLINIC = "Northside Back Care (demo)"


@dataclass(frozen=True)
class DemoUser:
    clinic: str
    username: str
    role: Role
    display_name: str


DEMO_USERS = (
    DemoUser(DEMO_CLINIC, "admin", Role.ADMIN, "Demo Administrator"),
    DemoUser(DEMO_CLINIC, "physician", Role.PHYSICIAN, "Dr. Demo Petrova"),
    DemoUser(DEMO_CLINIC, "therapist", Role.THERAPIST, "Demo Therapist"),
    DemoUser(SECOND_CLINIC, "north-admin", Role.ADMIN, "North Admin"),
    DemoUser(SECOND_CLINIC, "north-physician", Role.PHYSICIAN, "Dr. North"),
    DemoUser(SECOND_CLINIC, "north-therapist", Role.THERAPIST, "North Therapist"),
)
_CLINICS = {"main": DEMO_CLINIC, "second": SECOND_CLINIC}


@dataclass(frozen=True)
class DemoPatient:
    clinic: str
    record_number: str
    patient_id: int
    expected: Verdict
    verdict: Verdict | None
    added: bool


@dataclass(frozen=True)
class DemoSummary:
    """What the demo did; ``passwords`` holds the passwords set by this run, by
    username (a user who already existed keeps theirs and is absent)."""

    users: tuple[DemoUser, ...]
    patients: list[DemoPatient]
    passwords: dict[str, str]

    @property
    def added(self) -> int:
        return sum(p.added for p in self.patients)


def demo_documents() -> list[dict[str, Any]]:
    """The demo patients (``services/demo/*.yaml``) in file-name order."""
    folder = resources.files("spinewise.services") / "demo"
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".yaml"))
    return [yaml.safe_load((folder / n).read_text(encoding="utf-8")) for n in names]


def _demo_user(
    store: Store,
    user: DemoUser,
    actors: dict[tuple[str, Role], Actor],
    interface: Interface,
    new_passwords: bool,
) -> str | None:
    """Create the demo user (and their clinic) if missing; the password set, if any."""
    with store.unit_of_work() as uow:
        clinic = uow.clinics.by_name(user.clinic)
        existing = uow.users.by_username(user.username)
    password = random_password(user.username)
    if clinic is None and user.role is Role.ADMIN:
        create_clinic(
            store,
            name=user.clinic,
            admin_username=user.username,
            admin_password=password,
            admin_display_name=user.display_name,
            interface=interface,
        )
    elif existing is None:
        create_user(
            store,
            actors[(user.clinic, Role.ADMIN)],
            username=user.username,
            password=password,
            role=user.role,
            display_name=user.display_name,
            temporary=False,
        )
    elif new_passwords:
        with store.unit_of_work(write=True) as uow:
            row = uow.users.get(existing.id)
            if row is not None:
                uow.users.set_password(
                    row, hash_password(password), must_change=False, at=utc_now()
                )
                detail = {"password": "new demo password"}
                uow.audit.append(
                    [
                        system_event(
                            interface,
                            Action.CHANGE,
                            "user",
                            row.id,
                            clinic_id=row.clinic_id,
                            detail=detail,
                        )
                    ]
                )
                user_sessions_must_end(uow, row.id)
    else:
        return None
    return password


def _actors(
    store: Store, interface: Interface, new_passwords: bool
) -> tuple[dict[tuple[str, Role], Actor], dict[str, str]]:
    """Create what is missing of the demo clinics and users; their actors and the
    passwords set."""
    actors: dict[tuple[str, Role], Actor] = {}
    passwords: dict[str, str] = {}
    for user in DEMO_USERS:
        password = _demo_user(store, user, actors, interface, new_passwords)
        if password is not None:
            passwords[user.username] = password
        with store.unit_of_work() as uow:
            row = uow.users.by_username(user.username)
            clinic = uow.clinics.by_name(user.clinic)
        if row is None or clinic is None or row.clinic_id != clinic.id:
            raise ConflictError(
                N_(
                    "user {username!r} exists outside {clinic!r}; the demo needs an empty database",
                    username=user.username,
                    clinic=user.clinic,
                ),
                field="username",
            )
        actors[(user.clinic, user.role)] = actor_of(row, interface)
    return actors, passwords


def _seed_patient(
    store: Store,
    kb: KnowledgeBase,
    doc: dict[str, Any],
    actors: dict[tuple[str, Role], Actor],
) -> DemoPatient:
    clinic = _CLINICS[doc["clinic"]]
    therapist = actors[(clinic, Role.THERAPIST)]
    physician = actors[(clinic, Role.PHYSICIAN)]
    number = doc["patient"]["record_number"]
    patient = find_patient(store, therapist, number)
    expected = Verdict(doc["expect"])
    if patient is not None:
        return DemoPatient(clinic, number, patient.id, expected, None, added=False)
    patient = register_patient(store, therapist, doc["patient"])
    for kind in ConsentKind:  # the demo patients agreed at intake (fictitious)
        record_consent(store, therapist, patient.id, kind, given=True, note="Demo")
    result = submit_assessment(store, therapist, patient.id, doc["assessment"], kb)
    verdict = result.decision.decision.verdict
    if doc.get("clearance"):
        request_clearance(store, therapist, patient.id, note="Demo: please review.")
        outcome = record_clearance(store, physician, patient.id, doc["clearance"], kb)
        verdict = outcome.screening.decision.verdict
    if doc.get("request_clearance"):
        request_clearance(store, therapist, patient.id, note=doc["request_clearance"])
    return DemoPatient(clinic, number, patient.id, expected, verdict, added=True)


def seed_demo(
    store: Store,
    kb: KnowledgeBase,
    *,
    interface: Interface = Interface.CLI,
    new_passwords: bool = False,
) -> DemoSummary:
    """Create (or complete) the demo clinics, users, patients and decisions;
    ``new_passwords`` gives the demo users who already exist new passwords too."""
    actors, passwords = _actors(store, interface, new_passwords)
    patients = [_seed_patient(store, kb, doc, actors) for doc in demo_documents()]
    return DemoSummary(users=DEMO_USERS, patients=patients, passwords=passwords)
