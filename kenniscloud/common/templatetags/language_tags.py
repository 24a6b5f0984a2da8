"""The language switch as plain links, so that a page carries no per-visitor form token and an
anonymous page stays cacheable."""

from __future__ import annotations

from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, get_language_info

register = template.Library()


def _page_path(request) -> str:
    """The address of the page the visitor sees. After a POST that was refused (a form shown
    again with its errors) that is the page the form was on, not the address it was posted to,
    which may take POST only: the Referer, when it is of this site (the Referrer-Policy is
    same-origin, so browsers send it). Otherwise the requested address."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.get_full_path()


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """This page in every language: code, local name, address and whether it is the current one.

    `translate_url` resolves the current path and reverses it in the other language, keeping
    the query string: /themas/?x=1 <-> /en/themas/?x=1, an article keeps its Wagtail path.
    """
    request = context.get("request")
    path = _page_path(request) if request is not None else "/"
    current = get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        links.append(
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "url": translate_url(path, code),
                "current": code == current,
            }
        )
    return links
