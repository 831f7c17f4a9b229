"""Stop rules during a session (docs/clinical-basis.md#stop-rules), applied to a session record.

``check_stop_rules`` is pure: it reads one ``SessionRecord`` and the knowledge base's
stop rules (``techniques.yaml``: ``SR-NEU``, ``SR-PAIN``, ``SR-PERIPH``, ``SR-CARDIO``,
``SR-SKIN``, ``SR-ASK``) and says whether to stop, whether the plan is suspended until
a new screening decision, and why, each reason with its rule id and source.

Laws (tested): a red flag answered yes at the session, any new or worse neurological
symptom and a pain rise of at least the KB's threshold (2 NRS points) always stop the
session, suspend the plan and require re-screening, whatever the data's ``stops_plan``
says; nothing stops or suspends without a cited reason. A suspension is never lifted
here: only a new screening decision resumes a plan.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from spinewise.errors import KnowledgeBaseError
from spinewise.kb import Rule
from spinewise.models import Modality, Severity
from spinewise.models.plan import StopRule
from spinewise.models.session import (
    CARDIO_EVENTS,
    CES_RED_FLAGS,
    CES_SYMPTOMS,
    SKIN_EVENTS,
    AdverseEventKind,
    NeuroSymptom,
    SessionRecord,
    StopDecision,
    StopReason,
)

NEURO, PAIN, PERIPH, CARDIO, SKIN, ASK = (
    "SR-NEU",
    "SR-PAIN",
    "SR-PERIPH",
    "SR-CARDIO",
    "SR-SKIN",
    "SR-ASK",
)
REQUIRED_STOP_RULES = (NEURO, PAIN, PERIPH, CARDIO, SKIN, ASK)
ALWAYS_SUSPEND = frozenset({NEURO, PAIN})
"""Stop rules that suspend the plan whatever the data says (5.6, last paragraph)."""

_SYMPTOM_FLAGS: dict[NeuroSymptom, str] = {
    NeuroSymptom.SADDLE_NUMBNESS: "saddle_anaesthesia",
    NeuroSymptom.BLADDER_CHANGE: "bladder_dysfunction",
    NeuroSymptom.BOWEL_CHANGE: "bowel_dysfunction",
    NeuroSymptom.BILATERAL_SYMPTOMS: "bilateral_radicular_symptoms",
    NeuroSymptom.WEAKNESS: "progressive_motor_weakness",
}
_FILE = "techniques.yaml"


@dataclass
class _Hit:
    rule: StopRule
    trigger: str
    related: list[str] = field(default_factory=list)
    emergency: bool = False
    medical: bool = False
    step_down: bool = False
    modalities: tuple[Modality, ...] = ()


def stop_rules_by_id(stop_rules: Iterable[StopRule]) -> dict[str, StopRule]:
    """Index the KB's stop rules; a missing rule or threshold is a KB error."""
    rules = {rule.id: rule for rule in stop_rules}
    for rule_id in REQUIRED_STOP_RULES:
        if rule_id not in rules:
            raise KnowledgeBaseError(_FILE, rule_id, "stop rule missing")
    if rules[PAIN].pain_rise_nrs is None:
        raise KnowledgeBaseError(_FILE, PAIN, "pain_rise_nrs is required")
    return rules


def check_stop_rules(
    record: SessionRecord,
    stop_rules: Iterable[StopRule],
    screening_rules: Sequence[Rule] = (),
) -> StopDecision:
    """Which stop rules hold for ``record``, and what follows from them.

    ``screening_rules`` (the KB's rules) only enrich red-flag reasons with the RF-*
    rules that read the same question; the decision does not depend on them.
    """
    rules = stop_rules_by_id(stop_rules)
    related = _related_rules(screening_rules)
    checks: list[Callable[[SessionRecord, dict[str, StopRule]], list[_Hit]]] = [
        _red_flags,
        _neurological,
        _pain,
        _peripheralisation,
        _cardio,
        _skin,
        _asked,
    ]
    hits = [hit for check in checks for hit in check(record, rules)]
    for hit in hits:
        hit.related = sorted({r for name in hit.related for r in related.get(name, [])})
    return _decide(hits)


