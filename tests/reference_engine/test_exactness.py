"""The engine's shortcuts, each against the plain computation it stands for, on many inputs.

The per-class premium, the numbers' texts, the escaping, the JSON fast path and the
streaming XML readers each claim to give exactly what the straightforward code
gives; these tests draw many inputs, odd ones on purpose, and compare.
"""

from __future__ import annotations

import random
import re
from decimal import Decimal
from typing import Any

import pytest
from lxml import etree

from reference_engine.float_texts import premium_texts, value_texts
from reference_engine.rating import (
    CENT,
    ProductTable,
    RatingRequestError,
    _fast_keyed,
    _fast_premiums,
    _money,
    rate_lines,
)
from reference_engine.request import Request, _from_model, _validated, parse_request
from reference_engine.xml_protocol import _attribute, _attributes, _text
from reference_engine.xml_reader import XmlRequestReader
from tests.reference_engine.golden_requests import large_xml_request, mixed_exposures, xml_request


def decimal_text(
    rng: random.Random,
    lengths: tuple[int, ...] = (1, 2, 5, 9, 15, 22, 35),
    exponents: float = 0.03,
) -> str:
    """A positive decimal as a request may write it: long, short, padded, exponent."""
    digits = "".join(rng.choice("0123456789") for _ in range(rng.choice(lengths)))
    digits = digits.lstrip("0") or "1"
    point = rng.randint(0, min(len(digits), 10))
    text = digits[:point] + "." + digits[point:] if rng.random() < 0.7 else digits[:12]
    if rng.random() < 0.2:
        text = "0" * rng.randint(1, 3) + text
    if text.startswith("."):
        text = "0" + text if rng.random() < 0.5 else text
    if rng.random() < exponents:
        text += f"e{rng.randint(-40, 8)}"
    return text


# Value lengths, exponents and factor counts by the kind of request: ordinary ones take
# the per-class shortcut, long values or many factors take the formula.
PROFILES = [
    ((1, 2, 5, 7, 9), 0.0, (0, 1, 3)),
    ((1, 5, 9, 15), 0.005, (0, 3, 6)),
    ((1, 5, 22, 35), 0.002, (1, 6)),
]


def factor(rng: random.Random) -> Decimal:
    kind = rng.random()
    if kind < 0.05:
        return Decimal(rng.choice(["0", "-0", "-1.5"]))
    digits = rng.choice([1, 2, 3, 6, 12])
    return Decimal(rng.randint(1, 2 * 10**digits)) / Decimal(10) ** digits


def formula(
    values: list[Decimal], classes: list[str], table: ProductTable, request: Request
) -> list[Decimal]:
    """The premiums exactly as the engine computed them before it took shortcuts."""
    factors = {
        "state": table.state_factors.get(request.state.upper(), Decimal("1.00")),
        "deductible": table.deductible_factors[request.deductible],
        **request.factors,
    }
    multiplier = Decimal(1)
    for value in factors.values():
        multiplier *= value
    return [
        _money(v / 100 * table.class_rates[c] * multiplier)
        for v, c in zip(values, classes, strict=True)
    ]


@pytest.mark.parametrize("seed", range(60))
def test_premiums_are_the_formulas_to_the_cent(seed: int) -> None:
    rng = random.Random(seed)
    lengths, exponents, factor_counts = PROFILES[seed % len(PROFILES)]
    codes = ["A", "B", "C"]
    table = ProductTable(class_rates={c: factor(rng) for c in codes})
    texts = [decimal_text(rng, lengths, exponents) for _ in range(300)]
    values = list(map(Decimal, texts))
    classes = [rng.choice(codes) for _ in texts]
    factors = {f"f{i}": factor(rng) for i in range(rng.choice(factor_counts))}
    for given_texts in (texts, None):
        request = Request(
            "Q", "P", "NY", 1000, None, factors, ["x"] * 300, [*classes], values, given_texts
        )
        try:
            rating = rate_lines(request, {"P": table})
        except ArithmeticError:  # a value so large the formula cannot quantize it: so be it
            with pytest.raises(ArithmeticError):
                formula(values, classes, table, request)
            continue
        expected = formula(values, classes, table, request)
        assert rating.premiums == expected
        assert list(map(str, rating.premiums)) == list(map(str, expected))
        assert str(rating.base) == str(sum(expected, Decimal(0)))


