"""Observations: the assessment's pain NRS and the outcome questionnaire scores.

Pain NRS is LOINC 72514-3 (confirmed, docs/clinical-basis.md#outcome-instruments). ODI, RMDQ, NDI and
STarT Back use the local system ``urn:spinewise:instrument`` because their LOINC codes
were not confirmed (docs/clinical-basis.md#review-list); the instrument definitions in ``spinewise.outcomes`` hold
each code with its ``confirmed`` flag, and an unconfirmed one is never exported under
its official system. A score that is not scorable is exported with a
data-absent-reason and the reason as text, never a guessed value.
"""

from __future__ import annotations

from decimal import Decimal

from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.observation import Observation, ObservationComponent
from fhir.resources.R4B.quantity import Quantity
from fhir.resources.R4B.reference import Reference

from spinewise.interop import codes
from spinewise.interop.codes import PAIN_NRS, SURVEY, Code, concept, local, resource_id
from spinewise.interop.fhir.patient import PatientInfo, patient_reference
from spinewise.models import Assessment
from spinewise.models.outcome import Instrument, Score, StartBackRisk
from spinewise.outcomes import INSTRUMENTS


def instrument_codes(instrument: Instrument) -> list[Code]:
    """The instrument's code from its definition, then the local code as fallback."""
    defined = INSTRUMENTS[instrument].coding
    found = Code(defined.system, defined.code, defined.display, defined.confirmed)
    if found.confirmed or found.system == codes.INSTRUMENT:
        return [found]
    # An unconfirmed external code: concept() drops it, the local code stays.
    return [found, local(codes.INSTRUMENT, instrument.value, defined.display)]


def pain_observation(
    info: PatientInfo,
    assessment: Assessment,
    assessment_key: str,
    derived_from: Reference | None = None,
    performer: Reference | None = None,
) -> Observation:
    """The assessment's current pain (``symptoms.pain_nrs``) as LOINC 72514-3;
    ``performer`` is the therapist who signed the assessment."""
    return Observation(
        id=resource_id("Observation", info.key, assessment_key, "pain-nrs"),
        status="final",
        category=[concept(SURVEY)],
        code=concept(PAIN_NRS, text="Pain NRS 0-10"),
        subject=patient_reference(info),
        effectiveDateTime=assessment.assessed_on,
        valueInteger=assessment.symptoms.pain_nrs,
        performer=[performer] if performer else None,
        derivedFrom=[derived_from] if derived_from else None,
    )


def _unit(instrument: Instrument) -> tuple[str, str]:
    return ("%", "%") if instrument is Instrument.ODI else ("score", "{score}")


def _quantity(value: Decimal, unit: tuple[str, str]) -> Quantity:
    return Quantity(value=value, unit=unit[0], system=codes.UCUM, code=unit[1])


_PARTS = ("answered", "raw-sum", "percentage", "band")
# Parts only some instruments have (scoring.py): subscores and the risk group.
_EXTRA_PARTS = {
    Instrument.STARTBACK: ("subscore-psychosocial", "risk"),
}


def _component_code(instrument: Instrument, name: str) -> Code:
    return local(codes.INSTRUMENT, f"{instrument.value}-{name}", name.replace("-", " "))


def _risk_code(instrument: Instrument, risk: StartBackRisk) -> Code:
    return local(codes.INSTRUMENT, f"{instrument.value}-risk-{risk.value}")


def component_codes() -> list[Code]:
    """Every local instrument code a score Observation can carry (for the
    published CodeSystem)."""
    found = [c for i in Instrument for c in instrument_codes(i)]
    for i in Instrument:
        found += [_component_code(i, n) for n in (*_PARTS, *_EXTRA_PARTS.get(i, ()))]
    found += [_risk_code(Instrument.STARTBACK, r) for r in StartBackRisk]
    return found


def _component(
    name: str, instrument: Instrument, **value: object
) -> ObservationComponent:
    code = _component_code(instrument, name)
    return ObservationComponent.model_validate({"code": concept(code), **value})


def _components(score: Score) -> list[ObservationComponent]:
    i = score.instrument
    parts = [_component("answered", i, valueInteger=score.answered)]
    if score.raw_sum is not None:
        parts.append(_component("raw-sum", i, valueInteger=score.raw_sum))
    if score.percentage is not None:
        pct = _quantity(score.percentage, ("%", "%"))
        parts.append(_component("percentage", i, valueQuantity=pct))
    if score.band is not None:
        parts.append(_component("band", i, valueString=score.band))
    for name, sub in sorted(score.subscores.items()):
        parts.append(_component(f"subscore-{name}", i, valueInteger=sub))
    if score.risk is not None:
        risk = _risk_code(i, score.risk)
        parts.append(_component("risk", i, valueCodeableConcept=concept(risk)))
    return parts


def score_observation(info: PatientInfo, score: Score, key: str) -> Observation:
    """One questionnaire score; ``key`` names it within the patient (store id). The
    questionnaires are self-reported: the patient is the performer."""
    definition = INSTRUMENTS[score.instrument]
    absent: CodeableConcept | None = None
    value: Quantity | None = None
    if score.scorable and score.score is not None:
        value = _quantity(score.score, _unit(score.instrument))
    else:
        absent = concept(codes.UNKNOWN, text=score.reason or "not scorable")
    return Observation(
        id=resource_id("Observation", info.key, "score", key),
        status="final",
        category=[concept(SURVEY)],
        code=concept(*instrument_codes(score.instrument), text=definition.name),
        subject=patient_reference(info),
        performer=[patient_reference(info)],
        effectiveDateTime=score.answered_on,
        valueQuantity=value,
        dataAbsentReason=absent,
        component=_components(score),
    )
