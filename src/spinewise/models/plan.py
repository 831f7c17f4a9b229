"""The course plan: output of planning, schema ``spinewise.plan/1``.

A plan holds, per planned modality, dated sessions of ordered steps; each step says
where it works (``Area``: a band of the back over a span of vertebrae), how long, how
hard, and the modality's parameters. Zones to avoid are areas too, so "no step
targets a zone to avoid" is a plain overlap test (``ZoneToAvoid.forbids``). Every
change a precaution makes carries its rule id and source.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field, model_validator

from spinewise.models.areas import BAND_LABELS as BAND_LABELS
from spinewise.models.areas import BAND_SPANS as BAND_SPANS
from spinewise.models.areas import Area as Area
from spinewise.models.areas import Band as Band
from spinewise.models.areas import vertebra_index as vertebra_index
from spinewise.models.enums import (
    Modality,
    ModalityStatus,
    Profile,
    Region,
    RuleState,
    Side,
    Verdict,
)
from spinewise.models.plan_wording import describe_where as describe_where
from spinewise.models.plan_wording import step_wording

PLAN_SCHEMA = "spinewise.plan/1"

Level = Annotated[int, Field(ge=1, le=3)]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class TechniqueKind(StrEnum):
    STROKING = "stroking"
    FRICTION = "friction"
    KNEADING = "kneading"
    VIBRATION = "vibration"
    PERCUSSION = "percussion"
    MOVING_CUPS = "moving_cups"
    STATIC_CUPS = "static_cups"
    AIR_BUBBLES = "air_bubbles"
    JETS = "jets"


class JetIntensity(StrEnum):
    OFF = "off"
    LOW = "low"
    MODERATE = "moderate"


class AdviceKind(StrEnum):
    HOME_CARE = "home_care"
    ABOUT_TREATMENT = "about_treatment"
    SAFETY_NET = "safety_net"


class VacuumParameters(_Frozen):
    kind: Literal["vacuum"] = "vacuum"
    level: Level
    negative_pressure_kpa: tuple[int, int]
    negative_pressure_mmhg: tuple[int, int]
    cups: Literal["moving"] = "moving"
    nozzle_movement: str
    skin_check_every_minutes: int | None = None
    unconfirmed: bool = False


class HydroParameters(_Frozen):
    kind: Literal["hydromassage"] = "hydromassage"
    water_celsius: tuple[int, int]
    thermometer: bool = False
    jets: JetIntensity
    jet_direction: str
    unconfirmed: bool = False


Parameters = Annotated[VacuumParameters | HydroParameters, Field(discriminator="kind")]


class Step(_Frozen):
    """One technique of a session, where it works and where it must not.

    ``keeps_off`` are the zone areas inside the step's reach that it leaves out;
    ``gently_over`` the zone areas it crosses because the zone permits its technique
    at its intensity. ``wording`` says both in the words a clinician reads; it is
    written out in the JSON and ignored on input (it follows from the fields).
    """

    order: int
    technique_id: str
    technique: str
    kind: TechniqueKind
    areas: Annotated[list[Area], Field(min_length=1)]
    minutes: Annotated[int, Field(ge=1)]
    intensity: Level
    parameters: Parameters | None = None
    notes: list[str] = Field(default_factory=list)
    rules: list[str] = Field(
        default_factory=list, description="precautions that shaped this step"
    )
    source: str
    unconfirmed: bool = False
    keeps_off: list[Area] = Field(
        default_factory=list, description="zone areas in reach that it leaves out"
    )
    gently_over: list[Area] = Field(
        default_factory=list, description="zone areas it may cross (permitted)"
    )

    @model_validator(mode="before")
    @classmethod
    def _drop_wording(cls, data: object) -> object:
        if isinstance(data, dict) and "wording" in data:
            return {key: value for key, value in data.items() if key != "wording"}
        return data

    @computed_field  # type: ignore[prop-decorator]
    @property
    def wording(self) -> str:
        """E.g. "Kneading: paraspinal muscles T10-L2 (above L3) ... never over L3-S1"."""
        return step_wording(self)


class SessionCheck(_Frozen):
    """Something to do or ask at every session, with the rule that asks for it."""

    text: str
    rule: str | None = None
    source: str


class Session(_Frozen):
    number: int
    date: dt.date
    level: Level
    steps: list[Step]
    measures: list[str] = Field(default_factory=list)
    beyond_clearance: bool = False

    @property
    def minutes(self) -> int:
        return sum(step.minutes for step in self.steps)


class ZoneToAvoid(_Frozen):
    """An area no step may work on, except with the techniques it permits."""

    id: str
    label: str
    areas: list[Area] = Field(
        default_factory=list, description="empty: to be located on the patient"
    )
    permitted: list[TechniqueKind] = Field(default_factory=list)
    permitted_max_level: Level | None = None
    modalities: list[Modality]
    rules: list[str] = Field(default_factory=list)
    source: str
    unconfirmed: bool = False

    @property
    def located(self) -> bool:
        return bool(self.areas)

    def forbids(self, kind: TechniqueKind, intensity: int, area: Area) -> bool:
        """True when a step of ``kind`` at ``intensity`` on ``area`` would break it."""
        if not any(area.overlaps(mine) for mine in self.areas):
            return False
        if kind not in self.permitted:
            return True
        return (
            self.permitted_max_level is not None
            and intensity > self.permitted_max_level
        )


class PlanChange(_Frozen):
    """One change a precaution made to a modality's course."""

    rule: str
    source: str
    state: RuleState = RuleState.FIRED
    change: str


