"""JSON <-> XML conversion, XSD validation and the hardened parser."""

from __future__ import annotations

from typing import Any

import pytest

from engines import budget
from engines.xml_codec import (
    MAX_ATTRIBUTES,
    MAX_DEPTH,
    compile_schema,
    conforms,
    json_to_xml,
    parse_xml,
    validate,
    xml_to_json,
)
from models.errors import ErrorCode, PlatformError
from models.json_shape import too_deep

DOC: dict[str, Any] = {
    "QuoteId": "Q-1",
    "Deductible": 1000,
    "Ratio": 0.25,
    "Active": True,
    "Name": "Ünïcode & <tags>",
    "Exposures": {"Exposure": [{"@id": "EQ-1", "Value": 250000}]},
    "Note": {"@lang": "en", "#text": "hello"},
    "Empty": "",
}
OPTIONS: dict[str, Any] = {
    "force_list": ["Exposure"],
    "numbers": ["Deductible", "Ratio", "Value"],
    "booleans": ["Active"],
}
XSD = """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:element name="R"><xs:complexType><xs:sequence>
    <xs:element name="QuoteId" type="xs:string"/>
    <xs:element name="Deductible" type="xs:integer"/>
  </xs:sequence></xs:complexType></xs:element>
</xs:schema>"""


def test_round_trip_with_the_documented_conventions() -> None:
    xml = json_to_xml(DOC, "RatingRequest")
    assert b'<Exposure id="EQ-1"><Value>250000</Value></Exposure>' in xml
    assert b"&amp; &lt;tags&gt;" in xml
    assert xml_to_json(xml, **OPTIONS) == DOC


def test_output_is_deterministic_and_nulls_are_left_out() -> None:
    assert json_to_xml(DOC, "R") == json_to_xml(dict(DOC), "R")
    assert json_to_xml({"a": None, "b": 1}, "R").endswith(b"<R><b>1</b></R>")


def test_repeated_elements_become_arrays_and_single_ones_do_not() -> None:
    xml = b"<R><I>1</I><I>2</I><J>3</J></R>"
    assert xml_to_json(xml) == {"I": ["1", "2"], "J": "3"}
    assert xml_to_json(xml, force_list=["J"], numbers=["I", "J"]) == {"I": [1, 2], "J": [3]}


def test_bad_names_and_values_fail_clearly() -> None:
    with pytest.raises(PlatformError) as bad_key:
        json_to_xml({"bad key": 1}, "R")
    assert bad_key.value.code == ErrorCode.TRANSFORM_FAILED
    assert "'bad key'" in bad_key.value.message
    with pytest.raises(PlatformError) as bad_number:
        xml_to_json(b"<R><Value>abc</Value></R>", numbers=["Value"])
    assert "<Value> should hold a number" in bad_number.value.message


def test_malformed_xml_is_refused_with_its_line() -> None:
    with pytest.raises(PlatformError) as caught:
        xml_to_json(b"<R>\n<open></R>")
    assert caught.value.code == ErrorCode.TRANSFORM_FAILED
    assert caught.value.details["line"] == 2


@pytest.mark.parametrize(
    "payload",
    [
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        b"<r>&c;</r>",
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>',
    ],
)
def test_entities_bombs_and_external_entities_are_refused(payload: bytes) -> None:
    with pytest.raises(PlatformError) as caught:
        xml_to_json(payload)
    assert caught.value.code == ErrorCode.TRANSFORM_FAILED
    assert "DOCTYPE" in caught.value.message


def test_size_is_bounded() -> None:
    with pytest.raises(PlatformError) as caught:
        parse_xml(b"<R>" + b"x" * 100 + b"</R>", max_bytes=50)
    assert "over the limit of 50" in caught.value.message


def test_xsd_failures_name_the_element_and_reason() -> None:
    schema = compile_schema(XSD)
    validate(parse_xml(b"<R><QuoteId>Q</QuoteId><Deductible>5</Deductible></R>", 10_000), schema)
    with pytest.raises(PlatformError) as caught:
        validate(
            parse_xml(b"<R><QuoteId>Q</QuoteId><Deductible>x</Deductible></R>", 10_000), schema
        )
    assert caught.value.code == ErrorCode.SCHEMA_VALIDATION_FAILED
    error = caught.value.details["errors"][0]
    assert error["element"] == "/R/Deductible"
    assert "not a valid value" in error["message"]
    with pytest.raises(PlatformError) as bad_xsd:
        compile_schema("<xs:schema")
    assert bad_xsd.value.code == ErrorCode.VALIDATION_FAILED


