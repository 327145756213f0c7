"""Every outbound HTTP call of the steps goes through the egress policy.

The system URL was checked when it was saved, but a host name can later resolve to a
refused address (a DNS record pointed at the metadata service). The workers' shared
HTTP client therefore resolves each request's host and checks every address it
resolves to before connecting. Resolutions are kept briefly so a hot engine costs
one lookup per ``ttl_s``.

Answers are bounded as they arrive: a tenant's system answering gigabytes must not
take a shared worker's memory with it, so a body is refused once more than
``max_response_bytes`` have come in (or at once, when its Content-Length says so).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import AsyncIterator

import httpx

from engines.cache import TTLCache
from engines.url_policy import UrlPolicy
from models.errors import ErrorCode, PlatformError

# Past what any rating engine answers for the largest request (a 50 MB schedule's
# answer is about 40 MB of XML); workers take IRX_EGRESS__MAX_RESPONSE_BYTES.
MAX_RESPONSE_BYTES = 128 * 1024 * 1024


class ResponseTooLarge(Exception):
    """A system's answer was refused past the egress limit, before it was read whole."""

    def __init__(self, host: str, limit: int) -> None:
        super().__init__(f"{host} answered more than {limit} bytes")
        self.host = host
        self.limit = limit


class GuardedTransport(httpx.AsyncBaseTransport):
    """An httpx transport that refuses hosts and resolved addresses the policy refuses,
    and answers longer than ``max_response_bytes``."""

    def __init__(
        self,
        policy: UrlPolicy,
        inner: httpx.AsyncBaseTransport,
        ttl_s: float = 30.0,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
    ) -> None:
        self.policy = policy
        self.inner = inner
        self.max_response_bytes = max_response_bytes
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
        response = await self.inner.handle_async_request(request)
        limit = self.max_response_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await response.aclose()
            raise ResponseTooLarge(host, limit)
        assert isinstance(response.stream, httpx.AsyncByteStream)
        response.stream = _Bounded(response.stream, host, limit)
        return response

    async def _refusal(self, host: str) -> str | None:
        refusal = self.policy.refusal(host)
        if refusal is not None or _is_address(host) or self.policy.trusts(host):
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


class _Bounded(httpx.AsyncByteStream):
    """A response body that stops with :class:`ResponseTooLarge` past ``limit`` bytes."""

    def __init__(self, inner: httpx.AsyncByteStream, host: str, limit: int) -> None:
        self.inner, self.host, self.limit = inner, host, limit

    async def __aiter__(self) -> AsyncIterator[bytes]:
        seen = 0
        async for chunk in self.inner:
            seen += len(chunk)
            if seen > self.limit:
                raise ResponseTooLarge(self.host, self.limit)
            yield chunk

    async def aclose(self) -> None:
        await self.inner.aclose()


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True
