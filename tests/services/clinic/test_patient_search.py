"""Finding patients: by name, record number or birth date, any case, Cyrillic and
Latin alike, wildcards literal, pages that say how many there are, one clinic only."""

from __future__ import annotations

import pytest
from tests.pg import World

from spinewise import services
from spinewise.errors import ConflictError, InputError, NotFoundError
from spinewise.store import Store

PEOPLE = [
    ("A-001", "Анна Петровна Смирнова", "1980-05-17"),
    ("A-002", "Ann Lee", "1975-01-02"),
    ("A-003", "Пётр Ёлкин", None),
    ("A-004", "Zoe 100% Real_Name", None),
    ("A-005", "анна иванова".upper(), "1990-12-31"),
]


@pytest.fixture
def registered(store: Store, world: World) -> None:
    for number, name, born in PEOPLE:
        services.register_patient(
            store,
            world.therapist_a,
            {"record_number": number, "name": name, "birth_date": born},
        )
    services.register_patient(
        store, world.therapist_b, {"record_number": "B-1", "name": "Анна Другая"}
    )


def found(store: Store, world: World, query: str, **options: object) -> list[str]:
    page = services.search_patients(store, world.therapist_a, query, **options)  # type: ignore[arg-type]
    return [s.patient.record_number for s in page.items]


@pytest.mark.usefixtures("registered")
@pytest.mark.parametrize(
    ("query", "numbers"),
    [
        ("анна", ["A-001", "A-005"]),
        ("анна".upper(), ["A-001", "A-005"]),
        ("ann", ["A-002"]),
        ("пётр".upper(), ["A-001", "A-003"]),
        ("елкин", ["A-003"]),
        ("a-00", ["A-001", "A-002", "A-003", "A-004", "A-005"]),
        ("17.05.1980", ["A-001"]),
        ("1975-01", ["A-002"]),
        ("100%", ["A-004"]),
        ("real_name", ["A-004"]),
        ("%", ["A-004"]),
        ("_", ["A-004"]),
        ("\\", []),
        ("\x00ann\x00", ["A-002"]),
        ("  ", ["A-001", "A-002", "A-003", "A-004", "A-005"]),
        ("другая", []),
    ],
)
def test_a_search_matches_any_case_and_script_and_takes_wildcards_literally(
    store: Store, world: World, query: str, numbers: list[str]
) -> None:
    assert sorted(found(store, world, query)) == numbers


@pytest.mark.usefixtures("registered")
def test_pages_say_how_many_match_and_continue_where_they_stopped(
    store: Store, world: World
) -> None:
    first = services.search_patients(store, world.therapist_a, "", limit=2)
    assert first.total == 5 and len(first.items) == 2
    seen = [s.patient.record_number for s in first.items]
    after = first.next_after
    while after is not None:
        page = services.search_patients(
            store, world.therapist_a, "", limit=2, after=after
        )
        seen += [s.patient.record_number for s in page.items]
        after = page.next_after
    assert sorted(seen) == [p[0] for p in PEOPLE] and len(set(seen)) == 5


@pytest.mark.usefixtures("registered")
@pytest.mark.parametrize(
    ("sort", "numbers"),
    [
        ("record", ["A-001", "A-002", "A-003", "A-004", "A-005"]),
        ("recent", ["A-005", "A-004", "A-003", "A-002", "A-001"]),
        ("name", ["A-002", "A-004", "A-005", "A-001", "A-003"]),
    ],
)
def test_a_search_sorts_by_name_record_number_or_registration(
    store: Store, world: World, sort: str, numbers: list[str]
) -> None:
    assert found(store, world, "", sort=sort) == numbers


def test_a_ten_thousand_character_query_or_an_unknown_sort_is_refused_by_name(
    store: Store, world: World
) -> None:
    with pytest.raises(InputError) as caught:
        services.search_patients(store, world.therapist_a, "x" * 10_000, sort="age")
    fields = [p.field for p in caught.value.problems]
    assert fields == ["q", "sort"]
    assert "at most 200" in str(caught.value)


def test_an_edit_keeps_the_previous_details_audits_field_names_and_searches_anew(
    store: Store, world: World
) -> None:
    created = services.register_patient(
        store, world.therapist_a, {"record_number": "E-1", "name": "Old Name"}
    )
    services.update_patient(
        store, world.physician_a, created.id,
        {"name": "Ёлка Новая", "birth_date": "1981-02-03"},
    )  # fmt: skip
    read = services.get_patient(store, world.therapist_a, created.id)
    assert (read.name, str(read.birth_date), read.record_number) == (
        "Ёлка Новая", "1981-02-03", "E-1",
    )  # fmt: skip
    [before] = services.patient_revisions(store, world.therapist_a, created.id)
    assert (before.name, before.birth_date, before.changed_by) == (
        "Old Name", None, world.physician_a.user_id,
    )  # fmt: skip
    assert found(store, world, "елка") == ["E-1"]
    assert found(store, world, "old name") == []
    changes = services.list_audit(
        store, world.admin_a, services.AuditFilter(patient_id=created.id)
    )
    edits = [c for c in changes if c.action == "change" and c.entity == "patient"]
    assert [e.detail for e in edits] == [{"fields": ["birth_date", "name"]}]


def test_an_edit_to_a_used_record_number_or_another_clinics_patient_is_refused(
    store: Store, world: World
) -> None:
    first = services.register_patient(
        store, world.therapist_a, {"record_number": "E-1", "name": "One"}
    )
    services.register_patient(
        store, world.therapist_a, {"record_number": "E-2", "name": "Two"}
    )
    with pytest.raises(ConflictError):
        services.update_patient(
            store, world.therapist_a, first.id, {"record_number": "E-2"}
        )
    with pytest.raises(NotFoundError):
        services.update_patient(store, world.therapist_b, first.id, {"name": "X"})
    assert services.patient_revisions(store, world.therapist_a, first.id) == []
