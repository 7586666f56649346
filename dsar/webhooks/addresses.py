"""Which receiver URLs a webhook may be registered with, and may be delivered to.

The rule, chosen so a webhook cannot be turned against our own network (SSRF):

- ``https://`` only, with a host name or a public IP address, no user name or password;
- no private, loopback, link-local, reserved or multicast address: checked on the URL
  when it is registered, and on every address its host resolves to when it is delivered
  (in the worker, so a request never waits on DNS), refusing redirects;
- for a local receiver in development and tests only, with ``WEBHOOK_ALLOW_LOCAL_URLS``
  (default: DEBUG; refused in production): ``http://`` or ``https://`` to ``localhost``,
  ``127.0.0.1`` or ``[::1]``.

IPv4 inside IPv6 (``::a.b.c.d``, ``::ffff:a.b.c.d``, ``64:ff9b::/96``, ``2002::/16``,
Teredo) is judged by the IPv4 address it carries. The delivery connects to the very
address that was checked (TLS still verifies the host name), so a DNS answer that changes
between check and connection (DNS rebinding) cannot redirect it.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


class AddressRefused(ValueError):
    """The URL or the address it resolves to is not allowed; the message says why."""


def _local_allowed() -> bool:
    return bool(getattr(settings, "WEBHOOK_ALLOW_LOCAL_URLS", False))


IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
NAT64 = ipaddress.ip_network("64:ff9b::/96")  # well-known NAT64 prefix: IPv4 in the low 32 bits
NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")  # local-use NAT64: never a public receiver
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")  # deprecated ::a.b.c.d


def embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries, where a router would reach it: mapped
    (::ffff:a.b.c.d), compatible (::a.b.c.d), NAT64 (64:ff9b::/96), 6to4 (2002::/16) and
    Teredo's client. ``[::127.0.0.1]`` is loopback, whatever ipaddress says of ::/96."""
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address in IPV4_COMPATIBLE or address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.sixtofour:
        return address.sixtofour
    if address.teredo:
        return address.teredo[1]
    return None


def _is_public(address: IPAddress) -> bool:
    if address in NAT64_LOCAL:
        return False
    inner = embedded_ipv4(address)
    if inner is not None:
        return _is_public(inner)
    return address.is_global and not address.is_multicast


def _is_loopback(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return address.is_loopback


def check_url(url: str) -> None:
    """Raise AddressRefused unless ``url`` may be registered (no DNS lookup here)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not host:
        raise AddressRefused("Give a full URL, such as https://crm.example.com/dsar-hook.")
    if parts.username or parts.password:
        raise AddressRefused("Put no user name or password in the URL: we sign every request.")
    local = host in LOCAL_HOSTS or host.endswith(".localhost")
    if local and _local_allowed():
        if parts.scheme not in {"http", "https"}:
            raise AddressRefused("Use an http:// or https:// URL.")
        return
    if parts.scheme != "https":
        raise AddressRefused("Webhook URLs must use https://.")
    if local:
        raise AddressRefused("Webhook URLs must be reachable on the internet, not localhost.")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return  # a host name: its addresses are checked when delivering
    if not _is_public(address):
        raise AddressRefused("Webhook URLs must not point to a private or reserved address.")


def check_resolved(url: str) -> str:
    """Before connecting: every address the host resolves to must be allowed. Returns the
    address to connect to, so the connection goes to exactly the address checked (no
    second lookup that could answer differently)."""
    check_url(url)
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except OSError as exc:
        raise AddressRefused(f"The host name could not be resolved ({exc.strerror}).") from None
    local_ok = _local_allowed() and (host.lower() in LOCAL_HOSTS or host.endswith(".localhost"))
    if not infos:
        raise AddressRefused("The host name has no address.")
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if _is_public(address) or (local_ok and _is_loopback(address)):
            continue
        raise AddressRefused("The host resolves to a private or reserved address.")
    return infos[0][4][0].split("%")[0]
