"""The EHR code lists of the knowledge base: which coded EHR data answers which question.

An EHR records red flags and contraindications as coded ``Condition``s,
``Observation``s and medications. ``ehr-codes.yaml`` lists, per code, its system, the
contract field it answers ("yes"), the resource types it may come in and the page the
code was checked against. A code whose page could not be read here is
``confirmed: false``: it is shown for clinical review and never used (the same rule as
``interop/codes.py``). ``orders`` lists codes of massage orders (``ServiceRequest``).

Matching is by ``system`` and ``code``; ``match: prefix`` also takes the code's
subcodes (ICD-10 ``M46.2`` takes ``M46.26``; ATC ``B01A`` takes ``B01AF01``), and the
longest matching entry wins (ATC ``B01AC`` antiplatelets before ``B01A``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from spinewise.models import Modality, assessment_fields

# The short system names of the YAML -> the FHIR system URIs they stand for. ICD-10
# stands for both the WHO edition and ICD-10-CM: the categories listed are the same.
SYSTEMS: dict[str, tuple[str, ...]] = {
    "icd-10": ("http://hl7.org/fhir/sid/icd-10", "http://hl7.org/fhir/sid/icd-10-cm"),
    "snomed": ("http://snomed.info/sct",),
    "atc": ("http://www.whocc.no/atc",),
    "rxnorm": ("http://www.nlm.nih.gov/research/umls/rxnorm",),
}
SystemName = Literal["icd-10", "snomed", "atc", "rxnorm"]
ResourceKind = Literal[
    "Condition", "Observation", "MedicationStatement", "MedicationRequest"
]


class _Code(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    system: SystemName
    code: Annotated[str, Field(min_length=1, pattern=r"^[A-Za-z0-9.]+$")]
    display: Annotated[str, Field(min_length=3)]
    match: Literal["exact", "prefix"] = "exact"
    confirmed: bool
    source: Annotated[str, Field(min_length=10)]
    note: str = ""

    @property
    def uris(self) -> tuple[str, ...]:
        return SYSTEMS[self.system]

    def label(self) -> str:
        """``ICD-10 G83.4 Cauda equina syndrome`` (for cards and the clinical page)."""
        return f"{self.system.upper()} {self.code} {self.display}"


class CodedAnswer(_Code):
    """A code that, found active in the EHR, answers ``answers`` with "yes"."""

    answers: str
    resources: Annotated[list[ResourceKind], Field(min_length=1)]
    includes_past: bool = Field(
        default=False,
        description="also counts in remission or resolved (a history question)",
    )

    @field_validator("answers")
    @classmethod
    def _a_yes_no_field(cls, value: str) -> str:
        spec = assessment_fields().get(value)
        if spec is None or spec.kind != "bool":
            raise ValueError(
                f"answers: {value!r} is not a yes/no field of the assessment contract"
            )
        return value


class OrderCode(_Code):
    """A code of a massage or manual-therapy order (``ServiceRequest.code``)."""

    modalities: list[Modality] = Field(default_factory=list)


class EhrCodes(BaseModel):
    """The whole ``ehr-codes.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    answers: list[CodedAnswer]
    orders: list[OrderCode] = Field(default_factory=list)

    def usable_answers(self) -> list[CodedAnswer]:
        """The confirmed answer codes (the others wait for clinical review)."""
        return [c for c in self.answers if c.confirmed]

    def usable_orders(self) -> list[OrderCode]:
        return [c for c in self.orders if c.confirmed]
