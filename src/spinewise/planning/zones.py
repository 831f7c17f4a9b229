"""Zones to avoid (docs/clinical-basis.md#zones-to-avoid) and the areas left to work on.

The hernia zone runs from ``margin`` vertebrae above the upper vertebra of each
herniated level to ``margin`` below the lower one (two with PC-IMG-01), clamped at
C1 and S5; overlapping spans merge. Zones with a rule apply when that precaution is
fired or undetermined (an unknown precaution is applied).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from spinewise.i18n import Translator
from spinewise.kb import KnowledgeBase, Techniques, ZoneSpec
from spinewise.models import Finding, Modality, Profile, Region, vertebrae
from spinewise.models.plan import (
    BAND_SPANS,
    Area,
    Band,
    PlanChange,
    TechniqueKind,
    ZoneToAvoid,
    vertebra_index,
)
from spinewise.planning.check_wording import zone_added_change

_NAMES = vertebrae()


@dataclass(frozen=True)
class ZonePlan:
    """The zones of one plan and the changes that added or widened them."""

    zones: list[ZoneToAvoid]
    changes: list[tuple[tuple[Modality, ...], PlanChange]]
    margin: int


def hernia_spans(levels: Iterable[str], margin: int) -> list[tuple[str, str]]:
    """Merged vertebra spans around each level ``X-Y``, clamped at C1 and S5."""
    spans = []
    for level in levels:
        upper, lower = level.split("-")
        top = max(0, vertebra_index(upper) - margin)
        bottom = min(len(_NAMES) - 1, vertebra_index(lower) + margin)
        spans.append((top, bottom))
    merged: list[tuple[int, int]] = []
    for top, bottom in sorted(spans):
        if merged and top <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], bottom))
        else:
            merged.append((top, bottom))
    return [(_NAMES[top], _NAMES[bottom]) for top, bottom in merged]


def _areas(spec: ZoneSpec, hernia: list[tuple[str, str]]) -> list[Area]:
    areas = []
    for item in spec.areas:
        if item.span == "hernia":
            spans = hernia
        elif item.span is None:
            spans = [BAND_SPANS[item.band]]
        else:
            spans = [item.span]
        areas += [Area(band=item.band, top=top, bottom=bot) for top, bot in spans]
    return areas


def _zone(
    spec: ZoneSpec,
    kb: KnowledgeBase,
    hernia: list[tuple[str, str]],
    widened_by: list[str],
) -> ZoneToAvoid:
    rule = kb.rule(spec.rule) if spec.rule else None
    modalities = spec.modalities or (list(rule.targets) if rule else list(Modality))
    rules = [spec.rule] if spec.rule else []
    if any(item.span == "hernia" for item in spec.areas):
        rules += widened_by
    return ZoneToAvoid(
        id=spec.id,
        label=spec.label,
        areas=_areas(spec, hernia),
        permitted=spec.permitted,
        permitted_max_level=spec.max_level,
        modalities=modalities,
        rules=rules,
        source=spec.source or (rule.source if rule else ""),
        unconfirmed=spec.unconfirmed,
    )


def plan_zones(
    kb: KnowledgeBase,
    techniques: Techniques,
    region: Region,
    levels: list[str],
    applied: Mapping[str, Finding],
    profile: Profile = Profile.DISC_HERNIATION,
    tr: Translator | None = None,
) -> ZonePlan:
    """Every zone to avoid for this hernia and these applied precautions (a change
    the planner words itself in ``tr``'s language, English by default)."""
    spec = techniques.zones
    widening = [w for w in spec.widened_margins if w.rule in applied]
    margin = max([spec.hernia_margin.value, *(w.margin for w in widening)])
    hernia = hernia_spans(levels, margin)
    widened_by = [w.rule for w in widening if w.margin > spec.hernia_margin.value]
    zones, changes = [], []
    for zone_spec in spec.zones:
        if region not in zone_spec.regions or profile not in zone_spec.profiles:
            continue
        if zone_spec.rule is not None and zone_spec.rule not in applied:
            continue
        zone = _zone(zone_spec, kb, hernia, widened_by)
        zones.append(zone)
        if zone_spec.rule is not None:
            text = zone_spec.text or zone_added_change(zone.label, tr or Translator())
            changes.append(
                (tuple(zone.modalities), _change(applied, zone_spec.rule, text))
            )
    for widen in widening:
        targets = kb.rule(widen.rule).targets
        changes.append((targets, _change(applied, widen.rule, widen.text)))
    return ZonePlan(zones=zones, changes=changes, margin=margin)


def _change(applied: Mapping[str, Finding], rule: str, text: str) -> PlanChange:
    finding = applied[rule]
    return PlanChange(
        rule=rule, source=finding.source, state=finding.state, change=text
    )


def _minus(area: Area, cut: Area) -> list[Area]:
    if not area.overlaps(cut):
        return [area]
    (top, bottom), (c_top, c_bottom) = area.span, cut.span
    pieces = []
    if top < c_top:
        pieces.append((top, c_top - 1))
    if bottom > c_bottom:
        pieces.append((c_bottom + 1, bottom))
    return [Area(band=area.band, top=_NAMES[a], bottom=_NAMES[b]) for a, b in pieces]


@dataclass(frozen=True)
class Workable:
    """What a step may work on within one band area, and what it must say."""

    pieces: list[Area]
    cut_by: list[str]
    keeps_off: list[Area]
    gently_over: list[Area]


def _clip(area: Area, within: Area) -> Area:
    top = max(area.span[0], within.span[0])
    bottom = min(area.span[1], within.span[1])
    return Area(band=area.band, top=_NAMES[top], bottom=_NAMES[bottom])


def merged_areas(areas: Iterable[Area]) -> list[Area]:
    """Areas of the same band that overlap or touch, merged; in band, then top order."""
    merged: list[Area] = []
    for area in sorted(areas, key=lambda a: (a.band.value, a.span)):
        last = merged[-1] if merged else None
        if last and last.band is area.band and area.span[0] <= last.span[1] + 1:
            bottom = _NAMES[max(last.span[1], area.span[1])]
            merged[-1] = Area(band=area.band, top=last.top, bottom=bottom)
        else:
            merged.append(area)
    return merged


def workable(
    area: Area, zones: Iterable[ZoneToAvoid], kind: TechniqueKind, intensity: int
) -> Workable:
    """The parts of ``area`` a step may work on, the rules of the zones cut out,
    the zone areas it leaves out and the zone areas it crosses gently."""
    zones = list(zones)
    pieces, cut_by, cuts = [area], [], []
    for zone in zones:
        mine = [
            cut
            for cut in zone.areas
            if cut.overlaps(area) and zone.forbids(kind, intensity, cut)
        ]
        for cut in mine:
            pieces = [piece for p in pieces for piece in _minus(p, cut)]
        if mine:
            cut_by += [r for r in zone.rules if r not in cut_by]
        cuts += [_clip(cut, area) for cut in mine]
    crossed = [
        _clip(zone_area, piece)
        for piece in pieces
        for zone in zones
        for zone_area in zone.areas
        if zone_area.overlaps(piece)
    ]
    return Workable(pieces, cut_by, merged_areas(cuts), merged_areas(crossed))


def limited(area: Area, limit: tuple[str, str] | None) -> Area | None:
    """``area`` within the span of a ``limit_areas`` entry (None: band removed)."""
    if limit is None:
        return None
    top = max(area.span[0], vertebra_index(limit[0]))
    bottom = min(area.span[1], vertebra_index(limit[1]))
    if top > bottom:
        return None
    return Area(band=area.band, top=_NAMES[top], bottom=_NAMES[bottom])


def band_area(band: Band, span: tuple[str, str]) -> Area:
    return Area(band=band, top=span[0], bottom=span[1])
