"""Loads step modules: the built-in ones and the plugins a deployment names."""

from __future__ import annotations

import importlib

BUILTIN_STEP_MODULES = (
    "activities.steps.validation",
    "activities.steps.mapping",
    "activities.steps.rules",
    "activities.steps.xml_transform",
    "activities.steps.rating_engine",
    "activities.steps.enrich",
    "activities.steps.publish",
)


def load_step_modules(extra: tuple[str, ...] | list[str] = ()) -> None:
    """Registers the built-in step types and those of the plugin modules named."""
    for name in (*BUILTIN_STEP_MODULES, *extra):
        importlib.import_module(name)
