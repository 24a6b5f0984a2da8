"""Small template helpers for the residents' site; no queries happen here."""

from __future__ import annotations

import re
from functools import cache

from django import template
from django.conf import settings

register = template.Library()

_PREFIXED_LANGUAGES = "|".join(
    re.escape(code) for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE
)
_LANGUAGE_PREFIX_RE = (
    re.compile(rf"^/(?:{_PREFIXED_LANGUAGES})(?=/|$)") if _PREFIXED_LANGUAGES else None
)


@register.filter
def get_item(mapping, key):
    """`{{ memberships|get_item:community.pk }}`: a dict lookup with a variable key."""
    if not isinstance(mapping, dict):
        return None
    return mapping.get(key)


@cache
def _choice_labels(model, field_name: str) -> dict:
    # The labels are lazy translations: kept once per field, translated when rendered.
    return dict(model._meta.get_field(field_name).flatchoices)


@register.filter
def choice_label(obj, field_name: str):
    """`{{ contribution|choice_label:"kind" }}`: what `get_kind_display` shows, for cards in long
    lists. Django's `get_FOO_display` rebuilds the field's choices on every call (~40 µs)."""
    value = getattr(obj, field_name)
    return _choice_labels(type(obj), field_name).get(value, value)


@register.simple_tag(takes_context=True)
def path_without_language(context) -> str:
    """The current path and query without the `/en` prefix, for the language switch.

    Django's `set_language` translates the `next` URL into the chosen language, but only
    when it can resolve it; an unprefixed path always resolves, a prefixed one may not.
    """
    request = context.get("request")
    if request is None:
        return "/"
    path = request.get_full_path()
    if _LANGUAGE_PREFIX_RE is not None:
        path = _LANGUAGE_PREFIX_RE.sub("", path, count=1)
    if not path.startswith("/"):
        path = "/" + path
    return path
