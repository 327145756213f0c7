"""Field mappings turned into Python: generated code maps an element in one pass.

A mapping becomes the source of one function, and each ``items`` sub-mapping the
source of one loop over its array with the element's code inline, specialised
field by field: a single-key read, an inlined path, the JMESPath multiselect only
when there is one, a transform's unary form (the built-in shortcuts written in
place), a constant default. The source names only identifiers it makes up
(``v0``, ``c3``); every value of the mapping (keys, targets, tables, defaults) is
a constant bound through the function's closure, never text in the code. The
step's time budget is checked per batch of elements.

An element does not know where it sits in the document, so a failing field
raises :class:`Failure`; each array on the way out adds its ``source[index].``
and the mapping's ``apply`` builds the error with the whole path.

An element's code sees ``src`` and ``up``, its enclosing elements (innermost first,
the mapped document last): ``$parent.x`` reads ``up[0]``, ``$root.x`` the document.
An ``items`` source through arrays (``states[].classes``) is walked as one array of
the inner elements, each with its own ``up``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial
from typing import Any, cast

from pydantic import BaseModel

from engines import budget
from engines.paths import (
    MISSING,
    Parts,
    PathError,
    climbs,
    format_path,
    get_parts,
    set_parts,
    split_path,
)
from engines.transform_unary import (
    INTEGRAL_FLOAT_LIMIT,
    UnaryFactory,
    round_limits,
    round_unary,
    table_unary,
)
from engines.transforms import ConcatArgs, Transform, TransformError, concat
from models.errors import ErrorCode, PlatformError
from models.mappings import FieldMapping

# Elements mapped between two checks of the step's time budget.
BATCH = 1_000
_NO_KEYS: Callable[[Any], Any] = {}.get  # reads None for any key, like a non-object


ROOT = "$root"


@dataclass(frozen=True)
class FieldPlan:
    """One field of a mapping, checked and split; what the generated code is made of."""

    spec: FieldMapping
    getter: Parts | None  # a plain source, read from ``base``
    expression_key: str | None  # the key of a JMESPath source in the multiselect
    target: Parts
    transform: Transform | None
    args: BaseModel | None
    items: MappingPlan | None
    base: int = 0  # where ``getter`` starts: 0 the element, k its k-th enclosing, -1 the root
    through: tuple[Parts, ...] = ()  # items of ``a[].b``: the arrays inside each ``a``


def source_base(parts: Parts) -> tuple[int, Parts]:
    """A plain source's base (as :attr:`FieldPlan.base`) and its path from there."""
    if parts[:1] == (ROOT,):
        return -1, parts[1:]
    climbed = climbs(parts)
    return climbed, parts[climbed:]


def _ancestor(src: Any, up: tuple[Any, ...], base: int) -> Any:
    """The object a source of ``base`` is read from."""
    if base == 0:
        return src
    if base == -1:
        return up[-1] if up else src
    return up[base - 1]


@dataclass(frozen=True)
class MappingPlan:
    fields: list[FieldPlan]
    multiselect: Any  # a compiled JMESPath multiselect hash, or None


class Failure(Exception):
    """A field failed somewhere below the mapping's top; the error waits for its path."""

    def __init__(self, build: Callable[[str], PlatformError], cause: BaseException | None) -> None:
        super().__init__()
        self.build = build
        self.cause = cause

    def within(self, step: str) -> None:
        """The failing element is at ``step`` (``source[index].``) of the level above."""
        inner = self.build
        self.build = lambda prefix: inner(prefix + step)


def _missing(names: list[str], prefix: str) -> PlatformError:
    missing = [prefix + name for name in names]
    return PlatformError(
        ErrorCode.MAPPING_FAILED,
        f"{len(missing)} required field(s) missing: {', '.join(missing)}.",
        details={"missing": missing},
    )


def _transform_error(spec: FieldMapping, exc: TransformError, prefix: str) -> PlatformError:
    return PlatformError(
        ErrorCode.MAPPING_FAILED,
        f"Field '{prefix}{spec.target}': transform '{spec.transform}' failed on "
        f"'{prefix}{spec.source}': {exc}.",
        details={"target": prefix + spec.target, "source": spec.source},
    )


