"""Opaque page cursors for the patient list: signed, bound to one clinic and sort.

A cursor is ``base64url(JSON [clinic, sort, value, id]) . base64url(HMAC-SHA256)``
under the instance secret. One that does not decode, whose signature does not match,
or that was made for another clinic or another sort is refused (422, field
``cursor``); nothing is read with it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json

from spinewise.errors import N_, FieldProblem, InputError

MAX_CURSOR = 1024


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(secret: str, payload: str) -> str:
    digest = hmac.new(secret.encode(), payload.encode(), hashlib.sha256).digest()
    return _b64(digest[:18])


def make_cursor(secret: str, clinic_id: int, sort: str, after: tuple[str, int]) -> str:
    payload = _b64(json.dumps([clinic_id, sort, after[0], after[1]]).encode())
    return f"{payload}.{_sign(secret, payload)}"


def _refuse(message: str) -> InputError:
    return InputError([FieldProblem("cursor", message)])


def read_cursor(secret: str, clinic_id: int, sort: str, cursor: str) -> tuple[str, int]:
    """The keyset a cursor carries, if it was made here for this clinic and sort."""
    payload, _, signature = cursor.partition(".")
    if len(cursor) > MAX_CURSOR or not hmac.compare_digest(
        signature.encode(), _sign(secret, payload).encode()
    ):
        raise _refuse(
            N_("not a cursor this server gave out; start from the first page")
        )
    try:
        clinic, made_for, value, last = json.loads(_unb64(payload))
    except (ValueError, binascii.Error, TypeError) as error:
        raise _refuse(N_("not a cursor this server gave out")) from error
    if clinic != clinic_id:
        raise _refuse(N_("the cursor belongs to another clinic's list"))
    if made_for != sort or not isinstance(value, str) or not isinstance(last, int):
        raise _refuse(
            N_("the cursor was made for another sort than {sort!r}", sort=sort)
        )
    return value, last
