"""JSON <-> XML conversion, XSD validation and the hardened parser."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

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


# Differential tests: what the platform wrote and read before the C-speed rewrite
# (lxml's incremental writer; iterparse element by element) is the oracle, copied
# here as it was (but for the time budget), and the engine must give the same
# bytes, JSON and refusals.

_ORACLE_NAME = re.compile(r"^[A-Za-z_][\w.\-]*$")
_ORACLE_HARDENED: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
}


def _oracle_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e16 else repr(value)
    return str(value)


def _oracle_name(name: str) -> str:
    if not _ORACLE_NAME.match(name):
        raise PlatformError(
            ErrorCode.TRANSFORM_FAILED,
            f"The key {name!r} is not a valid XML element or attribute name.",
        )
    return name


def _oracle_write(xf: Any, tag: str, value: Any) -> None:
    if value is None:
        return
    _oracle_name(tag)
    if isinstance(value, list):
        for item in value:
            _oracle_write(xf, tag, item)
        return
    if isinstance(value, dict):
        attrs = {
            _oracle_name(k[1:]): _oracle_text(v)
            for k, v in value.items()
            if k.startswith("@") and v is not None
        }
        with xf.element(tag, attrs):
            for key, child in value.items():
                if key == "#text":
                    if child is not None:
                        xf.write(_oracle_text(child))
                elif not key.startswith("@"):
                    _oracle_write(xf, key, child)
        return
    with xf.element(tag):
        xf.write(_oracle_text(value))


def oracle_json_to_xml(doc: Any, root: str) -> bytes:
    target = io.BytesIO()
    try:
        with etree.xmlfile(target, encoding="utf-8") as xf:
            xf.write_declaration()
            _oracle_write(xf, root, doc if doc is not None else {})
    except ValueError as exc:
        raise PlatformError(
            ErrorCode.TRANSFORM_FAILED, f"The document cannot be written as XML: {exc}."
        ) from exc
    return target.getvalue()


def _oracle_refuse_doctype(root: Any) -> None:
    docinfo = root.getroottree().docinfo
    if getattr(docinfo, "doctype", "") or docinfo.internalDTD is not None:
        raise PlatformError(
            ErrorCode.TRANSFORM_FAILED,
            "XML with a DOCTYPE is refused: entities (and with them XML bombs and "
            "external entities) are not allowed.",
        )


def _oracle_typed(tag: str, text: str, numbers: set[str], booleans: set[str]) -> Any:
    if tag in numbers:
        try:
            number = float(text)
        except ValueError as exc:
            raise PlatformError(
                ErrorCode.TRANSFORM_FAILED, f"<{tag}> should hold a number, not {text!r}."
            ) from exc
        return (
            int(number)
            if number.is_integer() and "." not in text and "e" not in text.lower()
            else number
        )
    if tag in booleans:
        if text not in ("true", "false", "1", "0"):
            raise PlatformError(
                ErrorCode.TRANSFORM_FAILED, f"<{tag}> should hold a boolean, not {text!r}."
            )
        return text in ("true", "1")
    return text


def oracle_xml_to_json(
    data: bytes,
    force_list: Iterable[str] = (),
    numbers: Iterable[str] = (),
    booleans: Iterable[str] = (),
) -> Any:
    """The reader as it was (each element left the tree at its own end)."""
    lists, nums, bools = set(force_list), set(numbers), set(booleans)
    events = etree.iterparse(
        io.BytesIO(data),
        events=("start", "end"),
        remove_blank_text=True,
        remove_comments=True,
        remove_pis=True,
        **_ORACLE_HARDENED,
    )
    path: list[tuple[dict[str, Any], list[bool]]] = []
    result: Any = None
    try:
        for event, element in events:
            if event == "start":
                if not path:
                    _oracle_refuse_doctype(element)
                if len(path) + 1 > MAX_DEPTH:
                    raise PlatformError(
                        ErrorCode.TRANSFORM_FAILED,
                        f"The XML nests elements more than {MAX_DEPTH} deep (at <{element.tag}>).",
                    )
                if len(element.attrib) > MAX_ATTRIBUTES:
                    raise PlatformError(
                        ErrorCode.TRANSFORM_FAILED,
                        f"<{element.tag}> has {len(element.attrib)} attributes; "
                        f"at most {MAX_ATTRIBUTES} are read.",
                    )
                attributes = {
                    f"@{k}": _oracle_typed(f"@{k}", v, nums, bools)
                    for k, v in element.attrib.items()
                }
                path.append((attributes, [bool(attributes), False]))
                continue
            out, (has_attributes, has_children) = path.pop()
            text = (element.text or "").strip()
            if not has_children and not has_attributes:
                value = _oracle_typed(element.tag, text, nums, bools)
            else:
                if text:
                    out["#text"] = _oracle_typed(element.tag, text, nums, bools)
                value = out
            if path:
                parent, flags = path[-1]
                flags[1] = True
                if element.tag in parent:
                    existing = parent[element.tag]
                    if isinstance(existing, list):
                        existing.append(value)
                    else:
                        parent[element.tag] = [existing, value]
                else:
                    parent[element.tag] = [value] if element.tag in lists else value
            else:
                result = value
            parent_element = element.getparent()
            if parent_element is not None:
                parent_element.remove(element)
    except etree.XMLSyntaxError as exc:
        raise PlatformError(
            ErrorCode.TRANSFORM_FAILED, f"Malformed XML: {exc}.", details={"line": exc.lineno}
        ) from exc
    return result


def oracle_conforms(data: bytes, schema: etree.XMLSchema) -> bool:
    events = etree.iterparse(io.BytesIO(data), events=("end",), schema=schema, **_ORACLE_HARDENED)
    first, closed = True, False
    try:
        for _, element in events:
            if first:
                _oracle_refuse_doctype(element)
                first = False
            parent = element.getparent()
            if parent is None:
                closed = True
            else:
                parent.remove(element)
    except (etree.XMLSyntaxError, PlatformError):
        return False
    return closed


def outcome(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, ...]:
    """What ``fn`` gives, or the error it raises, comparable across implementations
    (repr keeps int and float apart, key order, and NaN equal to itself)."""
    try:
        return ("value", repr(fn(*args, **kwargs)))
    except PlatformError as exc:
        return ("refused", exc.code, exc.message, exc.details)
    except Exception as exc:
        return ("raised", type(exc).__name__, str(exc))


def schedule(items: int) -> dict[str, Any]:
    """The benchmark request's shape: a mapped IMCE equipment schedule."""
    classes = ["EXC", "CRN", "GEN", "LDR", "CMP"]
    exposures = []
    for i in range(items):
        value = 10_000 + i * 7.5
        exposures.append(
            {
                "@id": f"EQ-{i:06d}",
                "ClassCode": classes[i % 5],
                "Value": int(value) if value.is_integer() else value,
                "YearBuilt": 2000 + i % 25,
            }
        )
    return {
        "QuoteId": "Q-BENCH",
        "Product": "IMCE",
        "State": "NY",
        "EffectiveDate": "2026-12-01",
        "Deductible": 1000,
        "Exposures": {"Exposure": exposures},
        "Factors": {"classFactor": 1.05, "scheduleCredit": 0.97},
    }


