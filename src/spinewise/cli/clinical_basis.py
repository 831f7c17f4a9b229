"""The whole clinical-basis page: the knowledge base's sections, the decision and the
outcome instruments, each under an anchor that code comments cite.

The knowledge base may not import the screening engine or the outcome instruments, so
the page is put together here, from the one verdict table (``screening``) and the
instrument definitions (``outcomes``) beside the KB's own sections.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import IO, Any

from spinewise.i18n import Translator
from spinewise.kb import KnowledgeBase, anchored_heading, render_clinical_basis
from spinewise.outcomes import INSTRUMENTS, arithmetic, mcid, scoring
from spinewise.screening.precedence import DECISION_NOTES, VERDICT_TABLE

ENGLISH = Translator()


def _by_value(tr: Translator, text: str) -> str:
    """A text from code, translated by its English words. A literal ``%`` is ``%%``
    in the catalogue (gettext's python-format convention; ``30 % of`` would read as a
    placeholder), so the msgid is escaped and the translation unescaped."""
    return tr.gettext(text.replace("%", "%%")).replace("%%", "%")


_SCORING_FUNCTIONS = (
    scoring.score_nrs,
    scoring.score_odi,
    scoring.score_rmdq,
    scoring.score_ndi,
    scoring.score_startback,
    scoring.startback_risk,
)


def decision_sections(tr: Translator = ENGLISH) -> list[str]:
    """The verdict table (first row that holds) and how statuses, waits and
    missing answers are read."""
    lines = anchored_heading("decision", tr.gettext("The decision"))
    lines += [
        tr.gettext("The verdict is the first row of this table that holds."),
        "",
        tr.gettext("| # | verdict | holds when |"),
        "| --- | --- | --- |",
        *(
            f"| {n} | `{row.verdict.value}` | {_by_value(tr, row.holds_when)} |"
            for n, row in enumerate(VERDICT_TABLE, start=1)
        ),
        "",
    ]
    for anchor, title, text in DECISION_NOTES:
        lines += [
            *anchored_heading(anchor, _by_value(tr, title), level=3),
            _by_value(tr, text),
            "",
        ]
    return lines


def _number(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{value * 100:.0f} %" if value < 1 else f"{value.normalize():f}"


def _paragraph(text: str | None, index: int) -> str:
    """One paragraph of a docstring, on one line (the code's own words)."""
    paragraphs = (text or "").strip().split("\n\n")
    return " ".join(paragraphs[index].split()) if index < len(paragraphs) else ""


def _mic_paragraph() -> str:
    return f"{_paragraph(mcid.__doc__, 1)} {_paragraph(mcid.__doc__, 2)}"


def outcome_sections(tr: Translator = ENGLISH) -> list[str]:
    """Every instrument with its items, scale, MIC and code; the scoring conventions."""
    lines = anchored_heading("outcome-instruments", tr.gettext("Outcome instruments"))
    lines += [
        tr.gettext(
            "| instrument | items | scale | MIC (points) | MIC (of baseline) | code | "
            "sources |"
        ),
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    local = " " + tr.gettext("(local, unconfirmed)")
    for definition in INSTRUMENTS.values():
        coding = definition.coding
        code = f"{coding.code}" + ("" if coding.confirmed else local)
        sources = ", ".join(
            dict.fromkeys((*definition.scoring_sources, *definition.mic_sources))
        )
        lines.append(
            f"| {_by_value(tr, definition.name)} | {definition.item_count} | "
            f"0-{_number(definition.scale_max)} | {_number(definition.mic_absolute)} "
            f"| {_number(definition.mic_relative)} | {code} | {sources} |"
        )
    lines += [
        "",
        *anchored_heading(
            "scoring-conventions", tr.gettext("Scoring conventions"), level=3
        ),
        _by_value(tr, _paragraph(scoring.__doc__, 1)),
        "",
        *(f"- {_by_value(tr, _paragraph(f.__doc__, 0))}" for f in _SCORING_FUNCTIONS),
        "",
        _by_value(tr, _paragraph(arithmetic.__doc__, 1)),
        "",
        *anchored_heading("mic", tr.gettext("Minimal important change"), level=3),
        _by_value(tr, _mic_paragraph()),
        "",
    ]
    return lines


def outcome_review_items(tr: Translator = ENGLISH) -> list[str]:
    return [
        tr.gettext("outcome instrument {instrument}: code {code} is local").format(
            instrument=d.instrument.value, code=d.coding.code
        )
        for d in INSTRUMENTS.values()
        if not d.coding.confirmed
    ]


def render_clinical_basis_page(kb: KnowledgeBase, language: str = "en") -> str:
    """The page ``spinewise kb doc`` writes in ``language`` (deterministic; checked
    in CI)."""
    tr = Translator(language)
    return render_clinical_basis(
        kb,
        decision=decision_sections(tr),
        outcomes=outcome_sections(tr),
        more_review=outcome_review_items(tr),
        tr=tr,
    )


def page_texts() -> list[str]:
    """The page's words that come from code outside this module (the verdict table,
    instrument names, docstring paragraphs): what ``extract_page_texts`` adds."""
    texts = [row.holds_when for row in VERDICT_TABLE]
    texts += [text for _, title, text in DECISION_NOTES for text in (title, text)]
    texts += [d.name for d in INSTRUMENTS.values()]
    texts += [_paragraph(scoring.__doc__, 1), _paragraph(arithmetic.__doc__, 1)]
    texts += [_paragraph(f.__doc__, 0) for f in _SCORING_FUNCTIONS]
    texts.append(_mic_paragraph())
    return texts


def extract_page_texts(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[Any, ...]]:
    """pybabel extractor for this module (babel.cfg): its own gettext calls, then the
    texts it translates by value, so ``make i18n-update`` keeps them in the catalogue."""
    from babel.messages.extract import extract_python

    yield from extract_python(fileobj, keywords, comment_tags, options)
    for text in page_texts():
        yield 0, None, text.replace("%", "%%"), ["clinical-basis page: text from code"]