@pytest.mark.parametrize("seed", range(30))
def test_premiums_by_state_are_the_formulas_to_the_cent(seed: int) -> None:
    """Lines in several states, some with their own factors: each is the formula with its
    state's rate and factor, then its own factors, multiplied before the value."""
    rng = random.Random(seed)
    lengths, exponents, factor_counts = PROFILES[seed % len(PROFILES)]
    states = ["NY", "TX", "WY"]
    table = ProductTable(
        class_rates={"A": factor(rng), "B": factor(rng)},
        state_class_rates={"TX": {"A": factor(rng)}, "WY": {"B": factor(rng)}},
    )
    texts = [decimal_text(rng, lengths, exponents) for _ in range(300)]
    values = list(map(Decimal, texts))
    classes = [rng.choice("AB") for _ in texts]
    line_states: list[str | None] = [rng.choice([None, *states]) for _ in texts]
    own: list[dict[str, Decimal] | None] = [
        {f"o{i}": factor(rng) for i in range(rng.choice(factor_counts))}
        if rng.random() < 0.3
        else None
        for _ in texts
    ]
    factors = {f"f{i}": factor(rng) for i in range(rng.choice(factor_counts))}
    expected = []
    for value, code, state, mine in zip(values, classes, line_states, own, strict=True):
        state = state or "NY"
        rate = table.state_class_rates.get(state, {}).get(code, table.class_rates[code])
        multiplier = Decimal(1)
        deductible = table.deductible_factors[1000]
        for f in [table.state_factors.get(state, Decimal("1.00")), deductible, *factors.values()]:
            multiplier *= f
        for f in (mine or {}).values():
            multiplier *= f
        expected.append(_money(value / 100 * rate * multiplier))
    for given_texts in (texts, None):
        request = Request(
            quote_id="Q",
            product="P",
            state="NY",
            deductible=1000,
            class_code=None,
            factors=factors,
            ids=["x"] * 300,
            classes=[*classes],
            values=values,
            texts=given_texts,
            states=line_states,
            line_factors=own,
        )
        rating = rate_lines(request, {"P": table})
        assert list(map(str, rating.premiums)) == list(map(str, expected))
        assert str(rating.base) == str(sum(expected, Decimal(0)))


