"""Which hosts a system URL may name: the platform's egress policy.

A system's URL comes from a tenant, and the workers call it from inside the
platform's network. The default refuses what no tenant may reach: cloud metadata
services (where instances keep their credentials), link-local addresses, and the
platform's own networks (loopback and private ranges, where its database, Redis and
Temporal listen). Operators name the hosts of their own they trust (an engine beside
the platform), add ranges, or restrict systems to an allow-list of hosts.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from models.settings import EgressSettings

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class UrlPolicy:
    """``deny_networks`` and ``deny_hosts`` are refused, ``trusted_hosts`` admitted
    whatever network they are in; a non-empty ``allow_hosts`` admits only those hosts
    (``.example.com`` admits any host under it)."""

    deny_networks: tuple[IpNetwork, ...]
    deny_hosts: frozenset[str]
    allow_hosts: tuple[str, ...] = ()
    trusted_hosts: frozenset[str] = frozenset()

    @classmethod
    def of(cls, settings: EgressSettings) -> UrlPolicy:
        return cls(
            tuple(ipaddress.ip_network(n, strict=False) for n in settings.deny_networks),
            frozenset(h.lower().rstrip(".") for h in settings.deny_hosts),
            tuple(h.lower().rstrip(".") for h in settings.allow_hosts),
            frozenset(h.strip("[]").lower().rstrip(".") for h in settings.trusted_hosts),
        )

    def trusts(self, host: str) -> bool:
        """Whether the operator named ``host`` as its own: no address check applies."""
        host = host.strip("[]").lower().rstrip(".")
        return host in self.trusted_hosts and host not in self.deny_hosts

    def refusal(self, host: str) -> str | None:
        """Why a URL naming ``host`` (a name or a literal address) is refused, or None."""
        host = host.strip("[]").lower().rstrip(".")
        if host in self.deny_hosts:
            return f"{host} is a cloud metadata host"
        if self.trusts(host):
            return None
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            address = None
        if address is not None and (reason := self.address_refusal(address)):
            return reason
        if self.allow_hosts and not any(_matches(host, allowed) for allowed in self.allow_hosts):
            return f"{host} is not among the hosts systems may call"
        return None

    def address_refusal(self, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
        """Why a resolved address is refused, or None."""
        mapped = getattr(address, "ipv4_mapped", None) or address
        for network in self.deny_networks:
            if mapped.version == network.version and mapped in network:
                return f"{address} is in the refused network {network}"
        return None


def _matches(host: str, allowed: str) -> bool:
    return host.endswith(allowed) if allowed.startswith(".") else host == allowed
