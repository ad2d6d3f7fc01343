"""Redirect stubs: planning every alias of a site and refusing collisions (``stubs``: their text).

Plain functions of plain values (page sources, their front matter, the paths the site writes),
so the one set of rules serves two entry points: the plugin, which gathers the facts from MkDocs'
objects (``build``), and ``mkdocs-kommune redirects``, which reads them from the docs
and an already built site (``site``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mkdocs.structure.files import File

from ..safetext import for_terminal, plain
from .aliases import (
    PageFacts,
    PageIndex,
    RedirectError,
    Target,
    alias_output,
    decoded_path,
    fold,
    normalise_alias,
    relative_link,
    resolve_target,
)

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
    shown = for_terminal(src_uri)  # a file name may hold ESC or a bidi override
    aliases = meta.get("redirect_from")
    if aliases is not None:
        for alias in aliases if isinstance(aliases, list) else [aliases]:
            found.append(Declaration(alias, src_uri, f"{shown}: redirect_from"))
    target = meta.get("redirect_to")
    if target is not None:
        # Jekyll takes the first entry of a list.
        if isinstance(target, list) and target:
            target = target[0]
        found.append(Declaration(None, target, f"{shown}: redirect_to", replaces=src_uri))
    return found


def declarations_from_option(option: Mapping[str, object]) -> list[Declaration]:
    return [Declaration(alias, target, OPTION) for alias, target in option.items()]


def declarations(
    metas: Iterable[tuple[str, Mapping[str, Any]]], option: Mapping[str, object]
) -> list[Declaration]:
    """Every alias of a site: each page's front matter (src_uri, meta), then the option's."""
    found = [d for src_uri, meta in metas for d in declarations_from_meta(src_uri, meta)]
    return found + declarations_from_option(option)


def redirect_maps_outputs(
    redirect_maps: Mapping[object, object], use_directory_urls: bool
) -> dict[str, str]:
    """The stubs mkdocs-redirects (or Zensical's rewrite of it) writes for its ``redirect_maps``."""
    outputs: dict[str, str] = {}
    for key in redirect_maps:
        # mkdocs-redirects' own rule: the path MkDocs would give a file of that name.
        dest = File(str(key), None, "", use_directory_urls).dest_uri
        outputs[dest.replace("\\", "/")] = f"mkdocs-redirects (redirect_maps `{key}`)"
    return outputs


def plan(declarations: Sequence[Declaration], site: SiteFacts) -> list[Redirect]:
    """Check every declaration; raise one RedirectError listing every problem, or return stubs."""
    problems: list[str] = []
    redirects: list[Redirect] = []
    index = PageIndex(site.pages)  # one index for every target, not a scan of the pages each
    targets: dict[str, Target] = {}  # a page's aliases all name the same target
    for declaration in declarations:
        try:
            redirects.append(_one(declaration, site, index, targets))
        except RedirectError as error:
            problems.append(_message(declaration, error))
    redirects = _follow_redirect_to(redirects, site, problems)
    problems.extend(find_collisions(redirects, site))
    if problems:
        raise RedirectError("\n".join(f"  - {problem}" for problem in problems))
    return redirects


def _one(
    declaration: Declaration, site: SiteFacts, index: PageIndex, targets: dict[str, Target]
) -> Redirect:
    target = _resolve(declaration.target, index, targets)
    if declaration.replaces is not None:
        page = site.pages[declaration.replaces]
        if not target.external and target.link_base == page.path:
            raise RedirectError("the page redirects to itself: point redirect_to elsewhere")
        alias = "/" + decoded_path(page.path)
        return Redirect(alias, page.dest_uri, target, declaration.origin, page.src_uri)
    alias = normalise_alias(declaration.alias)
    return Redirect(alias, alias_output(alias), target, declaration.origin)


def _resolve(raw: object, index: PageIndex, targets: dict[str, Target]) -> Target:
    """``resolve_target``, once per distinct target text; refusals are not kept (they raise)."""
    if not isinstance(raw, str):
        return resolve_target(raw, index)
    if raw not in targets:
        targets[raw] = resolve_target(raw, index)
    return targets[raw]


def _message(declaration: Declaration, error: RedirectError) -> str:
    value = declaration.target if declaration.replaces is not None else declaration.alias
    return f"{declaration.origin} `{_show(value)}`: {error}"


def _show(value: object) -> str:
    """A value as written, with control characters made visible (a tab as ``\\t``), cut short."""
    return plain(value, 80)


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
        result.append(redirect if target is redirect.target else _with_target(redirect, target))
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
