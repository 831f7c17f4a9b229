"""Pure pydantic models of the screening contract and its vocabularies."""

from spinewise.models.assessment import (
    ASSESSMENT_SCHEMA,
    Assessment,
    Clearance,
    Hernia,
    levels_for,
    vertebrae,
)
from spinewise.models.decision import (
    DECISION_SCHEMA,
    Decision,
    Finding,
    ModalityDecision,
)
from spinewise.models.enums import (
    ClearanceStatus,
    Imaging,
    Modality,
    ModalityStatus,
    Morphology,
    PainTrend,
    Region,
    RuleState,
    Severity,
    Sex,
    Side,
    Verdict,
)
from spinewise.models.fields import FieldSpec, assessment_fields, required_paths
from spinewise.models.validation import parse_model, problems_of

__all__ = [
    "ASSESSMENT_SCHEMA",
    "DECISION_SCHEMA",
    "Assessment",
    "Clearance",
    "ClearanceStatus",
    "Decision",
    "FieldSpec",
    "Finding",
    "Hernia",
    "Imaging",
    "Modality",
    "ModalityDecision",
    "ModalityStatus",
    "Morphology",
    "PainTrend",
    "Region",
    "RuleState",
    "Severity",
    "Sex",
    "Side",
    "Verdict",
    "assessment_fields",
    "levels_for",
    "parse_model",
    "problems_of",
    "required_paths",
    "vertebrae",
]
