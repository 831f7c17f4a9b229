"""``--json`` on every command that prints data (#16): the command table is walked, every
data command takes ``--json``, and a clinic's day runs each of them once with it and
reads what it printed as JSON (one document, or JSON lines for the audit trail)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests import pg
from tests.cli.commands import ALWAYS_JSON, NOT_DATA, leaf_commands, takes_json
from tests.cli.running import SECRET_KEY, runner
from tests.conftest import CASES
from tests.factories import make_assessment
from tests.services.builders import approve, assessed_patient
from tests.text_packs import fake_pack
from typer.testing import Result

from spinewise import services
from spinewise.cli import app
from spinewise.interop import PatientInfo, assessment_bundle, to_json
from spinewise.kb import KnowledgeBase, bundled_kb_path
from spinewise.store import Store

CASE = str(CASES / "01-clean-proceed.yaml")
JSON_LINES = {"audit"}


def test_every_command_that_prints_data_takes_json() -> None:
    commands = leaf_commands()
    assert set(NOT_DATA) | ALWAYS_JSON <= set(commands)
    missing = [
        path
        for path, command in commands.items()
        if path not in NOT_DATA and path not in ALWAYS_JSON and not takes_json(command)
    ]
    assert missing == []


def test_json_commands_are_listed_as_such_in_the_reference() -> None:
    page = Path("docs/cli.md").read_text(encoding="utf-8")
    assert "- `--json`: print JSON (codes stay codes)" in page
    assert "`--quiet`, `-q`" in page and "`--lang`" in page


class Day:
    """Runs ``spinewise PATH ARGS --json`` as a user and keeps the paths it ran."""

    def __init__(self, url: str, tmp_path: Path) -> None:
        self.url, self.tmp_path, self.ran = url, tmp_path, set[str]()

    def invoke(self, path: str, *args: str, user: str | None = None) -> Result:
        env = {
            "SPINEWISE_DATABASE_URL": self.url,
            "SPINEWISE_PASSWORD": pg.PASSWORD,
            "SPINEWISE_NEW_PASSWORD": "a new password long enough 1",
            "SPINEWISE_SECRET_KEY": SECRET_KEY,
            "SPINEWISE_USER": user or "",
        }
        flag = [] if path in ALWAYS_JSON else ["--json"]
        result = runner.invoke(app, [*path.split(), *args, *flag], env=env)
        assert result.exit_code == 0, (path, result.stderr)
        self.ran.add(path)
        return result

    def json(self, path: str, *args: str, user: str | None = None) -> Any:
        out = self.invoke(path, *args, user=user).stdout
        if path in JSON_LINES:
            return [json.loads(line) for line in out.splitlines()]
        return json.loads(out)

    def file(self, name: str, data: object) -> str:
        target = self.tmp_path / name
        target.write_text(yaml.safe_dump(data), encoding="utf-8")
        return str(target)


def _records(day: Day, patient: str) -> None:
    day.json("kb check")
    assert day.json("screen", CASE)["verdict"] == "proceed"
    added = day.json("patients add", "J-1", "Ann Json", user="therapist-a")
    ann = str(added["id"])
    day.json("screen", CASE, "--save", "--patient", ann, user="therapist-a")
    assert day.json("patients list", "--search", "json", user="therapist-a")["total"]
    shown = day.json("patients show", ann, user="therapist-a")
    assessment = str(shown["assessments"][0]["id"])
    day.json("patients export", patient, user="physician-a")
    day.json("assessments amend", assessment, CASE, user="therapist-a")
    current = day.json("patients show", ann, user="therapist-a")["assessments"][0]
    day.json("assessments screen", str(current["id"]), user="therapist-a")
    day.json("clearance request", ann, user="therapist-a")
    assert day.json("clearance pending", user="physician-a")
    day.json("clearance record", ann, "--approve", user="physician-a")
    assert day.json("clearance show", ann, user="physician-a")
    day.json("replay", user="physician-a")
    assert day.json("audit", user="admin-a")


def _course(day: Day, patient: str) -> None:
    plan = day.json("plan", patient, "--start", "2026-11-25", user="therapist-a")
    first = plan["plan"]["courses"][0]
    session = {
        "session_number": 1,
        "performed_on": first["sessions"][0]["date"],
        "modality": first["modality"],
        "steps_done": [1],
        "pain_nrs_before": 3,
        "pain_nrs_after": 2,
    }
    recorded = day.json(
        "session record", patient, "--file", day.file("s.yaml", session),
        user="therapist-a",
    )  # fmt: skip
    note = str(recorded["note"]["id"])
    day.json(
        "session amend", note, "--file", day.file("s2.yaml", session),
        "--reason", "typo", user="therapist-a",
    )  # fmt: skip
    assert day.json("session list", patient, user="therapist-a")
    response = {"instrument": "nrs", "answered_on": "2026-11-20", "answers": [4]}
    day.json(
        "questionnaire record", patient, "--file", day.file("r.yaml", response),
        user="therapist-a",
    )  # fmt: skip
    assert day.json("outcomes", patient, user="therapist-a")["series"]
    day.json("questionnaire link", patient, "nrs", user="therapist-a")
    day.json("questionnaire email", patient, "nrs", user="therapist-a")
    assert day.json("outbox", user="therapist-a")
    assert day.json("outbox deliver", user="therapist-a")["logged"] == 1
    pack = day.file("ndi.yaml", fake_pack("ndi"))
    day.json("questionnaire texts import", pack, user="admin-a")
    assert day.json("questionnaire texts list", user="admin-a")


def _schedule_and_messages(day: Day, patient: str, therapist: int) -> None:
    plan = str(day.json("plan", patient, user="therapist-a")["id"])
    dates = day.json("schedule show", plan, user="therapist-a")
    last = dates[-1]
    after = max(dt.date.fromisoformat(last["date"]), dt.date.today())
    later = (after + dt.timedelta(days=1)).isoformat()
    moved = day.json(
        "schedule move", plan, str(last["session_number"]), "--date", later,
        "--reason", "holiday", user="therapist-a",
    )  # fmt: skip
    assert moved["date"] == later
    assigned = day.json("schedule assign", plan, str(therapist), user="therapist-a")
    assert assigned == {"plan_id": int(plan), "therapist_id": therapist}
    assert isinstance(day.json("questionnaire due", user="therapist-a"), list)
    link = day.json("questionnaire link", patient, "ndi", user="therapist-a")
    cancelled = day.json("questionnaire cancel", str(link["id"]), user="therapist-a")
    assert cancelled["id"] == link["id"]
    sent = day.json("questionnaire email", patient, "ndi", user="therapist-a")
    again = day.json("outbox resend", str(sent["id"]), user="therapist-a")
    assert again["status"] == "pending" and again["id"] != sent["id"]
    gone = day.json("outbox cancel", str(again["id"]), user="therapist-a")
    assert gone["status"] == "cancelled"
    ended = day.json(
        "course end", plan, "--ending", "completed_early", "--reason", "goals_met",
        user="therapist-a",
    )  # fmt: skip
    assert ended["plan_id"] == int(plan) and ended["ending"] == "completed_early"
    assert "scheduled" in day.json("reminders run")


def _retention(day: Day) -> None:
    assert day.json("patients retention", "--years", "10", user="admin-a") == {
        "retention_years": 10,
        "clinic_own": True,
    }
    mistaken = str(
        day.json("patients add", "E-1", "Ann Error", user="therapist-a")["id"]
    )
    erased = day.json(
        "patients erase", mistaken, "--reason", "registered_in_error", "--yes",
        user="admin-a",
    )  # fmt: skip
    assert erased == {"erased": [int(mistaken)]}
    job = day.json("patients erase", "--expired", "--yes", user="admin-a")
    assert job == {"erased": [], "refused": {}}


def _interop(day: Day, patient: str) -> None:
    day.json("export fhir", patient, user="therapist-a")
    bundle = assessment_bundle(PatientInfo(key="J-9", name="Ann Bundle"),
                               make_assessment(), "ehr-1")  # fmt: skip
    path = day.tmp_path / "bundle.json"
    path.write_text(json.dumps(to_json(bundle)), encoding="utf-8")
    day.json("import fhir", str(path), "--register", user="therapist-a")
    assert day.json("feedback report", user="physician-a") == []


def _accounts(day: Day) -> None:
    added = day.json("users add", "jo", "--role", "therapist", "--name", "Jo",
                     user="admin-a")  # fmt: skip
    jo = str(added["id"])
    assert len(day.json("users list", user="admin-a")) == 4
    assert (
        day.json("users role", jo, "physician", user="admin-a")["role"] == "physician"
    )
    assert day.json("users deactivate", jo, user="admin-a")["active"] is False
    assert day.json("users reactivate", jo, user="admin-a")["active"] is True
    assert day.json("users reset", jo, user="admin-a")["temporary_password"]
    day.json("users reset-two-factor", jo, user="admin-a")
    token = day.json("token issue", user="admin-a")
    assert token["token"] and day.json("token list", user="admin-a")
    assert day.json("token revoke", str(token["id"]), user="admin-a")["revoked"]
    created = day.json("clinic create", "Gamma", "--admin", "gamma-admin")
    assert created["administrator"]["username"] == "gamma-admin"
    assert day.json("keys encrypt-totp")["plain"] == 0  # nobody has enrolled
    assert day.json("keys status")["other_key"] == 0


def _cohorts_and_database(day: Day) -> None:
    cohort, kb = str(day.tmp_path / "c.parquet"), str(bundled_kb_path())
    assert day.json("cohort generate", "40", cohort)["rows"] == 40
    assert day.json("cohort screen", cohort)["assessments"] == 40
    assert day.json("cohort diff", cohort, "--kb", kb, "--kb", kb)["changed"] == 0
    day.json("cohort export", str(day.tmp_path / "e.parquet"), user="physician-a")
    assert day.json("db status")["up_to_date"] is True
    day.json("db upgrade")
    day.json("db backup", str(day.tmp_path / "copy.sqlite3"))
    assert day.json("demo")["added"] > 0
    day.url = f"sqlite:///{day.tmp_path / 'scratch.sqlite3'}"
    day.json("db upgrade")
    assert day.json("db downgrade", "base", "--yes")["revision"] is None


@pytest.mark.parametrize("backend", ["sqlite"])  # the output, not the store, is tested
def test_a_day_of_json_commands_prints_json_from_each(
    database_url: str,
    store: Store,
    world: pg.World,
    kb: KnowledgeBase,
    tmp_path: Path,
) -> None:
    screened = assessed_patient(store, world.therapist_a, kb, record_number="C-1")
    patient_id = screened.assessment.patient_id
    approve(store, world.physician_a, patient_id, kb)
    services.set_patient_contact(
        store, world.therapist_a, patient_id, email="c1@example.org", language="en"
    )
    day, patient = Day(database_url, tmp_path), str(patient_id)
    _records(day, patient)
    _course(day, patient)
    _schedule_and_messages(day, patient, world.actors["therapist_a"].user_id)
    _retention(day)
    _interop(day, patient)
    _accounts(day)
    _cohorts_and_database(day)
    expected = {
        path
        for path, command in leaf_commands().items()
        if takes_json(command) or path in ALWAYS_JSON
    }
    assert day.ran == expected
