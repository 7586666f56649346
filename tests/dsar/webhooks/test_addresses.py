"""Which receiver URLs are accepted: HTTPS on public addresses; localhost only when allowed."""

from __future__ import annotations

import pytest

from dsar.webhooks.addresses import AddressRefused, check_resolved, check_url


@pytest.mark.parametrize(
    "url",
    ["https://crm.example.com/hooks", "https://93.184.215.14/hook", "https://[2606:4700::1]/h"],
)
def test_https_on_a_public_host_is_accepted(settings, url):
    settings.WEBHOOK_ALLOW_LOCAL_URLS = False

    check_url(url)


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://crm.example.com/hooks", "https://"),
        ("https://10.1.2.3/hook", "private"),
        ("https://192.168.0.10/hook", "private"),
        ("https://169.254.169.254/latest/meta-data", "private"),
        ("https://[::1]/hook", "localhost"),
        ("https://127.0.0.1/hook", "localhost"),
        ("http://localhost:8000/hook", "https://"),
        ("https://user:pw@crm.example.com/", "password"),
        ("https:///nohost", "full URL"),
    ],
)
def test_private_local_plain_http_and_credentials_are_refused(settings, url, why):
    settings.WEBHOOK_ALLOW_LOCAL_URLS = False

    with pytest.raises(AddressRefused, match=why):
        check_url(url)


def test_a_local_receiver_is_allowed_only_when_the_setting_says_so(settings):
    settings.WEBHOOK_ALLOW_LOCAL_URLS = True
    check_url("http://127.0.0.1:9000/hook")
    check_url("http://localhost:9000/hook")
    with pytest.raises(AddressRefused):
        check_url("http://10.0.0.1/hook")  # private is still refused


def test_at_delivery_a_host_resolving_to_a_private_address_is_refused(settings, monkeypatch):
    settings.WEBHOOK_ALLOW_LOCAL_URLS = False
    monkeypatch.setattr("socket.getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("10.0.0.7", 443))])

    with pytest.raises(AddressRefused, match="private"):
        check_resolved("https://innocent.example.com/hook")
