"""The decision: output of screening, schema ``spinewise.decision/1``."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from spinewise.models.enums import (
    Modality,
    ModalityStatus,
    Profile,
    RuleState,
    Severity,
    Verdict,
)

DECISION_SCHEMA = "spinewise.decision/1"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class ModalityDecision(_Frozen):
    status: ModalityStatus
    rules: list[str] = Field(
        default_factory=list, description="fired non-info rules that touch the modality"
    )
    undetermined_rules: list[str] = Field(
        default_factory=list,
        description="rules on this modality that the missing answers leave open",
    )
    excluded_by_physician: bool = False


class Finding(_Frozen):
    rule: str
    severity: Severity
    modalities: list[Modality]
    message: str
    source: str = Field(description="source id; resolves to `citation`")
    citation: str
    state: RuleState = RuleState.FIRED
    temporary: bool = False
    rescreen_after_days: int | None = None


class Decision(_Frozen):
    schema_: str = Field(default=DECISION_SCHEMA, alias="schema")
    profile: Profile = Field(
        default=Profile.DISC_HERNIATION, description="the condition profile screened"
    )
    verdict: Verdict
    summary: str
    rescreen_after_days: int | None = None
    modalities: dict[Modality, ModalityDecision]
    findings: list[Finding]
    missing: list[str]
    kb_version: str
    engine_version: str
    assessed_on: str | None = None
    approval_valid: bool = False

    def fired_rules(self) -> list[str]:
        """Ids of the rules that fired, in knowledge-base order."""
        return [f.rule for f in self.findings if f.state is RuleState.FIRED]

    def usable_modalities(self) -> list[Modality]:
        """Modalities that may be planned: allowed or with precautions."""
        usable = (ModalityStatus.ALLOWED, ModalityStatus.WITH_PRECAUTIONS)
        return [m for m, d in self.modalities.items() if d.status in usable]

    def to_contract(self) -> dict[str, object]:
        """The decision as contract JSON."""
        return self.model_dump(mode="json", by_alias=True)
