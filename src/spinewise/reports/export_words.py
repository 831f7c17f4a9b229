"""The labels of the right-of-access PDF: each name in the export's data as words in
the reader's language ("record_number" -> "Номер карты"), never a field name.

An assessment's fields take the labels the intake form shows (``described_fields``);
every other name of the export document is listed here. A name missing from both
reads as its own words in English (a new column shows, untranslated, rather than
disappear); a test prints a whole course and looks for any.
"""

from __future__ import annotations

from functools import cache

from spinewise.i18n import Translator
from spinewise.models.fields import described_fields


def _records(tr: Translator) -> dict[str, str]:
    """Names of the stored records' own columns (who, when, which)."""
    return {
        "amendment_reason": tr.gettext("Reason for the amendment"),
        "amends_id": tr.gettext("Amends note"),
        "answered": tr.gettext("Items answered"),
        "answered_on": tr.gettext("Answered on"),
        "answers": tr.gettext("Answers"),
        "assessed_on": tr.gettext("Assessed on"),
        "assessment": tr.gettext("Assessment"),
        "assessment_id": tr.gettext("Assessment"),
        "birth_date": tr.gettext("Date of birth"),
        "clinic_id": tr.gettext("Clinic"),
        "created_at": tr.gettext("Created"),
        "created_by": tr.gettext("Created by"),
        "decided_at": tr.gettext("Decided"),
        "decision": tr.gettext("Decision"),
        "decision_id": tr.gettext("Decision"),
        "email": tr.gettext("E-mail"),
        "engine_version": tr.gettext("Screening engine version"),
        "excluded_modalities": tr.gettext("Excluded massage types"),
        "id": tr.gettext("Id"),
        "instrument": tr.gettext("Questionnaire"),
        "kb_version": tr.gettext("Knowledge base version"),
        "language": tr.gettext("Language"),
        "link_id": tr.gettext("Answered by the patient's link"),
        "modalities": tr.gettext("Modalities"),
        "modality": tr.gettext("Modality"),
        "name": tr.gettext("Name"),
        "number": tr.gettext("Number"),
        "pain_after": tr.gettext("Pain after"),
        "pain_before": tr.gettext("Pain before"),
        "patient_id": tr.gettext("Patient id"),
        "performed_on": tr.gettext("Performed on"),
        "physician_id": tr.gettext("Physician"),
        "physician_name": tr.gettext("Physician"),
        "plan_id": tr.gettext("Course plan"),
        "planner_version": tr.gettext("Planner version"),
        "reason": tr.gettext("Reason"),
        "record": tr.gettext("Session record"),
        "record_number": tr.gettext("Record number"),
        "request_note": tr.gettext("Request note"),
        "requested_at": tr.gettext("Requested"),
        "requested_by": tr.gettext("Requested by"),
        "schema": tr.gettext("Document format"),
        "score": tr.gettext("Score"),
        "session_number": tr.gettext("Session number"),
        "sessions": tr.gettext("Sessions"),
        "signed_at": tr.gettext("Signed"),
        "signed_by": tr.gettext("Signed by"),
        "start_date": tr.gettext("Start date"),
        "status": tr.gettext("Status"),
        "stop_decision": tr.gettext("Stop rules"),
        "submitted_at": tr.gettext("Submitted"),
        "submitted_by": tr.gettext("Submitted by"),
        "suspended_at": tr.gettext("Suspended"),
        "suspended_modalities": tr.gettext("Suspended massage types"),
        "suspended_reason": tr.gettext("Why suspended"),
        "therapist_id": tr.gettext("Therapist"),
        "until": tr.gettext("Until"),
        "valid_from": tr.gettext("Valid from"),
        "valid_until": tr.gettext("Valid until"),
        "version": tr.gettext("Version"),
    }


