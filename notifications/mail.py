"""The digest as an email: plain text and HTML in the member's language, absolute links, and the
one-click unsubscribe headers of RFC 8058.

Rendering a Django template per member costs milliseconds, too much for 100 000 members. So a
`DigestRenderer` renders each piece once per language and keeps it: a community's section
(for the same items), a meetup or article with its reason, and the frame around them with
slots for what differs per member (name, sections, unsubscribe link). Per member it only joins
strings. Slots are control characters that no template contains, and the frame is split on them
before any member's text goes in, so user content can never be taken for a slot.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe

from .digest import CommunitySection, Digest, Reasoned
from .tokens import unsubscribe_token

SLOTS = ("name", "subject", "communities", "articles", "meetups", "unsubscribe_url")
_SLOT_RE = re.compile("\x1f(\\w+)\x1f")


def _slot(name: str) -> str:
    return mark_safe(f"\x1f{name}\x1f")


def member_language(language: str) -> str:
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _language_prefix(language: str) -> str:
    """Dutch lives at the root, other languages under /<code>/ (i18n_patterns)."""
    return "" if language == settings.LANGUAGE_CODE else f"/{language}"


def digest_message_id(delivery_id: int, host: str | None = None) -> str:
    """The same Message-ID for every attempt of one delivery, so that in the rare case a
    delivery is sent twice (see `notifications.delivery`) mail clients can fold the copies."""
    host = host or urlsplit(settings.SITE_URL).hostname or "kenniscloud.local"
    return f"<digest.{delivery_id}@{host}>"


@dataclass(frozen=True)
class RenderedDigest:
    subject: str
    text: str
    html: str
    unsubscribe_url: str


class DigestRenderer:
    """Renders digests; keep one for a whole run so that its pieces are rendered once."""

    def __init__(self) -> None:
        self._pieces: dict[tuple, str] = {}
        self._frames: dict[tuple, list[str]] = {}
        self._urls: dict[str, tuple[str, str]] = {}
        self._host = urlsplit(settings.SITE_URL).hostname or "kenniscloud.local"

    def render(self, digest: Digest) -> RenderedDigest:
        language = member_language(digest.recipient.language)
        prefix, preferences_url = self._language_urls(language)
        unsubscribe_url = prefix.replace("TOKEN", unsubscribe_token(digest.recipient.pk))
        subject = self._subject(digest, language)
        parts = {}
        for kind in ("txt", "html"):
            parts[kind] = {
                "name": digest.recipient.display_name,
                "subject": subject,
                "communities": "".join(
                    self._community(section, language, kind) for section in digest.communities
                ),
                "articles": "".join(
                    self._entry("article", entry, language, kind) for entry in digest.articles
                ),
                "meetups": "".join(
                    self._entry("meetup", entry, language, kind) for entry in digest.meetups
                ),
                "unsubscribe_url": unsubscribe_url,
            }
        html_values = {**parts["html"]}
        for key in ("name", "subject", "unsubscribe_url"):
            html_values[key] = html.escape(html_values[key])
        return RenderedDigest(
            subject=subject,
            text=self._fill(self._frame(digest, language, "txt", preferences_url), parts["txt"]),
            html=self._fill(self._frame(digest, language, "html", preferences_url), html_values),
            unsubscribe_url=unsubscribe_url,
        )

    def message(
        self, digest: Digest, *, delivery_id: int | None = None, connection=None
    ) -> EmailMultiAlternatives:
        rendered = self.render(digest)
        headers = {
            "List-Unsubscribe": f"<{rendered.unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        }
        if delivery_id is not None:
            headers["Message-ID"] = digest_message_id(delivery_id, self._host)
        message = EmailMultiAlternatives(
            rendered.subject,
            rendered.text,
            to=[digest.recipient.email],
            headers=headers,
            connection=connection,
        )
        message.attach_alternative(rendered.html, "text/html")
        return message

    # --- pieces, each rendered once ----------------------------------------------------------

    def _language_urls(self, language: str) -> tuple[str, str]:
        if language not in self._urls:
            with translation.override(language):
                self._urls[language] = (
                    settings.SITE_URL
                    + reverse("notifications:unsubscribe", kwargs={"token": "TOKEN"}),
                    settings.SITE_URL + reverse("notifications:preferences"),
                )
        return self._urls[language]

    def _render(self, key: tuple, template: str, context: dict, language: str) -> str:
        if key not in self._pieces:
            context = {**context, "base_url": settings.SITE_URL + _language_prefix(language)}
            with translation.override(language):
                self._pieces[key] = get_template(template).render(context)
        return self._pieces[key]

    def _subject(self, digest: Digest, language: str) -> str:
        count = digest.contribution_count
        frequency = digest.period.frequency
        subject = self._render(
            ("subject", language, frequency, count),
            "emails/digest_subject.txt",
            {"frequency": frequency, "contribution_count": count},
            language,
        )
        return " ".join(subject.split())

    def _community(self, section: CommunitySection, language: str, kind: str) -> str:
        key = (
            "community",
            kind,
            language,
            section.community.pk,
            tuple(i.pk for i in section.contributions),
            tuple(i.pk for i in section.discussions),
        )
        return self._render(key, f"emails/digest_community.{kind}", {"section": section}, language)

    def _entry(self, what: str, entry: Reasoned, language: str, kind: str) -> str:
        key = (what, kind, language, entry.item.pk, entry.reason, entry.reason_name)
        return self._render(key, f"emails/digest_{what}.{kind}", {"entry": entry}, language)

    def _frame(self, digest: Digest, language: str, kind: str, preferences_url: str) -> list:
        key = (
            kind,
            language,
            digest.period.frequency,
            bool(digest.communities),
            bool(digest.articles),
            bool(digest.meetups),
        )
        if key not in self._frames:
            context = {name: _slot(name) for name in SLOTS}
            context.update(
                language=language,
                frequency=digest.period.frequency,
                preferences_url=preferences_url,
                has_communities=bool(digest.communities),
                has_articles=bool(digest.articles),
                has_meetups=bool(digest.meetups),
            )
            with translation.override(language):
                rendered = get_template(f"emails/digest.{kind}").render(context)
            self._frames[key] = _SLOT_RE.split(rendered)
        return self._frames[key]

    @staticmethod
    def _fill(frame: list[str], values: dict[str, str]) -> str:
        # split() alternates literal text and slot names: text, slot, text, slot, …, text
        return "".join(part if i % 2 == 0 else values[part] for i, part in enumerate(frame))


def digest_render(digest: Digest) -> RenderedDigest:
    return DigestRenderer().render(digest)


def digest_message(
    digest: Digest, *, delivery_id: int | None = None, connection=None
) -> EmailMultiAlternatives:
    return DigestRenderer().message(digest, delivery_id=delivery_id, connection=connection)
