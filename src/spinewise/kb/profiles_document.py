"""The clinical-basis page's profile sections: which rules apply where, and what each
profile plans differently (generated from the KB; see ``document.py``)."""

from __future__ import annotations

from spinewise.kb.schema import KnowledgeBase
from spinewise.kb.techniques import Techniques
from spinewise.models import Profile, Severity

_WHO = {
    Profile.DISC_HERNIATION: (
        "A disc herniation diagnosed by the attending physician and held responsible "
        "for the pain (cervical, thoracic or lumbar). The default: every assessment "
        "without a `condition` block, or with `condition.profile: disc_herniation`; "
        "the `hernia` block is required."
    ),
    Profile.NONSPECIFIC_BACK_PAIN: (
        "Low back or neck pain with no specific cause and no radiating limb pain "
        "(ICD-10 M54.5 / M54.2), desk-bound and sedentary people included: "
        "`condition.profile: nonspecific_back_pain` with `condition.region`, and no "
        "`hernia` block. Radicular pain routes the patient out (CI-PRF-01, "
        "`not_suitable` with the routing message); thoracic pain is outside the "
        "profile (CI-PRF-02)."
    ),
}
_CHOSEN = (
    "The profile is chosen from the physician's diagnosis, never from the answer one "
    "wants: a diagnosed herniation must not be screened as non-specific pain to avoid "
    "the acute-phase defers. The engine can catch this only through radicular pain "
    "(CI-PRF-01). Red flags are in every profile by construction: `kb check` refuses "
    "a red flag that is not, and a rule without profiles."
)


def _plan_lines(techniques: Techniques, profile: Profile) -> list[str]:
    own = techniques.plan_of(profile)
    lines: list[str] = []
    for modality, spec in own.modalities.items():
        flag = ", unconfirmed" if spec.sessions.unconfirmed else ""
        lines.append(
            f"- **{spec.name}:** {spec.sessions.value} sessions "
            f"({spec.sessions.source}{flag}), {spec.frequency}; steps "
            + ", ".join(s.id for s in spec.steps)
            + f" ({modality.value})"
        )
    for cap in own.session_caps:
        lines.append(
            f"- **Shorter course when {cap.rule} fired:** at most {cap.sessions} "
            f"sessions ({cap.source}{', unconfirmed' if cap.unconfirmed else ''})"
        )
    if own.progression is not None:
        lines.append(f"- **Progression:** {own.progression.condition}")
    for check in [*own.every_session, *filter(None, [own.course_review])]:
        lines.append(f"- {check.text} ({check.source})")
    stops = [r.id for r in techniques.stop_rules if profile in r.profiles]
    advice = [a.id for a in techniques.advice if profile in a.profiles]
    lines += [
        f"- **Stop rules:** {', '.join(stops)}",
        f"- **Care-sheet advice:** {', '.join(advice)}",
    ]
    return lines


def profile_sections(kb: KnowledgeBase, heading: list[str]) -> list[str]:
    """One section per profile: who, its rules by severity, what it plans."""
    lines = [*heading, _CHOSEN, ""]
    for profile in Profile:
        rules = kb.rules_for(profile)
        only = [r.id for r in rules if r.profiles == [profile]]
        lines += [
            f'<a id="profile-{profile.value}"></a>',
            "",
            f"### {profile.value}",
            "",
            _WHO[profile],
            "",
            f"{len(rules)} rules evaluated; a rule outside the profile is not "
            "evaluated (not in findings, never in `missing`).",
            "",
            "| severity | rules of this profile |",
            "| --- | --- |",
            *(
                f"| {s.value} | {', '.join(r.id for r in rules if r.severity is s)} |"
                for s in Severity
            ),
            "",
            f"Only in this profile: {', '.join(only) or 'none'}.",
            "",
        ]
        if kb.techniques is not None:
            lines += [*_plan_lines(kb.techniques, profile), ""]
    return lines
