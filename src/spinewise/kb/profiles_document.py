"""The clinical-basis page's profile sections: which rules apply where, and what each
profile plans differently (generated from the KB; see ``document.py``), in the
translator's language (ids, codes and sources stay as they are)."""

from __future__ import annotations

from spinewise.i18n import Translator
from spinewise.kb.schema import KnowledgeBase
from spinewise.kb.techniques import Techniques
from spinewise.models import Profile, Severity


def _who(profile: Profile, tr: Translator) -> str:
    if profile is Profile.DISC_HERNIATION:
        return tr.gettext(
            "A disc herniation diagnosed by the attending physician and held "
            "responsible for the pain (cervical, thoracic or lumbar). The default: "
            "every assessment without a `condition` block, or with "
            "`condition.profile: disc_herniation`; the `hernia` block is required."
        )
    return tr.gettext(
        "Low back or neck pain with no specific cause and no radiating limb pain "
        "(ICD-10 M54.5 / M54.2), desk-bound and sedentary people included: "
        "`condition.profile: nonspecific_back_pain` with `condition.region`, and no "
        "`hernia` block. Radicular pain routes the patient out (CI-PRF-01, "
        "`not_suitable` with the routing message); thoracic pain is outside the "
        "profile (CI-PRF-02)."
    )


def _chosen(tr: Translator) -> str:
    return tr.gettext(
        "The profile is chosen from the physician's diagnosis, never from the answer "
        "one wants: a diagnosed herniation must not be screened as non-specific pain "
        "to avoid the acute-phase defers. The engine can catch this only through "
        "radicular pain (CI-PRF-01). Red flags are in every profile by construction: "
        "`kb check` refuses a red flag that is not, and a rule without profiles."
    )


def _course_lines(
    techniques: Techniques, profile: Profile, tr: Translator
) -> list[str]:
    own = techniques.plan_of(profile)
    lines: list[str] = []
    for modality, spec in own.modalities.items():
        flag = tr.gettext(", unconfirmed") if spec.sessions.unconfirmed else ""
        sessions = tr.ngettext(
            "%(num)d session", "%(num)d sessions", spec.sessions.value
        ) % {"num": spec.sessions.value}
        steps = ", ".join(s.id for s in spec.steps)
        lines.append(
            f"- **{spec.name}:** {sessions} ({spec.sessions.source}{flag}), "
            f"{spec.frequency}; {tr.gettext('steps')} {steps} ({modality.value})"
        )
    for cap in own.session_caps:
        flag = tr.gettext(", unconfirmed") if cap.unconfirmed else ""
        shorter = tr.gettext("Shorter course when %(rule)s fired:") % {"rule": cap.rule}
        most = tr.ngettext(
            "at most %(num)d sessions", "at most %(num)d sessions", cap.sessions
        ) % {"num": cap.sessions}
        lines.append(f"- **{shorter}** {most} ({cap.source}{flag})")
    return lines


def _plan_lines(techniques: Techniques, profile: Profile, tr: Translator) -> list[str]:
    own = techniques.plan_of(profile)
    lines = _course_lines(techniques, profile, tr)
    if own.progression is not None:
        progression = tr.gettext("Progression:")
        lines.append(f"- **{progression}** {own.progression.condition}")
    for check in [*own.every_session, *filter(None, [own.course_review])]:
        lines.append(f"- {check.text} ({check.source})")
    stops = [r.id for r in techniques.stop_rules if profile in r.profiles]
    advice = [a.id for a in techniques.advice if profile in a.profiles]
    lines += [
        f"- **{tr.gettext('Stop rules:')}** {', '.join(stops)}",
        f"- **{tr.gettext('Care-sheet advice:')}** {', '.join(advice)}",
    ]
    return lines


def _severity_table(kb: KnowledgeBase, profile: Profile, tr: Translator) -> list[str]:
    rules = kb.rules_for(profile)
    only = [r.id for r in rules if r.profiles == [profile]]
    return [
        tr.ngettext(  # the English page has always said "rules" (>= 2 here)
            "%(num)d rules evaluated; a rule outside the profile is not evaluated "
            "(not in findings, never in `missing`).",
            "%(num)d rules evaluated; a rule outside the profile is not evaluated "
            "(not in findings, never in `missing`).",
            len(rules),
        )
        % {"num": len(rules)},
        "",
        tr.gettext("| severity | rules of this profile |"),
        "| --- | --- |",
        *(
            f"| {s.value} | {', '.join(r.id for r in rules if r.severity is s)} |"
            for s in Severity
        ),
        "",
        tr.gettext("Only in this profile: %(rules)s.")
        % {"rules": ", ".join(only) or tr.gettext("none")},
        "",
    ]


def profile_sections(
    kb: KnowledgeBase, heading: list[str], tr: Translator | None = None
) -> list[str]:
    """One section per profile: who, its rules by severity, what it plans."""
    tr = tr or Translator()
    lines = [*heading, _chosen(tr), ""]
    for profile in Profile:
        lines += [
            f'<a id="profile-{profile.value}"></a>',
            "",
            f"### {profile.value}",
            "",
            _who(profile, tr),
            "",
            *_severity_table(kb, profile, tr),
        ]
        if kb.techniques is not None:
            lines += [*_plan_lines(kb.techniques, profile, tr), ""]
    return lines
