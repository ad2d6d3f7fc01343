"""Redirect aliases without a build: path rules, URL arithmetic, refusals, collisions, stub HTML."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

import pytest
from bs4 import BeautifulSoup
from mkdocs.structure.files import File

from mkdocs_kommune import i18n
from mkdocs_kommune.redirects import stubs
from mkdocs_kommune.redirects.aliases import (
    PageFacts,
    RedirectError,
    Target,
    alias_output,
    normalise_alias,
    resolve_target,
    visitor_url,
)
from mkdocs_kommune.redirects.plan import (
    OPTION,
    Declaration,
    Redirect,
    SiteFacts,
    declarations_from_meta,
    plan,
)
from mkdocs_kommune.redirects.stubs import redirects_json, render_stub

SOURCES = (
    "index.md",
    "news/municipalities.md",
    "about.md",
    "guide/index.md",
    "kommuner/bærum.md",
    "kommuner/åsnes.md",
)


def facts(
    use_directory_urls: bool = True,
    *,
    written: tuple[str, ...] = (),
    foreign: Mapping[str, str] | None = None,
    site_url: str | None = None,
) -> SiteFacts:
    """A site of SOURCES, URLs and paths worked out by MkDocs' own File."""
    pages = {}
    for src in SOURCES:
        f = File(src, None, "", use_directory_urls)
        pages[src] = PageFacts(src, f.url, f"Title of {src}", f.dest_uri)
    return SiteFacts(
        pages=pages,
        written=[p.dest_uri for p in pages.values()] + list(written),
        site_url=site_url,
        foreign_aliases=foreign or {},
    )


def one(alias: object, target: object, use_directory_urls: bool = True) -> Redirect:
    [redirect] = plan([Declaration(alias, target, OPTION)], facts(use_directory_urls))
    return redirect


# (alias, target, use_directory_urls) -> (output file, link written in the stub)
TABLE = [
    ("/kommune/", "news/municipalities.md", True, "kommune/index.html", "../news/municipalities/"),
    (
        "/kommune/",
        "news/municipalities.md",
        False,
        "kommune/index.html",
        "../news/municipalities.html",
    ),
    ("kommune/", "news/municipalities.md", True, "kommune/index.html", "../news/municipalities/"),
    ("/old-name", "news/municipalities.md", True, "old-name.html", "news/municipalities/"),
    ("/old-name", "news/municipalities.md", False, "old-name.html", "news/municipalities.html"),
    ("old-name", "about.md", True, "old-name.html", "about/"),
    ("/old.html", "index.md", True, "old.html", "./"),
    ("/old.html", "index.md", False, "old.html", "index.html"),
    ("/feed.xml", "index.md", True, "feed.xml.html", "./"),  # Jekyll appends .html
    ("/a/b/c/", "index.md", True, "a/b/c/index.html", "../../../"),
    ("/a/b/c/", "index.md", False, "a/b/c/index.html", "../../../index.html"),
    ("/a/b/c", "guide/index.md", True, "a/b/c.html", "../../guide/"),
    ("/a/b/c", "guide/index.md", False, "a/b/c.html", "../../guide/index.html"),
    ("/news/", "news/municipalities.md", True, "news/index.html", "municipalities/"),
    ("/news/", "news/municipalities.md", False, "news/index.html", "municipalities.html"),
    ("/news/old/", "news/municipalities.md", True, "news/old/index.html", "../municipalities/"),
    ("/bærum/", "index.md", True, "bærum/index.html", "../"),
    ("/b%C3%A6rum/", "index.md", True, "bærum/index.html", "../"),
    ("/a\u030asnes/", "index.md", False, "åsnes/index.html", "../index.html"),  # NFD in, NFC out
    ("/k/", "news/municipalities.md#oslo", True, "k/index.html", "../news/municipalities/#oslo"),
    (
        "/k/",
        "news/municipalities.md#oslo",
        False,
        "k/index.html",
        "../news/municipalities.html#oslo",
    ),
    ("/k/", "/news/municipalities/", True, "k/index.html", "../news/municipalities/"),  # Jekyll URL
    ("/k/", "/news/municipalities.md", True, "k/index.html", "../news/municipalities/"),
    ("/k/", "https://example.org/a?b=1#c", True, "k/index.html", "https://example.org/a?b=1#c"),
    ("/k/", "HTTP://example.org/", False, "k/index.html", "HTTP://example.org/"),
    # The home page by URL: MkDocs gives index.md the URL "./" (or "index.html").
    ("/k/", "/", True, "k/index.html", "../"),
    ("/k/", "/", False, "k/index.html", "../index.html"),
    ("/k/", "/#oslo", True, "k/index.html", "../#oslo"),
    ("/old.html", "/", True, "old.html", "./"),
    ("/k/", "/index.html", False, "k/index.html", "../index.html"),
    # Non-ASCII pages: MkDocs percent-encodes their URLs; targets match decoded and NFC.
    ("/k/", "kommuner/bærum.md", True, "k/index.html", "../kommuner/b%C3%A6rum/"),
    ("/k/", "/kommuner/a\u030asnes/", True, "k/index.html", "../kommuner/%C3%A5snes/"),  # NFD
    ("/k/", "kommuner/a\u030asnes.md", False, "k/index.html", "../kommuner/%C3%A5snes.html"),
    ("/k/", "/kommuner/bærum/", True, "k/index.html", "../kommuner/b%C3%A6rum/"),
    ("/k/", "/kommuner/b%C3%A6rum/", True, "k/index.html", "../kommuner/b%C3%A6rum/"),
    ("/k/", "/kommuner/b%c3%a6rum/", True, "k/index.html", "../kommuner/b%C3%A6rum/"),
    ("/k/", "/kommuner/bærum.html", False, "k/index.html", "../kommuner/b%C3%A6rum.html"),
    ("/k/", "/kommuner/bærum/#oslo", True, "k/index.html", "../kommuner/b%C3%A6rum/#oslo"),
]


