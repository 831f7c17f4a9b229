"""The one place where a change to an account ends that user's signed-in sessions.

Called when a user's password is changed or reset and when a user is deactivated,
inside the same transaction as the change: every server-side web session of the
user ends (``services.websessions.end_user_sessions_in``). A user who changed their
own password is given a fresh session by the web page afterwards.
"""

from __future__ import annotations

from spinewise.services.access.websessions import end_user_sessions_in
from spinewise.store import UnitOfWork


def user_sessions_must_end(uow: UnitOfWork, user_id: int) -> int:
    """End every server-side session of ``user_id``; the number ended."""
    return end_user_sessions_in(uow, user_id)