def _clinical(tr: Translator) -> dict[str, str]:
    """Names inside a decision, a session record, a stop decision and a score."""
    return {
        "adverse_events": tr.gettext("Adverse events"),
        "approval_valid": tr.gettext("Clearance valid"),
        "band": tr.gettext("Band"),
        "citation": tr.gettext("Citation"),
        "deviations": tr.gettext("Deviations"),
        "emergency_referral": tr.gettext("Emergency referral"),
        "excluded_by_physician": tr.gettext("Excluded by the physician"),
        "findings": tr.gettext("Findings"),
        "medical_assessment": tr.gettext("Medical assessment needed"),
        "message": tr.gettext("Message"),
        "missing": tr.gettext("Missing answers"),
        "neurological_symptoms": tr.gettext("Neurological symptoms"),
        "pain_nrs_after": tr.gettext("Pain after (0-10)"),
        "pain_nrs_before": tr.gettext("Pain before (0-10)"),
        "patient_asked_to_stop": tr.gettext("The patient asked to stop"),
        "percentage": tr.gettext("Percentage"),
        "profile": tr.gettext("Profile"),
        "raw_sum": tr.gettext("Raw sum"),
        "reasons": tr.gettext("Reasons"),
        "rescreen_after_days": tr.gettext("Re-screen after (days)"),
        "rescreen_required": tr.gettext("Re-screening required"),
        "risk": tr.gettext("Risk group"),
        "rule": tr.gettext("Rule"),
        "rules": tr.gettext("Rules"),
        "scale_max": tr.gettext("Scale maximum"),
        "scorable": tr.gettext("Scorable"),
        "severity": tr.gettext("Severity"),
        "soap": tr.gettext("SOAP note"),
        "source": tr.gettext("Source"),
        "sources": tr.gettext("Sources"),
        "state": tr.gettext("State"),
        "step_down_next_session": tr.gettext("Step down next session"),
        "steps_done": tr.gettext("Steps done"),
        "stop": tr.gettext("Stop the session"),
        "summary": tr.gettext("Summary"),
        "suspend_plan": tr.gettext("Suspend the plan"),
        "temporary": tr.gettext("Temporary"),
        "undetermined_rules": tr.gettext("Rules with an unknown answer"),
        "verdict": tr.gettext("Verdict"),
        "subjective": tr.gettext("Subjective"),
        "objective": tr.gettext("Objective"),
        "plan": tr.gettext("Plan"),
        "classical": tr.pgettext("modality", "classical"),
        "vacuum": tr.pgettext("modality", "vacuum"),
        "hydromassage": tr.pgettext("modality", "hydromassage"),
    }


def _sections(tr: Translator) -> dict[str, str]:
    """An assessment's sections, as the intake form heads them."""
    return {
        "patient": tr.gettext("Patient"),
        "condition": tr.gettext("Diagnosis and profile"),
        "hernia": tr.gettext("Hernia"),
        "symptoms": tr.gettext("Symptoms"),
        "red_flags": tr.gettext("Red flags"),
        "history": tr.gettext("History"),
        "medications": tr.gettext("Medications"),
        "circulation_skin": tr.gettext("Circulation and skin"),
        "cardiorespiratory": tr.gettext("Heart and blood pressure"),
        "other": tr.gettext("Other conditions"),
        "clearance": tr.gettext("Physician's clearance"),
    }


@cache
def _words(language: str) -> tuple[dict[str, str], dict[str, str]]:
    tr = Translator(language)
    fields = {path: tr.gettext(spec.label) for path, spec in described_fields().items()}
    return {**_records(tr), **_clinical(tr)}, {**fields, **_sections(tr)}


def _own_words(key: str) -> str:
    words = key.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def field_label(path: tuple[str, ...], language: str) -> str:
    """The label of the last name of ``path`` (the names from the record down): an
    assessment's field by its contract path, any other name by the list above."""
    names, assessment = _words(language)
    key = path[-1].rstrip("_")  # a model's ``schema_`` is its ``schema``
    if "assessment" in path[:-1]:
        inner = path[len(path) - path[::-1].index("assessment") :]
        found = assessment.get(".".join(inner))
        if found is not None:
            return found
    return names.get(key) or assessment.get(key) or _own_words(key)
