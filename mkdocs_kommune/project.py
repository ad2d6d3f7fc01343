"""A site's settings read straight from ``mkdocs.yml`` or ``zensical.toml``, without an engine.

For the command line, which runs after (or instead of) an engine: it needs the folders, URLs and
the kommune options, found where each engine keeps them. In a ``mkdocs.yml`` that enables the
plugin, the options are its ``plugins: kommune:`` block; otherwise (a site Zensical builds) they
are ``extra: kommune:``, which Zensical hands to the macros as it is.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from mkdocs.exceptions import ConfigurationError
from mkdocs.utils.yaml import get_yaml_loader, yaml_load

from .config import KommuneConfig

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

# Zensical's own order first: the command is run after engines that ignore the plugin.
CONFIG_FILES = ("zensical.toml", "mkdocs.yml", "mkdocs.yaml", "properdocs.yml")


class ProjectError(ValueError):
    """The configuration file cannot be read or holds bad kommune options; says which and why."""


@dataclass(frozen=True)
class Project:
    config_file: Path
    docs_dir: Path
    site_url: str | None
    use_directory_urls: bool
    theme: Mapping[str, Any]
    options: KommuneConfig
    nav: Any = None
    custom_dir: Path | None = None
    redirect_maps: Mapping[object, object] = field(default_factory=dict)

    @property
    def root(self) -> Path:
        return self.config_file.parent


def find_config(folder: Path) -> Path:
    """The first of ``CONFIG_FILES`` in ``folder``: the one an engine started there would read."""
    for name in CONFIG_FILES:
        if (folder / name).is_file():
            return folder / name
    raise ProjectError(
        f"no {', '.join(CONFIG_FILES)} in {folder}: run the command in the site's folder or "
        "name the file with --config FILE"
    )


def load_project(config_file: Path) -> Project:
    settings = _read(config_file)
    root = config_file.parent
    theme = settings.get("theme") or {}
    if isinstance(theme, str):
        theme = {"name": theme}
    custom_dir = theme.get("custom_dir")
    plugins = _plugins(settings.get("plugins"))
    return Project(
        config_file=config_file,
        docs_dir=root / str(settings.get("docs_dir") or "docs"),
        site_url=str(settings["site_url"]) if settings.get("site_url") else None,
        use_directory_urls=bool(settings.get("use_directory_urls", True)),
        theme=theme,
        options=_options(config_file, settings, plugins),
        nav=settings.get("nav"),
        custom_dir=root / str(custom_dir) if custom_dir else None,
        redirect_maps=(plugins.get("redirects") or {}).get("redirect_maps") or {},
    )


def _read(config_file: Path) -> dict[str, Any]:
    try:
        if config_file.suffix == ".toml":
            with config_file.open("rb") as stream:
                data = tomllib.load(stream)
            project = data.get("project", data)
        else:
            with config_file.open("rb") as stream:
                project = yaml_load(stream, get_yaml_loader(yaml.Loader))
    except OSError as error:
        raise ProjectError(f"{config_file}: cannot be read ({error.strerror})") from None
    except (tomllib.TOMLDecodeError, ConfigurationError, yaml.YAMLError) as error:
        raise ProjectError(f"{config_file}: not valid {config_file.suffix[1:]}: {error}") from None
    if not isinstance(project, dict):
        raise ProjectError(f"{config_file}: the settings must be a mapping")
    return project


def _plugins(value: object) -> dict[str, dict[str, Any]]:
    """``plugins`` as a list (``- search``, ``- kommune: {…}``) or a mapping, by short name."""
    entries: list[tuple[object, object]] = []
    if isinstance(value, dict):
        entries = list(value.items())
    elif isinstance(value, list):
        for item in value:
            entries.extend(item.items() if isinstance(item, dict) else [(item, None)])
    return {
        str(name).rsplit("/", 1)[-1]: options if isinstance(options, dict) else {}
        for name, options in entries
    }


def _options(
    config_file: Path, settings: Mapping[str, Any], plugins: Mapping[str, dict[str, Any]]
) -> KommuneConfig:
    if "kommune" in plugins:
        return check_options(plugins["kommune"], f"{config_file} (plugins: kommune)", config_file)
    extra = settings.get("extra") or {}
    raw = extra.get("kommune") if isinstance(extra, dict) else None
    return check_options(raw or {}, f"{config_file} (extra: kommune)", config_file)


def check_options(raw: object, where: str, config_file: Path) -> KommuneConfig:
    """The kommune options, checked and defaulted as the plugin checks them."""
    if not isinstance(raw, dict):
        raise ProjectError(f"{where}: the options must be a mapping")
    options = KommuneConfig(config_file_path=str(config_file))
    options.load_dict(dict(raw))
    errors, warnings = options.validate()
    if errors or warnings:  # an unknown key is a typo here: nothing else would read it
        problems = "\n".join(f"  - {key}: {error}" for key, error in [*errors, *warnings])
        raise ProjectError(f"{where}: bad options:\n{problems}")
    return options


def data_path(options: KommuneConfig, root: Path) -> Path | None:
    """The data file named by ``data``, relative to the configuration's folder."""
    return Path(os.path.normpath(root / options.data_)) if options.data_ is not None else None
