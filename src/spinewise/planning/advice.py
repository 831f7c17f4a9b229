"""Home-care advice for the care sheet (docs/clinical-basis.md#home-care).

The texts are knowledge-base data in the patient's words, each with its sources;
this module only chooses them: those for the hernia's region, and those tied to a
rule when the decision lists that rule (the cauda equina safety-net card with
IN-CES-01; an applied precaution such as PC-RAD-01). Safety-net cards come first,
the rule-tied ones (the cauda equina card) before the rest.
"""

from __future__ import annotations

from spinewise.errors import N_, PlanRefusedError
from spinewise.kb import KnowledgeBase
from spinewise.models import Decision, Region, RuleState
from spinewise.models.plan import Advice, AdviceKind

_ORDER = {
    AdviceKind.SAFETY_NET: 0,
    AdviceKind.ABOUT_TREATMENT: 1,
    AdviceKind.HOME_CARE: 2,
}


def _listed_rules(decision: Decision) -> set[str]:
    shown = (RuleState.FIRED, RuleState.UNDETERMINED)
    return {f.rule for f in decision.findings if f.state in shown}


def home_care_advice(
    region: Region, decision: Decision, kb: KnowledgeBase
) -> list[Advice]:
    """The advice for a patient with a hernia in ``region``, safety net first."""
    if kb.techniques is None:
        raise PlanRefusedError(
            N_(
                "knowledge base {version} has no technique tables (techniques.yaml)",
                version=kb.version,
            )
        )
    rules = _listed_rules(decision)
    chosen = [
        spec
        for spec in kb.techniques.advice
        if region in spec.regions
        and decision.profile in spec.profiles
        and (spec.when_rule is None or spec.when_rule in rules)
    ]
    chosen.sort(key=lambda spec: (_ORDER[spec.kind], spec.when_rule is None))
    return [
        Advice(
            id=spec.id,
            kind=spec.kind,
            title=spec.title,
            text=spec.text,
            sources=spec.sources,
            rule=spec.when_rule,
            unconfirmed=spec.unconfirmed,
        )
        for spec in chosen
    ]
