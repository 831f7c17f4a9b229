"""Typed model of ``techniques.yaml``: what the planner builds a course from.

Course figures, the steps of each modality, treatment areas, zones to avoid, the
change each precaution makes, stop rules and home-care advice are data
with source ids; the planner never hard-codes a figure. ``reference_problems``
checks the file against the rules and sources it cites (run by the loader).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from spinewise.models import Modality, Profile, Region, Severity
from spinewise.models.plan import (
    AdviceKind,
    Area,
    Band,
    JetIntensity,
    StopRule,
    TechniqueKind,
)

T = TypeVar("T")
Span = tuple[str, str]
MinMax = tuple[int, int]
Level = Annotated[int, Field(ge=1, le=3)]


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Sourced(_Data, Generic[T]):
    """A figure with its source id; ``unconfirmed`` where the document says so."""

    value: T
    source: str
    unconfirmed: bool = False


class LevelName(_Data):
    level: Level
    name: str


class Progression(_Data):
    first_sessions_at_level_1: Annotated[int, Field(ge=0)]
    max_step_up: Literal[1] = 1
    condition: str
    step_down: str
    source: str
    step_down_source: str


class Reassessment(_Data):
    every_session: list[str]
    instruments_at: list[int | Literal["last"]]
    instruments: dict[Region, list[str]]
    source: str


class TreatmentAreas(_Data):
    """Where each band is treated: over the whole back, or for the hernia's region."""

    whole_back: dict[Band, Span]
    regions: dict[Region, dict[Band, Span]]
    source: str
    unconfirmed: bool = False

    @model_validator(mode="after")
    def _spans_valid(self) -> TreatmentAreas:
        for spans in (self.whole_back, *self.regions.values()):
            for band, (top, bottom) in spans.items():
                Area(band=band, top=top, bottom=bottom)
        return self


class StepSpec(_Data):
    id: str
    technique: str
    kind: TechniqueKind
    areas: Annotated[list[Band], Field(min_length=1)]
    scope: Literal["region", "whole_back"] = "region"
    minutes: MinMax
    intensity: MinMax
    notes: list[str] = Field(default_factory=list)
    source: str
    unconfirmed: bool = False


class CheckSpec(_Data):
    text: str
    source: str


class PressureLevel(_Data):
    level: Level
    kpa: MinMax
    mmhg: MinMax


class VacuumSpec(_Data):
    pressure_levels: Annotated[list[PressureLevel], Field(min_length=1)]
    nozzle_movement: str
    source: str
    unconfirmed: bool = False


class JetLevel(_Data):
    level: Level
    jets: JetIntensity


class HydroSpec(_Data):
    water_celsius: MinMax
    jet_levels: Annotated[list[JetLevel], Field(min_length=1)]
    jet_direction: str
    source: str
    unconfirmed: bool = False


class ModalitySpec(_Data):
    name: str
    sessions: Sourced[Annotated[int, Field(ge=1)]]
    gaps_days: Sourced[
        Annotated[list[Annotated[int, Field(ge=2)]], Field(min_length=1)]
    ]
    frequency: str
    max_level: Sourced[Level]
    session_minutes: Sourced[MinMax]
    position: Sourced[str]
    steps: Annotated[list[StepSpec], Field(min_length=1)]
    warm_up: StepSpec | None = None
    checks: list[CheckSpec] = Field(default_factory=list)
    vacuum: VacuumSpec | None = None
    hydromassage: HydroSpec | None = None

    @model_validator(mode="after")
    def _two_or_three_a_week(self) -> ModalitySpec:
        days, gaps, day = [0], self.gaps_days.value, 0
        for index in range(40):
            day += gaps[index % len(gaps)]
            days.append(day)
        counts = {sum(1 for d in days if start <= d < start + 7) for start in range(56)}
        if not counts <= {2, 3}:
            raise ValueError(
                f"gaps_days {gaps} give {sorted(counts)} sessions in some week; "
                "allowed: 2 or 3 a week"
            )
        return self

    @model_validator(mode="after")
    def _parameters_cover_levels(self) -> ModalitySpec:
        wanted = set(range(1, self.max_level.value + 1))
        if self.vacuum is not None:
            have = {p.level for p in self.vacuum.pressure_levels}
            if not wanted <= have:
                raise ValueError(
                    f"vacuum.pressure_levels: need levels {sorted(wanted)}"
                )
        if self.hydromassage is not None:
            have = {j.level for j in self.hydromassage.jet_levels}
            if not wanted <= have:
                raise ValueError(
                    f"hydromassage.jet_levels: need levels {sorted(wanted)}"
                )
        for step in [*self.steps, *([self.warm_up] if self.warm_up else [])]:
            low, high = step.intensity
            if not 1 <= low <= high <= self.max_level.value:
                raise ValueError(
                    f"steps {step.id}: intensity {low}-{high} outside "
                    f"1-{self.max_level.value}"
                )
            if not 1 <= step.minutes[0] <= step.minutes[1]:
                raise ValueError(f"steps {step.id}: minutes {step.minutes} not a range")
        return self