def answer(items: int) -> bytes:
    """An engine's answer to :func:`schedule`: a <Line> per item, its texts as engines
    write them ("10000.0", premiums to the cent)."""
    rates = [1.1, 1.45, 0.85, 0.95, 0.75]
    lines = "".join(
        f'<Line id="EQ-{i:06d}"><ClassCode>C{i % 5}</ClassCode>'
        f"<Value>{10_000 + i * 7.5!r}</Value><Rate>{rates[i % 5]!r}</Rate>"
        f"<Premium>{(10_000 + i * 7.5) * rates[i % 5] / 100:.2f}</Premium></Line>"
        for i in range(items)
    )
    return (
        "<?xml version='1.0' encoding='UTF-8'?>\n<RatingResponse><QuoteId>Q</QuoteId>"
        "<Premium><Base>48056789.44</Base><Total>48056789.44</Total>"
        f"<MinimumApplied>false</MinimumApplied></Premium><Lines>{lines}</Lines>"
        '<Factors><Factor name="state">1.15</Factor><Factor name="deductible">1.0</Factor>'
        '</Factors><Engine name="irx-reference" version="1"/></RatingResponse>'
    ).encode()


ANSWER_OPTIONS: dict[str, Any] = {
    "force_list": ["Line", "Factor"],
    "numbers": ["Base", "Total", "Value", "Rate", "Premium", "Factor"],
    "booleans": ["MinimumApplied"],
}


