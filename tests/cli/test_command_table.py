"""The command table: every command is listed once, under the module that registers it,
with the help its module gives; ``spinewise --help`` loads no command module."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest
from typer._click import Context
from typer.core import TyperGroup
from typer.main import get_command

import spinewise.cli as cli
from spinewise.cli import COMMANDS, app, load_module_commands

COMMAND_MODULES = sorted(
    info.name
    for info in pkgutil.iter_modules(cli.__path__)
    if hasattr(__import__(f"spinewise.cli.{info.name}", fromlist=["_"]), "register")
)


@pytest.mark.parametrize("module_name", COMMAND_MODULES)
def test_every_command_a_module_registers_is_in_the_table_under_that_module(
    module_name: str,
) -> None:
    group = load_module_commands(module_name)
    registered = set(group.list_commands(Context(group)))
    listed = {name for name, (module, _) in COMMANDS.items() if module == module_name}
    assert registered == listed


@pytest.mark.parametrize("name", list(COMMANDS))
def test_the_table_shows_the_help_the_command_itself_gives(name: str) -> None:
    module_name, summary = COMMANDS[name]
    group = load_module_commands(module_name)
    command = group.get_command(Context(group), name)
    assert command is not None
    assert command.get_short_help_str(limit=300) == summary


def test_the_root_group_answers_every_listed_command_with_the_real_one() -> None:
    root = get_command(app)
    ctx = Context(root)
    for name in root.list_commands(ctx):
        command = root.get_command(ctx, name)
        assert command is not None
        assert isinstance(command, TyperGroup) or command.callback is not None


def test_help_starts_without_the_services_the_store_or_polars() -> None:
    probe = (
        "import sys\n"
        "from spinewise.cli import main\n"
        "sys.argv = ['spinewise', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('sqlalchemy', 'polars', 'alembic', 'httpx', 'pydantic') "
        "or m.startswith(('spinewise.services', 'spinewise.store', 'spinewise.models')))\n"
        "print('LOADED', heavy, file=sys.stderr)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert "LOADED []" in run.stderr
    assert "feedback" in run.stdout
