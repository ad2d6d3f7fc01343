"""Redirects in real builds: stubs, redirect_to, sitemap and search, refusals from the command line."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import config_options as opt
from mkdocs.config import load_config
from mkdocs.config.base import Config
from mkdocs.exceptions import Abort
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files

from mkdocs_kommune import render
from mkdocs_kommune.redirects import stubs
from mkdocs_kommune.redirects.build import site_facts
from tests.support.sites import Site

REPO = Path(__file__).resolve().parent.parent
PLUGINS = ["search", "kommune"]

MOVED = "---\ntitle: Municipalities\nredirect_from:\n  - /kommune/\n  - /old-name\n  - /bærum/\n---\n# M\n"


def stub_link(site: Site, path: str) -> str:
    anchor = site.soup(path).select_one("a")
    assert anchor is not None
    return str(anchor["href"])


def test_example_site_writes_its_three_aliases(tmp_path: Path) -> None:
    root = tmp_path / "example-site"
    shutil.copytree(REPO / "example-site", root, ignore=shutil.ignore_patterns("site"))
    site = Site(root).build()
    for alias in ("kommune", "kommuner", "municipalities"):
        assert stub_link(site, f"{alias}/index.html") == "../news/municipalities/"
    site_url = load_config(config_file=str(root / "mkdocs.yml")).site_url
    target = (site_url or "/").rstrip("/") + "/news/municipalities/"
    assert json.loads(site.html("redirects.json")) == {
        f"/{alias}/": target for alias in ("kommune", "kommuner", "municipalities")
    }


@pytest.mark.parametrize(
    ("use_directory_urls", "page", "links"),
    [
        (True, "news/municipalities/", ("../news/municipalities/", "news/municipalities/")),
        (
            False,
            "news/municipalities.html",
            ("../news/municipalities.html",) * 1 + ("news/municipalities.html",),
        ),
    ],
)
def test_stubs_under_a_site_url_sub_path(
    new_site: Callable[..., Site], use_directory_urls: bool, page: str, links: tuple[str, str]
) -> None:
    site = new_site(
        {"docs/index.md": "# Home\n", "docs/news/municipalities.md": MOVED},
        plugins=PLUGINS,
        use_directory_urls=use_directory_urls,
        site_url="https://example.org/data/",
    ).build()
    assert stub_link(site, "kommune/index.html") == links[0]
    assert stub_link(site, "bærum/index.html") == links[0]
    assert stub_link(site, "old-name.html") == links[1]
    canonical = site.soup("kommune/index.html").select_one("link[rel=canonical]")
    assert canonical is not None and canonical["href"] == f"https://example.org/data/{page}"
    # Keys are the aliases as declared, without the site_url's sub-path (DESIGN.md).
    assert json.loads(site.html("redirects.json")) == {
        alias: f"https://example.org/data/{page}" for alias in ("/kommune/", "/old-name", "/bærum/")
    }
    assert "kommune" not in site.html("sitemap.xml")
    search = json.loads(site.html("search/search_index.json"))
    assert not [doc for doc in search["docs"] if "Redirecting" in doc["title"] + doc["text"]]


def test_without_site_url_no_canonical_and_site_root_paths(new_site: Callable[..., Site]) -> None:
    site = new_site(
        {"docs/index.md": "# Home\n", "docs/news/municipalities.md": MOVED}, plugins=PLUGINS
    ).build()
    assert site.soup("kommune/index.html").select_one("link[rel=canonical]") is None
    assert json.loads(site.html("redirects.json"))["/kommune/"] == "/news/municipalities/"


def test_option_redirects_and_redirect_to(new_site: Callable[..., Site]) -> None:
    site = new_site(
        {
            "docs/index.md": "# Home\n",
            "docs/news/municipalities.md": "# Municipalities\n\n## Oslo\n",
            "docs/away.md": "---\nredirect_to: https://example.org/x?y=1\n---\n# Away\n",
            "docs/moved.md": "---\nredirect_to: news/municipalities.md#oslo\n---\n# Moved\n",
        },
        plugins=["search", {"kommune": {"redirects": {"kommuner/": "moved.md"}}}],
        nav=["index.md", "news/municipalities.md", "away.md", "moved.md"],
        theme={"name": "mkdocs", "locale": "nb_NO"},
    ).build()
    # A chain through a redirect_to page is followed, so the visitor hops once.
    assert stub_link(site, "kommuner/index.html") == "../news/municipalities/#oslo"
    assert stub_link(site, "away/index.html") == "https://example.org/x?y=1"
    assert stub_link(site, "moved/index.html") == "../news/municipalities/#oslo"
    away = site.soup("away/index.html")
    assert away.html is not None and away.html["lang"] == "nb-NO"
    assert "# Away" not in site.html("away/index.html")
    sitemap = site.html("sitemap.xml")
    assert "away" not in sitemap and "moved" not in sitemap
    assert set(json.loads(site.html("redirects.json"))) == {"/kommuner/", "/away/", "/moved/"}


def test_an_authors_own_redirects_json_is_kept(new_site: Callable[..., Site]) -> None:
    site = new_site(
        {"docs/index.md": "---\nredirect_from: /old/\n---\n# Home\n", "docs/redirects.json": "{}"},
        plugins=PLUGINS,
    ).build()
    assert site.html("redirects.json") == "{}"
    assert stub_link(site, "old/index.html") == "../"


def test_no_redirects_json_without_aliases(new_site: Callable[..., Site]) -> None:
    site = new_site({"docs/index.md": "# Home\n"}, plugins=PLUGINS).build()
    assert not (site.site_dir / "redirects.json").exists()


REFUSED = {
    "docs/index.md": "# Home\n",
    "docs/about.md": "# About\n",
    "docs/img/logo.html": "<p>mine</p>",
    "docs/bad.md": (
        "---\n"
        "redirect_from:\n"
        "  - ../outside/\n"
        "  - /etc/../../outside.html\n"
        "  - /about/\n"
        "  - /404\n"
        "  - /img/logo.html\n"
        "  - /Search/\n"
        "  - ''\n"
        "  - /a?b\n"
        "  - /a#b\n"
        "  - '/a\\b'\n"
        '  - "/a\\tb/"\n'
        "---\n# Bad\n"
    ),
    "docs/worse.md": "---\nredirect_from: /search/\nredirect_to: javascript:alert(1)\n---\n# W\n",
    "docs/data.md": "---\nredirect_to: data:text/html,hi\n---\n# D\n",
    "docs/host.md": "---\nredirect_to: //evil.example/\n---\n# H\n",
}

EXPECTED_LINES = [
    "bad.md: redirect_from `../outside/`: `.` and `..` could point outside the site",
    "bad.md: redirect_from `/etc/../../outside.html`: `.` and `..`",
    "bad.md: redirect_from `/about/`: its stub `about/index.html` would overwrite `about/index.html`",
    "bad.md: redirect_from `/404`: its stub `404.html` would overwrite `404.html`",
    "bad.md: redirect_from `/img/logo.html`: its stub `img/logo.html` would overwrite",
    "worse.md: redirect_from `/search/`: its stub `search/index.html` is already the alias `/Search/`",
    "bad.md: redirect_from ``: an empty alias",
    "bad.md: redirect_from `/a?b`: `?` and `#`",
    "bad.md: redirect_from `/a#b`: `?` and `#`",
    "bad.md: redirect_from `/a\\b`: a backslash",
    "bad.md: redirect_from `/a\\tb/`: a control character",
    "worse.md: redirect_to `javascript:alert(1)`: the target `javascript:alert(1)` is refused",
    "data.md: redirect_to `data:text/html,hi`: the target",
    "host.md: redirect_to `//evil.example/`: the target",
]


def test_every_refusal_fails_the_cli_build_at_once(new_site: Callable[..., Site]) -> None:
    site = new_site(REFUSED, plugins=PLUGINS)
    result = site.run("build")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Aborted with a BuildError!" in result.stdout + result.stderr
    assert "kommune: refused redirects:" in result.stderr
    for line in EXPECTED_LINES:
        assert line in result.stderr, line
    listed = [line for line in result.stderr.splitlines() if line.startswith("  - ")]
    assert len(listed) == len(EXPECTED_LINES)
    # Nothing written outside site_dir, nothing of the author's touched.
    assert not (site.root / "outside").exists() and not (site.root.parent / "outside").exists()
    assert (site.root / "docs/img/logo.html").read_text() == "<p>mine</p>"
    assert not (site.site_dir / "about/index.html").exists()


def test_a_bad_option_type_is_refused_by_the_config(new_site: Callable[..., Site]) -> None:
    site = new_site(
        {"docs/index.md": "# Home\n"},
        plugins=[{"kommune": {"redirects": {"old/": ["index.md"]}}}],
    )
    result = site.run("build")
    assert result.returncode == 1
    assert "redirects" in result.stderr and "Traceback" not in result.stderr


class StandInConfig(Config):  # type: ignore[no-untyped-call]
    redirect_maps = opt.Type(dict, default={})


class StandInRedirects(BasePlugin[StandInConfig]):  # type: ignore[no-untyped-call]
    """Shaped like mkdocs-redirects' config (not installed here); the kommune plugin only reads it."""


