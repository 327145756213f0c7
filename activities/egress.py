"""Every outbound HTTP call of the steps goes through the egress policy.

The system URL was checked when it was saved, but a host name can later resolve to a
refused address (a DNS record pointed at the metadata service). The workers' shared
HTTP client therefore resolves each request's host and checks every address it
resolves to before connecting. Resolutions are kept briefly so a hot engine costs
one lookup per ``ttl_s``.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket

import httpx

from engines.cache import TTLCache
from engines.url_policy import UrlPolicy
from models.errors import ErrorCode, PlatformError


class GuardedTransport(httpx.AsyncBaseTransport):
    """An httpx transport that refuses hosts and resolved addresses the policy refuses."""

    def __init__(
        self, policy: UrlPolicy, inner: httpx.AsyncBaseTransport, ttl_s: float = 30.0
    ) -> None:
        self.policy = policy
        self.inner = inner
        self._checked: TTLCache[str | None] = TTLCache(ttl_s, max_entries=1000)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        refusal = await self._checked.get(host, lambda: self._refusal(host))
        if refusal is not None:
            raise PlatformError(
                ErrorCode.VALIDATION_FAILED,
                f"The platform's egress policy refuses this call: {refusal}.",
                details={"host": host},
            )
        return await self.inner.handle_async_request(request)

    async def _refusal(self, host: str) -> str | None:
        refusal = self.policy.refusal(host)
        if refusal is not None or _is_address(host):
            return refusal
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, None)
        except socket.gaierror:
            return None  # unresolvable: the connection itself fails, as unavailable
        for info in infos:
            address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
            if (reason := self.policy.address_refusal(address)) is not None:
                return f"{host} resolves to {reason}"
        return None

    async def aclose(self) -> None:
        await self.inner.aclose()


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True
