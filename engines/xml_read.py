"""Reading XML safely: the hardened parser, the shape limits, and the reference reader.

Every parse resolves no entities, loads no DTD, touches no network and refuses any
DOCTYPE outright. A document read has a bounded shape besides its size: elements
nest at most ``MAX_DEPTH`` deep (so its JSON stays within the platform's JSON
depth limit) and carry at most ``MAX_ATTRIBUTES`` attributes each (lxml lists an
element's attributes in quadratic time: 100,000 of them took 92 s).

:class:`StreamReader` reads any document lxml's parser accepts, event by event,
each element dropped from the tree once read; it is what decides what a document
reads as, and why it is refused. :func:`surely_accepted` is the cheap question asked first: a
parse that builds nothing (no tree, no Python call per element) of a document
simple enough that lxml's tree parser is sure to accept it exactly when this one
does.
"""

from __future__ import annotations

import io
import re
from itertools import repeat
from typing import Any

import orjson
from lxml import etree

from engines import budget
from models.errors import ErrorCode, PlatformError
from models.json_shape import MAX_DEPTH as MAX_JSON_DEPTH

# An element read becomes an object, and repeated ones an array: two JSON levels.
MAX_DEPTH = MAX_JSON_DEPTH // 2
MAX_ATTRIBUTES = 256
# Every parse: no entity expanded, no DTD or anything else loaded, libxml2's size limits.
HARDENED: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
}
_BATCH = 1000  # elements between two looks at the step's time budget
_CHUNK = 32768  # bytes fed to a parser at once, as iterparse feeds them
_BUDGET_BYTES = 32 * _CHUNK  # bytes parsed between two looks at the time budget
# libxml2 refuses a text node over 10,000,000 bytes while building a tree, not
# without one: in a document whose every stretch of this many bytes holds a "<",
# no text runs twice as long.
_TEXT_STRETCH = 4_000_000
_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}
_LONGEST_INTEGER = 19  # characters of the shortest integer orjson reads as a float
_DECLARATION = re.compile(rb"<\?xml\s[^>]*?\?>")
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([^"']*)["']""")


def refuse_doctype(root: Any) -> None:
    docinfo = root.getroottree().docinfo
    if getattr(docinfo, "doctype", "") or docinfo.internalDTD is not None:
        raise PlatformError(
            ErrorCode.TRANSFORM_FAILED,
            "XML with a DOCTYPE is refused: entities (and with them XML bombs and "
            "external entities) are not allowed.",
        )


def within(data: bytes, max_bytes: int | None) -> None:
    if max_bytes is not None and len(data) > max_bytes:
        raise PlatformError(
            ErrorCode.TRANSFORM_FAILED,
            f"The XML document is {len(data)} bytes, over the limit of {max_bytes}.",
        )


def malformed(exc: etree.XMLSyntaxError) -> PlatformError:
    return PlatformError(
        ErrorCode.TRANSFORM_FAILED, f"Malformed XML: {exc}.", details={"line": exc.lineno}
    )


def typed(tag: str, text: str, numbers: set[str], booleans: set[str]) -> Any:
    """``text`` read as the element (or ``@attribute``) ``tag`` says."""
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


def typed_column(tag: str, texts: list[str], numbers: set[str], booleans: set[str]) -> list[Any]:
    """``[typed(tag, text, numbers, booleans) for text in texts]``, a column at a time."""
    if tag in numbers:
        # orjson parses a column of decimals ten times faster than float() (and to the
        # same double: both round correctly). What it reads as floats, typed() does too
        # (a "." or an exponent in each), but for integers past 64 bits, which take 19
        # characters or more.
        try:
            parsed = orjson.loads("[" + ",".join(texts) + "]")
        except orjson.JSONDecodeError:
            parsed = None
        if (
            isinstance(parsed, list)
            and len(parsed) == len(texts)
            and {float} == set(map(type, parsed))
            and max(map(len, texts), default=0) < _LONGEST_INTEGER
        ):
            return parsed
        joined = "".join(texts)
        if joined.isascii() and "e" not in joined and "E" not in joined:
            try:
                values = list(map(float, texts))
            except ValueError:
                values = []  # typed() says which
            dots = sum(map(str.__contains__, texts, repeat(".")))
            if values and dots == len(texts):
                return values  # "1.0" stays a float
            if values and dots == 0 and all(map(float.is_integer, values)):
                return list(map(int, values))
    elif tag in booleans and set(texts) <= _BOOLEANS.keys():
        return list(map(_BOOLEANS.__getitem__, texts))
    elif tag not in booleans:
        return texts
    return [typed(tag, text, numbers, booleans) for text in texts]


def prolog_end(data: bytes) -> int | None:
    """Where a plain UTF-8 document's root may start (after a BOM and an XML
    declaration); None for anything else (another encoding, a DOCTYPE, a comment,
    a CDATA section, a processing instruction)."""
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    declaration = _DECLARATION.match(data, start)
    if declaration is not None:
        encoding = _ENCODING.search(declaration.group())
        if encoding is not None and encoding.group(1).lower() != b"utf-8":
            return None
        start = declaration.end()
    # memchr for the rarer byte first: most data has neither "!" nor "?".
    if data.find(b"!") >= 0 and b"<!" in data:
        return None
    if data.find(b"?", start) >= 0 and data.find(b"<?", start) >= 0:
        return None
    return None if b"\x00" in data else start


class _Sink:
    """A parser target that wants no event: libxml2 parses and checks, nothing is built."""

    def close(self) -> None:
        return None


def surely_accepted(data: bytes, schema: etree.XMLSchema | None = None) -> bool:
    """True if lxml's tree parser (hardened) accepts ``data`` and ``schema``, if given,
    finds it valid; False says nothing. REQUEST_TIMEOUT once the step's time is spent.

    Parsing into a target that wants no event builds nothing and calls no Python,
    3 to 4 times cheaper than building the tree. It parses like the tree parser
    but for what only building a tree checks, which a plain document (see
    :func:`prolog_end`; no ``xml:id``; no huge text node) never meets.
    """
    if prolog_end(data) is None or (b":" in data and b"xml:id" in data):
        return False
    for start in range(0, len(data), _TEXT_STRETCH):
        if data.find(b"<", start, start + _TEXT_STRETCH) < 0:
            return False
    sink: Any = _Sink()  # the stubs know only targets that want events
    parser = etree.XMLParser(target=sink, schema=schema, **HARDENED)
    try:
        for start in range(0, len(data), _CHUNK):
            if start % _BUDGET_BYTES == 0:
                budget.check()
            parser.feed(data[start : start + _CHUNK])
        parser.close()
    except etree.XMLSyntaxError:
        return False
    # A target parser does not ask the schema whether it is content: anything the
    # validator (or the parser) logged leaves the answer to the tree parser.
    return len(parser.feed_error_log) == 0


class _Open:
    """An element being read: its attributes and the children read so far."""

    __slots__ = ("attributes", "children", "value")

    def __init__(self, attributes: dict[str, Any]) -> None:
        self.value: dict[str, Any] = attributes
        self.attributes = bool(attributes)
        self.children = False


class StreamReader:
    """Reads a document into JSON element by element as the parser meets them, enforcing
    the shape limits on the way down: each element becomes JSON at its end and leaves the
    tree once its next sibling has, so a large document's tree never exists whole (only
    the JSON it becomes). An element's text is the text before its first child."""

    def __init__(self, force_list: set[str], numbers: set[str], booleans: set[str]) -> None:
        self.force_list = force_list
        self.numbers = numbers
        self.booleans = booleans
        self.count = 0

    def read(self, data: bytes) -> Any:
        events = etree.iterparse(
            io.BytesIO(data),
            events=("start", "end"),
            remove_blank_text=True,
            remove_comments=True,
            remove_pis=True,
            **HARDENED,
        )
        path: list[_Open] = []
        result: Any = None
        try:
            for event, element in events:
                if event == "start":
                    if not path:
                        refuse_doctype(element)
                    path.append(self._open(element, len(path) + 1))
                    continue
                value = self._close(element, path.pop())
                if path:
                    self._add(path[-1], element.tag, value)
                else:
                    result = value
                # The sibling read before leaves the tree, its tail with it: this one's
                # tail may still be on its way, and must not become the parent's text.
                previous = element.getprevious()
                if previous is not None:
                    element.getparent().remove(previous)
        except etree.XMLSyntaxError as exc:
            raise malformed(exc) from exc
        return result

    def _open(self, element: Any, depth: int) -> _Open:
        self.count += 1
        if self.count >= _BATCH:
            self.count = 0
            budget.check()
        if depth > MAX_DEPTH:
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
        return _Open({f"@{k}": self._typed(f"@{k}", v) for k, v in element.attrib.items()})

    def _close(self, element: Any, read: _Open) -> Any:
        text = (element.text or "").strip()
        if not read.children and not read.attributes:
            return self._typed(element.tag, text)
        if text:
            read.value["#text"] = self._typed(element.tag, text)
        return read.value

    def _add(self, parent: _Open, tag: str, value: Any) -> None:
        parent.children = True
        add_child(parent.value, tag, value, self.force_list)

    def _typed(self, tag: str, text: str) -> Any:
        return typed(tag, text, self.numbers, self.booleans)


def add_child(out: dict[str, Any], tag: str, value: Any, force_list: set[str]) -> None:
    """A child read into its parent's object: repeated siblings become an array."""
    if tag in out:
        existing = out[tag]
        if isinstance(existing, list):
            existing.append(value)
        else:
            out[tag] = [existing, value]
    else:
        out[tag] = [value] if tag in force_list else value