@pytest.mark.parametrize(
    ("use_directory_urls", "key", "output"),
    [(True, "kommune.md", "kommune/index.html"), (False, "kommune.md", "kommune.html")],
)
def test_alias_that_mkdocs_redirects_also_writes_is_refused(
    new_site: Callable[..., Site],
    caplog: pytest.LogCaptureFixture,
    use_directory_urls: bool,
    key: str,
    output: str,
) -> None:
    alias = "/Kommune/" if use_directory_urls else "/kommune"
    site = new_site(
        {"docs/index.md": f"---\nredirect_from: {alias}\n---\n# Home\n"},
        plugins=PLUGINS,
        use_directory_urls=use_directory_urls,
    )
    config = load_config(config_file=str(site.root / "mkdocs.yml"))
    stand_in = StandInRedirects()
    stand_in.load_config({"redirect_maps": {key: "index.md"}})
    config.plugins["redirects"] = stand_in
    with pytest.raises(Abort):
        build(config)
    assert f"is also written by mkdocs-redirects (redirect_maps `{key}`)" in caplog.text
    assert not (site.site_dir / output).exists()


def test_mkdocs_redirects_outputs_are_read_from_its_config(new_site: Callable[..., Site]) -> None:
    site = new_site({"docs/index.md": "# Home\n"}, plugins=PLUGINS)
    config = load_config(config_file=str(site.root / "mkdocs.yml"))
    stand_in = StandInRedirects()
    stand_in.load_config({"redirect_maps": {"old.md": "index.md", "a/b.html": "index.md"}})
    config.plugins["redirects"] = stand_in
    assert site_facts(config, Files([])).foreign_aliases == {
        "old/index.html": "mkdocs-redirects (redirect_maps `old.md`)",
        "a/b.html": "mkdocs-redirects (redirect_maps `a/b.html`)",
    }


