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

Writing (:mod:`engines.xml_write`) builds the output as strings, byte for byte
what lxml's incremental writer writes; reading (:mod:`engines.xml_read`,
:mod:`engines.xml_scan`) never holds a whole tree, and neither does XSD
validation, which builds a tree only to say why a document fails. The parser
resolves no entities, loads no DTD, touches no network and refuses any DOCTYPE
outright, and a document read has a bounded shape (``MAX_DEPTH``,
``MAX_ATTRIBUTES``). Both directions check the step's time budget
(:mod:`engines.budget`) every thousand elements or so.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from lxml import etree

from engines import budget
from engines.xml_read import (
    HARDENED,
    MAX_ATTRIBUTES,
    MAX_DEPTH,
    StreamReader,
    malformed,
    refuse_doctype,
    surely_accepted,
    within,
)
from engines.xml_scan import scan
from engines.xml_write import json_to_xml
from models.errors import ErrorCode, PlatformError

__all__ = [
    "MAX_ATTRIBUTES",
    "MAX_DEPTH",
    "MAX_ERRORS",
    "compile_schema",
    "conforms",
    "json_to_xml",
    "parse_xml",
    "validate",
    "xml_to_json",
]

MAX_ERRORS = 50
_PARSER = etree.XMLParser(dtd_validation=False, remove_blank_text=True, **HARDENED)
_BATCH = 1000  # elements between two looks at the step's time budget


def parse_xml(data: bytes, max_bytes: int | None) -> Any:
    """A hardened parse of ``data``; TRANSFORM_FAILED for anything malformed or unsafe.

    ``max_bytes`` bounds XML from elsewhere; None for XML the platform wrote itself.
    """
    within(data, max_bytes)
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise malformed(exc) from exc
    refuse_doctype(root)
    return root


def xml_to_json(
    data: bytes,
    *,
    force_list: Iterable[str] = (),
    numbers: Iterable[str] = (),
    booleans: Iterable[str] = (),
    max_bytes: int | None = None,
    schema: etree.XMLSchema | None = None,
) -> Any:
    """The JSON form of an XML document's root content (see the module's conventions),
    read with the same hardening as :func:`parse_xml`.

    With ``schema``, the document must be valid too, and is refused as :func:`parse_xml`
    and :func:`validate` refuse it. A plain document is validated by the parse the
    reader needs anyway (:func:`engines.xml_read.surely_accepted`): no parse of its own.
    """
    within(data, max_bytes)
    if schema is None:
        sure = surely_accepted(data)
    else:
        try:
            sure = surely_accepted(data, schema)
        except PlatformError:  # out of time: checked as by conforms(), then read
            sure = False
        if not sure and not streamed_conforms(data, schema):
            validate(parse_xml(data, max_bytes), schema)
    options = set(force_list), set(numbers), set(booleans)
    if sure:
        read, value = scan(data, *options)
        if read:
            return value
    return StreamReader(*options).read(data)


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
    streams through the parser: a large document's tree is never built. A plain
    document (see :func:`engines.xml_read.surely_accepted`) is checked without
    building any of its tree (36 MB of XML: 0.45 s, against 1.4 s element by element
    and 0.4 s and 350 MB for the whole tree); anything else, and a no, is checked
    element by element (:func:`streamed_conforms`). It says no more than yes or no
    (streaming validation knows no lines or paths): on a no, :func:`parse_xml` and
    :func:`validate` say why."""
    try:
        if surely_accepted(data, schema):
            return True
    except PlatformError:  # the time budget is spent: a no, as the streamed check says
        return False
    return streamed_conforms(data, schema)


def streamed_conforms(data: bytes, schema: etree.XMLSchema) -> bool:
    """:func:`conforms` for any document: the tree parser, each element dropped once read."""
    events = etree.iterparse(
        io.BytesIO(data),
        events=("end",),
        schema=schema,
        **HARDENED,
    )
    first, closed, count = True, False, 0
    try:
        for _, element in events:
            count += 1
            if count >= _BATCH:
                count = 0
                budget.check()
            if first:
                refuse_doctype(element)
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
