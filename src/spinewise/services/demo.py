"""``spinewise demo``: a demo clinic to try Spinewise on, and a second one for isolation.

Idempotent: clinics, users and patients are looked up before they are created, and a
patient who already has an assessment is left alone, so running it twice adds nothing.
The demo passwords are fixed and printed: never seed the demo into a real database.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from spinewise.errors import ConflictError
from spinewise.kb import KnowledgeBase
from spinewise.models import Verdict
from spinewise.services.accounts import create_clinic, create_user
from spinewise.services.actors import Actor, Interface, Role, actor_of
from spinewise.services.assessments import submit_assessment
from spinewise.services.clearance import record_clearance, request_clearance
from spinewise.services.patients import find_patient, register_patient
from spinewise.store import Store

DEMO_CLINIC = "Demo Spine Clinic"
SECOND_CLINIC = "Northside Back Care (demo)"


@dataclass(frozen=True)
class DemoUser:
    clinic: str
    username: str
    role: Role
    display_name: str
    password: str


DEMO_USERS = (
    DemoUser(DEMO_CLINIC, "admin", Role.ADMIN, "Demo Administrator", "demo-admin-2026"),
    DemoUser(
        DEMO_CLINIC,
        "physician",
        Role.PHYSICIAN,
        "Dr. Demo Petrova",
        "demo-physician-2026",
    ),
    DemoUser(
        DEMO_CLINIC,
        "therapist",
        Role.THERAPIST,
        "Demo Therapist",
        "demo-therapist-2026",
    ),
    DemoUser(
        SECOND_CLINIC, "north-admin", Role.ADMIN, "North Admin", "north-admin-2026"
    ),
    DemoUser(
        SECOND_CLINIC,
        "north-physician",
        Role.PHYSICIAN,
        "Dr. North",
        "north-physician-2026",
    ),
    DemoUser(
        SECOND_CLINIC,
        "north-therapist",
        Role.THERAPIST,
        "North Therapist",
        "north-therapist-2026",
    ),
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
    users: tuple[DemoUser, ...]
    patients: list[DemoPatient]

    @property
    def added(self) -> int:
        return sum(p.added for p in self.patients)


def demo_documents() -> list[dict[str, Any]]:
    """The demo patients (``services/demo/*.yaml``) in file-name order."""
    folder = resources.files("spinewise.services") / "demo"
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".yaml"))
    return [yaml.safe_load((folder / n).read_text(encoding="utf-8")) for n in names]


def _actors(store: Store, interface: Interface) -> dict[tuple[str, Role], Actor]:
    """Create what is missing of the demo clinics and users; their actors."""
    actors: dict[tuple[str, Role], Actor] = {}
    for user in DEMO_USERS:
        with store.unit_of_work() as uow:
            clinic = uow.clinics.by_name(user.clinic)
            existing = uow.users.by_username(user.username)
        if clinic is None and user.role is Role.ADMIN:
            create_clinic(
                store,
                name=user.clinic,
                admin_username=user.username,
                admin_password=user.password,
                admin_display_name=user.display_name,
                interface=interface,
            )
        elif existing is None:
            create_user(
                store,
                actors[(user.clinic, Role.ADMIN)],
                username=user.username,
                password=user.password,
                role=user.role,
                display_name=user.display_name,
            )
        with store.unit_of_work() as uow:
            row = uow.users.by_username(user.username)
            clinic = uow.clinics.by_name(user.clinic)
        if row is None or clinic is None or row.clinic_id != clinic.id:
            raise ConflictError(
                f"user {user.username!r} exists outside {user.clinic!r}; "
                "the demo needs an empty database",
                field="username",
            )
        actors[(user.clinic, user.role)] = actor_of(row, interface)
    return actors


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
    store: Store, kb: KnowledgeBase, *, interface: Interface = Interface.CLI
) -> DemoSummary:
    """Create (or complete) the demo clinics, users, patients and decisions."""
    actors = _actors(store, interface)
    patients = [_seed_patient(store, kb, doc, actors) for doc in demo_documents()]
    return DemoSummary(users=DEMO_USERS, patients=patients)