def _target_error(spec: FieldMapping, exc: PathError, prefix: str) -> PlatformError:
    return PlatformError(
        ErrorCode.MAPPING_FAILED,
        f"Field '{prefix}{spec.target}': {exc}.",
        details={"target": prefix + spec.target},
    )


def _array_error(spec: FieldMapping, kind: str, prefix: str) -> PlatformError:
    return PlatformError(
        ErrorCode.MAPPING_FAILED,
        f"Field '{prefix}{spec.target}' maps each element of "
        f"'{spec.source}', which is a {kind}, not an array.",
        details={"source": spec.source},
    )


def _missing_failure(names: list[str]) -> Failure:
    return Failure(partial(_missing, names), None)


def _transform_failure(spec: FieldMapping, exc: TransformError) -> Failure:
    return Failure(partial(_transform_error, spec, exc), exc)


def _target_failure(spec: FieldMapping, exc: PathError) -> Failure:
    return Failure(partial(_target_error, spec, exc), exc)


@cache
def _lookup_plan(path: str) -> tuple[int, Parts]:
    return source_base(split_path(path))


def _lookup_in(source: Any, up: tuple[Any, ...], path: str) -> Any:
    """The ``lookup`` a transform gets: another path of the element (``$parent.`` and
    ``$root.`` reaching out), None if missing."""
    base, parts = _lookup_plan(path)
    if base > len(up):
        return None
    value = get_parts(_ancestor(source, up, base) if base else source, parts)
    return None if value is MISSING else value


Group = tuple[tuple[Any, ...], list[Any]]  # the elements of one array, and their up


def walk_through(value: list[Any], through: tuple[Parts, ...], up: tuple[Any, ...]) -> list[Group]:
    """The arrays ``through`` inside each element of ``value``, each with the up its
    elements share (``states[].classes``: each state's classes, the state first in
    their up). An absent or null inner array has no elements.

    Raises:
        TypeError: an inner array is not one (its type's name).
    """
    holders: list[tuple[Any, tuple[Any, ...]]] = [(element, up) for element in value]
    groups: list[Group] = []
    for depth, parts in enumerate(through):
        groups = []
        for holder, above in holders:
            items = get_parts(holder, parts) if isinstance(holder, dict) else MISSING
            if items is MISSING or items is None:
                continue
            if not isinstance(items, list):
                raise TypeError(type(items).__name__)
            groups.append(((holder, *above), items))
        if depth + 1 < len(through):
            holders = [(item, outer) for outer, items in groups for item in items]
    return groups


def _where_through(value: list[Any], through: tuple[Parts, ...], index: int) -> str:
    """Where the ``index``-th element :func:`walk_through` gave sits: ``[0].classes[1]``
    (walked again: only a failure asks)."""
    walked: list[tuple[Any, str]] = [(element, f"[{i}]") for i, element in enumerate(value)]
    for parts in through:
        name = "." + format_path(parts)  # a level through arrays starts with a key
        inner: list[tuple[Any, str]] = []
        for holder, where in walked:
            items = get_parts(holder, parts) if isinstance(holder, dict) else None
            if isinstance(items, list):
                inner.extend((item, f"{where}{name}[{i}]") for i, item in enumerate(items))
        walked = inner
    return walked[index][1]


def _not_array(spec: FieldMapping, value: Any) -> Failure:
    return Failure(partial(_array_error, spec, type(value).__name__), None)


def _failed_at(failure: Failure, spec: FieldMapping, index: int) -> None:
    failure.within(f"{spec.source}[{index}].")


def _failed_through(
    failure: Failure, spec: FieldMapping, value: list[Any], through: tuple[Parts, ...], index: int
) -> None:
    where = _where_through(value, through, index)
    failure.within(f"{(spec.source or '').split('[]', 1)[0]}{where}.")


def _not_array_through(spec: FieldMapping, kind: TypeError) -> Failure:
    return Failure(partial(_array_error, spec, str(kind)), None)


