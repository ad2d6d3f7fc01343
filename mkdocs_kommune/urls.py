"""URL rules shared by data links and redirect targets: what is accepted, and how it is encoded.

Both encoders keep letters and digits of any script as they are (IRI form: ``Bærum%20kommune``, as
the seed page wrote it; browsers send them UTF-8 encoded) and percent-encode everything that could
end an HTML attribute, a quoted meta-refresh URL or a query.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from .safetext import first_refused, plain, short_repr

if TYPE_CHECKING:
    from .model import Municipality

# A url template placeholder such as {orgnr}.
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
# Never valid unencoded in a link: controls, space, quotes, angle brackets, backslash, braces…
_URL_UNSAFE = re.compile(r"[\x00-\x20\x7f\"<>\\^`{|}]")
# An http(s) URL with a plain ASCII host, no port and no user: urlsplit gives it the scheme and
# a host, and raises for none of them (it does for brackets, bad ports, some non-ASCII hosts).
_PLAIN_HTTP_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?=[/?#]|\Z)")
# What may stay unencoded in a whole URL (a redirect target), besides letters and digits of any
# script; quoting the rest keeps `"`, `'`, `<`, `>` and spaces out of the meta refresh (whose
# `url='…'` a `'` would end) and the script even before the template escapes them.
_URL_SAFE = "!#$%&()*+,-./:;=?@[]_~"
# What may stay unencoded in one component (a placeholder's value): nothing that ends a query.
_COMPONENT_SAFE = "-._~"


def quote_url(value: str) -> str:
    """Percent-encode a whole URL but for letters, digits and ``!#$%&()*+,-./:;=?@[]_~``.

    Existing ``%XX`` escapes are kept as they are.
    """
    return _iri_quote(value, _URL_SAFE)


def encode_component(value: str) -> str:
    """Percent-encode one URL component: ``Bærum kommune`` becomes ``Bærum%20kommune``."""
    return _iri_quote(value, _COMPONENT_SAFE)


@functools.lru_cache(maxsize=4096)  # a name or number is encoded once for every source of its row
def _iri_quote(value: str, safe: str) -> str:
    return "".join(c if c in safe or c.isalnum() else quote(c, safe="") for c in value)


def check_url(value: Any, *, template: bool = False) -> str | None:
    """Why ``value`` is not an acceptable link URL (or url template), or None when it is."""
    if not isinstance(value, str) or not value:
        return 'must be an http(s) URL in quotes, e.g. "https://example.org/data"'
    if not template and PLACEHOLDER.search(value):
        return (
            f"{short_repr(value)} contains {{…}}: placeholders such as {{orgnr}} work only in a "
            "source's url template; write the full URL here"
        )
    if _URL_UNSAFE.search(PLACEHOLDER.sub("", value) if template else value):
        return f"{short_repr(value)} contains spaces, quotes or control characters; percent-encode them"
    refused = first_refused(value)
    # The only Zs character in ASCII is the space, which _URL_UNSAFE has refused already.
    if refused is not None or (
        not value.isascii() and any(unicodedata.category(c) == "Zs" for c in value)
    ):
        return (
            f"{short_repr(value)} holds an invisible, control or space character "
            f"{refused or '(a non-ASCII space)'}; remove it or percent-encode it"
        )
    if _PLAIN_HTTP_URL.match(value):
        return None  # what the checks below accept, without urlsplit's cost (most links)
    return _check_parts(value)


def _check_parts(value: str) -> str | None:
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  (raises for a port that is not a number from 0 to 65535)
    except ValueError as error:  # `https://[oops/`, `https://[evil]/`, `https://x:99999/`
        return f"{short_repr(value)} is not a valid URL ({error}); check the host and port"
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"{short_repr(value)} is not an http(s) URL; only links starting with https:// or http:// are allowed"
    if "@" in parts.netloc:
        # `https://geonorge.no@evil.example/` goes to evil.example; the part before @ is a
        # user name, which only serves to make a link look like another host's.
        return (
            f"{short_repr(value)} has a user name before its host ({plain(parts.netloc)}): the "
            f"link would go to {plain(parts.hostname or '?')}; remove the part up to @"
        )
    return None


def fill_template(template: str, municipality: Municipality) -> str:
    """Put the municipality's values into a source URL template, percent-encoded."""
    values = {
        "name": municipality.name,
        "organization": municipality.organization,
        "orgnr": municipality.orgnr or "",
        "kommunenummer": municipality.kommunenummer or "",
    }
    return PLACEHOLDER.sub(lambda match: encode_component(values[match.group(1)]), template)
