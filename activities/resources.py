"""The clients a worker builds once and hands to every step."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from store.directory import ConfigDirectory
from store.documents import Documents


@dataclass
class StepResources:
    """Long-lived clients shared by all step implementations of one worker.

    Attributes:
        documents: Loads and saves working documents (inline or blob store).
        http: A pooled HTTP client for engines and lookups.
        directory: Cached config reads (systems, mappings, rules).
        extras: Clients that plugins add for their own step types.
    """

    documents: Documents
    http: httpx.AsyncClient
    directory: ConfigDirectory
    extras: dict[str, Any] = field(default_factory=dict)
