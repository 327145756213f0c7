"""What a rule applied per item (``forEach``) reads and writes.

A ``forEach`` of ``states[].classes`` visits every class of every state. Each item is
read through a *view*: the item's own fields, ``$parent`` (the enclosing item: the
state, for a class; the document, for a state; its own ``$parent`` beyond) and
``$root`` (the whole document). ZEN itself reads ``$root`` as the context it is
handed, which for an item is the view, so expressions are given ``$document`` in its
place (:func:`bind_root`); product teams write ``$root``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from engines.paths import MISSING, PARENT, Parts, climbs, format_path, get_parts, split_path
from engines.zen_syntax import STRINGS

DOCUMENT = "$document"
_ROOT = re.compile(r"(?<![\w$#])\$root\b(\.)?")
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


def bind_root(text: str, per_item: bool) -> str:
    """``text`` with ``$root`` bound outside its strings: to ``$document`` in a rule per
    item; dropped (``$root.a`` is ``a``) in a rule over the document, as ZEN reads it."""
    if "$root" not in text:
        return text

    def bind(match: re.Match[str]) -> str:
        if per_item:
            return DOCUMENT + (match.group(1) or "")
        return "" if match.group(1) else match.group(0)

    out, last = [], 0
    for string in STRINGS.finditer(text):
        out.append(_ROOT.sub(bind, text[last : string.start()]))
        out.append(string.group())
        last = string.end()
    out.append(_ROOT.sub(bind, text[last:]))
    return "".join(out)


@dataclass(frozen=True)
class ItemPath:
    """A ``forEach`` path, as the arrays it steps through: ``states[].classes`` is
    ``(("states",), ("classes",))``."""

    text: str
    levels: tuple[Parts, ...]

    @classmethod
    def parse(cls, text: str) -> ItemPath:
        stripped = text.removesuffix("[]")
        return cls(text, tuple(split_path(level) for level in stripped.split("[].")))

    @property
    def depth(self) -> int:
        return len(self.levels)

    def arrays(self, doc: Any) -> Iterator[tuple[Parts, tuple[Parts, ...]]]:
        """Each innermost array's location and its items' enclosing items' (innermost
        first, the document last). An absent or null array on the way has no items."""
        yield from self._arrays(doc, (), 0, ((),))

    def _arrays(
        self, doc: Any, base: Parts, depth: int, holders: tuple[Parts, ...]
    ) -> Iterator[tuple[Parts, tuple[Parts, ...]]]:
        level = base + self.levels[depth]
        if depth + 1 == len(self.levels):
            yield level, holders
            return
        items = array_at(doc, level)
        for index in range(len(items)):
            at = (*level, index)
            yield from self._arrays(doc, at, depth + 1, (at, *holders))


def array_at(doc: Any, level: Parts) -> list[Any]:
    """The array of a ``forEach`` at ``level`` (none if absent or null)."""
    items = get_parts(doc, level)
    if isinstance(items, list):
        return items
    if items is MISSING or items is None:
        return []
    raise ItemError(level, f"is a {type(items).__name__}, not an array")


class ItemError(ValueError):
    """An array of a ``forEach`` holds something a rule cannot apply to."""

    def __init__(self, at: Parts, message: str) -> None:
        super().__init__(f"{format_path(at)} {message}")
        self.at = at


def parent_view(doc: Any, holders: tuple[Parts, ...], parents: int) -> Any:
    """What ``$parent`` reads for the items of one array: ``parents`` levels of it."""
    if not holders or not parents:
        return MISSING
    holder = get_parts(doc, holders[0])
    if parents == 1 or not isinstance(holder, dict):
        return holder
    return {**holder, PARENT: parent_view(doc, holders[1:], parents - 1)}


def item_view(item: Any, at: Parts, parent: Any, document: Any) -> Any:
    """The item as a rule reads it: with ``$parent`` and ``$document`` when the rule
    reads them (``parent``, ``document`` not MISSING)."""
    if not isinstance(item, dict):
        raise ItemError(at, f"is {_kind(item)}, not an object")
    if parent is MISSING and document is MISSING:
        return item
    seen = dict(item)
    if parent is not MISSING:
        seen[PARENT] = parent
    if document is not MISSING:
        seen[DOCUMENT] = document
    return seen


def _kind(value: Any) -> str:
    return "null" if value is None else f"a {type(value).__name__}"


def target_parts(target: str, chain: tuple[Parts, ...]) -> Parts:
    """Where a (bound, rendered) target of an item's rule writes, from the document."""
    parts = split_path(target)
    if parts[:1] == (DOCUMENT,):
        return parts[1:]
    climbed = climbs(parts)
    if climbed >= len(chain):
        raise ItemError(chain[0], f"has no {PARENT} {climbed} level(s) up for {target!r}")
    return chain[climbed] + parts[climbed:]


def placeholders(template: str) -> list[str]:
    """The paths of a template's ``{path}`` placeholders."""
    return [name.strip() for name in _PLACEHOLDER.findall(template)]


def render(template: str, seen: Any, per_item: bool) -> str:
    """``template`` with each ``{path}`` replaced by that path's value in ``seen``."""

    def fill(match: re.Match[str]) -> str:
        value = get_parts(seen, split_path(bind_root(match.group(1).strip(), per_item)))
        if value is MISSING or value is None:
            return "(absent)"
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    return _PLACEHOLDER.sub(fill, template)


def scope_value(doc: Any, holders: tuple[Parts, ...], tag: str, request: dict[str, Any]) -> Any:
    """A scope tag's value for the items of an array that do not hold it themselves:
    the nearest enclosing item's, else the value the step resolved for the request."""
    for at in holders:
        holder = get_parts(doc, at)
        if isinstance(holder, dict) and tag in holder:
            return holder[tag]
    return request.get(tag)
