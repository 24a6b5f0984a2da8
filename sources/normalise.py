"""One address per page: what makes two links the same `Source`, and which link of a
contribution gets the preview card."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that say who sent the reader, not which page it is.
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "ref_src",
        "si",
    }
)
_DEFAULT_PORTS = {"http": 80, "https": 443}
MAX_URL_LENGTH = 2000

# A link written out in the text, not the target of a Markdown link with words of its own
# ([tekst](url)): those are the writer's choice of words, a bare link asks for a preview.
_MARKDOWN_LINK = re.compile(r"!?\[[^\]]*\]\([^)]*\)")
_BARE_LINK = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}»\"'"


def normalise_url(url: str) -> str | None:
    """The canonical form of a web address, or None when it is no http(s) address at all.

    Lowercase scheme and host (IDNA for non-ASCII names), no default port, no user name or
    password, no fragment, no tracking parameters (utm_* and the click ids above), `/` for an
    empty path. The order of the remaining parameters is kept: for some sites it matters.
    """
    url = (url or "").strip()
    if not url or len(url) > MAX_URL_LENGTH:
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host.lower()
    except UnicodeError:
        return None
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = urlencode(
        [
            (key, value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
            if not key.lower().startswith("utm_") and key.lower() not in TRACKING_PARAMETERS
        ]
    )
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def first_bare_link(text: str) -> str | None:
    """The first http(s) address written out as such in a Markdown text."""
    without_named_links = _MARKDOWN_LINK.sub(" ", text or "")
    match = _BARE_LINK.search(without_named_links)
    if match is None:
        return None
    link = match.group(0)
    while link and link[-1] in _TRAILING:
        # A closing bracket belongs to the link when it closes one opened inside it
        # (Wikipedia's /wiki/Foo_(bar)).
        if link[-1] == ")" and link.count("(") >= link.count(")"):
            break
        link = link[:-1]
    return link or None


def preview_url_for(*, source_url: str, body: str) -> str | None:
    """The normalised address a contribution's preview card shows, if any."""
    for candidate in (source_url, first_bare_link(body)):
        normalised = normalise_url(candidate or "")
        if normalised:
            return normalised
    return None