@pytest.mark.parametrize(("alias", "target", "use_directory_urls", "output", "link"), TABLE)
def test_alias_output_and_link(
    alias: str, target: str, use_directory_urls: bool, output: str, link: str
) -> None:
    redirect = one(alias, target, use_directory_urls)
    assert (redirect.output, redirect.link() + redirect.target.fragment) == (output, link)


@pytest.mark.parametrize(
    ("alias", "output"),
    [("/foo/", "foo/index.html"), ("/foo", "foo.html"), ("/foo.html", "foo.html")],
)
def test_jekyll_output_rules(alias: str, output: str) -> None:
    assert alias_output(alias) == output


# (link, target fragment, visitor ?query, visitor #hash) -> where location.replace goes
VISITS = [
    ("../x/", "", "", "", "../x/"),
    ("../x/", "", "?a=1", "", "../x/?a=1"),
    ("../x/", "", "?", "", "../x/"),
    ("../x/", "#oslo", "", "", "../x/#oslo"),
    ("../x/", "#oslo", "", "#bergen", "../x/#bergen"),  # the visitor's hash wins, never #a#b
    ("../x/", "#oslo", "?q=1", "#", "../x/?q=1#oslo"),
    ("../x/", "", "?q=1", "#bergen", "../x/?q=1#bergen"),
    ("https://e.org/?a=1", "", "?b=2", "", "https://e.org/?a=1&b=2"),
]


@pytest.mark.parametrize(("link", "fragment", "search", "hash_", "expected"), VISITS)
def test_visitor_url(link: str, fragment: str, search: str, hash_: str, expected: str) -> None:
    assert visitor_url(link, fragment, search, hash_) == expected


def test_script_does_what_visitor_url_does() -> None:
    html = render_stub(one("/k/", "news/municipalities.md#oslo"))
    script = BeautifulSoup(html, "html.parser").script
    assert script is not None
    code = script.get_text()
    assert 'var target = "../news/municipalities/";' in code
    assert 'var fragment = "#oslo";' in code
    assert '(target.indexOf("?") < 0 ? "?" : "&") + query.slice(1)' in code
    assert 'window.location.replace(target + (hash && hash !== "#" ? hash : fragment));' in code


# -- refusals ----------------------------------------------------------------------------------

BAD_ALIASES = [
    ("", "empty"),
    ("/", "empty"),
    ("   ", "empty"),
    ("../outside/", "`..`"),
    ("/a/../../outside", "`..`"),
    ("/%2e%2e/outside/", "`..`"),
    ("./x/", "`.`"),
    ("/a\\b/", "backslash"),
    ("/a\nb/", "control character"),
    ("/a\tb/", "control character"),
    ("/a\x00b/", "control character"),
    ("/a?x=1", "`?`"),
    ("/a#b", "`#`"),
    ("C:/Windows/x", "absolute file path"),
    ("file:///etc/passwd", "absolute file path"),
    ("//evil.example/x", "absolute file path"),
    ("~/x", "absolute file path"),
    ("/a//b/", "empty path segment"),
    ("/a:b/", "Windows"),
    ('/a"b/', "Windows"),
    ("/<script>/", "Windows"),
    ("/a|b*/", "Windows"),
    (5, "must be a string"),
    (None, "must be a string"),
]


