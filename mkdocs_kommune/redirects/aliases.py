"""Redirect aliases and targets: Jekyll's output rules, the checks, and URL arithmetic.

Plain functions of plain values, so the tests call them without a build. The checks are the faults
of mkdocs-redirects turned around: aliases that escape the site, unescaped targets, dropped
``?query`` and ``#a#b`` fragments.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from ..safetext import first_refused, plain
from ..urls import quote_url

# Control characters (C0, DEL, C1) never belong in a path a visitor types.
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# A Windows drive ("C:") or scheme ("file:") in front: an absolute file path or a URL, not an alias.
_DRIVE_OR_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# Path segments after which only posixpath.relpath itself gives its exact answer.
_UNCLEAN = frozenset(("", ".", ".."))
# Characters Windows refuses in file names (`?` and `\\` get messages of their own).
_WINDOWS_FORBIDDEN = re.compile(r'[<>:"|*]')
# Names Windows reserves for devices, with any extension (`nul.html` is the device NUL too).
_WINDOWS_RESERVED = re.compile(r"(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?\Z", re.IGNORECASE)
# File systems allow 255 bytes per name; the stub's name adds `.html` or `index.html`.
MAX_SEGMENT_BYTES = 240
# Whole paths: well under Linux's 4,096 bytes, leaving room for the site_dir in front.
MAX_ALIAS_BYTES = 1000


class RedirectError(ValueError):
    """One refused alias or target; the message says what is wrong and how to fix it."""


@dataclass(frozen=True)
class PageFacts:
    src_uri: str
    url: str  # site-root relative, as MkDocs gives it: "news/municipalities/" or "...html"
    title: str
    dest_uri: str

    @property
    def path(self) -> str:
        """The URL below the site root: MkDocs' ``./`` for the home page becomes ``""``."""
        return "" if self.url in ("./", ".") else self.url


@dataclass(frozen=True)
class Target:
    link_base: str  # without fragment: site-root relative path of a page, or an absolute URL
    fragment: str  # "" or "#oslo"
    external: bool
    title: str


# -- aliases ---------------------------------------------------------------------------------


def normalise_alias(raw: object) -> str:
    """``/kommune/`` from ``kommune/``, ``/b%C3%A6rum/`` or a decomposed ``/bærum/``.

    Percent-escapes are decoded first, as Jekyll does, so ``%2e%2e`` cannot sneak past the checks.
    """
    if not isinstance(raw, str):
        raise RedirectError(f"an alias must be a string, not {type(raw).__name__}: quote it")
    alias = unicodedata.normalize("NFC", unquote(raw.strip()))
    if not alias or alias == "/":
        raise RedirectError("an empty alias (or just `/`) would replace the home page: remove it")
    _refuse_unsafe(alias)
    return alias if alias.startswith("/") else "/" + alias


def _refuse_unsafe(alias: str) -> None:
    if "\\" in alias:
        raise RedirectError("a backslash is not a path separator on the web: use `/`")
    if CONTROL_CHARS.search(alias):
        raise RedirectError("a control character (newline, tab …) is not allowed: remove it")
    refused = first_refused(alias)
    if refused is not None:
        raise RedirectError(
            f"the invisible character {refused} is not allowed (it would hide or reorder what "
            "a reader sees): remove it"
        )
    if "?" in alias or "#" in alias:
        raise RedirectError(
            "`?` and `#` are not part of a file's path and a static host cannot match them: "
            "give only the path, e.g. `/kommune/`"
        )
    if alias.startswith("//") or _DRIVE_OR_SCHEME.match(alias) or alias.startswith("~"):
        raise RedirectError(
            "an alias is a path below the site root, not a URL or an absolute file path: "
            "write it like `/kommune/`"
        )
    if _WINDOWS_FORBIDDEN.search(alias):
        raise RedirectError(
            'Windows cannot store a file name holding < > : " | or *, so a site built or '
            "checked out there would lose the stub: leave those characters out"
        )
    if any(part in (".", "..") for part in alias.split("/")):
        raise RedirectError("`.` and `..` could point outside the site: write the full path")
    if "//" in alias:
        raise RedirectError("an empty path segment (`//`) is not allowed: remove the extra `/`")
    _refuse_unportable(alias)


