"""The language switch as plain links, so that a page carries no per-visitor form token and an
anonymous page stays cacheable."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """This page in every language: code, local name, address and whether it is the current one.

    `translate_url` resolves the current path and reverses it in the other language, keeping
    the query string: /themas/?x=1 <-> /en/themas/?x=1, an article keeps its Wagtail path.
    """
    request = context.get("request")
    path = request.get_full_path() if request is not None else "/"
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
