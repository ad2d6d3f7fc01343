"""The packaged stylesheet and script: where a site gets them, and their bytes."""

from __future__ import annotations

from importlib import resources

CSS_URI = "assets/kommune/kommune.css"
# On every page, as Material's own scripts are: under navigation.instant a page arrives without
# a reload, so a per-page <script> could miss it. It does nothing on pages without a long table.
JS_URI = "assets/kommune/kommune.js"

_PACKAGED = {
    CSS_URI: ("assets", "kommune.css"),
    JS_URI: ("assets", "kommune", "kommune.js"),
}


def packaged(uri: str) -> bytes:
    """The packaged file a site serves at ``uri`` (``CSS_URI`` or ``JS_URI``)."""
    return resources.files("mkdocs_kommune").joinpath(*_PACKAGED[uri]).read_bytes()
