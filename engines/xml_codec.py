"""JSON <-> XML with lxml: deterministic, round-trip safe, hardened, streaming.

Conventions (see docs/steps.md):

- an object's keys become child elements, in order; ``@name`` keys become
  attributes and ``#text`` the element's text;
- an array becomes one element per item, each named after the array's key;
- numbers and booleans are written as text (``true``/``false``); nulls are left out;
- reading XML back, repeated siblings become an array; elements named in
  ``force_list`` are always arrays (so one-item arrays round-trip), and those
  named in ``numbers`` / ``booleans`` are read back typed. An element with
  neither children nor attributes reads as its text.

Writing goes through ``etree.xmlfile`` and reading through ``etree.iterparse``,
each element dropped once read, so no whole tree is ever in memory (XSD validation
streams too, building a tree only to say why a document fails). The parser
resolves no entities, loads no DTD, touches no network and refuses any DOCTYPE
outright. A document read has a bounded shape besides its
size: elements nest at most ``MAX_DEPTH`` deep (so its JSON stays within the
platform's JSON depth limit) and carry at most ``MAX_ATTRIBUTES`` attributes each
(lxml lists an element's attributes in quadratic time: 100,000 of them took 92 s).
Both directions check the step's time budget (:mod:`engines.budget`) per element.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from lxml import etree

from engines import budget
from models.errors import ErrorCode, PlatformError
from models.json_shape import MAX_DEPTH as MAX_JSON_DEPTH

MAX_ERRORS = 50
# An element read becomes an object, and repeated ones an array: two JSON levels.
MAX_DEPTH = MAX_JSON_DEPTH // 2
MAX_ATTRIBUTES = 256
_XML_NAME = re.compile(r"^[A-Za-z_][\w.\-]*$")
# Every parse: no entity expanded, no DTD or anything else loaded, libxml2's size limits.
_HARDENED: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
}
_PARSER = etree.XMLParser(dtd_validation=False, remove_blank_text=True, **_HARDENED)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e16 else repr(value)
    return str(value)


def _name(name: str) -> str:
    if not _XML_NAME.match(name):
        raise PlatformError(
            ErrorCode.TRANSFORM_FAILED,
            f"The key {name!r} is not a valid XML element or attribute name.",
        )
    return name


def _write(xf: Any, tag: str, value: Any) -> None:
    if value is None:
        return
    budget.check()
    _name(tag)
    if isinstance(value, list):
        for item in value:
            _write(xf, tag, item)
        return
    if isinstance(value, dict):
        attrs = {
            _name(k[1:]): _text(v) for k, v in value.items() if k.startswith("@") and v is not None
        }
        with xf.element(tag, attrs):
            for key, child in value.items():
                if key == "#text":
                    if child is not None:
                        xf.write(_text(child))
                elif not key.startswith("@"):
                    _write(xf, key, child)
        return
    with xf.element(tag):
        xf.write(_text(value))


def json_to_xml(doc: Any, root: str, out: Any = None) -> bytes:
    """The XML of ``doc`` under ``<root>``; streams into ``out`` (a binary file) if given.

    Raises:
        PlatformError: TRANSFORM_FAILED for a key that is not a valid XML name.
    """
    target = out if out is not None else io.BytesIO()
    try:
        with etree.xmlfile(target, encoding="utf-8") as xf:
            xf.write_declaration()
            _write(xf, root, doc if doc is not None else {})
    except ValueError as exc:  # lxml's message names the bad tag or attribute
        raise PlatformError(
            ErrorCode.TRANSFORM_FAILED, f"The document cannot be written as XML: {exc}."
        ) from exc
    return target.getvalue() if out is None else b""


def parse_xml(data: bytes, max_bytes: int | None) -> Any:
    """A hardened parse of ``data``; TRANSFORM_FAILED for anything malformed or unsafe.

    ``max_bytes`` bounds XML from elsewhere; None for XML the platform wrote itself.
    """
    _within(data, max_bytes)
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise PlatformError(
            ErrorCode.TRANSFORM_FAILED, f"Malformed XML: {exc}.", details={"line": exc.lineno}
        ) from exc
    _refuse_doctype(root)
    return root


def _typed(tag: str, text: str, numbers: set[str], booleans: set[str]) -> Any:
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


class _Open:
    """An element being read: its attributes and the children read so far."""

    __slots__ = ("attributes", "children", "value")

    def __init__(self, attributes: dict[str, Any]) -> None:
        self.value: dict[str, Any] = attributes
        self.attributes = bool(attributes)
        self.children = False


class _Reader:
    """Reads a document into JSON element by element as the parser meets them, enforcing
    the shape limits on the way down: each element becomes JSON at its end and leaves the
    tree, so a large document's tree never exists whole (only the JSON it becomes)."""

    def __init__(self, force_list: set[str], numbers: set[str], booleans: set[str]) -> None:
        self.force_list = force_list
        self.numbers = numbers
        self.booleans = booleans

    def read(self, data: bytes) -> Any:
        events = etree.iterparse(
            io.BytesIO(data),
            events=("start", "end"),
            remove_blank_text=True,
            remove_comments=True,
            remove_pis=True,
            **_HARDENED,
        )
        path: list[_Open] = []
        result: Any = None
        try:
            for event, element in events:
                if event == "start":
                    if not path:
                        _refuse_doctype(element)
                    path.append(self._open(element, len(path) + 1))
                    continue
                value = self._close(element, path.pop())
                if path:
                    self._add(path[-1], element.tag, value)
                else:
                    result = value
                parent = element.getparent()
                if parent is not None:  # read: it leaves the tree
                    parent.remove(element)
        except etree.XMLSyntaxError as exc:
            raise PlatformError(
                ErrorCode.TRANSFORM_FAILED, f"Malformed XML: {exc}.", details={"line": exc.lineno}
            ) from exc
        return result

    def _open(self, element: Any, depth: int) -> _Open:
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
        """A child read into its parent: repeated siblings become an array."""
        parent.children = True
        out = parent.value
        if tag in out:
            existing = out[tag]
            if isinstance(existing, list):
                existing.append(value)
            else:
                out[tag] = [existing, value]
        else:
            out[tag] = [value] if tag in self.force_list else value

    def _typed(self, tag: str, text: str) -> Any:
        return _typed(tag, text, self.numbers, self.booleans)


