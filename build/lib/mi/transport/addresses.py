"""Which hosts a live channel may reach: not the bank's own network unless it says so.

A configured URL, or any address a server redirects to, could point at a private,
loopback or link-local address (``http://169.254.169.254/`` is a cloud's metadata
service; ``http://10.0.0.5/admin`` an internal console). Such a host is refused unless it
is named in the private-hosts allowlist (``MI_HTTP_PRIVATE_HOSTS`` in ``mi.settings``): a
bank's intranet is a legitimate source, a redirect into it is not.

Two checks, one rule: before each request (and each redirect hop) the host name is
resolved and refused if *any* of its addresses is not a public one; and every new
connection checks the address it actually reached (``mi.transport.connections``), so a
name that resolves differently the second time ("DNS rebinding") gains nothing.
"""
from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressRefused(Exception):
    """A host this transport may not talk to; its message says which and why."""


def is_public(address: Address) -> bool:
    """Whether an address is an ordinary one on the internet (not private, loopback, ...)."""
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:  # ::ffff:10.0.0.1 is 10.0.0.1
        address = mapped
    return address.is_global and not (
        address.is_private or address.is_loopback or address.is_link_local or address.is_reserved
        or address.is_multicast or address.is_unspecified)


class AddressPolicy:
    """Refuses non-public addresses except for the hosts explicitly allowed.

    ``allowed`` holds host names or IP literals as they appear in URLs
    (``intranet.bank.example``, ``10.1.2.3``), ``*.bank.example`` for a domain's hosts,
    or ``*`` for every host. Names are compared as written in the URL, never by what they
    resolve to: allowing an address does not allow every name that points at it.
    """

    def __init__(self, allowed: Iterable[str] = ()) -> None:
        names = {name.strip().lower().strip("[]") for name in allowed if name and name.strip()}
        self.allow_all = "*" in names
        self.suffixes = tuple(name[1:] for name in names if name.startswith("*."))
        self.names = frozenset(name for name in names if not name.startswith("*"))

    def allows(self, host: str) -> bool:
        host = host.lower().strip("[]").rstrip(".")
        return self.allow_all or host in self.names or host.endswith(self.suffixes)

    def check_host(self, host: str) -> None:
        """Refuse ``host`` if it is or resolves to a non-public address and is not allowed.

        A name that does not resolve here is let through: the connection then fails on its
        own (or a proxy resolves it), and the connection's own check still applies.
        """
        if self.allows(host):
            return
        for address in _addresses(host):
            self._refuse_if_private(host, address)

    def check_peer(self, host: str, peer: str) -> None:
        """Refuse a connection to ``host`` that reached the non-public address ``peer``."""
        if self.allows(host):
            return
        try:
            address = ipaddress.ip_address(peer.split("%", 1)[0])
        except ValueError:
            return  # not an IP socket (a Unix socket of a test double): nothing to judge
        self._refuse_if_private(host, address)

    @staticmethod
    def _refuse_if_private(host: str, address: Address) -> None:
        if not is_public(address):
            shown = host if host == str(address) else f"{host} ({address})"
            raise AddressRefused(
                f"refused to connect to {shown}: not a public address; a bank-internal host must be "
                "named in MI_HTTP_PRIVATE_HOSTS")


def _addresses(host: str) -> list[Address]:
    bare = host.strip("[]")
    try:
        return [ipaddress.ip_address(bare.split("%", 1)[0])]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(bare, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return []
    found: list[Address] = []
    for info in infos:
        try:
            found.append(ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]))
        except ValueError:
            continue
    return found