def test_streaming_validation_says_yes_only_for_a_safe_valid_document() -> None:
    schema = compile_schema(XSD)
    assert conforms(b"<R><QuoteId>Q</QuoteId><Deductible>5</Deductible></R>", schema)
    for refused in (
        b"<R><QuoteId>Q</QuoteId><Deductible>x</Deductible></R>",  # invalid
        b"<R><QuoteId>Q</QuoteId><Deductible>5</Deductible>",  # truncated
        b"",
        b'<!DOCTYPE R [<!ENTITY a "5">]><R><QuoteId>Q</QuoteId><Deductible>&a;</Deductible></R>',
    ):
        assert not conforms(refused, schema), refused


def test_reading_drops_each_element_once_read() -> None:
    # A large schedule reads back whole, each item in order, from a streamed parse.
    items = [{"@id": f"EQ-{i}", "Value": i, "Tag": ["a", "b"]} for i in range(2000)]
    xml = json_to_xml({"Items": {"Item": items}}, "R")
    read = xml_to_json(xml, force_list=["Item"], numbers=["Value"])
    assert read == {"Items": {"Item": items}}


@pytest.mark.parametrize(
    "location", ["/etc/passwd", "/nonexistent.xsd", "/tmp", "http://127.0.0.1:1/x.xsd"]
)
def test_an_xsd_naming_another_document_is_refused_alike(location: str) -> None:
    """Whatever exists at the location, the answer is the same: nothing is loaded."""
    xsd = (
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        f'<xs:include schemaLocation="{location}"/>'
        '<xs:element name="a" type="xs:string"/></xs:schema>'
    )
    with pytest.raises(PlatformError) as caught:
        compile_schema(xsd)
    assert caught.value.code == ErrorCode.VALIDATION_FAILED
    assert caught.value.message == (
        "The XSD includes or imports another document (schemaLocation): "
        "put everything it needs in this one."
    )


def _nested(depth: int) -> bytes:
    return b"<e>" * depth + b"x" + b"</e>" * depth


def test_elements_nest_at_most_max_depth() -> None:
    """At the limit the JSON read stays within the platform's JSON depth; one past is refused."""
    read = xml_to_json(_nested(MAX_DEPTH))
    assert not too_deep(read)
    with pytest.raises(PlatformError) as caught:
        xml_to_json(_nested(MAX_DEPTH + 1))
    assert caught.value.code == ErrorCode.TRANSFORM_FAILED
    assert f"more than {MAX_DEPTH} deep" in caught.value.message


def test_an_element_carries_at_most_max_attributes() -> None:
    """100,000 attributes on one element took 92 s to read; now refused at once."""

    def element(count: int) -> bytes:
        return ("<r " + " ".join(f'a{i}="v"' for i in range(count)) + "/>").encode()

    assert len(xml_to_json(element(MAX_ATTRIBUTES))) == MAX_ATTRIBUTES
    for count in (MAX_ATTRIBUTES + 1, 100_000):
        with pytest.raises(PlatformError) as caught:
            xml_to_json(element(count))
        assert caught.value.code == ErrorCode.TRANSFORM_FAILED
        assert f"at most {MAX_ATTRIBUTES}" in caught.value.message


def test_reading_and_writing_stop_when_the_budget_is_spent() -> None:
    doc = {"item": [{"@id": str(i), "name": f"n{i}"} for i in range(20_000)]}
    xml = json_to_xml(doc, "r")
    with budget.within(-1), pytest.raises(PlatformError) as reading:
        xml_to_json(xml)
    with budget.within(-1), pytest.raises(PlatformError) as writing:
        json_to_xml(doc, "r")
    assert reading.value.code == writing.value.code == ErrorCode.REQUEST_TIMEOUT
    assert xml_to_json(xml)["item"][-1]["name"] == "n19999"  # no budget: no limit
