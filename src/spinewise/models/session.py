"""Session records and the stop decision taken on them (docs/clinical-basis.md#stop-rules).

A ``SessionRecord`` is what the therapist writes after (or while stopping) a session:
which planned steps were done, deviations, the SOAP note, pain NRS before and after,
adverse events and anything that a stop rule reads (red-flag answers, new or worse
neurological symptoms, the patient asking to stop). It is pure content: the store
keeps each signed version (signer, time, version number), so an amendment is a new
signed version of the content, never an edit of the old one.

``StopDecision`` is what ``spinewise.planning.stops.check_stop_rules`` concludes: every
stop, suspension and re-screen carries at least one ``StopReason`` with its rule id
and source.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from spinewise.errors import N_, at_field
from spinewise.models.assessment import RedFlags
from spinewise.models.enums import Modality
from spinewise.models.numbers import INT32_MAX

Nrs = Annotated[int, Field(strict=True, ge=0, le=10)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
Line = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)
]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AdverseEventKind(StrEnum):
    """Closed vocabulary of adverse events a session record may carry."""

    BRUISING_BEYOND_RIM = "bruising_beyond_rim"
    BLISTER = "blister"
    BURN = "burn"
    SKIN_TEAR = "skin_tear"
    DIZZINESS = "dizziness"
    FAINTING = "fainting"
    CHEST_PAIN = "chest_pain"
    PALPITATIONS = "palpitations"
    BREATHLESSNESS = "breathlessness"
    PAIN_INCREASE = "pain_increase"
    PERIPHERALISATION = "peripheralisation"
    NEW_NEUROLOGICAL_SYMPTOM = "new_neurological_symptom"
    OTHER = "other"


class NeuroSymptom(StrEnum):
    """A new or worse neurological symptom noticed at the session (5.6, first row)."""

    NUMBNESS = "numbness"
    WEAKNESS = "weakness"
    SADDLE_NUMBNESS = "saddle_numbness"
    BLADDER_CHANGE = "bladder_change"
    BOWEL_CHANGE = "bowel_change"
    BILATERAL_SYMPTOMS = "bilateral_symptoms"
    OTHER = "other"


SKIN_EVENTS = frozenset(
    {
        AdverseEventKind.BRUISING_BEYOND_RIM,
        AdverseEventKind.BLISTER,
        AdverseEventKind.BURN,
        AdverseEventKind.SKIN_TEAR,
    }
)
CARDIO_EVENTS = frozenset(
    {
        AdverseEventKind.DIZZINESS,
        AdverseEventKind.FAINTING,
        AdverseEventKind.CHEST_PAIN,
        AdverseEventKind.PALPITATIONS,
        AdverseEventKind.BREATHLESSNESS,
    }
)
CES_SYMPTOMS = frozenset(
    {
        NeuroSymptom.SADDLE_NUMBNESS,
        NeuroSymptom.BLADDER_CHANGE,
        NeuroSymptom.BOWEL_CHANGE,
        NeuroSymptom.BILATERAL_SYMPTOMS,
    }
)
CES_RED_FLAGS = frozenset(
    {
        "saddle_anaesthesia",
        "bladder_dysfunction",
        "bowel_dysfunction",
        "sexual_dysfunction_new",
        "bilateral_radicular_symptoms",
    }
)
RED_FLAG_FIELDS = tuple(RedFlags.model_fields)


class AdverseEvent(_Frozen):
    kind: AdverseEventKind
    description: Text = ""


class SoapNote(_Frozen):
    """Subjective, objective, assessment, plan: free text, each may be empty."""

    subjective: Text = ""
    objective: Text = ""
    assessment: Text = ""
    plan: Text = ""


class SessionRecord(_Frozen):
    """What happened at one session of a course plan (the signed content)."""

    session_number: Annotated[int, Field(strict=True, ge=1, le=INT32_MAX)]
    performed_on: dt.date
    modality: Modality
    steps_done: list[Annotated[int, Field(strict=True, ge=1, le=INT32_MAX)]] = Field(
        default_factory=list, description="planned step numbers (1-based) done"
    )
    deviations: list[Line] = Field(default_factory=list)
    soap: SoapNote = Field(default_factory=SoapNote)
    pain_nrs_before: Nrs
    pain_nrs_after: Nrs
    adverse_events: list[AdverseEvent] = Field(default_factory=list)
    red_flags: dict[str, Annotated[bool, Field(strict=True)]] = Field(
        default_factory=dict,
        description="red-flag questions asked at the session (red_flags.* field names)",
    )
    neurological_symptoms: list[NeuroSymptom] = Field(
        default_factory=list, description="new or worse since the last session"
    )
    patient_asked_to_stop: Annotated[bool, Field(strict=True)] = False

    @model_validator(mode="after")
    def _check(self) -> SessionRecord:
        for name in self.red_flags:
            if name not in RED_FLAG_FIELDS:
                raise ValueError(
                    at_field(
                        f"red_flags.{name}",
                        N_(
                            "not a red-flag question; allowed: {values}",
                            values=", ".join(RED_FLAG_FIELDS),
                        ),
                    )
                )
        if len(set(self.steps_done)) != len(self.steps_done):
            raise ValueError(at_field("steps_done", N_("a step is listed twice")))
        return self

    @property
    def pain_change(self) -> int:
        """Pain after minus pain before (positive: the pain rose)."""
        return self.pain_nrs_after - self.pain_nrs_before

    def event_kinds(self) -> frozenset[AdverseEventKind]:
        return frozenset(event.kind for event in self.adverse_events)


class StopReason(_Frozen):
    """One stop rule that held: what happened, what to do, and on what authority."""

    rule_id: str
    trigger: str = Field(description="what was recorded that made the rule hold")
    message: str = Field(description="the rule's action, from the knowledge base")
    source: str
    related_rules: list[str] = Field(
        default_factory=list, description="screening rules the trigger points to"
    )


class StopDecision(_Frozen):
    """The stop rules' verdict on one session record."""

    stop: bool
    suspend_plan: bool
    rescreen_required: bool
    emergency_referral: bool = False
    medical_assessment: bool = False
    suspended_modalities: list[Modality] = Field(default_factory=list)
    step_down_next_session: bool = False
    reasons: list[StopReason] = Field(default_factory=list)

    @model_validator(mode="after")
    def _reasons_are_cited(self) -> StopDecision:
        acting = (
            self.stop
            or self.suspend_plan
            or self.rescreen_required
            or self.suspended_modalities
        )
        if acting and not self.reasons:
            raise ValueError(
                at_field("reasons", N_("a stop or suspension needs a cited reason"))
            )
        return self

    def rule_ids(self) -> list[str]:
        return [reason.rule_id for reason in self.reasons]
