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
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from reference_engine.rating import RatingRequestError

# As much as the platform's XML steps read (100 MiB) and more: a 50 MB IMCE schedule,
# the largest product payload, maps to about 79 MB of XML.
MAX_XML_BYTES = 128 * 1024 * 1024

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
)


def parse_xml_request(body: bytes) -> dict[str, Any]:
    """The JSON-protocol request the XML one stands for."""
    if len(body) > MAX_XML_BYTES:
        raise RatingRequestError(f"The XML request exceeds {MAX_XML_BYTES} bytes.")
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise RatingRequestError(f"Malformed XML: {exc}.") from exc
    doctype = getattr(root.getroottree().docinfo, "doctype", "")
    if doctype:
        raise RatingRequestError("XML with a DOCTYPE is refused (entities are not allowed).")
    if root.tag != "RatingRequest":
        raise RatingRequestError(f"Expected <RatingRequest>, got <{root.tag}>.")

    def text(parent: Any, tag: str) -> str | None:
        value = parent.findtext(tag)
        return value.strip() if value is not None else None

    exposures = [
        {
            "id": e.get("id"),
            "classCode": text(e, "ClassCode"),
            "value": text(e, "Value"),
            "yearBuilt": text(e, "YearBuilt"),
        }
        for e in root.iterfind("Exposures/Exposure")
    ]
    request: dict[str, Any] = {
        "quoteId": text(root, "QuoteId"),
        "product": text(root, "Product"),
        "state": text(root, "State"),
        "effectiveDate": text(root, "EffectiveDate"),
        "exposures": exposures,
        # <Factor name="x">1.1</Factor>, or simply <x>1.1</x>, under <Factors>.
        "factors": {
            (f.get("name") if f.tag == "Factor" else f.tag): (f.text or "").strip()
            for f in root.iterfind("Factors/*")
        },
    }
    deductible = text(root, "Deductible")
    if deductible:
        request["deductible"] = deductible
    return request


def _sub(parent: Any, tag: str, value: Any) -> Any:
    element = etree.SubElement(parent, tag)
    element.text = str(value)
    return element


def xml_answer(result: dict[str, Any]) -> bytes:
    """The XML form of a JSON-protocol rating answer."""
    root = etree.Element("RatingResponse")
    _sub(root, "QuoteId", result["quoteId"])
    _sub(root, "Product", result["product"])
    _sub(root, "Currency", result["currency"])
    premium = etree.SubElement(root, "Premium")
    _sub(premium, "Base", result["premium"]["base"])
    _sub(premium, "Total", result["premium"]["total"])
    _sub(premium, "MinimumApplied", str(result["premium"]["minimumApplied"]).lower())
    lines = etree.SubElement(root, "Lines")
    for line in result["lines"]:
        element = etree.SubElement(lines, "Line", id=line["id"])
        for tag, key in (
            ("ClassCode", "classCode"),
            ("Value", "value"),
            ("Rate", "rate"),
            ("Premium", "premium"),
        ):
            _sub(element, tag, line[key])
    factors = etree.SubElement(root, "Factors")
    for name, value in result["factors"].items():
        etree.SubElement(factors, "Factor", name=name).text = str(value)
    etree.SubElement(
        root, "Engine", name=result["engine"]["name"], version=result["engine"]["version"]
    )
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def xml_error(code: str, message: str) -> bytes:
    root = etree.Element("Error")
    _sub(root, "Code", code)
    _sub(root, "Message", message)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
