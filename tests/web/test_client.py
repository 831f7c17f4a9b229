"""The client address: the peer's, or ``X-Forwarded-For`` behind a trusted proxy."""

from __future__ import annotations

import ipaddress

import pytest
from pydantic import ValidationError

from spinewise.config import Settings
from spinewise.web import resolve_client_address

PROXY = [ipaddress.ip_network("10.0.0.0/8")]


@pytest.mark.parametrize(
    ("peer", "forwarded", "proxies", "client"),
    [
        ("203.0.113.9", None, [], "203.0.113.9"),
        ("203.0.113.9", "1.2.3.4", [], "203.0.113.9"),  # nobody trusted: ignored
        ("203.0.113.9", "1.2.3.4", PROXY, "203.0.113.9"),  # peer not a proxy
        ("10.0.0.2", "198.51.100.7", PROXY, "198.51.100.7"),
        ("10.0.0.2", "6.6.6.6, 198.51.100.7", PROXY, "198.51.100.7"),  # spoofed left
        ("10.0.0.2", "198.51.100.7, 10.0.0.3", PROXY, "198.51.100.7"),  # two proxies
        ("10.0.0.2", "garbage, 198.51.100.7", PROXY, "198.51.100.7"),
        ("10.0.0.2", "garbage", PROXY, "10.0.0.2"),
        ("10.0.0.2", None, PROXY, "10.0.0.2"),
        (None, "1.2.3.4", PROXY, None),
    ],
)
def test_the_client_address_trusts_only_the_configured_proxies(
    peer: str | None,
    forwarded: str | None,
    proxies: list,
    client: str | None,  # type: ignore[type-arg]
) -> None:
    assert resolve_client_address(peer, forwarded, proxies) == client


def test_trusted_proxies_come_from_a_json_list_in_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SPINEWISE_TRUSTED_PROXIES", '["10.0.0.0/8", "::1"]')
    assert [str(n) for n in Settings().proxy_networks()] == ["10.0.0.0/8", "::1/128"]
    assert Settings.model_fields["trusted_proxies"].default_factory() == []  # type: ignore[misc]


def test_a_malformed_proxy_is_refused_by_name() -> None:
    with pytest.raises(ValidationError, match="trusted_proxies"):
        Settings(trusted_proxies=["not-an-address"])
