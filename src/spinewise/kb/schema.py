"""The knowledge base's shape: sources, rules and the versioned whole, validated at load."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)

from spinewise.kb.codes import EhrCodes
from spinewise.kb.conditions import Condition
from spinewise.kb.expressions import Expression
from spinewise.kb.techniques import Techniques
from spinewise.models import Modality, Profile, Severity

RULE_ID = re.compile(r"^[A-Z]{2}-[A-Z]{3}-\d{2}$")
_PREFIX = {
    "RF": Severity.RED_FLAG,
    "DF": Severity.DEFER,
    "CI": Severity.CONTRAINDICATION,
    "PC": Severity.PRECAUTION,
    "IN": Severity.INFO,
}


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9-]*$")]
    citation: str
    supports: str = ""
    url: str | None = None
    unconfirmed: bool = False


class Rule(BaseModel):
    """One row of the clinical rule tables."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    severity: Severity
    modalities: list[Modality] | Literal["all"]
    profiles: Annotated[list[Profile], Field(min_length=1)]
    temporary: bool = False
    rescreen_after: Expression | None = None
    when: Condition
    message: Annotated[str, Field(min_length=10)]
    source: str

    @field_validator("id")
    @classmethod
    def _id_form(cls, value: str) -> str:
        if not RULE_ID.match(value):
            raise ValueError(f"rule id {value!r} is not of the form XX-XXX-00")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Rule:
        expected = _PREFIX.get(self.id[:2])
        if expected is not self.severity:
            raise ValueError(
                f"id prefix {self.id[:2]} does not match severity {self.severity}"
            )
        if self.temporary != (self.rescreen_after is not None):
            raise ValueError(
                "a temporary rule needs rescreen_after, a lasting one none"
            )
        if self.temporary and not self.severity.blocks:
            raise ValueError(f"a {self.severity} rule cannot be temporary")
        if self.severity is Severity.DEFER and not self.temporary:
            raise ValueError("a defer is temporary by definition")
        if len(set(self.profiles)) != len(self.profiles):
            raise ValueError("profiles: a profile is listed twice")
        if self.severity is Severity.RED_FLAG and set(self.profiles) != set(Profile):
            raise ValueError(
                "profiles: a red flag applies to every profile; allowed: "
                + ", ".join(p.value for p in Profile)
            )
        if Profile.NONSPECIFIC_BACK_PAIN in self.profiles and any(
            path.startswith("hernia.") for path in self.when.paths()
        ):
            raise ValueError(
                "profiles: a rule of nonspecific_back_pain cannot read hernia.* "
                "(that profile has no hernia block)"
            )
        return self

    _targets: tuple[Modality, ...] = PrivateAttr(default=())

    def model_post_init(self, context: Any, /) -> None:
        named = self.modalities
        self._targets = tuple(named) if isinstance(named, list) else tuple(Modality)

    @property
    def targets(self) -> tuple[Modality, ...]:
        """The modalities the rule touches ("all" expanded; computed once)."""
        return self._targets


class KnowledgeBase(BaseModel):
    """The whole rule set with its version: what every decision is made with."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Annotated[str, Field(min_length=1)]
    sources: dict[str, Source]
    rules: list[Rule]
    techniques: Techniques | None = None
    ehr_codes: EhrCodes = Field(default_factory=lambda: EhrCodes(answers=[]))
    translations: dict[str, dict[str, str]] = Field(default_factory=dict)
    """Other languages' texts by language and text key (kb/translations.py)."""

    _in_language: dict[str, KnowledgeBase] = PrivateAttr(default_factory=dict)

    def __eq__(self, other: object) -> bool:
        """Equal when the data is: the translated copies remembered by
        ``in_language`` and the per-profile index are derived, so they do not count."""
        if not isinstance(other, KnowledgeBase):
            return NotImplemented
        return self.__dict__ == other.__dict__

    def in_language(self, language: str) -> KnowledgeBase:
        """This KB with its texts in ``language``; itself for English (and for a
        language it has no catalogue of). Only words differ, never ids or figures."""
        texts = self.translations.get(language)
        if texts is None:
            return self
        if language not in self._in_language:
            from spinewise.kb.translations import translated_kb

            self._in_language[language] = translated_kb(self, texts)
        return self._in_language[language]

    _by_profile: dict[Profile, tuple[Rule, ...]] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        self._by_profile = {
            p: tuple(r for r in self.rules if p in r.profiles) for p in Profile
        }

    def rules_for(self, profile: Profile) -> tuple[Rule, ...]:
        """The rules of ``profile`` in knowledge-base order (the only ones evaluated)."""
        return self._by_profile[profile]

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def counts_by_severity(self) -> dict[Severity, int]:
        return {s: sum(1 for r in self.rules if r.severity is s) for s in Severity}
