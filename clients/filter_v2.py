"""Writes the v2 half of docs/openapi.json, which the clients are generated from.

Keeps the /api/v2 paths and only the components they reach (so v1's error envelope
does not become a model; security schemes all stay), and reshapes three things the
generators handle badly:

- FastAPI's operationIds (``rate_api_v2__product_code___endpoint__post``) become the route
  names (``rate``), so the clients' functions read as such; an operationId set by hand, or
  a short name that would clash, is left as it is.
- Schema names that are no identifiers (pydantic's ``Mapping-Input``/``Mapping-Output``)
  lose their punctuation, and schemas that share a title take their name as title:
  openapi-python-client names classes by title, folds both to one and drops them.
- The problem+json schema, inlined in every operation's 4XX/5XX, becomes one
  ``Problem`` component, so each client has one error type, not two per operation.

Usage: python clients/filter_v2.py docs/openapi.json OUT.json
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from typing import Any

PREFIX = "/api/v2/"
METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
COMPONENT_REF = "#/components/"
SCHEMA_REF = COMPONENT_REF + "schemas/"
PROBLEM = "application/problem+json"


def refs(node: Any) -> set[tuple[str, str]]:
    """The components (kind, name) that ``node`` references anywhere inside it."""
    found: set[tuple[str, str]] = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(COMPONENT_REF):
            kind, _, name = ref.removeprefix(COMPONENT_REF).partition("/")
            found.add((kind, name))
        for value in node.values():
            found |= refs(value)
    elif isinstance(node, list):
        for value in node:
            found |= refs(value)
    return found


def short_id(op_id: str, path: str, method: str) -> str:
    # FastAPI's default unique id: route name + path with non-word chars as "_" + "_method".
    suffix = re.sub(r"\W", "_", path) + "_" + method
    return op_id[: -len(suffix)] if op_id.endswith(suffix) and len(op_id) > len(suffix) else op_id


def rename_refs(node: Any, names: dict[str, str]) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(SCHEMA_REF):
            name = ref.removeprefix(SCHEMA_REF)
            return {**node, "$ref": SCHEMA_REF + names.get(name, name)}
        return {k: rename_refs(v, names) for k, v in node.items()}
    if isinstance(node, list):
        return [rename_refs(v, names) for v in node]
    return node


def hoist_problem(paths: dict[str, Any], schemas: dict[str, Any]) -> None:
    """One ``Problem`` component for the inline problem+json schemas, if they all agree."""
    bodies = [
        content[PROBLEM]
        for item in paths.values()
        for method, op in item.items()
        if method in METHODS
        for response in op.get("responses", {}).values()
        if PROBLEM in (content := response.get("content", {}))
        and "$ref" not in content[PROBLEM].get("schema", {"$ref": None})
    ]
    shapes = {json.dumps(body["schema"], sort_keys=True) for body in bodies}
    if len(shapes) != 1 or "Problem" in schemas:
        return
    schemas["Problem"] = {"title": "Problem", **bodies[0]["schema"]}
    for body in bodies:
        body["schema"] = {"$ref": SCHEMA_REF + "Problem"}


def filter_v2(doc: dict[str, Any]) -> dict[str, Any]:
    paths = {p: item for p, item in doc["paths"].items() if p.startswith(PREFIX)}

    ops = [
        (op, short_id(op["operationId"], path, method))
        for path, item in paths.items()
        for method, op in item.items()
        if method in METHODS and "operationId" in op
    ]
    counts = Counter(short for _, short in ops)
    for op, short in ops:
        if counts[short] == 1:
            op["operationId"] = short

    components = dict(doc.get("components", {}))
    schemas: dict[str, Any] = dict(components.get("schemas", {}))
    plain = {name: re.sub(r"\W", "", name) for name in schemas}
    clashes = Counter(plain.values())
    names = {old: new for old, new in plain.items() if new != old and clashes[new] == 1}
    names = {old: new for old, new in names.items() if new not in schemas}
    schemas = {names.get(k, k): rename_refs(v, names) for k, v in schemas.items()}
    paths = rename_refs(paths, names)
    hoist_problem(paths, schemas)
    titles = Counter(v.get("title") for v in schemas.values())
    for name, schema in schemas.items():
        if titles[schema.get("title")] > 1:
            schema["title"] = name

    components["schemas"] = schemas
    keep: set[tuple[str, str]] = set()
    todo = refs(paths)
    while todo:
        kind, name = todo.pop()
        if (kind, name) not in keep:
            keep.add((kind, name))
            todo |= refs(components[kind][name]) - keep
    for kind, members in components.items():
        if kind != "securitySchemes":
            components[kind] = {n: members[n] for n in sorted(members) if (kind, n) in keep}
    components = {kind: members for kind, members in components.items() if members}

    out = {k: v for k, v in doc.items() if k not in {"paths", "components", "tags"}}
    out["paths"] = paths
    out["components"] = components
    used = {
        tag
        for item in paths.values()
        for method, op in item.items()
        if method in METHODS
        for tag in op.get("tags", [])
    }
    if "tags" in doc:
        out["tags"] = [t for t in doc["tags"] if t["name"] in used]
    return out


def main() -> None:
    src, dst = sys.argv[1:3]
    with open(src, encoding="utf-8") as f:
        doc = json.load(f)
    with open(dst, "w", encoding="utf-8") as f:
        json.dump(filter_v2(doc), f, indent=2, sort_keys=True, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
