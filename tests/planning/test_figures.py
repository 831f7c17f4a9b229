"""The figures behind a course, in the language the planner is asked for."""

from __future__ import annotations

import re

from tests.factories import make_assessment

from spinewise.kb import KnowledgeBase
from spinewise.planning import plan_course
from spinewise.screening import screen

LATIN_WORD = re.compile(r"\b[a-z]{2,}\b")


def test_a_russian_plan_writes_every_figure_in_russian(kb: KnowledgeBase) -> None:
    assessment = make_assessment()
    decision = screen(assessment, kb)
    english = plan_course(assessment, decision, kb, assessment.assessed_on)
    russian = plan_course(
        assessment,
        decision,
        kb.in_language("ru"),
        assessment.assessed_on,
        language="ru",
    )
    for en_course, ru_course in zip(english.courses, russian.courses, strict=True):
        assert [f.source for f in ru_course.figures] == [
            f.source for f in en_course.figures
        ]
        for figure in ru_course.figures:
            assert not LATIN_WORD.findall(f"{figure.what} {figure.value}"), figure
    figures = {f.what: f.value for f in russian.courses[0].figures}
    assert (
        figures["зона проекции грыжи"] == "1 позвонок выше и ниже каждого уровня грыжи"
    )
    assert "sessions per course" in {f.what for f in english.courses[0].figures}
