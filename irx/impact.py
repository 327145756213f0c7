"""``irx impact``: an impact analysis through the public API, with a progress bar while it
runs, its summary when done, and the distribution of premium changes drawn as a PNG."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer

from irx.output import fail, progress, say

POLL_S = 0.5
DEFAULT_API_URL = "http://127.0.0.1:8000"


def impact(
    product: str,
    endpoint: str,
    candidate: Annotated[str, typer.Option(help="draft, or a version number.")] = "draft",
    baseline: Annotated[str, typer.Option(help="published, or a version number.")] = "published",
    days: Annotated[int, typer.Option(min=1, help="The last N days of traffic.")] = 30,
    limit: Annotated[int, typer.Option(min=1, help="Newest transactions first.")] = 1000,
    group_by: Annotated[
        list[str] | None, typer.Option("--group-by", help="A request path to group by.")
    ] = None,
    premium_path: Annotated[str, typer.Option(help="Where results carry the premium.")] = (
        "premium"
    ),
    concurrency: Annotated[int, typer.Option(min=1, max=32)] = 4,
    chart: Annotated[
        Path | None, typer.Option(help="Draw the premium changes' distribution (PNG).")
    ] = None,
    api_url: Annotated[str, typer.Option(envvar="IRX_API_URL")] = DEFAULT_API_URL,
    api_key: Annotated[
        str | None, typer.Option(envvar="IRX_API_KEY", help="A key with config:write.")
    ] = None,
) -> None:
    """Analyse what CANDIDATE does to PRODUCT ENDPOINT's recent traffic: re-rate it as
    simulations, compare with what was recorded, print the summary."""
    key = api_key  # typer reads IRX_API_KEY when --api-key is not given
    if not key:
        fail("API_KEY_MISSING", "Give --api-key or set IRX_API_KEY.")
    body = {
        "candidate": _version(candidate, "draft"),
        "baseline": _version(baseline, "published"),
        "days": days,
        "limit": limit,
        "groupBy": group_by or [],
        "premiumPath": premium_path,
        "concurrency": concurrency,
    }
    with httpx.Client(base_url=api_url, headers={"X-API-Key": key}, timeout=30) as http:
        started = _call(http, "POST", f"/api/v1/products/{product}/flows/{endpoint}/impact", body)
        location = started["location"]
        run = _follow(http, location)
    if run["status"] != "completed":
        fail("IMPACT_" + run["status"].upper(), f"the analysis {run['status']}", run)
    if chart is not None:
        title = f"{product} /{endpoint} v{run['candidateVersion']}"
        draw_bands(run["summary"]["bands"], chart, title)
    say(summary_text(run, chart), run)


def _version(value: str, word: str) -> str | int:
    if value != word and not value.isdigit():
        fail("VALIDATION_FAILED", f"expected {word!r} or a version number, got {value!r}")
    return value if value == word else int(value)


def _call(http: httpx.Client, method: str, url: str, body: Any = None) -> dict[str, Any]:
    try:
        answer = http.request(method, url, json=body)
    except httpx.HTTPError as exc:
        fail("API_UNREACHABLE", f"{http.base_url}: {exc}")
    if answer.status_code >= 400:
        error = answer.json().get("error", {}) if answer.content else {}
        fail(error.get("code", f"HTTP_{answer.status_code}"), error.get("message", ""), error)
    found: dict[str, Any] = answer.json()
    if method == "POST":
        found["location"] = answer.headers["location"]
    return found


def _follow(http: httpx.Client, location: str) -> dict[str, Any]:
    """Polls the analysis until it ends, a bar showing its progress."""
    run = _call(http, "GET", location)
    while run["progress"]["total"] is None and run["status"] == "running":
        time.sleep(POLL_S)
        run = _call(http, "GET", location)
    with progress("re-rating", run["progress"]["total"]) as advance:
        shown = 0
        while True:
            done = run["progress"]["done"]
            advance(done - shown)
            shown = done
            if run["status"] != "running":
                return run
            time.sleep(POLL_S)
            run = _call(http, "GET", location)


def summary_text(run: dict[str, Any], chart: Path | None) -> str:
    s = run["summary"]
    d = s["deltaPct"]
    lines = [
        f"impact of v{run['candidateVersion']} on {run['productCode']} /{run['endpoint']} "
        f"({run['id']})",
        f"  re-rated   {s['rerated']:>8}   changed {s['changed']}, unchanged {s['unchanged']}, "
        f"newly failed {s['newlyFailed']}, newly rated {s['newlyRated']}"
        + (f", not re-rated (request gone) {s['unavailable']}" if s.get("unavailable") else ""),
        f"  premium    {s['premiumBefore']:>14,.2f} -> {s['premiumAfter']:,.2f}"
        f"  ({_pct(s['premiumBefore'], s['premiumAfter'])})",
        f"  change %   p50 {_num(d['p50'])}  p95 {_num(d['p95'])}  "
        f"min {_num(d['min'])}  max {_num(d['max'])}",
        "  bands",
    ]
    for band in s["bands"]:
        lines.append(f"    {_band(band):>16}  {band['count']}")
    for group in run.get("groups") or []:
        key = ", ".join(f"{k}={v}" for k, v in group["key"].items())
        lines.append(f"  {key}: {group['changed']} of {group['rerated']} changed")
    if chart is not None:
        lines.append(f"  chart: {chart}")
    return "\n".join(lines)


def _pct(before: float, after: float) -> str:
    return "n/a" if not before else f"{(after - before) / before * 100:+.2f} %"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:+.2f}"


def _band(band: dict[str, Any]) -> str:
    low, high = band["from"], band["to"]
    if low == high == 0.0:
        return "no change"
    if low is None:
        return f"below {high:g} %"
    if high is None:
        return f"above {low:g} %"
    return f"{low:g} to {high:g} %"


def draw_bands(bands: list[dict[str, Any]], path: Path, title: str) -> None:
    """A bar per band of premium change, its count above it, its range below."""
    from PIL import Image, ImageDraw

    width, height, margin, foot = 900, 420, 40, 60
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.text((margin, 12), f"{title}: premium change, count of ratings per band", fill="black")
    most = max((b["count"] for b in bands), default=0) or 1
    slot = (width - 2 * margin) / len(bands)
    floor = height - foot
    for i, band in enumerate(bands):
        left = margin + i * slot + slot * 0.15
        right = margin + (i + 1) * slot - slot * 0.15
        top = floor - (floor - 50) * band["count"] / most
        colour = _colour(band)
        draw.rectangle((left, top, right, floor), fill=colour, outline="black")
        draw.text((left, top - 14), str(band["count"]), fill="black")
        draw.text((left - 4, floor + 8), _band(band), fill="black")
    draw.line((margin, floor, width - margin, floor), fill="black")
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "PNG")


def _colour(band: dict[str, Any]) -> str:
    low, high = band["from"], band["to"]
    if low == high == 0.0:
        return "#9e9e9e"
    return "#2e7d32" if (high is not None and high <= 0) else "#c62828"
