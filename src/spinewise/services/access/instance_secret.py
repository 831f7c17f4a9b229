"""The secret that signs questionnaire links and the sign-in form's CSRF token.

Production: the operator's ``SPINEWISE_SECRET_KEY`` (the settings refuse to start
without one). Development: when none is set, a random secret made on first use of the
database and kept in it, so every process and machine on that database shares it and
no secret is ever written in the source.
"""

from __future__ import annotations

import secrets

from spinewise.config import Settings
from spinewise.errors import ConflictError
from spinewise.store import InstanceSecrets, Store

SECRET_NAME = "signing"
SECRET_BYTES = 48


def instance_secret(store: Store, settings: Settings) -> str:
    """The configured secret, else the database's own (made now if it has none)."""
    if settings.secret_key is not None:
        return settings.secret_key
    with store.unit_of_work() as uow:
        found = InstanceSecrets(uow.session).get(SECRET_NAME)
    if found is not None:
        return found
    try:
        with store.unit_of_work(write=True) as uow:
            stored = InstanceSecrets(uow.session)
            found = stored.get(SECRET_NAME)
            if found is None:
                found = secrets.token_urlsafe(SECRET_BYTES)
                stored.add(SECRET_NAME, found)
            return found
    except ConflictError:  # another process made it first
        with store.unit_of_work() as uow:
            made = InstanceSecrets(uow.session).get(SECRET_NAME)
        if made is None:
            raise
        return made
