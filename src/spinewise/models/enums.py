"""Closed vocabularies of the screening contract, valued with the contract strings."""

from __future__ import annotations

from enum import StrEnum


class Modality(StrEnum):
    CLASSICAL = "classical"
    VACUUM = "vacuum"
    HYDROMASSAGE = "hydromassage"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class Region(StrEnum):
    CERVICAL = "cervical"
    THORACIC = "thoracic"
    LUMBAR = "lumbar"


class Profile(StrEnum):
    """The condition profile an assessment is screened under (a set of rules)."""

    DISC_HERNIATION = "disc_herniation"
    NONSPECIFIC_BACK_PAIN = "nonspecific_back_pain"


class Morphology(StrEnum):
    BULGE = "bulge"
    PROTRUSION = "protrusion"
    EXTRUSION = "extrusion"
    SEQUESTRATION = "sequestration"
    UNKNOWN = "unknown"


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    CENTRAL = "central"
    BILATERAL = "bilateral"
    UNKNOWN = "unknown"


class Imaging(StrEnum):
    MRI = "mri"
    CT = "ct"
    NONE = "none"


class PainTrend(StrEnum):
    IMPROVING = "improving"
    STABLE = "stable"
    WORSENING = "worsening"


class ClearanceStatus(StrEnum):
    APPROVED = "approved"
    DECLINED = "declined"
    PENDING = "pending"


class Verdict(StrEnum):
    URGENT_REFERRAL = "urgent_referral"
    INCOMPLETE = "incomplete"
    DECLINED_BY_PHYSICIAN = "declined_by_physician"
    NOT_NOW = "not_now"
    NOT_SUITABLE = "not_suitable"
    AWAITING_CLEARANCE = "awaiting_clearance"
    PROCEED = "proceed"


class ModalityStatus(StrEnum):
    ALLOWED = "allowed"
    WITH_PRECAUTIONS = "with_precautions"
    CONTRAINDICATED = "contraindicated"
    UNDETERMINED = "undetermined"


class Severity(StrEnum):
    RED_FLAG = "red_flag"
    DEFER = "defer"
    CONTRAINDICATION = "contraindication"
    PRECAUTION = "precaution"
    INFO = "info"

    @property
    def blocks(self) -> bool:
        """True for the severities that make a modality contraindicated."""
        return self in (Severity.RED_FLAG, Severity.DEFER, Severity.CONTRAINDICATION)


class RuleState(StrEnum):
    """Three-valued result of one rule: fired (true), false, or undetermined."""

    FIRED = "fired"
    NOT_FIRED = "not_fired"
    UNDETERMINED = "undetermined"
