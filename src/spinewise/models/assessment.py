"""The assessment: input of screening, schema ``spinewise.assessment/1``.

Booleans are three-valued: ``None`` (or absent) means *not asked / unknown*, never "no".
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    field_validator,
    model_validator,
)

from spinewise.errors import N_, at_field
from spinewise.models.enums import (
    ClearanceStatus,
    Imaging,
    Modality,
    Morphology,
    PainTrend,
    Profile,
    Region,
    Sex,
    Side,
)
from spinewise.models.outcome import StartBackRisk

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


def _levels(region: Region) -> tuple[str, ...]:
    first, last = _LEVEL_RANGES[region]
    start = _VERTEBRAE.index(first.split("-")[0])
    stop = _VERTEBRAE.index(last.split("-")[0])
    return tuple(f"{_VERTEBRAE[i]}-{_VERTEBRAE[i + 1]}" for i in range(start, stop + 1))


_LEVELS = {region: _levels(region) for region in _LEVEL_RANGES}


def levels_for(region: Region) -> list[str]:
    """The disc levels a hernia of ``region`` may be at, top to bottom."""
    return list(_LEVELS[region])


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


TriState = bool | None


class Patient(_Section):
    age: Annotated[int, Field(ge=0, le=120)] = Field(title="Age in years")
    sex: Sex | None = Field(None, title="Sex")  # null and "unknown" both mean unknown
    pregnant: TriState = Field(None, title="Pregnant")
    pregnancy_weeks: Annotated[int, Field(ge=0, le=45)] | None = Field(
        None, title="Weeks of pregnancy", description="Only if pregnant."
    )


class ConditionBlock(_Section):
    """The condition profile of the assessment (absent block = disc herniation)."""

    profile: Profile | None = Field(
        None,
        title="Condition profile",
        description="Disc herniation (diagnosed), or non-specific low back or neck pain.",
    )
    region: Region | None = Field(
        None,
        title="Region of the pain",
        description="Required for non-specific pain; for a herniation, as the hernia's.",
    )
    start_back_group: StartBackRisk | None = Field(
        None,
        title="STarT Back group",
        description="Keele STarT Back risk group; leave empty if not scored.",
    )
    sedentary: Annotated[bool, Strict()] | None = Field(
        None,
        title="Sedentary (sits most of the working day, or little daily activity)",
    )


class Hernia(_Section):
    region: Region = Field(title="Region of the hernia")
    levels: Annotated[list[str], Field(min_length=1)] = Field(
        title="Disc levels",
        description="Tick every herniated level; they must belong to the region.",
    )
    morphology: Morphology | None = Field(None, title="Morphology")
    side: Side | None = Field(None, title="Side")
    imaging: Imaging | None = Field(None, title="Imaging")

    @model_validator(mode="after")
    def _levels_belong_to_region(self) -> Hernia:
        allowed = _LEVELS[self.region]  # checked on every read of a stored one
        for index, level in enumerate(self.levels):
            if level not in allowed:
                raise ValueError(
                    at_field(
                        f"levels[{index}]",
                        N_(
                            "{level!r} is not a {region} level; allowed: {first}..{last}",
                            index=index,
                            level=level,
                            region=self.region,
                            first=allowed[0],
                            last=allowed[-1],
                        ),
                    )
                )
        if len(set(self.levels)) != len(self.levels):
            raise ValueError(at_field("levels", N_("a level is listed twice")))
        return self


class Symptoms(_Section):
    onset_date: dt.date = Field(
        title="Start of the current episode",
        description="A flare that is a new episode gets a new date.",
    )
    pain_nrs: Annotated[int, Field(ge=0, le=10)] = Field(
        title="Pain now, 0 (none) to 10 (worst)"
    )
    pain_trend: PainTrend | None = Field(None, title="Pain trend")
    radicular_pain: TriState = Field(
        None, title="Radicular pain (into the leg; into the arm for a cervical hernia)"
    )
    antalgic_posture: TriState = Field(
        None, title="Antalgic (forced, protective) posture"
    )
    severe_muscle_spasm: TriState = Field(None, title="Severe muscle spasm")
    night_pain_unrelenting: TriState = Field(
        None, title="Constant, non-mechanical night pain"
    )


class RedFlags(_Section):
    saddle_anaesthesia: TriState = Field(
        None, title="Saddle anaesthesia (numbness between the legs)"
    )
    bladder_dysfunction: TriState = Field(
        None, title="New bladder retention or incontinence"
    )
    bowel_dysfunction: TriState = Field(
        None, title="New bowel incontinence or loss of control"
    )
    sexual_dysfunction_new: TriState = Field(None, title="New sexual dysfunction")
    bilateral_radicular_symptoms: TriState = Field(
        None, title="Radicular symptoms on both sides"
    )
    progressive_motor_weakness: TriState = Field(
        None, title="Progressive motor weakness"
    )
    myelopathy_signs: TriState = Field(
        None,
        title="Signs of myelopathy (gait disturbance, clumsy hands, brisk reflexes)",
    )
    fever: TriState = Field(None, title="Fever now (38.0 °C or more)")
    unexplained_weight_loss: TriState = Field(None, title="Unexplained weight loss")
    cancer_history: TriState = Field(None, title="History of cancer")
    recent_significant_trauma: TriState = Field(None, title="Recent significant trauma")
    immunosuppressed: TriState = Field(None, title="Immunosuppressed")
    iv_drug_use: TriState = Field(None, title="Intravenous drug use")


class History(_Section):
    osteoporosis: TriState = Field(None, title="Osteoporosis")
    long_term_corticosteroids: TriState = Field(None, title="Long-term corticosteroids")
    spinal_surgery_date: dt.date | None = Field(
        None,
        title="Date of spinal surgery",
        description="Leave empty if there was none.",
    )
    other_surgery_date: dt.date | None = Field(
        None,
        title="Date of other surgery",
        description="Leave empty if there was none.",
    )
    epidural_injection_date: dt.date | None = Field(
        None,
        title="Date of epidural injection",
        description="Leave empty if there was none.",
    )


class Medications(_Section):
    anticoagulants: TriState = Field(
        None, title="Anticoagulants (warfarin, DOACs, heparins)"
    )
    antiplatelets: TriState = Field(None, title="Antiplatelet drugs")
    analgesics: list[str] = Field(
        default_factory=list,
        title="Pain medicines",
        description="Separate with commas. Drug therapy stays with the physician.",
    )


class CirculationSkin(_Section):
    dvt_current_or_suspected: TriState = Field(
        None, title="Deep vein thrombosis, current or suspected"
    )
    bleeding_disorder: TriState = Field(None, title="Bleeding disorder")
    varicose_veins_in_area: TriState = Field(
        None, title="Varicose veins in the massage area"
    )
    skin_lesion_in_area: TriState = Field(
        None, title="Skin lesion over the back (wound, infection, rash, burn, eczema)"
    )
    fragile_skin: TriState = Field(None, title="Fragile skin")
    reduced_skin_sensation: TriState = Field(None, title="Reduced skin sensation")


class Cardiorespiratory(_Section):
    uncontrolled_hypertension: TriState = Field(
        None, title="Uncontrolled high blood pressure"
    )
    decompensated_heart_failure: TriState = Field(
        None, title="Decompensated heart failure"
    )
    recent_myocardial_infarction: TriState = Field(None, title="Recent heart attack")


class Other(_Section):
    uncontrolled_epilepsy: TriState = Field(None, title="Uncontrolled epilepsy")
    incontinence: TriState = Field(
        None, title="Incontinence of any kind (matters for pools and baths)"
    )
    acute_infection: TriState = Field(
        None, title="Acute infection (respiratory, urinary, skin, …)"
    )
    intoxication: TriState = Field(
        None, title="Under the influence of alcohol or drugs now"
    )


class Clearance(_Section):
    """The attending physician's decision as recorded on the assessment."""

    status: ClearanceStatus = Field(title="Physician's decision")
    physician: str | None = Field(None, title="Physician")
    date: dt.date | None = Field(None, title="Date of the decision")
    valid_until: dt.date | None = Field(
        None, title="Valid until", description="Empty: valid until the next assessment."
    )
    excluded_modalities: list[Modality] = Field(
        default_factory=list, title="Modalities the physician excludes"
    )

    @model_validator(mode="after")
    def _dates_in_order(self) -> Clearance:
        if self.date and self.valid_until and self.valid_until < self.date:
            raise ValueError(
                at_field(
                    "valid_until",
                    N_(
                        "{valid_until} is before the clearance date {date}; allowed: a date on or after it, or null",
                        valid_until=self.valid_until,
                        date=self.date,
                    ),
                )
            )
        return self

    def is_valid_on(self, day: dt.date) -> bool:
        """An approval dated on or before ``day`` and not expired by it."""
        return (
            self.status is ClearanceStatus.APPROVED
            and (self.date is None or self.date <= day)
            and (self.valid_until is None or self.valid_until >= day)
        )