NAMES = st.one_of(
    st.sampled_from(["a", "b", "Item", "x.y", "_z", "a-b", "a²", "#text", "@id", "@a", "@b"]),
    st.sampled_from(["é", "a\n", "a b", "", "1a", "@", "@b c", "a\x00", "#other"]),
    st.text(max_size=3),
)
AWKWARD = st.sampled_from(
    ["&", "<>", "\r\n\t", '"', "'", "]]>", "\x7f\x85\u2028", "é😀", "\x00", "\x1f", "\ud800"]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=8),
    AWKWARD,
    st.sampled_from([0.0, -0.0, 1e16, 1e15, 12345678901234567.0, 2.0**53 + 2]),
    st.just(5000).map(lambda digits: 10**digits),  # too long for str()
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(NAMES, inner, max_size=5)),
    max_leaves=20,
)
ROWS = st.lists(
    st.fixed_dictionaries(
        {"@id": SCALARS, "A": SCALARS, "#text": SCALARS},
        optional={"B": st.one_of(SCALARS, JSON)},
    ),
    max_size=12,
)
WRITER_INPUTS = st.one_of(
    JSON,
    st.dictionaries(NAMES, JSON, max_size=5),
    ROWS.map(lambda rows: {"Items": {"Item": rows}}),
    st.lists(st.one_of(st.integers(), st.floats(), st.booleans(), AWKWARD), max_size=12).map(
        lambda items: {"Item": items}
    ),
)


def test_the_writer_writes_what_lxml_wrote_for_the_examples() -> None:
    examples: list[Any] = [
        DOC,
        {},
        None,
        "text",
        5,
        [],
        [{"a": 1}],
        [{"a": 1}, {"b": 2}],
        {"a": None, "b": 1, "c": [], "d": {}, "e": ""},
        {"a": [[1, 2], [3]], "#text": "t", "@x": [1, 2], "b": (1, 2)},
        {"a": 1, "#text": "middle", "b": 2},
        {"a": {"#text": {"x": 1}}, "@y": None, "z": {"@w": None}},
        {"f": [0.0, -0.0, 1.0, 1e16, 1e15 + 0.5, float("nan"), float("inf"), 2.5]},
        {"a\n": 1, "@b\n": 2, "a²": 3, "x.y-z_1": 4},
        {"a": [{}], "b": {}},  # a run of objects without keys (once written forever)
        {"a": [{}, {}, {}]},
    ]
    for doc in examples:
        assert outcome(json_to_xml, doc, "R") == outcome(oracle_json_to_xml, doc, "R"), doc


