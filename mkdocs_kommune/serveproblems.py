"""Under ``mkdocs serve``, a broken data file shows on the page instead of stopping the server.

MkDocs' live-reload server keeps every request waiting while a rebuild fails, so a
``PluginError`` from ``on_config`` would leave the browser hanging with no word of why. While
serving, the plugin keeps going and each macro call renders this block in its place, listing
every problem; the file is watched, so fixing it reloads the page with the table back.
``mkdocs build`` still fails as before.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from .data import DataError


def problems_block(error: DataError) -> Markup:
    """One line of HTML (Markdown keeps a one-line block of raw HTML as it is)."""
    count = len(error.problems)
    title = f"{error.path}: {count} problem{'s' if count != 1 else ''} in the data file"
    items = "".join(f"<li>{escape(p.format(error.path))}</li>" for p in error.problems)
    return Markup(
        '<div class="kommune-problems" role="alert">'
        f"<p><strong>{escape(title)}</strong> (shown by <code>mkdocs serve</code>; "
        f"<code>mkdocs build</code> stops on them)</p><ul>{items}</ul></div>"
    )
