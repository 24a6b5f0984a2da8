"""The mail that says a data export is ready: plain text and HTML, in the member's language."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import DataExport


def data_export_ready_message(export: DataExport) -> EmailMultiAlternatives:
    member = export.member
    language = member.language if member.language in dict(settings.LANGUAGES) else None
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {
            "user": member,
            "export": export,
            "language": translation.get_language(),
            "days": settings.DATA_EXPORT_DAYS,
            # Needs login, and only its owner gets the file (privacy.views).
            "download_url": settings.SITE_URL
            + reverse("privacy:data_export_download", kwargs={"pk": export.pk}),
            "page_url": settings.SITE_URL + reverse("privacy:data_export"),
        }
        subject = " ".join(render_to_string("emails/data_export_subject.txt", context).split())
        text = render_to_string("emails/data_export.txt", context)
        html = render_to_string("emails/data_export.html", context)
    host = urlsplit(settings.SITE_URL).hostname or "kenniscloud.local"
    message = EmailMultiAlternatives(
        subject,
        text,
        to=[member.email],
        headers={
            "Auto-Submitted": "auto-generated",
            # A retried task sends the same message; mail clients can fold the copies.
            "Message-ID": f"<data-export.{export.pk}@{host}>",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def inactivity_warning_message(user, *, connection=None) -> EmailMultiAlternatives:
    """The one warning (privacy/retention.py) that an account nobody logged in to for a long
    time will be removed, and how to keep it: log in. Needs `user.inactivity_warned_at`."""
    from .retention import inactivity_deadline

    language = user.language if user.language in dict(settings.LANGUAGES) else None
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "language": translation.get_language(),
            "last_seen": user.last_login or user.date_joined,
            "deadline": inactivity_deadline(user.inactivity_warned_at),
            "login_url": settings.SITE_URL + reverse("account_login"),
            "export_url": settings.SITE_URL + reverse("privacy:data_export"),
        }
        subject = " ".join(
            render_to_string("emails/inactivity_warning_subject.txt", context).split()
        )
        text = render_to_string("emails/inactivity_warning.txt", context)
        html = render_to_string("emails/inactivity_warning.html", context)
    host = urlsplit(settings.SITE_URL).hostname or "kenniscloud.local"
    warned = user.inactivity_warned_at.strftime("%Y%m%d%H%M%S")
    message = EmailMultiAlternatives(
        subject,
        text,
        to=[user.email],
        connection=connection,
        headers={
            "Auto-Submitted": "auto-generated",
            # One warning, one Message-ID: should it ever go twice, mail clients fold the copies.
            "Message-ID": f"<inactivity-warning.{user.pk}.{warned}@{host}>",
        },
    )
    message.attach_alternative(html, "text/html")
    return message
