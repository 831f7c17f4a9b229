"""Test factories: a valid baseline assessment with overrides, deterministic."""

from __future__ import annotations

import copy
from typing import Any

from spinewise.models import Assessment

BASELINE: dict[str, Any] = {
    "schema": "spinewise.assessment/1",
    "assessed_on": "2026-11-24",
    "patient": {"age": 46, "sex": "female", "pregnant": False, "pregnancy_weeks": None},
    "hernia": {
        "region": "lumbar",
        "levels": ["L4-L5"],
        "morphology": "protrusion",
        "side": "left",
        "imaging": "mri",
    },
    "symptoms": {
        "onset_date": "2026-09-01",
        "pain_nrs": 3,
        "pain_trend": "improving",
        "radicular_pain": False,
        "antalgic_posture": False,
        "severe_muscle_spasm": False,
        "night_pain_unrelenting": False,
    },
    "red_flags": dict.fromkeys(
        (
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
        ),
        False,
    ),
    "history": {
        "osteoporosis": False,
        "long_term_corticosteroids": False,
        "spinal_surgery_date": None,
        "other_surgery_date": None,
        "epidural_injection_date": None,
    },
    "medications": {"anticoagulants": False, "antiplatelets": False, "analgesics": []},
    "circulation_skin": {
        "dvt_current_or_suspected": False,
        "bleeding_disorder": False,
        "varicose_veins_in_area": False,
        "skin_lesion_in_area": False,
        "fragile_skin": False,
        "reduced_skin_sensation": False,
    },
    "cardiorespiratory": {
        "uncontrolled_hypertension": False,
        "decompensated_heart_failure": False,
        "recent_myocardial_infarction": False,
    },
    "other": {
        "uncontrolled_epilepsy": False,
        "incontinence": False,
        "acute_infection": False,
        "intoxication": False,
    },
    "clearance": {
        "status": "approved",
        "physician": "Dr. A. Petrova",
        "date": "2026-11-20",
        "valid_until": "2026-12-20",
        "excluded_modalities": [],
    },
}


def assessment_data(**sections: Any) -> dict[str, Any]:
    """The baseline as contract JSON, each keyword a section merged over it.

    ``assessment_data(red_flags={"fever": True}, clearance=None)``; a top-level
    scalar (``assessed_on=...``) replaces the value.
    """
    data = copy.deepcopy(BASELINE)
    for name, value in sections.items():
        if isinstance(value, dict) and isinstance(data.get(name), dict):
            data[name].update(value)
        else:
            data[name] = value
    return data


def make_assessment(**sections: Any) -> Assessment:
    """A validated ``Assessment``: the clean, approved baseline with overrides."""
    return Assessment.model_validate(assessment_data(**sections))
