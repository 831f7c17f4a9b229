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

from spinewise.errors import N_
from spinewise.models.assessment import vertebrae
from spinewise.models.enums import (
    Modality,
    ModalityStatus,
    Profile,
    Region,
    RuleState,
    Side,
    Verdict,
)

PLAN_SCHEMA = "spinewise.plan/1"
_ORDER = {name: index for index, name in enumerate(vertebrae())}

Level = Annotated[int, Field(ge=1, le=3)]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Band(StrEnum):
    """A strip of the back (posterior view) running beside a span of vertebrae."""

    MIDLINE = "midline"
    PARASPINAL = "paraspinal"
    SHOULDER = "shoulder"
    NECK_ANTEROLATERAL = "neck_anterolateral"
    RIBS = "ribs"
    PELVIC_RIM = "pelvic_rim"
    GLUTEAL = "gluteal"
    POSTERIOR_THIGH = "posterior_thigh"
    ARM = "arm"


BAND_LABELS: dict[Band, str] = {
    Band.MIDLINE: "spinous processes (midline)",
    Band.PARASPINAL: "paraspinal muscles",
    Band.SHOULDER: "upper trapezius",
    Band.NECK_ANTEROLATERAL: "front and sides of the neck",
    Band.RIBS: "ribs and costovertebral joints",
    Band.PELVIC_RIM: "pelvic rim (iliac crest)",
    Band.GLUTEAL: "gluteal muscles (buttock)",
    Band.POSTERIOR_THIGH: "back of the thigh",
    Band.ARM: "arm",
}

BAND_SPANS: dict[Band, tuple[str, str]] = {
    Band.MIDLINE: ("C1", "S5"),
    Band.PARASPINAL: ("C1", "S3"),
    Band.SHOULDER: ("C4", "T3"),
    Band.NECK_ANTEROLATERAL: ("C1", "C7"),
    Band.RIBS: ("T1", "T12"),
    Band.PELVIC_RIM: ("L4", "S1"),
    Band.GLUTEAL: ("S1", "S5"),
    Band.POSTERIOR_THIGH: ("S5", "S5"),
    Band.ARM: ("C5", "T1"),
}
"""The vertebrae each band lies beside (anatomy for overlap tests and the chart)."""


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


def vertebra_index(name: str) -> int:
    """Position of a vertebra from C1 (0) to S5 (28)."""
    return _ORDER[name]


class Area(_Frozen):
    """One band of the back between two vertebrae (both inclusive, both sides)."""

    band: Band
    top: str
    bottom: str

    @model_validator(mode="after")
    def _span_in_order(self) -> Area:
        for end in (self.top, self.bottom):
            if end not in _ORDER:
                raise ValueError(
                    N_("{end!r} is not a vertebra; allowed: C1..S5", end=end)
                )
        if _ORDER[self.top] > _ORDER[self.bottom]:
            raise ValueError(
                N_(
                    "top {top} is below bottom {bottom}",
                    top=self.top,
                    bottom=self.bottom,
                )
            )
        return self

    @property
    def span(self) -> tuple[int, int]:
        return _ORDER[self.top], _ORDER[self.bottom]

    def overlaps(self, other: Area) -> bool:
        (a, b), (c, d) = self.span, other.span
        return self.band is other.band and a <= d and c <= b

    @property
    def label(self) -> str:
        where = self.top if self.top == self.bottom else f"{self.top}-{self.bottom}"
        nominal = BAND_SPANS[self.band] == (self.top, self.bottom)
        if nominal and self.band is not Band.PARASPINAL:
            return BAND_LABELS[self.band]
        return f"{BAND_LABELS[self.band]} {where}"


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
        return f"{self.technique}: {describe_where(self)}"


def _span_text(top: str, bottom: str) -> str:
    return top if top == bottom else f"{top}\u2013{bottom}"


def _piece_text(piece: Area, cuts: list[Area]) -> str:
    text = _span_text(piece.top, piece.bottom)
    top, bottom = piece.span
    sides = [f"above {c.top}" for c in cuts if c.span[0] == bottom + 1]
    sides += [f"below {c.bottom}" for c in cuts if c.span[1] == top - 1]
    return f"{text} ({' and '.join(sides)})" if sides else text


def _band_text(band: Band, areas: list[Area], cuts: list[Area]) -> str:
    pieces = [a for a in areas if a.band is band]
    nominal = len(pieces) == 1 and BAND_SPANS[band] == (
        pieces[0].top,
        pieces[0].bottom,
    )
    if nominal and band is not Band.PARASPINAL:
        return BAND_LABELS[band]
    mine = [c for c in cuts if c.band is band]
    return f"{BAND_LABELS[band]} " + " and ".join(_piece_text(p, mine) for p in pieces)


def _bands(areas: list[Area]) -> list[Band]:
    return list(dict.fromkeys(area.band for area in areas))


def describe_where(step: Step) -> str:
    """Where a step works, where it goes gently and where it must never go."""
    where = "; ".join(
        _band_text(band, step.areas, step.keeps_off) for band in _bands(step.areas)
    )
    if step.gently_over:
        over = ", ".join(
            f"{BAND_LABELS[a.band]} {_span_text(a.top, a.bottom)}"
            for a in step.gently_over
        )
        where += f" \u2014 over {over} gently only (level {step.intensity})"
    if step.keeps_off:
        never = ", ".join(
            f"{BAND_LABELS[a.band]} {_span_text(a.top, a.bottom)}"
            for a in step.keeps_off
        )
        where += f" \u2014 never over {never}"
    return where


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