def _refuse_doctype(root: Any) -> None:
    docinfo = root.getroottree().docinfo
    if getattr(docinfo, "doctype", "") or docinfo.internalDTD is not None:
        raise PlatformError(
            ErrorCode.TRANSFORM_FAILED,
            "XML with a DOCTYPE is refused: entities (and with them XML bombs and "
            "external entities) are not allowed.",
        )


def _within(data: bytes, max_bytes: int | None) -> None:
    if max_bytes is not None and len(data) > max_bytes:
        raise PlatformError(
            ErrorCode.TRANSFORM_FAILED,
            f"The XML document is {len(data)} bytes, over the limit of {max_bytes}.",
        )


def xml_to_json(
    data: bytes,
    *,
    force_list: Iterable[str] = (),
    numbers: Iterable[str] = (),
    booleans: Iterable[str] = (),
    max_bytes: int | None = None,
) -> Any:
    """The JSON form of an XML document's root content (see the module's conventions),
    read with the same hardening as :func:`parse_xml`."""
    _within(data, max_bytes)
    return _Reader(set(force_list), set(numbers), set(booleans)).read(data)


_XSD = "{http://www.w3.org/2001/XMLSchema}"
_LOADS = tuple(f"{_XSD}{name}" for name in ("include", "import", "redefine", "override"))


@lru_cache(maxsize=64)
def compile_schema(xsd: str) -> etree.XMLSchema:
    """An XSD ready to validate with (compiled once per text); VALIDATION_FAILED for a bad one.

    A schema is self-contained: one naming another document (``schemaLocation``)
    is refused before anything is loaded, so a step config can never read, or
    learn what exists on, the server's disk or network.
    """
    try:
        root = etree.fromstring(xsd.encode(), _PARSER)
    except etree.XMLSyntaxError as exc:
        raise PlatformError(ErrorCode.VALIDATION_FAILED, f"The XSD is not valid: {exc}.") from exc
    if any(el.get("schemaLocation") is not None for el in root.iter(*_LOADS)):
        raise PlatformError(
            ErrorCode.VALIDATION_FAILED,
            "The XSD includes or imports another document (schemaLocation): "
            "put everything it needs in this one.",
        )
    try:
        return etree.XMLSchema(root)
    except (etree.XMLSyntaxError, etree.XMLSchemaParseError) as exc:
        raise PlatformError(ErrorCode.VALIDATION_FAILED, f"The XSD is not valid: {exc}.") from exc


def conforms(data: bytes, schema: etree.XMLSchema) -> bool:
    """Whether ``data`` is well-formed, safe and valid against ``schema``, checked as it
    streams through the parser with each element dropped once read: a large document's
    tree is never built (36 MB of XML: 1.1 s and no tree, against 0.4 s and 350 MB for
    tree and validation). It says no more than yes or no (streaming validation knows no
    lines or paths): on a no, :func:`parse_xml` and :func:`validate` say why."""
    events = etree.iterparse(
        io.BytesIO(data),
        events=("end",),
        schema=schema,
        **_HARDENED,
    )
    first, closed = True, False
    try:
        for _, element in events:
            budget.check()
            if first:
                _refuse_doctype(element)
                first = False
            parent = element.getparent()
            if parent is None:
                closed = True
            else:
                parent.remove(element)
    except (etree.XMLSyntaxError, PlatformError):
        return False
    # lxml validating with entities unresolved lets a truncated (or empty) document end
    # quietly: it must have closed its root.
    return closed


def validate(root: Any, schema: etree.XMLSchema) -> None:
    """SCHEMA_VALIDATION_FAILED naming each failing element, line and reason."""
    if schema.validate(root):
        return
    errors = [
        {"line": e.line, "element": e.path, "message": e.message}
        for e in list(schema.error_log)[:MAX_ERRORS]  # type: ignore[call-overload]
    ]
    first = errors[0]
    raise PlatformError(
        ErrorCode.SCHEMA_VALIDATION_FAILED,
        f"The XML document fails its schema at {first['element']}: {first['message']}",
        details={"errors": errors},
    )
