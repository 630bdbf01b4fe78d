"""mkdocs hook for bench.py: saves every page's final Markdown and every generated file, for the floor sites.

Runs after all plugins (lowest priority), so what it saves is exactly what the theme turns into HTML.
The folder comes from the BENCH_CAPTURE_DIR environment variable.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

OUT = Path(os.environ.get("BENCH_CAPTURE_DIR", "capture"))
_manifest: dict[str, Any] = {"generated_pages": [], "pages": [], "extra_css": [], "extra_javascript": []}


def _write(src_uri: str, data: bytes) -> None:
    path = OUT / "docs" / src_uri
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


@event_priority(-100)
def on_config(config: MkDocsConfig) -> None:
    _manifest["extra_css"] = [str(x) for x in config.extra_css]
    _manifest["extra_javascript"] = [str(x) for x in config.extra_javascript]


@event_priority(-100)
def on_files(files: Files, config: MkDocsConfig) -> None:
    # Assets and exports the plugin publishes: the floor publishes the same bytes as static files.
    for file in files:
        if not file.src_uri.endswith(".md"):
            _write(file.src_uri, file.content_bytes)


@event_priority(-100)
def on_page_markdown(markdown: str, page: Page, **kwargs: Any) -> str:
    meta = yaml.safe_dump(dict(page.meta), allow_unicode=True, sort_keys=False) if page.meta else ""
    _write(page.file.src_uri, (f"---\n{meta}---\n\n" if meta else "").encode() + markdown.encode())
    _manifest["pages"].append(page.file.src_uri)
    if page.file.generated_by:
        _manifest["generated_pages"].append(page.file.src_uri)
    return markdown


def on_post_build(config: MkDocsConfig) -> None:
    (OUT / "manifest.json").write_text(json.dumps(_manifest, indent=1), encoding="utf-8")
