"""Safety laws that hold for every assessment (hypothesis)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import assessment_documents, clearances, nullable_known_paths

from spinewise.kb import KnowledgeBase, load_kb
from spinewise.models import (
    Assessment,
    Decision,
    Modality,
    ModalityStatus,
    Profile,
    Verdict,
)
from spinewise.screening import screen

KB: KnowledgeBase = load_kb()
SOLO_RED_FLAGS = (
    "saddle_anaesthesia",
    "bladder_dysfunction",
    "bowel_dysfunction",
    "sexual_dysfunction_new",
    "bilateral_radicular_symptoms",
    "progressive_motor_weakness",
    "myelopathy_signs",
    "cancer_history",
    "unexplained_weight_loss",
    "recent_significant_trauma",
)
RANK = {
    ModalityStatus.ALLOWED: 2,
    ModalityStatus.WITH_PRECAUTIONS: 1,
    ModalityStatus.UNDETERMINED: 0,
    ModalityStatus.CONTRAINDICATED: 0,
}
GO = (Verdict.PROCEED, Verdict.AWAITING_CLEARANCE)
each_profile = pytest.mark.parametrize("profile", list(Profile))


def decide(data: dict[str, Any]) -> Decision:
    return screen(Assessment.model_validate(data), KB)


def with_value(data: dict[str, Any], path: str, value: object) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    section, name = path.split(".")
    changed.setdefault(section, {})[name] = value
    return changed


@each_profile
@given(flag=st.sampled_from(SOLO_RED_FLAGS), documents=st.data())
def test_any_solo_red_flag_gives_urgent_referral(
    profile: Profile, flag: str, documents: st.DataObject
) -> None:
    data = documents.draw(assessment_documents(unknowns=False, profile=profile))
    decision = decide(with_value(data, f"red_flags.{flag}", True))
    assert decision.verdict is Verdict.URGENT_REFERRAL
    assert all(
        d.status is ModalityStatus.CONTRAINDICATED for d in decision.modalities.values()
    )


@each_profile
@given(draw=st.data(), documents=st.data())
def test_forgetting_an_answer_never_makes_anything_more_permissive(
    profile: Profile, draw: st.DataObject, documents: st.DataObject
) -> None:
    data = documents.draw(assessment_documents(unknowns=False, profile=profile))
    path = draw.draw(st.sampled_from(nullable_known_paths(data)))
    full, partial = decide(data), decide(with_value(data, path, None))
    for modality in Modality:
        assert (
            RANK[partial.modalities[modality].status]
            <= RANK[full.modalities[modality].status]
        ), (path, modality)
    if partial.verdict in GO:
        assert full.verdict in GO


@each_profile
@given(
    path=st.sampled_from(
        [
            f"red_flags.{f}"
            for f in (*SOLO_RED_FLAGS, "fever", "immunosuppressed", "iv_drug_use")
        ]
    ),
    documents=st.data(),
)
def test_an_unknown_red_flag_answer_is_incomplete_unless_a_red_flag_fires(
    profile: Profile, path: str, documents: st.DataObject
) -> None:
    data = documents.draw(assessment_documents(unknowns=False, profile=profile))
    decision = decide(with_value(data, path, None))
    assert decision.verdict in (Verdict.INCOMPLETE, Verdict.URGENT_REFERRAL)
    if decision.verdict is Verdict.INCOMPLETE:
        assert path in decision.missing


@each_profile
@given(documents=st.data())
def test_fever_never_proceeds(profile: Profile, documents: st.DataObject) -> None:
    data = documents.draw(assessment_documents(unknowns=False, profile=profile))
    assert decide(with_value(data, "red_flags.fever", True)).verdict not in GO


@each_profile
@given(clearance=clearances(), documents=st.data())
def test_no_clearance_turns_a_stop_into_proceed(
    profile: Profile, clearance: dict[str, Any] | None, documents: st.DataObject
) -> None:
    data = documents.draw(
        assessment_documents(unknowns=False, with_clearance=False, profile=profile)
    )
    before = decide({**data, "clearance": None}).verdict
    after = decide({**data, "clearance": clearance}).verdict
    if before in (Verdict.URGENT_REFERRAL, Verdict.NOT_NOW, Verdict.NOT_SUITABLE):
        assert after is not Verdict.PROCEED
    if before is Verdict.URGENT_REFERRAL:
        assert after is Verdict.URGENT_REFERRAL


@each_profile
@settings(max_examples=150)
@given(modality=st.sampled_from(list(Modality)), documents=st.data())
def test_excluding_a_modality_never_allows_it(
    profile: Profile, modality: Modality, documents: st.DataObject
) -> None:
    data = documents.draw(assessment_documents(unknowns=False, profile=profile))
    clearance = data.get("clearance") or {
        "status": "approved",
        "physician": "Dr. X",
        "date": "2026-11-01",
        "valid_until": None,
        "excluded_modalities": [],
    }
    if clearance["status"] == "pending":
        clearance = {**clearance, "status": "approved"}
    excluded = sorted({*clearance["excluded_modalities"], modality.value})
    decision = decide(
        {**data, "clearance": {**clearance, "excluded_modalities": excluded}}
    )
    assert decision.modalities[modality].status is ModalityStatus.CONTRAINDICATED
    assert modality not in decision.usable_modalities()
