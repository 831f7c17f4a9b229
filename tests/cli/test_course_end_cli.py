"""``spinewise course end``: a course ended early from the command line, in English
and in Russian, with clear refusals (exit 2) and JSON for scripts."""

from __future__ import annotations

import json

from tests import pg
from tests.cli.running import SECRET_KEY, as_user, runner
from tests.services.builders import planned_patient

from spinewise import services
from spinewise.cli import app
from spinewise.kb import KnowledgeBase
from spinewise.services import PlanStatus
from spinewise.store import Store


def test_a_therapist_discontinues_a_course_and_the_json_says_what_was_cancelled(
    database_url: str, store: Store, world: pg.World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    ended = as_user(
        database_url, "therapist-a", "course", "end", str(plan.id),
        "--ending", "discontinued", "--reason", "patient_request", "--json",
    )  # fmt: skip
    assert ended.exit_code == 0, ended.stderr
    document = json.loads(ended.stdout)
    assert (document["plan_id"], document["ending"]) == (plan.id, "discontinued")
    assert document["cancelled_sessions"] == [
        s.number for s in plan.plan.courses[0].sessions
    ]
    assert services.get_plan(store, world.therapist_a, plan.id).status is (
        PlanStatus.COMPLETED
    )
    again = as_user(
        database_url, "therapist-a", "course", "end", str(plan.id),
        "--ending", "discontinued", "--reason", "patient_request",
    )  # fmt: skip
    assert again.exit_code == 2
    assert "only an active or suspended course ends" in again.stderr
    assert "Traceback" not in again.stderr


def test_the_reason_other_without_a_note_is_refused_naming_the_field(
    database_url: str, store: Store, world: pg.World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    refused = as_user(
        database_url, "physician-a", "course", "end", str(plan.id),
        "--ending", "completed_early", "--reason", "other",
    )  # fmt: skip
    assert refused.exit_code == 2
    assert "needs a note" in refused.stderr
    assert services.get_plan(store, world.therapist_a, plan.id).status is (
        PlanStatus.ACTIVE
    )


def test_ending_a_course_speaks_english_and_russian(
    database_url: str, store: Store, world: pg.World, kb: KnowledgeBase
) -> None:
    first = planned_patient(store, world, kb)
    second = planned_patient(store, world, kb, number="P-2")
    sessions = len(first.plan.courses[0].sessions)
    english = as_user(
        database_url, "therapist-a", "course", "end", str(first.id),
        "--ending", "completed_early", "--reason", "goals_met",
    )  # fmt: skip
    assert english.exit_code == 0, english.stderr
    assert english.stdout.startswith(
        f"plan {first.id}: course ended (completed_early, goals_met); "
        f"{sessions} planned sessions cancelled"
    )
    assert "the discharge questionnaire stays due" in english.stdout
    env = {
        "SPINEWISE_DATABASE_URL": database_url,
        "SPINEWISE_USER": "therapist-a",
        "SPINEWISE_PASSWORD": pg.PASSWORD,
        "SPINEWISE_SECRET_KEY": SECRET_KEY,
    }
    russian = runner.invoke(
        app,
        ["--lang", "ru", "course", "end", str(second.id),
         "--ending", "discontinued", "--reason", "no_improvement"],
        env=env,
    )  # fmt: skip
    assert russian.exit_code == 0, russian.stderr
    assert russian.stdout.startswith(
        f"план {second.id}: курс завершён (discontinued, no_improvement); отменено "
    )
    assert "опросник при завершении курса остаётся" in russian.stdout