def _refuse_unportable(alias: str) -> None:
    """Names a file system refuses, so the build (or a checkout on Windows) would fail."""
    if len(alias.encode("utf-8")) > MAX_ALIAS_BYTES:
        raise RedirectError(
            f"the alias is longer than {MAX_ALIAS_BYTES} bytes, more than a file path may be: "
            "shorten it"
        )
    for segment in alias.split("/"):
        if len(segment.encode("utf-8")) > MAX_SEGMENT_BYTES:
            raise RedirectError(
                f"the part `{plain(segment, 40)}` is longer than {MAX_SEGMENT_BYTES} bytes, more "
                "than a file name may be: shorten it"
            )
        if segment.endswith((".", " ")):
            raise RedirectError(
                f"the part `{plain(segment, 40)}` ends in a dot or a space, which Windows drops "
                "from file names: remove it"
            )
        if _WINDOWS_RESERVED.match(segment):
            raise RedirectError(
                f"`{plain(segment, 40)}` is a device name on Windows (CON, PRN, AUX, NUL, COM1-9, "
                "LPT1-9, with any extension), which no file may have there: choose another name"
            )


def alias_output(alias: str) -> str:
    """Jekyll's rule: ``/foo/`` → ``foo/index.html``, ``/foo`` → ``foo.html``, ``.html`` as given."""
    path = alias.lstrip("/")
    if alias.endswith("/"):
        return path + "index.html"
    if path.endswith(".html"):
        return path
    return path + ".html"


def fold(path: str) -> str:
    """The key two paths collide under: macOS and Windows folders ignore case and normal form."""
    return unicodedata.normalize("NFC", path).casefold()


# -- targets ---------------------------------------------------------------------------------


def resolve_target(raw: object, pages: Mapping[str, PageFacts] | PageIndex) -> Target:
    """A page of the site (source path, or its URL path as Jekyll writes it) or an http(s) URL."""
    if not isinstance(raw, str) or not raw.strip():
        raise RedirectError(
            "the target must be a page of the site (e.g. `news/municipalities.md`) or an "
            "http(s) URL"
        )
    value = raw.strip()
    if CONTROL_CHARS.search(value) or "\\" in value:
        raise RedirectError("the target holds a control character or a backslash: remove it")
    refused = first_refused(value)
    if refused is not None:
        raise RedirectError(f"the target holds the invisible character {refused}: remove it")
    if value.startswith("//") or _DRIVE_OR_SCHEME.match(value):
        return _external_target(value)
    path, _, fragment = value.partition("#")
    page = (pages if isinstance(pages, PageIndex) else PageIndex(pages)).find(path)
    if page is None:
        raise RedirectError(
            f"the target `{plain(value)}` is not a page of the site: give a Markdown file's path "
            "relative to docs_dir, e.g. `news/municipalities.md`, or an http(s) URL"
        )
    return Target(page.path, f"#{quote_url(fragment)}" if fragment else "", False, page.title)


def _external_target(value: str) -> Target:
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  (raises for a port that is not a number from 0 to 65535)
    except ValueError as error:  # `https://[oops/`, `https://[evil]/`
        raise RedirectError(
            f"the target `{plain(value)}` is not a valid URL ({error}): check its host and port"
        ) from None
    if "@" in parts.netloc:
        raise RedirectError(
            f"the target `{plain(value)}` has a user name before its host, so it goes to "
            f"{plain(parts.hostname or '?')}: remove the part up to @"
        )
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise RedirectError(
            f"the target `{plain(value)}` is refused: only http:// and https:// URLs (with a host) or "
            "pages of the site may be targets, never javascript:, data:, file: or `//host`"
        )
    base, _, fragment = value.partition("#")
    base = quote_url(base)
    return Target(base, f"#{quote_url(fragment)}" if fragment else "", True, base)


