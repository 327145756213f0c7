"""The egress policy: what system URLs may name, at save and after DNS at call time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from engines.url_policy import UrlPolicy
from infra.circuit_breaker import LocalBreakers
from infra.egress import GuardedTransport, ResponseTooLarge
from infra.systems import call_system
from models.errors import ErrorCode, PlatformError
from models.settings import EgressSettings
from models.systems import System


def test_the_default_refuses_metadata_and_the_platforms_own_networks() -> None:
    policy = UrlPolicy.of(EgressSettings())
    for host in ("169.254.169.254", "[fe80::1]", "metadata.google.internal", "100.100.100.200"):
        assert policy.refusal(host) is not None, host
    assert policy.refusal("::ffff:169.254.169.254") is not None  # IPv4-mapped
    # Loopback and private ranges: where the platform's own database, Redis and Temporal
    # listen (a system at 127.0.0.1:5432 was accepted before).
    for host in ("127.0.0.1", "[::1]", "10.1.2.3", "172.20.0.5", "192.168.1.9", "[fd12::1]"):
        assert policy.refusal(host) is not None, host
    assert policy.refusal("engine.example.com") is None


def test_an_operators_trusted_hosts_pass_but_never_metadata() -> None:
    policy = UrlPolicy.of(
        EgressSettings(trusted_hosts=["127.0.0.1", "rating-engine", "metadata.google.internal"])
    )
    assert policy.refusal("127.0.0.1") is None
    assert policy.refusal("rating-engine") is None
    assert policy.refusal("127.0.0.2") is not None
    assert policy.refusal("metadata.google.internal") == (
        "metadata.google.internal is a cloud metadata host"
    )


def test_operators_add_networks_or_allow_only_some_hosts() -> None:
    policy = UrlPolicy.of(
        EgressSettings(deny_networks=["10.0.0.0/8"], allow_hosts=[".acme.com", "10.9.9.9"])
    )
    assert policy.refusal("rating.acme.com") is None
    assert policy.refusal("evil.com") == "evil.com is not among the hosts systems may call"
    assert policy.refusal("10.9.9.9") == "10.9.9.9 is in the refused network 10.0.0.0/8"
    with pytest.raises(ValueError, match="not-a-network"):
        EgressSettings(deny_networks=["not-a-network"])


async def test_a_name_that_resolves_to_a_refused_address_is_not_called(
    serve: Callable[[Starlette], Any],
) -> None:
    """``localhost`` passes the check at save (a name), and is refused once resolved."""
    app = Starlette(routes=[Route("/", lambda request: PlainTextResponse("ok"))])
    url = await serve(app)
    port = httpx.URL(url).port
    loopback = UrlPolicy.of(EgressSettings(deny_networks=["127.0.0.0/8", "::1/128"]))
    assert loopback.refusal("localhost") is None
    guarded = GuardedTransport(loopback, httpx.AsyncHTTPTransport())
    async with httpx.AsyncClient(transport=guarded) as http:
        for target in (f"http://localhost:{port}/", url):
            with pytest.raises(PlatformError) as caught:
                await http.get(target)
            assert caught.value.code == ErrorCode.VALIDATION_FAILED
            assert "egress policy refuses" in caught.value.message
    # A host the operator trusts is called, though it resolves to loopback.
    trusted = UrlPolicy.of(EgressSettings(trusted_hosts=["localhost"]))
    async with httpx.AsyncClient(
        transport=GuardedTransport(trusted, httpx.AsyncHTTPTransport())
    ) as http:
        assert (await http.get(f"http://localhost:{port}/")).text == "ok"


async def endless(request: Any) -> StreamingResponse:
    """An answer as long as a worker's memory: read whole, it would take it all."""

    async def chunks() -> Any:
        for _ in range(100_000):  # 30 GB, were it read
            if await request.is_disconnected():
                return
            yield b"<x>" * 100_000

    return StreamingResponse(chunks(), media_type="application/xml")


async def declared(request: Any) -> Response:
    return Response(b"x" * 2_000_000, media_type="application/xml")


async def test_an_answer_is_refused_past_the_limit_as_it_arrives(
    serve: Callable[[Starlette], Any],
) -> None:
    app = Starlette(routes=[Route("/endless", endless), Route("/declared", declared)])
    url = await serve(app)
    guarded = GuardedTransport(
        UrlPolicy.of(EgressSettings(trusted_hosts=["127.0.0.1"])),
        httpx.AsyncHTTPTransport(),
        max_response_bytes=1_000_000,
    )
    async with httpx.AsyncClient(transport=guarded) as http:
        for path in ("/endless", "/declared"):  # streamed without a length; or said at once
            with pytest.raises(ResponseTooLarge):
                await http.get(url + path)
        system = System(code="big", name="big", kind="rating_engine", base_url=url)
        with pytest.raises(PlatformError) as caught:
            await call_system(
                http,
                LocalBreakers(),
                "org:big",
                system,
                "GET",
                "/endless",
                unavailable=ErrorCode.RATING_ENGINE_UNAVAILABLE,
                rejected=ErrorCode.RATING_ENGINE_REJECTED,
            )
    # Not retried as if the engine were down: its answer is unusable.
    assert caught.value.code == ErrorCode.RATING_ENGINE_REJECTED
    assert caught.value.details == {"system": "big", "maxResponseBytes": 1_000_000}
