"""Redirect stubs: planning every alias of the site, refusing collisions, and writing the pages.

The plugin gathers the site's facts into a ``SiteFacts``; ``plan`` and ``find_collisions`` are
plain functions of it, and ``generate`` turns the result into files MkDocs writes itself, so
``build``, ``serve`` and ``gh-deploy`` all carry them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import jinja2
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils.meta import get_data

from .aliases import (
    CONTROL_CHARS,
    PageFacts,
    RedirectError,
    Target,
    absolute_url,
    alias_output,
    decoded_path,
    fold,
    normalise_alias,
    relative_link,
    resolve_target,
    site_path,
)
from .i18n import strings
from .render import template_environment
from .urls import quote_url

STUB_TEMPLATE = "kommune/redirect.html"
JSON_URI = "redirects.json"
OPTION = "mkdocs.yml (plugins: kommune: redirects)"


@dataclass(frozen=True)
class Declaration:
    """An alias as the author wrote it, and where: the raw values are checked later, all at once."""

    alias: object
    target: object
    origin: str  # e.g. "news/municipalities.md: redirect_from" — the start of every message
    replaces: str | None = None  # redirect_to: the src_uri of the page the stub stands in for


@dataclass(frozen=True)
class SiteFacts:
    """What the checks need to know about the site, gathered by the plugin from MkDocs' objects."""

    pages: Mapping[str, PageFacts]  # by src_uri
    written: Iterable[str]  # dest paths MkDocs, the theme or other plugins write
    site_url: str | None = None
    foreign_aliases: Mapping[str, str] = field(default_factory=dict)  # dest -> who writes it


@dataclass(frozen=True)
class Redirect:
    alias: str  # "/kommune/", as a visitor types it below the site root
    output: str  # "kommune/index.html"
    target: Target
    origin: str
    replaces: str | None = None

    def link(self) -> str:
        """The target relative to the stub (or the external URL), without fragment."""
        if self.target.external:
            return self.target.link_base
        return relative_link(self.output, self.target.link_base)


# -- planning --------------------------------------------------------------------------------


def declarations_from_meta(src_uri: str, meta: Mapping[str, Any]) -> list[Declaration]:
    """``redirect_from`` (string or list) and ``redirect_to`` of one page's front matter."""
    found: list[Declaration] = []
    aliases = meta.get("redirect_from")
    if aliases is not None:
        for alias in aliases if isinstance(aliases, list) else [aliases]:
            found.append(Declaration(alias, src_uri, f"{src_uri}: redirect_from"))
    target = meta.get("redirect_to")
    if target is not None:
        # Jekyll takes the first entry of a list.
        if isinstance(target, list) and target:
            target = target[0]
        found.append(Declaration(None, target, f"{src_uri}: redirect_to", replaces=src_uri))
    return found


def declarations_from_option(option: Mapping[str, object]) -> list[Declaration]:
    return [Declaration(alias, target, OPTION) for alias, target in option.items()]


def plan(declarations: Sequence[Declaration], site: SiteFacts) -> list[Redirect]:
    """Check every declaration; raise one RedirectError listing every problem, or return stubs."""
    problems: list[str] = []
    redirects: list[Redirect] = []
    for declaration in declarations:
        try:
            redirects.append(_one(declaration, site))
        except RedirectError as error:
            problems.append(_message(declaration, error))
    redirects = _follow_redirect_to(redirects, site, problems)
    problems.extend(find_collisions(redirects, site))
    if problems:
        raise RedirectError("\n".join(f"  - {problem}" for problem in problems))
    return redirects


def _one(declaration: Declaration, site: SiteFacts) -> Redirect:
    target = resolve_target(declaration.target, site.pages)
    if declaration.replaces is not None:
        page = site.pages[declaration.replaces]
        if not target.external and target.link_base == page.path:
            raise RedirectError("the page redirects to itself: point redirect_to elsewhere")
        alias = "/" + decoded_path(page.path)
        return Redirect(alias, page.dest_uri, target, declaration.origin, page.src_uri)
    alias = normalise_alias(declaration.alias)
    return Redirect(alias, alias_output(alias), target, declaration.origin)


