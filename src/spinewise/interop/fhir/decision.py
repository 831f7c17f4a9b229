"""The decision as a GuidanceResponse, its findings as DetectedIssue resources.

GuidanceResponse ``status`` is ``data-required`` when the verdict is ``incomplete``
(a red flag or a modality cannot be decided from the answers given) and ``success``
otherwise; ``dataRequirement`` lists the decision's ``missing`` field paths whenever
there are any (under ``success`` they are the answers that left a precaution applied
by default). The verdict, summary and modality statuses travel in a contained
Parameters resource (``outputParameters``).

References keep to the target types R4 allows (docs/integrators/fhir.md#references):
``reasonReference`` names the assessment's Condition and pain Observation (R4 allows
only Condition, Observation, DiagnosticReport, DocumentReference there); the
QuestionnaireResponse screened and the DetectedIssues found are linked from the
contained Parameters (``assessment`` and ``issue`` parameters, ``valueReference``
takes any resource), and each DetectedIssue links back to the answers in
``evidence.detail``.

Each fired finding (and each undetermined precaution, which the decision applies
conservatively) becomes a DetectedIssue: severity ``high`` for red flags,
``moderate`` for contraindications and defers, ``low`` for precautions; info findings
are advice, not issues, and are left out. ``code`` names the rule, ``detail`` is the
rule's message, ``reference`` points at the rule's source and ``evidence`` at the
QuestionnaireResponse whose answers fired it.
"""

from __future__ import annotations

from fhir.resources.R4B.datarequirement import DataRequirement
from fhir.resources.R4B.detectedissue import DetectedIssue, DetectedIssueEvidence
from fhir.resources.R4B.extension import Extension
from fhir.resources.R4B.guidanceresponse import GuidanceResponse
from fhir.resources.R4B.identifier import Identifier
from fhir.resources.R4B.parameters import Parameters, ParametersParameter
from fhir.resources.R4B.reference import Reference

from spinewise.interop import codes
from spinewise.interop.codes import concept, local, resource_id, urn
from spinewise.interop.fhir.patient import PatientInfo, patient_reference
from spinewise.models import Decision, Finding, RuleState, Severity, Verdict

ISSUE_SEVERITY = {
    Severity.RED_FLAG: "high",
    Severity.CONTRAINDICATION: "moderate",
    Severity.DEFER: "moderate",
    Severity.PRECAUTION: "low",
}


def guidance_status(decision: Decision) -> str:
    """``data-required`` for an incomplete verdict, ``success`` otherwise."""
    return "data-required" if decision.verdict is Verdict.INCOMPLETE else "success"


def module_canonical(decision: Decision) -> str:
    """The knowledge base (PlanDefinition) the decision was made with, versioned."""
    return f"{codes.PLAN_DEFINITION_URL}|{decision.kb_version}"


def _links(
    assessment: Reference | None, issues: list[Reference]
) -> list[ParametersParameter]:
    links = []
    if assessment is not None:
        links.append(ParametersParameter(name="assessment", valueReference=assessment))
    links += [ParametersParameter(name="issue", valueReference=i) for i in issues]
    return links


def _parameters(
    decision: Decision,
    assessment: Reference | None = None,
    issues: list[Reference] | None = None,
) -> Parameters:
    params = [
        ParametersParameter(
            name="verdict",
            valueCoding=codes.coding(local(codes.VERDICT, decision.verdict.value)),
        ),
        ParametersParameter(name="summary", valueString=decision.summary),
        ParametersParameter(name="kb_version", valueString=decision.kb_version),
        ParametersParameter(name="engine_version", valueString=decision.engine_version),
        ParametersParameter(
            name="approval_valid", valueBoolean=decision.approval_valid
        ),
    ]
    if decision.rescreen_after_days is not None:
        params.append(
            ParametersParameter(
                name="rescreen_after_days", valueInteger=decision.rescreen_after_days
            )
        )
    for modality, result in decision.modalities.items():
        params.append(
            ParametersParameter(
                name=f"modality.{modality.value}",
                valueCode=result.status.value,
            )
        )
    params += _links(assessment, issues or [])
    return Parameters(id="decision", parameter=params)


