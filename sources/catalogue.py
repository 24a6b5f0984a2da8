"""Titles from the library's catalogue for a search term, shown on a contribution's catalogue
page (sources/views.py, issue 14).

Providers (CATALOGUE_PROVIDER): "sru", a searchRetrieve endpoint (SRU 1.1/1.2, Dublin Core
records, e.g. the KB's jSRU), falling back to Open Library when CATALOGUE_FALLBACK_OPENLIBRARY
is on; "openlibrary", keyless; "" for none. Only what identifies a title is kept (identifier,
title, creator, year) with the link to the catalogue's own page of it.

It fails soft: a catalogue that errs, or does not answer within CATALOGUE_TIMEOUT seconds,
gives no titles, never an error page. Answers are cached for CATALOGUE_CACHE_SECONDS per
provider and term. The endpoints are the library's configuration, not a member's link, so
they are fetched directly (sources.safe_fetch is for addresses members give).
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict, dataclass
from urllib.parse import parse_qsl, urlencode

import urllib3
from defusedxml import ElementTree
from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

MAX_RESULTS = 10
MAX_BYTES = 1024 * 1024
USER_AGENT = "KennisCloud-catalogus/1.0"


@dataclass(frozen=True)
class Title:
    provider: str  # "sru" or "openlibrary"
    identifier: str
    title: str
    creator: str
    year: str
    url: str


class CatalogueUnavailable(Exception):
    pass


def _get(url: str, params: dict[str, str], *, auth: tuple[str, str] | None = None) -> bytes:
    headers = {"User-Agent": USER_AGENT}
    if auth is not None:
        headers.update(urllib3.make_headers(basic_auth=f"{auth[0]}:{auth[1]}"))
    timeout = settings.CATALOGUE_TIMEOUT
    try:
        response = urllib3.request(
            "GET",
            f"{url}?{urlencode(params)}",
            headers=headers,
            timeout=urllib3.Timeout(connect=timeout, read=timeout),
            retries=False,
            redirect=False,
            preload_content=False,
        )
    except urllib3.exceptions.HTTPError as error:
        raise CatalogueUnavailable(type(error).__name__) from None
    try:
        if response.status != 200:
            raise CatalogueUnavailable(f"status {response.status}")
        body = response.read(MAX_BYTES + 1)
    except urllib3.exceptions.HTTPError as error:
        raise CatalogueUnavailable(type(error).__name__) from None
    finally:
        response.release_conn()
    if len(body) > MAX_BYTES:
        raise CatalogueUnavailable("too large")
    return body


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sru_titles(body: bytes) -> list[Title]:
    try:
        root = ElementTree.fromstring(body)
    except Exception as error:  # defusedxml refuses entities and DTDs; ParseError for the rest
        raise CatalogueUnavailable(f"xml: {type(error).__name__}") from None
    titles = []
    for record in (el for el in root.iter() if _local(el.tag) == "record"):
        fields: dict[str, str] = {}
        for element in record.iter():
            name = _local(element.tag)
            text = (element.text or "").strip()
            if text and name in ("title", "creator", "date", "identifier", "recordIdentifier"):
                fields.setdefault(name, text)
        identifier = fields.get("recordIdentifier") or fields.get("identifier", "")
        if not (identifier and fields.get("title")):
            continue
        titles.append(
            Title(
                provider="sru",
                identifier=identifier[:200],
                title=fields["title"][:500],
                creator=fields.get("creator", "")[:300],
                year=fields.get("date", "")[:4],
                url=settings.CATALOGUE_TITLE_URL.format(id=identifier),
            )
        )
    return titles[:MAX_RESULTS]


def _sru_search(term: str) -> list[Title]:
    if not settings.CATALOGUE_SRU_URL:
        raise CatalogueUnavailable("no SRU address")
    quoted = term.replace("\\", "\\\\").replace('"', '\\"')
    params = {
        "operation": "searchRetrieve",
        "version": settings.CATALOGUE_SRU_VERSION,
        "query": f'cql.serverChoice all "{quoted}"',
        "maximumRecords": str(MAX_RESULTS),
        "recordSchema": "dc",
        **dict(parse_qsl(settings.CATALOGUE_SRU_EXTRA)),
    }
    auth = (
        (settings.CATALOGUE_SRU_USERNAME, settings.CATALOGUE_SRU_PASSWORD)
        if settings.CATALOGUE_SRU_USERNAME
        else None
    )
    return _sru_titles(_get(settings.CATALOGUE_SRU_URL, params, auth=auth))


def _openlibrary_search(term: str) -> list[Title]:
    base = settings.CATALOGUE_OPENLIBRARY_URL
    body = _get(
        f"{base}/search.json",
        {
            "q": term,
            "limit": str(MAX_RESULTS),
            "fields": "key,title,author_name,first_publish_year",
        },
    )
    try:
        docs = json.loads(body).get("docs", [])
    except (ValueError, AttributeError):
        raise CatalogueUnavailable("json") from None
    titles = []
    for doc in docs if isinstance(docs, list) else []:
        key, title = doc.get("key"), doc.get("title")
        if not (isinstance(key, str) and key.startswith("/") and isinstance(title, str)):
            continue
        authors = doc.get("author_name") or []
        titles.append(
            Title(
                provider="openlibrary",
                identifier=key[:200],
                title=title[:500],
                creator=", ".join(str(a) for a in authors[:3])[:300],
                year=str(doc.get("first_publish_year") or "")[:4],
                url=f"{base}{key}",
            )
        )
    return titles[:MAX_RESULTS]


def _cache_key(provider: str, term: str) -> str:
    digest = hashlib.sha256(f"{provider}\n{term}".encode()).hexdigest()[:32]
    return f"catalogue:{digest}"


def catalogue_search(term: str) -> list[Title]:
    """Titles for `term` from the configured catalogue; [] when there is none, or it fails."""
    term = " ".join(term.split())[:200]
    provider = settings.CATALOGUE_PROVIDER
    if not term or provider not in ("sru", "openlibrary"):
        return []
    key = _cache_key(provider, term.lower())
    cached = cache.get(key)
    if cached is not None:
        return [Title(**item) for item in cached]
    try:
        titles = _sru_search(term) if provider == "sru" else _openlibrary_search(term)
    except CatalogueUnavailable as error:
        logger.warning("catalogue %s unavailable: %s", provider, error)
        titles = None
    if titles is None and provider == "sru" and settings.CATALOGUE_FALLBACK_OPENLIBRARY:
        try:
            titles = _openlibrary_search(term)
        except CatalogueUnavailable as error:
            logger.warning("catalogue fallback unavailable: %s", error)
    if titles is None:
        return []  # not cached: the catalogue may be back at the next request
    cache.set(key, [asdict(title) for title in titles], settings.CATALOGUE_CACHE_SECONDS)
    return titles
