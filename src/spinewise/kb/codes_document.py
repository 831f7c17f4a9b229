"""The clinical-basis page's section on the codes read from an EHR (``ehr-codes.yaml``)."""

from __future__ import annotations

from spinewise.i18n import Translator
from spinewise.kb.codes import EhrCodes

ENGLISH = Translator()


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "/").split())


def ehr_code_sections(
    codes: EhrCodes, heading: list[str], tr: Translator = ENGLISH
) -> list[str]:
    """The codes the CDS service reads from an EHR, each with its source (a code's
    display is the code system's own and stays in its language)."""
    used = {True: tr.gettext("yes"), False: tr.gettext("review")}
    lines = [
        *heading,
        tr.gettext(
            "A coded `Condition` (active, recurrence or relapse; also remission or "
            "resolved where marked *past counts*), `Observation` or active medication "
            'with one of these codes answers the field "yes" (it never turns a "yes" '
            'into "no" nor fills an unknown with "no"). Codes not confirmed on a '
            "readable source are listed for clinical review and **not used**."
        ),
        "",
        tr.gettext("| used | system | code | display | answers | resources | source |"),
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for c in codes.answers:
        code = c.code + ("\\*" if c.match == "prefix" else "")
        past = " " + tr.gettext("(past counts)") if c.includes_past else ""
        lines.append(
            f"| {used[c.confirmed]} | {c.system} | {code} | "
            f"{_cell(c.display)} | `{c.answers}`{past} | {', '.join(c.resources)} | "
            f"{_cell(c.source)} |"
        )
    lines += [
        "",
        tr.gettext("Massage orders (`ServiceRequest.code`):"),
        "",
        tr.gettext("| used | system | code | display | source |"),
        "| --- | --- | --- | --- | --- |",
    ]
    for o in codes.orders:
        lines.append(
            f"| {used[o.confirmed]} | {o.system} | {o.code} | "
            f"{_cell(o.display)} | {_cell(o.source)} |"
        )
    return [*lines, "", "\\* " + tr.gettext("the code and its subcodes."), ""]


def unconfirmed_codes(codes: EhrCodes, tr: Translator = ENGLISH) -> list[str]:
    """Review-list items: the EHR codes awaiting confirmation (not used until then)."""
    return [
        tr.gettext(
            "EHR code {system} {code} ({display}): unconfirmed, not used"
        ).format(system=c.system, code=c.code, display=_cell(c.display))
        for c in [*codes.answers, *codes.orders]
        if not c.confirmed
    ]
