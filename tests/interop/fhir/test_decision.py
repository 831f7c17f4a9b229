"""Decisions become GuidanceResponses; findings become DetectedIssues."""

from __future__ import annotations

from fhir.resources.R4B.parameters import Parameters
from tests.factories import make_assessment
from tests.interop.fhir_support import INFO, reparsed

from spinewise.interop import detected_issues, guidance_response
from spinewise.interop.codes import PLAN_DEFINITION_URL, RULE, SEVERITY, SOURCE
from spinewise.kb import KnowledgeBase
from spinewise.models import Verdict
from spinewise.screening import screen


def test_an_incomplete_verdict_is_data_required_listing_the_missing_paths(
    kb: KnowledgeBase,
) -> None:
    decision = screen(make_assessment(red_flags={"bowel_dysfunction": None}), kb)
    assert decision.verdict is Verdict.INCOMPLETE
    response = reparsed(guidance_response(INFO, decision, "a-1"))
    assert response.status == "data-required"
    [requirement] = response.dataRequirement
    assert requirement.type == "QuestionnaireResponse"
    assert requirement.mustSupport == ["red_flags.bowel_dysfunction"]


def test_a_complete_decision_is_success_without_data_requirements(
    kb: KnowledgeBase,
) -> None:
    decision = screen(make_assessment(), kb)
    assert decision.verdict is Verdict.PROCEED
    response = reparsed(guidance_response(INFO, decision, "a-1"))
    assert response.status == "success"
    assert response.dataRequirement is None
    assert response.moduleCanonical == f"{PLAN_DEFINITION_URL}|{kb.version}"


def test_the_verdict_and_modality_statuses_travel_in_output_parameters(
    kb: KnowledgeBase,
) -> None:
    decision = screen(make_assessment(medications={"anticoagulants": True}), kb)
    response = reparsed(guidance_response(INFO, decision, "a-1"))
    [parameters] = response.contained
    assert isinstance(parameters, Parameters)
    values = {p.name: p for p in parameters.parameter}
    assert values["verdict"].valueCoding.code == decision.verdict.value
    assert values["modality.vacuum"].valueCode == "contraindicated"
    assert response.outputParameters.reference == "#decision"


def test_a_red_flag_is_a_high_severity_detected_issue_with_rule_message_and_source(
    kb: KnowledgeBase,
) -> None:
    decision = screen(make_assessment(red_flags={"saddle_anaesthesia": True}), kb)
    issues = [reparsed(i) for i in detected_issues(INFO, decision, "a-1")]
    issue = next(i for i in issues if i.code.coding[0].code == "RF-CES-01")
    assert issue.severity == "high"
    assert issue.status == "final"
    assert issue.code.coding[0].system == RULE
    assert (issue.code.coding[1].system, issue.code.coding[1].code) == (
        SEVERITY,
        "red_flag",
    )
    assert issue.detail == kb.rule("RF-CES-01").message
    assert issue.reference == f"{SOURCE}:GIRFT-CES-2023"


def test_contraindications_are_moderate_precautions_low_and_info_left_out(
    kb: KnowledgeBase,
) -> None:
    decision = screen(make_assessment(medications={"anticoagulants": True}), kb)
    severity = {
        i.code.coding[0].code: i.severity
        for i in detected_issues(INFO, decision, "a-1")
    }
    assert severity["CI-VAC-01"] == "moderate"
    assert severity["PC-ACO-01"] == "low"
    assert not any(rule.startswith("IN-") for rule in severity)
    assert set(severity) < set(decision.fired_rules())


def test_each_detected_issue_names_the_modalities_it_touches(kb: KnowledgeBase) -> None:
    decision = screen(make_assessment(medications={"anticoagulants": True}), kb)
    issue = next(
        i
        for i in detected_issues(INFO, decision, "a-1")
        if i.code.coding[0].code == "CI-VAC-01"
    )
    assert [e.valueCode for e in issue.extension] == ["vacuum"]


def test_an_undetermined_precaution_is_a_preliminary_issue_and_still_listed_missing(
    kb: KnowledgeBase,
) -> None:
    decision = screen(make_assessment(history={"osteoporosis": None}), kb)
    assert decision.verdict is Verdict.PROCEED
    [issue] = detected_issues(INFO, decision, "a-1")
    assert issue.code.coding[0].code == "PC-OST-01"
    assert issue.status == "preliminary"
    assert issue.detail.startswith("Undetermined")
    response = guidance_response(INFO, decision, "a-1")
    assert response.status == "success"
    assert response.dataRequirement[0].mustSupport == ["history.osteoporosis"]
