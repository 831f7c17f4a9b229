"""Baseline for bench/cohort.py: the bundled KB's 64 rules and the decision, by hand.

One lazy polars query written directly from the rules and the verdict table (docs/clinical-basis.md#decision),
with the same outputs as ``screen_cohort(..., with_missing=False)``: verdict,
rescreen_after_days, approval_valid, status.* and excluded.* per modality, and one
nullable Boolean per rule. A tri-state Boolean field is its own truth value; polars'
``&``/``|`` are Kleene's. bench/cohort.py checks it equals the generated path.
"""

from __future__ import annotations

import polars as pl

from spinewise.models import ModalityStatus, Verdict

c = pl.col
STATUS = pl.Enum([s.value for s in ModalityStatus])
VERDICT = pl.Enum([v.value for v in Verdict])
ONSET, SPINAL, OTHER, EPIDURAL = (
    "symptoms.onset_date",
    "history.spinal_surgery_date",
    "history.other_surgery_date",
    "history.epidural_injection_date",
)


def days(path: str) -> pl.Expr:
    return c(f"days.{path}")


def within(path: str, limit: int) -> pl.Expr:
    return (days(path) < limit).fill_null(False)


NOT_MALE_PREGNANT = (c("patient.sex") != "male") & c("patient.pregnant")
INFECTION_RISK = c("red_flags.immunosuppressed") | c("red_flags.iv_drug_use")
RULES: dict[str, pl.Expr] = {
    "RF-CES-01": c("red_flags.saddle_anaesthesia"),
    "RF-CES-02": c("red_flags.bladder_dysfunction"),
    "RF-CES-03": c("red_flags.bowel_dysfunction"),
    "RF-CES-04": c("red_flags.sexual_dysfunction_new"),
    "RF-CES-05": c("red_flags.bilateral_radicular_symptoms"),
    "RF-NEU-01": c("red_flags.progressive_motor_weakness"),
    "RF-MYE-01": c("red_flags.myelopathy_signs"),
    "RF-MAL-01": c("red_flags.cancer_history"),
    "RF-MAL-02": c("red_flags.unexplained_weight_loss"),
    "RF-MAL-03": c("symptoms.night_pain_unrelenting") & (c("patient.age") >= 50),
    "RF-FRX-01": c("red_flags.recent_significant_trauma"),
    "RF-INF-01": c("red_flags.fever")
    & (INFECTION_RISK | within(SPINAL, 90) | within(EPIDURAL, 90)),
    "RF-INF-02": c("symptoms.night_pain_unrelenting") & INFECTION_RISK,
    "DF-ACU-01": days(ONSET) < 14,
    "DF-ACU-02": (days(ONSET) < 42)
    & (
        (c("symptoms.pain_nrs") >= 7)
        | (c("symptoms.pain_trend") == "worsening")
        | c("symptoms.antalgic_posture")
        | c("symptoms.severe_muscle_spasm")
    ),
    "DF-ACU-03": c("symptoms.pain_nrs") >= 8,
    "DF-FEV-01": c("red_flags.fever"),
    "DF-INF-01": c("other.acute_infection"),
    "DF-INT-01": c("other.intoxication"),
    "DF-SUR-01": within(SPINAL, 42),
    "DF-SUR-02": within(OTHER, 14),
    "DF-INJ-01": within(EPIDURAL, 7),
    "CI-ALL-01": c("patient.age") < 16,
    "CI-ALL-02": c("circulation_skin.dvt_current_or_suspected"),
    "CI-ALL-03": c("cardiorespiratory.decompensated_heart_failure"),
    "CI-ALL-04": c("cardiorespiratory.recent_myocardial_infarction"),
    "CI-CLS-01": c("circulation_skin.bleeding_disorder")
    & (c("medications.anticoagulants") | c("medications.antiplatelets")),
    "CI-VAC-01": c("medications.anticoagulants"),
    "CI-VAC-02": c("circulation_skin.bleeding_disorder"),
    "CI-VAC-03": c("circulation_skin.skin_lesion_in_area"),
    "CI-VAC-04": c("circulation_skin.fragile_skin"),
    "CI-VAC-05": c("circulation_skin.varicose_veins_in_area"),
    "CI-VAC-06": within(SPINAL, 90),
    "CI-VAC-07": NOT_MALE_PREGNANT,
    "CI-HYD-01": c("other.incontinence"),
    "CI-HYD-02": c("other.uncontrolled_epilepsy"),
    "CI-HYD-03": c("cardiorespiratory.uncontrolled_hypertension"),
    "CI-HYD-04": c("circulation_skin.skin_lesion_in_area"),
    "CI-HYD-05": within(OTHER, 42),
    "CI-HYD-06": NOT_MALE_PREGNANT & (c("patient.pregnancy_weeks") < 13),
    "PC-ACO-01": c("medications.anticoagulants"),
    "PC-BLD-01": c("circulation_skin.bleeding_disorder"),
    "PC-APL-01": c("medications.antiplatelets"),
    "PC-OST-01": c("history.osteoporosis"),
    "PC-STE-01": c("history.long_term_corticosteroids"),
    "PC-SEN-01": c("circulation_skin.reduced_skin_sensation"),
    "PC-VAR-01": c("circulation_skin.varicose_veins_in_area"),
    "PC-SKN-01": c("circulation_skin.skin_lesion_in_area"),
    "PC-FRG-01": c("circulation_skin.fragile_skin"),
    "PC-PRG-01": NOT_MALE_PREGNANT,
    "PC-RAD-01": c("symptoms.radicular_pain"),
    "PC-CER-01": c("hernia.region") == "cervical",
    "PC-THO-01": c("hernia.region") == "thoracic",
    "PC-MOR-01": c("hernia.morphology").is_in(["extrusion", "sequestration"]),
    "PC-IMG-01": c("hernia.imaging") == "none",
    "PC-SUR-01": ((days(SPINAL) >= 42) & (days(SPINAL) < 365)).fill_null(False),
    "PC-SPA-01": (days(ONSET) >= 42)
    & (c("symptoms.severe_muscle_spasm") | c("symptoms.antalgic_posture")),
    "PC-HTN-01": c("cardiorespiratory.uncontrolled_hypertension"),
    "PC-INF-01": INFECTION_RISK,
    "IN-CUR-01": pl.lit(True),
    "IN-DRG-01": pl.lit(True),
    "IN-MAT-01": pl.lit(True),
    "IN-ACT-01": pl.lit(True),
    "IN-CES-01": (c("hernia.region") == "lumbar")
    & c("hernia.side").is_in(["central", "bilateral"]),
}
RED_FLAGS = [r for r in RULES if r.startswith("RF-")]
EVERY = [r for r in RULES if r.startswith(("RF-", "DF-", "CI-ALL"))]
BLOCKING = {
    "classical": [*EVERY, "CI-CLS-01"],
    "vacuum": [*EVERY, *(f"CI-VAC-0{i}" for i in range(1, 8))],
    "hydromassage": [*EVERY, *(f"CI-HYD-0{i}" for i in range(1, 7))],
}
_ALL_PC = ["PC-OST-01", "PC-RAD-01", "PC-CER-01", "PC-THO-01", "PC-MOR-01"]
_ALL_PC += ["PC-IMG-01", "PC-SUR-01", "PC-SPA-01", "PC-INF-01"]
_CLS = ["PC-ACO-01", "PC-BLD-01", "PC-STE-01", "PC-VAR-01", "PC-SKN-01", "PC-FRG-01"]
_HYD = ["PC-ACO-01", "PC-BLD-01", "PC-SEN-01", "PC-VAR-01", "PC-FRG-01"]
PRECAUTIONS = {
    "classical": [*_ALL_PC, *_CLS, "PC-PRG-01"],
    "vacuum": [*_ALL_PC, "PC-APL-01", "PC-STE-01", "PC-SEN-01", "PC-HTN-01"],
    "hydromassage": [*_ALL_PC, *_HYD, "PC-PRG-01"],
}
WAITS: dict[str, pl.Expr] = {
    "DF-ACU-01": 14 - days(ONSET),
    "DF-ACU-02": pl.lit(7),
    "DF-ACU-03": pl.lit(7),
    "DF-FEV-01": pl.lit(7),
    "DF-INF-01": pl.lit(7),
    "DF-INT-01": pl.lit(1),
    "DF-SUR-01": 42 - days(SPINAL),
    "DF-SUR-02": 14 - days(OTHER),
    "DF-INJ-01": 7 - days(EPIDURAL),
    "CI-ALL-02": pl.lit(30),
    "CI-ALL-03": pl.lit(14),
    "CI-ALL-04": pl.lit(30),
    "CI-VAC-03": pl.lit(14),
    "CI-VAC-06": 90 - days(SPINAL),
    "CI-HYD-03": pl.lit(14),
    "CI-HYD-04": pl.lit(14),
    "CI-HYD-05": 42 - days(OTHER),
    "CI-HYD-06": (13 - c("patient.pregnancy_weeks").cast(pl.Int32)) * 7,
}
MODALITIES = list(BLOCKING)