class _Code:
    """A generated function's lines and the constants they name (``c0``, ``c1``...)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.constants: list[Any] = []
        self.names: dict[int, str] = {}  # by id: the constants list keeps each alive

    def const(self, value: Any) -> str:
        if (name := self.names.get(id(value))) is None:
            name = self.names[id(value)] = f"c{len(self.constants)}"
            self.constants.append(value)
        return name

    def emit(self, depth: int, line: str) -> None:
        self.lines.append("    " * depth + line)

    def build(self, name: str) -> Callable[..., Any]:
        # The constants are the factory's parameters: the function reads them as
        # closure cells, and no value of the mapping is ever part of the source.
        params = ", ".join(f"c{i}" for i in range(len(self.constants)))
        text = "\n".join([f"def make({params}):", *self.lines, "    return run", ""])
        namespace: dict[str, Any] = {}
        exec(compile(text, f"<mapping {name}>", "exec"), namespace)
        function: Callable[..., Any] = namespace["make"](*self.constants)
        return function


def document_function(plan: MappingPlan) -> Callable[[Any], tuple[dict[str, Any], int, int]]:
    """``run(document) -> (mapped, fields applied, fields defaulted)``.

    Raises:
        Failure: a field failed; ``build("")`` makes its PlatformError.
    """
    code = _Code()
    code.emit(1, "def run(src):")
    code.emit(2, "up = ()")
    _element(code, plan, 2, counts=True)
    return code.build("document")


def _array_function(
    plan: MappingPlan, spec: FieldMapping, through: tuple[Parts, ...]
) -> Callable[[Any, tuple[Any, ...]], list[Any]]:
    """``run(array, up) -> mapped elements``: the element's code inlined in the loop."""
    code = _Code()
    c = code.const
    code.emit(1, "def run(value, up):")
    code.emit(2, "if not isinstance(value, list):")
    code.emit(3, f"raise {c(_not_array)}({c(spec)}, value)")
    if through:
        code.emit(2, "try:")
        code.emit(3, f"groups = {c(walk_through)}(value, {c(through)}, up)")
        code.emit(2, "except TypeError as kind:")
        code.emit(3, f"raise {c(_not_array_through)}({c(spec)}, kind) from None")
    else:
        code.emit(2, "groups = ((up, value),)")
    failed_at = _failed_through if through else _failed_at
    code.emit(2, "mapped = []")
    code.emit(2, "append = mapped.append")
    code.emit(2, "try:")
    code.emit(3, "for up, items in groups:")
    code.emit(4, f"for start in range(0, len(items), {c(BATCH)}):")
    code.emit(5, f"{c(budget)}.check()")
    code.emit(5, f"for src in items[start : start + {c(BATCH)}]:")
    _element(code, plan, 6, counts=False)
    # The failing element is the one not appended yet.
    code.emit(2, f"except {c(Failure)} as failure:")
    where = f"value, {c(through)}, " if through else ""
    code.emit(3, f"{c(failed_at)}(failure, {c(spec)}, {where}len(mapped))")
    code.emit(3, "raise")
    code.emit(2, "return mapped")
    return code.build("items")


def _element(code: _Code, plan: MappingPlan, d: int, counts: bool) -> None:
    """Maps ``src``: returns ``obj, applied, defaulted`` if ``counts``, else appends ``obj``."""
    c = code.const
    fields = plan.fields
    keys = [
        f.target[0] if len(f.target) == 1 and isinstance(f.target[0], str) else None for f in fields
    ]
    # An element whose targets are all single keys collects its values and builds
    # the object in one display; the document (mapped once, counted) writes as it goes.
    literal = not counts and all(key is not None for key in keys)
    required = any(f.spec.required for f in fields)
    if any(f.getter and f.base == 0 for f in fields):
        code.emit(d, f"get = src.get if isinstance(src, dict) else {c(_NO_KEYS)}")
    if plan.multiselect is not None:
        code.emit(d, f"selected = {c(plan.multiselect)}.search(src)")
        code.emit(d, f"fget = selected.get if isinstance(selected, dict) else {c(_NO_KEYS)}")
    if required:
        code.emit(d, "miss = None")
    if not literal:
        code.emit(d, "obj = {}")
    if counts:
        code.emit(d, "applied = defaulted = 0")
    for index, field in enumerate(fields):
        v = f"v{index}" if literal else "v"
        _read(code, field, v, d)
        _compute(code, field, v, d, counts)
        if not literal:
            _write(code, field, v, keys[index], d, counts)
    if required:
        code.emit(d, "if miss is not None:")
        code.emit(d + 1, f"raise {c(_missing_failure)}(miss)")
    if counts:
        code.emit(d, "return obj, applied, defaulted")
    elif literal:
        _assemble(code, fields, [c(key) for key in keys], d)
    else:
        code.emit(d, "append(obj)")