def _message(declaration: Declaration, error: RedirectError) -> str:
    value = declaration.target if declaration.replaces is not None else declaration.alias
    return f"{declaration.origin} `{_show(value)}`: {error}"


def _show(value: object) -> str:
    """A value as written, with control characters made visible (a tab as ``\\t``)."""
    return CONTROL_CHARS.sub(lambda match: repr(match.group())[1:-1], str(value))


def _follow_redirect_to(
    redirects: list[Redirect], site: SiteFacts, problems: list[str]
) -> list[Redirect]:
    """Point every stub at the final target, so a visitor hops once; refuse redirect loops."""
    by_url = {site.pages[r.replaces].path: r for r in redirects if r.replaces is not None}
    result: list[Redirect] = []
    for redirect in redirects:
        target, seen = redirect.target, {redirect.output}
        while not target.external and target.link_base in by_url:
            hop = by_url[target.link_base]
            if hop.output in seen:
                problems.append(
                    f"{redirect.origin} `{redirect.alias}`: the redirect_to pages form a loop "
                    f"through {hop.replaces}: make one of them a real page"
                )
                break
            seen.add(hop.output)
            target = hop.target
        result.append(_with_target(redirect, target))
    return result


def _with_target(redirect: Redirect, target: Target) -> Redirect:
    return Redirect(redirect.alias, redirect.output, target, redirect.origin, redirect.replaces)


def find_collisions(redirects: Sequence[Redirect], site: SiteFacts) -> list[str]:
    """Aliases whose file would overwrite, or be overwritten by, another file of the site."""
    # A redirect_to stub takes its own page's place; only other files count against it.
    replaced = {fold(r.output) for r in redirects if r.replaces is not None}
    written = {fold(path): path for path in site.written if fold(path) not in replaced}
    folders = {fold(folder) for path in site.written for folder in _parents(path)}
    foreign = {fold(path): who for path, who in site.foreign_aliases.items()}
    claimed: dict[str, Redirect] = {}
    problems: list[str] = []
    for redirect in redirects:
        key = fold(redirect.output)
        where = f"{redirect.origin} `{redirect.alias}`: its stub `{redirect.output}`"
        if redirect.replaces is None:
            problems.extend(_file_clash(where, key, redirect.output, written, folders))
        if key in foreign:
            problems.append(
                f"{where} is also written by {foreign[key]}: keep the alias in one plugin only"
            )
        first = claimed.setdefault(key, redirect)
        if first is not redirect:
            problems.append(
                f"{where} is already the alias `{first.alias}` from {first.origin} (paths are "
                "compared ignoring case and Unicode form, since macOS and Windows do): keep one"
            )
    return problems


def _file_clash(
    where: str, key: str, output: str, written: Mapping[str, str], folders: set[str]
) -> list[str]:
    if key in written:
        return [
            f"{where} would overwrite `{written[key]}`, a file of the site (a page, a static "
            "file, a theme or plugin file): choose another alias or remove it"
        ]
    # `a.html` where the site has a folder `a.html/`, or `x/index.html` where `x` is a file.
    if key in folders or any(fold(parent) in written for parent in _parents(output)):
        return [
            f"{where} clashes with a folder or file of the site of the same name: choose another alias"
        ]
    return []


def _parents(path: str) -> list[str]:
    parts = path.split("/")[:-1]
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


# -- output ----------------------------------------------------------------------------------


def redirects_json(redirects: Sequence[Redirect], site_url: str | None) -> str:
    """``{"/kommune/": "https://…/news/municipalities/"}``, as jekyll-redirect-from writes it.

    Keys are the aliases as declared (normalised: leading slash, NFC), below the site root and
    without the site_url's sub-path; stand-in pages of ``redirect_to`` are listed by their own URL.
    """
    mapping = {r.alias: absolute_url(site_url, r.target) or site_path(r.target) for r in redirects}
    return json.dumps(mapping, ensure_ascii=False, indent=2) + "\n"


