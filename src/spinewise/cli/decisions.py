"""A decision on the terminal: the readable report, or its contract JSON.

Both follow the run's language (``--lang``): the report's labels through the
catalogue, the summary and finding messages through the knowledge base; the JSON keeps
its codes and, when a language was asked for, says which (``"lang"``).
"""

from __future__ import annotations

import datetime as dt

from rich.panel import Panel
from rich.table import Table

from spinewise.cli.context import run_options
from spinewise.cli.output import console, print_json
from spinewise.cli.words import _
from spinewise.cli.words import day as words_day
from spinewise.kb import KnowledgeBase
from spinewise.models import Decision, ModalityStatus, RuleState, Severity, Verdict
from spinewise.screening import decision_document, translate_decision

_VERDICT_STYLE = {
    Verdict.URGENT_REFERRAL: "bold white on red",
    Verdict.INCOMPLETE: "bold black on yellow",
    Verdict.DECLINED_BY_PHYSICIAN: "bold white on magenta",
    Verdict.NOT_NOW: "bold black on yellow",
    Verdict.NOT_SUITABLE: "bold white on red",
    Verdict.AWAITING_CLEARANCE: "bold black on cyan",
    Verdict.PROCEED: "bold black on green",
}
_STATUS_MARK = {
    ModalityStatus.ALLOWED: ("green", "✔"),
    ModalityStatus.WITH_PRECAUTIONS: ("yellow", "▲"),
    ModalityStatus.CONTRAINDICATED: ("red", "✘"),
    ModalityStatus.UNDETERMINED: ("magenta", "?"),
}


def verdict_label(verdict: Verdict) -> str:
    """The verdict's headline (the code stays in the JSON)."""
    return {
        Verdict.URGENT_REFERRAL: _("URGENT REFERRAL"),
        Verdict.INCOMPLETE: _("INCOMPLETE"),
        Verdict.DECLINED_BY_PHYSICIAN: _("DECLINED BY PHYSICIAN"),
        Verdict.NOT_NOW: _("NOT NOW"),
        Verdict.NOT_SUITABLE: _("NOT SUITABLE"),
        Verdict.AWAITING_CLEARANCE: _("AWAITING CLEARANCE"),
        Verdict.PROCEED: _("PROCEED"),
    }[verdict]


def status_label(status: ModalityStatus) -> str:
    """A modality status in words."""
    return {
        ModalityStatus.ALLOWED: _("allowed"),
        ModalityStatus.WITH_PRECAUTIONS: _("with precautions"),
        ModalityStatus.CONTRAINDICATED: _("contraindicated"),
        ModalityStatus.UNDETERMINED: _("undetermined"),
    }[status]


def severity_label(severity: Severity) -> str:
    """A finding's severity in words (a section heading)."""
    return {
        Severity.RED_FLAG: _("red flag"),
        Severity.DEFER: _("defer"),
        Severity.CONTRAINDICATION: _("contraindication"),
        Severity.PRECAUTION: _("precaution"),
        Severity.INFO: _("info"),
    }[severity]


def _modalities(decision: Decision) -> Table:
    table = Table(_("modality"), _("status"), _("rules"), box=None, pad_edge=False)
    for modality, part in decision.modalities.items():
        colour, mark = _STATUS_MARK[part.status]
        note = _(" (excluded by the physician)") if part.excluded_by_physician else ""
        table.add_row(
            modality.value,
            f"[{colour}]{mark} {status_label(part.status)}[/]{note}",
            ", ".join(part.rules + part.undetermined_rules) or "—",
        )
    return table


def _findings(decision: Decision) -> None:
    for severity in Severity:
        found = [f for f in decision.findings if f.severity is severity]
        if not found:
            continue
        console.print(f"\n[bold]{severity_label(severity)}[/]")
        for f in found:
            open_ = (
                " [magenta]" + _("(undetermined, applied)") + "[/]"
                if f.state is RuleState.UNDETERMINED
                else ""
            )
            console.print(f"  [bold]{f.rule}[/]{open_} {f.message}", soft_wrap=False)
            source = _("source {source}: {citation}").format(
                source=f.source, citation=f.citation
            )
            console.print(f"    [dim]{source}[/]")


def render_decision(decision: Decision, title: str) -> None:
    """A readable report: verdict, modalities, findings by severity, missing, re-screen."""
    style = _VERDICT_STYLE[decision.verdict]
    console.print(
        Panel(
            f"[{style}] {verdict_label(decision.verdict)} [/]\n{decision.summary}",
            title=title,
            title_align="left",
        )
    )
    console.print(_modalities(decision))
    _findings(decision)
    if decision.missing:
        console.print("\n[bold]" + _("missing answers") + "[/]")
        for path in decision.missing:
            console.print(f"  ☐ {path}")
    if decision.rescreen_after_days is not None and decision.assessed_on:
        day = dt.date.fromisoformat(decision.assessed_on) + dt.timedelta(
            days=decision.rescreen_after_days
        )
        text = _("after {days} day(s): on or after {day}").format(
            days=decision.rescreen_after_days, day=words_day(day)
        )
        console.print("\n[bold]" + _("re-screen") + f"[/] {text}")
    versions = _("kb {kb} · engine {engine}").format(
        kb=decision.kb_version, engine=decision.engine_version
    )
    console.print(f"[dim]{versions}[/]\n")


def decision_json(decision: Decision, kb: KnowledgeBase) -> dict[str, object]:
    """The contract JSON; in the asked language, saying which, when one was asked."""
    language = run_options().language
    if language is None:
        return decision.to_contract()
    return decision_document(decision, kb, language)


def show_decisions(
    decisions: list[tuple[str, Decision]],
    kb: KnowledgeBase,
    as_json: bool,
    *,
    single: bool | None = None,
) -> None:
    """Titled decisions as reports, or as JSON: one document when ``single`` (by
    default: when there is one), else a list whose documents name their ``source``."""
    if as_json:
        if len(decisions) == 1 if single is None else single:
            print_json(decision_json(decisions[0][1], kb))
        else:
            print_json([{**decision_json(d, kb), "source": t} for t, d in decisions])
        return
    language = run_options().language
    for title, decision in decisions:
        shown = translate_decision(decision, kb, language) if language else decision
        render_decision(shown, title)
