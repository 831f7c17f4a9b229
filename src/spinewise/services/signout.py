"""The one place where a change to an account ends that user's signed-in sessions.

Called when a user's password is changed or reset and when a user is deactivated,
inside the same transaction as the change.
"""

from __future__ import annotations

from spinewise.store import UnitOfWork


def user_sessions_must_end(uow: UnitOfWork, user_id: int) -> None:
    """End every server-side session of ``user_id``.

    LEAD (issue 13, merge with sec-a): call the server-side sessions' function here,
    e.g. ``end_user_sessions(uow, user_id)``. Until then sessions are signed cookies
    and nothing is stored to end; the web's user check (``load_user``) already refuses
    a deactivated user on the next request.
    """
    del uow, user_id
