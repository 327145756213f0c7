"""Breaking changes between two OpenAPI documents: what `make lint-api` fails on.

No maintained diff tool installs here for OpenAPI 3.1 (oasdiff is a Go binary; the npm
openapi-diff stops at 3.0), so this checks what breaks a client written against the
old document:

- a path or operation removed;
- a parameter or request field a client never sent now required, a request body now
  required, a request enum narrowed or a request type narrowed;
- a success response removed, a response field removed, a response type widened
  (a client's parser meets a value it has never seen).

``python -m api.openapi_compat --base REV`` compares the document the code generates now
against ``docs/openapi.json`` as committed at REV; ``--old``/``--new`` compare two files.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from typing import Any

Schema = dict[str, Any]
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
_DEPTH = 12  # deep enough for every model here; stops a recursive schema


def breaking_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for path, old_ops in old.get("paths", {}).items():
        new_ops = new.get("paths", {}).get(path)
        if new_ops is None:
            found.append(f"{path}: path removed")
            continue
        for method in _METHODS:
            if method not in old_ops:
                continue
            where = f"{method.upper()} {path}"
            if method not in new_ops:
                found.append(f"{where}: operation removed")
                continue
            found += _operation(where, old, new, old_ops[method], new_ops[method])
    return found


def _operation(where: str, old: Any, new: Any, before: Schema, after: Schema) -> list[str]:
    found: list[str] = []
    old_params = {(p["in"], p["name"]): p for p in (_deref(old, p) for p in _params(before))}
    for p in (_deref(new, p) for p in _params(after)):
        key = (p["in"], p["name"])
        was = old_params.get(key)
        label = f"{where}: {p['in']} parameter {p['name']}"
        if p.get("required") and not (was and was.get("required")):
            found.append(f"{label} is now required")
        if was is not None:
            found += _request(label, old, new, was.get("schema", {}), p.get("schema", {}), 0)
    old_body, new_body = before.get("requestBody"), after.get("requestBody")
    if new_body is not None:
        old_body = _deref(old, old_body) if old_body else None
        new_body = _deref(new, new_body)
        if new_body.get("required") and not (old_body and old_body.get("required")):
            found.append(f"{where}: request body is now required")
        for media, content in new_body.get("content", {}).items():
            was = (old_body or {}).get("content", {}).get(media)
            if was is not None:
                label = f"{where}: request {media}"
                found += _request(
                    label, old, new, was.get("schema", {}), content.get("schema", {}), 0
                )
    for status, response in before.get("responses", {}).items():
        if not status.startswith("2"):
            continue
        now = after.get("responses", {}).get(status)
        if now is None:
            found.append(f"{where}: response {status} removed")
            continue
        response, now = _deref(old, response), _deref(new, now)
        for media, content in response.get("content", {}).items():
            label = f"{where}: response {status} {media}"
            later = now.get("content", {}).get(media)
            if later is None:
                found.append(f"{label} removed")
            else:
                found += _response(
                    label, old, new, content.get("schema", {}), later.get("schema", {}), 0
                )
    return found


def _request(label: str, old: Any, new: Any, was: Schema, now: Schema, depth: int) -> list[str]:
    """What the server accepts may only grow."""
    was, now = _deref(old, was), _deref(new, now)
    if depth > _DEPTH:
        return []
    found = []
    was_types, now_types = _types(old, was), _types(new, now)
    lost = was_types - now_types if now_types else set()
    if lost:
        found.append(f"{label}: type {sorted(lost)} no longer accepted")
    was_enum, now_enum = _enum(old, was), _enum(new, now)
    gone = (was_enum or set()) - now_enum if now_enum is not None else set()
    if gone:
        found.append(f"{label}: enum values {sorted(gone)} no longer accepted")
    was_props, now_props = _properties(old, was), _properties(new, now)
    was_required, now_required = _required(old, was), _required(new, now)
    for name in sorted(now_required - was_required):
        found.append(f"{label}: field {name} is now required")
    for name, schema in now_props.items():
        if name in was_props:
            found += _request(f"{label}.{name}", old, new, was_props[name], schema, depth + 1)
    return found


def _response(label: str, old: Any, new: Any, was: Schema, now: Schema, depth: int) -> list[str]:
    """What the server answers may not lose a field nor take a type a client never saw."""
    was, now = _deref(old, was), _deref(new, now)
    if depth > _DEPTH:
        return []
    found = []
    was_types = _types(old, was)
    extra = _types(new, now) - was_types if was_types else set()
    if extra:
        found.append(f"{label}: may now be {sorted(extra)}")
    was_props, now_props = _properties(old, was), _properties(new, now)
    for name, schema in was_props.items():
        if name not in now_props:
            found.append(f"{label}: field {name} removed")
        else:
            found += _response(f"{label}.{name}", old, new, schema, now_props[name], depth + 1)
    was_items, now_items = _items(old, was), _items(new, now)
    if was_items is not None and now_items is not None:
        found += _response(f"{label}[]", old, new, was_items, now_items, depth + 1)
    return found


def _deref(document: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def _params(operation: Schema) -> list[Schema]:
    return list(operation.get("parameters", []))


def _variants(document: Any, schema: Schema) -> list[Schema]:
    """A schema's alternatives: pydantic says ``X | None`` as anyOf [X, null]."""
    alternatives = [*schema.get("anyOf", []), *schema.get("oneOf", [])] or [schema]
    return [_deref(document, variant) for variant in alternatives]


