"""The language switch as plain links, so that a page carries no per-visitor form token and an
anonymous page stays cacheable; and the language of what members and editors wrote."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.functional import Promise
from django.utils.html import format_html, strip_tags
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, get_language_info, override
from wagtail.blocks import StaticBlock
from wagtail.rich_text import RichText

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


# --- The language of content ---------------------------------------------------------------------
# What members and editors write is in one language whatever the page's: theme and community
# names, editors' blocks and pages in Dutch (the source language), a post in the language its
# author wrote it in (Contribution.language, Comment.language). A screen reader reads a Dutch
# text on an English page with English sounds unless the element says lang="nl" (WCAG 3.1.2).


def _page_language() -> str:
    return get_language() or settings.LANGUAGE_CODE


@register.filter
def lang_mark(obj) -> str:
    """` lang="nl"` for an element whose text is in another language than the page, else "".

    `obj` is a language code, or anything with a `language` field (a contribution, a comment);
    anything else (a theme, a community) is written in the site's source language.
    `<p{{ contribution|lang_mark }}>` on /en/ gives `<p lang="nl">` for a Dutch post.
    """
    if isinstance(obj, str):
        written = obj or settings.LANGUAGE_CODE
    else:
        written = getattr(obj, "language", None) or settings.LANGUAGE_CODE
    if written == _page_language():
        return ""
    return format_html(' lang="{}"', written)


@dataclass(frozen=True)
class InLanguage:
    """An editor's text as a page shows it: `value`, and `lang`, the language it is written in
    when that is not the page's (the Dutch fallback on /en/), else ""."""

    value: Any
    lang: str = ""
    # The page's language was found (an "_en" field, or a default heading's translation).
    translated: bool = False

    def __str__(self) -> str:
        return str(self.value)

    def __bool__(self) -> bool:
        return _filled(self.value)

    @property
    def lang_attr(self) -> str:
        """` lang="nl"` to put on the element that holds it, or ""."""
        return format_html(' lang="{}"', self.lang) if self.lang else ""


def _filled(value) -> bool:
    if value is None:
        return False
    if isinstance(value, str):  # a RichTextField too: "<p></p>" is empty
        return bool(strip_tags(value).strip())
    if isinstance(value, RichText):
        return bool(strip_tags(value.source or "").strip())
    return bool(value)


def _field(obj, name: str):
    if isinstance(obj, Mapping):  # a block's StructValue
        return obj.get(name)
    return getattr(obj, name, None)


def _default_heading(obj, name: str, value) -> str | None:
    """A block field left at its default ("Thema's") is the site's own text, not the editor's:
    it has a translation. Returns it in the page's language, or None."""
    block = getattr(obj, "block", None)
    child = getattr(block, "child_blocks", {}).get(name)
    default = getattr(getattr(child, "meta", None), "default", None)
    if not isinstance(default, Promise | str) or not isinstance(value, str) or not default:
        return None
    # The default was stored in the language of the editor who added the block.
    for code, _name in settings.LANGUAGES:
        with override(code):
            stored = str(default)
        if value == stored:
            return str(default)  # in the page's language again
    return None


@register.simple_tag
def localized(obj, name: str) -> InLanguage:
    """`{% localized page "title" as title %}`: the field `name` of a page or block in the page's
    language. On /en/ that is `name_en` when an editor filled it; otherwise the Dutch text, with
    `title.lang` "nl" so the template marks it (`<h1{{ title.lang_attr }}>{{ title }}</h1>`)."""
    value = _field(obj, name)
    language = _page_language()
    if language == settings.LANGUAGE_CODE:
        return InLanguage(value)
    translated = _field(obj, f"{name}_{language}")
    if _filled(translated):
        return InLanguage(translated, translated=True)
    default = _default_heading(obj, name, value)
    if default is not None:
        return InLanguage(default, translated=True)
    return InLanguage(value, settings.LANGUAGE_CODE if _filled(value) else "")


@register.filter
def generated_block(bound_block) -> bool:
    """A StreamField block whose text the site writes, not the editor (a StaticBlock: the
    library's contact details, the retention periods): it is in the page's language even where
    the editor's Dutch around it is not (`<div lang="nl">` around a Dutch fallback body)."""
    return isinstance(getattr(bound_block, "block", None), StaticBlock)
