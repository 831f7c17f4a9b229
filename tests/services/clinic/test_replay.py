"""Decision replay: what a changed knowledge base would decide otherwise, and why."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.factories import assessment_data
from tests.pg import World
from tests.services.builders import approve, assessed_patient

from spinewise import services
from spinewise.errors import PermissionDeniedError
from spinewise.kb import KnowledgeBase, bundled_kb_path, load_kb
from spinewise.models import Modality, ModalityStatus, RuleState, Verdict
from spinewise.store import Store


def _kb_with_adult_age(tmp_path: Path, age: int) -> KnowledgeBase:
    """A copy of the bundled KB where CI-ALL-01 ("under 16") reads "under ``age``"."""
    folder = tmp_path / "kb"
    shutil.copytree(bundled_kb_path(), folder)
    rules = folder / "rules" / "30-contraindications.yaml"
    text = rules.read_text(encoding="utf-8")
    old = "when: {field: patient.age, op: lt, value: 16}"
    assert text.count(old) == 1
    rules.write_text(text.replace(old, old.replace("16", str(age))), encoding="utf-8")
    (folder / "VERSION").write_text("replay-test\n", encoding="utf-8")
    return load_kb(folder)


def test_replay_with_the_same_knowledge_base_changes_nothing(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    result = assessed_patient(store, world.therapist_a, kb)
    approve(store, world.physician_a, result.assessment.patient_id, kb)
    report = services.replay_decisions(store, world.physician_a, kb)
    assert (report.checked, report.changes) == (1, [])


def test_replay_names_exactly_the_patients_an_edited_rule_affects(
    store: Store, world: World, kb: KnowledgeBase, tmp_path: Path
) -> None:
    therapist = world.therapist_a

    def patient(number: str, age: int, **sections: object) -> int:
        result = assessed_patient(
            store, therapist, kb, number, patient={"age": age}, **sections
        )
        return result.assessment.patient_id

    young = patient("Y-46", 46)
    cleared = patient("C-40", 40)
    approve(store, world.physician_a, cleared, kb)
    patient("O-60", 60)
    patient("U-30", 30, red_flags={"saddle_anaesthesia": True})  # already urgent
    amended = patient("A-70", 70)
    current = services.latest_assessments(store, therapist, amended)[0]
    services.amend_assessment(
        store, therapist, current.id, assessment_data(patient={"age": 45}), kb
    )
    assessed_patient(store, world.therapist_b, kb, "B-46", patient={"age": 46})

    report = services.replay_decisions(
        store, world.admin_a, _kb_with_adult_age(tmp_path, 50)
    )
    assert report.kb_version == "replay-test"
    assert report.checked == 6  # every stored assessment version of clinic A
    assert report.patient_ids() == sorted([young, cleared, amended])
    by_patient = {c.patient_id: c for c in report.changes}
    assert by_patient[young].verdict_before is Verdict.AWAITING_CLEARANCE
    assert by_patient[cleared].verdict_before is Verdict.PROCEED
    for change in report.changes:
        assert change.verdict_after is Verdict.NOT_SUITABLE
        assert change.kb_version_before == kb.version
        assert [(r.rule, r.before, r.after) for r in change.rules] == [
            ("CI-ALL-01", RuleState.NOT_FIRED, RuleState.FIRED)
        ]
        assert (
            change.modalities[Modality.CLASSICAL][1] is ModalityStatus.CONTRAINDICATED
        )
    assert (by_patient[amended].version, by_patient[amended].current) == (2, True)


def test_replay_takes_the_input_as_it_was_screened(
    store: Store, world: World, kb: KnowledgeBase, tmp_path: Path
) -> None:
    result = assessed_patient(store, world.therapist_a, kb, patient={"age": 46})
    approve(store, world.physician_a, result.assessment.patient_id, kb)
    report = services.replay_decisions(
        store, world.physician_a, _kb_with_adult_age(tmp_path, 16)
    )
    assert report.changes == []  # the stored clearance is part of the input


def test_therapists_do_not_replay_the_clinic(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    with pytest.raises(PermissionDeniedError):
        services.replay_decisions(store, world.therapist_a, kb)
