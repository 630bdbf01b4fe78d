"""A playbook's mkdocs.yml as data: ``INHERIT`` merged, tags (``!ENV``, ``!!python/name:``) kept to be written back.

``playbook generate`` rewrites it for stock engines, and the macros read the playbook plugin's options from it
when the plugin itself does not run. Also where a build reads and writes: the playbook's mkdocs.yml, a target folder
that may be replaced, and the swap that puts a finished build in its place. Light on purpose: ``playbook build``
imports it before it knows it will build anything.
"""

from __future__ import annotations

import importlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from playbook.data.kinds import data_folders
from playbook.data.problems import PlaybookError

PLUGIN = "playbook"
"""Our plugin's name in mkdocs.yml."""
MACROS = "macros"
"""mkdocs-macros' name in mkdocs.yml."""


@dataclass(frozen=True)
class Tagged:
    """A value with a YAML tag the engines resolve themselves (``!ENV VAR``, ``!!python/name:module.attr``)."""

    tag: str
    value: Any


class _Loader(yaml.SafeLoader):
    """Reads every tag as :class:`Tagged`, so nothing is imported or looked up while reading."""


def _tagged(loader: _Loader, suffix: str, node: yaml.Node, prefix: str = "!") -> Tagged:
    value: Any
    if isinstance(node, yaml.MappingNode):
        value = loader.construct_mapping(node, deep=True)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_scalar(node)  # type: ignore[arg-type]
    return Tagged(prefix + suffix, value)


_Loader.add_multi_constructor("!", _tagged)
_Loader.add_multi_constructor(
    "tag:yaml.org,2002:python/",
    lambda loader, suffix, node: _tagged(loader, suffix, node, "tag:yaml.org,2002:python/"),
)


class _Dumper(yaml.SafeDumper):
    """Writes :class:`Tagged` values back with their tags, and never an alias."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_tagged(dumper: _Dumper, data: Tagged) -> yaml.Node:
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    return dumper.represent_scalar(data.tag, str(data.value))


_Dumper.add_representer(Tagged, _represent_tagged)


def _merged(parent: Any, child: Any) -> Any:
    """mkdocs' ``INHERIT``: mappings merge key by key, anything else in the child replaces the parent's."""
    if isinstance(parent, dict) and isinstance(child, dict):
        return {**parent, **{key: _merged(parent.get(key), value) for key, value in child.items()}}
    return child


def read_config(path: Path) -> dict[str, Any]:
    """The configuration in ``path``, with the files it inherits from merged in, as mkdocs reads it."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - a SafeLoader
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise PlaybookError(f"cannot read {path}: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise PlaybookError(f"{path} does not hold a mapping of settings")
    parent = data.pop("INHERIT", None)
    if parent is not None:
        data = _merged(read_config(path.parent / str(parent)), data)
    return data


def write_config(config: dict[str, Any]) -> str:
    return yaml.dump(config, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)


def resolved(value: Any) -> Any:
    """``value`` with its tags worked out the way mkdocs' loader does: environment variables, Python names."""
    if isinstance(value, dict):
        return {key: resolved(item) for key, item in value.items()}
    if isinstance(value, list):
        return [resolved(item) for item in value]
    if not isinstance(value, Tagged):
        return value
    if value.tag == "!ENV":
        names = value.value if isinstance(value.value, list) else [value.value]
        *variables, default = names if len(names) > 1 else [*names, None]
        return next((os.environ[name] for name in variables if name in os.environ), default)
    if value.tag.startswith("tag:yaml.org,2002:python/name:"):
        module, _, attribute = value.tag.rpartition(":")[2].rpartition(".")
        return getattr(importlib.import_module(module), attribute)
    raise PlaybookError(f"mkdocs.yml: cannot work out the tag {value.tag}")


def text_setting(config: dict[str, Any], key: str) -> str | None:
    """A setting of mkdocs.yml that is text (``repo_url``, ``edit_uri``, ``site_url``), read without mkdocs' own
    checks: None when it is absent, empty or of another type, as if it were not set."""
    value = config.get(key)
    return value if isinstance(value, str) and value else None


def plugin_entries(config: dict[str, Any]) -> list[tuple[str, Any]]:
    """(name, options) of each plugin listed, in order, whether ``plugins`` is a list or a mapping."""
    plugins = config.get("plugins") or []
    if isinstance(plugins, dict):
        return list(plugins.items())
    entries = []
    for entry in plugins:
        if isinstance(entry, dict):
            entries += list(entry.items())
        else:
            entries.append((str(entry), None))
    return entries


def plugin_options(config: dict[str, Any], name: str) -> dict[str, Any] | None:
    """The options a plugin is given (``{}`` when it has none), or None when it is not listed."""
    for entry, options in plugin_entries(config):
        if entry == name:
            return dict(resolved(options) or {})
    return None


def without_plugins(config: dict[str, Any], *names: str) -> list[Any]:
    """The ``plugins`` list with the named ones left out, each other entry as it was written."""
    return [entry if options is None else {entry: options}
            for entry, options in plugin_entries(config) if entry not in names]


def playbook_root(config_file: Path, config: dict[str, Any]) -> Path:
    """The playbook's folder: the plugin's ``root`` option, else the folder holding mkdocs.yml."""
    options = plugin_options(config, PLUGIN) or {}
    return (config_file.parent / str(options.get("root") or ".")).resolve()


MARKER = ".playbook-generated"
"""Written into every generated tree: ``playbook generate`` replaces a folder holding it, and refuses any other
folder that is not empty."""
SOURCE_DIRS = ("docs", *data_folders())
"""Folders the site is built from: nothing generated may be put in their place."""


def config_path(root: Path) -> Path:
    config = root / "mkdocs.yml"
    if not config.is_file():
        raise PlaybookError(f"no mkdocs.yml in {root}; run the command in the playbook's folder or pass --root")
    return config.resolve()


def refuse_source_target(root: Path, target: Path, what: str = "site") -> None:
    """``target`` is replaced whole, so it must not hold the playbook or be inside one of its source folders."""
    real_root = root.resolve()
    suggestion = real_root / "site" if what == "site" else real_root.parent / f"{real_root.name}-{what}"
    instead = f"choose a folder of its own, such as {suggestion}"
    if real_root.is_relative_to(target):
        raise PlaybookError(f"the {what} folder {target} holds the playbook itself, which would be replaced; {instead}")
    for name in SOURCE_DIRS:
        if target.is_relative_to(real_root / name):
            raise PlaybookError(
                f"the {what} folder {target} is inside {name}/, which the site is built from; {instead}"
            )


def swap_in(staging: Path, target: Path) -> None:
    """Put ``staging`` in ``target``'s place; hidden entries a build never writes (a publishing checkout's .git)
    are kept, as mkdocs keeps them."""
    # mkdtemp made it private; the folder it replaces was made with the usual permissions.
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)
    old = None
    if target.exists():
        for entry in target.iterdir():
            if entry.name.startswith(".") and entry.name != MARKER and not (staging / entry.name).exists():
                os.rename(entry, staging / entry.name)
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
        os.rename(target, old / target.name)
    os.rename(staging, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
