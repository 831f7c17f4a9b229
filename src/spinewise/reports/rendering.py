"""What every printed report shares: templates in a language, dates, numbers, PDF.

One Jinja2 environment per language, with the i18n extension bound to that language's
gettext catalogue (``{{ _("Patient") }}``, ``ngettext`` for counts), so two reports in
two languages can be printed at once. WeasyPrint prints the HTML with the fonts bundled
in ``fonts/`` (see ``templates/report.css``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from spinewise.i18n import (
    Translator,
    format_date,
    format_number,
    locale_of,
    translations,
)
from spinewise.reports.words import modality_word, status_words

TEMPLATES = Path(__file__).parent / "templates"
FONTS = Path(__file__).parent / "fonts"


@cache
def environment(language: str) -> Environment:
    """The report templates, speaking ``language``."""
    env = Environment(
        extensions=["jinja2.ext.i18n"],
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(  # type: ignore[attr-defined]
        translations(language), newstyle=True
    )
    tr = Translator(language)
    env.globals["lang"] = language
    env.globals["day"] = lambda value: day(value, language)
    env.globals["number"] = lambda value: format_number(value, language)
    env.globals["signed"] = lambda value: signed(value, language)
    env.globals["status_words"] = status_words(tr)
    env.globals["page_words"] = (
        tr.pgettext("page footer", "Page"),
        tr.pgettext("page footer", "of"),
    )
    env.filters["modality"] = lambda value: modality_word(value, tr)
    return env


def day(value: dt.date | None, language: str) -> str:
    """A date as the language writes it for people ("24 Nov 2026", and the
    Russian medium form);
    a dash for none."""
    return format_date(value, language, "medium") if value else "-"


def weekday(value: dt.date, language: str) -> str:
    """A calendar day with its weekday ("Sat, 5 Dec 2026")."""
    from babel.dates import format_date as babel_date

    return babel_date(value, "EEE, d MMM y", locale=locale_of(language))


def signed(value: Decimal, language: str) -> str:
    """A change with its sign: +4.0, a true minus sign for a fall."""
    text = format_number(abs(value), language)
    return ("+" if value > 0 else "\u2212" if value < 0 else "\u00b1") + text


def render(template: str, language: str, **values: object) -> str:
    """A report template rendered in ``language``."""
    return environment(language).get_template(template).render(**values)


def pdf(html: str) -> bytes:
    """Print HTML to PDF bytes (A4; the report's own CSS sets pages and fonts)."""
    from weasyprint import HTML

    document: bytes = HTML(string=html, base_url=TEMPLATES.as_uri() + "/").write_pdf()
    return document
