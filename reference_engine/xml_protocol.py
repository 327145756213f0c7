"""The Ratabase-like XML protocol of the reference engine (same rating as JSON).

Request::

    <RatingRequest>
      <QuoteId>Q-1</QuoteId><Product>IMCE</Product><State>NY</State>
      <EffectiveDate>2026-12-01</EffectiveDate><Deductible>1000</Deductible>
      <Exposures>
        <Exposure id="EQ-1"><ClassCode>EXC</ClassCode><Value>250000</Value>
          <YearBuilt>2019</YearBuilt></Exposure>
      </Exposures>
      <Factors><Factor name="bldgAge">1.1</Factor><classFactor>1.05</classFactor></Factors>
    </RatingRequest>

The request is read as it streams in (``xml_reader``); the answer is written as it is
produced, a few thousand lines per chunk, byte for byte what lxml's serializer wrote
for the same answer as a tree (numbers as ``str(float(...))``).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterable, Iterator
from decimal import Decimal

from lxml import etree

from reference_engine.float_texts import premium_texts, value_texts
from reference_engine.rating import Rating
from reference_engine.request import Request
from reference_engine.xml_reader import MAX_XML_BYTES, XmlRequestReader

__all__ = ["MAX_XML_BYTES", "read_xml_request", "xml_answer", "xml_error"]

LINES_PER_CHUNK = 8192
_DECLARATION = "<?xml version='1.0' encoding='UTF-8'?>\n"
_ESCAPED_IN_ATTRIBUTES = re.compile('[&<>"\t\n\r]')
_FIRST_LINE = '<Line id="'
_NEXT_LINE = '</Premium></Line><Line id="'


async def read_xml_request(body: AsyncIterable[bytes], max_bytes: int = MAX_XML_BYTES) -> Request:
    """The request ``body`` holds, read chunk by chunk as it arrives.

    Raises:
        RatingRequestError: as soon as the body is too large, malformed, has a
            DOCTYPE or the wrong root; at its end if the request is not valid.
    """
    reader = XmlRequestReader(max_bytes)
    async for chunk in body:
        reader.feed(chunk)
    return reader.close()


def _text(value: str) -> str:
    """``value`` escaped as libxml2 escapes element text."""
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _attribute(value: str) -> str:
    """``value`` escaped as libxml2 escapes a double-quoted attribute value."""
    return _text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def _attributes(values: list[str]) -> list[str]:
    """Each of ``values`` escaped as an attribute: a few C passes over them all at once."""
    joined = "\x00".join(values)  # NUL: no XML text holds one
    if _ESCAPED_IN_ATTRIBUTES.search(joined) is None:
        return values
    if joined.count("\x00") != len(values) - 1:
        return list(map(_attribute, values))
    return _attribute(joined).split("\x00")


def _number(value: Decimal) -> str:
    return str(float(value))


def xml_answer(rating: Rating) -> Iterator[bytes]:
    """The XML form of ``rating``, in chunks as they are produced."""
    minimum_applied = "true" if rating.total > rating.base else "false"
    yield (
        f"{_DECLARATION}<RatingResponse><QuoteId>{_text(rating.quote_id)}</QuoteId>"
        f"<Product>{_text(rating.product)}</Product><Currency>USD</Currency>"
        f"<Premium><Base>{_number(rating.base)}</Base><Total>{_number(rating.total)}</Total>"
        f"<MinimumApplied>{minimum_applied}</MinimumApplied></Premium><Lines>"
    ).encode()
    # A line is six texts: its start (closing the line before), its id, the text up to
    # its value (its class decides it), its value, up to its premium, its premium.
    before_value = {code: f'"><ClassCode>{_text(code)}</ClassCode><Value>' for code in rating.rates}
    before_premium = {
        code: f"</Value><Rate>{_number(rate)}</Rate><Premium>"
        for code, rate in rating.rates.items()
    }
    texts = rating.texts
    for start in range(0, len(rating.ids), LINES_PER_CHUNK):
        end = start + LINES_PER_CHUNK
        classes = rating.classes[start:end]
        parts = [_NEXT_LINE] * (6 * len(classes))
        if not start:
            parts[0] = _FIRST_LINE
        parts[1::6] = _attributes(rating.ids[start:end])
        parts[2::6] = map(before_value.__getitem__, classes)
        # float() of a value's text is float() of its Decimal.
        parts[3::6] = (
            value_texts(texts[start:end])
            if texts is not None
            else map(str, map(float, rating.values[start:end]))
        )
        parts[4::6] = map(before_premium.__getitem__, classes)
        parts[5::6] = premium_texts(rating.premiums[start:end])
        yield "".join(parts).encode()
    factors = "".join(
        f'<Factor name="{_attribute(name)}">{_number(value)}</Factor>'
        for name, value in rating.factors.items()
    )
    yield (
        f"</Premium></Line></Lines><Factors>{factors}</Factors>"
        '<Engine name="irx-reference" version="1"/></RatingResponse>'
    ).encode()


def xml_error(code: str, message: str) -> bytes:
    root = etree.Element("Error")
    etree.SubElement(root, "Code").text = code
    etree.SubElement(root, "Message").text = message
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
