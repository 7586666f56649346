"""Attack: SSRF through IPv4 hidden in IPv6, and DNS rebinding between check and connect."""

from __future__ import annotations

import socket

import pytest

from dsar.webhooks import services
from dsar.webhooks.addresses import AddressRefused, check_resolved, check_url


@pytest.mark.parametrize(
    "host",
    [
        "[::127.0.0.1]",  # IPv4-compatible loopback
        "[::ffff:127.0.0.1]",  # IPv4-mapped
        "[64:ff9b::7f00:1]",  # NAT64 of 127.0.0.1
        "[64:ff9b::a00:1]",  # NAT64 of 10.0.0.1
        "[2002:7f00:1::]",  # 6to4 of 127.0.0.1
        "[2002:a9fe:a9fe::]",  # 6to4 of 169.254.169.254 (cloud metadata)
        "[64:ff9b:1::1]",  # local-use NAT64
    ],
)
def test_ipv4_inside_ipv6_is_judged_by_the_ipv4_address(settings, host):
    settings.WEBHOOK_ALLOW_LOCAL_URLS = False
    with pytest.raises(AddressRefused):
        check_url(f"https://{host}/hook")


def test_a_public_ipv4_behind_nat64_is_still_allowed(settings):
    settings.WEBHOOK_ALLOW_LOCAL_URLS = False
    check_url("https://[64:ff9b::808:808]/hook")  # 8.8.8.8


def test_a_name_resolving_to_wrapped_loopback_is_refused_at_delivery(settings, monkeypatch):
    settings.WEBHOOK_ALLOW_LOCAL_URLS = False
    answer = [(socket.AF_INET6, 1, 6, "", ("::127.0.0.1", 443, 0, 0))]
    monkeypatch.setattr("socket.getaddrinfo", lambda *a, **k: answer)
    with pytest.raises(AddressRefused):
        check_resolved("https://innocent.example.com/hook")


def test_delivery_connects_to_the_exact_address_it_checked(settings, monkeypatch):
    """A second lookup (rebinding to 127.0.0.1) is never made: the checked address is used."""
    settings.WEBHOOK_ALLOW_LOCAL_URLS = False
    lookups = iter(
        [
            [(socket.AF_INET, 1, 6, "", ("93.184.215.14", 443))],
            [(socket.AF_INET, 1, 6, "", ("127.0.0.1", 443))],
        ]
    )
    monkeypatch.setattr("socket.getaddrinfo", lambda *a, **k: next(lookups))
    connected_to = []

    def fake_connect(address, *args, **kwargs):
        connected_to.append(address)
        raise OSError("no network in tests")

    monkeypatch.setattr(socket, "create_connection", fake_connect)
    status, error = services._post("https://rebind.example.com/hook", b"{}", {})
    assert status is None and "OSError" in error
    assert connected_to == [("93.184.215.14", 443)]