def test_premiums_at_the_edge_of_the_context() -> None:
    """Values with as many digits as the shortcut allows, and one more, near rounding ties."""
    table = ProductTable(class_rates={"A": Decimal("1.45"), "B": Decimal("0.9")})
    factors = {"a": Decimal("1.0537"), "b": Decimal("0.97125")}
    multiplier = Decimal("1.15") * Decimal("1.00") * factors["a"] * factors["b"]
    room = 28 - 3 - len(multiplier.as_tuple().digits)
    texts = []
    for digits in (room - 1, room, room + 1, room + 2, 28, 29):
        for whole in (1, 4, 9):
            texts += [
                "9" * whole + "." + "9" * (digits - whole),
                "1" * whole + "." + "5" * (digits - whole),
            ]
    values = list(map(Decimal, texts))
    classes = ["A", "B"] * (len(texts) // 2)
    for given_texts in (texts, None):
        request = Request(
            "Q", "P", "NY", 1000, None, factors, ["x"] * len(texts), [*classes], values, given_texts
        )
        expected = formula(values, classes, table, request)
        assert list(map(str, rate_lines(request, {"P": table}).premiums)) == list(
            map(str, expected)
        )


def test_the_shortcut_is_taken_for_ordinary_requests() -> None:
    values = [Decimal("250000"), Decimal("123456.785"), Decimal("0.005")]
    request = Request("Q", "IMCE", "NY", 1000, None, {}, ["a", "b", "c"], ["EXC"] * 3, values)
    used = {"EXC": Decimal("1.10")}
    factors = Decimal("1.15") * Decimal("1.05") * Decimal("1.1") * Decimal("0.97")
    assert _fast_premiums(request, ["EXC"] * 3, used, factors) is not None
    by_state = {("NY", "EXC"): (used["EXC"], factors), ("TX", "EXC"): (used["EXC"], factors * 2)}
    keys = [("NY", "EXC"), ("TX", "EXC"), ("NY", "EXC")]
    assert _fast_keyed(values, None, keys, by_state) is not None


@pytest.mark.parametrize("seed", range(20))
def test_number_texts_are_what_str_float_writes(seed: int) -> None:
    rng = random.Random(seed)
    plain = [f"{rng.randint(1, 10 ** rng.randint(1, 15))}" for _ in range(200)]
    plain += [repr(rng.uniform(0.0001, 10 ** rng.randint(0, 14))) for _ in range(200)]
    plain = [t for t in plain if "e" not in t]
    assert value_texts(plain) == [str(float(t)) for t in plain]
    odd = plain + [decimal_text(rng) for _ in range(200)]
    rng.shuffle(odd)
    assert value_texts(odd) == [str(float(t)) for t in odd]
    # What the answer always wrote: str(float()) of the Decimal read from the text.
    assert value_texts(odd) == [str(float(Decimal(t))) for t in odd]
    premiums = [Decimal(rng.randint(-(10**15), 10**15)) * CENT for _ in range(300)]
    premiums += [Decimal("0.00"), Decimal("-0.00"), Decimal("0.05"), Decimal("9999999999999.99")]
    small = [p for p in premiums if abs(p) < 10**13]
    for column in (small, premiums):
        assert premium_texts(column) == [str(float(p)) for p in column]


def serialized(text: str) -> tuple[str, str]:
    """How lxml writes ``text`` as element text and as an attribute value."""
    element = etree.Element("r", a=text)
    element.text = text
    written = etree.tostring(element, encoding="unicode")
    attribute, body = written.removeprefix('<r a="').removesuffix("</r>").split('">', 1)
    return body, attribute


def test_escaping_is_lxmls() -> None:
    valid = [c for c in range(0x20, 0x3000) if not 0xD800 <= c <= 0xDFFF]
    texts = ["\t\n\r", *("".join(map(chr, valid[i : i + 97])) for i in range(0, len(valid), 97))]
    texts += ["\U0001f600 &amp; <x> \"q\" 'a'", "\ufffd\ue000"]
    for text in texts:
        assert (_text(text), _attribute(text)) == serialized(text)
    assert _attributes(texts) == [serialized(t)[1] for t in texts]


@pytest.mark.parametrize("seed", range(10))
def test_the_json_fast_path_reads_what_the_model_reads(seed: int) -> None:
    rng = random.Random(seed)
    exposures: list[dict[str, Any]] = []
    for i in range(200):
        kind = rng.random()
        value: Any = (
            rng.uniform(0, 10 ** rng.randint(-5, 20))
            if kind < 0.5
            else rng.randint(1, 10**18)
            if kind < 0.8
            else decimal_text(rng)
        )
        exposure = {"id": f"E{i}", "classCode": rng.choice(["EXC", "CRN", None]), "value": value}
        if rng.random() < 0.5:
            exposure["yearBuilt"] = rng.randint(1900, 2030)
        if seed % 2 and rng.random() < 0.5:  # multi-state: a state and factors of its own
            exposure["state"] = rng.choice(["PA", "TX", None])
            exposure["factors"] = rng.choice(FACTOR_SETS)
        exposures.append(exposure)
    data = {
        "quoteId": "Q",
        "product": "IMCE",
        "state": "NY",
        "effectiveDate": "2026-12-01",
        "classCode": "GEN",
        "exposures": exposures,
        "factors": {"a": 1.05, "b": "0.97"},
    }
    fast, model = parse_request(data), _from_model(_validated(data))
    assert fast.values == model.values
    assert list(map(str, fast.values)) == list(map(str, model.values))
    assert (fast.ids, fast.classes, fast.factors) == (model.ids, model.classes, model.factors)
    assert (fast.states, fast.line_factors) == (model.states, model.line_factors)
    texts = [
        None if f is None else {k: str(v) for k, v in f.items()} for f in fast.line_factors or []
    ]
    assert texts == [
        None if f is None else {k: str(v) for k, v in f.items()} for f in model.line_factors or []
    ]


# Factor sets that look alike and must not be read alike (1 and 1.0, -0.0 and 0.0).
FACTOR_SETS: list[Any] = [
    None,
    {"construction": 1.05},
    {"construction": 1.05, "drugFree": 0.95},
    {"x": 1},
    {"x": 1.0},
    {"x": "1.0"},
    {"x": -0.0},
    {"x": 0.0},
    {},
]


# --- the streaming XML readers against the whole-tree reading they replace ---

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
)


