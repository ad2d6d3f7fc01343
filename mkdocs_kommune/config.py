"""The plugin's options in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import config_options as opt
from mkdocs.config.base import BaseConfigOption, Config, ValidationError

from .i18n import LOCALES
from .register import REGISTERS


class _History(BaseConfigOption[str | bool | None]):
    """A path, or true/false; anything else says what is expected."""

    def run_validation(self, value: object) -> str | bool | None:
        if value is None or isinstance(value, str | bool):
            return value
        raise ValidationError(
            f"expected the path of the history file (e.g. data/kommuner.history.csv) or "
            f"false, not {type(value).__name__}"
        )


class KommuneConfig(Config):
    data_ = opt.Optional(opt.Type(str))  # key `data`; the trailing _ avoids UserDict.data
    """Path of the data file, relative to mkdocs.yml. Unset: the bundled dataset."""

    register = opt.Optional(opt.Choice(REGISTERS))
    """Fill kommunenummer, county and orgnr from a bundled register (overrides the data file's)."""

    locale = opt.Choice(LOCALES, default="en")
    """Language of the header, caption and empty-cell wording; a page may set `kommune_locale`."""

    stylesheet = opt.Type(bool, default=True)
    """Add the packaged stylesheet before the site's own `extra_css`."""

    script = opt.Type(bool, default=True)
    """Add the packaged kommune.js (filter and sort for long tables) to every page."""

    history = _History()
    """The refresh history (a CSV file) for `kommune_trend()` and `since=`, relative to mkdocs.yml.
    Unset: `<data file stem>.history.csv` beside the data file, when it exists; `false`: none."""

    redirects = opt.DictOfItems(opt.Type(str), default={})
    """Extra aliases besides front matter: alias path -> page source path (or http(s) URL)."""