def data_requirements(decision: Decision) -> list[DataRequirement]:
    """The answers the decision lacks, as QuestionnaireResponse item paths."""
    if not decision.missing:
        return []
    return [DataRequirement(type="QuestionnaireResponse", mustSupport=decision.missing)]


def guidance_id(info: PatientInfo, assessment_key: str) -> str:
    """The GuidanceResponse id of the decision on one assessment."""
    return resource_id("GuidanceResponse", info.key, assessment_key)


def guidance_response(
    info: PatientInfo,
    decision: Decision,
    assessment_key: str,
    assessment: Reference | None = None,
    issues: list[Reference] | None = None,
    reasons: list[Reference] | None = None,
) -> GuidanceResponse:
    """The decision as a GuidanceResponse for one assessment of one patient.

    ``assessment`` references the QuestionnaireResponse screened and ``issues`` the
    DetectedIssue resources (both become parameters of the contained output);
    ``reasons`` (the Condition, the pain Observation) become ``reasonReference``.
    """
    return GuidanceResponse(
        id=guidance_id(info, assessment_key),
        contained=[_parameters(decision, assessment, issues)],
        requestIdentifier=Identifier(system=codes.ASSESSMENT_ID, value=assessment_key),
        moduleCanonical=module_canonical(decision),
        status=guidance_status(decision),
        subject=patient_reference(info),
        occurrenceDateTime=decision.assessed_on,
        reasonCode=[
            concept(local(codes.VERDICT, decision.verdict.value), text=decision.summary)
        ],
        reasonReference=reasons or None,
        outputParameters=Reference(reference="#decision"),
        dataRequirement=data_requirements(decision) or None,
    )


def issue_id(info: PatientInfo, assessment_key: str, rule: str) -> str:
    """The DetectedIssue id of one rule's finding on one assessment."""
    return resource_id("DetectedIssue", info.key, assessment_key, rule)


def detected_issue(
    info: PatientInfo,
    decision: Decision,
    finding: Finding,
    assessment_key: str,
    evidence: Reference | None = None,
) -> DetectedIssue:
    """One finding as a DetectedIssue (``preliminary`` when undetermined)."""
    undetermined = finding.state is RuleState.UNDETERMINED
    detail = finding.message
    if undetermined:
        detail = f"Undetermined (applied until answered): {detail}"
    return DetectedIssue(
        id=issue_id(info, assessment_key, finding.rule),
        extension=[
            Extension(url=codes.MODALITY_EXT, valueCode=m.value)
            for m in finding.modalities
        ],
        status="preliminary" if undetermined else "final",
        code=concept(
            local(codes.RULE, finding.rule, finding.rule),
            local(codes.SEVERITY, finding.severity.value),
            text=f"{finding.severity.value.replace('_', ' ')}: {finding.rule}",
        ),
        severity=ISSUE_SEVERITY[finding.severity],
        patient=patient_reference(info),
        identifiedDateTime=decision.assessed_on,
        evidence=[DetectedIssueEvidence(detail=[evidence])] if evidence else None,
        detail=detail,
        reference=f"{codes.SOURCE}:{finding.source}",
    )


def detected_issues(
    info: PatientInfo,
    decision: Decision,
    assessment_key: str,
    evidence: Reference | None = None,
) -> list[DetectedIssue]:
    """A DetectedIssue per red flag, defer, contraindication and precaution found."""
    return [
        detected_issue(info, decision, f, assessment_key, evidence)
        for f in decision.findings
        if f.severity in ISSUE_SEVERITY
        and f.state in (RuleState.FIRED, RuleState.UNDETERMINED)
    ]


def issue_references(issues: list[DetectedIssue]) -> list[Reference]:
    """References to ``issues`` inside a Spinewise bundle."""
    return [Reference(reference=urn(str(i.id))) for i in issues]
