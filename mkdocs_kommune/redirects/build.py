"""Redirects in a MkDocs build: the site's facts from MkDocs' objects, the stubs as its files.

The stubs are generated MkDocs files added in ``on_env``, so ``build``, ``serve`` and
``gh-deploy`` all carry them and sitemap and search leave them out.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel

from .aliases import PageFacts, RedirectError, fold
from .pagesource import read_source, title_from_source
from .plan import (
    JSON_URI,
    Redirect,
    SiteFacts,
    declarations,
    plan,
    redirect_maps_outputs,
)
from .stubs import stub_files, theme_lang


def site_facts(config: MkDocsConfig, files: Files) -> SiteFacts:
    """Every path the build will write, and every page, once front matter has been read.

    Pages are those MkDocs publishes (not drafts, not ``exclude_docs``). Files written count
    against aliases unless ``exclude_docs`` leaves them out: drafts count, since ``mkdocs serve``
    writes them and ``mkdocs build`` will once they are published.
    """
    pages = {f.src_uri: _page_facts(f) for f in files.documentation_pages()}
    written = [f.dest_uri for f in files if _is_written(f)]
    return SiteFacts(
        pages=pages,
        written=written + _templates_written(config),
        site_url=config.site_url or None,
        foreign_aliases=_mkdocs_redirects_outputs(config),
    )


def _page_facts(file: File) -> PageFacts:
    return PageFacts(file.src_uri, file.url, page_title(file), file.dest_uri)


def _is_read(file: File) -> bool:
    """Whether MkDocs read the page in this build; ``--dirty`` skips unmodified pages."""
    return file.page is not None and file.page.markdown is not None


def _front_matter(file: File) -> tuple[str, dict[str, Any]]:
    """Markdown and front matter of a page MkDocs did not read, read as MkDocs reads them."""
    try:
        return read_source(file.content_string)
    except (OSError, UnicodeDecodeError):
        return "", {}  # a full build reports an unreadable page; a dirty one skips it


def page_meta(file: File) -> Mapping[str, Any]:
    """A page's front matter, also for a page ``mkdocs build --dirty`` left unread."""
    if _is_read(file):
        assert file.page is not None
        return file.page.meta
    return _front_matter(file)[1]


def page_title(file: File) -> str:
    """The title the page shows: nav, front matter ``title``, first ``# `` heading, file name.

    Pages are rendered by on_env, so a page MkDocs read has its own title; for one a dirty build
    left unread, the same order is followed from its source.
    """
    page = file.page
    title = page.title if page is not None else None  # the nav title even when unread
    if title is None and not _is_read(file):
        markdown, meta = _front_matter(file)
        is_homepage = page is not None and page.is_homepage
        title = title_from_source(markdown, meta, file.name, is_homepage=is_homepage)
    return str(title or file.src_uri)


def _templates_written(config: MkDocsConfig) -> list[str]:
    """Files MkDocs renders or plugins write without a File: 404.html, sitemap, search index."""
    written = [*config.theme.static_templates, *config.extra_templates]
    if "sitemap.xml" in written:
        written.append("sitemap.xml.gz")
    if any(name.rsplit("/", 1)[-1] == "search" for name in config.plugins):
        written.append("search/search_index.json")
    return written


def _mkdocs_redirects_outputs(config: MkDocsConfig) -> dict[str, str]:
    """The stubs mkdocs-redirects would write, read from its config (it is not imported)."""
    outputs: dict[str, str] = {}
    for name, plugin in config.plugins.items():
        if name.rsplit("/", 1)[-1] == "redirects":
            redirect_maps = plugin.config.get("redirect_maps") or {}
            outputs.update(redirect_maps_outputs(redirect_maps, config.use_directory_urls))
    return outputs


def generate(
    config: MkDocsConfig,
    files: Files,
    option: Mapping[str, object],
    locale: str,
    env: jinja2.Environment,
) -> list[Redirect]:
    """Add a generated stub per alias, and redirects.json, to ``files``; raise on any problem.

    ``env`` is the build's one template environment (the plugin's renderer holds it), so a
    ``kommune/redirect.html`` in the theme's custom_dir is found as the tables' templates are.
    """
    found = declarations(((f.src_uri, page_meta(f)) for f in files.documentation_pages()), option)
    if not found:
        return []
    site = site_facts(config, files)
    redirects = plan(found, site)
    for redirect in redirects:
        if redirect.replaces is not None:
            # The page is not rendered at all: its stub is written in its place, and it drops
            # out of sitemap and search like every other stub.
            files.remove(files.get_file_from_path(redirect.replaces))  # type: ignore[arg-type]
    # Jekyll leaves an author's own redirects.json alone; so do we.
    own_json = any(fold(f.dest_uri) == JSON_URI and _is_written(f) for f in files)
    outputs = stub_files(
        redirects,
        site,
        lang=theme_lang(config.theme),
        locale=locale,
        env=env,
        with_json=not own_json,
    )
    _refuse_links_out(config.site_dir, outputs, redirects)
    for uri, text in outputs.items():
        _add(files, _generated(config, uri, text))
    return redirects


def _refuse_links_out(site_dir: str, outputs: Iterable[str], redirects: list[Redirect]) -> None:
    """Refuse a stub whose path leads out of ``site_dir`` through a symbolic link in it.

    MkDocs' clean step keeps dot entries (``.well-known``), and ``--dirty`` keeps everything, so
    a link left there would make MkDocs write the stub wherever it points.
    """
    root = os.path.realpath(site_dir)
    origins = {r.output: f"{r.origin} `{r.alias}`: its stub" for r in redirects}
    links: dict[str, bool] = {}  # folder or file path -> is a symbolic link; stubs share folders
    problems = [
        f"  - {origins.get(uri, 'the file')} `{uri}` would be written outside the site through "
        f"a symbolic link in {site_dir}: remove the link, or choose another alias"
        for uri in outputs
        if _through_link(root, uri, links) and not _inside(root, _resolved(root, uri))
    ]
    if problems:
        raise RedirectError("\n".join(problems))


def _through_link(root: str, uri: str, links: dict[str, bool]) -> bool:
    """Whether any part of the path is a symbolic link; without one, it stays inside ``root``.

    One ``lstat`` per distinct folder, where resolving every stub's path costs one per part.
    """
    path = root
    for part in uri.split("/"):
        path = os.path.join(path, part)
        if path not in links:
            links[path] = os.path.islink(path)
        if links[path]:
            return True
    return False


def _resolved(root: str, uri: str) -> str:
    return os.path.realpath(os.path.join(root, *uri.split("/")))


def _inside(root: str, path: str) -> bool:
    return os.path.commonpath([root, path]) == root


def _generated(config: MkDocsConfig, uri: str, content: str) -> File:
    # INCLUDED explicitly: MkDocs sets inclusion levels after on_files only, and UNDEFINED is
    # skipped when static files are copied.
    return File.generated(config, uri, content=content, inclusion=InclusionLevel.INCLUDED)


def _is_written(file: File) -> bool:
    """Written by ``mkdocs serve``, and by ``mkdocs build`` unless a draft: not ``exclude_docs``.

    (``InclusionLevel.is_in_serve``, which MkDocs leaves untyped.)
    """
    return int(file.inclusion.value) >= int(InclusionLevel.DRAFT.value)


def _add(files: Files, file: File) -> None:
    """Append a generated file; an ``exclude_docs`` file of that name (never written) gives way."""
    # src_uri is already in POSIX form: no PurePath per stub, as get_file_from_path makes one.
    excluded = files.src_uris.get(file.src_uri)
    if excluded is not None:
        files.remove(excluded)
    files.append(file)
