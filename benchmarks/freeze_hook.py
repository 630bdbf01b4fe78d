"""mkdocs hook for bench.py: the collector freeze the playbook plugin makes, given to the floor.

The plugin freezes every object alive once the playbook is loaded (``gc.freeze()`` in its
``on_config``), so full collections stop walking them for the rest of the build. That spares the
theme's and Python-Markdown's objects too, not only ours; a floor built with the same freeze shows
what the plugin's own work costs, apart from that gain.
"""

from __future__ import annotations

import gc

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority


@event_priority(-100)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    gc.freeze()
    return config