def whole_tree_reading(body: bytes) -> dict[str, Any]:
    """The engine's XML reading before it streamed (commit c2f01a7), for comparison."""
    root = etree.fromstring(body, _PARSER)
    assert not getattr(root.getroottree().docinfo, "doctype", "")
    assert root.tag == "RatingRequest"

    def text(parent: Any, tag: str) -> str | None:
        value = parent.findtext(tag)
        return value.strip() if value is not None else None

    request: dict[str, Any] = {
        "quoteId": text(root, "QuoteId"),
        "product": text(root, "Product"),
        "state": text(root, "State"),
        "effectiveDate": text(root, "EffectiveDate"),
        "exposures": [
            {
                "id": e.get("id"),
                "classCode": text(e, "ClassCode"),
                "value": text(e, "Value"),
                "yearBuilt": text(e, "YearBuilt"),
            }
            for e in root.iterfind("Exposures/Exposure")
        ],
        "factors": {
            (f.get("name") if f.tag == "Factor" else f.tag): (f.text or "").strip()
            for f in root.iterfind("Factors/*")
        },
    }
    deductible = text(root, "Deductible")
    if deductible:
        request["deductible"] = deductible
    return request


def outcome(read: Any) -> Any:
    """What reading gave: the request's content, or the refusal's message and details."""
    try:
        request: Request = read()
    except RatingRequestError as exc:
        return ("refused", exc.message, exc.details)
    return (
        request.quote_id,
        request.product,
        request.state,
        request.deductible,
        request.factors,
        request.ids,
        request.classes,
        list(map(str, request.values)),
    )


# The first form is the platform's; the next ones read the same, differently laid out;
# the last ones are invalid.
EXPOSURE_FORMS = [
    '<Exposure id="{id}"><ClassCode>{cls}</ClassCode><Value>{value}</Value></Exposure>',
    '<Exposure id="{id}">\n  <ClassCode> {cls} </ClassCode>\n  <Value>\n {value}\t</Value>\n  <YearBuilt> 2019 </YearBuilt>\n</Exposure>',
    '<Exposure id="{id}"><ClassCode>{cls}</ClassCode><Value><![CDATA[{value}]]></Value></Exposure>',
    '<Exposure id="{id}&amp;co"><ClassCode>{cls}</ClassCode><Value>{value}</Value></Exposure>',
    '<Exposure id="{id}" x="1"><ClassCode>{cls}</ClassCode><Value>{value}</Value></Exposure>',
    '<Exposure id="{id}"><Value>{value}</Value><ClassCode>{cls}</ClassCode></Exposure>',
    '<Exposure id="{id}"><ClassCode>{cls}</ClassCode><!-- c --><Value>{value}</Value></Exposure>',
    '<Exposure id="{id}"><ClassCode>{cls}</ClassCode><Value>+{value}</Value></Exposure>',
    "<Exposure id='{id}'><ClassCode>{cls}</ClassCode><Value>{value}</Value></Exposure>",
    '<Exposure id="{id}\u00e9"><ClassCode>{cls}</ClassCode><Value>{value}&#48;</Value></Exposure>',
    '<Exposure id="{id}"><ClassCode>{cls}</ClassCode><Value>{value}e2</Value></Exposure>',
    "<?pi here?>",
    "<Note>not an exposure</Note>",
    "\n    ",
    '<Exposure id="{id}"><ClassCode>{cls}</ClassCode><Value>{value}</Value><YearBuilt/></Exposure>',
    '<Exposure id="{id}"><ClassCode>{cls}</ClassCode><Value>{value}</Value><YearBuilt>x</YearBuilt></Exposure>',
    '<Exposure id="{id}"><ClassCode>{cls}</ClassCode><Value>0</Value></Exposure>',
    '<Exposure id="{id}"><ClassCode>{cls}</ClassCode></Exposure>',
]
INVALID_FORMS = 4
BETWEEN = ["", "", "", "\n  ", "<!-- between -->", "<?pi?>", " \r\n"]
# The last ones are invalid.
HEAD_FORMS = [
    "<QuoteId>Q-{n}</QuoteId>",
    "<QuoteId> Q &amp; {n} </QuoteId>",
    "<Product>IMCE</Product>",
    "<State>NY</State>",
    "<State>ny</State>",
    "<EffectiveDate>2026-12-01</EffectiveDate>",
    "<Deductible>2500</Deductible>",
    "<Deductible/>",
    "<Note><b>x</b></Note>",
    "<QuoteId>second</QuoteId>",
    '<Factors><Factor name="a">1.05</Factor><b>0.97</b></Factors>',
    "<Factors>\n  <c> 1.5 </c>\n  <Factor name='a'>1.25</Factor></Factors>",
    '<Factors><Factor name="d"/><e>2</e><!-- x --><f>3</f></Factors>',
    '<Exposures xmlns="urn:x"><Exposure id="ns"><ClassCode>EXC</ClassCode><Value>1</Value></Exposure></Exposures>',
    '<q:QuoteId xmlns:q="urn:q">Z</q:QuoteId>',
    "<Other><Exposures><Exposure id='deep'><ClassCode>EXC</ClassCode><Value>1</Value></Exposure></Exposures></Other>",
    "<Factors/>",
    "<Factors><Factor>1.1</Factor></Factors>",
]
DECLARATIONS = [
    "",
    "<?xml version='1.0' encoding='utf-8'?>\n",
    '<?xml version="1.0"?>',
    '\ufeff<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>',
    "<!-- before -->",
]


