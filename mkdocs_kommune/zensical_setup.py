"""Zensical: what every page of a build shares, read from ``extra: kommune`` once per build."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from .data import DataError, load_dataset
from .macros import SiteMacros
from .render import Renderer
from .settings import SettingsError, check_options, data_path, shown


class KommuneError(Exception):
    """What stops a Zensical build: bad options or data file, a bad macro call."""


def site_setup(conf: Mapping[str, Any]) -> SiteMacros:
    """The options from ``extra: kommune``, checked as the plugin checks them, and the data."""
    root = Path(str(conf.get("root_dir") or ".")).resolve()
    extra = conf.get("extra")
    raw = (extra.get("kommune") if isinstance(extra, Mapping) else None) or {}
    theme = conf.get("theme")
    custom_dir = theme.get("custom_dir") if isinstance(theme, Mapping) else None
    try:
        options = check_options(dict(raw), "extra: kommune", root / "zensical.toml")
    except SettingsError as error:
        raise KommuneError(f"kommune: {error}") from None
    path = data_path(options.data_, root)
    stamp = path.stat().st_mtime_ns if path is not None and path.is_file() else None
    return _setup(
        str(path) if path else None,
        stamp,
        options.register,
        options.locale,
        str(root / str(custom_dir)) if custom_dir else None,
    )


@lru_cache(maxsize=4)
def _setup(
    path: str | None, stamp: int | None, register: str | None, locale: str, custom_dir: str | None
) -> SiteMacros:
    """Read once per build (``stamp``: the data file's mtime, so an edit is read again)."""
    try:
        dataset = load_dataset(path, register, shown_as=shown(path) if path else None)
    except DataError as error:
        raise KommuneError(str(error)) from None
    return SiteMacros(dataset, Renderer([custom_dir] if custom_dir else []), locale)
