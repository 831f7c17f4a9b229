"""Dates and numbers on pages as the page's language writes them (Babel): a person
reads "4 Dec 2026" or its Russian medium form, a machine the ISO day in
``<time datetime>``; scores with the language's decimal sign; outcome charts in the
page's language."""

from __future__ import annotations

import re

from tests.web.clinic import Clinic

from spinewise import services

NNBSP = "\u202f"  # CLDR's narrow no-break space before the Russian year mark


def odi(day: str, value: int) -> dict[str, object]:
    return {"instrument": "odi", "answered_on": day, "answers": [value] * 10}


def born_on_4_december(clinic: Clinic) -> int:
    patient_id = clinic.patient()
    services.update_patient(
        clinic.store, clinic.actor("therapist_a"), patient_id,
        {"birth_date": "1966-12-04"},
    )  # fmt: skip
    return patient_id


def test_a_russian_page_shows_the_russian_date_inside_an_iso_time(
    clinic: Clinic,
) -> None:
    patient_id = born_on_4_december(clinic)
    page = clinic.as_page("therapist_a")
    russian = page.get(f"/patients/{patient_id}?lang=ru").text
    assert f'<time datetime="1966-12-04">4 дек. 1966{NNBSP}г.</time>' in russian  # noqa: RUF001
    english = page.get(f"/patients/{patient_id}?lang=en").text
    assert '<time datetime="1966-12-04">4 Dec 1966</time>' in english
    assert ">1966-12-04<" not in english + russian


def test_a_moment_reads_to_the_minute_in_utc_in_the_pages_language(
    clinic: Clinic,
) -> None:
    patient_id = clinic.patient()
    page = clinic.as_page("therapist_a")
    consent = page.get(f"/patients/{patient_id}/consent?lang=ru").text
    shown = re.search(
        r'<time datetime="(\d{4}-\d\d-\d\dT\d\d:\d\dZ)">([^<]+)</time>', consent
    )
    assert shown is not None
    assert re.fullmatch(r"\d{1,2} [а-я]+\. \d{4}\s?г\., \d\d:\d\d", shown.group(2))  # noqa: RUF001


def test_a_russian_outcomes_page_writes_scores_with_a_decimal_comma(
    clinic: Clinic,
) -> None:
    plan = clinic.planned()
    therapist = clinic.actor("therapist_a")
    for day, value in (("2026-11-25", 2), ("2026-12-04", 1)):  # 40 % -> 20 %
        services.record_response(
            clinic.store, therapist, plan.patient_id, odi(day, value)
        )
    page = clinic.as_page("therapist_a")
    russian = page.get(f"/patients/{plan.patient_id}/outcomes?lang=ru").text
    assert "20,0" in russian and "40,0" in russian and "20.0" not in russian
    assert f'<time datetime="2026-12-04">4 дек. 2026{NNBSP}г.</time>' in russian  # noqa: RUF001
    assert "\u221220,0" in russian  # the change, with a true minus sign
    chart = page.get(f"/patients/{plan.patient_id}/outcomes/odi.svg").text
    assert "баллы по датам" in chart and "Дата" in chart
    assert 'lang="en"' not in russian
    english = page.get(f"/patients/{plan.patient_id}/outcomes?lang=en").text
    assert (
        "20.0" in english and '<time datetime="2026-12-04">4 Dec 2026</time>' in english
    )
