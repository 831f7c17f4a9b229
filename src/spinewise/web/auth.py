"""Who is asking: the web layer works with the services' ``Actor`` (one notion of
"who is acting" everywhere), resolved per request from the server-side session
(pages) or the bearer token (API) by ``web.deps``.
"""

from __future__ import annotations

from spinewise.errors import N_

ROLES = ("therapist", "physician", "admin")


class AuthenticationRequiredError(Exception):
    """No valid session or API token: 401 for the API, the login page for pages."""


class ThrottledError(Exception):
    """Too many attempts; try again after ``retry_after`` seconds (429)."""

    def __init__(self, retry_after: float) -> None:
        self.retry_after = max(1, round(retry_after))
        super().__init__(
            N_(
                "too many attempts; try again in {seconds} seconds",
                seconds=self.retry_after,
            )
        )