def _read(code: _Code, field: FieldPlan, v: str, d: int) -> None:
    c = code.const
    if field.getter is None:
        if field.expression_key is not None:
            code.emit(d, f"{v} = fget({c(field.expression_key)})")
        else:
            code.emit(d, f"{v} = None")
    elif field.base:
        code.emit(d, f"{v} = {c(_ancestor)}(src, up, {field.base})")
        _read_parts(code, list(field.getter), v, d)
    else:
        head, *rest = field.getter
        code.emit(d, f"{v} = get({c(head)})")
        _read_parts(code, rest, v, d)


def _read_parts(code: _Code, parts: list[str | int], v: str, d: int) -> None:
    """Reads ``parts`` from ``v`` into ``v`` (None where there is nothing)."""
    c = code.const
    for part in parts:
        p = c(part)
        if isinstance(part, int):
            code.emit(d, f"{v} = {v}[{p}] if isinstance({v}, list) and {p} < len({v}) else None")
        else:
            code.emit(d, f"{v} = {v}.get({p}) if isinstance({v}, dict) else None")


def _inline_concat(code: _Code, args: ConcatArgs, v: str, d: int) -> None:
    """As :func:`engines.transforms.concat`, its lookups written out as reads."""
    c = code.const
    code.emit(
        d,
        f"texts = [] if {v} is None or {v} == '' else [{v} if {v}.__class__ is str else str({v})]",
    )
    for path in args.sources:
        base, parts = _lookup_plan(path)
        if base == 0:
            code.emit(d, "part = src")
        elif base == -1:
            code.emit(d, "part = up[-1] if up else src")
        else:
            code.emit(d, f"part = up[{base - 1}] if len(up) >= {base} else None")
        _read_parts(code, list(parts), "part", d)
        code.emit(d, "if part is not None and part != '':")
        code.emit(d + 1, "texts.append(part if part.__class__ is str else str(part))")
    code.emit(d, f"{v} = {c(args.separator)}.join(texts)")


def _compute(code: _Code, field: FieldPlan, v: str, d: int, counts: bool) -> None:
    """Per-element mapping, transform, default and the required check, in that order."""
    c = code.const
    spec = field.spec
    if field.items is not None:
        code.emit(d, f"if {v} is not None:")
        run = _array_function(field.items, spec, field.through)
        code.emit(d + 1, f"{v} = {c(run)}({v}, (src, *up))")
    transform = field.transform
    if transform is not None:
        at = d
        if not transform.accepts_null:
            code.emit(d, f"if {v} is not None:")
            at = d + 1
        if transform.fn is concat:  # its lookups, written out (no lookup per element)
            _inline_concat(code, cast(ConcatArgs, field.args), v, at)
        else:
            _call(code, field, v, at)
    if spec.default is not None:
        code.emit(d, f"if {v} is None:")
        code.emit(d + 1, f"{v} = {c(spec.default)}")
        if counts:
            code.emit(d + 1, "defaulted += 1")
    elif spec.required:
        code.emit(d, f"if {v} is None:")
        code.emit(d + 1, "if miss is None:")
        code.emit(d + 2, "miss = []")
        code.emit(d + 1, f"miss.append({c(spec.source or spec.target)})")


def _call(code: _Code, field: FieldPlan, v: str, d: int) -> None:
    """``v = transform(v)``: its unary form (with the built-ins' shortcuts written in
    place) where it has one, else with a lookup into the element."""
    c = code.const
    transform, spec = field.transform, field.spec
    assert transform is not None
    unary = transform.unary_for(field.args)
    if unary is None:
        lookup = f"{c(partial)}({c(_lookup_in)}, src, up)"
        call = f"{c(transform.fn)}({v}, {c(field.args)}, {lookup})"
    else:
        call = f"{c(unary)}({v})"

    def apply(depth: int) -> None:
        code.emit(depth, "try:")
        code.emit(depth + 1, f"{v} = {call}")
        code.emit(depth, f"except {c(TransformError)} as exc:")
        code.emit(depth + 1, f"raise {c(_transform_failure)}({c(spec)}, exc)")

    inline = _INLINE.get(transform.unary) if unary is not None else None
    if inline is None:
        apply(d)
    else:
        inline(code, field.args, v, d, apply)


