"""``spinewise serve [--host --port]``: the web app (pages and JSON API) under uvicorn.

The command hands uvicorn the import string of the web app's factory rather than
importing the web package itself: the CLI and the web are sibling adapters that do not
import each other.

``--workers N`` runs N processes under uvicorn's own supervisor (it restarts a worker
that dies, and needs no other package; gunicorn would add a dependency and a second
configuration for the same job), each worker on a listening socket of its own where
the system spreads connections over such sockets (cli/listeners.py). Every worker is
a full app with its own connection pool: the state they share — sessions, sign-in throttles, CDS ``jti``s, API tokens —
lives in the database (docs/operators/scale.md).
"""

from __future__ import annotations

import ipaddress

import typer
import uvicorn

from spinewise import __version__
from spinewise.cli.context import current_settings
from spinewise.cli.output import console, err_console, fail
from spinewise.cli.words import _
from spinewise.config import Settings
from spinewise.errors import SpinewiseError
from spinewise.services import (
    DEMO_CLINIC,
    DEMO_USERS,
    ensure_schema,
    find_clinic,
    open_store,
)

APP_FACTORY = "spinewise.web:app_from_environment"
_ANY_ADDRESS = ("0.0.0.0", "::", "")


def network_warning() -> str:
    return _(
        "WARNING: development mode on a network address (--insecure-dev-on-network): "
        "anyone who can reach {host}:{port} reaches this server without TLS; its "
        "secret is the database's own. Use SPINEWISE_MODE=production behind HTTPS."
    )


def is_loopback(host: str) -> bool:
    """Only this machine can reach ``host`` (``localhost`` or a loopback address)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_listening(settings: Settings, host: str, port: int, on_network: bool) -> None:
    """Development mode listens on a loopback address unless told otherwise (then
    it warns at every start); exit 2 with the reason else."""
    if settings.mode == "production" or is_loopback(host):
        return
    if not on_network:
        fail(
            _(
                "refusing to listen on {host} in development mode: only this "
                "machine should reach a development server. Use --host 127.0.0.1, "
                "run with SPINEWISE_MODE=production and SPINEWISE_SECRET_KEY behind "
                "HTTPS, or pass --insecure-dev-on-network to accept the risk"
            ).format(host=host)
        )
    err_console.print(network_warning().format(host=host, port=port), markup=False)


def address_to_open(host: str, port: int) -> str:
    """The address a browser on this machine opens."""
    shown = "127.0.0.1" if host in _ANY_ADDRESS else host
    shown = f"[{shown}]" if ":" in shown else shown
    return f"http://{shown}:{port}/"


def sign_in_help(settings: Settings) -> list[str]:
    """Who can sign in: the demo logins when the database holds the demo clinic, else
    how to create a clinic. Never passwords in production mode."""
    seed = _(
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
        return [_("No demo clinic in this database.") + f" {seed}"]
    lines = [
        _(
            "Demo logins ({clinic}), with the passwords `spinewise demo` printed "
            "(`spinewise demo --new-passwords` sets new ones):"
        ).format(clinic=DEMO_CLINIC)
    ]
    for user in DEMO_USERS:
        if user.clinic == DEMO_CLINIC:
            lines.append(f"  {user.username}  ({user.role.value})")
    lines.append(
        _("Start as the therapist: Patients, then the next step on each patient.")
    )
    return lines


def prepare_schema(settings: Settings) -> None:
    """Before several workers start: create a new SQLite file's schema once, so
    they do not race to; refuse an out-of-date schema with the command to run."""
    try:
        store = open_store(settings.database_url)
        try:
            ensure_schema(store, create_if_empty=store.backend == "sqlite")
        finally:
            store.dispose()
    except SpinewiseError as error:
        fail(str(error))


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve_command(
        host: str | None = typer.Option(None, "--host", help="address to listen on"),
        port: int | None = typer.Option(
            None, "--port", min=1, max=65535, help="port to listen on"
        ),
        workers: int = typer.Option(
            1,
            "--workers",
            min=1,
            max=64,
            help="worker processes (about one per CPU core; all share the database)",
        ),
        on_network: bool = typer.Option(
            False,
            "--insecure-dev-on-network",
            help="let a development server listen on a non-loopback address",
        ),
    ) -> None:
        """Serve the web app: sign in, quick screen, knowledge base, JSON API."""
        settings = current_settings()
        host = settings.host if host is None else host
        port = settings.port if port is None else port
        check_listening(settings, host, port, on_network)
        url = address_to_open(host, port)
        console.print(f"Spinewise {__version__} ({settings.mode})")
        opening = _("Open {url} in a browser (Ctrl+C stops the server).")
        console.print(opening.format(url=f"[bold]{url}[/]"))
        api = _("JSON API: {api} · schema: {schema}").format(
            api=f"{url}api/v1", schema=f"{url}api/v1/openapi.json"
        )
        console.print(api, soft_wrap=True, markup=False)
        for line in sign_in_help(settings):
            console.print(line, markup=False, soft_wrap=True)
        if workers > 1:
            prepare_schema(settings)
            console.print(_("{count} worker processes").format(count=workers))
        if workers == 1:
            uvicorn.run(APP_FACTORY, factory=True, host=host, port=port,
                        log_level="info", server_header=False)  # fmt: skip
            return
        from spinewise.cli.listeners import serve_workers  # uvicorn's supervisor

        serve_workers(
            uvicorn.Config(APP_FACTORY, factory=True, host=host, port=port,
                           log_level="info", server_header=False, workers=workers)
        )  # fmt: skip
