"""A small knowledge base that uses every node of the condition language."""

from __future__ import annotations

from typing import Any

from spinewise.kb import KnowledgeBase

SYNTHETIC_RULES: list[dict[str, Any]] = [
    {
        "id": "RF-TST-01",
        "profiles": ["disc_herniation", "nonspecific_back_pain"],
        "severity": "red_flag",
        "modalities": "all",
        "when": {
            "all": [
                {"field": "red_flags.fever", "op": "eq", "value": True},
                {
                    "not": {
                        "any": [
                            {
                                "field": "condition.start_back_group",
                                "op": "in",
                                "value": ["low", "medium"],
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
        "profiles": ["disc_herniation", "nonspecific_back_pain"],
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
        "profiles": ["disc_herniation"],
        "severity": "contraindication",
        "modalities": ["vacuum"],
        "temporary": True,
        "rescreen_after": {"days_since": "symptoms.onset_date"},
        "when": {"not": {"field": "patient.sex", "op": "ne", "value": "male"}},
    },
    {
        "id": "CI-TST-02",
        "profiles": ["disc_herniation", "nonspecific_back_pain"],
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
                    "field": "patient.sex",
                    "op": "eq",
                    "value": "other",
                },
                {"field": "patient.pregnancy_weeks", "op": "is_not_null"},
            ]
        },
    },
    {
        "id": "CI-TST-03",
        "profiles": ["nonspecific_back_pain"],
        "severity": "contraindication",
        "modalities": ["classical"],
        "temporary": True,
        "rescreen_after": {"field": "patient.pregnancy_weeks"},
        "when": {"field": "medications.anticoagulants", "op": "eq", "value": True},
    },
    {
        "id": "PC-TST-01",
        "profiles": ["nonspecific_back_pain"],
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
        "profiles": ["disc_herniation", "nonspecific_back_pain"],
        "severity": "precaution",
        "modalities": "all",
        "when": {
            "any": [{"always": True}, {"field": "red_flags.fever", "op": "is_null"}]
        },
    },
    {
        "id": "IN-TST-01",
        "profiles": ["disc_herniation"],
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
