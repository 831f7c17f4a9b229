"""A short generated narrative (``text``, status ``generated``) for every exported
resource, so an EHR that shows narratives shows something true (dom-6).

The narrative is one escaped sentence made from the resource's own elements (never
more than the structured data says), in an XHTML ``div`` that R4's txt-1/txt-2
invariants accept. ``with_narrative`` adds it to a resource built without one.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from typing import Any, TypeVar

from fhir.resources.R4B.domainresource import DomainResource
from fhir.resources.R4B.narrative import Narrative
from fhir.resources.R4B.resource import Resource

R = TypeVar("R", bound=DomainResource)
LIMIT = 300  # characters of the sentence; longer ones end with an ellipsis
_XHTML = "http://www.w3.org/1999/xhtml"


def _concept(value: Any) -> str:
    """A CodeableConcept (or Coding) in words: its text, else a display, else a code."""
    if not isinstance(value, dict):
        return ""
    if value.get("text"):
        return str(value["text"])
    for coding in value.get("coding", [value]):
        if coding.get("display") or coding.get("code"):
            return str(coding.get("display") or coding["code"])
    return ""


def _first(values: Any) -> Any:
    return values[0] if isinstance(values, list) and values else {}


def _quantity(data: dict[str, Any]) -> str:
    if "valueInteger" in data:
        return str(data["valueInteger"])
    if "valueQuantity" in data:
        quantity = data["valueQuantity"]
        return f"{quantity.get('value')} {quantity.get('unit', '')}".strip()
    absent = data.get("dataAbsentReason")
    return f"no value ({_concept(absent)})" if absent else "no value"


def _patient(d: dict[str, Any]) -> str:
    name = _first(d.get("name")).get("text") or "unnamed"
    record = _first(d.get("identifier")).get("value", "")
    born = f", born {d['birthDate']}" if d.get("birthDate") else ""
    return f"Patient {name} (record {record}){born}, sex {d.get('gender', 'unknown')}"


def _response(d: dict[str, Any]) -> str:
    key = (d.get("identifier") or {}).get("value", "")
    return f"Spinewise assessment {key} of {d.get('authored', '?')} ({d['status']})"


def _condition(d: dict[str, Any]) -> str:
    site = ", ".join(_concept(s) for s in d.get("bodySite", []))
    status = _concept(d.get("verificationStatus"))
    return (
        f"{_concept(d.get('code'))}"
        + (f" at {site}" if site else "")
        + (f"; {status}" if status else "")
    )


def _observation(d: dict[str, Any]) -> str:
    when = d.get("effectiveDateTime", "")
    return f"{_concept(d.get('code'))} on {when}: {_quantity(d)}"


def _guidance(d: dict[str, Any]) -> str:
    summary = _concept(_first(d.get("reasonCode")))
    when = d.get("occurrenceDateTime", "")
    return f"Screening decision of {when} ({d['status']}): {summary}"


def _issue(d: dict[str, Any]) -> str:
    return f"{d.get('severity', 'unrated')} issue {_concept(d.get('code'))}: " + str(
        d.get("detail", "")
    )


def _request(d: dict[str, Any]) -> str:
    return f"{_concept(d.get('code'))}: {d['status']}"


def _task(d: dict[str, Any]) -> str:
    return f"{_concept(d.get('code'))}: {_concept(d.get('businessStatus'))}"


def _careplan(d: dict[str, Any]) -> str:
    start = (d.get("period") or {}).get("start")
    return f"{d.get('title', 'Care plan')} ({d['status']})" + (
        f" from {start}" if start else ""
    )


def _definition(d: dict[str, Any]) -> str:
    title = d.get("title") or d.get("name") or d.get("url") or d["resourceType"]
    version = f" version {d['version']}" if d.get("version") else ""
    description = str(d.get("description") or "").split("\n")[0]
    return f"{d['resourceType']} {title}{version}" + (
        f": {description}" if description else ""
    )


SUMMARIES: dict[str, Callable[[dict[str, Any]], str]] = {
    "CarePlan": _careplan,
    "Condition": _condition,
    "DetectedIssue": _issue,
    "GuidanceResponse": _guidance,
    "Observation": _observation,
    "Patient": _patient,
    "QuestionnaireResponse": _response,
    "ServiceRequest": _request,
    "Task": _task,
}


def summary_of(resource: Resource) -> str:
    """The resource in one plain sentence (at most ``LIMIT`` characters)."""
    data = json.loads(resource.model_dump_json())
    sentence = " ".join(SUMMARIES.get(data["resourceType"], _definition)(data).split())
    if len(sentence) > LIMIT:
        sentence = sentence[: LIMIT - 1].rstrip() + "…"
    return sentence


def narrative(sentence: str) -> Narrative:
    """``sentence`` as a generated Narrative: escaped, in one XHTML paragraph."""
    div = f'<div xmlns="{_XHTML}"><p>{html.escape(sentence, quote=False)}</p></div>'
    return Narrative(status="generated", div=div)


def with_narrative(resource: R) -> R:
    """``resource`` with its generated narrative (any ``text`` it had is replaced)."""
    return resource.model_copy(update={"text": narrative(summary_of(resource))})
