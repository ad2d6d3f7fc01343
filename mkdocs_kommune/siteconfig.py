"""Find the kommune plugin's options in a site's mkdocs.yml, without loading MkDocs' plugins.

The command line needs only `data` and `register`; reading them with MkDocs' own YAML loader
(which knows `!ENV`, `!relative` and `INHERIT`) is much faster than ``load_config`` and does not
fail on another plugin that is missing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_CONFIG = "mkdocs.yml"


class SiteConfigError(Exception):
    """mkdocs.yml cannot be read, or does not enable the kommune plugin."""


@dataclass(frozen=True)
class KommuneOptions:
    """What the command line needs from mkdocs.yml."""

    config_file: Path
    data: Path | None  # None: the site uses the bundled dataset
    register: str | None


def read_options(config_file: str | os.PathLike[str] = DEFAULT_CONFIG) -> KommuneOptions:
    """The kommune plugin's `data` (resolved against mkdocs.yml's folder) and `register`."""
    from mkdocs.utils.yaml import yaml_load

    path = Path(config_file)
    try:
        with path.open("rb") as stream:
            config = yaml_load(stream)
    except FileNotFoundError:
        raise SiteConfigError(
            f"{path}: no such file; give the data file as an argument, or run the command in "
            "the folder of your mkdocs.yml (or pass --config)"
        ) from None
    except Exception as error:  # MkDocs' loader raises YAML and ConfigurationError alike
        raise SiteConfigError(f"{path}: cannot read it as MkDocs configuration: {error}") from None
    options = _plugin_options(config, path)
    data = options.get("data")
    register = options.get("register")
    if data is not None and not isinstance(data, str):
        raise SiteConfigError(f"{path}: the kommune plugin's `data` option must be a path")
    if register is not None and not isinstance(register, str):
        raise SiteConfigError(f"{path}: the kommune plugin's `register` option must be a name")
    resolved = Path(os.path.normpath(path.parent / data)) if data is not None else None
    return KommuneOptions(path, resolved, register)


def _plugin_options(config: Any, path: Path) -> dict[str, Any]:
    plugins = config.get("plugins") if isinstance(config, dict) else None
    if isinstance(plugins, dict):  # the mapping form of `plugins:`
        entries: list[Any] = [{name: value} for name, value in plugins.items()]
    elif isinstance(plugins, list):
        entries = plugins
    else:
        entries = []
    for entry in entries:
        if entry == "kommune":
            return {}
        if isinstance(entry, dict) and "kommune" in entry:
            options = entry["kommune"]
            if options is None:
                return {}
            if isinstance(options, dict):
                return options
            raise SiteConfigError(f"{path}: the kommune plugin's options must be a mapping")
    raise SiteConfigError(
        f"{path}: the kommune plugin is not enabled there; add `- kommune` under `plugins`, "
        "or give the data file as an argument"
    )
