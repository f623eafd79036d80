"""Where webhooks may go: https addresses on the public internet, never the platform's own network.

A partner chooses the URL, so without this check a webhook would let anyone make the platform send
requests to its database, its cloud metadata service or the town hall's intranet. Every address a host
name resolves to must be public, when the endpoint is registered and again before each attempt (a name
can be pointed elsewhere later); the attempt then connects to the very address that was checked, so a
second lookup cannot swap it. ``WEBHOOKS_ALLOW_PRIVATE_TARGETS`` lifts the check (and allows plain
http) for tests and local development."""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
NAT64_PREFIX = ipaddress.IPv6Network("64:ff9b::/96")


class TargetRefusedError(Exception):
    """The URL or an address it leads to is not one webhooks may go to; the message says why."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # with the query, as sent in the request line
    addresses: tuple[str, ...]  # checked, in the resolver's order


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one stands for (mapped, 6to4, Teredo, NAT64), which is what gets reached."""
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address.sixtofour:
        return address.sixtofour
    if address.teredo:
        return address.teredo[1]
    if address in NAT64_PREFIX:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def refusal(address: IPAddress) -> str | None:
    """Why webhooks may not go to ``address`` (the kind of address it is), or None for a public one."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:  # what is reached is the IPv4 address inside
            return refusal(embedded)
    checks = (
        (address.is_loopback, _("a loopback address")),
        (address.is_link_local, _("a link-local address")),
        (address.is_multicast, _("a multicast address")),
        (address.is_unspecified, _("an unspecified address")),
        (address.is_private, _("a private address")),
        (address.is_reserved, _("a reserved address")),
        (not address.is_global, _("not a public internet address")),
    )
    return next((reason for matches, reason in checks if matches), None)


def _split(url: str) -> tuple[SplitResult, int]:
    parts = urlsplit(url.strip())
    allowed_schemes = ("https", "http") if settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS else ("https",)
    if parts.scheme not in allowed_schemes:
        raise TargetRefusedError(_("Webhooks go to https addresses only."))
    if not parts.hostname:
        raise TargetRefusedError(_("The address has no host name."))
    if parts.username is not None or parts.password is not None:
        raise TargetRefusedError(_("Leave a user name and password out of the address; receivers check the signature."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise TargetRefusedError(_("The port in the address is not valid.")) from None
    return parts, port


def _resolve(host: str, port: int) -> tuple[str, ...]:
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise TargetRefusedError(_("The host name %(host)s could not be found.") % {"host": host}) from None
    addresses = tuple(dict.fromkeys(str(info[4][0]) for info in found))  # in order, once each
    if not addresses:
        raise TargetRefusedError(_("The host name %(host)s could not be found.") % {"host": host})
    return addresses


def target_resolve(url: str) -> Target:
    """Check ``url`` and every address its host resolves to; raises ``TargetRefusedError`` saying why not."""
    parts, port = _split(url)
    host = parts.hostname or ""
    addresses = _resolve(host, port)
    if not settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS:
        for address in addresses:
            reason = refusal(ipaddress.ip_address(address))
            if reason:
                raise TargetRefusedError(
                    _("%(host)s leads to %(address)s, %(reason)s; webhooks only go to the public internet.")
                    % {"host": host, "address": address, "reason": reason}
                )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(scheme=parts.scheme, host=host, port=port, path=path, addresses=addresses)
