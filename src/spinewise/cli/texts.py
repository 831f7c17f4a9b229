"""``spinewise questionnaire texts import FILE`` and ``... texts list``: the clinic's
licensed questionnaire texts (docs/therapists/questionnaires.md).

A pack is checked against the instrument's scoring (item count, options per item,
option order); a wrong one is a ``file: field: message`` line per problem, exit 2,
and nothing is stored.
"""

from __future__ import annotations

from pathlib import Path

import typer

from spinewise.cli.files import read_document
from spinewise.cli.ids import JsonFlag
from spinewise.cli.output import console, print_json, print_line
from spinewise.cli.signin import signed_in, user_option
from spinewise.cli.words import _, ngettext

texts_app = typer.Typer(
    help="The clinic's licensed questionnaire texts (administrators).",
    no_args_is_help=True,
)


@texts_app.command("import")
def import_command(
    file: Path = typer.Argument(..., metavar="FILE", help="a text pack (YAML or JSON)"),
    as_json: JsonFlag = False,
    user: str | None = user_option(),
) -> None:
    """Check a text pack against the scoring and store it for the clinic."""
    from spinewise.services import import_text_pack

    with signed_in(user) as session:
        data = read_document(file)
        pack = import_text_pack(session.store, session.actor, data, file=str(file))
    if as_json:
        print_json(pack.model_dump(mode="json"))
        return
    says = ngettext(
        "text pack {id}: {instrument} {version} ({language}), {items} items, "
        "now in force",
        "text pack {id}: {instrument} {version} ({language}), {items} items, "
        "now in force",
        pack.items,
    )
    console.print(
        says.format(
            id=pack.id,
            instrument=pack.instrument.value,
            version=pack.version,
            language=pack.language,
            items=pack.items,
        ),
        markup=False,
        soft_wrap=True,
    )


@texts_app.command("list")
def list_command(as_json: JsonFlag = False, user: str | None = user_option()) -> None:
    """The clinic's imported text packs (newest first) and the one in force."""
    from spinewise.services import list_text_packs

    with signed_in(user) as session:
        packs = list_text_packs(session.store, session.actor)
    if as_json:
        print_json([pack.model_dump(mode="json") for pack in packs])
        return
    if not packs:
        console.print(
            _("no text packs imported: only the pain NRS (English) can be sent")
        )
    for pack in packs:
        state = _("in force") if pack.in_force else _("replaced")
        print_line(
            f"{pack.id}\t{pack.instrument.value}\t{pack.version}\t{pack.language}\t"
            f"{state}\t{pack.title}"
        )
