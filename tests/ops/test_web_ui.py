"""The real Temporal Web UI, rendered by headless Chromium, finds a rating run by its
product search attribute and lists the run's steps by name (docs/operations.md)."""

from __future__ import annotations

import asyncio
import uuid
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

from models.transactions import workflow_id
from tests.conftest import Stack
from tests.ops.conftest import WebUi

IMCE_STEPS = [
    "validate request",
    "map request",
    "pre-rating rules",
    "request to XML",
    "rate with Ratabase engine",
    "response to JSON",
    "map response",
    "post-rating rules",
    "publish rating event",
]
BOP_REQUEST = Path(__file__).parents[2] / "docs/examples/BOP-rate-request.json"


class _WorkflowLinks(HTMLParser):
    """Links of the workflow list's rows: ``/namespaces/{ns}/workflows/{wid}/{run}/...``."""

    def __init__(self) -> None:
        super().__init__()
        self.rows = 0
        self.links: set[str] = set()
        self._in_row = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "tr":
            if a.get("data-testid") == "workflows-summary-configurable-table-row":
                self.rows += 1
                self._in_row = 1
            elif self._in_row:
                self._in_row += 1
        elif tag == "a" and self._in_row and (href := a.get("href")):
            self.links.add(href)

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr" and self._in_row:
            self._in_row -= 1


def listed_runs(dom: str) -> dict[str, str]:
    """Workflow id -> run id of every row of a rendered workflow list."""
    parser = _WorkflowLinks()
    parser.feed(dom)
    runs = {}
    for href in parser.links:
        parts = href.strip("/").split("/")
        if len(parts) >= 5 and parts[0] == "namespaces" and parts[2] == "workflows":
            runs[parts[3]] = parts[4]
    return runs


class _EventSummaries(HTMLParser):
    """The Summary field of each row of a rendered event history, by event id."""

    def __init__(self) -> None:
        super().__init__()
        self.summaries: dict[int, str] = {}
        self.events = 0
        self._event: int | None = None
        self._depth = 0
        self._texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "tr" and a.get("data-testid") == "event-summary-row":
            self.events += 1
            self._event, self._depth, self._texts = int(a["data-eventid"] or 0), 1, []
        elif tag == "tr" and self._event is not None:
            self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag != "tr" or self._event is None:
            return
        self._depth -= 1
        if self._depth == 0:
            texts = [t for t in (s.strip() for s in self._texts) if t]
            if "Summary" in texts and texts.index("Summary") + 1 < len(texts):
                self.summaries[self._event] = texts[texts.index("Summary") + 1]
            self._event = None

    def handle_data(self, data: str) -> None:
        if self._event is not None:
            self._texts.append(data)


def history_summaries(dom: str) -> tuple[int, list[str]]:
    """How many events a rendered history shows, and their summaries in event order."""
    parser = _EventSummaries()
    parser.feed(dom)
    return parser.events, [parser.summaries[e] for e in sorted(parser.summaries)]


def list_page(query: str) -> str:
    return "/namespaces/default/workflows?" + urlencode({"query": query})


async def rendered_list(web_ui: WebUi, query: str, wanted: str) -> dict[str, str]:
    """The workflow list filtered by ``query``, once it lists ``wanted`` (visibility
    trails the run by a moment) or after a few tries."""
    runs: dict[str, str] = {}
    for _ in range(5):
        runs = listed_runs(await web_ui.dom(list_page(query)))
        if wanted in runs:
            break
        await asyncio.sleep(0.5)
    return runs


async def test_web_ui_finds_an_imce_run_by_product_with_its_steps(
    stack: Stack, web_ui: WebUi, example_request: bytes
) -> None:
    correlation = f"ops-{uuid.uuid4().hex[:12]}"
    imce = await stack.http.post(
        "/api/v1/IMCE/rate",
        content=example_request,
        headers={**stack.headers, "X-Correlation-Id": correlation},
    )
    assert imce.status_code == 200, imce.text
    bop = await stack.http.post(
        "/api/v1/BOP/rate", content=BOP_REQUEST.read_bytes(), headers=stack.headers
    )
    assert bop.status_code == 200, bop.text
    body = imce.json()
    assert [s["name"] for s in body["steps"]] == IMCE_STEPS
    imce_wid = workflow_id(body["transactionId"])
    bop_wid = workflow_id(bop.json()["transactionId"])

    # The list filtered by IrxProduct = "IMCE" shows the IMCE run, not the BOP one...
    imce_runs = await rendered_list(web_ui, 'IrxProduct = "IMCE"', imce_wid)
    assert imce_wid in imce_runs, f"IMCE search listed {sorted(imce_runs)}"
    assert bop_wid not in imce_runs
    # ...and filtered by "BOP" the other way round: the filter is what decides.
    bop_runs = await rendered_list(web_ui, 'IrxProduct = "BOP"', bop_wid)
    assert bop_wid in bop_runs, f"BOP search listed {sorted(bop_runs)}"
    assert imce_wid not in bop_runs
    # The caller's correlation id finds exactly its run.
    by_correlation = await rendered_list(web_ui, f'IrxCorrelationId = "{correlation}"', imce_wid)
    assert list(by_correlation) == [imce_wid]

    # The run's event history: each step's activity (or local activity marker)
    # carries the step's name as its summary, the run its product and version.
    run_id = imce_runs[imce_wid]
    history = f"/namespaces/default/workflows/{imce_wid}/{run_id}/history"
    dom = await web_ui.dom(history)
    events, summaries = history_summaries(dom)
    assert events > len(IMCE_STEPS), f"{history} rendered {events} events"
    # The last step (local) records the run: no row of its own for the record.
    assert summaries == ["IMCE /rate v1", *IMCE_STEPS], summaries
    # Each step's activity is named by its type and name: the two field_mapping steps
    # (and the two apply_rules ones) are told apart wherever the UI shows the type.
    for step in body["steps"]:
        assert f"{step['type']}: {step['name']}" in dom, step