def script_value(value: str) -> Markup:
    """A JavaScript string literal safe inside ``<script>``: ``</script>`` and ``<!--`` cannot form."""
    literal = json.dumps(value, ensure_ascii=True)
    literal = literal.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(literal)


def render_stub(
    redirect: Redirect,
    *,
    site_url: str | None = None,
    lang: str = "en",
    locale: str = "en",
    env: jinja2.Environment | None = None,
) -> str:
    link = redirect.link()
    words = strings(locale)
    template = (env or template_environment()).get_template(STUB_TEMPLATE)
    return template.render(
        lang=lang,
        title=words["redirect_title"].format(target=redirect.target.title),
        text=words["redirect_text"],
        target_title=redirect.target.title,
        link=link + redirect.target.fragment,
        refresh_link=quote_url(link + redirect.target.fragment),
        canonical=absolute_url(site_url, redirect.target),
        script_link=script_value(link),
        script_fragment=script_value(redirect.target.fragment),
    )


# -- MkDocs glue -----------------------------------------------------------------------------


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
        return get_data(file.content_string)
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
        title = meta.get("title") or _first_heading(markdown)
        if title is None:
            title = _title_from_name(file, is_homepage=page is not None and page.is_homepage)
    return str(title or file.src_uri)


def _first_heading(markdown: str) -> str | None:
    """A first line ``# Title``, as MkDocs reads a title from Markdown."""
    for line in markdown.splitlines():
        if line.strip():
            return line.strip().lstrip("# ") if line.strip().startswith("# ") else None
    return None


def _title_from_name(file: File, *, is_homepage: bool) -> str:
    """MkDocs' last resort: ``Home``, or the file name (``plain-page`` → ``Plain page``)."""
    if is_homepage:
        return "Home"
    title = file.name.replace("-", " ").replace("_", " ")
    return title.capitalize() if title.lower() == title else title


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
        if name.rsplit("/", 1)[-1] != "redirects":
            continue
        redirect_maps = plugin.config.get("redirect_maps") or {}
        for key in redirect_maps:
            # mkdocs-redirects' own rule: the path MkDocs would give a file of that name.
            dest = File(str(key), None, "", config.use_directory_urls).dest_uri
            outputs[dest.replace("\\", "/")] = f"mkdocs-redirects (redirect_maps `{key}`)"
    return outputs


def theme_lang(config: MkDocsConfig) -> str:
    """``<html lang>``: Material's ``language`` or MkDocs' ``locale`` (``nb_NO`` → ``nb-NO``)."""
    value = config.theme.get("language") or config.theme.get("locale") or "en"
    return str(value).replace("_", "-")


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
    declarations = [
        d
        for f in files.documentation_pages()
        for d in declarations_from_meta(f.src_uri, page_meta(f))
    ] + declarations_from_option(option)
    if not declarations:
        return []
    site = site_facts(config, files)
    redirects = plan(declarations, site)
    lang = theme_lang(config)
    for redirect in redirects:
        if redirect.replaces is not None:
            # The page is not rendered at all: its stub is written in its place, and it drops
            # out of sitemap and search like every other stub.
            files.remove(files.get_file_from_path(redirect.replaces))  # type: ignore[arg-type]
        html = render_stub(redirect, site_url=site.site_url, lang=lang, locale=locale, env=env)
        _add(files, _generated(config, redirect.output, html))
    # Jekyll leaves an author's own redirects.json alone; so do we.
    if not any(fold(f.dest_uri) == JSON_URI and _is_written(f) for f in files):
        _add(files, _generated(config, JSON_URI, redirects_json(redirects, site.site_url)))
    return redirects


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
    excluded = files.get_file_from_path(file.src_uri)
    if excluded is not None:
        files.remove(excluded)
    files.append(file)
