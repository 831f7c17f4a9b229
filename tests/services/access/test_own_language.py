"""Each user's own language (#18): stored, carried by the actor of their next
sign-in, audited; an unknown code refused naming the field."""

from __future__ import annotations

import pytest
from tests.pg import PASSWORD, World

from spinewise import services
from spinewise.errors import InputError
from spinewise.services import Interface
from spinewise.store import Store


def test_a_user_chooses_russian_and_signs_in_with_it(
    store: Store, world: World
) -> None:
    services.set_own_language(store, world.therapist_a, "RU")
    actor = services.authenticate(
        store, world.therapist_a.username, PASSWORD, Interface.WEB
    )
    assert actor is not None and actor.language == "ru"
    services.set_own_language(store, world.therapist_a, "")
    again = services.authenticate(
        store, world.therapist_a.username, PASSWORD, Interface.WEB
    )
    assert again is not None and again.language is None


def test_an_unknown_language_is_refused_naming_the_field(
    store: Store, world: World
) -> None:
    with pytest.raises(InputError) as refused:
        services.set_own_language(store, world.therapist_a, "xx")
    assert [p.field for p in refused.value.problems] == ["language"]
