"""The whole clinical-basis page: the knowledge base's sections, the decision and the
outcome instruments, each under an anchor that code comments cite.

The knowledge base may not import the screening engine or the outcome instruments, so
the page is put together here, from the one verdict table (``screening``) and the
instrument definitions (``outcomes``) beside the KB's own sections.
"""

from __future__ import annotations

from decimal import Decimal

from spinewise.kb import KnowledgeBase, anchored_heading, render_clinical_basis
from spinewise.outcomes import INSTRUMENTS, arithmetic, mcid, scoring
from spinewise.screening.precedence import DECISION_NOTES, VERDICT_TABLE


def decision_sections() -> list[str]:
    """The verdict table (first row that holds) and how statuses, waits and
    missing answers are read."""
    lines = anchored_heading("decision", "The decision")
    lines += [
        "The verdict is the first row of this table that holds.",
        "",
        "| # | verdict | holds when |",
        "| --- | --- | --- |",
        *(
            f"| {n} | `{row.verdict.value}` | {row.holds_when} |"
            for n, row in enumerate(VERDICT_TABLE, start=1)
        ),
        "",
    ]
    for anchor, title, text in DECISION_NOTES:
        lines += [*anchored_heading(anchor, title, level=3), text, ""]
    return lines


def _number(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{value * 100:.0f} %" if value < 1 else f"{value.normalize():f}"


def _paragraph(text: str | None, index: int) -> str:
    """One paragraph of a docstring, on one line (the code's own words)."""
    paragraphs = (text or "").strip().split("\n\n")
    return " ".join(paragraphs[index].split()) if index < len(paragraphs) else ""


def outcome_sections() -> list[str]:
    """Every instrument with its items, scale, MIC and code; the scoring conventions."""
    lines = anchored_heading("outcome-instruments", "Outcome instruments")
    lines += [
        "| instrument | items | scale | MIC (points) | MIC (of baseline) | code | "
        "sources |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for definition in INSTRUMENTS.values():
        coding = definition.coding
        code = f"{coding.code}" + ("" if coding.confirmed else " (local, unconfirmed)")
        sources = ", ".join(
            dict.fromkeys((*definition.scoring_sources, *definition.mic_sources))
        )
        lines.append(
            f"| {definition.name} | {definition.item_count} | "
            f"0-{_number(definition.scale_max)} | {_number(definition.mic_absolute)} "
            f"| {_number(definition.mic_relative)} | {code} | {sources} |"
        )
    lines += [
        "",
        *anchored_heading("scoring-conventions", "Scoring conventions", level=3),
        _paragraph(scoring.__doc__, 1),
        "",
        *(
            f"- {_paragraph(f.__doc__, 0)}"
            for f in (
                scoring.score_nrs,
                scoring.score_odi,
                scoring.score_rmdq,
                scoring.score_ndi,
                scoring.score_startback,
                scoring.startback_risk,
            )
        ),
        "",
        _paragraph(arithmetic.__doc__, 1),
        "",
        *anchored_heading("mic", "Minimal important change", level=3),
        f"{_paragraph(mcid.__doc__, 1)} {_paragraph(mcid.__doc__, 2)}",
        "",
    ]
    return lines


def outcome_review_items() -> list[str]:
    return [
        f"outcome instrument {d.instrument.value}: code {d.coding.code} is local"
        for d in INSTRUMENTS.values()
        if not d.coding.confirmed
    ]


def render_clinical_basis_page(kb: KnowledgeBase) -> str:
    """The page ``spinewise kb doc`` writes (deterministic; checked in CI)."""
    return render_clinical_basis(
        kb,
        decision=decision_sections(),
        outcomes=outcome_sections(),
        more_review=outcome_review_items(),
    )
