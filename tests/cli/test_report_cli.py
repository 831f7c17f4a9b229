"""``spinewise report progress|discharge`` and ``patients export --format pdf``."""

from __future__ import annotations

from pathlib import Path

from tests import pg
from tests.cli.running import as_user
from tests.pdf_reading import words
from tests.services.builders import approve, assessed_patient

from spinewise.kb import KnowledgeBase
from spinewise.store import Store


def cleared_patient(store: Store, world: pg.World, kb: KnowledgeBase) -> str:
    screened = assessed_patient(store, world.therapist_a, kb, record_number="R-1")
    patient_id = screened.assessment.patient_id
    approve(store, world.physician_a, patient_id, kb)
    return str(patient_id)


def test_letters_and_the_readable_record_from_the_command_line(
    database_url: str,
    store: Store,
    world: pg.World,
    kb: KnowledgeBase,
    tmp_path: Path,
) -> None:
    patient = cleared_patient(store, world, kb)
    letter, record = tmp_path / "letter.pdf", tmp_path / "record.pdf"
    made = as_user(
        database_url, "therapist-a", "report", "progress", patient,
        "--out", str(letter), "--lang", "ru",
    )  # fmt: skip
    assert made.exit_code == 0, made.stderr
    assert "Промежуточный отчёт" in words(letter.read_bytes(), tmp_path)
    exported = as_user(
        database_url, "therapist-a", "patients", "export", patient,
        "--format", "pdf", "--out", str(record),
    )  # fmt: skip
    assert exported.exit_code == 0, exported.stderr
    assert "Everything held about the patient" in words(record.read_bytes(), tmp_path)


def test_bad_requests_for_a_document_exit_2_with_the_reason(
    database_url: str,
    store: Store,
    world: pg.World,
    kb: KnowledgeBase,
    tmp_path: Path,
) -> None:
    patient = cleared_patient(store, world, kb)
    out = str(tmp_path / "x.pdf")
    unknown = as_user(
        database_url, "therapist-a", "report", "discharge", patient,
        "--out", out, "--lang", "xx",
    )  # fmt: skip
    assert unknown.exit_code == 2 and "--lang" in unknown.stderr
    no_file = as_user(
        database_url, "therapist-a", "patients", "export", patient, "--format", "pdf"
    )
    assert no_file.exit_code == 2 and "--out" in no_file.stderr
    admin = as_user(
        database_url, "admin-a", "report", "progress", patient, "--out", out
    )
    assert admin.exit_code != 0 and "Traceback" not in admin.stderr
    assert not Path(out).exists()
