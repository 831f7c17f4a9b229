"""``spinewise serve [--host --port]``: the web app (pages and JSON API) under uvicorn.

The command hands uvicorn the import string of the web app's factory rather than
importing the web package itself: the CLI and the web are sibling adapters that do not
import each other.
"""

from __future__ import annotations

import typer
import uvicorn
from pydantic import ValidationError

from spinewise import __version__
from spinewise.cli.output import console, fail
from spinewise.config import Settings
from spinewise.errors import InputError, SpinewiseError
from spinewise.models import problems_of
from spinewise.services import DEMO_CLINIC, DEMO_USERS, find_clinic, open_store

APP_FACTORY = "spinewise.web:app_from_environment"
_ANY_ADDRESS = ("0.0.0.0", "::", "")


def read_settings() -> Settings:
    """Settings from ``SPINEWISE_*``, or exit 2 naming the bad setting."""
    try:
        return Settings()
    except ValidationError as exc:
        fail(InputError(problems_of(exc), file="settings (SPINEWISE_*)"))


def address_to_open(host: str, port: int) -> str:
    """The address a browser on this machine opens."""
    shown = "127.0.0.1" if host in _ANY_ADDRESS else host
    shown = f"[{shown}]" if ":" in shown else shown
    return f"http://{shown}:{port}/"


def sign_in_help(settings: Settings) -> list[str]:
    """Who can sign in: the demo logins when the database holds the demo clinic, else
    how to create a clinic. Never passwords in production mode."""
    seed = (
        "Run `spinewise demo` for a demo clinic to try, or `spinewise clinic create`."
    )
    try:
        store = open_store(settings.database_url)
        try:
            demo = find_clinic(store, DEMO_CLINIC)
        finally:
            store.dispose()
    except SpinewiseError:
        demo = None
    if demo is None:
        return [f"No demo clinic in this database. {seed}"]
    lines = [
        f"Demo logins ({DEMO_CLINIC}), with the passwords `spinewise demo` printed "
        "(`spinewise demo --new-passwords` sets new ones):"
    ]
    for user in DEMO_USERS:
        if user.clinic == DEMO_CLINIC:
            lines.append(f"  {user.username}  ({user.role.value})")
    lines.append(
        "Start as the therapist: Patients, then the next step on each patient."
    )
    return lines


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve_command(
        host: str | None = typer.Option(None, "--host", help="address to listen on"),
        port: int | None = typer.Option(
            None, "--port", min=1, max=65535, help="port to listen on"
        ),
    ) -> None:
        """Serve the web app: sign in, quick screen, knowledge base, JSON API."""
        settings = read_settings()
        host = settings.host if host is None else host
        port = settings.port if port is None else port
        url = address_to_open(host, port)
        console.print(f"Spinewise {__version__} ({settings.mode})")
        console.print(f"Open [bold]{url}[/] in a browser (Ctrl+C stops the server).")
        console.print(
            f"JSON API: {url}api/v1 · schema: {url}api/v1/openapi.json", soft_wrap=True
        )
        for line in sign_in_help(settings):
            console.print(line, markup=False, soft_wrap=True)
        uvicorn.run(
            APP_FACTORY,
            factory=True,
            host=host,
            port=port,
            workers=1,
            log_level="info",
            server_header=False,
        )
