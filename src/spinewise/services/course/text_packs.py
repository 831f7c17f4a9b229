"""The clinic's questionnaire texts: imported from its licensed source, checked
against the scoring, stored per clinic, instrument, version and language, audited.

Spinewise ships only the pain NRS wording (English); every other instrument and
language needs the clinic's import (docs/therapists/questionnaires.md). A patient
never sees a placeholder: ``texts_for`` raises a ``ConflictError`` naming what to
import, and a link is not issued without texts.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import BaseModel, ConfigDict

from spinewise.errors import N_, ConflictError, FieldProblem, InputError
from spinewise.models.outcome import Instrument
from spinewise.outcomes import (
    BUILT_IN,
    INSTRUMENTS,
    InvalidItemTextsError,
    TextPack,
    load_item_texts,
)
from spinewise.services.access.actors import ADMINS, Actor, require
from spinewise.services.audit import Action, log
from spinewise.services.unit import unit
from spinewise.store import Store, TextPackRow, TextPacks, UnitOfWork

IMPORT_HINT = N_(
    "an administrator imports the clinic's licensed text pack "
    "(spinewise questionnaire texts import FILE, or Questionnaire texts in the web app)"
)


class TextPackRecord(BaseModel):
    """One imported text pack (without its texts)."""

    model_config = ConfigDict(frozen=True)

    id: int
    instrument: Instrument
    version: str
    language: str
    title: str
    licence: str
    items: int
    digest: str
    in_force: bool


def checked_pack(data: object, file: str | None) -> TextPack:
    """``data`` as a text pack, or an ``InputError`` naming every wrong field."""
    try:
        return load_item_texts(data)
    except InvalidItemTextsError as error:
        problems = [FieldProblem(field, message) for field, message in error.problems]
        raise InputError(problems, file=file) from None


def pack_of(row: TextPackRow) -> TextPack:
    """A stored pack as the core's ``TextPack`` (checked again on the way out)."""
    return load_item_texts(row.pack)


def _digest(pack: TextPack) -> str:
    text = json.dumps(pack.as_data(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def import_text_pack(
    store: Store, actor: Actor, data: object, *, file: str | None = None
) -> TextPackRecord:
    """Check and store one text pack for the actor's clinic (administrators)."""
    with unit(store, actor) as uow:
        require(actor, ADMINS, N_("import questionnaire texts"))
        pack = checked_pack(data, file)
        row = TextPacks(uow.session).add(
            clinic_id=actor.clinic_id,
            instrument=pack.instrument.value,
            version=pack.version,
            language=pack.language,
            title=pack.title,
            licence=pack.licence,
            pack=pack.as_data(),
            digest=_digest(pack),
            imported_by=actor.user_id,
        )
        detail: dict[str, Any] = {
            "instrument": row.instrument,
            "version": row.version,
            "language": row.language,
            "digest": row.digest,
            "file": file,
        }
        log(uow, actor, Action.CREATE, "questionnaire_text_pack", row.id, detail=detail)
        return _record(row, in_force=True)


def _record(row: TextPackRow, *, in_force: bool) -> TextPackRecord:
    return TextPackRecord(
        id=row.id,
        instrument=Instrument(row.instrument),
        version=row.version,
        language=row.language,
        title=row.title,
        licence=row.licence,
        items=len(row.pack.get("items", [])),
        digest=row.digest,
        in_force=in_force,
    )


def list_text_packs(store: Store, actor: Actor) -> list[TextPackRecord]:
    """The clinic's imports, newest first; the newest per instrument and language
    is the one in force."""
    with unit(store, actor) as uow:
        seen: set[tuple[str, str]] = set()
        records = []
        for row in TextPacks(uow.session).of_clinic(actor.clinic_id):
            key = (row.instrument, row.language)
            records.append(_record(row, in_force=key not in seen))
            seen.add(key)
        return records


def texts_for(
    uow: UnitOfWork, clinic_id: int, instrument: Instrument, language: str
) -> tuple[TextPack, int | None]:
    """The pack a patient reads and its stored id (None: the built-in wording).

    Raises ``ConflictError`` on ``instrument`` naming the import that is missing.
    """
    row = TextPacks(uow.session).current(clinic_id, instrument.value, language)
    if row is not None:
        return pack_of(row), row.id
    built_in = BUILT_IN.get((instrument, language))
    if built_in is not None:
        return built_in, None
    raise ConflictError(
        N_(
            "no {name} texts in language {language!r} for this clinic, so no link can be sent: {hint}, with instrument: {value} and language: {language}",
            name=INSTRUMENTS[instrument].name,
            language=language,
            hint=IMPORT_HINT,
            value=instrument.value,
        ),
        field="instrument",
    )


def stored_pack(
    uow: UnitOfWork, clinic_id: int, pack_id: int | None, language: str = "en"
) -> TextPack:
    """The pack a link was issued with (None: the built-in NRS wording in the
    link's ``language``, English when Spinewise ships none in it)."""
    if pack_id is None:
        english = BUILT_IN[(Instrument.NRS, "en")]
        return BUILT_IN.get((Instrument.NRS, language), english)
    row = TextPacks(uow.session).get(clinic_id, pack_id)
    if row is None:  # pragma: no cover - a foreign key keeps it
        raise ConflictError(N_("the link's texts are gone"), field="token")
    return pack_of(row)
