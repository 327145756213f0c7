"""The field-mapping engine: pure functions, compiled once per mapping revision.

Sources are plain paths (``insured.address.state``, ``items[0].value``), read by
pre-split getters, or JMESPath expressions, all evaluated by one compiled
multiselect. Targets are plain paths; setters create the objects and arrays on
the way. Every missing required field is reported at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import jmespath
from jmespath.exceptions import JMESPathError
from pydantic import BaseModel, ValidationError

from engines import budget
from engines.paths import (
    MAX_ARRAY_INDEX,
    MISSING,
    PathError,
    get_parts,
    index_too_large,
    set_parts,
    split_path,
)
from engines.transforms import TRANSFORMS, Transform, TransformError
from models.errors import ErrorCode, PlatformError
from models.mappings import FieldMapping, Mapping

_PLAIN = re.compile(r"^[A-Za-z_$@][\w$@-]*(\[\d+\])*(\.[A-Za-z_$@][\w$@-]*(\[\d+\])*)*$")


@dataclass(frozen=True)
class MappingResult:
    document: dict[str, Any]
    fields_applied: int
    fields_defaulted: int


@dataclass(frozen=True)
class _Field:
    spec: FieldMapping
    getter: tuple[str | int, ...] | None  # plain source
    expression_key: str | None  # key in the multiselect for JMESPath sources
    target: tuple[str | int, ...]
    transform: Transform | None
    args: BaseModel | None
    items: CompiledMapping | None
    key: str | None = None  # the getter is a single key
    target_key: str | None = None  # the target is a single key


class CompiledMapping:
    """A mapping ready to apply: getters split, JMESPath compiled, args validated."""

    def __init__(self, fields: list[_Field], multiselect: Any) -> None:
        self.fields = fields
        self.multiselect = multiselect

    def apply(self, source: Any, prefix: str = "") -> MappingResult:
        """Map ``source`` to a new document.

        Raises:
            PlatformError: MAPPING_FAILED listing every missing required path, or
                naming the field whose value a transform could not handle.
        """
        budget.check()  # once per document and per array element mapped
        found = self.multiselect.search(source) if self.multiselect is not None else {}
        out: dict[str, Any] = {}
        missing: list[str] = []
        applied = defaulted = 0

        def lookup(path: str) -> Any:
            value = get_parts(source, split_path(path))
            return None if value is MISSING else value

        is_object = isinstance(source, dict)
        for field in self.fields:
            spec = field.spec
            if field.key is not None:  # the common case: one plain key
                value = source.get(field.key) if is_object else None
            elif field.getter is not None:
                value = get_parts(source, field.getter)
                value = None if value is MISSING else value
            elif field.expression_key is not None:
                value = found.get(field.expression_key) if isinstance(found, dict) else None
            else:
                value = None
            if field.items is not None and value is not None:
                value = self._each(field, value, prefix)
            if field.transform is not None and (value is not None or field.transform.accepts_null):
                try:
                    value = field.transform.fn(value, field.args, lookup)
                except TransformError as exc:
                    raise PlatformError(
                        ErrorCode.MAPPING_FAILED,
                        f"Field '{prefix}{spec.target}': transform '{spec.transform}' failed on "
                        f"'{prefix}{spec.source}': {exc}.",
                        details={"target": prefix + spec.target, "source": spec.source},
                    ) from exc
            if value is None and spec.default is not None:
                value = spec.default
                defaulted += 1
            if value is None:
                if spec.required:
                    missing.append(prefix + (spec.source or spec.target))
                continue
            if field.target_key is not None:
                out[field.target_key] = value
            else:
                try:
                    set_parts(out, field.target, value)
                except PathError as exc:
                    raise PlatformError(
                        ErrorCode.MAPPING_FAILED,
                        f"Field '{prefix}{spec.target}': {exc}.",
                        details={"target": prefix + spec.target},
                    ) from exc
            applied += 1
        if missing:
            raise PlatformError(
                ErrorCode.MAPPING_FAILED,
                f"{len(missing)} required field(s) missing: {', '.join(missing)}.",
                details={"missing": missing},
            )
        return MappingResult(out, applied, defaulted)

    def _each(self, field: _Field, value: Any, prefix: str) -> list[Any]:
        if not isinstance(value, list):
            raise PlatformError(
                ErrorCode.MAPPING_FAILED,
                f"Field '{prefix}{field.spec.target}' maps each element of "
                f"'{field.spec.source}', which is a {type(value).__name__}, not an array.",
                details={"source": field.spec.source},
            )
        assert field.items is not None
        return [
            field.items.apply(element, f"{prefix}{field.spec.source}[{i}].").document
            for i, element in enumerate(value)
        ]


def compile_mapping(definition: Mapping) -> CompiledMapping:
    """Compile a mapping, refusing it with every problem listed (VALIDATION_FAILED)."""
    problems: list[dict[str, Any]] = []
    compiled = _compile(definition.fields, "", problems)
    if problems:
        raise PlatformError(
            ErrorCode.VALIDATION_FAILED,
            f"Mapping '{definition.name}' has {len(problems)} problem(s).",
            details={"problems": problems},
        )
    return compiled


def _compile(
    fields: list[FieldMapping], where: str, problems: list[dict[str, Any]]
) -> CompiledMapping:
    out: list[_Field] = []
    expressions: dict[str, str] = {}
    for index, spec in enumerate(fields):
        at = f"{where}fields[{index}]"

        def problem(message: str, at: str = at, spec: FieldMapping = spec) -> None:
            problems.append({"field": at, "target": spec.target, "message": message})

        if not _PLAIN.match(spec.target):
            problem(f"target '{spec.target}' is not a plain dotted path")
        elif (big := index_too_large(spec.target)) is not None:
            problem(f"target index [{big}] is past the largest allowed, [{MAX_ARRAY_INDEX}]")
        getter = key = None
        if spec.source is not None:
            if _PLAIN.match(spec.source):
                getter = split_path(spec.source)
            else:
                try:
                    jmespath.compile(spec.source)
                except JMESPathError as exc:
                    problem(f"source is not valid JMESPath: {exc}")
                key = f"f{len(expressions)}"
                expressions[key] = spec.source
        transform = args = None
        if spec.transform is not None:
            transform = TRANSFORMS.get(spec.transform)
            if transform is None:
                problem(
                    f"unknown transform '{spec.transform}' (known: {', '.join(sorted(TRANSFORMS))})"
                )
            else:
                try:
                    args = transform.args_model.model_validate(spec.args)
                except ValidationError as exc:
                    for err in exc.errors(include_url=False, include_input=False):
                        loc = ".".join(str(p) for p in err["loc"])
                        problem(f"args.{loc}: {err['msg']}")
        items = _compile(spec.items, f"{at}.items.", problems) if spec.items else None
        target = split_path(spec.target) if _PLAIN.match(spec.target) else ("_",)
        single = getter[0] if getter and len(getter) == 1 and isinstance(getter[0], str) else None
        target_key = target[0] if len(target) == 1 and isinstance(target[0], str) else None
        out.append(_Field(spec, getter, key, target, transform, args, items, single, target_key))
    multiselect = None
    if expressions and not problems:
        # One compiled multiselect hash: JMESPath walks the document once per call.
        body = ", ".join(f"{k}: ({e})" for k, e in expressions.items())
        try:
            multiselect = jmespath.compile("{" + body + "}")
        except JMESPathError as exc:
            problems.append({"field": where or "fields", "target": "", "message": str(exc)})
    return CompiledMapping(out, multiselect)
