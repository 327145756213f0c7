"""Reads a Ratabase-like XML rating request as its body streams in.

Chunks go to the canonical reader (``xml_canonical``), which reads the platform's
own layout by regular expression, a run of exposures at a time, and accepts only
well-formed XML. From the first thing outside that layout on (a comment, a
reference, a DOCTYPE, a namespace, an error...), the rest of the body goes to lxml's
pull parser, hardened as before (no entities, no network, no DTD), behind start
tags that reopen the elements open at that point; it reads each exposure when it
ends and then drops it, refuses a DOCTYPE or a wrong root as soon as it sees the
root, and reports a malformed body where it breaks.

Neither keeps the body: what stays is one value per exposure field. Their findings
mean what the tree-and-``findtext`` reading of the body always meant (the first
head field of a name, every ``Exposures/Exposure``, every ``Factors/*``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from lxml import etree

from reference_engine.request import RatingRequestError, Request, request_from_xml
from reference_engine.xml_canonical import CanonicalReader, Handover

# As much as the platform's XML steps read (100 MiB) and more: a 50 MB IMCE schedule,
# the largest product payload, maps to about 79 MB of XML.
MAX_XML_BYTES = 128 * 1024 * 1024

_HARDENED: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "remove_comments": True,
}
_PIECE = 1 << 20
_DOCTYPE_REFUSED = "XML with a DOCTYPE is refused (entities are not allowed)."
_HEAD = {
    "quoteId": "QuoteId",
    "product": "Product",
    "state": "State",
    "effectiveDate": "EffectiveDate",
}


def _text(parent: Any, tag: str) -> str | None:
    value = parent.findtext(tag)
    return value.strip() if value is not None else None


class _RootSeen(Exception):
    pass


class _Prolog:
    """Parser target for the body up to its root's start tag: refuses a DOCTYPE or a
    root other than <RatingRequest> before the rest of the body is read."""

    def doctype(self, *_: Any) -> None:
        raise RatingRequestError(_DOCTYPE_REFUSED)

    def start(self, tag: str, _: Any) -> None:
        if tag != "RatingRequest":
            raise RatingRequestError(f"Expected <RatingRequest>, got <{tag}>.")
        raise _RootSeen

    def close(self) -> None:
        return None


def _malformed(exc: etree.XMLSyntaxError) -> RatingRequestError:
    return RatingRequestError(f"Malformed XML: {exc}.")


class _TreeReader:
    """lxml's reading: exposures read from the tree as each one ends, then dropped."""

    def __init__(self, handover: Handover) -> None:
        self._parser = etree.XMLPullParser(events=("end",), tag="Exposure", **_HARDENED)
        # The stubs' target protocol asks for end and data methods: none are needed.
        self._prolog: Any = None
        if handover.at_start:
            self._prolog = etree.XMLParser(target=cast(Any, _Prolog()), **_HARDENED)
        self.root: Any = None
        self.ids: list[str | None] = []
        self.classes: list[str | None] = []
        self.values: list[str | None] = []
        self.years: list[str | None] = []
        self.feed(handover.prefix + handover.rest)

    def feed(self, data: bytes) -> None:
        # libxml2 refuses to buffer more than 10 MB at once without XML_PARSE_HUGE.
        for start in range(0, len(data), _PIECE):
            piece = data[start : start + _PIECE]
            if self._prolog is not None:
                try:
                    self._prolog.feed(piece)
                except _RootSeen:
                    self._prolog = None
                except etree.XMLSyntaxError as exc:
                    raise _malformed(exc) from exc
            try:
                self._parser.feed(piece)
            except etree.XMLSyntaxError as exc:
                raise _malformed(exc) from exc
            self._read()

    def close(self) -> None:
        try:
            self.root = self._parser.close()
        except etree.XMLSyntaxError as exc:
            raise _malformed(exc) from exc
        self._read()

    def _read(self) -> None:
        events: Iterator[tuple[str, Any]] = self._parser.read_events()
        for _, exposure in events:
            # Only root/Exposures/Exposure is an exposure (an <Exposure> can be a factor).
            exposures = exposure.getparent()
            if exposures is None or exposures.tag != "Exposures":
                continue
            root = exposures.getparent()
            if root is None or root.getparent() is not None:
                continue
            class_code = value = year = None
            for child in exposure:  # the first of each, as findtext reads
                tag = child.tag
                if tag == "ClassCode":
                    if class_code is None:
                        class_code = (child.text or "").strip()
                elif tag == "Value":
                    if value is None:
                        value = (child.text or "").strip()
                elif tag == "YearBuilt" and year is None:
                    year = (child.text or "").strip()
            self.ids.append(exposure.get("id"))
            self.classes.append(class_code)
            self.values.append(value)
            self.years.append(year)
            exposure.clear()
            while exposure.getprevious() is not None:
                del exposures[0]