def test_the_writer_writes_a_schedule_as_lxml_did_also_when_streaming() -> None:
    doc = schedule(2_500)  # three runs of rows, whole numbers and fractions in one column
    expected = oracle_json_to_xml(doc, "RatingRequest")
    assert json_to_xml(doc, "RatingRequest") == expected
    out = io.BytesIO()
    assert json_to_xml(doc, "RatingRequest", out) == b""
    assert out.getvalue() == expected
    # Rows that break the shape (a null, a nested value, other keys) go element by element.
    rows = doc["Exposures"]["Exposure"]
    rows[10]["Value"] = None
    rows[1500]["YearBuilt"] = {"@est": True, "#text": 2001}
    rows[2000] = {"Other": "x & y"}
    rows[2100] = "a bare string"
    assert json_to_xml(doc, "RatingRequest") == oracle_json_to_xml(doc, "RatingRequest")


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"ok": "a\x00b"}, "All strings must be XML compatible"),
        ({"@ok": "a\x0bb"}, "All strings must be XML compatible"),
        ({"ok": ["fine"] * 5 + ["\ud800"]}, "surrogates not allowed"),
        ({"items": [{"k": "v"}] * 3 + [{"k": "\ufffe"}]}, "All strings must be XML compatible"),
        ({"items": [{"k": "v"}] * 3 + [{"bad key": 1}]}, "'bad key'"),
        ({"big": 10**5000}, "Exceeds the limit"),
    ],
)
def test_the_writer_refuses_as_lxml_did(bad: dict[str, Any], message: str) -> None:
    refused = outcome(json_to_xml, bad, "R")
    assert refused == outcome(oracle_json_to_xml, bad, "R")
    assert refused[:2] == ("refused", ErrorCode.TRANSFORM_FAILED)
    assert message in refused[2]


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=WRITER_INPUTS, root=st.sampled_from(["R", "Root", "a b"]), stream=st.booleans())
def test_generated_json_is_written_byte_for_byte_as_lxml_wrote_it(
    doc: Any, root: str, stream: bool
) -> None:
    expected = outcome(oracle_json_to_xml, doc, root)
    if stream and expected[0] == "value":
        out = io.BytesIO()
        json_to_xml(doc, root, out)
        assert repr(out.getvalue()) == expected[1]
    else:
        assert outcome(json_to_xml, doc, root) == expected


TAGS = ["a", "b", "Item", "v", "n"]
ATTRIBUTES = ["id", "x", "n", "v"]
READ_STRINGS = st.one_of(
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe"), max_size=6
    ),
    st.sampled_from(
        ["", " ", "\n  ", "x\ny", "x\r\ny", "\t", " a ", "\u00a0", "\x85", "a>b", "😀"]
    ),
    st.text(alphabet="ab 1.&<\"'\t\n", max_size=5),
)
READ_NUMBERS = st.one_of(
    st.sampled_from(
        ["1", "1.0", " 2 ", "1e5", "-0", "-0.0", "00.5", ".5", "1_000", "inf", "1e400"]
    ),
    st.integers().map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
)
READ_KINDS = {
    "str": READ_STRINGS,
    "num": READ_NUMBERS,
    "bool": st.sampled_from(["true", "false", "1", "0"]),
}


def _escaped(draw: st.DrawFn, text: str, quote: str | None = None) -> str:
    """``text`` as XML, escaped one of the ways a writer may escape it."""
    out = []
    for char in text:
        if char == "&":
            out.append(draw(st.sampled_from(["&amp;", "&#38;", "&#x26;"])))
        elif char == "<":
            out.append(draw(st.sampled_from(["&lt;", "&#60;"])))
        elif char == ">":
            out.append(draw(st.sampled_from([">", "&gt;"])))
        elif char == quote:
            out.append("&quot;" if quote == '"' else "&apos;")
        elif quote and char in "\t\n\r" and draw(st.booleans()):
            out.append(f"&#{ord(char)};")  # kept, where a literal one reads as a space
        else:
            out.append(char)
    return "".join(out)


@st.composite
def _value(draw: st.DrawFn, kinds: dict[str, str], key: str) -> str:
    if draw(st.integers(0, 40)) == 17:
        return draw(st.sampled_from(["abc", "", "True"]))  # refused by its type
    return draw(READ_KINDS[kinds[key]])


@st.composite
def _start(draw: st.DrawFn, tag: str, kinds: dict[str, str], names: list[str]) -> str:
    attributes = []
    for name in names:
        quote = draw(st.sampled_from(['"', "'"]))
        space, equals = (
            draw(st.sampled_from([" ", "  ", "\n"])),
            draw(st.sampled_from(["=", " = "])),
        )
        text = _escaped(draw, draw(_value(kinds, "@" + name)), quote)
        attributes.append(f"{space}{name}{equals}{quote}{text}{quote}")
    return f"<{tag}{''.join(attributes)}{draw(st.sampled_from(['', ' ']))}"


