"""Running the CLI in tests as a signed-in user (one helper for every CLI test)."""

from __future__ import annotations

from tests import pg
from typer.testing import CliRunner, Result

from spinewise.cli import app

runner = CliRunner()
DEMO_PASSWORDS: dict[str, str] = {}  # the demo's random passwords, as a test read them
SECRET_KEY = "a cli test secret that is long enough"


def as_user(url: str, username: str, *args: str) -> Result:
    """``spinewise ARGS`` against the database at ``url``, signed in as ``username``.

    A demo user signs in with the password the demo printed (a test that runs the
    demo puts it in ``DEMO_PASSWORDS``), any other with the test clinics' password
    (``tests/pg.py``).
    """
    env = {
        "SPINEWISE_DATABASE_URL": url,
        "SPINEWISE_USER": username,
        "SPINEWISE_PASSWORD": DEMO_PASSWORDS.get(username, pg.PASSWORD),
        "SPINEWISE_SECRET_KEY": SECRET_KEY,
    }
    return runner.invoke(app, list(args), env=env)
