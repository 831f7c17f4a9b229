"""The figures behind a course, each with its source, and the plan's citations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from spinewise.i18n import Translator
from spinewise.kb import KnowledgeBase
from spinewise.models.plan import CoursePlan, Figure
from spinewise.planning.sessions import CourseFrame


def _range(low: int, high: int, unit: str) -> str:
    return f"{low} {unit}" if low == high else f"{low}-{high} {unit}"


def _level_names(frame: CourseFrame, tr: Translator) -> str:
    names = {level.level: level.name for level in frame.techniques.levels}
    cap = frame.profile.cap
    text = tr.gettext(
        "level %(low)s (%(low_name)s) up to level %(high)s (%(high_name)s)"
    ) % {
        "low": 1,
        "low_name": names.get(1, ""),
        "high": cap,
        "high_name": names.get(cap, ""),
    }
    if frame.profile.cap_rules:
        text += tr.gettext("; capped by %(rules)s") % {
            "rules": ", ".join(frame.profile.cap_rules)
        }
    return text


def _progression_text(frame: CourseFrame, tr: Translator) -> str:
    progression, pace = frame.techniques.progression, frame.profile.pace
    hold = progression.first_sessions_at_level_1
    if pace == 1:
        text = tr.gettext(
            "sessions 1-%(hold)s at level 1, then up one level at most every session."
        ) % {"hold": hold}
    else:
        text = tr.ngettext(
            "sessions 1-%(hold)s at level 1, then up one level at most every "
            "%(num)d session (slower: %(rules)s).",
            "sessions 1-%(hold)s at level 1, then up one level at most every "
            "%(num)d sessions (slower: %(rules)s).",
            pace,
        ) % {"hold": hold, "num": pace, "rules": ", ".join(frame.profile.pace_rules)}
    return f"{text} {progression.condition}"


def _parameter_figures(frame: CourseFrame, tr: Translator) -> list[Figure]:
    figures = []
    vacuum, hydro = frame.spec.vacuum, frame.spec.hydromassage
    if vacuum is not None:
        for p in vacuum.pressure_levels:
            if p.level > frame.profile.cap:
                continue
            figures.append(
                Figure(
                    what=tr.gettext("negative pressure, level %(level)s")
                    % {"level": p.level},
                    value=tr.gettext(
                        "-%(kpa_low)s to -%(kpa_high)s kPa "
                        "(-%(mmhg_low)s to -%(mmhg_high)s mmHg)"
                    )
                    % {
                        "kpa_low": p.kpa[0],
                        "kpa_high": p.kpa[1],
                        "mmhg_low": p.mmhg[0],
                        "mmhg_high": p.mmhg[1],
                    },
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
                what=tr.pgettext("figure", "water temperature"),
                value=_range(low, high, tr.pgettext("unit", "C")),
                source=hydro.source,
                unconfirmed=hydro.unconfirmed,
            )
        )
    return figures


def _progression_figures(frame: CourseFrame, tr: Translator) -> list[Figure]:
    progression = frame.techniques.progression
    return [
        Figure(
            what=tr.pgettext("figure", "intensity"),
            value=_level_names(frame, tr),
            source=frame.techniques.levels_source,
        ),
        Figure(
            what=tr.pgettext("figure", "progression"),
            value=_progression_text(frame, tr),
            source=progression.source,
        ),
        Figure(
            what=tr.pgettext("figure", "step down"),
            value=progression.step_down,
            source=progression.step_down_source,
        ),
    ]


def course_figures(
    frame: CourseFrame, margin: int, tr: Translator | None = None
) -> list[Figure]:
    """Sessions, frequency, minutes, levels and parameters, each with its source;
    their words in ``tr``'s language (the knowledge base's texts are in its own)."""
    tr = tr or Translator()
    spec, techniques = frame.spec, frame.techniques
    minutes = spec.session_minutes
    zones = techniques.zones.hernia_margin
    return [
        Figure(
            what=tr.pgettext("figure", "sessions per course"),
            value=str(spec.sessions.value),
            source=spec.sessions.source,
            unconfirmed=spec.sessions.unconfirmed,
        ),
        Figure(
            what=tr.pgettext("figure", "frequency"),
            value=spec.frequency,
            source=spec.gaps_days.source,
            unconfirmed=spec.gaps_days.unconfirmed,
        ),
        Figure(
            what=tr.pgettext("figure", "minutes per session"),
            value=_range(
                minutes.value[0], minutes.value[1], tr.pgettext("unit", "min")
            ),
            source=minutes.source,
            unconfirmed=minutes.unconfirmed,
        ),
        *_progression_figures(frame, tr),
        *_parameter_figures(frame, tr),
        Figure(
            what=tr.pgettext("figure", "hernia zone"),
            value=tr.ngettext(
                "%(num)d vertebra(e) above and below each herniated level",
                "%(num)d vertebra(e) above and below each herniated level",
                margin,
            )
            % {"num": margin},
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
