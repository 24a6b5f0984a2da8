"""What a fetched page says about itself: OpenGraph and JSON-LD (through extruct), else its
<title> and meta description; and what an oEmbed answer says about a video.

Everything comes out as plain text, trimmed to the lengths of `Source`'s fields. Nothing is
marked safe: templates escape it like any other text a stranger wrote.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from .models import Source

logger = logging.getLogger(__name__)

_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# lxml refuses a decoded text that still declares its encoding (XHTML pages do).
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


@dataclass(frozen=True)
class Preview:
    title: str = ""
    description: str = ""
    site_name: str = ""
    image_url: str = ""  # absolute http(s), not fetched yet
    embed_url: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.title or self.description)


def _field_length(name: str) -> int:
    return Source._meta.get_field(name).max_length or 200


def _text(value, limit: int) -> str:
    if isinstance(value, list):
        value = next((item for item in value if isinstance(item, str) and item.strip()), "")
    if not isinstance(value, str):
        return ""
    text = _SPACE.sub(" ", _CONTROL.sub("", value)).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _absolute_http(url, base: str) -> str:
    if isinstance(url, list):
        url = url[0] if url else ""
    if isinstance(url, dict):
        url = url.get("url") or url.get("contentUrl") or ""
    if not isinstance(url, str) or not url.strip():
        return ""
    absolute = urljoin(base, url.strip())
    return absolute if urlsplit(absolute).scheme in ("http", "https") else ""


def _jsonld_item(items: list) -> dict:
    """The first JSON-LD object that names something (a @graph is looked into)."""
    for item in items:
        if not isinstance(item, dict):
            continue
        candidates = item.get("@graph") if isinstance(item.get("@graph"), list) else [item]
        for candidate in candidates:
            if isinstance(candidate, dict) and (candidate.get("headline") or candidate.get("name")):
                return candidate
    return {}


def _publisher_name(item: dict) -> str:
    publisher = item.get("publisher")
    if isinstance(publisher, list):
        publisher = publisher[0] if publisher else {}
    return publisher.get("name", "") if isinstance(publisher, dict) else ""


def _fallback(html: str) -> dict[str, str]:
    """<title> and <meta name="description"> of a page without OpenGraph or JSON-LD."""
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return {}
    title = tree.findtext(".//title") or ""
    descriptions = tree.xpath('//meta[@name="description"]/@content')
    return {"title": title, "description": descriptions[0] if descriptions else ""}


def decode_html(body: bytes, charset: str | None) -> str:
    for encoding in (charset, "utf-8"):
        if not encoding:
            continue
        try:
            return body.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("utf-8", errors="replace")


def preview_from_html(html: str, *, url: str) -> Preview:
    """The preview a page gives of itself; `url` is its address after redirects."""
    # Imported here: only the worker parses pages, and extruct pulls in rdflib and friends.
    import extruct

    html = _XML_DECLARATION.sub("", html, count=1)
    try:
        data = extruct.extract(
            html, base_url=url, syntaxes=["opengraph", "json-ld"], uniform=True, errors="ignore"
        )
    except Exception:  # A page that trips the parser is a page without metadata, not a crash.
        logger.info("extruct could not read %s", url, exc_info=True)
        data = {}
    og: dict = {}
    for item in data.get("opengraph") or []:
        og.update({key: value for key, value in item.items() if key not in og})
    ld = _jsonld_item(data.get("json-ld") or [])
    plain = _fallback(html) if not (og.get("og:title") or ld) else {}
    return Preview(
        title=_text(
            og.get("og:title") or ld.get("headline") or ld.get("name") or plain.get("title"),
            _field_length("title"),
        ),
        description=_text(
            og.get("og:description") or ld.get("description") or plain.get("description"),
            _field_length("description"),
        ),
        site_name=_text(
            og.get("og:site_name") or _publisher_name(ld) or urlsplit(url).hostname or "",
            _field_length("site_name"),
        ),
        image_url=_absolute_http(og.get("og:image") or ld.get("image") or "", url),
    )


def preview_from_oembed(body: bytes, *, embed_url: str, provider_name: str) -> Preview:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return Preview()
    if not isinstance(data, dict):
        return Preview()
    return Preview(
        title=_text(data.get("title"), _field_length("title")),
        description=_text(data.get("author_name"), _field_length("description")),
        site_name=provider_name,
        image_url=_absolute_http(data.get("thumbnail_url") or "", embed_url),
        embed_url=embed_url,
    )
