"""The field-mapping engine: pure functions, compiled once per mapping revision.

Sources are plain paths (``insured.address.state``, ``items[0].value``), read by
pre-split getters, or JMESPath expressions, all evaluated by one compiled
multiselect. Targets are plain paths; setters create the objects and arrays on
the way. Every missing required field is reported at once. Compiling checks the
mapping and plans each field; :mod:`engines.mapping_compile` turns the plan into
code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import jmespath
from jmespath.exceptions import JMESPathError
from pydantic import ValidationError

from engines import budget
from engines.mapping_compile import (
    Failure,
    FieldPlan,
    MappingPlan,
    document_function,
    source_base,
)
from engines.paths import MAX_ARRAY_INDEX, index_too_large, split_path
from engines.transforms import TRANSFORMS
from models.errors import ErrorCode, PlatformError
from models.mappings import FieldMapping, Mapping

_PLAIN = re.compile(r"^[A-Za-z_$@][\w$@-]*(\[\d+\])*(\.[A-Za-z_$@][\w$@-]*(\[\d+\])*)*$")
# An items source through arrays: ``states[].classes`` (a trailing ``[]`` allowed).
_THROUGH = re.compile(r"^[^\[\]]+(\[\]\.[^\[\]]+)+(\[\])?$")


@dataclass(frozen=True)
class MappingResult:
    document: dict[str, Any]
    fields_applied: int
    fields_defaulted: int


class CompiledMapping:
    """A mapping ready to apply: getters split, JMESPath compiled, args validated,
    and the whole turned into one generated function per level (see
    :mod:`engines.mapping_compile`)."""

    def __init__(self, plan: MappingPlan) -> None:
        self.plan = plan
        self._document = document_function(plan)

    def apply(self, source: Any, prefix: str = "") -> MappingResult:
        """Map ``source`` to a new document.

        Raises:
            PlatformError: MAPPING_FAILED listing every missing required path, or
                naming the field whose value a transform could not handle.
        """
        budget.check()  # once per document, then per batch of array elements
        try:
            document, applied, defaulted = self._document(source)
        except Failure as failure:
            error, cause = failure.build(prefix), failure.cause
        else:
            return MappingResult(document, applied, defaulted)
        if cause is None:
            raise error
        raise error from cause


def compile_mapping(definition: Mapping) -> CompiledMapping:
    """Compile a mapping, refusing it with every problem listed (VALIDATION_FAILED)."""
    problems: list[dict[str, Any]] = []
    plan = _compile(definition.fields, "", problems, 0)
    if problems:
        raise PlatformError(
            ErrorCode.VALIDATION_FAILED,
            f"Mapping '{definition.name}' has {len(problems)} problem(s).",
            details={"problems": problems},
        )
    return CompiledMapping(plan)


def _compile(
    fields: list[FieldMapping], where: str, problems: list[dict[str, Any]], enclosing: int
) -> MappingPlan:
    """The plan of one level's fields; ``enclosing`` is how many elements enclose it
    (what ``$parent`` can climb)."""
    out: list[FieldPlan] = []
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
        base: int = 0
        through: tuple[tuple[str | int, ...], ...] = ()
        if spec.source is not None:
            levels = _levels(spec.source) if spec.items else None
            if levels is not None:
                getter, through = levels[0], tuple(levels[1:])
            elif _PLAIN.match(spec.source):
                base, getter = source_base(split_path(spec.source))
                if base > enclosing:
                    problem(
                        f"source '{spec.source}' climbs past the {enclosing} enclosing element(s)"
                    )
            elif "$parent" in spec.source or "$root" in spec.source:
                problem("$parent and $root are read by plain paths only, not JMESPath")
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
        items = None
        if spec.items:
            inner = enclosing + 1 + len(through)
            items = _compile(spec.items, f"{at}.items.", problems, inner)
        target = split_path(spec.target) if _PLAIN.match(spec.target) else ("_",)
        out.append(FieldPlan(spec, getter, key, target, transform, args, items, base, through))
    multiselect = None
    if expressions and not problems:
        # One compiled multiselect hash: JMESPath walks the document once per call.
        body = ", ".join(f"{k}: ({e})" for k, e in expressions.items())
        try:
            multiselect = jmespath.compile("{" + body + "}")
        except JMESPathError as exc:
            problems.append({"field": where or "fields", "target": "", "message": str(exc)})
    return MappingPlan(out, multiselect)


def _levels(source: str) -> list[tuple[str | int, ...]] | None:
    """``states[].classes`` -> the paths of its arrays, if it is such a plain source."""
    if not _THROUGH.match(source):
        return None
    levels = source.removesuffix("[]").split("[].")
    if not all(_PLAIN.match(level) and not level.startswith("$") for level in levels):
        return None
    return [split_path(level) for level in levels]
