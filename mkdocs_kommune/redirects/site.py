"""Redirects for a site an engine without MkDocs plugins built (Zensical): ``mkdocs-kommune redirects``.

The facts come from the docs (front matter, titles) and the built site folder (every file in it,
and which pages the engine published); the rules are those of ``redirects``, the plugin's own.
A second run over the same site replaces the stubs of the first, which its redirects.json lists.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File

from ..refresh.answers import nests_within
from ..render import template_environment
from ..safetext import for_terminal
from ..settings import SiteSettings
from ..staticfiles import CSS_URI, JS_URI, packaged
from .aliases import PageFacts, RedirectError, alias_output, fold, normalise_alias
from .pagesource import read_file, title_from_source
from .plan import (
    JSON_URI,
    Redirect,
    SiteFacts,
    declarations,
    plan,
    redirect_maps_outputs,
)
from .stubs import stub_files, theme_lang

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")
# Every alias of a large site is a few hundred KB of redirects.json; a stub is about 1 KB.
MAX_MAP_BYTES = 5_000_000
MAX_STUB_BYTES = 64_000
# What every stub holds, the packaged one and a theme's (its documented values): the refresh
# tag and the location.replace of the script. A page written by hand has neither.
STUB_MARKS = (b'http-equiv="refresh"', b"location.replace(")


class SiteError(RedirectError):
    """The site folder is missing, or a stub cannot be written where it belongs."""


def write_assets(settings: SiteSettings, site_dir: Path) -> list[str]:
    """The packaged stylesheet and script, which the plugin adds itself, unless docs has its own."""
    wanted = [
        (CSS_URI, settings.options.stylesheet),
        (JS_URI, settings.options.script),
    ]
    written = []
    for uri, enabled in wanted:
        if enabled and not settings.docs_dir.joinpath(*uri.split("/")).is_file():
            _write(site_dir, uri, packaged(uri).decode("utf-8"))
            written.append(uri)
    return written


def write_redirects(settings: SiteSettings, site_dir: Path) -> list[Redirect]:
    """Plan every alias of the site against the built ``site_dir``, then write the stubs."""
    if not site_dir.is_dir():
        raise SiteError(
            f"{site_dir} is not a folder: build the site first (`zensical build`), then run this"
        )
    sources = dict(_pages(settings))
    files = _site_files(site_dir)
    # The engine decides what it publishes (drafts, exclude_docs…): a page is what it wrote.
    published = {src: f for src, (f, _meta) in sources.items() if f.dest_uri in files}
    found = declarations(((src, sources[src][1]) for src in published), settings.options.redirects)
    if not found:
        return []
    foreign = redirect_maps_outputs(settings.redirect_maps, settings.use_directory_urls)
    # An earlier run's stub (listed in its redirects.json) may since have become a page.
    previous = _previous_stubs(settings, site_dir) - {f.dest_uri for f in published.values()}
    site = SiteFacts(
        pages={src: _page_facts(settings, f) for src, f in published.items()},
        written=[p for p in files if p not in previous and p not in foreign],
        site_url=settings.site_url,
        foreign_aliases=foreign,
    )
    redirects = plan(found, site)
    outputs = stub_files(
        redirects,
        site,
        lang=theme_lang(settings.theme),
        locale=settings.options.locale,
        env=template_environment([str(settings.custom_dir)] if settings.custom_dir else []),
        with_json=not _own_json(settings),
    )
    for output in outputs:  # every path checked before any is written
        _target(site_dir, output)
    for output, text in outputs.items():
        _write(site_dir, output, text)
    return redirects


def _pages(settings: SiteSettings) -> Iterator[tuple[str, tuple[File, dict[str, Any]]]]:
    """Every Markdown page of docs_dir with its front matter, in MkDocs' order.

    MkDocs' walk: folders top-down and sorted, ``index``/``README`` first in each; dot folders
    and files left out; a README beside an index gives way. The order is the order of
    redirects.json, as the plugin writes it.
    """
    seen: set[str] = set()
    walked: set[tuple[int, int]] = set()  # folders by device and inode: a linked loop ends
    for folder, subfolders, names in os.walk(settings.docs_dir, followlinks=True):
        try:
            status = os.stat(folder)
        except OSError:
            subfolders[:] = []
            continue
        if (status.st_dev, status.st_ino) in walked:
            subfolders[:] = []  # a link back to a folder already read (docs/again -> docs)
            continue
        walked.add((status.st_dev, status.st_ino))
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        names.sort(key=lambda name: (os.path.splitext(name)[0] not in ("index", "README"), name))
        for name in names:
            path = Path(folder, name)
            if name.startswith(".") or path.suffix.lower() not in MARKDOWN_SUFFIXES:
                continue
            relative = path.relative_to(settings.docs_dir).as_posix()
            file = File(relative, str(settings.docs_dir), "", settings.use_directory_urls)
            if file.dest_uri not in seen:
                seen.add(file.dest_uri)
                yield file.src_uri, (file, read_file(path)[1])


def _page_facts(settings: SiteSettings, file: File) -> PageFacts:
    markdown, meta = read_file(Path(file.abs_src_path or ""))
    title = _nav_titles(settings.nav).get(file.src_uri) or title_from_source(
        markdown, meta, file.name, is_homepage=file.src_uri in ("index.md", "README.md")
    )
    return PageFacts(file.src_uri, file.url, title, file.dest_uri)


def _nav_titles(nav: object) -> dict[str, str]:
    """``nav:`` entries ``{title: page.md}``, at any depth: the title MkDocs gives those pages."""
    titles: dict[str, str] = {}
    items = nav if isinstance(nav, list) else []
    for item in items:
        if not isinstance(item, dict):
            continue
        for title, value in item.items():
            if isinstance(value, str):
                titles[value] = str(title)
            else:
                titles.update(_nav_titles(value))
    return titles


def _site_files(site_dir: Path) -> set[str]:
    return {p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file()}


def _own_json(settings: SiteSettings) -> bool:
    """Jekyll leaves an author's own redirects.json alone; so do we."""
    return any(fold(p.name) == JSON_URI for p in settings.docs_dir.glob("*"))