@st.composite
def _element(draw: st.DrawFn, kinds: dict[str, str], depth: int = 0) -> str:
    tag = draw(st.sampled_from(TAGS))
    start = draw(
        _start(tag, kinds, draw(st.lists(st.sampled_from(ATTRIBUTES), max_size=2, unique=True)))
    )
    if depth > 3 or draw(st.integers(0, 3)) == 2:
        if draw(st.integers(0, 4)) == 3:
            return start + "/>"
        return f"{start}>{_escaped(draw, draw(_value(kinds, tag)))}</{tag}>"
    children, between = [], draw(st.sampled_from(["", "\n  "]))
    if draw(st.booleans()):  # a run of elements sharing a shape, as a schedule
        item = draw(st.sampled_from(TAGS))
        leaves = draw(st.lists(st.sampled_from(TAGS), max_size=4))
        names = draw(st.lists(st.sampled_from(ATTRIBUTES), max_size=2, unique=True))
        for _ in range(draw(st.integers(1, 15))):
            shape = leaves if draw(st.integers(0, 12)) != 5 else leaves[:-1]
            head = draw(_start(item, kinds, names))
            if not shape and draw(st.booleans()):
                children.append(head + "/>" + between)
                continue
            body = "".join(
                (
                    f"<{leaf}/>"
                    if draw(st.integers(0, 15)) == 4
                    else f"<{leaf}>{_escaped(draw, draw(_value(kinds, leaf)))}</{leaf}>"
                )
                + between
                for leaf in shape
            )
            own = between if shape else _escaped(draw, draw(_value(kinds, item)))
            children.append(f"{head}>{own}{body}</{item}>{between}")
    else:
        for _ in range(draw(st.integers(0, 4))):
            children.append(draw(_element(kinds, depth + 1)))
            if draw(st.integers(0, 5)) == 3:
                children.append(_escaped(draw, draw(READ_STRINGS)))  # a tail
    text = _escaped(draw, draw(_value(kinds, tag))) if draw(st.integers(0, 3)) == 1 else between
    extra = draw(st.sampled_from([""] * 20 + ["<!-- c -->", "<![CDATA[x<y]]>", "<?pi x?>", "&e;"]))
    end = draw(st.sampled_from(["", " "]))
    return f"{start}>{text}{extra}{''.join(children)}</{tag}{end}>"


@st.composite
def xml_documents(draw: st.DrawFn) -> tuple[bytes, dict[str, list[str]]]:
    """A document (mostly plain, sometimes not, now and then broken) and how to read it."""
    keys = TAGS + ["@" + name for name in ATTRIBUTES]
    kinds = draw(
        st.fixed_dictionaries({k: st.sampled_from(["str", "str", "num", "bool"]) for k in keys})
    )
    prolog = draw(
        st.sampled_from(
            [""] * 4
            + [
                "<?xml version='1.0'?>",
                '<?xml version="1.0" encoding="UTF-8"?>\n',
                "<?xml version='1.0' encoding='iso-8859-1'?>",
                "\ufeff",
                " \n",
                "<!DOCTYPE r>",
                '<!DOCTYPE r [<!ENTITY e "x">]>',
                '<r xmlns="urn:x">',
            ]
        )
    )
    root = draw(_element(kinds))
    if prolog.startswith("<r "):
        prolog, root = "", prolog + root + "</r>"
    text = prolog + root + draw(st.sampled_from([""] * 4 + ["\n", " <!-- end -->", "<x/>"]))
    if draw(st.integers(0, 30)) == 17:
        text = text[: draw(st.integers(0, len(text)))]
    if draw(st.integers(0, 20)) == 7:
        text = text.replace("\n", "\r\n")
    latin = "iso-8859-1" in prolog and all(ord(c) < 256 for c in text)
    options = {
        "force_list": draw(st.lists(st.sampled_from(TAGS), unique=True)),
        "numbers": [key for key, kind in kinds.items() if kind == "num"],
        "booleans": [key for key, kind in kinds.items() if kind == "bool"],
    }
    return text.encode("latin-1" if latin else "utf-8"), options


