"""The figures behind a course, each with its source, and the plan's citations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from spinewise.kb import KnowledgeBase
from spinewise.models.plan import CoursePlan, Figure
from spinewise.planning.sessions import CourseFrame


def _range(low: int, high: int, unit: str) -> str:
    return f"{low} {unit}" if low == high else f"{low}-{high} {unit}"


def _level_names(frame: CourseFrame) -> str:
    names = {level.level: level.name for level in frame.techniques.levels}
    cap = frame.profile.cap
    text = f"level 1 ({names.get(1, '')}) up to level {cap} ({names.get(cap, '')})"
    if frame.profile.cap_rules:
        text += f"; capped by {', '.join(frame.profile.cap_rules)}"
    return text


def _every(frame: CourseFrame) -> str:
    pace = frame.profile.pace
    if pace == 1:
        return "session"
    return f"{pace} sessions (slower: {', '.join(frame.profile.pace_rules)})"


def _parameter_figures(frame: CourseFrame) -> list[Figure]:
    figures = []
    vacuum, hydro = frame.spec.vacuum, frame.spec.hydromassage
    if vacuum is not None:
        for p in vacuum.pressure_levels:
            if p.level > frame.profile.cap:
                continue
            figures.append(
                Figure(
                    what=f"negative pressure, level {p.level}",
                    value=(
                        f"-{p.kpa[0]} to -{p.kpa[1]} kPa "
                        f"(-{p.mmhg[0]} to -{p.mmhg[1]} mmHg)"
                    ),
                    source=vacuum.source,
                    unconfirmed=vacuum.unconfirmed,
                )
            )
    if hydro is not None:
        low, high = hydro.water_celsius
        if frame.profile.water_max is not None:
            high = min(high, frame.profile.water_max)
            low = min(low, high)
        figures.append(
            Figure(
                what="water temperature",
                value=_range(low, high, "C"),
                source=hydro.source,
                unconfirmed=hydro.unconfirmed,
            )
        )
    return figures


def _progression_figures(frame: CourseFrame) -> list[Figure]:
    progression = frame.techniques.progression
    return [
        Figure(
            what="intensity",
            value=_level_names(frame),
            source=frame.techniques.levels_source,
        ),
        Figure(
            what="progression",
            value=(
                f"sessions 1-{progression.first_sessions_at_level_1} at level 1, "
                f"then up one level at most every {_every(frame)}. "
                f"{progression.condition}"
            ),
            source=progression.source,
        ),
        Figure(
            what="step down",
            value=progression.step_down,
            source=progression.step_down_source,
        ),
    ]


def course_figures(frame: CourseFrame, margin: int) -> list[Figure]:
    """Sessions, frequency, minutes, levels and parameters, each with its source."""
    spec, techniques = frame.spec, frame.techniques
    minutes = spec.session_minutes
    zones = techniques.zones.hernia_margin
    return [
        Figure(
            what="sessions per course",
            value=str(spec.sessions.value),
            source=spec.sessions.source,
            unconfirmed=spec.sessions.unconfirmed,
        ),
        Figure(
            what="frequency",
            value=spec.frequency,
            source=spec.gaps_days.source,
            unconfirmed=spec.gaps_days.unconfirmed,
        ),
        Figure(
            what="minutes per session",
            value=_range(minutes.value[0], minutes.value[1], "min"),
            source=minutes.source,
            unconfirmed=minutes.unconfirmed,
        ),
        *_progression_figures(frame),
        *_parameter_figures(frame),
        Figure(
            what="hernia zone",
            value=f"{margin} vertebra(e) above and below each herniated level",
            source=zones.source,
            unconfirmed=zones.unconfirmed,
        ),
    ]


def _walk(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "source" and isinstance(value, str):
                yield value
            elif key == "sources" and isinstance(value, list):
                yield from (v for v in value if isinstance(v, str))
            else:
                yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def plan_sources(plan: CoursePlan, kb: KnowledgeBase) -> dict[str, str]:
    """Every source id the plan cites, in first-cited order, with its citation."""
    cited = dict.fromkeys(_walk(plan.model_dump(mode="json", exclude={"sources"})))
    return {s: kb.sources[s].citation for s in cited if s in kb.sources}
