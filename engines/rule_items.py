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

from engines.paths import MISSING, Parts, get_parts, split_path

PARENT = "$parent"
DOCUMENT = "$document"
_STRINGS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
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
    for string in _STRINGS.finditer(text):
        out.append(_ROOT.sub(bind, text[last : string.start()]))
        out.append(string.group())
        last = string.end()
    out.append(_ROOT.sub(bind, text[last:]))
    return "".join(out)


def parent_depth(path: str) -> int:
    """How many ``$parent`` steps a (bound) path climbs."""
    depth = 0
    for part in split_path(path):
        if part != PARENT:
            break
        depth += 1
    return depth


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

    def locations(self, doc: Any) -> Iterator[tuple[Parts, ...]]:
        """Each item's location, then its parents' (innermost first, the document last).

        An array that is absent (or null) has no items. The items are those ``doc`` holds:
        a rule's changes to the document do not add items to the walk it is making."""
        yield from self._walk(doc, (), 0, ((),))

    def _walk(
        self, doc: Any, base: Parts, depth: int, parents: tuple[Parts, ...]
    ) -> Iterator[tuple[Parts, ...]]:
        level = base + self.levels[depth]
        items = get_parts(doc, level)
        if not isinstance(items, list):
            if items is MISSING or items is None:
                return
            raise ItemError(level, f"is a {type(items).__name__}, not an array")
        for index in range(len(items)):
            at = (*level, index)
            if depth + 1 == len(self.levels):
                yield (at, *parents)
            else:
                yield from self._walk(doc, at, depth + 1, (at, *parents))


class ItemError(ValueError):
    """An array of a ``forEach`` holds something a rule cannot apply to."""

    def __init__(self, at: Parts, message: str) -> None:
        super().__init__(f"{format_path(at)} {message}")
        self.at = at


def format_path(parts: Parts) -> str:
    """``("states", 2, "classes")`` -> ``states[2].classes``."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def view(doc: Any, chain: tuple[Parts, ...], parents: int, root: bool) -> Any:
    """The item at ``chain[0]`` as a rule reads it: with ``parents`` levels of
    ``$parent`` and, if ``root``, the document as ``$document``."""
    item = get_parts(doc, chain[0])
    if not isinstance(item, dict):
        raise ItemError(chain[0], f"is {_kind(item)}, not an object")
    if not parents and not root:
        return item
    seen = dict(item)
    if parents:
        seen[PARENT] = _parent_view(doc, chain[1:], parents - 1)
    if root:
        seen[DOCUMENT] = doc
    return seen


def _parent_view(doc: Any, chain: tuple[Parts, ...], parents: int) -> Any:
    if not chain:
        return MISSING
    holder = get_parts(doc, chain[0])
    if not parents or not isinstance(holder, dict):
        return holder
    return {**holder, PARENT: _parent_view(doc, chain[1:], parents - 1)}


def _kind(value: Any) -> str:
    return "null" if value is None else f"a {type(value).__name__}"


def target_parts(target: str, chain: tuple[Parts, ...]) -> Parts:
    """Where a (bound, rendered) target of an item's rule writes, from the document."""
    parts = split_path(target)
    if parts[:1] == (DOCUMENT,):
        return parts[1:]
    climbed = 0
    while climbed < len(parts) and parts[climbed] == PARENT:
        climbed += 1
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


def scope_value(doc: Any, chain: tuple[Parts, ...], tag: str, request: dict[str, Any]) -> Any:
    """A scope tag's value for an item: its own field, else the nearest enclosing
    object's, else the value the step resolved for the request."""
    for at in chain:
        holder = get_parts(doc, at)
        if isinstance(holder, dict) and tag in holder:
            return holder[tag]
    return request.get(tag)
