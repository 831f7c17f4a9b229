"""User administration pages: admins of their own clinic only, the CLI's rules."""

from __future__ import annotations

import pytest
from tests.web.clinic import Clinic, csrf_of
from tests.web.test_pages_account import log_in, post_form

from spinewise import services


def test_an_admin_lists_only_their_clinics_users(clinic: Clinic) -> None:
    page = clinic.as_page("admin_a").get("/users")
    assert page.status_code == 200
    assert "physician-a" in page.text and "therapist-a" in page.text
    assert "-b<" not in page.text and "physician-b" not in page.text


@pytest.mark.parametrize("name", ["therapist_a", "physician_a"])
def test_non_admins_are_refused_user_administration(clinic: Clinic, name: str) -> None:
    client = clinic.as_page(name)
    target = clinic.actor("therapist_a").user_id
    assert client.get("/users").status_code == 403
    assert client.get(f"/users/{target}").status_code == 403
    token = csrf_of(client.get("/account").text)
    for action, data in (
        ("/users", {"username": "kim", "display_name": "Kim", "role": "admin"}),
        (f"/users/{target}/role", {"role": "admin"}),
        (f"/users/{target}/active", {"active": "no"}),
        (f"/users/{target}/password", {}),
    ):
        response = client.post(action, data={**data, "csrf_token": token})
        assert response.status_code == 403, action


def test_another_clinics_user_is_not_found(clinic: Clinic) -> None:
    client = clinic.as_page("admin_a")
    theirs = clinic.actor("therapist_b").user_id
    assert client.get(f"/users/{theirs}").status_code == 404
    token = csrf_of(client.get("/users").text)
    for action in ("role", "active", "password", "two-factor"):
        data = {"role": "admin", "active": "no", "csrf_token": token}
        assert client.post(f"/users/{theirs}/{action}", data=data).status_code == 404


def test_an_admin_adds_a_user_who_signs_in_with_the_temporary_password(
    clinic: Clinic,
) -> None:
    client = clinic.as_page("admin_a")
    added = post_form(
        client,
        "/users",
        "/users",
        username="kim",
        display_name="Kim Lee",
        role="therapist",
    )
    assert added.status_code == 200 and "shown once" in added.text
    password = added.text.split('<code class="secret">', 1)[1].split("<", 1)[0]
    newcomer = clinic.anonymous()
    assert log_in(newcomer, "kim", password).status_code == 303
    moved = newcomer.get("/patients", follow_redirects=False)
    assert moved.headers["location"] == "/account/password"
    duplicate = post_form(
        client, "/users", "/users", username="kim", display_name="Kim", role="admin"
    )
    assert duplicate.status_code == 409 and "already taken" in duplicate.text
    bad = post_form(
        client, "/users", "/users", username="Bad Name", display_name="", role="x"
    )
    assert bad.status_code == 422


def test_an_admin_changes_roles_deactivates_and_resets_passwords(
    clinic: Clinic,
) -> None:
    client = clinic.as_page("admin_a")
    target = clinic.actor("therapist_a").user_id
    changed = post_form(client, "/users", f"/users/{target}/role", role="physician")
    assert changed.headers["location"] == f"/users/{target}?done=role"
    assert "The role is changed." in client.get(changed.headers["location"]).text
    off = post_form(client, "/users", f"/users/{target}/active", active="no")
    assert off.status_code == 303
    assert log_in(clinic.anonymous(), "therapist-a").status_code == 401
    post_form(client, "/users", f"/users/{target}/active", active="yes")
    reset = post_form(client, "/users", f"/users/{target}/password")
    assert reset.status_code == 200
    temporary = reset.text.split('<code class="secret">', 1)[1].split("<", 1)[0]
    assert services.password_problem(temporary, "therapist-a") is None
    assert log_in(clinic.anonymous(), "therapist-a", temporary).status_code == 303


def test_the_last_admin_is_protected_on_the_pages_too(clinic: Clinic) -> None:
    client = clinic.as_page("admin_a")
    me = clinic.actor("admin_a").user_id
    demoted = post_form(client, "/users", f"/users/{me}/role", role="therapist")
    assert demoted.status_code == 409
    assert "last active administrator" in demoted.text
    off = post_form(client, "/users", f"/users/{me}/active", active="no")
    assert off.status_code == 409
    assert client.get("/users").status_code == 200


def test_an_admin_reset_ends_every_session_of_the_user(clinic: Clinic) -> None:
    therapist = clinic.as_page("therapist_a")
    assert therapist.get("/patients", follow_redirects=False).status_code == 200
    admin = clinic.as_page("admin_a")
    target = clinic.actor("therapist_a").user_id
    assert post_form(admin, "/users", f"/users/{target}/password").status_code == 200
    assert therapist.get("/patients", follow_redirects=False).status_code == 303
    assert admin.get("/users", follow_redirects=False).status_code == 200


def test_an_admin_signs_a_user_out_everywhere(clinic: Clinic) -> None:
    therapist = clinic.as_page("therapist_a")
    other_device = clinic.as_page("therapist_a")
    admin = clinic.as_page("admin_a")
    target = clinic.actor("therapist_a").user_id
    page = admin.get(f"/users/{target}").text
    assert f"/users/{target}/sign-out" in page
    done = post_form(admin, f"/users/{target}", f"/users/{target}/sign-out")
    assert done.headers["location"] == f"/users/{target}?done=signed-out"
    for client in (therapist, other_device):
        assert client.get("/patients", follow_redirects=False).status_code == 303
    assert admin.get("/users", follow_redirects=False).status_code == 200
    assert log_in(clinic.anonymous(), "therapist-a").status_code == 303


def test_only_admins_sign_others_out_and_only_in_their_clinic(clinic: Clinic) -> None:
    physician = clinic.as_page("physician_a")
    target = clinic.actor("therapist_a").user_id
    refused = post_form(physician, "/patients", f"/users/{target}/sign-out")
    assert refused.status_code == 403
    admin_b = clinic.as_page("admin_b")
    foreign = post_form(admin_b, "/users", f"/users/{target}/sign-out")
    assert foreign.status_code == 404
