"""mkdocs hook for search.py: how long the build spends making the search index.

It times every event of the plugins named in BENCH_TIMED_PLUGINS (mkdocs-material's ``search``) and
every call into the modules named in BENCH_TIMED_MODULES (``playbook.search``), counting only the
outermost call when one timed function calls another, and writes the seconds to BENCH_TIMING_OUT.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority

_seconds = {"index": 0.0}
_depth = [0]


def _timed(function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _depth[0] += 1
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            _depth[0] -= 1
            if _depth[0] == 0:
                _seconds["index"] += time.perf_counter() - started

    return wrapper


def _names(variable: str) -> list[str]:
    return [name for name in os.environ.get(variable, "").split(",") if name]


def _wrap_module(name: str) -> None:
    """Every function defined in the module, wherever it was imported to by name."""
    module = importlib.import_module(name)
    originals = {id(f): f for _n, f in inspect.getmembers(module, inspect.isfunction) if f.__module__ == name}
    wrapped = {key: _timed(f) for key, f in originals.items()}
    for loaded in list(sys.modules.values()):
        namespace = getattr(loaded, "__dict__", None)
        if not isinstance(namespace, dict) or loaded is sys.modules[__name__]:
            continue
        for attribute, value in list(namespace.items()):
            if callable(value) and id(value) in wrapped and originals[id(value)] is value:
                namespace[attribute] = wrapped[id(value)]


@event_priority(100)
def on_config(config: MkDocsConfig) -> None:
    for name in _names("BENCH_TIMED_MODULES"):
        _wrap_module(name)
    timed = [plugin for name, plugin in config.plugins.items() if name in _names("BENCH_TIMED_PLUGINS")]
    for methods in config.plugins.events.values():
        for position, method in enumerate(methods):
            if getattr(method, "__self__", None) in timed:
                methods[position] = _timed(method)


@event_priority(-100)
def on_post_build(config: MkDocsConfig) -> None:
    Path(os.environ["BENCH_TIMING_OUT"]).write_text(json.dumps(_seconds), encoding="utf-8")
