"""Every FHIR export of the demo clinics, made once per test module: the first with
the knowledge base, as ``spinewise export fhir --with-kb`` gives it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from spinewise import services
from spinewise.kb import KnowledgeBase
from spinewise.services import DEMO_USERS, Actor, Interface, export_fhir_record
from spinewise.store import Store, open_store, upgrade


def demo_store(folder: Path, kb: KnowledgeBase) -> tuple[Store, dict[str, Actor]]:
    """A migrated SQLite store holding the demo, and each demo clinic's therapist."""
    store = open_store(f"sqlite:///{folder / 'demo.sqlite3'}")
    upgrade(store)
    summary = services.seed_demo(store, kb)
    actors = {}
    for user in DEMO_USERS:
        password = summary.passwords[user.username]
        actor = services.authenticate(store, user.username, password, Interface.CLI)
        assert actor is not None
        actors[user.username] = actor
    clinicians = {
        services.SECOND_CLINIC: actors["north-therapist"],
        "": actors["therapist"],
    }
    by_clinic = {
        p.record_number: clinicians.get(p.clinic, clinicians[""])
        for p in summary.patients
    }
    return store, by_clinic


def demo_exports(
    store: Store, therapists: dict[str, Actor], kb: KnowledgeBase
) -> dict[str, dict[str, Any]]:
    """Each demo patient's Bundle by record number; the first also ``+kb``."""
    exports: dict[str, dict[str, Any]] = {}
    for index, (number, actor) in enumerate(therapists.items()):
        patient = services.find_patient(store, actor, number)
        assert patient is not None
        name = f"{number}+kb" if index == 0 else number
        exports[name] = export_fhir_record(
            store, actor, patient.id, kb=kb if index == 0 else None
        )
    return exports