def _previous_stubs(settings: SiteSettings, site_dir: Path) -> set[str]:
    """The stubs an earlier run wrote into this site, read from its redirects.json.

    Only a file that still is such a stub counts: a page written by hand where an old stub was
    is the author's, and a stub on its path is refused, as the plugin refuses it. The map is
    read with bounds (size, depth, string keys), since the site folder is not ours alone.
    """
    if _own_json(settings):
        return set()
    mapping = _read_map(site_dir / JSON_URI)
    if mapping is None:
        return set()
    previous = {JSON_URI}
    for alias in mapping:
        if not isinstance(alias, str):
            continue
        try:
            output = alias_output(normalise_alias(alias))
        except RedirectError:
            continue
        if _is_stub(site_dir, output):
            previous.add(output)
    return previous


def _read_map(path: Path) -> dict[Any, Any] | None:
    """An earlier run's redirects.json, or None when it is missing, too large or not a map."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_MAP_BYTES + 1)
    except OSError:
        return None
    if len(data) > MAX_MAP_BYTES or not nests_within(data, 2):
        return None
    try:
        mapping = json.loads(data)
    except (ValueError, RecursionError):
        return None
    return mapping if isinstance(mapping, dict) else None


def _is_stub(site_dir: Path, output: str) -> bool:
    """Whether the file at ``output`` is a redirect stub (the packaged one or a theme's own)."""
    try:
        with site_dir.joinpath(*output.split("/")).open("rb") as file:
            head = file.read(MAX_STUB_BYTES + 1)
    except OSError:
        return True  # nothing there (or no file to lose): the old entry is harmless
    return len(head) <= MAX_STUB_BYTES and all(mark in head for mark in STUB_MARKS)


def _target(site_dir: Path, output: str) -> Path:
    """Where ``output`` goes, refused when a linked folder on its way leads out of the site."""
    try:
        root = site_dir.resolve()
        target = root.joinpath(*output.split("/"))
        inside = target.parent.resolve().is_relative_to(root)
    except RuntimeError:  # a symbolic link loop, on Python < 3.13 (later ones raise OSError)
        inside = False
    if not inside:
        raise SiteError(
            f"{output}: a folder on its way leads out of {for_terminal(str(site_dir))} or "
            "around in a loop: remove that link"
        )
    return target


def _write(site_dir: Path, output: str, text: str) -> None:
    """Write one file inside ``site_dir`` all at once: a reader never sees half a stub."""
    target = _target(site_dir, output)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".kommune-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)  # mkstemp's 0600 would hide the stub from the web server
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
