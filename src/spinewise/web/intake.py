"""The intake form, question by question, grouped as the screening contract groups it.

Each question's form name is its contract path (``red_flags.fever``), so a validation
error on a contract field lands next to the question that asked it. Every safety
question is a yes / no / unknown choice: unknown is explicit, and an unanswered
question is read as unknown, never as no. Labels, hints, bounds and choices come
from the field descriptions of the models; this module only groups and orders them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal

from spinewise.models import Profile, Region, described_fields, levels_for
from spinewise.web.words import N_

Control = Literal[
    "tri", "int", "date", "select", "text", "list", "levels", "modalities"
]
TRI_CHOICES = (("yes", N_("Yes")), ("no", N_("No")), ("unknown", N_("Unknown")))
_RED_FLAGS_INTRO = N_(
    "Answer every red flag: an unknown red flag keeps the decision incomplete."
)


@dataclass(frozen=True)
class Question:
    """One field of the form: its contract path, label and kind of control."""

    path: str
    label: str
    control: Control
    hint: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    blank: str = ""  # the label of the empty choice of a select ("" = none)
    required: bool = False
    low: int | None = None
    high: int | None = None
    only: str = ""  # the one profile the question belongs to ("" = every profile)

    @property
    def default(self) -> str:
        """The value a select shows before any answer ("unknown" where it exists)."""
        known = self.control == "select" and any(
            v == "unknown" for v, _ in self.choices
        )
        return "unknown" if known else ""

    @property
    def anchor(self) -> str:
        """The id of the question's element: the target of "missing answer" links."""
        return "field-" + self.path.replace(".", "-")


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    intro: str
    questions: tuple[Question, ...]
    only: str = ""  # the one profile the section belongs to ("" = every profile)


_CONTROLS: dict[str, Control] = {
    "bool": "tri",
    "int": "int",
    "date": "date",
    "enum": "select",
    "str": "text",
    "list": "list",
}


def _ask(path: str, control: Control | None = None, **overrides: object) -> Question:
    """The question of ``path`` with the label, hint, bounds and choices of its
    field description (``models.described_fields``); ``overrides`` for the form only.
    """
    spec = described_fields()[path]
    choices: tuple[tuple[str, str], ...] = ()
    if spec.kind == "bool":
        choices = TRI_CHOICES
    elif spec.values:
        choices = _words(spec.values)
    fields: dict[str, object] = {
        "hint": spec.help,
        "choices": choices,
        "required": spec.required,
        "low": spec.low,
        "high": spec.high,
        **overrides,
    }
    return Question(path, spec.label, control or _CONTROLS[spec.kind], **fields)  # type: ignore[arg-type]


def _words(values: Iterable[object]) -> tuple[tuple[str, str], ...]:
    return tuple((str(v), str(v).replace("_", " ").capitalize()) for v in values)


def _section_paths(section: str) -> list[str]:
    return [p for p in described_fields() if p.startswith(section + ".")]


def _all_asked(key: str, title: str, intro: str = "") -> Section:
    return Section(key, title, intro, tuple(_ask(p) for p in _section_paths(key)))


_HERNIATION = Profile.DISC_HERNIATION.value
_NONSPECIFIC = Profile.NONSPECIFIC_BACK_PAIN.value
PROFILE_CHOICES = (
    (_HERNIATION, N_("Disc herniation, diagnosed by the attending physician")),
    (_NONSPECIFIC, N_("Non-specific low back or neck pain (no radiating limb pain)")),
)


def _condition() -> Section:
    intro = N_(
        "Choose the profile from the physician's diagnosis, never from the answer "
        "you want: a diagnosed herniation is screened as a herniation."
    )
    return Section("condition", N_("Diagnosis and profile"), intro, (
        _ask("condition.profile", choices=PROFILE_CHOICES),
        _ask("condition.region", only=_NONSPECIFIC, blank=N_("Choose the region"),
             required=True),
        _ask("condition.start_back_group", only=_NONSPECIFIC, blank=N_("Not scored")),
        _ask("condition.sedentary", only=_NONSPECIFIC),
    ))  # fmt: skip


def profile_of(values: Mapping[str, Sequence[str]]) -> str:
    """The profile a form chose (a disc herniation unless non-specific is chosen)."""
    chosen = next(iter(values.get("condition.profile", ())), "").strip()
    return _NONSPECIFIC if chosen == _NONSPECIFIC else _HERNIATION


def asked_under(question: Question, profile: str) -> bool:
    """Whether the form of ``profile`` asks ``question`` (the others are ignored)."""
    return not question.only or question.only == profile


def _patient() -> Section:
    return Section("patient", N_("Patient"), "", (
        _ask("assessed_on"),
        *(_ask(p) for p in _section_paths("patient")),
    ))  # fmt: skip


def _hernia() -> Section:
    only = _HERNIATION
    return Section("hernia", N_("Hernia"), "", (
        _ask("hernia.region", blank=N_("Choose the region"), only=only),
        _ask("hernia.levels", "levels", only=only),
        _ask("hernia.morphology", only=only),
        _ask("hernia.side", only=only),
        _ask("hernia.imaging", blank=N_("Not recorded"), only=only,
             choices=(("mri", N_("MRI")), ("ct", N_("CT")), ("none", N_("None")))),
    ), only=only)  # fmt: skip


def _symptoms() -> Section:
    return Section("symptoms", N_("Symptoms"), "", tuple(
        _ask(p, blank=N_("Not recorded")) if p == "symptoms.pain_trend" else _ask(p)
        for p in _section_paths("symptoms")
    ))  # fmt: skip


def _clearance() -> Section:
    intro = N_(
        "The attending physician's decision. Leave it empty when there is none yet."
    )
    return Section("clearance", N_("Physician's clearance"), intro, (
        _ask("clearance.status", required=False, blank=N_("None recorded")),
        _ask("clearance.physician"),
        _ask("clearance.date"),
        _ask("clearance.valid_until"),
        _ask("clearance.excluded_modalities", "modalities"),
    ))  # fmt: skip


@cache
def intake_sections() -> tuple[Section, ...]:
    """The whole form: the profile first, then in contract order."""
    return (
        _condition(),
        _patient(),
        _hernia(),
        _symptoms(),
        _all_asked("red_flags", N_("Red flags"), _RED_FLAGS_INTRO),
        _all_asked("history", N_("History")),
        _all_asked("medications", N_("Medications")),
        _all_asked("circulation_skin", N_("Circulation and skin")),
        _all_asked("cardiorespiratory", N_("Heart and blood pressure")),
        _all_asked("other", N_("Other conditions")),
        _clearance(),
    )


@cache
def intake_questions() -> dict[str, Question]:
    """Every question keyed by its contract path."""
    return {q.path: q for s in intake_sections() for q in s.questions}


def level_groups() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The disc levels a hernia may be at, grouped by region (for the checkboxes)."""
    return tuple((str(r), tuple(levels_for(r))) for r in Region)