_LATE_DATE_PATHS = (
    "symptoms.onset_date",
    "history.spinal_surgery_date",
    "history.other_surgery_date",
    "history.epidural_injection_date",
)
"""The dates that may not come after ``assessed_on``, in the order they are checked."""


class Assessment(_Section):
    """One structured intake, as the screening contract defines it."""

    schema_: Literal["spinewise.assessment/1"] = Field(alias="schema")
    assessed_on: dt.date = Field(
        title="Date of this assessment",
        description="Durations (since onset, surgery, injection) count to this day.",
    )
    patient: Patient
    condition: ConditionBlock | None = None
    hernia: Hernia | None = None
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
            raise ValueError(
                N_(
                    "unknown schema {value!r}; allowed: {schema}",
                    value=value,
                    schema=ASSESSMENT_SCHEMA,
                )
            )
        return value

    @model_validator(mode="after")
    def _dates_not_after_assessment(self) -> Assessment:
        day, history = self.assessed_on, self.history
        dates = (  # in the order of _LATE_DATE_PATHS; no dict (run on every read)
            self.symptoms.onset_date,
            history.spinal_surgery_date,
            history.other_surgery_date,
            history.epidural_injection_date,
        )
        for path, value in zip(_LATE_DATE_PATHS, dates, strict=True):
            if value is not None and value > day:
                raise ValueError(
                    at_field(
                        path,
                        N_(
                            "{value} is after assessed_on {assessed_on}; allowed: a date on or before the assessment",
                            path=path,
                            value=value,
                            assessed_on=day,
                        ),
                    )
                )
        return self

    @model_validator(mode="after")
    def _profile_fits_the_condition(self) -> Assessment:
        condition = self.condition  # an absent block reads as an empty one
        profile = None if condition is None else condition.profile
        region = None if condition is None else condition.region
        if profile is Profile.NONSPECIFIC_BACK_PAIN:
            if region is None:
                raise ValueError(
                    at_field(
                        "condition.region",
                        N_(
                            "required for the nonspecific_back_pain profile; allowed: cervical, thoracic, lumbar"
                        ),
                    )
                )
            if self.hernia is not None:
                raise ValueError(
                    at_field(
                        "hernia",
                        N_(
                            "must be absent under the nonspecific_back_pain profile (screen a diagnosed herniation under disc_herniation)"
                        ),
                    )
                )
            return self
        if self.hernia is None:
            raise ValueError(
                at_field(
                    "hernia",
                    N_(
                        "required; this field must be given (the disc_herniation profile needs the hernia block)"
                    ),
                )
            )
        if region is not None and region != self.hernia.region:
            raise ValueError(
                at_field(
                    "condition.region",
                    N_(
                        "{region} differs from hernia.region {region2}; allowed: the hernia's region or none",
                        region=region,
                        region2=self.hernia.region,
                    ),
                )
            )
        return self

    @property
    def profile(self) -> Profile:
        """The profile screened: ``condition.profile``, else disc herniation."""
        if self.condition is None or self.condition.profile is None:
            return Profile.DISC_HERNIATION
        return self.condition.profile

    @property
    def region(self) -> Region:
        """The region of the condition: the hernia's, else ``condition.region``."""
        if self.hernia is not None:
            return self.hernia.region
        assert self.condition is not None and self.condition.region is not None
        return self.condition.region

    def to_contract(self) -> dict[str, object]:
        """The assessment as contract JSON (the form it is stored and exported in)."""
        document = self.model_dump(mode="json", by_alias=True)
        for optional in ("condition", "hernia"):
            if document[optional] is None:
                del document[optional]
        return document
