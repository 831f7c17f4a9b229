"""Round trip: every FHIR export of the demo clinics imports back (into the same
patient, whose clearance on record screening uses) to the same assessments and the
same decisions: verdict, summary, modality statuses and findings."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fhir.resources.R4B.task import Task
from tests.services.demo_exports import demo_exports, demo_store

from spinewise import services
from spinewise.interop import clearance_of, local_name, read_assessments
from spinewise.kb import KnowledgeBase
from spinewise.models import Clearance, ClearanceStatus, Decision, Verdict
from spinewise.screening import screen
from spinewise.services import Actor
from spinewise.store import Store

Demo = tuple[Store, dict[str, Actor], dict[str, dict[str, Any]]]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, kb: KnowledgeBase) -> Iterator[Demo]:
    store, therapists = demo_store(tmp_path_factory.mktemp("round-trip"), kb)
    yield store, therapists, demo_exports(store, therapists, kb)
    store.dispose()


def _resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind
    ]


def _exported_decision(bundle: dict[str, Any]) -> dict[str, Any]:
    (guidance,) = _resources(bundle, "GuidanceResponse")
    params = guidance["contained"][0]["parameter"]
    rules = {
        c["code"]
        for issue in _resources(bundle, "DetectedIssue")
        for c in issue["code"]["coding"]
        if local_name(c["system"]) == "urn:spinewise:rule"
    }
    return {
        "verdict": next(
            p["valueCoding"]["code"] for p in params if p["name"] == "verdict"
        ),
        "summary": next(p["valueString"] for p in params if p["name"] == "summary"),
        "modalities": {
            p["name"].removeprefix("modality."): p["valueCode"]
            for p in params
            if p["name"].startswith("modality.")
        },
        "issues": rules,
    }


def _decision_of(decision: Decision, issue_rules: set[str]) -> dict[str, Any]:
    return {
        "verdict": decision.verdict.value,
        "summary": decision.summary,
        "modalities": {m.value: r.status.value for m, r in decision.modalities.items()},
        "issues": {f.rule for f in decision.findings if f.rule in issue_rules},
    }


def _approval(bundle: dict[str, Any]) -> Clearance | None:
    """The physician's approval the bundle records (its clearance Task), if any."""
    tasks = [clearance_of(Task.model_validate(t)) for t in _resources(bundle, "Task")]
    return next((c for c in tasks if c.status is ClearanceStatus.APPROVED), None)


def test_every_demo_export_imports_back_to_the_same_assessments_and_decisions(
    demo: Demo, kb: KnowledgeBase
) -> None:
    """An approval is never imported (it belongs to the assessment it was given for):
    a decision that rested on one comes back awaiting clearance, and screening the
    imported assessment with the approval the bundle records gives the decision back."""
    store, therapists, exports = demo
    approved = 0
    for name, bundle in exports.items():
        number = name.removesuffix("+kb")
        actor = therapists[number]
        patient = services.find_patient(store, actor, number)
        assert patient is not None
        _, exported = read_assessments(bundle)
        imported = services.import_fhir_bundle(
            store, actor, bundle, kb, patient_id=patient.id
        )
        assert imported.skipped == [], name
        (result,) = imported.results
        assert [result.assessment.assessment] == [a for _, a in exported], name
        expected = _exported_decision(bundle)
        decision = result.decision.decision
        approval = _approval(bundle)
        if approval is not None and expected["verdict"] != decision.verdict.value:
            approved += 1
            assert decision.verdict is Verdict.AWAITING_CLEARANCE, name
            with_approval = result.decision.input.model_copy(
                update={"clearance": approval}
            )
            decision = screen(with_approval, kb)
        assert _decision_of(decision, expected["issues"]) == expected, name
    assert 0 < approved < len(exports)