def r(rule_id: str) -> pl.Expr:
    return c(f"rule.{rule_id}")


def status(m: str) -> pl.Expr:
    blocked = pl.any_horizontal([r(x) for x in BLOCKING[m]])
    return (
        pl.when(blocked.fill_null(False))
        .then(pl.lit("contraindicated", STATUS))
        .when(blocked.is_null() | c("_rf_incomplete"))
        .then(pl.lit("undetermined", STATUS))
        .when(pl.any_horizontal([r(x) for x in PRECAUTIONS[m]]).fill_null(True))
        .then(pl.lit("with_precautions", STATUS))
        .otherwise(pl.lit("allowed", STATUS))
    )


NEVER = -(2**40)  # "not fired" inside the maximum: polars' max is faster without nulls


def wait(m: str) -> pl.Expr:
    fired = {x: r(x).fill_null(False) for x in BLOCKING[m]}
    lasting = pl.any_horizontal([f for x, f in fired.items() if x not in WAITS])
    values = [
        pl.when(f).then(WAITS[x]).otherwise(NEVER)
        for x, f in fired.items()
        if x in WAITS
    ]
    longest = pl.max_horizontal(values)
    return pl.when(lasting | (longest == NEVER)).then(None).otherwise(longest)


def verdict() -> pl.Expr:
    s = {m: c(f"_status.{m}") for m in MODALITIES}
    x = {m: c(f"excluded.{m}") for m in MODALITIES}
    usable = {m: s[m].is_in(["allowed", "with_precautions"]) for m in MODALITIES}
    blocked_all = pl.all_horizontal(
        [x[m] | (s[m] == "contraindicated") for m in MODALITIES]
    )
    v = lambda word: pl.lit(word, VERDICT)  # noqa: E731
    return (
        pl.when(c("_rf_fired"))
        .then(v("urgent_referral"))
        .when(c("_rf_incomplete"))
        .then(v("incomplete"))
        .when(
            (c("clearance.status") == "declined").fill_null(False)
            | (
                pl.any_horizontal(usable.values())
                & pl.all_horizontal([~usable[m] | x[m] for m in MODALITIES])
            )
        )
        .then(v("declined_by_physician"))
        .when(blocked_all & c("_waits").is_not_null())
        .then(v("not_now"))
        .when(blocked_all)
        .then(v("not_suitable"))
        .when(pl.any_horizontal([~x[m] & (s[m] == "undetermined") for m in MODALITIES]))
        .then(v("incomplete"))
        .when(~c("approval_valid"))
        .then(v("awaiting_clearance"))
        .otherwise(v("proceed"))
    )


