"""The clinical-basis page's section on the codes read from an EHR (``ehr-codes.yaml``)."""

from __future__ import annotations

from spinewise.kb.codes import EhrCodes


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "/").split())


def ehr_code_sections(codes: EhrCodes, heading: list[str]) -> list[str]:
    """The codes the CDS service reads from an EHR, each with its source."""
    lines = [
        *heading,
        "A coded `Condition` (active, recurrence or relapse; also remission or resolved "
        "where marked *past counts*), `Observation` or active medication with one of "
        'these codes answers the field "yes" (it never turns a "yes" into "no" '
        'nor fills an unknown with "no"). Codes not confirmed on a readable source '
        "are listed for clinical review and **not used**.",
        "",
        "| used | system | code | display | answers | resources | source |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for c in codes.answers:
        code = c.code + ("\\*" if c.match == "prefix" else "")
        past = " (past counts)" if c.includes_past else ""
        lines.append(
            f"| {'yes' if c.confirmed else 'review'} | {c.system} | {code} | "
            f"{_cell(c.display)} | `{c.answers}`{past} | {', '.join(c.resources)} | "
            f"{_cell(c.source)} |"
        )
    lines += [
        "",
        "Massage orders (`ServiceRequest.code`):",
        "",
        "| used | system | code | display | source |",
        "| --- | --- | --- | --- | --- |",
    ]
    for o in codes.orders:
        lines.append(
            f"| {'yes' if o.confirmed else 'review'} | {o.system} | {o.code} | "
            f"{_cell(o.display)} | {_cell(o.source)} |"
        )
    return [*lines, "", "\\* the code and its subcodes.", ""]


def unconfirmed_codes(codes: EhrCodes) -> list[str]:
    """Review-list items: the EHR codes awaiting confirmation (not used until then)."""
    return [
        f"EHR code {c.system} {c.code} ({_cell(c.display)}): unconfirmed, not used"
        for c in [*codes.answers, *codes.orders]
        if not c.confirmed
    ]
