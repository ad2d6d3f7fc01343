"""A site's settings read straight from its configuration file, without running an engine.

The one reader of ``mkdocs.yml``, ``properdocs.yml`` and ``zensical.toml`` for everything that
runs outside a MkDocs build: the command line (which runs after, or instead of, an engine) and
the Zensical glue (which gets the settings from Zensical). The kommune options are the plugin's
``plugins: kommune:`` block where a file enables the plugin; otherwise (a site Zensical builds)
they are ``extra: kommune:``, which Zensical hands to the macros as it is. The plugin itself gets
its options from MkDocs, checked by the same ``KommuneConfig``, and resolves ``data`` here too.
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
from .safetext import for_terminal

# Zensical's own order first: the commands run after engines that ignore the plugin.
CONFIG_FILES = ("zensical.toml", "mkdocs.yml", "mkdocs.yaml", "properdocs.yml")
ZENSICAL_MODULE = "mkdocs_kommune.zensical"


class SettingsError(ValueError):
    """The configuration file cannot be read or holds bad kommune options; says which and why."""


@dataclass(frozen=True)
class SiteSettings:
    """What the command line and the Zensical glue need from a site's configuration."""

    config_file: Path
    docs_dir: Path
    site_url: str | None
    use_directory_urls: bool
    theme: Mapping[str, Any]
    options: KommuneConfig
    enabled: bool  # the file enables the plugin (or the Zensical module, or `extra: kommune`)
    nav: Any = None
    custom_dir: Path | None = None
    redirect_maps: Mapping[object, object] = field(default_factory=dict)

    @property
    def root(self) -> Path:
        return self.config_file.parent

    @property
    def data_path(self) -> Path | None:
        """The data file the site uses; None for the bundled dataset."""
        return data_path(self.options.data_, self.root)


def find_config(folder: Path) -> Path:
    """The first of ``CONFIG_FILES`` in ``folder``: the one an engine started there would read."""
    for name in CONFIG_FILES:
        if (folder / name).is_file():
            return folder / name
    raise SettingsError(
        f"no {', '.join(CONFIG_FILES)} in {shown(folder)}: run the command in the site's folder, "
        "name the file with --config FILE, or give the data file as an argument"
    )


def read_settings(config_file: Path) -> SiteSettings:
    """The settings of ``config_file``, with the kommune options checked as the plugin checks them."""
    settings = _read(config_file)
    root = config_file.parent
    theme = settings.get("theme") or {}
    if isinstance(theme, str):
        theme = {"name": theme}
    if not isinstance(theme, Mapping):
        theme = {}
    custom_dir = theme.get("custom_dir")
    plugins = _plugins(settings.get("plugins"))
    redirects = plugins.get("redirects")
    options, enabled = _options(config_file, settings, plugins)
    return SiteSettings(
        config_file=config_file,
        docs_dir=root / str(settings.get("docs_dir") or "docs"),
        site_url=str(settings["site_url"]) if settings.get("site_url") else None,
        use_directory_urls=bool(settings.get("use_directory_urls", True)),
        theme=theme,
        options=options,
        enabled=enabled,
        nav=settings.get("nav"),
        custom_dir=root / str(custom_dir) if custom_dir else None,
        redirect_maps=(redirects.get("redirect_maps") if isinstance(redirects, dict) else None)
        or {},
    )


def check_options(raw: object, where: str, config_file: Path) -> KommuneConfig:
    """The kommune options, checked and defaulted as the plugin checks them.

    An unknown key is an error here, not a warning: nothing else would read it.
    """
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise SettingsError(f"{where}: the options must be a mapping")
    options = KommuneConfig(config_file_path=str(config_file))
    options.load_dict(dict(raw))
    errors, warnings = options.validate()
    if errors or warnings:
        problems = "\n".join(f"  - {key}: {error}" for key, error in [*errors, *warnings])
        raise SettingsError(f"{where}: bad options:\n{problems}")
    return options


def data_path(data: str | None, root: Path) -> Path | None:
    """The data file named by the ``data`` option, relative to the configuration's folder."""
    return Path(os.path.normpath(root / data)) if data is not None else None


def shown(path: str | os.PathLike[str]) -> str:
    """A path as the user typed it or can click it: relative when under the working directory."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return for_terminal(os.fspath(path))
    return for_terminal(os.fspath(path) if relative.startswith("..") else relative)


def _read(config_file: Path) -> dict[str, Any]:
    # Here, not at the top: the plugin imports this module for `data_path`, and a MkDocs build
    # never reads TOML.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib

    try:
        if config_file.suffix == ".toml":
            with config_file.open("rb") as stream:
                data = tomllib.load(stream)
            project = data.get("project", data)
        else:  # MkDocs' own loader: it knows !ENV, !relative and INHERIT
            with config_file.open("rb") as stream:
                project = yaml_load(stream, get_yaml_loader(yaml.Loader))
    except FileNotFoundError:
        raise SettingsError(
            f"{shown(config_file)}: no such file; give the data file as an argument, or run the "
            "command in the folder of your mkdocs.yml (or pass --config)"
        ) from None
    except OSError as error:
        raise SettingsError(f"{shown(config_file)}: cannot be read ({error.strerror})") from None
    except (tomllib.TOMLDecodeError, ConfigurationError, yaml.YAMLError, ValueError) as error:
        raise SettingsError(
            f"{shown(config_file)}: cannot read it as {config_file.suffix[1:]} configuration: "
            f"{error}"
        ) from None
    if not isinstance(project, dict):
        raise SettingsError(f"{shown(config_file)}: the settings must be a mapping")
    return project


def _plugins(value: object) -> dict[str, object]:
    """``plugins`` as a list (``- search``, ``- kommune: {…}``) or a mapping, by short name."""
    entries: list[tuple[object, object]] = []
    if isinstance(value, dict):
        entries = list(value.items())
    elif isinstance(value, list):
        for item in value:
            entries.extend(item.items() if isinstance(item, dict) else [(item, None)])
    return {str(name).rsplit("/", 1)[-1]: options for name, options in entries}


def _options(
    config_file: Path, settings: Mapping[str, Any], plugins: Mapping[str, Any]
) -> tuple[KommuneConfig, bool]:
    where = shown(config_file)
    if "kommune" in plugins:
        return check_options(plugins["kommune"], f"{where} (plugins: kommune)", config_file), True
    extra = settings.get("extra") or {}
    raw = extra.get("kommune") if isinstance(extra, dict) else None
    enabled = raw is not None or ZENSICAL_MODULE in str(settings.get("markdown_extensions", ""))
    return check_options(raw, f"{where} (extra: kommune)", config_file), enabled