class XmlRequestReader:
    """Reads one XML rating request: :meth:`feed` each chunk of the body, then :meth:`close`.

    Args:
        max_bytes: the largest body read; one byte more is refused as it arrives.
    """

    def __init__(self, max_bytes: int = MAX_XML_BYTES) -> None:
        self._max_bytes = max_bytes
        self._size = 0
        self._canonical = CanonicalReader()
        self._general: _TreeReader | None = None

    def feed(self, chunk: bytes) -> None:
        """Reads the next ``chunk`` of the body.

        Raises:
            RatingRequestError: for a body too large, malformed, with a DOCTYPE, or
                whose root is not ``<RatingRequest>``, as soon as that shows.
        """
        self._size += len(chunk)
        if self._size > self._max_bytes:
            raise RatingRequestError(f"The XML request exceeds {self._max_bytes} bytes.")
        # Pieces keep what waits in the canonical reader's text small.
        for start in range(0, len(chunk), _PIECE):
            self._read(chunk[start : start + _PIECE] if len(chunk) > _PIECE else chunk)

    def close(self) -> Request:
        """The request read, validated.

        Raises:
            RatingRequestError: for a body malformed or incomplete, or a request
                that is not valid (the model's problems, as the JSON protocol names them).
        """
        if not self._size:  # libxml2's own words for it, as the whole-body parse said
            try:
                etree.fromstring(b"", etree.XMLParser(**_HARDENED))
            except etree.XMLSyntaxError as exc:
                raise RatingRequestError(f"Malformed XML: {exc}.") from exc
        self._read(b"", final=True)
        canonical, general = self._canonical, self._general
        root = None if general is None else general.root
        fields = canonical.fields

        def field(tag: str) -> str | None:
            if tag in fields or root is None:
                return fields.get(tag)
            return _text(root, tag)

        factors = canonical.factors
        if root is not None:
            # <Factor name="x">1.1</Factor>, or simply <x>1.1</x>, under <Factors>.
            for factor in root.iterfind("Factors/*"):
                name = factor.get("name") if factor.tag == "Factor" else factor.tag
                factors[name] = (factor.text or "").strip()
        head: dict[str, Any] = {key: field(tag) for key, tag in _HEAD.items()}
        head["factors"] = factors
        if deductible := field("Deductible"):
            head["deductible"] = deductible
        ids, classes, values = canonical.ids, canonical.classes, canonical.values
        checked = len(ids)
        years: list[str | None] = [None] * checked
        if general is not None:
            ids += general.ids
            classes += general.classes
            values += general.values
            years += general.years
        return request_from_xml(head, ids, classes, values, years, checked)

    def _read(self, chunk: bytes, final: bool = False) -> None:
        if self._general is None:
            handover = self._canonical.feed(chunk, final)
            if handover is None:
                return
            self._general = _TreeReader(handover)
        else:
            self._general.feed(chunk)
        if final:
            self._general.close()