def _types(document: Any, schema: Schema) -> set[str]:
    types: set[str] = set()
    for variant in _variants(document, schema):
        kind = variant.get("type")
        types.update([kind] if isinstance(kind, str) else kind or [])
        if "properties" in variant:
            types.add("object")
    return types


def _enum(document: Any, schema: Schema) -> set[str] | None:
    """Every value allowed, when the schema lists them (None: any value of its type)."""
    variants = _variants(document, schema)
    if any("enum" not in v and "const" not in v and v.get("type") != "null" for v in variants):
        return None
    values = [v for variant in variants for v in variant.get("enum", [])]
    values += [variant["const"] for variant in variants if "const" in variant]
    return {json.dumps(v) for v in values}


def _properties(document: Any, schema: Schema) -> dict[str, Schema]:
    props: dict[str, Schema] = {}
    for variant in _variants(document, schema):
        for part in [variant, *variant.get("allOf", [])]:
            props.update(_deref(document, part).get("properties", {}))
    return props


def _required(document: Any, schema: Schema) -> set[str]:
    names: set[str] = set()
    for variant in _variants(document, schema):
        for part in [variant, *variant.get("allOf", [])]:
            names.update(_deref(document, part).get("required", []))
    return names


def _items(document: Any, schema: Schema) -> Schema | None:
    for variant in _variants(document, schema):
        if "items" in variant:
            return dict(variant["items"])
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--base", default="HEAD", help="git revision of the committed document")
    parser.add_argument("--old", help="the old document's file (instead of --base)")
    parser.add_argument("--new", help="the new document's file (default: generated now)")
    args = parser.parse_args(argv)
    if args.old:
        with open(args.old) as f:
            old = json.load(f)
    else:
        shown = subprocess.run(
            ["git", "show", f"{args.base}:docs/openapi.json"],
            capture_output=True,
            text=True,
            check=True,
        )
        old = json.loads(shown.stdout)
    if args.new:
        with open(args.new) as f:
            new = json.load(f)
    else:
        from api.openapi_document import openapi_text

        new = json.loads(openapi_text())
    found = breaking_changes(old, new)
    for line in found:
        print(f"breaking: {line}")
    against = args.old or f"docs/openapi.json at {args.base}"
    if found:
        print(
            f"{len(found)} breaking change(s) against {against}. If deliberate, commit the "
            "regenerated docs/openapi.json with the change (docs/api.md)."
        )
        return 1
    print(f"openapi: no breaking change against {against}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