@pytest.mark.parametrize(("alias", "words"), BAD_ALIASES)
def test_bad_alias_is_refused(alias: object, words: str) -> None:
    with pytest.raises(RedirectError, match=re.escape(words)):
        normalise_alias(alias)


BAD_TARGETS = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "//evil.example/",
    "ftp://example.org/",
    "file:///etc/passwd",
    "http://",
    "https:evil",
    "missing.md",
    "",
    None,
    ["news/municipalities.md"],
]


@pytest.mark.parametrize("target", BAD_TARGETS)
def test_bad_target_is_refused(target: object) -> None:
    with pytest.raises(RedirectError, match="http"):
        resolve_target(target, facts().pages)


def test_refusal_message_names_origin_alias_problem_and_fix() -> None:
    declaration = Declaration(
        "../x/", "news/municipalities.md", "news/municipalities.md: redirect_from"
    )
    with pytest.raises(RedirectError) as caught:
        plan([declaration], facts())
    message = str(caught.value)
    assert message.startswith("  - news/municipalities.md: redirect_from `../x/`: ")
    assert "write the full path" in message


def test_every_problem_is_reported_at_once() -> None:
    declarations = [
        Declaration("../x/", "index.md", "a.md: redirect_from"),
        Declaration("/ok/", "javascript:alert(1)", OPTION),
        Declaration("/about/", "index.md", "b.md: redirect_from"),
        Declaration("/fine/", "index.md", "c.md: redirect_from"),
    ]
    with pytest.raises(RedirectError) as caught:
        plan(declarations, facts())
    lines = str(caught.value).splitlines()
    assert len(lines) == 3
    assert [line.split("`")[1] for line in lines] == ["../x/", "/ok/", "/about/"]


COLLISIONS = [
    # alias, use_directory_urls, files written besides the pages, words of the message
    ("/about/", True, (), "would overwrite `about/index.html`"),
    ("/about", False, (), "would overwrite `about.html`"),
    ("/About/", True, (), "would overwrite `about/index.html`"),  # case folded
    ("/guide/", True, (), "would overwrite `guide/index.html`"),
    ("/index.html", True, (), "would overwrite `index.html`"),
    ("/404", True, ("404.html",), "would overwrite `404.html`"),
    ("/search.html", True, ("search.html",), "would overwrite `search.html`"),
    ("/img/logo.html", True, ("img/logo.html",), "would overwrite `img/logo.html`"),
    ("/search/search_index.json/", True, ("search/search_index.json",), "clashes with a folder"),
    ("/sitemap.xml/", True, ("sitemap.xml",), "clashes with a folder"),
    ("/assets/kommune.html", True, ("assets/kommune.html/x.css",), "clashes with a folder"),
    ("/assets/kommune/", True, ("assets/kommune/index.html",), "would overwrite"),
]


@pytest.mark.parametrize(("alias", "use_directory_urls", "written", "words"), COLLISIONS)
def test_alias_colliding_with_a_file_is_refused(
    alias: str, use_directory_urls: bool, written: tuple[str, ...], words: str
) -> None:
    site = facts(use_directory_urls, written=written)
    with pytest.raises(RedirectError, match=re.escape(words)):
        plan([Declaration(alias, "index.md", OPTION)], site)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("/kommune/", "/kommune/"),
        ("/kommune/", "kommune/"),
        ("/kommune/", "/Kommune/"),
        ("/bærum/", "/BÆRUM/"),
        ("/åsnes/", "/a\u030asnes/"),  # NFC against NFD
        ("/old", "/old.html"),  # same file by Jekyll's rule
    ],
)
def test_aliases_colliding_with_each_other_are_refused(first: str, second: str) -> None:
    declarations = [
        Declaration(first, "index.md", "a.md: redirect_from"),
        Declaration(second, "about.md", OPTION),
    ]
    with pytest.raises(RedirectError, match="is already the alias") as caught:
        plan(declarations, facts())
    assert "a.md: redirect_from" in str(caught.value)


def test_alias_that_mkdocs_redirects_writes_too_is_refused() -> None:
    site = facts(foreign={"kommune/index.html": "mkdocs-redirects (redirect_maps `kommune.md`)"})
    with pytest.raises(
        RedirectError,
        match=r"`Kommune/index.html` is also written by mkdocs-redirects \(redirect_maps `kommune.md`\)",
    ):
        plan([Declaration("/Kommune/", "index.md", OPTION)], site)


