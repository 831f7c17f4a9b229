"""The intake form's draft: every contract field asked, answers turned into contract JSON."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.factories import assessment_data, make_assessment

from spinewise.errors import FieldProblem
from spinewise.models import Assessment, Clearance, assessment_fields, parse_model
from spinewise.web.draft import Draft, place_problems, question_for
from spinewise.web.intake import intake_questions, intake_sections

CONTRACT_SECTIONS = [
    "condition", "patient", "hernia", "symptoms", "red_flags", "history", "medications",
    "circulation_skin", "cardiorespiratory", "other", "clearance",
]  # fmt: skip


def test_the_form_asks_every_contract_field() -> None:
    clearance = {f"clearance.{name}" for name in Clearance.model_fields}
    assert set(intake_questions()) == set(assessment_fields()) | clearance


def test_the_form_is_grouped_as_the_contract_groups_it() -> None:
    assert [s.key for s in intake_sections()] == CONTRACT_SECTIONS
    assert intake_sections()[0].questions[0].path == "condition.profile"
    for section in intake_sections()[2:]:
        assert all(q.path.startswith(f"{section.key}.") for q in section.questions)


def test_every_yes_no_question_has_an_explicit_unknown() -> None:
    booleans = [p for p, spec in assessment_fields().items() if spec.kind == "bool"]
    for path in booleans:
        question = intake_questions()[path]
        assert question.control == "tri"
        assert [v for v, _ in question.choices] == ["yes", "no", "unknown"]


def test_a_stored_assessment_round_trips_through_the_form() -> None:
    data = assessment_data(
        medications={"analgesics": ["ibuprofen", "paracetamol"]},
        red_flags={"fever": None},
        history={"spinal_surgery_date": "2026-03-01"},
    )
    again = parse_model(Assessment, Draft.from_contract(data).to_contract())
    assert again == parse_model(Assessment, data)


def test_the_clean_baseline_round_trips_with_its_clearance() -> None:
    draft = Draft.from_contract(make_assessment().to_contract())
    assert parse_model(Assessment, draft.to_contract()) == make_assessment()


def test_yes_no_and_unknown_become_true_false_and_null() -> None:
    draft = Draft.from_pairs(
        [("red_flags.fever", "yes"), ("red_flags.cancer_history", "no"),
         ("red_flags.iv_drug_use", "unknown")]
    )  # fmt: skip
    flags = draft.to_contract()["red_flags"]
    assert flags["fever"] is True
    assert flags["cancer_history"] is False
    assert flags["iv_drug_use"] is None
    assert flags["saddle_anaesthesia"] is None, "unanswered is unknown, never no"


def test_a_blank_form_leaves_required_fields_out_so_they_are_named() -> None:
    data = Draft.blank(dt.date(2026, 11, 24)).to_contract()
    assert data["assessed_on"] == "2026-11-24"
    assert "clearance" not in data
    assert "age" not in data.get("patient", {})


def test_the_clearance_counts_only_when_something_of_it_is_filled_in() -> None:
    assert (
        "clearance"
        not in Draft.from_pairs([("clearance.physician", " ")]).to_contract()
    )
    data = Draft.from_pairs([("clearance.physician", "Dr. P")]).to_contract()
    assert data["clearance"] == {"physician": "Dr. P"}


def test_pain_medicines_are_split_on_commas_and_lines() -> None:
    draft = Draft.from_pairs([("medications.analgesics", "ibuprofen, \nparacetamol;;")])
    assert draft.to_contract()["medications"]["analgesics"] == [
        "ibuprofen",
        "paracetamol",
    ]


def test_levels_and_exclusions_keep_every_ticked_box() -> None:
    draft = Draft.from_pairs(
        [("hernia.levels", "L4-L5"), ("hernia.levels", "L5-S1"),
         ("clearance.excluded_modalities", "vacuum")]
    )  # fmt: skip
    data = draft.to_contract()
    assert data["hernia"]["levels"] == ["L4-L5", "L5-S1"]
    assert data["clearance"]["excluded_modalities"] == ["vacuum"]
    assert draft.has("hernia.levels", "L5-S1") and not draft.has(
        "hernia.levels", "L1-L2"
    )


def test_fields_that_are_not_questions_are_ignored() -> None:
    draft = Draft.from_pairs(
        [("csrf_token", "x"), ("schema", "evil"), ("patient.age", "4")]
    )
    assert set(draft.values) == {"patient.age"}
    assert draft.to_contract()["schema"] == "spinewise.assessment/1"


@pytest.mark.parametrize(
    ("path", "question"),
    [
        ("hernia.levels[0]", "hernia.levels"),
        ("clearance.excluded_modalities[2]", "clearance.excluded_modalities"),
        ("red_flags.fever", "red_flags.fever"),
        ("hernia", None),
        ("(document)", None),
        ("schema", None),
    ],
)
def test_a_problem_path_finds_its_question(path: str, question: str | None) -> None:
    found = question_for(path)
    assert (found.path if found else None) == question


def test_problems_are_placed_next_to_their_questions() -> None:
    placed = place_problems(
        [FieldProblem("hernia.levels[0]", "not a lumbar level"),
         FieldProblem("patient.age", "too old"),
         FieldProblem("(document)", "odd")]
    )  # fmt: skip
    assert placed.by_field == {
        "hernia.levels": ["not a lumbar level"],
        "patient.age": ["too old"],
    }
    assert placed.general == [FieldProblem("(document)", "odd")]
    assert placed.count == 3


def nonspecific() -> dict[str, object]:
    data = assessment_data(
        condition={
            "profile": "nonspecific_back_pain",
            "region": "cervical",
            "start_back_group": None,
            "sedentary": True,
        }
    )
    del data["hernia"]
    return data


def test_a_nonspecific_assessment_round_trips_through_the_form() -> None:
    again = parse_model(Assessment, Draft.from_contract(nonspecific()).to_contract())
    assert again == parse_model(Assessment, nonspecific())


def test_the_nonspecific_form_ignores_the_hidden_hernia_answers() -> None:
    pairs = [
        ("condition.profile", "nonspecific_back_pain"),
        ("condition.region", "lumbar"),
        ("hernia.region", "lumbar"),
        ("hernia.levels", "L4-L5"),
        ("hernia.side", "unknown"),
    ]
    data = Draft.from_pairs(pairs).to_contract()
    assert "hernia" not in data
    assert data["condition"]["profile"] == "nonspecific_back_pain"


def test_the_herniation_form_writes_no_condition_block() -> None:
    pairs = [
        ("condition.profile", "disc_herniation"),
        ("condition.region", "cervical"),
        ("condition.sedentary", "yes"),
        ("hernia.region", "lumbar"),
    ]
    data = Draft.from_pairs(pairs).to_contract()
    assert "condition" not in data, "a herniation is saved exactly as before profiles"
    assert data["hernia"]["region"] == "lumbar"
