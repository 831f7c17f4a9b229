"""``spinewise export fhir`` and ``spinewise import fhir`` on a real database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.cli.running import as_user
from tests.factories import make_assessment
from tests.fhir_corpus import corpus

from spinewise.interop import (
    PatientInfo,
    assessment_bundle,
    parse_bundle,
    patient_resource,
    to_json,
)


def bundle_file(folder: Path, key: str = "P-21", **sections: object) -> Path:
    bundle = to_json(assessment_bundle(PatientInfo(key=key, name="Ann Lee"),
                                       make_assessment(**sections), "ehr-1"))  # fmt: skip
    path = folder / "bundle.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    return path


def test_import_registers_screens_and_prints_the_decision(
    database_url: str, tmp_path: Path
) -> None:
    path = bundle_file(tmp_path, red_flags={"saddle_anaesthesia": True})
    run = as_user(
        database_url, "therapist-a", "import", "fhir", str(path), "--register", "--json"
    )
    assert run.exit_code == 0, run.stderr
    assert json.loads(run.stdout)["verdict"] == "urgent_referral"
    assert "saved bundle.json: patient" in run.stderr


def test_export_writes_the_record_as_a_bundle(
    database_url: str, tmp_path: Path
) -> None:
    path = bundle_file(tmp_path)
    imported = as_user(database_url, "therapist-a", "import", "fhir", str(path),
                       "--register")  # fmt: skip
    assert imported.exit_code == 0, imported.stderr
    patient = imported.stderr.split("patient ")[1].split(",")[0]
    out = tmp_path / "record.json"
    run = as_user(
        database_url, "therapist-a", "export", "fhir", patient, "--out", str(out)
    )
    assert run.exit_code == 0, run.stderr
    bundle = json.loads(out.read_text(encoding="utf-8"))
    parse_bundle(bundle)
    assert bundle["entry"][0]["resource"]["identifier"][0]["value"] == "P-21"
    printed = as_user(database_url, "therapist-a", "export", "fhir", patient)
    assert json.loads(printed.stdout) == bundle


def test_a_bad_bundle_exits_2_naming_the_link_id(
    database_url: str, tmp_path: Path
) -> None:
    path = bundle_file(tmp_path)
    bundle = json.loads(path.read_text(encoding="utf-8"))
    for entry in bundle["entry"]:
        if entry["resource"]["resourceType"] == "QuestionnaireResponse":
            entry["resource"]["item"].append(
                {"linkId": "symptoms.pain_nrs", "answer": [{"valueInteger": 12}]}
            )
    path.write_text(json.dumps(bundle), encoding="utf-8")
    run = as_user(
        database_url, "therapist-a", "import", "fhir", str(path), "--register"
    )
    assert run.exit_code == 2  # the only response is unreadable: nothing to store
    assert f"{path}: Bundle.entry[" in run.stderr
    assert "].resource: symptoms.pain_nrs:" in run.stderr


def test_not_a_bundle_and_a_missing_file_exit_2(
    database_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"resourceType": "Patient"}', encoding="utf-8")
    run = as_user(database_url, "therapist-a", "import", "fhir", str(path))
    assert run.exit_code == 2 and "resourceType: expected a FHIR Bundle" in run.stderr
    run = as_user(database_url, "therapist-a", "import", "fhir", str(tmp_path / "no"))
    assert run.exit_code == 2


def test_an_unknown_patient_exits_2(database_url: str) -> None:
    run = as_user(database_url, "therapist-a", "export", "fhir", "9999")
    assert run.exit_code == 2
    assert "patient 9999 not found" in run.stderr


def test_an_ehr_bundle_with_an_amended_response_imports_without_its_clearance(
    database_url: str, tmp_path: Path
) -> None:
    corpus = Path(__file__).resolve().parents[1] / "data" / "fhir"
    resources = [
        json.loads((corpus / name).read_text(encoding="utf-8"))
        for name in ("questionnaire-amended.json", "condition-cauda-equina.json")
    ]
    patient = to_json(patient_resource(PatientInfo(key="1288992", name="Anna Test")))
    patient["id"] = "1288992"
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": r} for r in [patient, *resources]],
    }
    path = tmp_path / "ehr.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    run = as_user(
        database_url, "therapist-a", "import", "fhir", str(path), "--register", "--json"
    )
    assert run.exit_code == 0, run.stderr
    decision = json.loads(run.stdout)
    # the amended answer (fever) is screened; its "approved" clearance is not trusted
    assert "DF-FEV-01" in [f["rule"] for f in decision["findings"]]
    assert decision["verdict"] != "proceed"


def corpus_file(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_text(json.dumps(corpus(name)), encoding="utf-8")
    return path


def test_unreadable_resources_are_skipped_with_a_warning_each(
    database_url: str, tmp_path: Path
) -> None:
    path = corpus_file(tmp_path, "bundle-r5-and-broken.json")
    run = as_user(
        database_url, "therapist-a", "import", "fhir", str(path), "--register"
    )
    assert run.exit_code == 0, run.stderr
    warned = [line for line in run.stderr.splitlines() if "Bundle.entry[" in line]
    assert [w.split(": ")[1] for w in warned] == [
        f"Bundle.entry[{i}].resource" for i in (2, 3, 4, 5)
    ]
    assert all(w.startswith(f"{path}: ") for w in warned)
    assert "ActorDefinition" in warned[0] and "not valid FHIR R4" in warned[2]
    assert "saved" in run.stderr  # the readable response was stored


def test_strict_stores_nothing_and_exits_2(database_url: str, tmp_path: Path) -> None:
    path = corpus_file(tmp_path, "bundle-r5-and-broken.json")
    run = as_user(
        database_url,
        "therapist-a",
        "import",
        "fhir",
        str(path),
        "--register",
        "--strict",
    )
    assert run.exit_code == 2
    assert f"{path}: Bundle.entry[2].resource: unknown resourceType" in run.stderr
    listed = as_user(database_url, "therapist-a", "patients", "list")
    assert "1288992" not in listed.stdout


def test_importing_twice_then_an_amendment_stores_each_answer_once(
    database_url: str, tmp_path: Path
) -> None:
    original = corpus_file(tmp_path, "import-original.json")
    first = as_user(
        database_url, "therapist-a", "import", "fhir", str(original), "--register"
    )
    assert first.exit_code == 0, first.stderr
    again = as_user(
        database_url, "therapist-a", "import", "fhir", str(original), "--register"
    )
    assert again.exit_code == 0, again.stderr
    assert "1 response(s) already imported, unchanged" in again.stderr
    amended = corpus_file(tmp_path, "import-amended.json")
    run = as_user(database_url, "therapist-a", "import", "fhir", str(amended))
    assert run.exit_code == 0, run.stderr
    assert "(#1 v2)" in run.stderr  # an amendment of assessment #1


def test_export_with_kb_names_the_code_systems_under_the_configured_base(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = "https://terms.clinic.example.test/fhir"
    monkeypatch.setenv("SPINEWISE_FHIR_CANONICAL_BASE", base)
    imported = as_user(database_url, "therapist-a", "import", "fhir",
                       str(bundle_file(tmp_path)), "--register")  # fmt: skip
    patient = imported.stderr.split("patient ")[1].split(",")[0]
    run = as_user(database_url, "therapist-a", "export", "fhir", patient, "--with-kb")
    assert run.exit_code == 0, run.stderr
    entries = {e["fullUrl"]: e["resource"] for e in json.loads(run.stdout)["entry"]}
    sex = entries[f"{base}/CodeSystem/spinewise-sex"]
    assert sex["url"] == f"{base}/CodeSystem/spinewise-sex"
    assert f"{base}/StructureDefinition/spinewise-modality" in entries
    assert f'"system": "{base}/CodeSystem/spinewise-sex"' in run.stdout.replace(
        '":"', '": "'
    )
