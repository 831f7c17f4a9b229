"""Reports: charts, the body chart and printable PDFs, from the core's models."""

from spinewise.reports.access import render_access_html, render_access_pdf
from spinewise.reports.bodychart import render_body_chart
from spinewise.reports.charts import render_outcome_chart
from spinewise.reports.letter import (
    LetterClearance,
    LetterData,
    LetterKind,
    LetterOutcome,
    LetterSession,
    LetterStop,
    render_letter_html,
    render_letter_pdf,
)
from spinewise.reports.pdf import (
    ReportContext,
    render_care_sheet_html,
    render_care_sheet_pdf,
    render_plan_html,
    render_plan_pdf,
)

__all__ = [
    "LetterClearance",
    "LetterData",
    "LetterKind",
    "LetterOutcome",
    "LetterSession",
    "LetterStop",
    "ReportContext",
    "render_access_html",
    "render_access_pdf",
    "render_body_chart",
    "render_care_sheet_html",
    "render_care_sheet_pdf",
    "render_letter_html",
    "render_letter_pdf",
    "render_outcome_chart",
    "render_plan_html",
    "render_plan_pdf",
]
