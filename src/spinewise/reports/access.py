"""Right of access, readable: the patient-export document printed as a PDF.

The JSON document (``spinewise.patient-export/1``) is the complete record; this PDF is
the same record for a person to read: each part under its heading, each record as
labelled lines. Names in the data become words ("saddle anaesthesia", "pain before"),
never field paths; nested parts are labelled by their way down ("Soap: Subjective").
A course plan prints as its summary (start, modalities, sessions): its full text is the
course plan PDF and the JSON. It is a clinician's document, in the clinician's language
(headings and words; the record's own free text stays as it was written).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from typing import Any

from spinewise.i18n import Translator, format_date, format_datetime
from spinewise.models import Modality, Profile, Severity, Verdict
from spinewise.reports.export_words import field_label
from spinewise.reports.pdf import profile_words, severity_words
from spinewise.reports.rendering import pdf, render
from spinewise.reports.words import modality_word, status_words, verdict_word

_SEPARATOR = " \u203a "  # a single right-pointing angle quote between levels
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIMESTAMP = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})[\d:.]*(?:Z|\+00:00)?$")
_HIDDEN = frozenset({"search_key", "name_key", "token_hash", "password_hash"})
"""Internal columns that say nothing about the patient."""


def _value(value: object, tr: Translator) -> str:
    """A stored value for reading: yes/no, "not recorded" for a missing answer (never
    "no"), a date as the language writes it, a timestamp to the minute in UTC."""
    if value is True:
        return tr.gettext("yes")
    if value is False:
        return tr.gettext("no")
    if value is None or value == "" or value == []:
        return tr.gettext("not recorded")
    text = str(value)
    if _DATE.match(text):
        try:
            return format_date(dt.date.fromisoformat(text), tr.language, "medium")
        except ValueError:
            return text
    stamp = _TIMESTAMP.match(text)
    if stamp is None:
        return text
    moment = dt.datetime.fromisoformat(f"{stamp.group(1)}T{stamp.group(2)}")
    return f"{format_datetime(moment, tr.language)} UTC"


def _state(value: object, tr: Translator) -> str | None:
    """A finding's state in clinical words (the engine's own terms stay in the JSON)."""
    if value == "fired":
        return tr.gettext("applies")
    if value == "undetermined":
        return tr.gettext("answer unknown: applied")
    return None


_MODALITY_NAMES = frozenset(
    {"modality", "modalities", "excluded_modalities", "suspended_modalities"}
)


def _code_word(value: str, path: tuple[str, ...], tr: Translator) -> str | None:
    """A decision's code (verdict, profile, severity, a modality's status) as the
    clinician's words, like the course plan PDF prints them (else None)."""
    name = path[-1]
    if name == "verdict" and value in set(Verdict):
        return verdict_word(Verdict(value), tr)
    if name == "profile" and value in set(Profile):
        return profile_words(Profile(value), tr)
    if name == "severity" and value in set(Severity):
        return severity_words(tr)[Severity(value)]
    if name == "status" and "modalities" in path:
        return status_words(tr).get(value)
    if name == "status":  # a clearance's (also inside an assessment) or a plan's
        return _record_status(tr).get(value)
    return None


def _record_status(tr: Translator) -> dict[str, str]:
    """A clearance's and a course plan's status (the two sets of codes differ)."""
    return {
        "approved": tr.pgettext("clearance", "approved"),
        "declined": tr.pgettext("clearance", "declined"),
        "pending": tr.pgettext("clearance", "pending"),
        "active": tr.pgettext("plan status", "active"),
        "suspended": tr.pgettext("plan status", "suspended until re-screened"),
        "completed": tr.pgettext("plan status", "completed"),
        "superseded": tr.pgettext("plan status", "replaced by a newer plan"),
    }


def _word(value: object, path: tuple[str, ...], tr: Translator) -> str | None:
    """A massage type's code under a modality name, or a decision's code, as words
    (else None)."""
    if not isinstance(value, str) or not path:
        return None
    if value in set(Modality) and path[-1] in _MODALITY_NAMES:
        return modality_word(value, tr)
    return _code_word(value, path, tr)


def _lines(
    value: object,
    trail: tuple[str, ...],
    tr: Translator,
    path: tuple[str, ...] = (),
) -> Iterator[tuple[str, str]]:
    """(label, text) for every scalar in ``value``, labelled by its way down
    (``path`` holds the data's own names, ``trail`` their words)."""
    if isinstance(value, Mapping):
        for name, inner in value.items():
            if name not in _HIDDEN:
                down = (*path, str(name))
                label = field_label(down, tr.language)
                yield from _lines(inner, (*trail, label), tr, down)
    elif isinstance(value, list) and any(isinstance(v, Mapping | list) for v in value):
        for number, inner in enumerate(value, start=1):
            yield from _lines(inner, (*trail[:-1], f"{trail[-1]} {number}"), tr, path)
    elif isinstance(value, list) and value:
        shown = (_word(v, path, tr) or _value(v, tr) for v in value)
        yield _SEPARATOR.join(trail), ", ".join(shown)
    else:
        state = _state(value, tr) if path[-1:] == ("state",) else None
        yield (
            _SEPARATOR.join(trail),
            state or _word(value, path, tr) or _value(value, tr),
        )


def _plan_summary(record: Mapping[str, Any]) -> dict[str, Any]:
    plan = record.get("plan") or {}
    courses = plan.get("courses") or []
    summary = {k: v for k, v in record.items() if k != "plan"}
    summary["modalities"] = [c.get("name", c.get("modality")) for c in courses]
    summary["sessions"] = sum(len(c.get("sessions") or []) for c in courses)
    return summary


def _decision_summary(record: Mapping[str, Any]) -> dict[str, Any]:
    """A decision without a second copy of its assessment's answers."""
    return {k: v for k, v in record.items() if k != "input"}


def _parts(document: Mapping[str, Any], tr: Translator) -> list[dict[str, Any]]:
    parts = [
        (tr.gettext("Earlier details"), document.get("earlier_details", []), None),
        (tr.gettext("Assessments"), document.get("assessments", []), None),
        (tr.gettext("Decisions"), document.get("decisions", []), _decision_summary),
        (tr.gettext("Clearances"), document.get("clearances", []), None),
        (tr.gettext("Course plans"), document.get("course_plans", []), _plan_summary),
        (tr.gettext("Session notes"), document.get("session_notes", []), None),
        (
            tr.gettext("Questionnaire responses"),
            document.get("questionnaire_responses", []),
            None,
        ),
    ]
    shown = []
    for title, records, shape in parts:
        items = []
        for number, record in enumerate(records, start=1):
            data = shape(record) if shape else record
            items.append({"number": number, "lines": list(_lines(data, (), tr))})
        shown.append({"title": title, "records": items})
    return shown


def render_access_html(
    document: Mapping[str, Any], clinic_name: str, language: str = "en"
) -> str:
    """The patient-export document as print-ready HTML, in ``language``."""
    tr = Translator(language)
    patient = document.get("patient") or {}
    exported = document.get("exported_on")
    return render(
        "access.html",
        language,
        clinic_name=clinic_name,
        patient=patient,
        patient_lines=list(_lines(patient, (), tr)),
        exported_on=dt.date.fromisoformat(exported) if exported else None,
        schema=document.get("schema", ""),
        parts=_parts(document, tr),
    )


def render_access_pdf(
    document: Mapping[str, Any], clinic_name: str, language: str = "en"
) -> bytes:
    """The patient-export document as a readable PDF."""
    return pdf(render_access_html(document, clinic_name, language))
