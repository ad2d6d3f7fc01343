"""What the commands share: the exit codes, and finding the data file a command works on."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..settings import SettingsError, find_config, read_settings, shown

EXIT_OK = 0
EXIT_BAD_INPUT = 1  # an invalid file or arguments: nothing was done
EXIT_SOME_FAILED = 2  # refresh: some lookups failed, the others were written

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_OK",
    "EXIT_SOME_FAILED",
    "SettingsError",
    "Target",
    "resolve_target",
    "shown",
    "site_config",
]


@dataclass(frozen=True)
class Target:
    """The data file a command works on, and the register the site applies to it."""

    path: Path | None  # None: the site uses the bundled dataset
    register: str | None
    config_file: Path | None


def site_config(config_file: Path | None) -> Path:
    """``--config FILE`` as given, else the file an engine started here would read."""
    return config_file if config_file is not None else find_config(Path.cwd())


def resolve_target(file: Path | None, config_file: Path | None) -> Target:
    """FILE as given, or the kommune options' `data` in the site's configuration.

    A FILE that is the site's own data file keeps the site's `register` option, so it is
    checked the way the build checks it.
    """
    if file is None:
        settings = read_settings(site_config(config_file))
        if not settings.enabled:
            raise SettingsError(
                f"{shown(settings.config_file)}: the kommune plugin is not enabled there; add "
                "`- kommune` under `plugins`, or give the data file as an argument"
            )
        return Target(settings.data_path, settings.options.register, settings.config_file)
    try:
        settings = read_settings(site_config(config_file))
    except SettingsError:
        return Target(file, None, None)
    site_data = settings.data_path if settings.enabled else None
    same = site_data is not None and _same_file(site_data, file)
    return Target(file, settings.options.register if same else None, settings.config_file)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop on Python < 3.12
        return False
