"""Baseline for bench/rules.py: the 64 rules written by hand as Python lambdas.

Three-valued like the engine (True, False, None = unknown), over the same facts dict
(``facts_of``). Written the way a careful developer would: a tri-state bool field is
its own truth value, Kleene ``and``/``or`` are two small helpers. They return the
truth values only (no null paths, no re-screen days).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Facts = dict[str, Any]
Truth = bool | None


def k_and(*values: Truth) -> Truth:
    unknown = False
    for value in values:
        if value is False:
            return False
        if value is None:
            unknown = True
    return None if unknown else True


def k_or(*values: Truth) -> Truth:
    unknown = False
    for value in values:
        if value is True:
            return True
        if value is None:
            unknown = True
    return None if unknown else False


def days(f: Facts, path: str) -> int | None:
    day = f[path]
    return None if day is None else (f["assessed_on"] - day).days


def within(f: Facts, path: str, limit: int) -> bool:
    """A history date (null = no such event) fewer than ``limit`` days ago."""
    day = f[path]
    return day is not None and (f["assessed_on"] - day).days < limit


def ge(value: int | None, bound: int) -> Truth:
    return None if value is None else value >= bound


def lt(value: int | None, bound: int) -> Truth:
    return None if value is None else value < bound


def is_(value: object, word: str) -> Truth:
    return None if value is None else value == word


def not_male(f: Facts) -> Truth:
    sex = f["patient.sex"]
    return None if sex is None else sex != "male"


def infection_risk(f: Facts) -> Truth:
    return k_or(f["red_flags.immunosuppressed"], f["red_flags.iv_drug_use"])


RULES: list[tuple[str, Callable[[Facts], Truth]]] = [
    ("RF-CES-01", lambda f: f["red_flags.saddle_anaesthesia"]),
    ("RF-CES-02", lambda f: f["red_flags.bladder_dysfunction"]),
    ("RF-CES-03", lambda f: f["red_flags.bowel_dysfunction"]),
    ("RF-CES-04", lambda f: f["red_flags.sexual_dysfunction_new"]),
    ("RF-CES-05", lambda f: f["red_flags.bilateral_radicular_symptoms"]),
    ("RF-NEU-01", lambda f: f["red_flags.progressive_motor_weakness"]),
    ("RF-MYE-01", lambda f: f["red_flags.myelopathy_signs"]),
    ("RF-MAL-01", lambda f: f["red_flags.cancer_history"]),
    ("RF-MAL-02", lambda f: f["red_flags.unexplained_weight_loss"]),
    (
        "RF-MAL-03",
        lambda f: k_and(f["symptoms.night_pain_unrelenting"], ge(f["patient.age"], 50)),
    ),
    ("RF-FRX-01", lambda f: f["red_flags.recent_significant_trauma"]),
    (
        "RF-INF-01",
        lambda f: k_and(
            f["red_flags.fever"],
            k_or(
                f["red_flags.immunosuppressed"],
                f["red_flags.iv_drug_use"],
                within(f, "history.spinal_surgery_date", 90),
                within(f, "history.epidural_injection_date", 90),
            ),
        ),
    ),
    (
        "RF-INF-02",
        lambda f: k_and(f["symptoms.night_pain_unrelenting"], infection_risk(f)),
    ),
    ("DF-ACU-01", lambda f: lt(days(f, "symptoms.onset_date"), 14)),
    (
        "DF-ACU-02",
        lambda f: k_and(
            lt(days(f, "symptoms.onset_date"), 42),
            k_or(
                ge(f["symptoms.pain_nrs"], 7),
                is_(f["symptoms.pain_trend"], "worsening"),
                f["symptoms.antalgic_posture"],
                f["symptoms.severe_muscle_spasm"],
            ),
        ),
    ),
    ("DF-ACU-03", lambda f: ge(f["symptoms.pain_nrs"], 8)),
    ("DF-FEV-01", lambda f: f["red_flags.fever"]),
    ("DF-INF-01", lambda f: f["other.acute_infection"]),
    ("DF-INT-01", lambda f: f["other.intoxication"]),
    ("DF-SUR-01", lambda f: within(f, "history.spinal_surgery_date", 42)),
    ("DF-SUR-02", lambda f: within(f, "history.other_surgery_date", 14)),
    ("DF-INJ-01", lambda f: within(f, "history.epidural_injection_date", 7)),
    ("CI-ALL-01", lambda f: lt(f["patient.age"], 16)),
    ("CI-ALL-02", lambda f: f["circulation_skin.dvt_current_or_suspected"]),
    ("CI-ALL-03", lambda f: f["cardiorespiratory.decompensated_heart_failure"]),
    ("CI-ALL-04", lambda f: f["cardiorespiratory.recent_myocardial_infarction"]),
    (
        "CI-CLS-01",
        lambda f: k_and(
            f["circulation_skin.bleeding_disorder"],
            k_or(f["medications.anticoagulants"], f["medications.antiplatelets"]),
        ),
    ),
    ("CI-VAC-01", lambda f: f["medications.anticoagulants"]),
    ("CI-VAC-02", lambda f: f["circulation_skin.bleeding_disorder"]),
    ("CI-VAC-03", lambda f: f["circulation_skin.skin_lesion_in_area"]),
    ("CI-VAC-04", lambda f: f["circulation_skin.fragile_skin"]),
    ("CI-VAC-05", lambda f: f["circulation_skin.varicose_veins_in_area"]),
    ("CI-VAC-06", lambda f: within(f, "history.spinal_surgery_date", 90)),
    ("CI-VAC-07", lambda f: k_and(not_male(f), f["patient.pregnant"])),
    ("CI-HYD-01", lambda f: f["other.incontinence"]),
    ("CI-HYD-02", lambda f: f["other.uncontrolled_epilepsy"]),
    ("CI-HYD-03", lambda f: f["cardiorespiratory.uncontrolled_hypertension"]),
    ("CI-HYD-04", lambda f: f["circulation_skin.skin_lesion_in_area"]),
    ("CI-HYD-05", lambda f: within(f, "history.other_surgery_date", 42)),
    (
        "CI-HYD-06",
        lambda f: k_and(
            not_male(f), f["patient.pregnant"], lt(f["patient.pregnancy_weeks"], 13)
        ),
    ),
    ("PC-ACO-01", lambda f: f["medications.anticoagulants"]),
    ("PC-BLD-01", lambda f: f["circulation_skin.bleeding_disorder"]),
    ("PC-APL-01", lambda f: f["medications.antiplatelets"]),
    ("PC-OST-01", lambda f: f["history.osteoporosis"]),
    ("PC-STE-01", lambda f: f["history.long_term_corticosteroids"]),
    ("PC-SEN-01", lambda f: f["circulation_skin.reduced_skin_sensation"]),
    ("PC-VAR-01", lambda f: f["circulation_skin.varicose_veins_in_area"]),
    ("PC-SKN-01", lambda f: f["circulation_skin.skin_lesion_in_area"]),
    ("PC-FRG-01", lambda f: f["circulation_skin.fragile_skin"]),
    ("PC-PRG-01", lambda f: k_and(not_male(f), f["patient.pregnant"])),
    ("PC-RAD-01", lambda f: f["symptoms.radicular_pain"]),
    ("PC-CER-01", lambda f: f["hernia.region"] == "cervical"),
    ("PC-THO-01", lambda f: f["hernia.region"] == "thoracic"),
    (
        "PC-MOR-01",
        lambda f: (
            None
            if (m := f["hernia.morphology"]) is None
            else m in ("extrusion", "sequestration")
        ),
    ),
    ("PC-IMG-01", lambda f: is_(f["hernia.imaging"], "none")),
    (
        "PC-SUR-01",
        lambda f: (
            f["history.spinal_surgery_date"] is not None
            and 42 <= days(f, "history.spinal_surgery_date") < 365  # type: ignore[operator]
        ),
    ),
    (
        "PC-SPA-01",
        lambda f: k_and(
            ge(days(f, "symptoms.onset_date"), 42),
            k_or(f["symptoms.severe_muscle_spasm"], f["symptoms.antalgic_posture"]),
        ),
    ),
    ("PC-HTN-01", lambda f: f["cardiorespiratory.uncontrolled_hypertension"]),
    ("PC-INF-01", infection_risk),
    ("IN-CUR-01", lambda f: True),
    ("IN-DRG-01", lambda f: True),
    ("IN-MAT-01", lambda f: True),
    ("IN-ACT-01", lambda f: True),
    (
        "IN-CES-01",
        lambda f: k_and(
            f["hernia.region"] == "lumbar",
            None
            if (side := f["hernia.side"]) is None
            else side in ("central", "bilateral"),
        ),
    ),
]
LAMBDAS = [rule for _, rule in RULES]


def evaluate(facts: Facts) -> list[Truth]:
    """Every rule's truth value, in KB order."""
    return [rule(facts) for rule in LAMBDAS]
