"""Serve public pages to anonymous visitors from the cache, before any view runs.

A Wagtail page costs about 6.5 ms of CPU, most of it in the site lookup and page routing; a
cached one costs a URL resolution and one round trip to the cache. This sits after the
middleware that decides who the visitor is (sessions, language, authentication, messages) and
before everything that renders, so it covers every Wagtail page and the views listed in
`ANONYMOUS_PAGE_CACHE_VIEWS` without those pages doing anything.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, get_urlconf, resolve
from django.utils.cache import cc_delim_re, patch_vary_headers
from django.utils.translation import get_language

from .cache import cache_seconds, generation_current, page_get, page_key, page_store

HEADER = "X-Page-Cache"
# Anything else in Vary means the page differs per request in a way the key does not capture.
_SAFE_VARY = {"cookie", "accept-language"}
_UNCACHEABLE_CONTROL = {"private", "no-cache", "no-store"}


@lru_cache(maxsize=4096)
def _view_name(urlconf: str | None, language: str, path: str) -> str | None:
    # Resolving the catch-all walks every URL pattern; a path resolves the same way every time
    # for a given language, so the answer is kept (bounded, for paths made up by crawlers).
    try:
        return resolve(path, urlconf).view_name
    except Resolver404:
        return None


def _cacheable_view(request: HttpRequest) -> bool:
    name = _view_name(get_urlconf(), get_language(), request.path_info)
    return name in settings.ANONYMOUS_PAGE_CACHE_VIEWS


def _is_anonymous(request: HttpRequest) -> bool:
    """No session cookie means nobody is logged in: decided without touching the database.

    With a session cookie the session (and perhaps the user) is looked up once; the view then
    reuses it.
    """
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return True
    return not request.user.is_authenticated


def _has_messages(request: HttpRequest) -> bool:
    # Reading the messages does not consume them: they are still shown on the rendered page.
    return len(get_messages(request)) > 0


def _may_serve(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and cache_seconds() > 0
        and _cacheable_view(request)
        and _is_anonymous(request)
        and not _has_messages(request)
    )


def _may_store(request: HttpRequest, response: HttpResponse) -> bool:
    """Only what any anonymous visitor could have got, and nothing that sets state."""
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    # Rendered for a visitor without a session, so it cannot depend on one (a page unlocked
    # with a password, say); the pages it is served to may have an anonymous session.
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    if response.cookies or request.session.modified:
        return False
    # The page holds a CSRF token: one visitor's token must never reach another.
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    if getattr(request, "_messages", None) is not None and request._messages.added_new:
        return False
    if getattr(request, "is_preview", False):
        return False
    control = {
        d.split("=")[0].strip().lower()
        for d in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    if control & _UNCACHEABLE_CONTROL:
        return False
    vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v.strip()}
    return vary <= _SAFE_VARY


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _may_serve(request):
            if cache_seconds() > 0 and request.method in ("GET", "HEAD"):
                # Read before the view reads any data: a fragment kept from this page
                # (fragments.py) must not be stored under a generation newer than its data.
                request._kennis_generation = generation_current()  # type: ignore[attr-defined]
            return self.get_response(request)
        key = page_key(request)
        generation, page = page_get(key)
        request._kennis_generation = generation  # type: ignore[attr-defined]
        if page is not None:
            response = page.to_response()
            response[HEADER] = "hit"
        else:
            response = self.get_response(request)
            if generation is not None and _may_store(request, response):
                page_store(key, generation, response)
                response[HEADER] = "miss"
        # A logged-in visitor gets another page at the same address: shared caches must know.
        patch_vary_headers(response, ("Cookie",))
        return response
