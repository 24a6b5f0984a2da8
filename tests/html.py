"""Reading what the user sees in a response, without a browser."""

from __future__ import annotations

import html
import re

from django.utils.html import strip_tags


def page_text(response) -> str:
    """The visible text of a page, whitespace collapsed and entities decoded."""
    content = response.content.decode()
    content = re.sub(r"<(script|style)\b.*?</\1>", " ", content, flags=re.S)
    return " ".join(html.unescape(strip_tags(content)).split())


def field_errors(response, name: str) -> str:
    """The error text shown next to form field `name` (rendered by includes/field_help.html)."""
    content = response.content.decode()
    match = re.search(rf'<ul class="field__errors" id="id_{name}_error">(.*?)</ul>', content, re.S)
    if match is None:
        return ""
    return " ".join(html.unescape(strip_tags(match.group(1))).split())
