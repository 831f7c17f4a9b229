"""Outcome questionnaires: entered by staff or answered by the patient through a link.

A link is for one patient and one questionnaire, expires (``Settings.
questionnaire_link_days``) and answers once. Its token is signed with the clinic
server's secret (itsdangerous) and stored only as a SHA-256 hash; a tampered, unknown
or foreign token is "not found", an expired or used one a ``ConflictError`` on
``token``. The patient acts through the link alone: the audit trail records them as
role ``patient`` with no user.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer

from spinewise.errors import (
    N_,
    ConflictError,
    FieldProblem,
    InputError,
    NotFoundError,
    SpinewiseError,
)
from spinewise.models import parse_model
from spinewise.models.outcome import Instrument, QuestionnaireResponse, Score
from spinewise.outcomes import INSTRUMENTS, OutcomeError, score
from spinewise.services.access.actors import CLINICIANS, Actor, Interface, require
from spinewise.services.access.anonymous import REFUSAL_WINDOW, count_refusal
from spinewise.services.audit import Action, client_address, log, system_event
from spinewise.services.clinic.plausible import check_answered_on
from spinewise.services.course.course_records import (
    LinkItem,
    LinkView,
    QuestionnaireLink,
    ResponseRecord,
    response_record,
)
from spinewise.services.course.reviews import raise_course_reviews
from spinewise.services.course.text_packs import stored_pack, texts_for
from spinewise.services.unit import patient_of, unit
from spinewise.store import (
    PatientRow,
    QuestionnaireLinkRow,
    QuestionnaireLinks,
    QuestionnaireResponses,
    Store,
    UnitOfWork,
    utc_now,
)

LINK_SALT = "spinewise.questionnaire-link"
ResponseInput = QuestionnaireResponse | Mapping[str, object]


def _scored(response: QuestionnaireResponse, file: str | None) -> Score:
    try:
        return score(response)
    except OutcomeError as error:
        raise InputError([FieldProblem(error.item, error.message)], file=file) from None


def _instrument(value: Instrument | str) -> Instrument:
    try:
        return Instrument(value)
    except ValueError:
        allowed = ", ".join(i.value for i in Instrument)
        raise InputError(
            [
                FieldProblem(
                    "instrument",
                    N_(
                        "unknown {value!r}; allowed: {allowed}",
                        value=value,
                        allowed=allowed,
                    ),
                )
            ]
        ) from None


def record_response(
    store: Store,
    actor: Actor,
    patient_id: int,
    response: ResponseInput,
    *,
    file: str | None = None,
) -> ResponseRecord:
    """Score and store a questionnaire the patient filled in at the clinic."""
    with unit(store, actor) as uow:
        require(actor, CLINICIANS, N_("record questionnaires"))
        if not isinstance(response, QuestionnaireResponse):
            response = parse_model(QuestionnaireResponse, response, file=file)
        check_answered_on(response.answered_on, file)
        patient_of(uow, actor, patient_id)
        scored = _scored(response, file)
        row = QuestionnaireResponses(uow.session).add(
            clinic_id=actor.clinic_id,
            patient_id=patient_id,
            instrument=response.instrument.value,
            answered_on=response.answered_on,
            answers=list(response.answers),
            score=scored.model_dump(mode="json"),
            link_id=None,
            created_by=actor.user_id,
        )
        log(
            uow,
            actor,
            Action.CREATE,
            "questionnaire_response",
            row.id,
            patient_id=patient_id,
            detail={"instrument": row.instrument, "score": str(scored.score)},
        )
        raise_course_reviews(uow, actor.clinic_id, patient_id, actor)
        return response_record(row)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_questionnaire_link(
    store: Store,
    actor: Actor,
    patient_id: int,
    instrument: Instrument | str,
    *,
    secret: str,
    valid_days: int,
    now: dt.datetime | None = None,
) -> QuestionnaireLink:
    """A signed, single-use link for the patient to answer one questionnaire, in
    the patient's language; refused (``ConflictError``) without texts to show."""
    chosen = _instrument(instrument)
    if valid_days < 1:
        raise InputError([FieldProblem("valid_days", N_("must be at least 1"))])
    with unit(store, actor) as uow:
        require(actor, CLINICIANS, N_("send questionnaire links"))
        return issue_link(uow, actor, patient_id, chosen, secret, valid_days, now)


def issue_link(
    uow: UnitOfWork,
    actor: Actor,
    patient_id: int,
    chosen: Instrument,
    secret: str,
    valid_days: int,
    now: dt.datetime | None = None,
) -> QuestionnaireLink:
    """Make and store a link inside the caller's unit of work (audited)."""
    patient = patient_of(uow, actor, patient_id)
    link = new_link(uow, patient, chosen, secret, valid_days, now, actor.user_id)
    log(
        uow,
        actor,
        Action.CREATE,
        "questionnaire_link",
        link.id,
        patient_id=patient_id,
        detail=link_detail(link),
    )
    return link


def link_detail(link: QuestionnaireLink) -> dict[str, Any]:
    """What the audit trail says of a new link."""
    return {
        "instrument": link.instrument.value,
        "expires_at": link.expires_at.isoformat(),
        "language": link.language,
        "text_pack": link.text_pack_id,
    }


