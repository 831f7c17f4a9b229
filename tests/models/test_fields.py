"""Each assessment field is described once, and every form reads that description."""

from __future__ import annotations

from spinewise.interop import questionnaire_fields
from spinewise.models import Assessment, assessment_fields, described_fields, enum_words
from spinewise.web.intake import intake_questions


def test_every_field_has_a_label() -> None:
    assert all(spec.label for spec in described_fields().values())


def test_the_intake_form_asks_every_field_with_its_label() -> None:
    questions = intake_questions()
    condition = [p for p in described_fields() if p.startswith("condition.")]
    rest = [p for p in described_fields() if not p.startswith("condition.")]
    assert list(questions) == condition + rest  # the profile is asked first
    for path, spec in described_fields().items():
        assert questions[path].label == spec.label
        assert questions[path].hint == spec.help


def test_the_questionnaire_items_read_the_same_labels() -> None:
    texts = {f.path: f.text for f in questionnaire_fields()}
    assert texts == {p: s.label for p, s in described_fields().items()}


def test_number_bounds_come_from_the_model() -> None:
    pain = described_fields()["symptoms.pain_nrs"]
    assert (pain.low, pain.high) == (0, 10)
    assert intake_questions()["patient.age"].high == 120


def test_rules_cannot_read_the_clearance() -> None:
    assert not any(p.startswith("clearance.") for p in assessment_fields())
    assert "clearance" in Assessment.model_fields


def test_the_enum_word_unknown_reads_as_none() -> None:
    words = enum_words()
    assert words["unknown"] is None
    assert words["lumbar"] == "lumbar"
