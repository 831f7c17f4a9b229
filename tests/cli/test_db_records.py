"""The record-keeping commands: demo, patients, screen --save, clearance, audit, replay."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.cli.demo_logins import demo_passwords
from tests.cli.running import DEMO_PASSWORDS, as_user, runner
from tests.conftest import CASES
from typer.testing import Result

from spinewise.cli import app
from spinewise.kb import bundled_kb_path

PASSWORDS = DEMO_PASSWORDS  # filled by demo() from what it prints


def demo(url: str) -> Result:
    run = runner.invoke(app, ["demo"], env={"SPINEWISE_DATABASE_URL": url})
    assert run.exit_code == 0, run.stderr
    PASSWORDS.update(demo_passwords(run.stdout))
    return run


def test_the_demo_prints_its_users_and_runs_twice_without_duplicates(
    empty_database_url: str,
) -> None:
    runner.invoke(
        app, ["db", "upgrade"], env={"SPINEWISE_DATABASE_URL": empty_database_url}
    )
    first = demo(empty_database_url)
    assert "Demo Spine Clinic" in first.stdout
    assert PASSWORDS["physician"] in first.stdout
    assert "13 patient(s) added" in first.stdout
    assert "0 patient(s) added" in demo(empty_database_url).stdout
    listed = as_user(empty_database_url, "therapist", "patients", "list")
    assert listed.exit_code == 0, listed.stderr
    assert listed.stdout.count("DSC-") == 11
    assert "NBC-" not in listed.stdout


def test_a_clinic_day_from_screening_to_clearance(
    empty_database_url: str, tmp_path: Path
) -> None:
    url = empty_database_url
    runner.invoke(app, ["db", "upgrade"], env={"SPINEWISE_DATABASE_URL": url})
    demo(url)
    example = str(CASES / "01-clean-proceed.yaml")
    saved = as_user(
        url, "therapist", "screen", example, "--save", "--patient", "2", "--json"
    )
    assert saved.exit_code == 0, saved.stderr
    assert json.loads(saved.stdout)["verdict"] == "awaiting_clearance"
    assert "saved 01-clean-proceed.yaml: patient 2" in saved.stderr

    requested = as_user(url, "therapist", "clearance", "request", "2", "--note", "ok?")
    assert requested.exit_code == 0, requested.stderr
    pending = as_user(url, "physician", "clearance", "pending")
    assert "Boris Lind" in pending.stdout
    found = as_user(url, "therapist", "patients", "list", "--search", "LIND", "--json")
    assert found.exit_code == 0, found.stderr
    listed = json.loads(found.stdout)
    assert listed["total"] == 1 and listed["patients"][0]["name"] == "Boris Lind"
    target = tmp_path / "boris.json"
    exported = as_user(
        url, "physician", "patients", "export", "2", "--out", str(target)
    )
    assert exported.exit_code == 0, exported.stderr
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["patient"]["name"] == "Boris Lind"
    assert len(document["assessments"]) == 2 and document["clearances"]

    recorded = as_user(
        url,
        "physician",
        "clearance",
        "record",
        "2",
        "--approve",
        "--only",
        "classical",
        "--valid-until",
        "2026-12-31",
        "--reason",
        "gentle",
    )
    assert recorded.exit_code == 0, recorded.stderr
    assert "re-screened" in recorded.stdout and "proceed" in recorded.stdout
    shown = as_user(url, "therapist", "patients", "show", "2", "--json")
    overview = json.loads(shown.stdout)
    assert overview["clearance"]["excluded_modalities"] == ["vacuum", "hydromassage"]

    audit = as_user(url, "admin", "audit", "--patient", "2", "--json")
    assert audit.exit_code == 0, audit.stderr
    actions = [json.loads(line)["action"] for line in audit.stdout.splitlines()]
    assert {"create", "change", "read"} <= set(actions)


def test_replay_with_an_edited_kb_reports_the_changes(
    empty_database_url: str, tmp_path: Path
) -> None:
    url = empty_database_url
    runner.invoke(app, ["db", "upgrade"], env={"SPINEWISE_DATABASE_URL": url})
    demo(url)
    folder = tmp_path / "kb"
    shutil.copytree(bundled_kb_path(), folder)
    rules = folder / "rules" / "30-contraindications.yaml"
    rules.write_text(
        rules.read_text().replace("op: lt, value: 16}", "op: lt, value: 50}")
    )
    same = as_user(url, "physician", "replay")
    assert "0 would change" in same.stdout
    changed = as_user(url, "physician", "replay", "--kb", str(folder), "--json")
    assert changed.exit_code == 0, changed.stderr
    report = json.loads(changed.stdout)
    assert report["changes"]
    assert {c["verdict_after"] for c in report["changes"]} <= {
        "not_suitable",
        "incomplete",  # DSC-0004: a red flag unanswered still comes first
    }
    assert {r["rule"] for c in report["changes"] for r in c["rules"]} == {"CI-ALL-01"}


def test_errors_exit_2_with_a_message_and_no_traceback(
    empty_database_url: str,
) -> None:
    url = empty_database_url
    runner.invoke(app, ["db", "upgrade"], env={"SPINEWISE_DATABASE_URL": url})
    demo(url)
    cases = [
        (("therapist", "patients", "show", "12"), "patient 12 not found"),
        (("nobody", "patients", "list"), "cannot sign in as nobody"),
        (("therapist", "audit"), "may not read the audit trail"),
        (("therapist", "clearance", "record", "1", "--approve"), "may not record"),
        (
            ("therapist", "patients", "add", "DSC-0001", "Twin"),
            "already used in this clinic",
        ),
        (("therapist", "screen", str(CASES), "--save"), "--save needs --patient"),
        (("therapist", "patients", "list", "--search", "x" * 10_000), "at most 200"),
    ]
    for (user, *args), message in cases:
        result = as_user(url, user, *args)
        assert result.exit_code == 2, (args, result.stdout)
        assert message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr


def test_a_new_clinic_and_its_users_through_the_cli(empty_database_url: str) -> None:
    url = empty_database_url
    env = {"SPINEWISE_DATABASE_URL": url, "SPINEWISE_NEW_PASSWORD": "admin password 1"}
    runner.invoke(app, ["db", "upgrade"], env={"SPINEWISE_DATABASE_URL": url})
    created = runner.invoke(
        app, ["clinic", "create", "Solo Practice", "--admin", "boss"], env=env
    )
    assert created.exit_code == 0, created.stderr
    admin_env = {
        **env,
        "SPINEWISE_USER": "boss",
        "SPINEWISE_PASSWORD": "admin password 1",
    }
    added = runner.invoke(
        app,
        ["users", "add", "solo", "--role", "therapist", "--name", "Solo"],
        env=admin_env,
    )
    assert added.exit_code == 0, added.stderr
    listed = runner.invoke(app, ["users", "list"], env=admin_env)
    assert "solo" in listed.stdout and "therapist" in listed.stdout
    solo = {**env, "SPINEWISE_USER": "solo", "SPINEWISE_PASSWORD": "admin password 1"}
    refused = runner.invoke(app, ["token", "issue"], env=solo)
    assert refused.exit_code == 2
    assert "temporary password" in refused.stderr
    changed = runner.invoke(
        app,
        ["users", "password"],
        env={**solo, "SPINEWISE_NEW_PASSWORD": "my own quiet practice"},
    )
    assert changed.exit_code == 0, changed.stderr
    token = runner.invoke(
        app,
        ["token", "issue"],
        env={**solo, "SPINEWISE_PASSWORD": "my own quiet practice"},
    )
    assert token.exit_code == 0, token.stderr
    assert token.stdout.strip().splitlines()[-1].startswith("sw_")
    solo = {**solo, "SPINEWISE_PASSWORD": "my own quiet practice"}
    short = runner.invoke(
        app, ["token", "issue", "--days", "7", "--label", "ci"], env=solo
    )
    assert short.exit_code == 0, short.stderr
    listed = runner.invoke(app, ["token", "list"], env=solo)
    assert listed.exit_code == 0, listed.stderr
    assert listed.stdout.count("active") == 2 and "ci" in listed.stdout
    token_id = short.stdout.split()[1]
    revoked = runner.invoke(app, ["token", "revoke", token_id], env=admin_env)
    assert revoked.exit_code == 0, revoked.stderr
    after = runner.invoke(app, ["token", "list"], env=admin_env)
    assert "revoked" in after.stdout
    missing = runner.invoke(app, ["token", "revoke", "99999"], env=solo)
    assert missing.exit_code == 2 and "Traceback" not in missing.stderr
