"""The ordered steps of one session at one level, for one modality.

A step keeps only the areas its technique may work on: the treatment area of its
band (for the hernia's region or the whole back), within any limit a precaution
sets, minus every zone to avoid that forbids the technique at that intensity.
"""

from __future__ import annotations

from dataclasses import dataclass

from spinewise.kb import ModalitySpec, StepSpec, Techniques
from spinewise.models import Modality, Region
from spinewise.models.plan import (
    Area,
    HydroParameters,
    JetIntensity,
    Parameters,
    Step,
    TechniqueKind,
    VacuumParameters,
    ZoneToAvoid,
)
from spinewise.planning.effects import Profile
from spinewise.planning.progression import minutes_at
from spinewise.planning.zones import band_area, limited, workable


@dataclass(frozen=True)
class CourseFrame:
    """Everything a session's steps are built from."""

    modality: Modality
    spec: ModalitySpec
    techniques: Techniques
    region: Region
    profile: Profile
    zones: list[ZoneToAvoid]


def _add(rules: list[str], new: list[str]) -> None:
    rules += [rule for rule in new if rule not in rules]


@dataclass
class _Reach:
    """The areas of one step, with the zone areas it leaves out or crosses."""

    areas: list[Area]
    keeps_off: list[Area]
    gently_over: list[Area]


def _areas(
    frame: CourseFrame, template: StepSpec, intensity: int, rules: list[str]
) -> _Reach:
    treatment = frame.techniques.treatment_areas
    spans = (
        treatment.whole_back
        if template.scope == "whole_back"
        else treatment.regions.get(frame.region, {})
    )
    reach = _Reach([], [], [])
    for band in template.areas:
        if band not in spans:
            continue
        area: Area | None = band_area(band, spans[band])
        if band in frame.profile.limits:
            limit, limit_rules = frame.profile.limits[band]
            area = limited(band_area(band, spans[band]), limit)
            _add(rules, limit_rules)
        if area is None:
            continue
        found = workable(area, frame.zones, template.kind, intensity)
        _add(rules, found.cut_by)
        reach.areas += found.pieces
        reach.keeps_off += found.keeps_off
        reach.gently_over += found.gently_over
    return reach


def _parameters(
    frame: CourseFrame, kind: TechniqueKind, intensity: int, rules: list[str]
) -> Parameters | None:
    profile = frame.profile
    vacuum, hydro = frame.spec.vacuum, frame.spec.hydromassage
    if vacuum is not None:
        pressure = next(p for p in vacuum.pressure_levels if p.level == intensity)
        _add(rules, profile.skin_rules)
        return VacuumParameters(
            level=intensity,
            negative_pressure_kpa=pressure.kpa,
            negative_pressure_mmhg=pressure.mmhg,
            nozzle_movement=vacuum.nozzle_movement,
            skin_check_every_minutes=profile.skin_check_minutes,
            unconfirmed=vacuum.unconfirmed,
        )
    if hydro is not None:
        low, high = hydro.water_celsius
        if profile.water_max is not None:
            high = min(high, profile.water_max)
            low = min(low, high)
        jets = JetIntensity.OFF
        if kind is TechniqueKind.JETS:
            jets = next(j.jets for j in hydro.jet_levels if j.level == intensity)
        _add(rules, [*profile.water_rules, *profile.thermometer_rules])
        return HydroParameters(
            water_celsius=(low, high),
            thermometer=bool(profile.thermometer_rules),
            jets=jets,
            jet_direction=hydro.jet_direction,
            unconfirmed=hydro.unconfirmed,
        )
    return None


def _step(
    frame: CourseFrame, template: StepSpec, level: int, order: int
) -> Step | None:
    profile = frame.profile
    ceiling = min(level, profile.cap)
    if template.kind in profile.dropped or template.intensity[0] > ceiling:
        return None
    intensity = min(ceiling, template.intensity[1])
    rules: list[str] = []
    if template.intensity[1] > profile.cap:
        _add(rules, profile.cap_rules)
    reach = _areas(frame, template, intensity, rules)
    if not reach.areas:
        return None
    shortest = bool(profile.shortest_rules)
    if shortest and template.minutes[0] < template.minutes[1]:
        _add(rules, profile.shortest_rules)
    minutes = minutes_at(
        template.minutes, level, frame.spec.max_level.value, shortest=shortest
    )
    return Step(
        order=order,
        technique_id=template.id,
        technique=template.technique,
        kind=template.kind,
        areas=reach.areas,
        keeps_off=reach.keeps_off,
        gently_over=reach.gently_over,
        minutes=minutes,
        intensity=intensity,
        parameters=_parameters(frame, template.kind, intensity, rules),
        notes=template.notes,
        rules=rules,
        source=template.source,
        unconfirmed=template.unconfirmed,
    )


def session_steps(frame: CourseFrame, level: int) -> list[Step]:
    """The session's steps in order; a step with nothing left to work on is left out."""
    templates = list(frame.spec.steps)
    if frame.profile.warm_up_rules and frame.spec.warm_up is not None:
        templates.insert(0, frame.spec.warm_up)
    steps: list[Step] = []
    for template in templates:
        step = _step(frame, template, level, len(steps) + 1)
        if step is not None:
            if template is frame.spec.warm_up:
                rules = list(frame.profile.warm_up_rules)
                _add(rules, step.rules)
                step = step.model_copy(update={"rules": rules})
            steps.append(step)
    return steps