def test_an_engine_answer_reads_as_it_did() -> None:
    """More than a megabyte (the reader's window) of a schedule read back."""
    data = answer(12_000)
    assert outcome(xml_to_json, data, **ANSWER_OPTIONS) == outcome(
        oracle_xml_to_json, data, **ANSWER_OPTIONS
    )
    read = xml_to_json(data, **ANSWER_OPTIONS)
    assert len(read["Lines"]["Line"]) == 12_000
    assert read["Lines"]["Line"][-1] == {
        "@id": "EQ-011999",
        "ClassCode": "C4",
        "Value": 99992.5,
        "Rate": 0.75,
        "Premium": 749.94,
    }


@pytest.mark.parametrize(
    "data",
    [
        b"<r><a>1</a><!-- note --><a>2</a><![CDATA[ <x> ]]><?pi data?></r>",
        b'<r xmlns="urn:x" xmlns:p="urn:p"><p:a p:b="1">x</p:a></r>',
        b'<r xml:lang="en"><a xml:id="k1">1</a></r>',
        b"\xef\xbb\xbf<?xml version='1.0' encoding='utf-8'?>\r\n<r>\r\n<a>x\r\ny</a></r>",
        b"<?xml version='1.0' encoding='iso-8859-1'?><r><a>\xe9</a></r>",
        b'<r><a b="\tx\ny\r\nz&#9;&#10;&amp;&lt;&gt;&quot;&apos;&#x1F600;"/></r>',
        b"<r> head <a>1</a> tail <a>2</a> more </r>",
        b"<r><a>&unknown;</a></r>",
        b"<r><a/><a></a><a>  </a><a x='1'/><a x='2'> y </a></r>",
        b"<r><n>12345678901234567890</n><n>-9223372036854775809</n><n>1e400</n><n>-0</n></r>",
        b"<r>" + b"<a><v>1</v></a>" * 3 + b"<a><v>x</v></a></r>",
        b"<r><a>1</a></r><r/>",
        b"<r><a>1</a>",
        b"",
    ],
)
def test_documents_read_as_they_did(data: bytes) -> None:
    options: dict[str, Any] = {"force_list": ["a"], "numbers": ["n", "v"], "booleans": []}
    assert outcome(xml_to_json, data, **options) == outcome(oracle_xml_to_json, data, **options)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=xml_documents())
def test_generated_documents_read_as_they_did(
    document: tuple[bytes, dict[str, list[str]]],
) -> None:
    data, options = document
    assert outcome(xml_to_json, data, **options) == outcome(oracle_xml_to_json, data, **options)


def test_an_element_text_is_its_text_before_its_first_child_however_long_the_document() -> None:
    """Tails are never text: the reader as it was kept one when it arrived after a 32 KB
    chunk boundary (so the text depended on where the chunks fell); no longer."""
    data = b"<r>head" + b"".join(b"<a>%d</a>tail" % i for i in range(20_000)) + b"</r>"
    assert xml_to_json(data)["#text"] == "head"
    assert xml_to_json(data, numbers=["a"])["a"] == list(range(20_000))


