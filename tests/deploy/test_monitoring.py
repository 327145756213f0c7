"""deploy/monitoring: the alert rules pass promtool's checks and unit tests, and the rules
and the Grafana dashboard query only metrics (and labels) the platform exposes, so a
renamed metric breaks this test rather than silently emptying a panel or an alert.

promtool comes from Debian's ``prometheus`` package (``apt-get install prometheus``).
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
RUNBOOK = (ROOT / "docs/operations.md").read_text()
MONITORING = ROOT / "deploy/monitoring"
ALERTS = MONITORING / "alerts.yml"
ALERT_TESTS = MONITORING / "alerts.test.yml"
DASHBOARD = MONITORING / "dashboards/irx-rating.json"
COMPOSE = ROOT / "deploy/compose"

TARGET = {"job", "instance"}  # the labels Prometheus adds to every scraped series
# Every metric the platform exposes, with its labels; histograms also have _bucket (le),
# _sum and _count.
COUNTERS_AND_GAUGES = {
    "rating_request_total": {"product", "flow", "status", "api_version", "mode"},
    "rating_rules_evaluated_total": {"product", "phase"},
    "rating_rules_applied_total": {"product", "phase"},
    "rating_mapping_fields_applied_total": {"product", "direction"},
    "rating_cache_hit_total": {"cache_key_type"},
    "rating_cache_miss_total": {"cache_key_type"},
    "db_pool_active_connections": {"service"},
    "db_pool_waiting_requests": {"service"},
    "db_pool_max_connections": {"service"},
    "rating_circuit_breaker_state": {"system"},
    "up": set(),
}
HISTOGRAMS = {
    "rating_request_duration_seconds": {"product", "flow"},
    "rating_step_duration_seconds": {"product", "step_type", "step_name"},
    "rating_payload_size_bytes": {"product", "direction"},
    "rating_engine_call_duration_seconds": {"engine", "is_mock"},
    # The Temporal SDK's worker metrics (temporal_*): at most one, for the backlog.
    "temporal_activity_schedule_to_start_latency_seconds": {
        "namespace",
        "task_queue",
        "activity_type",
        "workflow_type",
        "worker_type",
    },
}
PLATFORM: dict[str, set[str]] = {
    name: labels | TARGET for name, labels in COUNTERS_AND_GAUGES.items()
}
for _name, _labels in HISTOGRAMS.items():
    PLATFORM[f"{_name}_bucket"] = _labels | TARGET | {"le"}
    PLATFORM[f"{_name}_sum"] = PLATFORM[f"{_name}_count"] = _labels | TARGET
# Exporters outside the platform (the database host's node_exporter), alerts only.
EXTERNAL = {
    "node_cpu_seconds_total": {"cpu", "mode"} | TARGET,
    "node_filesystem_avail_bytes": {"device", "fstype", "mountpoint"} | TARGET,
    "node_filesystem_size_bytes": {"device", "fstype", "mountpoint"} | TARGET,
}
# Every alert the unit tests must show both firing and staying silent.
TESTED_BOTH_WAYS = {
    "HighRatingErrorRate",
    "HighRatingLatency",
    "RatingCircuitBreakerOpen",
    "DbPoolExhausted",
    "ZeroRatingTraffic",
    "IrxTaskUnhealthy",
}
SEVERITIES = {"critical", "warning", "info"}

KEYWORDS = {
    "by",
    "without",
    "on",
    "ignoring",
    "group_left",
    "group_right",
    "and",
    "or",
    "unless",
    "bool",
    "offset",
    "inf",
    "nan",
}
GROUPING = re.compile(r"\b(by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)")
SELECTOR = re.compile(r"([A-Za-z_:][\w:]*)?\s*\{([^}]*)\}")
MATCHER = re.compile(r"([A-Za-z_]\w*)\s*(=~|!~|!=|=)\s*\"(?:[^\"\\]|\\.)*\"")
STRING = re.compile(r"\"(?:[^\"\\]|\\.)*\"")
NAME = re.compile(r"(?<![\w.])([A-Za-z_:][\w:]*)(?!\s*\(|\w)")


def promql_names(expr: str) -> tuple[set[str], set[str]]:
    """The metric names and the label names an expression names."""
    expr = re.sub(r"\$\{?\w+\}?", "x", expr)  # Grafana's $variables, ${variables}
    expr = STRING.sub('""', expr)
    labels: set[str] = set()
    for _, names in GROUPING.findall(expr):
        labels |= {name.strip() for name in names.split(",") if name.strip()}
    expr = GROUPING.sub(" ", expr)
    metrics: set[str] = set()
    for metric, matchers in SELECTOR.findall(expr):
        for label, _ in MATCHER.findall(matchers):
            if label == "__name__":
                raise AssertionError(f"select metrics by name, not __name__: {expr}")
            labels.add(label)
        if metric:
            metrics.add(metric)
    expr = SELECTOR.sub(" ", expr)
    expr = re.sub(r"\[[^\]]*\]", " ", expr)  # ranges, subqueries
    metrics |= {name for name in NAME.findall(expr) if name.lower() not in KEYWORDS}
    return metrics, labels


def assert_known(expr: str, known: dict[str, set[str]], where: str) -> set[str]:
    metrics, labels = promql_names(expr)
    assert metrics, f"{where}: no metric in {expr!r}"
    unknown = metrics - known.keys()
    assert not unknown, f"{where}: {sorted(unknown)} is no metric the platform exposes"
    allowed = set().union(*(known[m] for m in metrics))
    assert labels <= allowed, (
        f"{where}: labels {sorted(labels - allowed)} are not labels of {sorted(metrics)}"
    )
    return metrics


def promtool() -> str:
    found = shutil.which("promtool")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("promtool is missing: apt-get install prometheus")
        pytest.skip("promtool not installed: apt-get install prometheus")
    return found


def run(*args: str, cwd: Path = ROOT) -> None:
    done = subprocess.run([promtool(), *args], capture_output=True, text=True, cwd=cwd, timeout=300)
    assert done.returncode == 0, f"promtool {' '.join(args)}:\n{done.stdout}{done.stderr}"


def alert_rules() -> list[dict[str, Any]]:
    groups = yaml.safe_load(ALERTS.read_text())["groups"]
    return [rule for group in groups for rule in group["rules"]]


def dashboard_panels(panels: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for panel in panels:
        yield panel
        yield from dashboard_panels(panel.get("panels", []))


def dashboard() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DASHBOARD.read_text())
    return loaded


def dashboard_queries() -> list[tuple[str, str]]:
    return [
        (f"panel {panel['title']!r}", target["expr"])
        for panel in dashboard_panels(dashboard()["panels"])
        for target in panel.get("targets", [])
    ]


def test_the_alert_rules_pass_promtool_check() -> None:
    run("check", "rules", str(ALERTS))


def test_the_alert_rules_pass_their_unit_tests() -> None:
    run("test", "rules", str(ALERT_TESTS))


def test_the_unit_tests_show_the_main_alerts_firing_and_silent() -> None:
    cases = [
        case
        for test in yaml.safe_load(ALERT_TESTS.read_text())["tests"]
        for case in test.get("alert_rule_test", [])
    ]
    fired = {c["alertname"] for c in cases if c.get("exp_alerts")}
    silent = {c["alertname"] for c in cases if not c.get("exp_alerts")}
    assert not TESTED_BOTH_WAYS - fired, sorted(TESTED_BOTH_WAYS - fired)
    assert not TESTED_BOTH_WAYS - silent, sorted(TESTED_BOTH_WAYS - silent)
    assert fired | silent <= {rule["alert"] for rule in alert_rules()}


def test_every_alert_has_a_severity_a_summary_a_description_and_a_runbook() -> None:
    rules = alert_rules()
    names = [rule["alert"] for rule in rules]
    assert len(names) == len(set(names)), names
    assert len(rules) >= 8  # the platform plan's section 8d
    for rule in rules:
        name = rule["alert"]
        assert rule["labels"]["severity"] in SEVERITIES, name
        annotations = rule["annotations"]
        assert annotations["summary"].strip(), name
        assert annotations["description"].strip(), name
        assert annotations["runbook_url"] == f"docs/operations.md#alert-{name.lower()}", name
        assert f"\n### Alert: {name}\n" in RUNBOOK, f"docs/operations.md has no runbook for {name}"
    severities = {rule["alert"]: rule["labels"]["severity"] for rule in rules}
    assert severities["HighRatingErrorRate"] == severities["DbPoolExhausted"] == "critical"
    assert severities["ZeroRatingTraffic"] == "info"


def test_every_alert_queries_only_metrics_that_exist() -> None:
    used: set[str] = set()
    for rule in alert_rules():
        used |= assert_known(rule["expr"], PLATFORM | EXTERNAL, f"alert {rule['alert']}")
    assert sum(1 for name in used if name.startswith("temporal_")) <= 1


def test_the_dashboard_queries_only_metrics_that_exist_and_covers_them_all() -> None:
    used: set[str] = set()
    for where, expr in dashboard_queries():
        used |= assert_known(expr, PLATFORM, where)
    for metric in COUNTERS_AND_GAUGES:
        assert metric in used, f"no panel shows {metric}"
    for metric in HISTOGRAMS:
        assert f"{metric}_bucket" in used, f"no panel shows {metric}"


def test_the_dashboard_is_a_current_grafana_model_with_its_variables() -> None:
    board = dashboard()
    assert board["schemaVersion"] >= 36
    assert board["uid"]
    variables = {v["name"]: v for v in board["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource"
    assert variables["datasource"]["query"] == "prometheus"
    product = variables["product"]
    query = product["query"]["query"] if isinstance(product["query"], dict) else product["query"]
    assert query == "label_values(rating_request_total, product)"
    assert product["datasource"]["uid"] == "${datasource}"
    ids = []
    for panel in dashboard_panels(board["panels"]):
        ids.append(panel["id"])
        if panel["type"] == "row":
            continue
        assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}, panel
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            assert target.get("datasource", panel["datasource"]) == panel["datasource"]
    assert len(ids) == len(set(ids))


def test_the_dashboard_queries_are_valid_promql(tmp_path: Path) -> None:
    """promtool has no offline query checker: each query becomes a recording rule."""
    rules = [
        {
            "record": f"dashboard:query_{i}",
            "expr": expr.replace("$__rate_interval", "5m").replace("$product", ".*"),
        }
        for i, (_, expr) in enumerate(dashboard_queries())
    ]
    checked = tmp_path / "dashboard-queries.yml"
    checked.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}))
    run("check", "rules", str(checked))


def test_compose_loads_the_rules_into_prometheus_and_the_dashboard_into_grafana(
    tmp_path: Path,
) -> None:
    services = yaml.safe_load((COMPOSE / "compose.yaml").read_text())["services"]

    def mounts(service: str) -> dict[PurePosixPath, Path]:
        found = {}
        for volume in services[service]["volumes"]:
            source, target, *_ = volume.split(":")
            found[PurePosixPath(target)] = (COMPOSE / source).resolve()
        return found

    # Prometheus: lay the mounted files out as the container sees them, then check the
    # configuration with the rule files it names.
    etc = PurePosixPath("/etc/prometheus")
    prometheus = mounts("prometheus")
    assert ALERTS.resolve() in prometheus.values()
    for target, source in prometheus.items():
        local = tmp_path / target.relative_to(etc)
        local.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, local)
    config = yaml.safe_load((tmp_path / "prometheus.yml").read_text())
    alerts_at = next(t for t, s in prometheus.items() if s == ALERTS.resolve())
    assert any(
        fnmatch.fnmatch(str(alerts_at), str(etc / pattern)) for pattern in config["rule_files"]
    )
    run("check", "config", str(tmp_path / "prometheus.yml"))

    grafana = mounts("grafana")
    provider_at = next(t for t in grafana if t.parent.name == "dashboards")
    assert str(provider_at).startswith("/etc/grafana/provisioning/dashboards/")
    (provider,) = yaml.safe_load(grafana[provider_at].read_text())["providers"]
    board_dir = PurePosixPath(provider["options"]["path"])
    assert grafana[board_dir] == DASHBOARD.parent.resolve()
