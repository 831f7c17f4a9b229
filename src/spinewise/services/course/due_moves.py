"""A moved session carries the questionnaires due that were made from its date.

The items of a plan follow its questionnaire schedule as the sessions stand now
(``due.current_schedule``): after a move, the baseline, mid-course or discharge items
of the moved measuring session, and the follow-up when the course's last session
moves, take their new dates in the move's transaction, each change audited.

An item already answered keeps its date. So does an item whose link was already sent
and is not answered yet (the safer reading): the patient holds that link and the
e-mail that announced it, the item is answered by that link whenever it comes back,
and its reminder was timed from it; the clinician can cancel and re-send it. The move's
audit entry names the items kept this way.
"""

from __future__ import annotations

from spinewise.services.access.actors import Actor
from spinewise.services.audit import Action, log
from spinewise.services.course.due import current_schedule
from spinewise.store import CoursePlanRow, DueItems, UnitOfWork


def carry_due_items(
    uow: UnitOfWork, actor: Actor, plan: CoursePlanRow
) -> dict[str, list[int]]:
    """Re-date the plan's unanswered, unsent items to its schedule now; the ids of
    the items ``moved`` and of those ``kept`` (answered or sent) that would have."""
    wanted = {
        (instrument.value, milestone): day
        for instrument, milestone, day in current_schedule(uow, plan)
    }
    items = DueItems(uow.session)
    carried: dict[str, list[int]] = {"moved": [], "kept": []}
    for item in items.of_plan(plan.id):
        day = wanted.get((item.instrument, item.milestone))
        if day is None or day == item.due_on:
            continue
        if not items.move(item.id, day):
            carried["kept"].append(item.id)
            continue
        carried["moved"].append(item.id)
        log(
            uow,
            actor,
            Action.CHANGE,
            "questionnaire_due",
            item.id,
            patient_id=item.patient_id,
            detail={
                "from": item.due_on.isoformat(),
                "to": day.isoformat(),
                "milestone": item.milestone,
            },
        )
    return carried
