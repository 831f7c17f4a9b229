"""Two real server processes (``spinewise serve``, the second with two workers) on
one PostgreSQL database: a sign-out, a token revocation and the sign-in throttle
hold across them, and ``/health`` names the database and the knowledge base.

Starting the servers dominates the time (three processes on a loaded 2-core machine),
so one test starts them once and checks each shared state in turn."""

from __future__ import annotations

import httpx
from tests import pg
from tests.pg import ON_POSTGRESQL_ONLY, PASSWORD, World
from tests.web.conftest import csrf_of
from tests.web.servers import Server, serving

from spinewise import services
from spinewise.kb import KnowledgeBase
from spinewise.store import Store

backend, database_url, pg_cluster, store, world = (
    pg.backend,
    pg.database_url,
    pg.pg_cluster,
    pg.store,
    pg.world,
)
pytestmark = ON_POSTGRESQL_ONLY


def sign_in(client: httpx.Client, username: str, password: str = PASSWORD) -> int:
    token = csrf_of(client.get("/login").text)
    data = {"username": username, "password": password, "csrf_token": token}
    return client.post("/login", data=data).status_code


def check_health_names_the_database_and_the_knowledge_base(
    servers: tuple[Server, Server], kb: KnowledgeBase
) -> None:
    for server in servers:
        health = httpx.get(f"{server.base}/api/v1/health").json()
        assert health["database"] == "postgresql" and health["schema_current"]
        assert health["kb_version"] == kb.version


def check_a_token_revoked_by_one_server_is_refused_by_the_other(
    servers: tuple[Server, Server], store: Store, world: World
) -> None:
    issued = services.issue_api_token(store, world.therapist_a)
    headers = {"Authorization": f"Bearer {issued.token}"}
    one, two = (httpx.Client(base_url=s.base, headers=headers) for s in servers)
    with one, two:
        assert two.get("/api/v1/kb").status_code == 200
        assert one.delete(f"/api/v1/tokens/{issued.id}").status_code == 204
        for _ in range(4):  # whichever worker of the second server answers
            assert two.get("/api/v1/kb").status_code == 401


def check_a_session_signed_out_on_one_server_is_over_on_the_other(
    servers: tuple[Server, Server],
) -> None:
    one, two = (httpx.Client(base_url=s.base) for s in servers)
    with one, two:
        assert sign_in(one, "therapist-a") == 303
        two.cookies.update(one.cookies)
        assert two.get("/screen").status_code == 200
        one.post("/logout", data={"csrf_token": csrf_of(one.get("/screen").text)})
        for _ in range(4):
            assert two.get("/screen").status_code == 303


def check_sign_in_failures_count_across_servers(
    servers: tuple[Server, Server],
) -> None:
    one, two = (httpx.Client(base_url=s.base) for s in servers)
    with one, two:
        for number in range(5):
            assert sign_in(one if number % 2 else two, "physician-a", "nope") == 401
        assert sign_in(one, "physician-a") == 429
        assert sign_in(two, "physician-a") == 429
        assert sign_in(two, "therapist-a") == 303


def test_two_servers_on_one_database_share_sign_outs_revocations_and_throttles(
    database_url: str, store: Store, world: World, kb: KnowledgeBase
) -> None:
    with serving(database_url) as one, serving(database_url, "--workers", "2") as two:
        check_health_names_the_database_and_the_knowledge_base((one, two), kb)
        check_a_token_revoked_by_one_server_is_refused_by_the_other(
            (one, two), store, world
        )
        check_a_session_signed_out_on_one_server_is_over_on_the_other((one, two))
        check_sign_in_failures_count_across_servers((one, two))