IMCE_XSD = """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:element name="RatingRequest">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="QuoteId" type="xs:string"/>
        <xs:element name="Product" type="xs:string"/>
        <xs:element name="State">
          <xs:simpleType>
            <xs:restriction base="xs:string"><xs:pattern value="[A-Z]{2}"/></xs:restriction>
          </xs:simpleType>
        </xs:element>
        <xs:element name="EffectiveDate" type="xs:date"/>
        <xs:element name="Deductible" type="xs:decimal"/>
        <xs:element name="Exposures">
          <xs:complexType>
            <xs:sequence>
              <xs:element name="Exposure" maxOccurs="unbounded">
                <xs:complexType>
                  <xs:sequence>
                    <xs:element name="ClassCode" type="xs:string"/>
                    <xs:element name="Value" type="xs:decimal"/>
                    <xs:element name="YearBuilt" type="xs:integer" minOccurs="0"/>
                  </xs:sequence>
                  <xs:attribute name="id" type="xs:string" use="required"/>
                </xs:complexType>
              </xs:element>
            </xs:sequence>
          </xs:complexType>
        </xs:element>
        <xs:element name="Factors" minOccurs="0">
          <xs:complexType>
            <xs:sequence>
              <xs:any processContents="lax" minOccurs="0" maxOccurs="unbounded"/>
            </xs:sequence>
          </xs:complexType>
        </xs:element>
      </xs:sequence>
    </xs:complexType>
  </xs:element>
</xs:schema>"""
LAX = """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:element name="a"><xs:complexType mixed="true"><xs:sequence>
    <xs:any processContents="lax" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
    <xs:anyAttribute processContents="lax"/></xs:complexType></xs:element>
  <xs:element name="v" type="xs:decimal"/>
  <xs:element name="n"><xs:complexType><xs:simpleContent><xs:extension base="xs:string">
    <xs:attribute name="id" type="xs:integer"/><xs:anyAttribute processContents="skip"/>
  </xs:extension></xs:simpleContent></xs:complexType></xs:element>
</xs:schema>"""


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=xml_documents())
def test_generated_documents_conform_as_they_did(
    document: tuple[bytes, dict[str, list[str]]],
) -> None:
    data, _ = document
    schema = compile_schema(LAX)
    assert conforms(data, schema) == oracle_conforms(data, schema)


def test_a_request_conforms_as_it_did() -> None:
    schema = compile_schema(IMCE_XSD)
    request = oracle_json_to_xml(schedule(3_000), "RatingRequest")
    assert conforms(request, schema)
    assert oracle_conforms(request, schema)
    for refused in (
        request.replace(b"<Value>10007.5<", b"<Value>ten<", 1),
        request.replace(b"<State>NY<", b"<State>ny<", 1),
        request[:-20],
        request.replace(b"<RatingRequest>", b"<!DOCTYPE RatingRequest><RatingRequest>"),
        request.replace(b"<Deductible>", b"<!-- c --><Deductible>"),
    ):
        assert conforms(refused, schema) == oracle_conforms(refused, schema)


@pytest.mark.parametrize(
    ("data", "max_bytes"),
    [
        (b"<R><QuoteId>Q</QuoteId><Deductible>5</Deductible></R>", None),
        (b"<R><QuoteId>Q</QuoteId><Deductible>x</Deductible></R>", None),
        (b"<R><QuoteId>Q</QuoteId><Deductible>5</Deductible>", None),
        (b"<R><QuoteId>Q</QuoteId><Deductible>5</Deductible></R>", 20),
        (
            b'<!DOCTYPE R [<!ENTITY a "5">]><R><QuoteId>Q</QuoteId><Deductible>&a;</Deductible></R>',
            None,
        ),
        (b"<R><QuoteId>Q</QuoteId><!-- c --><Deductible>5</Deductible></R>", None),
    ],
)
def test_reading_with_a_schema_refuses_as_validating_first_did(
    data: bytes, max_bytes: int | None
) -> None:
    """One pass where the step made two: the schema's refusal, or the reading, is the same."""
    schema = compile_schema(XSD)

    def two_passes() -> Any:
        if not (max_bytes is None or len(data) <= max_bytes) or not oracle_conforms(data, schema):
            validate(parse_xml(data, max_bytes), schema)
        return oracle_xml_to_json(data, numbers=["Deductible"])

    one_pass = outcome(
        xml_to_json, data, numbers=["Deductible"], max_bytes=max_bytes, schema=schema
    )
    assert one_pass == outcome(two_passes)