def new_link(
    uow: UnitOfWork,
    patient: PatientRow,
    chosen: Instrument,
    secret: str,
    valid_days: int,
    now: dt.datetime | None = None,
    created_by: int | None = None,
) -> QuestionnaireLink:
    """Store a link for ``patient`` in their language (the caller audits it);
    ``ConflictError`` when the clinic has no texts to show in that language."""
    pack, pack_id = texts_for(uow, patient.clinic_id, chosen, patient.language)
    serializer = URLSafeTimedSerializer(secret, salt=LINK_SALT)
    token = serializer.dumps({"n": secrets.token_urlsafe(16)})
    at = now or utc_now()
    row = QuestionnaireLinks(uow.session).add(
        clinic_id=patient.clinic_id,
        patient_id=patient.id,
        instrument=chosen.value,
        token_hash=_hash(token),
        expires_at=at + dt.timedelta(days=valid_days),
        created_at=at,
        created_by=created_by,
        language=patient.language,
        text_pack_id=pack_id,
    )
    return QuestionnaireLink(
        id=row.id,
        patient_id=patient.id,
        instrument=chosen,
        token=token,
        expires_at=row.expires_at,
        language=row.language,
        title=pack.title,
        text_pack_id=pack_id,
    )


def _patient_event(
    row: QuestionnaireLinkRow | None,
    action: Action,
    entity: str,
    key: object,
    detail: dict[str, Any] | None = None,
) -> dict[str, Any]:
    found = system_event(
        Interface.WEB,
        action,
        entity,
        key,
        clinic_id=None if row is None else row.clinic_id,
        detail=detail,
    )
    found["role"] = "patient"
    found["patient_id"] = None if row is None else row.patient_id
    return found


def _usable_link(
    uow: UnitOfWork, token: str, secret: str, at: dt.datetime
) -> QuestionnaireLinkRow:
    try:
        URLSafeTimedSerializer(secret, salt=LINK_SALT).loads(token)
    except BadSignature:
        raise NotFoundError(N_("questionnaire link"), "(token)") from None
    row = QuestionnaireLinks(uow.session).by_token_hash(_hash(token))
    if row is None:
        raise NotFoundError(N_("questionnaire link"), "(token)")
    if row.used_at is not None:
        raise ConflictError(
            N_("this questionnaire link was already used"), field="token"
        )
    if row.cancelled_at is not None:
        raise ConflictError(N_("this questionnaire link was cancelled"), field="token")
    if row.expires_at <= at:
        raise ConflictError(N_("this questionnaire link has expired"), field="token")
    return row


def _refused(store: Store, token: str, error: SpinewiseError) -> None:
    """Count the refusal (per address, kind and clinic); audit only the first of its
    ten-minute window, so a flood of bad links is a handful of audit rows."""
    with store.unit_of_work(write=True) as uow:
        row = QuestionnaireLinks(uow.session).by_token_hash(_hash(token))
        kind = "unknown_link" if row is None else f"closed_link:{row.clinic_id}"
        count, since = count_refusal(uow, client_address(), kind)
        if count > 1:
            return
        key = None if row is None else row.id
        detail = {
            "error": str(error),
            "counted": f"further refusals from this address until "
            f"{(since + dt.timedelta(seconds=REFUSAL_WINDOW)).isoformat()} are "
            f"counted in address_counters ({kind})",
        }
        uow.audit.append(
            [_patient_event(row, Action.DENIED, "questionnaire_link", key, detail)]
        )


def open_questionnaire_link(
    store: Store, token: str, *, secret: str, now: dt.datetime | None = None
) -> LinkView:
    """What a valid link asks the patient to fill in (audited as the patient's read)."""
    try:
        with store.unit_of_work(write=True) as uow:
            row = _usable_link(uow, token, secret, now or utc_now())
            uow.audit.append(
                [_patient_event(row, Action.READ, "questionnaire_link", row.id)]
            )
            instrument = Instrument(row.instrument)
            pack = stored_pack(uow, row.clinic_id, row.text_pack_id, row.language)
            return LinkView(
                instrument=instrument,
                item_count=INSTRUMENTS[instrument].item_count,
                expires_at=row.expires_at,
                title=pack.title,
                language=pack.language,
                items=tuple(
                    LinkItem(text=i.text, options=i.options) for i in pack.items
                ),
            )
    except (NotFoundError, ConflictError) as error:
        _refused(store, token, error)
        raise


def _store_answers(
    uow: UnitOfWork,
    row: QuestionnaireLinkRow,
    answers: Sequence[int | None],
    at: dt.datetime,
) -> ResponseRecord:
    response = parse_model(
        QuestionnaireResponse,
        {
            "instrument": row.instrument,
            "answered_on": at.date(),
            "answers": list(answers),
        },
    )
    scored = _scored(response, None)
    if not QuestionnaireLinks(uow.session).use(row.id, at):
        raise ConflictError(
            N_("this questionnaire link was already used"), field="token"
        )
    stored = QuestionnaireResponses(uow.session).add(
        clinic_id=row.clinic_id,
        patient_id=row.patient_id,
        instrument=row.instrument,
        answered_on=response.answered_on,
        answers=list(response.answers),
        score=scored.model_dump(mode="json"),
        link_id=row.id,
        created_by=None,
    )
    detail = {"link": row.id, "instrument": row.instrument}
    uow.audit.append(
        [
            _patient_event(
                row, Action.CREATE, "questionnaire_response", stored.id, detail
            )
        ]
    )
    raise_course_reviews(uow, row.clinic_id, row.patient_id, None)
    return response_record(stored)


def answer_questionnaire_link(
    store: Store,
    token: str,
    answers: Sequence[int | None],
    *,
    secret: str,
    now: dt.datetime | None = None,
) -> ResponseRecord:
    """Store and score the patient's answers; the link is used up in the same step."""
    at = now or utc_now()
    try:
        with store.unit_of_work(write=True) as uow:
            row = _usable_link(uow, token, secret, at)
            return _store_answers(uow, row, answers, at)
    except (NotFoundError, ConflictError) as error:
        _refused(store, token, error)
        raise
