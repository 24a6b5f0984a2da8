"""The checks a new contribution or comment passes before it is stored (issue 11): not the same
text twice within minutes, not too many links from a new member, and the rate limits.

`posting_checks` runs inside the service's transaction, after the post's own validation and
right before it is saved. It first locks the author's row: one member's posts are then stored
one after the other, so two identical posts sent at once (a double click, a script) cannot both
find "nothing like this yet" and both be stored. The second waits for the first to commit and
then finds it. Only PostgreSQL locks rows; SQLite, the embedded default, takes one write at a
time anyway. The lock is FOR NO KEY UPDATE: it does not hold up other transactions that insert
rows pointing at this member (a notification for them, someone's reply to them).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from communities.models import User
from kenniscloud.common.ratelimit import is_exempt, is_new_member, throttle

from .markdown import link_count
from .models import Comment, Contribution

DEFAULT_DUPLICATE_MINUTES = 5
DEFAULT_NEW_MEMBER_MAX_LINKS = 2


def normalised(body: str) -> str:
    """The text as compared for duplicates: case and runs of white space do not count."""
    return " ".join(body.split()).casefold()


def lock_author(author: User) -> None:
    """Hold the author's row until the transaction ends (caller is in `transaction.atomic`)."""
    list(User.objects.select_for_update(no_key=True).filter(pk=author.pk).values_list("pk"))


def refuse_duplicate(
    model: type[Contribution] | type[Comment], *, author: User, body: str, moment: dt.datetime
) -> None:
    """The same text by the same member within MODERATION_DUPLICATE_MINUTES, anywhere on the
    site, whatever became of the first (hidden, waiting for approval). Caller holds the author's
    row lock."""
    minutes = getattr(settings, "MODERATION_DUPLICATE_MINUTES", DEFAULT_DUPLICATE_MINUTES)
    if not minutes or is_exempt():
        return
    recent = model.objects.filter(
        author=author, created_at__gt=moment - dt.timedelta(minutes=minutes)
    ).values_list("body", flat=True)
    text = normalised(body)
    if any(normalised(earlier) == text for earlier in recent):
        raise ValidationError(
            {
                "body": _(
                    "Dit heb je net al geplaatst. Wil je iets toevoegen? Pas dan je eerdere "
                    "tekst aan, of schrijf iets nieuws."
                )
            },
            code="duplicate",
        )


def refuse_too_many_links(*, author: User, body: str, moment: dt.datetime | None = None) -> None:
    """New members (RATE_LIMITS_NEW_MEMBER_DAYS) put at most MODERATION_NEW_MEMBER_MAX_LINKS
    links in a text: what link spam needs most is links."""
    limit = getattr(settings, "MODERATION_NEW_MEMBER_MAX_LINKS", DEFAULT_NEW_MEMBER_MAX_LINKS)
    if limit is None or is_exempt() or not is_new_member(author, moment):
        return
    found = link_count(body)
    if found > limit:
        raise ValidationError(
            {
                "body": ngettext(
                    "Nieuwe leden kunnen in hun eerste dagen hooguit %(limit)d link in een "
                    "tekst zetten; deze tekst heeft er %(found)d. Haal er een paar weg.",
                    "Nieuwe leden kunnen in hun eerste dagen hooguit %(limit)d links in een "
                    "tekst zetten; deze tekst heeft er %(found)d. Haal er een paar weg.",
                    limit,
                )
                % {"limit": limit, "found": found}
            },
            code="too_many_links",
        )


def posting_checks(
    model: type[Contribution] | type[Comment], action: str, *, author: User, body: str
) -> None:
    """Lock the author, refuse a duplicate, then charge the rate limit (`action`); raises
    `ValidationError` (a duplicate) or `RateLimited`, and nothing is stored."""
    moment = timezone.now()
    lock_author(author)
    refuse_duplicate(model, author=author, body=body, moment=moment)
    throttle(author, action, moment=moment)