def test_redirect_to_replaces_its_page_and_skips_the_collision_with_it() -> None:
    declarations = declarations_from_meta("about.md", {"redirect_to": "https://example.org/"})
    [redirect] = plan(declarations, facts())
    assert (redirect.alias, redirect.output, redirect.replaces) == (
        "/about/",
        "about/index.html",
        "about.md",
    )


def test_aliases_of_a_redirect_to_page_hop_once_and_loops_are_refused() -> None:
    declarations = [
        *declarations_from_meta("about.md", {"redirect_to": ["guide/index.md", "ignored.md"]}),
        Declaration("/old/", "about.md", OPTION),
    ]
    redirects = plan(declarations, facts())
    assert [r.link() for r in redirects] == ["../guide/", "../guide/"]
    looping = [
        *declarations_from_meta("about.md", {"redirect_to": "guide/index.md"}),
        *declarations_from_meta("guide/index.md", {"redirect_to": "/about/"}),
    ]
    with pytest.raises(RedirectError, match="form a loop"):
        plan(looping, facts())
    with pytest.raises(RedirectError, match="redirects to itself"):
        plan(declarations_from_meta("about.md", {"redirect_to": "about.md"}), facts())


def test_redirect_from_accepts_a_string_or_a_list() -> None:
    assert [d.alias for d in declarations_from_meta("a.md", {"redirect_from": "/x/"})] == ["/x/"]
    listed = declarations_from_meta("a.md", {"redirect_from": ["/x/", "/y"]})
    assert [(d.alias, d.target) for d in listed] == [("/x/", "a.md"), ("/y", "a.md")]


# -- stub HTML and redirects.json -------------------------------------------------------------

HOSTILE = "https://e.org/\"'</script><script>alert(1)</script>&amp;<!--"


def hostile_redirect() -> Redirect:
    """Bypasses the quoting of resolve_target, to show the template escapes by construction."""
    target = Target(HOSTILE, "#\"</script>'", True, 'Tom "&" <b>Jerry</b>')
    return Redirect("/k/", "k/index.html", target, OPTION)


def test_stub_escapes_every_value_for_its_context() -> None:
    html = render_stub(hostile_redirect(), lang='nb" onload="x')
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html is not None and soup.html["lang"] == 'nb" onload="x'
    assert len(soup.find_all("script")) == 1
    assert html.count("</script>") == 1  # only the real end tag
    canonical = soup.select_one("link[rel=canonical]")
    assert canonical is not None and canonical["href"] == HOSTILE + "#\"</script>'"
    anchor = soup.select_one("a")
    assert anchor is not None and anchor["href"] == HOSTILE + "#\"</script>'"
    assert anchor.get_text() == 'Tom "&" <b>Jerry</b>'
    assert soup.title is not None and soup.title.get_text() == 'Redirecting to Tom "&" <b>Jerry</b>'
    # In the refresh's url='…' a `'` would end the URL: quotes, `<`, `>` are percent-encoded.
    refresh = soup.select_one("meta[http-equiv=refresh]")
    assert refresh is not None and refresh["content"] == (
        "0; url='https://e.org/%22%27%3C/script%3E%3Cscript%3Ealert(1)%3C/script%3E&amp;%3C!--"
        "#%22%3C/script%3E%27'"
    )
    script = soup.script.get_text() if soup.script else ""
    target = re.search(r"var target = (.*);", script)
    fragment = re.search(r"var fragment = (.*);", script)
    assert target is not None and json.loads(target.group(1)) == HOSTILE
    assert fragment is not None and json.loads(fragment.group(1)) == "#\"</script>'"
    assert "<" not in target.group(1) and "'" in target.group(1)


def test_hostile_external_target_is_percent_encoded() -> None:
    target = resolve_target('https://e.org/a"b\'c<d>e f#x"y', facts().pages)
    assert target.link_base == "https://e.org/a%22b%27c%3Cd%3Ee%20f"
    assert target.fragment == "#x%22y"


FRAGMENTS = [
    # fragment as written -> as it stands in the stub (link, refresh and script alike)
    ("it's", "#it%27s"),
    ('say "hi"', "#say%20%22hi%22"),
    ("<b>", "#%3Cb%3E"),
    ("a-b_c.d~e", "#a-b_c.d~e"),
    ("bærum", "#bærum"),  # letters of any script stay readable
    ("tab\u00a0x", "#tab%C2%A0x"),
]


