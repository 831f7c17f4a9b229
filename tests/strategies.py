"""The one Hypothesis generator of assessments, shared by every test package.

``assessment_documents()`` draws valid contract JSON: every nullable field may be null
(``unknowns=False``: answered, mostly "no", so that every verdict row is reached),
every enum with the word may be ``unknown``, dates fall near the rules' day thresholds
(7, 14, 42, 90, 365), pregnancy answers combine freely with sex and weeks, and
clearances are approved, declined or pending, current, expired or dated after the
assessment, with any exclusions. ``proceeding_data()`` narrows the same building
blocks to assessments that screen to ``proceed`` (for the planner).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st
from tests.factories import assessment_data

from spinewise.models import (
    Assessment,
    ClearanceStatus,
    Imaging,
    Modality,
    Morphology,
    PainTrend,
    Profile,
    Region,
    Sex,
    Side,
    assessment_fields,
    levels_for,
)

THRESHOLDS = (7, 14, 42, 90, 365)
RED_FLAGS = tuple(
    p.split(".")[1] for p in assessment_fields() if p.startswith("red_flags.")
)
SECTIONS: dict[str, tuple[str, ...]] = {
    section: tuple(
        p.split(".")[1]
        for p, spec in assessment_fields().items()
        if p.startswith(section + ".") and spec.kind == "bool"
    )
    for section in (
        "symptoms",
        "history",
        "medications",
        "circulation_skin",
        "cardiorespiratory",
        "other",
    )
}
HISTORY_DATES = ("spinal_surgery_date", "other_surgery_date", "epidural_injection_date")

# Mostly "no", so that every verdict row is reached; "unknown" and "yes" often enough.
red_flag_answers = st.sampled_from([False] * 8 + [True, None])
answers = st.sampled_from([False, False, False, True, None])
known_answers = st.sampled_from([False] * 6 + [True])
ASSESSED_ON = dt.date(2026, 11, 24)


def _words(enum: type[Any]) -> st.SearchStrategy[str]:
    return st.sampled_from([member.value for member in enum])


def days_near_thresholds() -> st.SearchStrategy[int]:
    """Whole days back from the assessment: near a threshold, or anywhere in a year."""
    near = st.sampled_from(THRESHOLDS).flatmap(
        lambda t: st.integers(max(0, t - 2), t + 2)
    )
    return st.one_of(near, st.integers(0, 400))


@st.composite
def clearances(
    draw: st.DrawFn, assessed_on: dt.date = ASSESSED_ON
) -> dict[str, Any] | None:
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
def pregnancies(draw: st.DrawFn, unknowns: bool = True) -> dict[str, Any]:
    """Sex, pregnant and weeks in every combination, weeks near the 13th often."""
    pregnant = st.none() | st.booleans() if unknowns else st.booleans()
    return {
        "sex": draw(_words(Sex)),
        "pregnant": draw(pregnant),
        "pregnancy_weeks": draw(st.none() | st.integers(10, 16) | st.integers(0, 45)),
    }


@st.composite
def sections(draw: st.DrawFn, unknowns: bool = True) -> dict[str, dict[str, Any]]:
    """The tri-state answers of every section but the red flags."""
    tri = answers if unknowns else known_answers
    return {
        section: {name: draw(tri) for name in names}
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
def conditions(
    draw: st.DrawFn, profile: Profile, hernia: dict[str, Any] | None
) -> dict[str, Any] | None:
    """The ``condition`` block: always for non-specific pain (any region, thoracic
    included); for a herniation absent, or with the profile and region optional."""
    extra = {
        "start_back_group": draw(
            st.none() | st.sampled_from(["low", "medium", "high"])
        ),
        "sedentary": draw(st.none() | st.booleans()),
    }
    if profile is Profile.NONSPECIFIC_BACK_PAIN:
        region = draw(st.sampled_from(list(Region))).value
        return {"profile": profile.value, "region": region, **extra}
    if hernia is None or draw(st.booleans()):
        return None
    return {
        "profile": draw(st.none() | st.just(profile.value)),
        "region": draw(st.none() | st.just(hernia["region"])),
        **extra,
    }


@st.composite
def assessment_documents(
    draw: st.DrawFn,
    unknowns: bool = True,
    with_clearance: bool = True,
    profile: Profile | None = None,
) -> dict[str, Any]:
    """The contract JSON (dates as ``date``) of one valid assessment.

    ``unknowns=False`` answers every three-valued question (enum words may still be
    ``unknown``); ``with_clearance=False`` leaves the clearance out; ``profile``
    None draws the profile too (a herniation with or without a ``condition`` block,
    or non-specific pain without a ``hernia`` block).
    """
    if profile is None:
        profile = draw(st.sampled_from(list(Profile)))
    hernia = draw(hernias()) if profile is Profile.DISC_HERNIATION else None
    condition = draw(conditions(profile, hernia))
    assessed_on = draw(st.dates(dt.date(2025, 1, 1), dt.date(2027, 12, 31)))
    maybe = st.none() if unknowns else st.nothing()

    def back(days: int) -> dt.date:
        return assessed_on - dt.timedelta(days)

    section_answers = draw(sections(unknowns))
    flags = red_flag_answers if unknowns else known_answers
    document: dict[str, Any] = {
        "schema": "spinewise.assessment/1",
        "assessed_on": assessed_on,
        "patient": {"age": draw(st.integers(0, 120)), **draw(pregnancies(unknowns))},
        "symptoms": {
            "onset_date": back(draw(st.integers(0, 200))),
            "pain_nrs": draw(st.integers(0, 10)),
            "pain_trend": draw(maybe | _words(PainTrend)),
            **section_answers["symptoms"],
        },
        "red_flags": {name: draw(flags) for name in RED_FLAGS},
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
        "clearance": draw(clearances(assessed_on)) if with_clearance else None,
    }
    if hernia is not None:
        document["hernia"] = hernia
    if condition is not None:
        document["condition"] = condition
    return document


def assessments(profile: Profile | None = None) -> st.SearchStrategy[Assessment]:
    """Valid ``Assessment``s with unknowns wherever the contract allows them, of
    ``profile`` (either when None)."""
    return assessment_documents(profile=profile).map(Assessment.model_validate)


def nullable_known_paths(data: dict[str, Any]) -> list[str]:
    """Answered fields that the contract allows to be unknown (history dates excluded)."""
    found = []
    for path, spec in assessment_fields().items():
        section, _, name = path.partition(".")
        if not name or not spec.nullable or spec.kind in ("date", "list"):
            continue
        if path in ("condition.profile", "condition.region"):
            continue  # they choose the profile: not answers that may be unknown
        if data.get(section, {}).get(name) is not None:
            found.append(path)
    return found


# Assessments that screen to ``proceed`` (the planner's input).
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
