"""``spinewise screen --save --patient ID``: store assessments and their decisions."""

from __future__ import annotations

from pathlib import Path

from spinewise.cli.output import err_console, fail
from spinewise.cli.signin import signed_in
from spinewise.cli.words import _
from spinewise.kb import KnowledgeBase
from spinewise.models import Assessment, Decision
from spinewise.services import ScreeningResult, submit_assessment


def saved_line(path: str, result: ScreeningResult) -> str:
    a, d = result.assessment, result.decision
    return _(
        "saved {file}: patient {patient}, assessment {id} (#{number} v{version}), "
        "decision {decision}: {verdict}"
    ).format(
        file=path,
        patient=a.patient_id,
        id=a.id,
        number=a.number,
        version=a.version,
        decision=d.id,
        verdict=d.decision.verdict.value,
    )


def save_screened(
    loaded: list[tuple[Path, Assessment]],
    patient: int | None,
    user: str | None,
    kb: KnowledgeBase,
) -> list[tuple[Path, Decision]]:
    """Store each assessment for ``patient`` and screen it with the stored clearance."""
    if patient is None:
        fail(_("--save needs --patient ID (see `spinewise patients list`)"))
    decisions = []
    with signed_in(user) as session:
        for path, assessment in loaded:
            result = submit_assessment(
                session.store, session.actor, patient, assessment, kb, file=str(path)
            )
            err_console.print(
                saved_line(path.name, result), markup=False, soft_wrap=True
            )
            decisions.append((path, result.decision.decision))
    return decisions