def test_home_page_as_target_under_a_sub_path(new_site: Callable[..., Site]) -> None:
    site = new_site(
        {
            "docs/index.md": "---\nredirect_from: /home/\n---\n# Home\n",
            "docs/about.md": "# About\n",
        },
        plugins=[{"kommune": {"redirects": {"start/": "/"}}}],
        site_url="https://example.org/sub/",
    ).build()
    assert stub_link(site, "home/index.html") == "../"
    assert stub_link(site, "start/index.html") == "../"
    canonical = site.soup("home/index.html").select_one("link[rel=canonical]")
    assert canonical is not None and canonical["href"] == "https://example.org/sub/"
    assert json.loads(site.html("redirects.json")) == {
        "/home/": "https://example.org/sub/",
        "/start/": "https://example.org/sub/",
    }


DIRTY = {
    "docs/index.md": "# Home\n",
    "docs/news/municipalities.md": MOVED,  # front matter title: Municipalities
    "docs/about.md": "---\nredirect_from: /om/\n---\n\n# About us\n",  # title from the heading
    "docs/plain-page.md": "---\nredirect_from: /plain/\n---\nNo heading.\n",  # title from the name
    "docs/gone.md": "---\nredirect_to: about.md\n---\n# Gone\n",
    "docs/edited.md": "# Edited\n",
}