class Figure(_Frozen):
    """A course figure, where it comes from, and whether it is confirmed."""

    what: str
    value: str
    source: str
    unconfirmed: bool = False


class Advice(_Frozen):
    id: str
    kind: AdviceKind
    title: str
    text: str
    sources: Annotated[list[str], Field(min_length=1)]
    rule: str | None = Field(
        default=None, description="the decision's rule that calls for this advice"
    )
    unconfirmed: bool = False


class StopRule(_Frozen):
    """When to stop a session (docs/clinical-basis.md#stop-rules)."""

    id: Annotated[str, Field(pattern=r"^SR-[A-Z]+$")]
    when: str
    action: str
    source: str
    stops_plan: bool = True
    pain_rise_nrs: int | None = None
    profiles: list[Profile] = Field(default_factory=lambda: list(Profile))
    regions: list[Region] = Field(default_factory=lambda: list(Region))

    def applies_to(self, profile: Profile, region: Region) -> bool:
        """Whether the rule is on the plan of this profile and region."""
        return profile in self.profiles and region in self.regions


class ClearanceSummary(_Frozen):
    physician: str | None = None
    date: dt.date | None = None
    valid_until: dt.date | None = None
    excluded_modalities: list[Modality] = Field(default_factory=list)


class ModalityCourse(_Frozen):
    modality: Modality
    name: str
    status: ModalityStatus
    frequency: str
    position: str
    max_level: Level
    sessions: Annotated[list[Session], Field(min_length=1)]
    checks: list[SessionCheck] = Field(default_factory=list)
    changes: list[PlanChange] = Field(default_factory=list)
    zones_to_avoid: list[ZoneToAvoid] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)


class CoursePlan(_Frozen):
    schema_: str = Field(default=PLAN_SCHEMA, alias="schema")
    assessed_on: dt.date
    start_date: dt.date
    profile: Profile = Profile.DISC_HERNIATION
    region: Region
    hernia_levels: list[str]
    hernia_side: Side = Side.UNKNOWN
    verdict: Verdict
    kb_version: str
    engine_version: str
    planner_version: str
    clearance: ClearanceSummary
    courses: Annotated[list[ModalityCourse], Field(min_length=1)]
    advice: list[Advice]
    stop_rules: list[StopRule]
    level_names: dict[int, str] = Field(default_factory=dict)
    sources: dict[str, str] = Field(
        default_factory=dict, description="every source id the plan cites -> citation"
    )

    def course(self, modality: Modality) -> ModalityCourse:
        for course in self.courses:
            if course.modality is modality:
                return course
        raise KeyError(modality)

    def zones_to_avoid(self) -> list[ZoneToAvoid]:
        """Every course's zones once each, in first-seen order."""
        seen: dict[str, ZoneToAvoid] = {}
        for course in self.courses:
            for zone in course.zones_to_avoid:
                seen.setdefault(zone.id, zone)
        return list(seen.values())

    def to_json(self) -> dict[str, object]:
        return self.model_dump(mode="json", by_alias=True)
