"""Every exported resource carries a short, escaped, generated narrative that says
what its structured data says; Observations name their performer."""

from __future__ import annotations

import datetime as dt

from fhir.resources.R4B.detectedissue import DetectedIssue
from tests.factories import make_assessment
from tests.interop.fhir_support import INFO

from spinewise.interop import (
    AssessmentRecord,
    PatientInfo,
    PatientRecord,
    ScoreRecord,
    record_resources,
    to_json,
)
from spinewise.interop.fhir.narrative import LIMIT, summary_of, with_narrative
from spinewise.kb import KnowledgeBase
from spinewise.models.outcome import Instrument, QuestionnaireResponse
from spinewise.outcomes import score
from spinewise.screening import screen

START = '<div xmlns="http://www.w3.org/1999/xhtml"><p>'


def _record(kb: KnowledgeBase, info: PatientInfo = INFO) -> PatientRecord:
    assessment = make_assessment(red_flags={"fever": None})
    odi = score(
        QuestionnaireResponse(
            instrument=Instrument.ODI,
            answered_on=dt.date(2026, 11, 24),
            answers=[2, 1, 3, 2, 2, 1, 2, 0, 1, 2],
        )
    )
    return PatientRecord(
        patient=info,
        assessments=[
            AssessmentRecord(
                key="a-1",
                assessment=assessment,
                decision=screen(assessment, kb),
                signed_by="Tess Therapist",
            )
        ],
        scores=[ScoreRecord(key="s-1", score=odi)],
    )


def test_every_exported_resource_has_a_short_generated_narrative(
    kb: KnowledgeBase,
) -> None:
    for resource in record_resources(_record(kb), kb):
        text = to_json(resource)["text"]
        assert text["status"] == "generated"
        assert text["div"].startswith(START) and text["div"].endswith("</p></div>")
        assert 10 < len(summary_of(resource)) <= LIMIT


def test_the_narrative_escapes_markup_and_says_what_the_data_says(
    kb: KnowledgeBase,
) -> None:
    info = INFO.model_copy(update={"name": "<b>Anna</b> & Co"})
    resources = {
        to_json(r)["resourceType"]: to_json(r)
        for r in record_resources(_record(kb, info))
    }
    patient = resources["Patient"]["text"]["div"]
    assert "&lt;b&gt;Anna&lt;/b&gt; &amp; Co" in patient and "<b>" not in patient
    assert "patient-42" in patient and "1980-05-17" in patient
    guidance = resources["GuidanceResponse"]
    assert guidance["reasonCode"][0]["text"][:40] in guidance["text"]["div"]


def test_a_long_text_is_cut_with_an_ellipsis() -> None:
    issue = DetectedIssue(status="final", detail="word " * 200)
    div = to_json(with_narrative(issue))["text"]["div"]
    assert "…</p>" in div and len(div) < LIMIT + 80


def test_the_pain_observation_names_the_signing_therapist_and_scores_the_patient(
    kb: KnowledgeBase,
) -> None:
    observations = [
        to_json(r)
        for r in record_resources(_record(kb))
        if r.get_resource_type() == "Observation"
    ]
    pain, odi = observations
    assert pain["performer"] == [{"type": "Practitioner", "display": "Tess Therapist"}]
    assert odi["performer"][0]["reference"] == odi["subject"]["reference"]
