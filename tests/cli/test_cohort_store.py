"""``spinewise cohort export`` and ``cohort screen | diff --from-store`` on the demo."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
from tests.cli.demo_logins import demo_passwords
from tests.cli.running import DEMO_PASSWORDS, as_user, runner
from tests.store.stored_cohort import stored_decisions

from spinewise.cli import app
from spinewise.kb import bundled_kb_path, load_kb
from spinewise.models import Assessment, Decision
from spinewise.screening import screen
from spinewise.services import Interface, authenticate, open_store

PASSWORDS = DEMO_PASSWORDS  # filled by demo() from what it prints


def demo(url: str) -> None:
    env = {"SPINEWISE_DATABASE_URL": url}
    assert runner.invoke(app, ["db", "upgrade"], env=env).exit_code == 0
    run = runner.invoke(app, ["demo"], env=env)
    assert run.exit_code == 0, run.stderr
    PASSWORDS.update(demo_passwords(run.stdout))


def stored_inputs(url: str) -> dict[int, tuple[Assessment, Decision]]:
    """The demo clinic's patients: the input and output of their current decision."""
    store = open_store(url)
    try:
        actor = authenticate(store, "physician", PASSWORDS["physician"], Interface.CLI)
        assert actor is not None
        with store.unit_of_work() as uow:
            inputs = {
                patient_id: uow.decisions.get(actor.clinic_id, decision_id)
                for patient_id, (decision_id, _) in stored_decisions(
                    store, actor.clinic_id
                ).items()
            }
            return {
                p: (
                    Assessment.model_validate(r.input),
                    Decision.model_validate(r.output),
                )
                for p, r in inputs.items()
                if r is not None
            }
    finally:
        store.dispose()


def test_an_export_screens_like_the_store_and_gives_the_stored_verdicts(
    empty_database_url: str, tmp_path: Path
) -> None:
    url = empty_database_url
    demo(url)
    exported = tmp_path / "cohort.parquet"
    run = as_user(url, "physician", "cohort", "export", str(exported))
    assert run.exit_code == 0, run.stderr
    assert "wrote 11 patients' current assessments" in run.stdout
    results: dict[str, pl.DataFrame] = {}
    for source in ([str(exported)], ["--from-store"]):
        out = tmp_path / f"results-{len(results)}.parquet"
        run = as_user(url, "physician", "cohort", "screen", *source, "--out", str(out))
        assert run.exit_code == 0, run.stderr
        assert "11 assessments screened" in run.stdout
        results[source[0]] = pl.read_parquet(out)
    assert results[str(exported)].equals(results["--from-store"])
    stored = stored_inputs(url)
    verdicts = dict(results["--from-store"].select("patient_id", "verdict").rows())
    assert verdicts == {p: d.verdict.value for p, (_, d) in stored.items()}


def _kb_with_children_under(age: int, folder: Path) -> Path:
    shutil.copytree(bundled_kb_path(), folder)
    rules = folder / "rules" / "30-contraindications.yaml"
    old = "when: {field: patient.age, op: lt, value: 16}"
    text = rules.read_text(encoding="utf-8")
    assert text.count(old) == 1
    rules.write_text(text.replace(old, old.replace("16", str(age))), encoding="utf-8")
    (folder / "VERSION").write_text("cohort-diff-test\n", encoding="utf-8")
    return folder


def test_diff_from_the_store_names_exactly_the_patients_a_rule_change_affects(
    empty_database_url: str, tmp_path: Path
) -> None:
    url = empty_database_url
    demo(url)
    new = _kb_with_children_under(50, tmp_path / "kb")
    out = tmp_path / "changed.parquet"
    run = as_user(
        url,
        "admin",
        "cohort",
        "diff",
        "--from-store",
        "--kb",
        str(bundled_kb_path()),
        "--kb",
        str(new),
        "--out",
        str(out),
    )
    assert run.exit_code == 0, run.stderr
    old_kb, new_kb = load_kb(), load_kb(new)
    expected = set()
    for patient_id, (given, _) in stored_inputs(url).items():
        before, after = screen(given, old_kb), screen(given, new_kb)
        statuses = {m: p.status for m, p in before.modalities.items()}
        if before.verdict is not after.verdict or statuses != {
            m: p.status for m, p in after.modalities.items()
        }:
            expected.add(patient_id)
    changed = pl.read_parquet(out)
    assert 0 < len(expected) < 11
    assert set(changed["patient_id"]) == expected
    assert all(r == ["CI-ALL-01"] for r in changed["changed_rules"].to_list())
    assert f"{len(expected)} of 11 assessments change" in run.stdout
    listed = run.stdout.split("patients", 1)[1]
    for patient_id in expected:
        assert f" {patient_id} " in listed


def test_a_therapist_cannot_read_the_clinics_cohort(empty_database_url: str) -> None:
    demo(empty_database_url)
    run = as_user(empty_database_url, "therapist", "cohort", "screen", "--from-store")
    assert run.exit_code == 2
    assert "a therapist may not screen the clinic's whole cohort" in run.stderr


def test_a_file_and_the_store_together_are_refused(tmp_path: Path) -> None:
    run = runner.invoke(
        app, ["cohort", "screen", str(tmp_path / "x.parquet"), "--from-store"]
    )
    assert run.exit_code == 2
    assert "give a cohort FILE or --from-store" in run.stderr