class ChangeSpec(_Data):
    """What one precaution changes in the named modalities' courses."""

    modalities: Annotated[list[Modality], Field(min_length=1)]
    text: str
    max_level: Level | None = None
    pace: Annotated[int, Field(ge=1, le=4)] | None = None
    drop_kinds: list[TechniqueKind] = Field(default_factory=list)
    shortest: bool = False
    warm_up: bool = False
    water_max_celsius: int | None = None
    thermometer: bool = False
    skin_check_every_minutes: int | None = None
    position: str | None = None
    limit_areas: dict[Band, Span | None] = Field(default_factory=dict)
    check: str | None = None


class PrecautionSpec(_Data):
    rule: str
    changes: Annotated[list[ChangeSpec], Field(min_length=1)]


class AreaSpec(_Data):
    band: Band
    span: Span | Literal["hernia"] | None = None


class ZoneSpec(_Data):
    id: str
    label: str
    rule: str | None = None
    areas: list[AreaSpec] = Field(default_factory=list)
    permitted: list[TechniqueKind] = Field(default_factory=list)
    max_level: Level | None = None
    regions: list[Region] = Field(default_factory=lambda: list(Region))
    profiles: list[Profile] = Field(default_factory=lambda: list(Profile))
    modalities: list[Modality] | None = None
    text: str | None = None
    source: str | None = None
    unconfirmed: bool = False

    @model_validator(mode="after")
    def _cited(self) -> ZoneSpec:
        if self.rule is None and self.source is None:
            raise ValueError(f"zone {self.id}: needs a rule or a source")
        return self


class WidenedMargin(_Data):
    rule: str
    margin: Annotated[int, Field(ge=1)]
    text: str


class Zones(_Data):
    hernia_margin: Sourced[Annotated[int, Field(ge=0)]]
    widened_margins: list[WidenedMargin] = Field(default_factory=list)
    zones: Annotated[list[ZoneSpec], Field(min_length=1)]


class AdviceSpec(_Data):
    id: str
    kind: AdviceKind
    title: str
    text: str
    sources: Annotated[list[str], Field(min_length=1)]
    regions: list[Region] = Field(default_factory=lambda: list(Region))
    profiles: list[Profile] = Field(default_factory=lambda: list(Profile))
    when_rule: str | None = None
    unconfirmed: bool = False


class SessionCap(_Data):
    """A shorter course when an (info) rule fired: at most ``sessions`` a modality."""

    rule: str
    sessions: Annotated[int, Field(ge=1)]
    source: str
    unconfirmed: bool = False


class ProfilePlan(_Data):
    """What a condition profile plans differently (clinical-basis: techniques per
    profile); each part given replaces the default one, the rest is shared."""

    progression: Progression | None = None
    reassessment: Reassessment | None = None
    modalities: dict[Modality, ModalitySpec] = Field(default_factory=dict)
    session_caps: list[SessionCap] = Field(default_factory=list)
    every_session: list[CheckSpec] = Field(default_factory=list)
    course_review: CheckSpec | None = None


