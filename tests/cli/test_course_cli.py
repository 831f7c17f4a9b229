"""``spinewise plan``, ``session``, ``outcomes`` and ``questionnaire`` end to end."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree

import yaml
from tests import pg
from tests.cli.running import as_user
from tests.services.builders import approve, assessed_patient
from tests.text_packs import fake_pack

from spinewise.kb import KnowledgeBase
from spinewise.store import Store


def cleared_patient(store: Store, world: pg.World, kb: KnowledgeBase) -> int:
    screened = assessed_patient(store, world.therapist_a, kb, record_number="C-1")
    patient_id = screened.assessment.patient_id
    approve(store, world.physician_a, patient_id, kb)
    return patient_id


def write(path: Path, data: object) -> str:
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return str(path)


def test_plan_and_its_pdfs_from_the_command_line(
    database_url: str,
    store: Store,
    world: pg.World,
    kb: KnowledgeBase,
    tmp_path: Path,
) -> None:
    patient = str(cleared_patient(store, world, kb))
    pdf, sheet = tmp_path / "plan.pdf", tmp_path / "care.pdf"
    made = as_user(
        database_url,
        "therapist-a",
        "plan",
        patient,
        "--start",
        "2026-11-25",
        "--pdf",
        str(pdf),
        "--care-sheet",
        str(sheet),
    )
    assert made.exit_code == 0, made.stderr
    assert "active" in made.stdout and "zones to avoid" in made.stdout
    assert pdf.read_bytes().startswith(b"%PDF") and sheet.read_bytes()[:4] == b"%PDF"


def test_sessions_and_a_stop_from_the_command_line(
    database_url: str,
    store: Store,
    world: pg.World,
    kb: KnowledgeBase,
    tmp_path: Path,
) -> None:
    patient = str(cleared_patient(store, world, kb))
    as_user(database_url, "therapist-a", "plan", patient, "--start", "2026-11-25")
    shown = as_user(database_url, "physician-a", "plan", patient, "--json")
    plan = json.loads(shown.stdout)
    assert plan["status"] == "active"
    first = plan["plan"]["courses"][0]
    session = {
        "session_number": 1,
        "performed_on": first["sessions"][0]["date"],
        "modality": first["modality"],
        "steps_done": [1, 2],
        "deviations": ["shorter kneading"],
        "pain_nrs_before": 3,
        "pain_nrs_after": 6,
    }
    recorded = as_user(
        database_url,
        "therapist-a",
        "session",
        "record",
        patient,
        "--file",
        write(tmp_path / "s1.yaml", session),
    )
    assert recorded.exit_code == 0, recorded.stderr
    assert "SUSPENDED" in recorded.stdout and "SR-PAIN" in recorded.stdout
    note = re.search(r"session note (\d+)", recorded.stdout)
    assert note is not None
    amended = as_user(
        database_url,
        "therapist-a",
        "session",
        "amend",
        note.group(1),
        "--file",
        write(tmp_path / "s1b.yaml", {**session, "deviations": []}),
        "--reason",
        "no deviation after all",
        "--json",
    )
    assert amended.exit_code == 0, amended.stderr
    assert json.loads(amended.stdout)["note"]["version"] == 2
    listed = as_user(database_url, "physician-a", "session", "list", patient)
    assert listed.exit_code == 0, listed.stderr
    assert "3→6" in listed.stdout and "SR-PAIN" in listed.stdout
    refused = as_user(database_url, "therapist-a", "plan", patient, "--new")
    assert refused.exit_code == 2
    assert "re-screening required" in refused.stderr


def test_a_bad_session_file_names_each_field(
    database_url: str,
    store: Store,
    world: pg.World,
    kb: KnowledgeBase,
    tmp_path: Path,
) -> None:
    patient = str(cleared_patient(store, world, kb))
    as_user(database_url, "therapist-a", "plan", patient, "--start", "2026-11-25")
    path = write(
        tmp_path / "bad.yaml",
        {"session_number": 1, "modality": "classical", "pain_nrs_before": 11},
    )
    run = as_user(database_url, "therapist-a", "session", "record", patient, "-f", path)
    assert run.exit_code == 2
    assert f"{path}: pain_nrs_before:" in run.stderr
    assert f"{path}: performed_on: required" in run.stderr
    assert "Traceback" not in run.stderr


def test_questionnaires_and_the_outcome_chart_from_the_command_line(
    database_url: str,
    store: Store,
    world: pg.World,
    kb: KnowledgeBase,
    tmp_path: Path,
) -> None:
    patient = str(cleared_patient(store, world, kb))
    for day, value in (("2026-10-24", 8), ("2026-11-20", 3)):
        response = {"instrument": "nrs", "answered_on": day, "answers": [value]}
        run = as_user(
            database_url,
            "therapist-a",
            "questionnaire",
            "record",
            patient,
            "--file",
            write(tmp_path / f"nrs-{day}.yaml", response),
        )
        assert run.exit_code == 0, run.stderr
    chart = tmp_path / "nrs.svg"
    shown = as_user(
        database_url, "physician-a", "outcomes", patient, "--chart", str(chart)
    )
    assert shown.exit_code == 0, shown.stderr
    assert "improved (clinically important)" in shown.stdout
    ElementTree.fromstring(chart.read_text(encoding="utf-8"))
    pack = write(tmp_path / "odi-en.yaml", fake_pack("odi"))
    imported = as_user(
        database_url, "admin-a", "questionnaire", "texts", "import", pack
    )
    assert imported.exit_code == 0, imported.stderr
    linked = as_user(
        database_url, "therapist-a", "questionnaire", "link", patient, "odi"
    )
    assert linked.exit_code == 0, linked.stderr
    assert linked.stdout.startswith("http://127.0.0.1:8000/q/"), linked.stdout
    assert "single use" in linked.stderr
    ndi = as_user(database_url, "therapist-a", "questionnaire", "link", patient, "ndi")
    assert ndi.exit_code == 2 and "texts import" in ndi.stderr
    outsider = as_user(database_url, "therapist-b", "outcomes", patient)
    assert outsider.exit_code == 2 and "not found" in outsider.stderr
