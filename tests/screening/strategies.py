"""Hypothesis strategies: valid assessments with unknowns everywhere the contract allows.

Every nullable field may be null, every enum with the word may be ``unknown``, dates
fall near the rules' day thresholds (7, 14, 42, 90, 365), pregnancy answers combine
freely with sex and weeks, and clearances are approved, declined or pending, current,
expired or dated after the assessment, with any exclusions.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from spinewise.kb import KnowledgeBase
from spinewise.models import (
    Assessment,
    ClearanceStatus,
    Imaging,
    Modality,
    Morphology,
    PainTrend,
    Region,
    Sex,
    Side,
    levels_for,
)

THRESHOLDS = (7, 14, 42, 90, 365)
RED_FLAGS = (
    "saddle_anaesthesia",
    "bladder_dysfunction",
    "bowel_dysfunction",
    "sexual_dysfunction_new",
    "bilateral_radicular_symptoms",
    "progressive_motor_weakness",
    "myelopathy_signs",
    "fever",
    "unexplained_weight_loss",
    "cancer_history",
    "recent_significant_trauma",
    "immunosuppressed",
    "iv_drug_use",
)
SECTIONS: dict[str, tuple[str, ...]] = {
    "symptoms": (
        "radicular_pain",
        "antalgic_posture",
        "severe_muscle_spasm",
        "night_pain_unrelenting",
    ),
    "history": ("osteoporosis", "long_term_corticosteroids"),
    "medications": ("anticoagulants", "antiplatelets"),
    "circulation_skin": (
        "dvt_current_or_suspected",
        "bleeding_disorder",
        "varicose_veins_in_area",
        "skin_lesion_in_area",
        "fragile_skin",
        "reduced_skin_sensation",
    ),
    "cardiorespiratory": (
        "uncontrolled_hypertension",
        "decompensated_heart_failure",
        "recent_myocardial_infarction",
    ),
    "other": (
        "uncontrolled_epilepsy",
        "incontinence",
        "acute_infection",
        "intoxication",
    ),
}
HISTORY_DATES = ("spinal_surgery_date", "other_surgery_date", "epidural_injection_date")

# Mostly "no", so that every verdict row is reached; "unknown" and "yes" often enough.
red_flag_answers = st.sampled_from([False] * 8 + [True, None])
answers = st.sampled_from([False, False, False, True, None])


def _words(enum: type[Any]) -> st.SearchStrategy[str]:
    return st.sampled_from([member.value for member in enum])


def days_near_thresholds() -> st.SearchStrategy[int]:
    """Whole days back from the assessment: near a threshold, or anywhere in a year."""
    near = st.sampled_from(THRESHOLDS).flatmap(
        lambda t: st.integers(max(0, t - 2), t + 2)
    )
    return st.one_of(near, st.integers(0, 400))


@st.composite
def clearances(draw: st.DrawFn, assessed_on: dt.date) -> dict[str, Any] | None:
    """Absent, or approved / declined / pending; current, expired or in the future."""
    status = draw(st.none() | _words(ClearanceStatus))
    if status is None:
        return None
    start = draw(st.none() | st.integers(-10, 120))  # days before the assessment
    date = None if start is None else assessed_on - dt.timedelta(start)
    length = draw(st.none() | st.integers(0, 120))
    valid_until = None
    if length is not None:
        valid_until = (date or assessed_on - dt.timedelta(60)) + dt.timedelta(length)
    if date is not None and valid_until is not None and valid_until < date:
        valid_until = date
    return {
        "status": status,
        "physician": draw(st.none() | st.just("Dr. A. Petrova")),
        "date": date,
        "valid_until": valid_until,
        "excluded_modalities": draw(
            st.lists(_words(Modality), unique=True, max_size=3)
        ),
    }


@st.composite
def pregnancies(draw: st.DrawFn) -> dict[str, Any]:
    """Sex, pregnant and weeks in every combination, weeks near the 13th often."""
    return {
        "sex": draw(_words(Sex)),
        "pregnant": draw(st.none() | st.booleans()),
        "pregnancy_weeks": draw(st.none() | st.integers(10, 16) | st.integers(0, 45)),
    }


@st.composite
def sections(draw: st.DrawFn) -> dict[str, dict[str, Any]]:
    """The tri-state answers of every section but the red flags."""
    return {
        section: {name: draw(answers) for name in names}
        for section, names in SECTIONS.items()
    }


@st.composite
def hernias(draw: st.DrawFn) -> dict[str, Any]:
    region = draw(st.sampled_from(list(Region)))
    levels = st.lists(
        st.sampled_from(levels_for(region)), min_size=1, max_size=2, unique=True
    )
    return {
        "region": region.value,
        "levels": draw(levels),
        "morphology": draw(_words(Morphology)),
        "side": draw(_words(Side)),
        "imaging": draw(st.none() | _words(Imaging)),
    }


@st.composite
def assessment_documents(draw: st.DrawFn) -> dict[str, Any]:
    """The contract JSON (dates as ``date``) of one valid assessment."""
    assessed_on = draw(st.dates(dt.date(2025, 1, 1), dt.date(2027, 12, 31)))

    def back(days: int) -> dt.date:
        return assessed_on - dt.timedelta(days)

    section_answers = draw(sections())
    return {
        "schema": "spinewise.assessment/1",
        "assessed_on": assessed_on,
        "patient": {"age": draw(st.integers(0, 120)), **draw(pregnancies())},
        "hernia": draw(hernias()),
        "symptoms": {
            "onset_date": back(draw(st.integers(0, 200))),
            "pain_nrs": draw(st.integers(0, 10)),
            "pain_trend": draw(st.none() | _words(PainTrend)),
            **section_answers["symptoms"],
        },
        "red_flags": {name: draw(red_flag_answers) for name in RED_FLAGS},
        "history": {
            **section_answers["history"],
            **{
                name: draw(st.none() | days_near_thresholds().map(back))
                for name in HISTORY_DATES
            },
        },
        "medications": {
            **section_answers["medications"],
            "analgesics": draw(
                st.lists(st.sampled_from(["ibuprofen", "paracetamol"]), max_size=2)
            ),
        },
        "circulation_skin": section_answers["circulation_skin"],
        "cardiorespiratory": section_answers["cardiorespiratory"],
        "other": section_answers["other"],
        "clearance": draw(clearances(assessed_on)),
    }


def assessments() -> st.SearchStrategy[Assessment]:
    """Valid ``Assessment``s with unknowns wherever the contract allows them."""
    return assessment_documents().map(Assessment.model_validate)


SYNTHETIC_RULES: list[dict[str, Any]] = [
    {
        "id": "RF-TST-01",
        "severity": "red_flag",
        "modalities": "all",
        "when": {
            "all": [
                {"field": "red_flags.fever", "op": "eq", "value": True},
                {
                    "not": {
                        "any": [
                            {
                                "field": "hernia.side",
                                "op": "in",
                                "value": ["left", "right"],
                            },
                            {"field": "patient.pregnant", "op": "is_null"},
                        ]
                    }
                },
            ]
        },
    },
    {
        "id": "DF-TST-01",
        "severity": "defer",
        "modalities": "all",
        "temporary": True,
        "rescreen_after": {"mul": [{"sub": [20, {"field": "symptoms.pain_nrs"}]}, 2]},
        "when": {
            "all": [
                {"always": True},
                {"field": "symptoms.pain_nrs", "op": "gt", "value": 8},
            ]
        },
    },
    {
        "id": "CI-TST-01",
        "severity": "contraindication",
        "modalities": ["vacuum"],
        "temporary": True,
        "rescreen_after": {"days_since": "symptoms.onset_date"},
        "when": {"not": {"field": "patient.sex", "op": "ne", "value": "male"}},
    },
    {
        "id": "CI-TST-02",
        "severity": "contraindication",
        "modalities": ["hydromassage"],
        "when": {
            "any": [
                {
                    "not": {
                        "days_since": "history.spinal_surgery_date",
                        "op": "ge",
                        "value": 30,
                    }
                },
                {
                    "field": "hernia.morphology",
                    "op": "eq",
                    "value": "sequestration",
                },
                {"field": "patient.pregnancy_weeks", "op": "is_not_null"},
            ]
        },
    },
    {
        "id": "CI-TST-03",
        "severity": "contraindication",
        "modalities": ["classical"],
        "temporary": True,
        "rescreen_after": {"field": "patient.pregnancy_weeks"},
        "when": {"field": "medications.anticoagulants", "op": "eq", "value": True},
    },
    {
        "id": "PC-TST-01",
        "severity": "precaution",
        "modalities": ["classical", "vacuum"],
        "when": {
            "all": [
                {"field": "patient.age", "op": "le", "value": 30},
                {
                    "not": {
                        "field": "symptoms.radicular_pain",
                        "op": "eq",
                        "value": False,
                    }
                },
            ]
        },
    },
    {
        "id": "PC-TST-02",
        "severity": "precaution",
        "modalities": "all",
        "when": {
            "any": [{"always": True}, {"field": "red_flags.fever", "op": "is_null"}]
        },
    },
    {
        "id": "IN-TST-01",
        "severity": "info",
        "modalities": "all",
        "when": {"field": "hernia.imaging", "op": "eq", "value": "ct"},
    },
]


def synthetic_kb() -> KnowledgeBase:
    """A small knowledge base that uses every node of the condition language.

    ``not`` around ``any`` and ``ne``, ``always`` inside ``all`` and ``any``, ``in``,
    ``le``/``gt``, ``is_null``/``is_not_null``, ``days_since`` over a history date
    without a null guard, and re-screen expressions with ``mul``, ``sub``, a field,
    ``days_since`` and a constant.
    """
    message = "A rule written for the tests of the evaluators."
    return KnowledgeBase.model_validate(
        {
            "version": "test-1",
            "sources": {"TEST": {"id": "TEST", "citation": "The test suite."}},
            "rules": [
                {**rule, "message": message, "source": "TEST"}
                for rule in SYNTHETIC_RULES
            ],
        }
    )