def _decide(hits: list[_Hit]) -> StopDecision:
    suspend = any(h.rule.stops_plan or h.rule.id in ALWAYS_SUSPEND for h in hits)
    modalities = sorted({m for h in hits for m in h.modalities})
    return StopDecision(
        stop=bool(hits),
        suspend_plan=suspend,
        rescreen_required=suspend,
        emergency_referral=any(h.emergency for h in hits),
        medical_assessment=any(h.medical for h in hits),
        suspended_modalities=modalities,
        step_down_next_session=any(h.step_down for h in hits),
        reasons=[
            StopReason(
                rule_id=h.rule.id,
                trigger=h.trigger,
                message=h.rule.action,
                source=h.rule.source,
                related_rules=h.related,
            )
            for h in hits
        ],
    )


def _related_rules(screening_rules: Sequence[Rule]) -> dict[str, list[str]]:
    """red-flag question name -> ids of the RF-* rules whose condition reads it."""
    related: dict[str, list[str]] = {}
    for rule in screening_rules:
        if rule.severity is not Severity.RED_FLAG:
            continue
        for path in rule.when.paths():
            section, _, name = path.partition(".")
            if section == "red_flags":
                related.setdefault(name, []).append(rule.id)
    return related


def _red_flags(record: SessionRecord, rules: dict[str, StopRule]) -> list[_Hit]:
    return [
        _Hit(
            rules[NEURO],
            f"red flag answered yes at the session: red_flags.{name}",
            related=[name],
            emergency=name in CES_RED_FLAGS,
        )
        for name, answer in record.red_flags.items()
        if answer
    ]


def _neurological(record: SessionRecord, rules: dict[str, StopRule]) -> list[_Hit]:
    hits = [
        _Hit(
            rules[NEURO],
            f"new or worse neurological symptom: {symptom.value.replace('_', ' ')}",
            related=[_SYMPTOM_FLAGS[symptom]] if symptom in _SYMPTOM_FLAGS else [],
            emergency=symptom in CES_SYMPTOMS,
        )
        for symptom in record.neurological_symptoms
    ]
    kinds = record.event_kinds()
    if AdverseEventKind.NEW_NEUROLOGICAL_SYMPTOM in kinds and not hits:
        hits.append(_Hit(rules[NEURO], "adverse event: new neurological symptom"))
    return hits


def _pain(record: SessionRecord, rules: dict[str, StopRule]) -> list[_Hit]:
    threshold = rules[PAIN].pain_rise_nrs
    assert threshold is not None  # checked by stop_rules_by_id
    rise = record.pain_change
    if rise < threshold:
        return []
    trigger = (
        f"pain rose from {record.pain_nrs_before} to {record.pain_nrs_after} NRS "
        f"(+{rise}; the limit is +{threshold})"
    )
    return [_Hit(rules[PAIN], trigger, step_down=True)]


def _peripheralisation(record: SessionRecord, rules: dict[str, StopRule]) -> list[_Hit]:
    if AdverseEventKind.PERIPHERALISATION not in record.event_kinds():
        return []
    return [_Hit(rules[PERIPH], "pain spread further down the limb")]


def _cardio(record: SessionRecord, rules: dict[str, StopRule]) -> list[_Hit]:
    found = sorted(CARDIO_EVENTS & record.event_kinds())
    if not found:
        return []
    names = ", ".join(kind.value.replace("_", " ") for kind in found)
    return [_Hit(rules[CARDIO], f"adverse event: {names}", medical=True)]


def _skin(record: SessionRecord, rules: dict[str, StopRule]) -> list[_Hit]:
    found = sorted(SKIN_EVENTS & record.event_kinds())
    if not found:
        return []
    names = ", ".join(kind.value.replace("_", " ") for kind in found)
    modalities = tuple(sorted({record.modality, Modality.VACUUM}))
    return [_Hit(rules[SKIN], f"adverse event: {names}", modalities=modalities)]


def _asked(record: SessionRecord, rules: dict[str, StopRule]) -> list[_Hit]:
    if not record.patient_asked_to_stop:
        return []
    return [_Hit(rules[ASK], "the patient asked to stop")]
