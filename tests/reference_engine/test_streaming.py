"""The XML protocol reads its body as it arrives and refuses a bad one without reading on."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
from lxml import etree

from reference_engine.app import create_app
from reference_engine.settings import EngineSettings
from reference_engine.xml_reader import MAX_XML_BYTES
from tests.reference_engine.golden_requests import large_xml_request

CHUNK = 8192
EXPOSURE = b'<Exposure id="EQ-1"><ClassCode>EXC</ClassCode><Value>1000</Value></Exposure>'


class Body:
    """A request body that streams ``head``, then ``filler`` forever (up to ``cap`` bytes),
    counting what the engine pulled."""

    def __init__(self, head: bytes, filler: bytes = EXPOSURE * 100, cap: int = 50_000_000):
        self.head, self.filler, self.cap = head, filler, cap
        self.sent = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        self.sent += len(self.head)
        yield self.head
        while self.sent < self.cap:
            self.sent += len(self.filler)
            yield self.filler


async def post(body: Body | bytes, max_xml_bytes: int = MAX_XML_BYTES) -> tuple[int, str]:
    app = create_app(EngineSettings(max_xml_bytes=max_xml_bytes))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://engine") as http:
        answer = await http.post("/ratabase/rate", content=body)
    if answer.status_code != 200:
        return answer.status_code, etree.fromstring(answer.content).findtext("Message") or ""
    return answer.status_code, ""


HEAD = b"<RatingRequest><QuoteId>Q</QuoteId><Product>IMCE</Product><Exposures>"


async def test_a_body_past_the_limit_is_refused_as_it_arrives() -> None:
    body = Body(HEAD)
    status, message = await post(body, max_xml_bytes=200_000)
    assert (status, message) == (400, "The XML request exceeds 200000 bytes.")
    assert 200_000 < body.sent <= 200_000 + len(body.filler)


async def test_a_body_within_the_limit_is_read() -> None:
    body = large_xml_request(1_000)
    assert (await post(body, max_xml_bytes=len(body)))[0] == 200
    assert (await post(body, max_xml_bytes=len(body) - 1))[0] == 400
    assert EngineSettings().max_xml_bytes == MAX_XML_BYTES == 128 * 1024 * 1024


async def test_a_doctype_is_refused_before_the_rest_is_read() -> None:
    body = Body(b'<?xml version="1.0"?>\n<!DOCTYPE RatingRequest [<!ENTITY a "x">]>\n' + HEAD)
    status, message = await post(body)
    assert (status, message) == (400, "XML with a DOCTYPE is refused (entities are not allowed).")
    assert body.sent < 1_000_000


async def test_a_wrong_root_is_refused_before_the_rest_is_read() -> None:
    body = Body(b"<Quote><Exposures>")
    assert await post(body) == (400, "Expected <RatingRequest>, got <Quote>.")
    assert body.sent < 1_000_000


async def test_malformed_xml_is_refused_where_it_breaks() -> None:
    body = Body(HEAD + EXPOSURE + b"<Exposure id='x'></Value></Exposures>")
    status, message = await post(body)
    assert status == 400
    assert message.startswith("Malformed XML: Opening and ending tag mismatch: Exposure")
    assert body.sent < 1_000_000


async def test_truncated_and_empty_bodies_are_malformed() -> None:
    whole = large_xml_request(100)
    for cut in (len(whole) // 2, len(whole) - 3, 10):
        status, message = await post(whole[:cut])
        assert status == 400
        assert message.startswith("Malformed XML: ")
    assert await post(b"") == (
        400,
        "Malformed XML: Document is empty, line 1, column 1 (<string>, line 1).",
    )
    status, message = await post(b"<RatingRequest><oops>")
    assert (status, message) == (
        400,
        "Malformed XML: Premature end of data in tag oops line 1, line 1, column 22 "
        "(<string>, line 1).",
    )


async def test_entities_and_external_resources_stay_unresolved() -> None:
    for doctype in (
        b'<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        b'<!DOCTYPE r SYSTEM "http://127.0.0.1:9/evil.dtd">',
        b"<!DOCTYPE RatingRequest>",
    ):
        status, message = await post(doctype + b"<RatingRequest><QuoteId>&xxe;</QuoteId>")
        assert (status, message) == (
            400,
            "XML with a DOCTYPE is refused (entities are not allowed).",
        )
