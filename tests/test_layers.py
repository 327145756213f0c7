"""The layers of docs/architecture.md, checked: no import runs upwards, no two modules cycle.

Every import statement counts, wherever it is (inside a function, under
``TYPE_CHECKING``): a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Lower numbers are lower layers; a package may import its own modules and any
# package of a lower layer, never one of its own layer or above.
LAYERS = {
    "models": 0,
    "engines": 1,
    "store": 1,
    "reference_engine": 1,
    "infra": 2,
    "activities": 3,
    "workflows": 3,
    "workers": 4,
    "services": 5,
    "api": 6,
    "irx": 7,
    "bench": 8,
}


BUILT_IN_STEPS = (
    "validation",
    "mapping",
    "rules",
    "xml_transform",
    "rating_engine",
    "enrich",
    "publish",
)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_imports(path: Path) -> set[str]:
    """The project modules ``path`` imports (``from a.b import c`` counts as ``a.b``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        else:
            continue
        found |= {n for n in names if n.split(".")[0] in LAYERS}
    return found


def product_modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for package in LAYERS
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    }


def test_no_import_runs_from_a_lower_layer_to_a_higher_one() -> None:
    upward = []
    for name, path in product_modules().items():
        package = name.split(".")[0]
        for imported in project_imports(path):
            target = imported.split(".")[0]
            if target != package and LAYERS[target] >= LAYERS[package]:
                upward.append(f"{name} imports {imported}")
    assert upward == []


def test_no_two_modules_import_each_other() -> None:
    modules = product_modules()
    graph = {
        name: {i for i in project_imports(path) if i in modules} for name, path in modules.items()
    }
    cycles = []
    state: dict[str, str] = {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = "open"
        for nxt in sorted(graph[name]):
            if state.get(nxt) == "open":
                cycles.append(" -> ".join([*trail[trail.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


@pytest.mark.parametrize("plugin", sorted((ROOT / "tests/plugins").glob("[!_]*.py")))
def test_plugins_use_only_the_public_step_sdk(plugin: Path) -> None:
    assert {i for i in project_imports(plugin) if i.split(".")[0] in LAYERS} == {"activities.sdk"}


def test_the_step_types_have_a_wing_of_their_own() -> None:
    """A newcomer finds a step in one guess: every module of ``activities/steps`` is a step
    type, a sink of one or the sinks' event format, and no step type lives anywhere else."""
    wing = {p.stem for p in (ROOT / "activities" / "steps").glob("[!_]*.py")}
    assert wing == {*BUILT_IN_STEPS, "event_sinks", "kafka", "cloud_events"}
    decorated = re.compile(r"^@step_type\(", re.MULTILINE)
    elsewhere = [p for p in (ROOT / "activities").glob("*.py") if decorated.search(p.read_text())]
    assert elsewhere == []


def test_built_in_steps_use_the_same_public_sdk() -> None:
    internals = {"activities.registry", "activities.resources", "activities.runtime"}
    for step in BUILT_IN_STEPS:
        imports = project_imports(ROOT / "activities" / "steps" / f"{step}.py")
        assert "activities.sdk" in imports, step
        assert not imports & internals, step
