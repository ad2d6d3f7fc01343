"""The redirect stubs' text: each alias's HTML page and the site's ``redirects.json``."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..i18n import strings
from ..render import template_environment
from ..urls import quote_url
from .aliases import absolute_url, fold, site_path
from .plan import JSON_URI, Redirect, SiteFacts
from .slots import SlotTemplate

STUB_TEMPLATE = "kommune/redirect.html"
# The packaged template (in mkdocs_kommune/templates/), told apart from a theme's own.
_PACKAGED_STUB = str(Path(__file__).parent.parent / "templates" / STUB_TEMPLATE)


def stub_files(
    redirects: Sequence[Redirect],
    site: SiteFacts,
    *,
    lang: str,
    locale: str,
    env: jinja2.Environment,
    with_json: bool,
) -> dict[str, str]:
    """Every file the redirects add to the site: output path -> text (stubs, redirects.json)."""
    template = env.get_template(STUB_TEMPLATE)
    # The packaged stub only prints its values: rendered once, filled in for each alias.
    # A theme's own kommune/redirect.html may do anything with them, so it renders each time.
    render = (
        SlotTemplate(template).render if template.filename == _PACKAGED_STUB else template.render
    )
    files = {
        r.output: render(stub_values(r, site_url=site.site_url, lang=lang, locale=locale))
        for r in redirects
    }
    # An alias `/redirects.json` is the author's own map: it stays.
    if with_json and not any(fold(output) == JSON_URI for output in files):
        files[JSON_URI] = redirects_json(redirects, site.site_url)
    return files


def theme_lang(theme: Mapping[str, Any]) -> str:
    """``<html lang>``: Material's ``language`` or MkDocs' ``locale`` (``nb_NO`` → ``nb-NO``)."""
    value = theme.get("language") or theme.get("locale") or "en"
    return str(value).replace("_", "-")


def redirects_json(redirects: Sequence[Redirect], site_url: str | None) -> str:
    """``{"/kommune/": "https://…/news/municipalities/"}``, as jekyll-redirect-from writes it.

    Keys are the aliases as declared (normalised: leading slash, NFC), below the site root and
    without the site_url's sub-path; stand-in pages of ``redirect_to`` are listed by their own URL.
    """
    mapping = {r.alias: absolute_url(site_url, r.target) or site_path(r.target) for r in redirects}
    return json.dumps(mapping, ensure_ascii=False, indent=2) + "\n"


@functools.lru_cache(maxsize=1024)  # most stubs share their fragment (none) and many their link
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
    template = (env or template_environment()).get_template(STUB_TEMPLATE)
    return template.render(stub_values(redirect, site_url=site_url, lang=lang, locale=locale))


def stub_values(
    redirect: Redirect, *, site_url: str | None, lang: str, locale: str
) -> dict[str, Any]:
    """What the stub template prints, for one redirect."""
    link = redirect.link()
    words = strings(locale)
    return {
        "lang": lang,
        "title": words["redirect_title"].format(target=redirect.target.title),
        "text": words["redirect_text"],
        "target_title": redirect.target.title,
        "link": link + redirect.target.fragment,
        "refresh_link": quote_url(link + redirect.target.fragment),
        "canonical": absolute_url(site_url, redirect.target),
        "script_link": script_value(link),
        "script_fragment": script_value(redirect.target.fragment),
    }
