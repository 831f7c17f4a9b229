"""The condition profile read from coded Conditions (an EHR's, or an import Bundle's).

Non-specific pain is WHO ICD-10 ``M54.5`` (low back pain; ICD-10-CM retired it for
``M54.50``, accepted too) or ``M54.2`` (cervicalgia), and Spinewise's own
``urn:spinewise:condition`` codes. A disc herniation is any ICD-10 ``M50`` / ``M51``
(cervical / other intervertebral disc disorders: the broad, safer reading) or
Spinewise's ``disc-herniation-*`` code. A Condition counts while active (or with no
status), unless refuted. When both kinds are coded the assessment is a herniation,
and the reason says so. No SNOMED CT code is read: none could be checked here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from spinewise.interop import codes
from spinewise.kb.codes import SYSTEMS
from spinewise.models import Profile, Region

ICD10 = frozenset(SYSTEMS["icd-10"])
NONSPECIFIC_CODES: dict[str, Region] = {
    "M54.5": Region.LUMBAR,
    "M54.50": Region.LUMBAR,  # ICD-10-CM "low back pain, unspecified"
    "M54.2": Region.CERVICAL,
}
HERNIATION_PREFIXES = ("M50", "M51")
_CURRENT = frozenset({"active", "recurrence", "relapse"})
_REFUTED = frozenset({"refuted", "entered-in-error"})


@dataclass(frozen=True)
class CodedProfile:
    """The profile the Conditions give, the region of non-specific pain, and why."""

    profile: Profile
    region: Region | None
    reason: str


def _codings(resource: Mapping[str, Any]) -> list[tuple[str, str]]:
    concept = resource.get("code")
    codings = concept.get("coding") if isinstance(concept, Mapping) else None
    return [
        (str(c.get("system") or ""), str(c.get("code") or ""))
        for c in (codings if isinstance(codings, list) else [])
        if isinstance(c, Mapping)
    ]


def _status(resource: Mapping[str, Any], key: str) -> str | None:
    found = _codings({"code": resource.get(key)})
    return found[0][1] if found else None


def _counts(resource: Mapping[str, Any]) -> bool:
    if resource.get("resourceType") != "Condition":
        return False
    if _status(resource, "verificationStatus") in _REFUTED:
        return False
    status = _status(resource, "clinicalStatus")
    return status is None or status in _CURRENT


def _kind(system: str, code: str) -> tuple[str, Region | None] | None:
    if system in ICD10 and code.upper() in NONSPECIFIC_CODES:
        return "nonspecific", NONSPECIFIC_CODES[code.upper()]
    if system in ICD10 and code.upper().startswith(HERNIATION_PREFIXES):
        return "herniation", None
    if system == codes.CONDITION and code.startswith("nonspecific-"):
        return "nonspecific", Region(code.removeprefix("nonspecific-"))
    if system == codes.CONDITION and code.startswith("disc-herniation-"):
        return "herniation", None
    return None


def _about(resource: Mapping[str, Any], patient_id: str | None) -> bool:
    subject = resource.get("subject")
    if patient_id is None or not isinstance(subject, Mapping):
        return True
    reference = str(subject.get("reference") or "")
    target = f"Patient/{patient_id}"
    return not reference or reference == target or reference.endswith(f"/{target}")


def coded_profile(
    resources: Iterable[Mapping[str, Any]], patient_id: str | None = None
) -> CodedProfile | None:
    """The profile the patient's active Conditions code; None when they code neither
    kind."""
    herniation: list[str] = []
    nonspecific: list[tuple[str, Region]] = []
    for resource in resources:
        if not _counts(resource) or not _about(resource, patient_id):
            continue
        reference = f"Condition/{resource.get('id') or '?'}"
        for system, code in _codings(resource):
            found = _kind(system, code)
            if found is None:
                continue
            cited = f"{reference} ({code})"
            if found[0] == "herniation":
                herniation.append(cited)
            elif found[1] is not None:
                nonspecific.append((cited, found[1]))
    if herniation:
        reason = f"disc herniation coded in {', '.join(herniation)}"
        if nonspecific:
            others = ", ".join(c for c, _ in nonspecific)
            reason += (
                f"; non-specific pain is coded too ({others}): screened as a disc "
                "herniation"
            )
        return CodedProfile(Profile.DISC_HERNIATION, None, reason)
    if nonspecific:
        regions = {r for _, r in nonspecific}
        cited = ", ".join(c for c, _ in nonspecific)
        if len(regions) > 1:  # low back and neck: the questionnaire has to say
            reason = f"non-specific pain of more than one region coded in {cited}"
            return CodedProfile(Profile.NONSPECIFIC_BACK_PAIN, None, reason)
        return CodedProfile(
            Profile.NONSPECIFIC_BACK_PAIN,
            next(iter(regions)),
            f"non-specific pain coded in {cited}",
        )
    return None


def with_coded_profile(
    data: dict[str, Any], coded: CodedProfile | None
) -> dict[str, Any]:
    """Contract JSON with the coded profile filled in where the answers give none: a
    questionnaire's own profile, or its hernia block, always wins."""
    condition = data.get("condition")
    given = isinstance(condition, dict) and condition.get("profile")
    if coded is None or given or "hernia" in data:
        return data
    if coded.profile is not Profile.NONSPECIFIC_BACK_PAIN or coded.region is None:
        return data
    block = dict(condition) if isinstance(condition, dict) else {}
    block["profile"] = coded.profile.value
    block.setdefault("region", coded.region.value)
    return {**data, "condition": block}
