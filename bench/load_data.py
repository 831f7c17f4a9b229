"""bench/load.py's database side: the seed the load runs against, and the count of
stored assessments that finds lost writes."""

from __future__ import annotations

import json
import secrets


def seed(url: str, patients: int) -> tuple[str, list[int], list[int], bytes]:
    """Clinic, therapist, token, patients with one assessment each."""
    from tests.factories import assessment_data

    from spinewise import services
    from spinewise.kb import load_kb
    from spinewise.store import open_store, upgrade

    store = open_store(url)
    upgrade(store)
    password = secrets.token_urlsafe(18)
    services.create_clinic(
        store, name="Load", admin_username="load-admin", admin_password=password
    )
    admin = services.authenticate(store, "load-admin", password, services.Interface.CLI)
    assert admin is not None
    user = services.create_user(
        store, admin, username="load", password=password,
        role=services.Role.THERAPIST, display_name="Load", temporary=False,
    )  # fmt: skip
    actor = services.authenticate(store, "load", password, services.Interface.API)
    assert actor is not None and user is not None
    token = services.issue_api_token(store, actor).token
    kb = load_kb()
    data = assessment_data()
    patient_ids, assessment_ids = [], []
    for n in range(patients):
        patient = services.register_patient(
            store, actor, {"record_number": f"L-{n}", "name": f"Load {n}"}
        )
        result = services.submit_assessment(store, actor, patient.id, data, kb)
        patient_ids.append(patient.id)
        assessment_ids.append(result.assessment.id)
    store.dispose()
    return token, patient_ids, assessment_ids, json.dumps(data, default=str).encode()


def count_assessments(url: str) -> int:
    from sqlalchemy import text

    from spinewise.store import open_store

    store = open_store(url)
    with store.engine.connect() as connection:
        count = int(
            connection.execute(text("SELECT count(*) FROM assessments")).scalar_one()
        )
    store.dispose()
    return count