def mutated_request(rng: random.Random) -> bytes:
    """A request in any of the layouts the engine reads, well-formed, valid or not: most
    in the platform's layout up to one point (or throughout), then anything."""
    head = ["<QuoteId>Q-1</QuoteId>", "<Product>IMCE</Product>", "<State>NY</State>"]
    head += ["<EffectiveDate>2026-12-01</EffectiveDate>"]
    for _ in range(rng.randint(0, 3)):
        forms = HEAD_FORMS if rng.random() < 0.2 else HEAD_FORMS[:-1]
        head.append(rng.choice(forms).format(n=rng.randint(0, 9)))
    rng.shuffle(head)
    valid_forms = len(EXPOSURE_FORMS) - INVALID_FORMS
    blocks = []
    for _ in range(rng.choice([1, 1, 1, 2])):
        exposures = mixed_exposures(rng.randint(0, 60), rng.randint(0, 999))
        laid_out = rng.choice([len(exposures), len(exposures), rng.randint(0, len(exposures))])
        parts = []
        for i, e in enumerate(exposures):
            form = 0
            if i >= laid_out:
                form = rng.randrange(len(EXPOSURE_FORMS) if rng.random() < 0.05 else valid_forms)
                parts.append(rng.choice(BETWEEN))
            fields = {"id": f"{e['id']}-{i}", "cls": e["ClassCode"], "value": e["Value"].strip()}
            parts.append(EXPOSURE_FORMS[form].format(**fields))
        blocks.append("<Exposures>" + "".join(parts) + "</Exposures>")
    children = head + blocks
    rng.shuffle(children)
    declaration = DECLARATIONS[rng.choice([0, 1, 1, rng.randrange(len(DECLARATIONS))])]
    body = declaration + "<RatingRequest>" + "".join(children) + "</RatingRequest>"
    return body.encode()


def read_streaming(
    body: bytes, rng: random.Random, sizes: tuple[int, ...] = (1, 3, 50, 700, 5000, 70000)
) -> Request:
    reader = XmlRequestReader()
    position = 0
    while position < len(body):
        size = rng.choice(sizes)
        reader.feed(body[position : position + size])
        position += size
    return reader.close()


def read_whole_tree(body: bytes) -> Request:
    return _from_model(_validated(whole_tree_reading(body)))


