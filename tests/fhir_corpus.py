"""The foreign FHIR corpus of tests/data/fhir (see its README), made current: every
QuestionnaireResponse is dated today (``authored`` and its ``assessed_on`` answer; a
list of ``responses`` ends today, a day apart), so no test depends on the day it
runs."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).parent / "data" / "fhir"


def _today(resource: dict[str, Any], day: dt.date) -> None:
    if resource.get("resourceType") != "QuestionnaireResponse":
        return
    resource["authored"] = day.isoformat()
    for item in resource.get("item", []):
        if item.get("linkId") == "assessed_on":
            item["answer"] = [{"valueDate": day.isoformat()}]


def corpus(name: str, *, days_ago: int = 0) -> Any:
    """One corpus file as JSON, its responses dated ``days_ago`` days before today."""
    data = json.loads((CORPUS / name).read_text(encoding="utf-8"))
    day = dt.date.today() - dt.timedelta(days=days_ago)
    _today(data, day)
    for entry in data.get("entry", []) if isinstance(data, dict) else []:
        if isinstance(entry, dict) and isinstance(entry.get("resource"), dict):
            _today(entry["resource"], day)
    responses = data.get("responses", []) if isinstance(data, dict) else []
    for i, response in enumerate(responses):  # in order: the last is the newest
        _today(response, day - dt.timedelta(days=len(responses) - 1 - i))
    return data
