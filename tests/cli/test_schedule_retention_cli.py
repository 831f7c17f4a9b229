"""``spinewise schedule`` and ``spinewise patients erase|retention`` end to end:
clear refusals (exit 2, nothing changed) and JSON for scripts."""

from __future__ import annotations

import json

from tests import pg
from tests.cli.running import as_user
from tests.services.builders import planned_patient

from spinewise import services
from spinewise.kb import KnowledgeBase
from spinewise.store import Store


def test_the_schedule_is_shown_and_a_move_into_the_past_is_refused(
    database_url: str, store: Store, world: pg.World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    shown = as_user(
        database_url, "therapist-a", "schedule", "show", str(plan.id), "--json"
    )
    assert shown.exit_code == 0, shown.stderr
    dates = json.loads(shown.stdout)
    assert dates[0] == {
        "plan_id": plan.id,
        "session_number": 1,
        "date": "2026-11-25",
        "time": None,
        "moved": False,
        "recorded": False,
    }
    moved = as_user(
        database_url, "therapist-a", "schedule", "move", str(plan.id), "2",
        "--date", "2000-01-01", "--reason", "holiday",
    )  # fmt: skip
    assert moved.exit_code == 2
    assert "date: 2000-01-01 is in the past" in moved.stderr
    again = as_user(
        database_url, "therapist-a", "schedule", "show", str(plan.id), "--json"
    )
    assert json.loads(again.stdout) == dates


def test_erasing_a_patient_in_an_open_course_is_refused_by_name(
    database_url: str, store: Store, world: pg.World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    erased = as_user(
        database_url, "admin-a", "patients", "erase", str(plan.patient_id), "--yes"
    )
    assert erased.exit_code == 2
    assert f"patient {plan.patient_id} has an open course" in erased.stderr
    assert "Traceback" not in erased.stderr


def test_an_administrator_erases_a_patient_registered_in_error(
    database_url: str, store: Store, world: pg.World
) -> None:
    patient = services.register_patient(
        store, world.therapist_a, {"record_number": "E-1", "name": "Mistaken Entry"}
    )
    erased = as_user(
        database_url, "admin-a", "patients", "erase", str(patient.id),
        "--reason", "registered_in_error", "--yes", "--json",
    )  # fmt: skip
    assert erased.exit_code == 0, erased.stderr
    assert json.loads(erased.stdout) == {"erased": [patient.id]}
    shown = services.get_patient(store, world.therapist_a, patient.id)
    assert shown.name == f"Erased patient {patient.id}"
    bad = as_user(
        database_url, "admin-a", "patients", "erase", "--reason", "x", "--yes"
    )
    assert bad.exit_code == 2


def test_the_retention_job_and_the_clinics_period_from_the_command_line(
    database_url: str, store: Store, world: pg.World
) -> None:
    period = as_user(database_url, "admin-a", "patients", "retention", "--years", "10")
    assert period.exit_code == 0, period.stderr
    assert "kept 10 years" in period.stdout
    job = as_user(database_url, "admin-a", "patients", "erase", "--expired", "--yes")
    assert job.exit_code == 0, job.stderr
    assert "erased 0 patients" in job.stdout
    refused = as_user(database_url, "therapist-a", "patients", "retention", "--default")
    assert refused.exit_code == 2