@pytest.mark.parametrize(("fragment", "expected"), FRAGMENTS)
def test_site_target_fragment_is_percent_encoded(fragment: str, expected: str) -> None:
    redirect = one("/k/", f"news/municipalities.md#{fragment}")
    assert redirect.target.fragment == expected
    external = resolve_target(f"https://example.org/#{fragment}", facts().pages)
    assert external.fragment == expected
    html = render_stub(redirect)
    soup = BeautifulSoup(html, "html.parser")
    refresh = soup.select_one("meta[http-equiv=refresh]")
    assert refresh is not None
    assert refresh["content"] == f"0; url='../news/municipalities/{expected}'"
    anchor = soup.select_one("a")
    assert anchor is not None and anchor["href"] == f"../news/municipalities/{expected}"
    assert f"var fragment = {json.dumps(expected)};" in html


def test_canonical_only_with_site_url_and_lang_from_argument() -> None:
    redirect = one("/k/", "news/municipalities.md")
    without = BeautifulSoup(render_stub(redirect), "html.parser")
    assert without.select_one("link[rel=canonical]") is None
    with_url = BeautifulSoup(
        render_stub(redirect, site_url="https://example.org/data/", lang="nb", locale="nb"),
        "html.parser",
    )
    canonical = with_url.select_one("link[rel=canonical]")
    assert canonical is not None and canonical["href"] == (
        "https://example.org/data/news/municipalities/"
    )
    assert with_url.html is not None and with_url.html["lang"] == "nb"
    assert with_url.title is not None and with_url.title.get_text().startswith("Videresender til")
    anchor = with_url.select_one("a")
    assert anchor is not None and anchor["href"] == "../news/municipalities/"


@pytest.mark.parametrize(
    ("site_url", "expected"),
    [
        (
            None,
            {"/kommune/": "/news/municipalities/", "/ut/": "https://example.org/x"},
        ),
        (
            "https://example.org/",
            {
                "/kommune/": "https://example.org/news/municipalities/",
                "/ut/": "https://example.org/x",
            },
        ),
        (
            "https://example.org/data/",
            {
                "/kommune/": "https://example.org/data/news/municipalities/",
                "/ut/": "https://example.org/x",
            },
        ),
    ],
)
def test_redirects_json(site_url: str | None, expected: dict[str, str]) -> None:
    redirects = plan(
        [
            Declaration("/kommune/", "news/municipalities.md", OPTION),
            Declaration("/ut/", "https://example.org/x", OPTION),
        ],
        facts(site_url=site_url),
    )
    assert json.loads(redirects_json(redirects, site_url)) == expected


@pytest.mark.parametrize(
    ("target", "use_directory_urls"),
    [("index.md", True), ("/", True), ("index.md", False), ("/", False), ("/index.html", False)],
)
def test_home_page_target_is_the_site_root(target: str, use_directory_urls: bool) -> None:
    """MkDocs gives index.md the URL ``./``; it must not show as ``/./`` or ``…/sub/./``."""
    home = "" if use_directory_urls else "index.html"
    declarations = [Declaration("/home/", target, OPTION)]
    [redirect] = plan(declarations, facts(use_directory_urls))
    assert json.loads(redirects_json([redirect], None)) == {"/home/": f"/{home}"}
    site_url = "https://example.org/sub/"
    [redirect] = plan(declarations, facts(use_directory_urls, site_url=site_url))
    assert json.loads(redirects_json([redirect], site_url)) == {
        "/home/": f"https://example.org/sub/{home}"
    }
    soup = BeautifulSoup(render_stub(redirect, site_url=site_url), "html.parser")
    canonical = soup.select_one("link[rel=canonical]")
    assert canonical is not None and canonical["href"] == f"https://example.org/sub/{home}"


def test_redirect_to_on_the_home_page_stands_in_at_the_root() -> None:
    declarations = declarations_from_meta("index.md", {"redirect_to": "about.md"})
    [redirect] = plan(declarations, facts())
    assert (redirect.alias, redirect.output, redirect.link()) == ("/", "index.html", "about/")


@pytest.mark.parametrize("locale", i18n.LOCALES)
def test_stub_words_are_the_locales_strings(locale: str) -> None:
    """The stub's words live with the plugin's other words, in i18n.STRINGS."""
    words = i18n.strings(locale)
    html = render_stub(one("/k/", "about.md"), locale=locale)
    soup = BeautifulSoup(html, "html.parser")
    assert soup.title is not None
    assert soup.title.get_text() == words["redirect_title"].format(target="Title of about.md")
    assert soup.body is not None and soup.body.get_text().strip().startswith(words["redirect_text"])
    assert not hasattr(stubs, "WORDS")
