"""Small helpers the parts share."""

from __future__ import annotations

import json

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def when(moment) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def markdown_file(metadata: dict, body: str) -> str:
    """Markdown with its metadata as front matter. Each value is written as JSON, which is also
    valid YAML, so a title with a colon or a quote cannot break the header."""
    lines = ["---"]
    for key, value in metadata.items():
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    lines += ["---", "", body.rstrip(), ""]
    return "\n".join(lines)


def file_stem(pk: int, moment, title: str) -> str:
    date = timezone.localtime(moment).date().isoformat() if moment else "0000-00-00"
    return f"{date}-{pk}-{slugify(title)[:60] or 'zonder-titel'}"
