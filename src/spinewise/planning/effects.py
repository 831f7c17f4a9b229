"""What the applied precautions change in one modality's course, rule by rule.

Each precaution's changes are data (``techniques.yaml`` ``precautions``); this
module folds them into one ``Profile``: the strictest of every limit, with the
rules behind each, so the plan can cite the rule for every change it makes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from spinewise.kb import ChangeSpec, ModalitySpec, Techniques
from spinewise.models import Finding, Modality
from spinewise.models.plan import (
    Band,
    PlanChange,
    SessionCheck,
    TechniqueKind,
    vertebra_index,
)


@dataclass
class Profile:
    """The strictest course limits for one modality and the rules that set them."""

    cap: int
    pace: int = 1
    position: str = ""
    water_max: int | None = None
    skin_check_minutes: int | None = None
    cap_rules: list[str] = field(default_factory=list)
    pace_rules: list[str] = field(default_factory=list)
    position_rules: list[str] = field(default_factory=list)
    water_rules: list[str] = field(default_factory=list)
    thermometer_rules: list[str] = field(default_factory=list)
    skin_rules: list[str] = field(default_factory=list)
    shortest_rules: list[str] = field(default_factory=list)
    warm_up_rules: list[str] = field(default_factory=list)
    dropped: dict[TechniqueKind, list[str]] = field(default_factory=dict)
    limits: dict[Band, tuple[tuple[str, str] | None, list[str]]] = field(
        default_factory=dict
    )
    checks: list[SessionCheck] = field(default_factory=list)
    changes: list[PlanChange] = field(default_factory=list)


def _stricter(current: int | None, new: int | None) -> bool:
    return new is not None and (current is None or new < current)


def _limit(profile: Profile, change: ChangeSpec, rule: str) -> None:
    for band, span in change.limit_areas.items():
        old_span, rules = profile.limits.get(band, (("C1", "S5"), []))
        if old_span is None or span is None:
            merged = None
        else:
            top = max(old_span[0], span[0], key=vertebra_index)
            merged = (top, min(old_span[1], span[1], key=vertebra_index))
        profile.limits[band] = (merged, [*rules, rule])


def _numbers(profile: Profile, change: ChangeSpec, rule: str) -> None:
    if change.max_level is not None:
        if change.max_level < profile.cap:
            profile.cap, profile.cap_rules = change.max_level, [rule]
        elif change.max_level == profile.cap and profile.cap_rules:
            profile.cap_rules.append(rule)
    if change.pace is not None and change.pace >= profile.pace:
        profile.pace_rules.append(rule)
        profile.pace = change.pace
    if _stricter(profile.water_max, change.water_max_celsius):
        profile.water_max, profile.water_rules = change.water_max_celsius, [rule]
    elif change.water_max_celsius is not None:
        profile.water_rules.append(rule)
    if _stricter(profile.skin_check_minutes, change.skin_check_every_minutes):
        profile.skin_check_minutes = change.skin_check_every_minutes
    if change.skin_check_every_minutes is not None:
        profile.skin_rules.append(rule)


def _apply(profile: Profile, change: ChangeSpec, finding: Finding) -> None:
    rule = finding.rule
    _numbers(profile, change, rule)
    _limit(profile, change, rule)
    for kind in change.drop_kinds:
        profile.dropped.setdefault(kind, []).append(rule)
    if change.shortest:
        profile.shortest_rules.append(rule)
    if change.warm_up:
        profile.warm_up_rules.append(rule)
    if change.thermometer:
        profile.thermometer_rules.append(rule)
    if change.position:
        profile.position = change.position
        profile.position_rules.append(rule)
    if change.check:
        profile.checks.append(
            SessionCheck(text=change.check, rule=rule, source=finding.source)
        )
    profile.changes.append(
        PlanChange(
            rule=rule, source=finding.source, state=finding.state, change=change.text
        )
    )


def profile_for(
    modality: Modality,
    spec: ModalitySpec,
    techniques: Techniques,
    applied: Mapping[str, Finding],
) -> Profile:
    """Fold every applied precaution touching ``modality`` into one profile."""
    profile = Profile(cap=spec.max_level.value, position=spec.position.value)
    for rule, finding in applied.items():
        if modality not in finding.modalities:
            continue
        for change in techniques.changes_for(rule):
            if modality in change.modalities:
                _apply(profile, change, finding)
    return profile
