"""The intake form, question by question, grouped as the screening contract groups it.

Each question's form name is its contract path (``red_flags.fever``), so a validation
error on a contract field lands next to the question that asked it. Every safety
question is a yes / no / unknown choice: unknown is explicit, and an unanswered
question is read as unknown, never as no.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Literal

from spinewise.models import (
    ClearanceStatus,
    Modality,
    Morphology,
    PainTrend,
    Region,
    Sex,
    Side,
    levels_for,
)

Control = Literal[
    "tri", "int", "date", "select", "text", "list", "levels", "modalities"
]
TRI_CHOICES = (("yes", "Yes"), ("no", "No"), ("unknown", "Unknown"))


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


def _tri(path: str, label: str, hint: str = "") -> Question:
    return Question(path, label, "tri", hint, TRI_CHOICES)


def _words(values: Iterable[object]) -> tuple[tuple[str, str], ...]:
    return tuple((str(v), str(v).replace("_", " ").capitalize()) for v in values)


def _flags(section: str, labels: dict[str, str]) -> tuple[Question, ...]:
    return tuple(_tri(f"{section}.{name}", label) for name, label in labels.items())


def _patient() -> Section:
    return Section("patient", "Patient", "", (
        Question("assessed_on", "Date of this assessment", "date", required=True,
                 hint="Durations (since onset, surgery, injection) count to this day."),
        Question("patient.age", "Age in years", "int", required=True, low=0, high=120),
        Question("patient.sex", "Sex", "select", choices=_words(Sex)),
        _tri("patient.pregnant", "Pregnant"),
        Question("patient.pregnancy_weeks", "Weeks of pregnancy", "int",
                 hint="Only if pregnant.", low=0, high=45),
    ))  # fmt: skip


def _hernia() -> Section:
    return Section("hernia", "Hernia", "", (
        Question("hernia.region", "Region of the hernia", "select", required=True,
                 choices=_words(Region), blank="Choose the region"),
        Question("hernia.levels", "Disc levels", "levels", required=True,
                 hint="Tick every herniated level; they must belong to the region."),
        Question("hernia.morphology", "Morphology", "select",
                 choices=_words(Morphology)),
        Question("hernia.side", "Side", "select", choices=_words(Side)),
        Question("hernia.imaging", "Imaging", "select", blank="Not recorded",
                 choices=(("mri", "MRI"), ("ct", "CT"), ("none", "None"))),
    ))  # fmt: skip


def _symptoms() -> Section:
    return Section("symptoms", "Symptoms", "", (
        Question("symptoms.onset_date", "Start of the current episode", "date",
                 required=True, hint="A flare that is a new episode gets a new date."),
        Question("symptoms.pain_nrs", "Pain now, 0 (none) to 10 (worst)", "int",
                 required=True, low=0, high=10),
        Question("symptoms.pain_trend", "Pain trend", "select",
                 choices=_words(PainTrend), blank="Not recorded"),
        _tri("symptoms.radicular_pain",
             "Radicular pain (into the leg; into the arm for a cervical hernia)"),
        _tri("symptoms.antalgic_posture", "Antalgic (forced, protective) posture"),
        _tri("symptoms.severe_muscle_spasm", "Severe muscle spasm"),
        _tri("symptoms.night_pain_unrelenting", "Constant, non-mechanical night pain"),
    ))  # fmt: skip


def _red_flags() -> Section:
    return Section(
        "red_flags",
        "Red flags",
        "Answer every red flag: an unknown red flag keeps the decision incomplete.",
        _flags(
            "red_flags",
            {
                "saddle_anaesthesia": "Saddle anaesthesia (numbness between the legs)",
                "bladder_dysfunction": "New bladder retention or incontinence",
                "bowel_dysfunction": "New bowel incontinence or loss of control",
                "sexual_dysfunction_new": "New sexual dysfunction",
                "bilateral_radicular_symptoms": "Radicular symptoms on both sides",
                "progressive_motor_weakness": "Progressive motor weakness",
                "myelopathy_signs": "Signs of myelopathy (gait disturbance, "
                "clumsy hands, brisk reflexes)",
                "fever": "Fever now (38.0 °C or more)",
                "unexplained_weight_loss": "Unexplained weight loss",
                "cancer_history": "History of cancer",
                "recent_significant_trauma": "Recent significant trauma",
                "immunosuppressed": "Immunosuppressed",
                "iv_drug_use": "Intravenous drug use",
            },
        ),
    )


def _history() -> Section:
    empty = "Leave empty if there was none."
    return Section("history", "History", "", (
        _tri("history.osteoporosis", "Osteoporosis"),
        _tri("history.long_term_corticosteroids", "Long-term corticosteroids"),
        Question("history.spinal_surgery_date", "Date of spinal surgery", "date", empty),
        Question("history.other_surgery_date", "Date of other surgery", "date", empty),
        Question("history.epidural_injection_date", "Date of epidural injection",
                 "date", empty),
    ))  # fmt: skip


def _medications() -> Section:
    return Section("medications", "Medications", "", (
        _tri("medications.anticoagulants", "Anticoagulants (warfarin, DOACs, heparins)"),
        _tri("medications.antiplatelets", "Antiplatelet drugs"),
        Question("medications.analgesics", "Pain medicines", "list",
                 hint="Separate with commas. Drug therapy stays with the physician."),
    ))  # fmt: skip


def _circulation_skin() -> Section:
    return Section(
        "circulation_skin",
        "Circulation and skin",
        "",
        _flags(
            "circulation_skin",
            {
                "dvt_current_or_suspected": "Deep vein thrombosis, current or "
                "suspected",
                "bleeding_disorder": "Bleeding disorder",
                "varicose_veins_in_area": "Varicose veins in the massage area",
                "skin_lesion_in_area": "Skin lesion over the back (wound, infection, "
                "rash, burn, eczema)",
                "fragile_skin": "Fragile skin",
                "reduced_skin_sensation": "Reduced skin sensation",
            },
        ),
    )


def _cardiorespiratory() -> Section:
    return Section(
        "cardiorespiratory",
        "Heart and blood pressure",
        "",
        _flags(
            "cardiorespiratory",
            {
                "uncontrolled_hypertension": "Uncontrolled high blood pressure",
                "decompensated_heart_failure": "Decompensated heart failure",
                "recent_myocardial_infarction": "Recent heart attack",
            },
        ),
    )


def _other() -> Section:
    return Section(
        "other",
        "Other conditions",
        "",
        _flags(
            "other",
            {
                "uncontrolled_epilepsy": "Uncontrolled epilepsy",
                "incontinence": "Incontinence of any kind (matters for pools and "
                "baths)",
                "acute_infection": "Acute infection (respiratory, urinary, skin, …)",
                "intoxication": "Under the influence of alcohol or drugs now",
            },
        ),
    )


def _clearance() -> Section:
    intro = "The attending physician's decision. Leave it empty when there is none yet."
    return Section("clearance", "Physician's clearance", intro, (
        Question("clearance.status", "Physician's decision", "select",
                 choices=_words(ClearanceStatus), blank="None recorded"),
        Question("clearance.physician", "Physician", "text"),
        Question("clearance.date", "Date of the decision", "date"),
        Question("clearance.valid_until", "Valid until", "date",
                 hint="Empty: valid until the next assessment."),
        Question("clearance.excluded_modalities", "Modalities the physician excludes",
                 "modalities", choices=_words(Modality)),
    ))  # fmt: skip


@cache
def intake_sections() -> tuple[Section, ...]:
    """The whole form, in contract order."""
    return (
        _patient(),
        _hernia(),
        _symptoms(),
        _red_flags(),
        _history(),
        _medications(),
        _circulation_skin(),
        _cardiorespiratory(),
        _other(),
        _clearance(),
    )


@cache
def intake_questions() -> dict[str, Question]:
    """Every question keyed by its contract path."""
    return {q.path: q for s in intake_sections() for q in s.questions}


def level_groups() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The disc levels a hernia may be at, grouped by region (for the checkboxes)."""
    return tuple((str(r), tuple(levels_for(r))) for r in Region)