class PageIndex:
    """Pages by source path and by URL path, both in NFC, built once for every target of a build.

    Where two pages match, the first in site order wins, as a scan of the pages would find it.
    """

    def __init__(self, pages: Mapping[str, PageFacts]) -> None:
        self.by_source: dict[str, PageFacts] = {}
        self.by_url: dict[str, tuple[int, PageFacts]] = {}
        for position, (src_uri, page) in enumerate(pages.items()):
            self.by_source.setdefault(unicodedata.normalize("NFC", src_uri), page)
            self.by_url.setdefault(decoded_path(page.path), (position, page))

    def find(self, path: str) -> PageFacts | None:
        source = decoded_path(path).lstrip("/")
        page = self.by_source.get(source)
        if page is not None:
            return page
        # Jekyll sites name targets by URL: `/news/municipalities/`, `/`. Accept a page's own URL,
        # which MkDocs percent-encodes (`b%C3%A6rum/`): compared decoded, in NFC.
        hits = [self.by_url.get(source), self.by_url.get("index.html") if source == "" else None]
        found = [hit for hit in hits if hit is not None]
        return min(found, key=lambda hit: hit[0])[1] if found else None


def decoded_path(path: str) -> str:
    """A URL path as a reader types it: percent-escapes decoded, Unicode in NFC."""
    return unicodedata.normalize("NFC", unquote(path))


# -- URL arithmetic --------------------------------------------------------------------------


def relative_link(stub_output: str, target_url: str) -> str:
    """The target seen from the stub's folder, so it works under a site_url sub-path and file://."""
    start = posixpath.dirname(stub_output) or "."
    target_dir, target_file = target_url.rsplit("/", 1) if "/" in target_url else ("", target_url)
    relative_dir = _relpath(target_dir or ".", start)
    if relative_dir == ".":
        return target_file or "./"
    return f"{relative_dir}/{target_file}"


def _relpath(path: str, start: str) -> str:
    """``posixpath.relpath`` without its two ``os.getcwd()`` calls, for clean relative paths.

    Site paths have no ``.``, ``..`` or empty segments, so the common leading folders are all
    that matter; anything else goes to ``posixpath.relpath`` itself.
    """
    path_parts = [] if path == "." else path.split("/")
    start_parts = [] if start == "." else start.split("/")
    if not all(part not in _UNCLEAN for part in (*path_parts, *start_parts)):
        return posixpath.relpath(path, start)
    common = 0
    for ours, theirs in zip(path_parts, start_parts, strict=False):
        if ours != theirs:
            break
        common += 1
    return "/".join([".."] * (len(start_parts) - common) + path_parts[common:]) or "."


def visitor_url(link: str, fragment: str, search: str, hash_: str) -> str:
    """Where ``location.replace`` sends a visitor; the script in the stub does exactly this.

    The visitor's ``?query`` is appended (``&`` if the target has one); the visitor's ``#hash``
    wins over the target's fragment, so ``#a#b`` can never appear.
    """
    if search and search != "?":
        link += ("&" if "?" in link else "?") + search.lstrip("?")
    return link + (hash_ if hash_ and hash_ != "#" else fragment)


def absolute_url(site_url: str | None, target: Target) -> str | None:
    """The target's absolute URL, for canonical links and redirects.json; None without site_url."""
    if target.external:
        return target.link_base + target.fragment
    if not site_url:
        return None
    return site_url.rstrip("/") + "/" + target.link_base + target.fragment


def site_path(target: Target) -> str:
    """The target's path from the site root, as redirects.json gives it without a site_url."""
    if target.external:
        return target.link_base + target.fragment
    return "/" + target.link_base + target.fragment