def test_dirty_build_keeps_the_aliases_of_unmodified_pages(new_site: Callable[..., Site]) -> None:
    """``--dirty`` reads only modified pages; the others' front matter must still count."""
    site = new_site(DIRTY, plugins=PLUGINS)
    assert site.run("build").returncode == 0
    stubs = {
        "kommune/index.html": "Municipalities",
        "old-name.html": "Municipalities",
        "bærum/index.html": "Municipalities",
        "om/index.html": "About us",
        "plain/index.html": "Plain page",
        "gone/index.html": "About us",
    }
    for stub in [*stubs, "redirects.json"]:
        (site.site_dir / stub).unlink()
    edited = site.root / "docs/edited.md"
    edited.write_text("# Edited again\n", encoding="utf-8")
    later = (site.site_dir / "edited/index.html").stat().st_mtime + 10
    os.utime(edited, (later, later))
    result = site.run("build", "--dirty")
    assert result.returncode == 0, result.stderr
    assert "Edited again" in site.html("edited/index.html")  # the dirty build did run
    for stub, title in stubs.items():
        soup = site.soup(stub)
        assert soup.title is not None and soup.title.get_text() == f"Redirecting to {title}", stub
    assert set(json.loads(site.html("redirects.json"))) == {
        "/kommune/",
        "/old-name",
        "/bærum/",
        "/om/",
        "/plain/",
        "/gone/",
    }


def test_stubs_use_the_builds_one_template_environment(
    new_site: Callable[..., Site], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plugin's renderer holds the build's Jinja environment; generate makes no second one."""

    def second_environment(*args: object) -> None:
        raise AssertionError("redirects made a template environment of its own")

    monkeypatch.setattr(stubs, "template_environment", second_environment)
    site = new_site(
        {
            "docs/index.md": "---\nredirect_from: /old/\n---\n# Home\n",
            "overrides/kommune/redirect.html": "<a href='{{ link }}'>custom {{ target_title }}</a>",
        },
        plugins=PLUGINS,
        theme={"name": "mkdocs", "custom_dir": "overrides"},
    ).build()
    assert site.html("old/index.html") == "<a href='../'>custom Home</a>"


def test_excluded_files_neither_collide_nor_declare(new_site: Callable[..., Site]) -> None:
    """exclude_docs files are never written: an alias may take their address; their front
    matter is ignored."""
    site = new_site(
        {
            "docs/index.md": "---\nredirect_from:\n  - /secret/\n  - /legacy.html\n---\n# Home\n",
            "docs/secret.md": "---\nredirect_from: /from-secret/\n---\n# Secret\n",
            "docs/legacy.html": "<p>old</p>",
            "docs/redirects.json": "{}",
        },
        plugins=PLUGINS,
        exclude_docs="secret.md\nlegacy.html\nredirects.json\n",
    ).build()
    assert stub_link(site, "secret/index.html") == "../"
    assert stub_link(site, "legacy.html") == "./"
    assert set(json.loads(site.html("redirects.json"))) == {"/secret/", "/legacy.html"}
    assert not (site.site_dir / "from-secret").exists()


def test_an_alias_over_a_draft_is_refused(new_site: Callable[..., Site]) -> None:
    """A draft is written by ``mkdocs serve`` and published later: its address stays taken,
    while its own front matter counts only once it is published."""
    site = new_site(
        {
            "docs/index.md": "---\nredirect_from: /draft/\n---\n# Home\n",
            "docs/draft.md": "---\nredirect_from: /from-draft/\n---\n# Draft\n",
        },
        plugins=PLUGINS,
        draft_docs="draft.md\n",
    )
    result = site.run("build")
    assert result.returncode == 1
    assert "index.md: redirect_from `/draft/`: its stub `draft/index.html` would overwrite" in (
        result.stderr
    )
    assert "/from-draft/" not in result.stderr


def test_the_packaged_stub_is_rendered_once_and_filled_in() -> None:
    """The fast path applies to the packaged template (a theme's own is rendered per alias)."""
    env = render.template_environment([])
    template = env.get_template(stubs.STUB_TEMPLATE)
    assert template.filename == stubs._PACKAGED_STUB