def _write(code: _Code, field: FieldPlan, v: str, key: str | None, d: int, counts: bool) -> None:
    c = code.const
    if field.spec.default is None:  # else it has a value by now
        code.emit(d, f"if {v} is not None:")
        d += 1
    if key is not None:
        code.emit(d, f"obj[{c(key)}] = {v}")
    else:
        code.emit(d, "try:")
        code.emit(d + 1, f"{c(set_parts)}(obj, {c(field.target)}, {v})")
        code.emit(d, f"except {c(PathError)} as exc:")
        code.emit(d + 1, f"raise {c(_target_failure)}({c(field.spec)}, exc)")
    if counts:
        code.emit(d, "applied += 1")


def _assemble(code: _Code, fields: list[FieldPlan], keys: list[str], d: int) -> None:
    """Appends the element's object: one display when every field has a value."""
    # A required field without a value has raised, a defaulted one has a value.
    optional = [i for i, f in enumerate(fields) if f.spec.default is None and not f.spec.required]
    display = "{" + ", ".join(f"{key}: v{i}" for i, key in enumerate(keys)) + "}"
    if not optional:
        code.emit(d, f"append({display})")
        return
    code.emit(d, f"if {' and '.join(f'v{i} is not None' for i in optional)}:")
    code.emit(d + 1, f"append({display})")
    code.emit(d, "else:")
    code.emit(d + 1, "obj = {}")
    for i, key in enumerate(keys):
        if i in optional:
            code.emit(d + 1, f"if v{i} is not None:")
            code.emit(d + 2, f"obj[{key}] = v{i}")
        else:
            code.emit(d + 1, f"obj[{key}] = v{i}")
    code.emit(d + 1, "append(obj)")


# The shortcuts of the built-in unary forms, written into the element's code to save
# a call per value: the same tests as the unary form's, which any other value is
# handed to (and which falls back to the transform).
Emitter = Callable[[_Code, Any, str, int, Callable[[int], None]], None]


def _inline_table(code: _Code, args: Any, v: str, d: int, apply: Callable[[int], None]) -> None:
    """As :func:`engines.transform_unary.table_unary`."""
    c = code.const
    key = f"{v} if {v}.__class__ is str else str({v})"
    absent = c(object())
    code.emit(d, f"hit = {c(args.table)}.get({key}, {absent})")
    code.emit(d, f"if hit is {absent}:")
    apply(d + 1)
    code.emit(d, "else:")
    code.emit(d + 1, f"{v} = hit")


def _inline_round(code: _Code, args: Any, v: str, d: int, apply: Callable[[int], None]) -> None:
    """As :func:`engines.transform_unary.round_unary`."""
    c = code.const
    scale, int_limit = round_limits(args.digits)
    s, low, high = c(scale), c(-int_limit), c(int_limit)
    below, above = c(-INTEGRAL_FLOAT_LIMIT), c(INTEGRAL_FLOAT_LIMIT)
    code.emit(d, f"kind = {v}.__class__")
    code.emit(d, "if kind is float:")
    code.emit(d + 1, f"if {v}.is_integer():")
    code.emit(d + 2, f"if {below} < {v} < {above}:")
    code.emit(d + 3, f"{v} = int({v})")
    code.emit(d + 2, "else:")
    apply(d + 3)
    code.emit(d + 1, f"elif not ((scaled := {v} * {s}).is_integer() and scaled / {s} == {v}):")
    apply(d + 2)
    code.emit(d, f"elif kind is not int or not {low} < {v} < {high}:")
    apply(d + 1)


_INLINE: dict[UnaryFactory | None, Emitter] = {
    table_unary: _inline_table,
    round_unary: _inline_round,
}
