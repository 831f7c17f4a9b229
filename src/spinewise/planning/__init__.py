"""Course planning: from a ``proceed`` decision to dated sessions, zones and advice.

Pure: every figure comes from the knowledge base (``techniques.yaml``), the start
date is passed in. The plan's models are re-exported here for other packages.
"""

from spinewise.models.plan import (
    BAND_LABELS,
    BAND_SPANS,
    PLAN_SCHEMA,
    Advice,
    AdviceKind,
    Area,
    Band,
    ClearanceSummary,
    CoursePlan,
    Figure,
    HydroParameters,
    JetIntensity,
    ModalityCourse,
    PlanChange,
    Session,
    SessionCheck,
    Step,
    StopRule,
    TechniqueKind,
    VacuumParameters,
    ZoneToAvoid,
    describe_where,
    vertebra_index,
)
from spinewise.models.plan_wording import area_label, band_label, step_wording
from spinewise.planning.advice import home_care_advice
from spinewise.planning.check_wording import reworded_check
from spinewise.planning.planner import PLANNER_VERSION, applied_precautions, plan_course
from spinewise.planning.progression import session_dates, session_levels
from spinewise.planning.stops import REQUIRED_STOP_RULES, check_stop_rules
from spinewise.planning.zones import hernia_spans

__all__ = [
    "BAND_LABELS",
    "BAND_SPANS",
    "PLANNER_VERSION",
    "PLAN_SCHEMA",
    "REQUIRED_STOP_RULES",
    "Advice",
    "AdviceKind",
    "Area",
    "Band",
    "ClearanceSummary",
    "CoursePlan",
    "Figure",
    "HydroParameters",
    "JetIntensity",
    "ModalityCourse",
    "PlanChange",
    "Session",
    "SessionCheck",
    "Step",
    "StopRule",
    "TechniqueKind",
    "VacuumParameters",
    "ZoneToAvoid",
    "applied_precautions",
    "area_label",
    "band_label",
    "check_stop_rules",
    "describe_where",
    "hernia_spans",
    "home_care_advice",
    "plan_course",
    "reworded_check",
    "session_dates",
    "session_levels",
    "step_wording",
    "vertebra_index",
]