@pytest.mark.parametrize("seed", range(150))
def test_streaming_readers_read_what_the_tree_read(seed: int) -> None:
    rng = random.Random(seed)
    body = mutated_request(rng)
    expected = outcome(lambda: read_whole_tree(body))
    assert outcome(lambda: read_streaming(body, rng)) == expected
    assert outcome(lambda: read_streaming(body, random.Random(-seed))) == expected


def test_the_platforms_layout_never_leaves_the_fast_reader() -> None:
    body = xml_request(mixed_exposures(500, 7), None, {"classFactor": "1.05"})
    reader = XmlRequestReader()
    for start in range(0, len(body), 333):
        reader.feed(body[start : start + 333])
    assert reader.close().texts is not None
    assert reader._general is None


# --- a malformed body is refused in the same words, wherever lxml takes over ---

INSERTS = [
    b"<Exposure id='a'></Value>",
    b"&",
    b"&#1;",
    b"]]>",
    b"<",
    b"</Exposures>",
    b"<!-- fine -->",
    b"<?pi fine?>",
    b"<![CDATA[x]]>",
    b'<X y="1"/>',
    b"\r",
    b"\t",
    b"\n",
    b"\x01",
    b"\x0b",
    b"\xff",  # not UTF-8
    b"\xe9",  # a sequence cut short
    b"\xef\xbf\xbe",  # U+FFFE
    b"\xed\xa0\x80",  # a surrogate
    b"\xc2\x85",  # NEL: allowed, and whitespace to str.strip
]


def pretty(body: bytes) -> bytes:
    return body.replace(b"><", b">\n  <")


def whole_tree_refusal(body: bytes) -> str | None:
    """How the whole-body parse refused ``body``, if it did."""
    try:
        etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as exc:
        # libxml2's push parser, which streaming needs, words a start tag that the
        # body ends in without that tag's line (the position that follows has it).
        return re.sub(r"(Start Tag \S+) line \d+,", r"\1,", f"Malformed XML: {exc}.")
    return None


def assert_read_alike(body: bytes, rng: random.Random, *sizes: int) -> None:
    refusal = whole_tree_refusal(body)
    if refusal is None:
        read = outcome(lambda: read_streaming(body, rng, *(sizes and (sizes,))))
        assert read == outcome(lambda: read_whole_tree(body))
    else:
        with pytest.raises(RatingRequestError) as refused:
            read_streaming(body, rng, *(sizes and (sizes,)))
        assert refused.value.message == refusal


@pytest.mark.parametrize("seed", range(30))
def test_malformed_bodies_are_refused_in_the_whole_parses_words(seed: int) -> None:
    rng = random.Random(seed)
    exposures = mixed_exposures(150, seed)
    if seed % 4 == 2:  # characters of more than one byte before the fault
        exposures = [{**e, "id": e["id"] + "\u00e9\u4e2d"} for e in exposures]
    body = xml_request(exposures, None, {"classFactor": "1.05"})
    if seed % 4 == 1:
        body = pretty(body)
    elif seed % 4 == 3:
        body = mutated_request(rng)
    for _ in range(10):
        at = rng.randrange(len(body))
        kind = rng.random()
        if kind < 0.15:
            bad = body[:at]
        elif kind < 0.25:
            bad = body + rng.choice([b"<extra/>", b"x", b"<!-- ok -->", b"\n<?pi ok?>\n"])
        else:
            bad = body[:at] + rng.choice(INSERTS) + body[at:]
        assert_read_alike(bad, rng)


def test_lxml_takes_over_far_into_a_line_and_after_many_lines() -> None:
    """Past a million columns or lines, the blanks in front of lxml's part come in runs."""
    rng = random.Random(0)
    long_line = large_xml_request(12_000)
    many_lines = xml_request(mixed_exposures(1_100, 2)).replace(
        b"</Exposure>", b"</Exposure>" + b"\n" * 1000
    )
    for body in (long_line, many_lines):
        at = body.rindex(b"<Exposure ")
        line_start = body.rfind(b"\n", 0, at)
        assert at - line_start > 1 << 20 or body.count(b"\n", 0, at) > 1 << 20
        for insert in (b"<!-- lxml from here -->", b"&", b"<Exposure/>"):
            assert_read_alike(body[:at] + insert + body[at:], rng, 65536)