def decision_inputs(frame: pl.LazyFrame) -> list[pl.Expr]:
    """Red-flag summary, the clearance, the waits per modality."""
    on, state = c("assessed_on"), c("clearance.status")
    restricting = state.is_in(["approved", "declined"]).fill_null(False)
    red_flag_fields = [n for n in frame.collect_schema() if n.startswith("red_flags.")]
    incomplete = [r(x).is_null() for x in RED_FLAGS] + [
        c(p).is_null() for p in red_flag_fields
    ]
    valid = (
        (state == "approved")
        & (c("clearance.date") <= on).fill_null(True)
        & (c("clearance.valid_until") >= on).fill_null(True)
    )
    return [
        pl.any_horizontal([r(x) for x in RED_FLAGS])
        .fill_null(False)
        .alias("_rf_fired"),
        pl.any_horizontal(incomplete).alias("_rf_incomplete"),
        valid.fill_null(False).alias("approval_valid"),
        *(
            (
                restricting
                & c("clearance.excluded_modalities").list.contains(m).fill_null(False)
            ).alias(f"excluded.{m}")
            for m in MODALITIES
        ),
        *(wait(m).alias(f"_wait.{m}") for m in MODALITIES),
    ]


def soonest() -> pl.Expr:
    later = 2**40
    waits = [
        pl.when(~c(f"excluded.{m}"))
        .then(c(f"_wait.{m}").fill_null(later))
        .otherwise(later)
        for m in MODALITIES
    ]
    least = pl.min_horizontal(waits)
    return pl.when(least != later).then(least)


def reported() -> list[pl.Expr]:
    not_now = c("verdict") == "not_now"
    blocked_all = c("verdict").is_in(["urgent_referral", "declined_by_physician"])
    return [
        pl.when(not_now)
        .then(pl.max_horizontal(c("_waits"), 1))
        .cast(pl.Int32)
        .alias("rescreen_after_days"),
        *(
            pl.when(blocked_all | c(f"excluded.{m}"))
            .then(pl.lit("contraindicated", STATUS))
            .otherwise(c(f"_status.{m}"))
            .alias(f"status.{m}")
            for m in MODALITIES
        ),
    ]


def screen_by_hand(frame: pl.LazyFrame) -> pl.LazyFrame:
    """The whole decision for every row, as one query."""
    on = c("assessed_on")
    return (
        frame.with_columns(
            (on.to_physical() - c(p).to_physical()).alias(f"days.{p}")
            for p in (ONSET, SPINAL, OTHER, EPIDURAL)
        )
        .with_columns(expr.alias(f"rule.{rule_id}") for rule_id, expr in RULES.items())
        .with_columns(decision_inputs(frame))
        .with_columns(
            *(status(m).alias(f"_status.{m}") for m in MODALITIES),
            soonest().alias("_waits"),
        )
        .with_columns(verdict().alias("verdict"))
        .with_columns(reported())
        .select(
            "patient_id",
            "verdict",
            "rescreen_after_days",
            "approval_valid",
            *(f"status.{m}" for m in MODALITIES),
            *(f"excluded.{m}" for m in MODALITIES),
            *(f"rule.{rule_id}" for rule_id in RULES),
        )
    )
