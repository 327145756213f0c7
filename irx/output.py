"""What ``irx`` commands print: text for people, or JSON for scripts (``--output json``).

Every command says what it did through :func:`say` (one JSON document on stdout in
JSON mode) and fails through :func:`fail` (``{"error": {code, message, details}}`` on
stderr in JSON mode, with the same exit code either way). Long operations show a
progress bar (:func:`progress`) on stderr, only for a person at a terminal: never in
JSON mode, never into a pipe or a log.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import Any, NoReturn

import typer


class Output(StrEnum):
    text = "text"
    json = "json"


_mode = Output.text


def set_mode(mode: Output) -> None:
    global _mode
    _mode = mode


def json_mode() -> bool:
    return _mode is Output.json


def say(text: str | None, data: Any) -> None:
    """``text`` for a person (nothing if None), ``data`` as JSON for a script."""
    if json_mode():
        typer.echo(json.dumps(data, indent=2, sort_keys=True, default=str))
    elif text is not None:
        typer.echo(text)


def fail(
    code: str, message: str, details: dict[str, Any] | None = None, exit_code: int = 1
) -> NoReturn:
    """Says why the command failed, on stderr, and exits with ``exit_code``."""
    if json_mode():
        error = {"code": code, "message": message, "details": details or {}}
        typer.echo(json.dumps({"error": error}, sort_keys=True, default=str), err=True)
    else:
        typer.echo(f"{code}: {message} {details or ''}".rstrip(), err=True)
    raise typer.Exit(exit_code)


@contextmanager
def progress(description: str, total: int | None = None) -> Iterator[Callable[[int], None]]:
    """A bar (or, without a total, a spinner) advanced by the callable it yields."""
    if json_mode() or not sys.stderr.isatty():
        yield lambda _: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn()]
    with Progress(
        *columns,
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
        console=Console(stderr=True),
    ) as bar:
        task = bar.add_task(description, total=total)
        yield lambda done: bar.advance(task, done)
