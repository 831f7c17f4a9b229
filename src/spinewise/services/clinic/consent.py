"""Consent at intake: to treatment, to data processing, to being contacted.

Each is recorded with who recorded it, when, and the version of the text the
patient was shown; a withdrawal is a new record (nothing is overwritten). Nothing is
assumed: a patient with no record has not consented. No plan is issued without
consent to treatment (``require_treatment_consent``); no message is sent without
consent to be contacted (``has_contact_consent``).
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from spinewise.errors import N_, FieldProblem, InputError, PlanRefusedError
from spinewise.services.access.actors import CLINICIANS, Actor, require
from spinewise.services.audit import Action, log, log_reads
from spinewise.services.unit import patient_of, unit
from spinewise.store import Consents, Store, UnitOfWork

CONSENT_VERSION = "2026-12-04"
"""The version of the consent texts below; a changed text gets a new version."""


class ConsentKind(StrEnum):
    TREATMENT = "treatment"
    DATA_PROCESSING = "data_processing"
    CONTACT = "contact"


CONSENT_TEXTS: dict[ConsentKind, str] = {
    ConsentKind.TREATMENT: (
        "I agree to massage treatment as planned by my therapist. I understand that "
        "massage is one part of the treatment of my disc herniation and does not cure "
        "a hernia on its own; that my physician decides whether massage is suitable; "
        "that sessions stop at once if new symptoms appear; and that I may stop or "
        "withdraw this consent at any time."
    ),
    ConsentKind.DATA_PROCESSING: (
        "I agree that the clinic records and processes my health data (assessments, "
        "session notes, questionnaire answers) to plan and follow my treatment and to "
        "report to my physician. I may ask to see, correct or erase it."
    ),
    ConsentKind.CONTACT: (
        "I agree that the clinic sends me questionnaire links and reminders by "
        "e-mail. Every message has a link to stop them; I may withdraw at any time."
    ),
}


class ConsentState(BaseModel):
    """The current state of one kind: given, withdrawn or never recorded (None)."""

    model_config = ConfigDict(frozen=True)

    kind: ConsentKind
    text: str
    given: bool | None
    text_version: str | None
    recorded_at: dt.datetime | None
    recorded_by: str | None
    note: str | None


def _kind(value: ConsentKind | str) -> ConsentKind:
    try:
        return ConsentKind(value)
    except ValueError:
        allowed = ", ".join(k.value for k in ConsentKind)
        raise InputError(
            [
                FieldProblem(
                    "kind",
                    N_(
                        "unknown {value!r}; allowed: {allowed}",
                        value=value,
                        allowed=allowed,
                    ),
                )
            ]
        ) from None


def record_consent(
    store: Store,
    actor: Actor,
    patient_id: int,
    kind: ConsentKind | str,
    *,
    given: bool,
    note: str = "",
) -> list[ConsentState]:
    """Record that the patient gave or withdrew one consent (the current text)."""
    with unit(store, actor) as uow:
        require(actor, CLINICIANS, N_("record consent"))
        patient_of(uow, actor, patient_id, lock=True)
        chosen = _kind(kind)
        row = Consents(uow.session).add(
            clinic_id=actor.clinic_id,
            patient_id=patient_id,
            kind=chosen.value,
            given=given,
            text_version=CONSENT_VERSION,
            note=note.strip()[:2000] or None,
            recorded_by=actor.user_id,
        )
        detail = {"kind": chosen.value, "given": given, "text_version": CONSENT_VERSION}
        log(
            uow,
            actor,
            Action.CREATE,
            "consent",
            row.id,
            patient_id=patient_id,
            detail=detail,
        )
        return _states(uow, actor.clinic_id, patient_id)


def withdraw_contact(
    uow: UnitOfWork, clinic_id: int, patient_id: int, why: str
) -> bool:
    """The patient stopped messages (one-click unsubscribe); False if not given."""
    current = Consents(uow.session).current(clinic_id, patient_id, ConsentKind.CONTACT)
    if current is None or not current.given:
        return False
    Consents(uow.session).add(
        clinic_id=clinic_id,
        patient_id=patient_id,
        kind=ConsentKind.CONTACT.value,
        given=False,
        text_version=current.text_version,
        note=why,
        recorded_by=None,
    )
    return True


def _states(uow: UnitOfWork, clinic_id: int, patient_id: int) -> list[ConsentState]:
    rows = Consents(uow.session).of_patient(clinic_id, patient_id)
    newest = {row.kind: row for row in rows}
    names = uow.users.names(r.recorded_by for r in newest.values() if r.recorded_by)
    states = []
    for kind in ConsentKind:
        row = newest.get(kind.value)
        states.append(
            ConsentState(
                kind=kind,
                text=CONSENT_TEXTS[kind],
                given=None if row is None else row.given,
                text_version=None if row is None else row.text_version,
                recorded_at=None if row is None else row.recorded_at,
                recorded_by=(
                    None
                    if row is None
                    else names.get(row.recorded_by, "the patient")
                    if row.recorded_by
                    else "the patient"
                ),
                note=None if row is None else row.note,
            )
        )
    return states


def patient_consents(store: Store, actor: Actor, patient_id: int) -> list[ConsentState]:
    """The current state of each consent (audited as a read)."""
    with unit(store, actor) as uow:
        require(actor, CLINICIANS, N_("read consent"))
        patient_of(uow, actor, patient_id)
        log_reads(uow, actor, "consent", [(patient_id, None)])
        return _states(uow, actor.clinic_id, patient_id)


def require_treatment_consent(uow: UnitOfWork, clinic_id: int, patient_id: int) -> None:
    """No plan without the patient's current consent to treatment."""
    row = Consents(uow.session).current(clinic_id, patient_id, ConsentKind.TREATMENT)
    if row is None or not row.given:
        state = "was withdrawn" if row is not None else "is not recorded"
        raise PlanRefusedError(
            N_(
                "the patient's consent to treatment {state}: record it on the patient's consent page before a plan is issued",
                state=state,
            )
        )


def has_contact_consent(uow: UnitOfWork, clinic_id: int, patient_id: int) -> bool:
    row = Consents(uow.session).current(clinic_id, patient_id, ConsentKind.CONTACT)
    return row is not None and row.given


EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")


def set_patient_contact(
    store: Store, actor: Actor, patient_id: int, *, email: str | None, language: str
) -> None:
    """The patient's optional e-mail and the language of questionnaires and messages."""
    address = (email or "").strip() or None
    with unit(store, actor) as uow:
        require(actor, CLINICIANS, N_("change contact details"))
        row = patient_of(uow, actor, patient_id, lock=True)
        problems = []
        if address is not None and (len(address) > 320 or not EMAIL.match(address)):
            problems.append(FieldProblem("email", N_("not an e-mail address")))
        if not LANGUAGE.match(language.strip()):
            problems.append(
                FieldProblem("language", N_("expected a language tag such as en"))
            )
        if problems:
            raise InputError(problems)
        row.email = address
        row.language = language.strip()
        detail = {"email": "set" if address else "none", "language": row.language}
        log(
            uow,
            actor,
            Action.CHANGE,
            "patient",
            patient_id,
            patient_id=patient_id,
            detail=detail,
        )
