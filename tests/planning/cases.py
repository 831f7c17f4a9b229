"""Hypothesis strategy: assessments that screen to ``proceed``, with every precaution
field free to be true, false or unknown, and blocking fields known (true or false)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st
from tests.factories import assessment_data

from spinewise.models import Modality, Region, levels_for

ASSESSED_ON = dt.date(2026, 11, 24)
TRI = st.sampled_from([False, False, True, None])
KNOWN = st.sampled_from([False, False, False, True])


def _ago(low: int, high: int) -> st.SearchStrategy[str]:
    return st.integers(low, high).map(
        lambda days: (ASSESSED_ON - dt.timedelta(days)).isoformat()
    )


@st.composite
def _hernia(draw: st.DrawFn) -> dict[str, Any]:
    region = draw(st.sampled_from(list(Region)))
    levels = draw(
        st.lists(
            st.sampled_from(levels_for(region)), min_size=1, max_size=2, unique=True
        )
    )
    return {
        "region": region.value,
        "levels": levels,
        "morphology": draw(
            st.sampled_from(
                ["bulge", "protrusion", "extrusion", "sequestration", "unknown"]
            )
        ),
        "side": draw(
            st.sampled_from(["left", "right", "central", "bilateral", "unknown"])
        ),
        "imaging": draw(st.sampled_from(["mri", "ct", "none", None])),
    }


@st.composite
def _patient(draw: st.DrawFn) -> dict[str, Any]:
    sex = draw(st.sampled_from(["female", "male", "other", "unknown"]))
    pregnant = False if sex == "male" else draw(KNOWN)
    weeks = draw(st.integers(13, 40)) if pregnant else None
    return {
        "age": draw(st.integers(16, 90)),
        "sex": sex,
        "pregnant": pregnant,
        "pregnancy_weeks": weeks,
    }


@st.composite
def proceeding_data(draw: st.DrawFn) -> dict[str, Any]:
    """Contract JSON likely to screen to ``proceed`` (filter with the verdict)."""
    immuno = draw(KNOWN)
    excluded = draw(st.lists(st.sampled_from(list(Modality)), max_size=2, unique=True))
    return assessment_data(
        patient=draw(_patient()),
        hernia=draw(_hernia()),
        symptoms={
            "onset_date": draw(_ago(42, 600)),
            "pain_nrs": draw(st.integers(0, 6)),
            "pain_trend": draw(
                st.sampled_from(["improving", "stable", "worsening", None])
            ),
            "radicular_pain": draw(TRI),
            "antalgic_posture": draw(TRI),
            "severe_muscle_spasm": draw(TRI),
        },
        red_flags={"immunosuppressed": immuno, "iv_drug_use": draw(KNOWN)},
        history={
            "osteoporosis": draw(TRI),
            "long_term_corticosteroids": draw(TRI),
            "spinal_surgery_date": draw(st.none() | _ago(42, 800)),
            "other_surgery_date": draw(st.none() | _ago(42, 800)),
            "epidural_injection_date": draw(st.none() | _ago(7, 800)),
        },
        medications={"anticoagulants": draw(KNOWN), "antiplatelets": draw(KNOWN)},
        circulation_skin={
            "bleeding_disorder": draw(KNOWN),
            "varicose_veins_in_area": draw(KNOWN),
            "skin_lesion_in_area": draw(KNOWN),
            "fragile_skin": draw(KNOWN),
            "reduced_skin_sensation": draw(TRI),
        },
        cardiorespiratory={"uncontrolled_hypertension": draw(KNOWN)},
        other={"incontinence": draw(KNOWN), "uncontrolled_epilepsy": draw(KNOWN)},
        clearance={
            "status": "approved",
            "physician": "Dr. A. Petrova",
            "date": "2026-11-20",
            "valid_until": draw(st.sampled_from(["2026-12-20", "2027-03-01", None])),
            "excluded_modalities": [m.value for m in excluded],
        },
    )