class Techniques(_Data):
    """The whole of ``techniques.yaml``."""

    levels: Annotated[list[LevelName], Field(min_length=1)]
    levels_source: str
    progression: Progression
    reassessment: Reassessment
    treatment_areas: TreatmentAreas
    modalities: dict[Modality, ModalitySpec]
    zones: Zones
    precautions: list[PrecautionSpec]
    stop_rules: Annotated[list[StopRule], Field(min_length=1)]
    advice: Annotated[list[AdviceSpec], Field(min_length=1)]
    profiles: dict[Profile, ProfilePlan] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _every_modality(self) -> Techniques:
        missing = [m.value for m in Modality if m not in self.modalities]
        if missing:
            raise ValueError(f"modalities: missing {', '.join(missing)}")
        if self.modalities[Modality.VACUUM].vacuum is None:
            raise ValueError("modalities.vacuum.vacuum: pressure levels are required")
        if self.modalities[Modality.HYDROMASSAGE].hydromassage is None:
            raise ValueError("modalities.hydromassage.hydromassage: water is required")
        return self

    def plan_of(self, profile: Profile) -> ProfilePlan:
        """The profile's own planning parts (empty for a profile without any)."""
        return self.profiles.get(profile) or ProfilePlan()

    def for_profile(self, profile: Profile) -> Techniques:
        """These techniques with the profile's progression, reassessment and
        modality specs in place of the defaults."""
        own = self.plan_of(profile)
        update: dict[str, object] = {
            "modalities": {**self.modalities, **own.modalities}
        }
        if own.progression is not None:
            update["progression"] = own.progression
        if own.reassessment is not None:
            update["reassessment"] = own.reassessment
        return self.model_copy(update=update)

    def changes_for(self, rule: str) -> list[ChangeSpec]:
        return [c for p in self.precautions if p.rule == rule for c in p.changes]

    def stop_rule(self, rule_id: str) -> StopRule:
        for rule in self.stop_rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


def _walk(node: Any, keys: tuple[str, ...]) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in keys and isinstance(value, str):
                yield value
            elif key in keys and isinstance(value, list):
                yield from (v for v in value if isinstance(v, str))
            else:
                yield from _walk(value, keys)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item, keys)


def _coverage(
    techniques: Techniques, rule: str, targets: tuple[Modality, ...]
) -> set[Modality]:
    covered = {m for c in techniques.changes_for(rule) for m in c.modalities}
    for zone in techniques.zones.zones:
        if zone.rule == rule:
            covered |= set(zone.modalities or targets)
    if any(w.rule == rule for w in techniques.zones.widened_margins):
        covered |= set(targets)
    return covered


def reference_problems(
    techniques: Techniques,
    sources: set[str],
    targets: dict[str, tuple[Modality, ...]],
    severities: dict[str, Severity],
) -> list[str]:
    """Unknown source or rule ids, and precautions the planner would not apply.

    ``targets`` and ``severities`` map every rule id of the knowledge base.
    """
    data = techniques.model_dump(mode="json")
    problems = [
        f"unknown source id {s!r}"
        for s in sorted(set(_walk(data, ("source", "sources", "step_down_source"))))
        if s not in sources
    ]
    problems += [
        f"unknown rule id {r!r}"
        for r in sorted(set(_walk(data, ("rule", "when_rule"))))
        if r not in targets
    ]
    for rule, severity in severities.items():
        if severity is not Severity.PRECAUTION:
            continue
        uncovered = set(targets[rule]) - _coverage(techniques, rule, targets[rule])
        if uncovered:
            names = ", ".join(sorted(uncovered))
            problems.append(f"precaution {rule} changes nothing for {names}")
    for precaution in techniques.precautions:
        extra = {m for c in precaution.changes for m in c.modalities} - set(
            targets.get(precaution.rule, ())
        )
        if extra:
            names = ", ".join(sorted(extra))
            problems.append(f"{precaution.rule} does not touch {names}")
    return problems
