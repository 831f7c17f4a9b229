"""The assessment: input of screening, schema ``spinewise.assessment/1``.

Booleans are three-valued: ``None`` (or absent) means *not asked / unknown*, never "no".
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from spinewise.models.enums import (
    ClearanceStatus,
    Imaging,
    Modality,
    Morphology,
    PainTrend,
    Region,
    Sex,
    Side,
)

ASSESSMENT_SCHEMA = "spinewise.assessment/1"

_VERTEBRAE = (
    [f"C{i}" for i in range(1, 8)]
    + [f"T{i}" for i in range(1, 13)]
    + [f"L{i}" for i in range(1, 6)]
    + [f"S{i}" for i in range(1, 6)]
)
_LEVEL_RANGES: dict[Region, tuple[str, str]] = {
    Region.CERVICAL: ("C2-C3", "C7-T1"),
    Region.THORACIC: ("T1-T2", "T12-L1"),
    Region.LUMBAR: ("L1-L2", "L5-S1"),
}
_LEVEL = re.compile(r"^([CTLS]\d{1,2})-([CTLS]\d{1,2})$")


def vertebrae() -> list[str]:
    """Every vertebra from C1 to S5, top to bottom (the sacrum counted as S1..S5)."""
    return list(_VERTEBRAE)


def levels_for(region: Region) -> list[str]:
    """The disc levels a hernia of ``region`` may be at, top to bottom."""
    first, last = _LEVEL_RANGES[region]
    start = _VERTEBRAE.index(first.split("-")[0])
    stop = _VERTEBRAE.index(last.split("-")[0])
    return [f"{_VERTEBRAE[i]}-{_VERTEBRAE[i + 1]}" for i in range(start, stop + 1)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


TriState = bool | None


class Patient(_Section):
    age: Annotated[int, Field(ge=0, le=120)]
    sex: Sex | None = None  # null and "unknown" both mean unknown
    pregnant: TriState = None
    pregnancy_weeks: Annotated[int, Field(ge=0, le=45)] | None = None


class Hernia(_Section):
    region: Region
    levels: Annotated[list[str], Field(min_length=1)]
    morphology: Morphology | None = None
    side: Side | None = None
    imaging: Imaging | None = None

    @model_validator(mode="after")
    def _levels_belong_to_region(self) -> Hernia:
        allowed = levels_for(self.region)
        for index, level in enumerate(self.levels):
            if level not in allowed:
                raise ValueError(
                    f"levels[{index}]: {level!r} is not a {self.region} level; "
                    f"allowed: {allowed[0]}..{allowed[-1]}"
                )
        if len(set(self.levels)) != len(self.levels):
            raise ValueError("levels: a level is listed twice")
        return self


class Symptoms(_Section):
    onset_date: dt.date
    pain_nrs: Annotated[int, Field(ge=0, le=10)]
    pain_trend: PainTrend | None = None
    radicular_pain: TriState = None
    antalgic_posture: TriState = None
    severe_muscle_spasm: TriState = None
    night_pain_unrelenting: TriState = None


class RedFlags(_Section):
    saddle_anaesthesia: TriState = None
    bladder_dysfunction: TriState = None
    bowel_dysfunction: TriState = None
    sexual_dysfunction_new: TriState = None
    bilateral_radicular_symptoms: TriState = None
    progressive_motor_weakness: TriState = None
    myelopathy_signs: TriState = None
    fever: TriState = None
    unexplained_weight_loss: TriState = None
    cancer_history: TriState = None
    recent_significant_trauma: TriState = None
    immunosuppressed: TriState = None
    iv_drug_use: TriState = None


class History(_Section):
    osteoporosis: TriState = None
    long_term_corticosteroids: TriState = None
    spinal_surgery_date: dt.date | None = None
    other_surgery_date: dt.date | None = None
    epidural_injection_date: dt.date | None = None


class Medications(_Section):
    anticoagulants: TriState = None
    antiplatelets: TriState = None
    analgesics: list[str] = Field(default_factory=list)


class CirculationSkin(_Section):
    dvt_current_or_suspected: TriState = None
    bleeding_disorder: TriState = None
    varicose_veins_in_area: TriState = None
    skin_lesion_in_area: TriState = None
    fragile_skin: TriState = None
    reduced_skin_sensation: TriState = None


class Cardiorespiratory(_Section):
    uncontrolled_hypertension: TriState = None
    decompensated_heart_failure: TriState = None
    recent_myocardial_infarction: TriState = None


class Other(_Section):
    uncontrolled_epilepsy: TriState = None
    incontinence: TriState = None
    acute_infection: TriState = None
    intoxication: TriState = None


class Clearance(_Section):
    """The attending physician's decision as recorded on the assessment."""

    status: ClearanceStatus
    physician: str | None = None
    date: dt.date | None = None
    valid_until: dt.date | None = None
    excluded_modalities: list[Modality] = Field(default_factory=list)

    @model_validator(mode="after")
    def _dates_in_order(self) -> Clearance:
        if self.date and self.valid_until and self.valid_until < self.date:
            raise ValueError(
                f"valid_until: {self.valid_until} is before the clearance date "
                f"{self.date}; allowed: a date on or after it, or null"
            )
        return self

    def is_valid_on(self, day: dt.date) -> bool:
        """An approval dated on or before ``day`` and not expired by it."""
        return (
            self.status is ClearanceStatus.APPROVED
            and (self.date is None or self.date <= day)
            and (self.valid_until is None or self.valid_until >= day)
        )


class Assessment(_Section):
    """One structured intake, as the screening contract defines it."""

    schema_: Literal["spinewise.assessment/1"] = Field(alias="schema")
    assessed_on: dt.date
    patient: Patient
    hernia: Hernia
    symptoms: Symptoms
    red_flags: RedFlags = Field(default_factory=RedFlags)
    history: History = Field(default_factory=History)
    medications: Medications = Field(default_factory=Medications)
    circulation_skin: CirculationSkin = Field(default_factory=CirculationSkin)
    cardiorespiratory: Cardiorespiratory = Field(default_factory=Cardiorespiratory)
    other: Other = Field(default_factory=Other)
    clearance: Clearance | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @field_validator("schema_", mode="before")
    @classmethod
    def _known_schema(cls, value: object) -> object:
        if value != ASSESSMENT_SCHEMA:
            raise ValueError(f"unknown schema {value!r}; allowed: {ASSESSMENT_SCHEMA}")
        return value

    @model_validator(mode="after")
    def _dates_not_after_assessment(self) -> Assessment:
        checks = {
            "symptoms.onset_date": self.symptoms.onset_date,
            "history.spinal_surgery_date": self.history.spinal_surgery_date,
            "history.other_surgery_date": self.history.other_surgery_date,
            "history.epidural_injection_date": self.history.epidural_injection_date,
        }
        for path, value in checks.items():
            if value is not None and value > self.assessed_on:
                raise ValueError(
                    f"{path}: {value} is after assessed_on {self.assessed_on}; "
                    "allowed: a date on or before the assessment"
                )
        return self

    def to_contract(self) -> dict[str, object]:
        """The assessment as contract JSON (the form it is stored and exported in)."""
        return self.model_dump(mode="json", by_alias=True)
