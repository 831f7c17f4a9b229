"""Text and flag parameters taken as given, without typer building pydantic for them.

typer (0.29) coerces every parameter through a pydantic ``TypeAdapter`` that it builds
the first time the parameter is processed, even when the value is already what the
annotation asks for or is None (an option not given). Importing pydantic for that is
most of what ``spinewise db status`` would spend starting (issue 19): its only such
parameter is the root's ``--lang``, usually not given.

``plain_params(command, ctx)`` gives each ``str`` and ``bool`` parameter of a command
(its ``--help`` and its subcommands' too) a coercion that returns a value of exactly that type unchanged, as
typer's would, and hands any other value (an environment variable's text for a flag,
say) to typer's own coercion, built only then. Parameters of other types, lists,
custom parsers and files keep typer's coercion untouched.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from typer._coercion import RuntimeParam, build_runtime_param
from typer.core import TyperGroup, _TyperParameter

if TYPE_CHECKING:
    from typer._click import Command, Context, Parameter

_PLAIN = (str, bool)


@dataclass(frozen=True)
class AsGiven(RuntimeParam):
    """A value of exactly the annotated type, unchanged; any other to typer's own."""

    def _coerce_value(self, value: Any, param: _TyperParameter, ctx: Context) -> Any:
        if type(value) is self.annotation:
            return value
        typers_own = build_runtime_param(param.type_descriptor)
        return typers_own._coerce_value(value, param=param, ctx=ctx)


def _is_plain(param: _TyperParameter) -> bool:
    descriptor = param.type_descriptor
    return (
        descriptor.annotation in _PLAIN
        and descriptor.file_annotation is None
        and descriptor.parameter_info.parser is None
        and not param.multiple
        and param.nargs == 1
    )


def plain_param(param: Parameter) -> None:
    """Take ``param`` as given if it is a lone ``str`` or ``bool`` typer has not yet
    built its coercion for; leave any other parameter as it is."""
    if isinstance(param, _TyperParameter) and param._runtime_param is None:
        if _is_plain(param):
            descriptor = param.type_descriptor
            param._runtime_param = AsGiven(
                parameter_info=descriptor.parameter_info,
                annotation=descriptor.annotation,
            )


def plain_params(command: Command, ctx: Context) -> None:
    """Take ``command``'s ``str`` and ``bool`` parameters, its ``--help`` among them,
    and its subcommands' as given; every other parameter keeps typer's coercion."""
    for param in command.get_params(ctx):
        plain_param(param)
    if isinstance(command, TyperGroup):
        for subcommand in command.commands.values():
            plain_params(subcommand, ctx)
