"""Retention: nothing is kept longer than needed (issue 12, the AVG).

Each period is a setting (kenniscloud/settings/base.py, README "Retention"). `retention_periods()`
says them once, for the privacy statement, so the page and the beat jobs never drift apart.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import NamedTuple

from celery.exceptions import SoftTimeLimitExceeded
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from communities.deletion import DELETED_EMAIL_DOMAIN, account_delete
from communities.models import User
from communities.selectors import LIBRARIAN_GROUP

logger = logging.getLogger(__name__)


class RetentionPeriod(NamedTuple):
    """What is kept, for at most how many days (None: the job is off, so it is kept until the
    member deletes it), and why. Dutch msgids, shown in the reader's language."""

    what: Promise | str
    days: int | None
    why: Promise | str


def retention_periods() -> list[RetentionPeriod]:
    """Every retention period the beat jobs keep, read from the settings each time.

    Call it where the table is shown: the inactive-accounts sentence carries its numbers and is
    translated into the language active at the call; the other strings are lazy.
    """
    from search.services import MISS_RETENTION

    inactive_days = settings.RETENTION_INACTIVE_ACCOUNT_DAYS or None
    warning_days = settings.RETENTION_INACTIVE_WARNING_DAYS
    return [
        RetentionPeriod(
            _("Toegankelijkheidswensen bij een aanmelding, na afloop van de bijeenkomst"),
            settings.RETENTION_ACCESS_NEEDS_DAYS_AFTER_MEETUP,
            _("De organisatoren hebben ze alleen nodig om de bijeenkomst voor te bereiden."),
        ),
        RetentionPeriod(
            _("Naam en e-mailadres van binnenlopers, na afloop van de bijeenkomst"),
            settings.RETENTION_WALK_INS_DAYS_AFTER_MEETUP,
            _(
                "Voor de aanwezigheidslijst en om binnenlopers die dat wilden een verslag te "
                "sturen. Daarna tellen ze alleen nog mee, zonder naam."
            ),
        ),
        RetentionPeriod(
            _("Gelezen meldingen, nadat je ze las"),
            settings.RETENTION_READ_NOTIFICATIONS_DAYS,
            _("Zo kun je teruglezen wat er gebeurde; ongelezen meldingen blijven staan."),
        ),
        RetentionPeriod(
            _("Welke overzichtsmails we je stuurden, na de periode die ze besloegen"),
            settings.RETENTION_DIGEST_DELIVERY_DAYS,
            _("Zo sturen we nooit twee keer hetzelfde overzicht en vinden we fouten terug."),
        ),
        RetentionPeriod(
            _("Gedownloade gegevens (Mijn gegevens downloaden)"),
            settings.DATA_EXPORT_DAYS,
            _("Zo lang kun je het bestand ophalen; daarna verwijderen we het."),
        ),
        RetentionPeriod(
            _("Zoekopdrachten zonder resultaat, na de laatste keer dat ernaar is gezocht"),
            MISS_RETENTION.days,
            _(
                "Zo ziet de bibliotheek welke kennis bewoners zoeken en nog niet vinden. "
                "We bewaren alleen de zoekwoorden, nooit wie zocht."
            ),
        ),
        RetentionPeriod(
            _("Accounts waarvan het e-mailadres nooit is bevestigd, na aanmelding"),
            settings.RETENTION_UNCONFIRMED_ACCOUNT_DAYS,
            _("Zo lang heb je om je aanmelding af te maken."),
        ),
        RetentionPeriod(
            _("Een e-mailadres dat een thema wil volgen zonder account, als het niet is bevestigd"),
            settings.THEME_SUBSCRIPTION_CONFIRM_DAYS,
            _(
                "Zo lang werkt de link om te bevestigen. Een bevestigd adres bewaren we tot je "
                "je afmeldt; dan verwijderen we het meteen."
            ),
        ),
        RetentionPeriod(
            _("Accounts waarmee niet meer is ingelogd, na de laatste keer inloggen"),
            inactive_days + warning_days if inactive_days else None,
            ngettext_lazy(
                "Na %(inactive)s dagen zonder inloggen krijg je een e-mail; log je daarna niet "
                "binnen %(warning)s dag in, dan verwijderen we je account. Je bijdragen blijven "
                "staan onder 'Verwijderd lid'.",
                "Na %(inactive)s dagen zonder inloggen krijg je een e-mail; log je daarna niet "
                "binnen %(warning)s dagen in, dan verwijderen we je account. Je bijdragen blijven "
                "staan onder 'Verwijderd lid'.",
                "warning",
            )
            % {"inactive": inactive_days, "warning": warning_days}
            if inactive_days
            else _("Staat uit: we verwijderen geen account omdat er niet meer mee is ingelogd."),
        ),
    ]


# --- The jobs (privacy/tasks.py runs them from CELERY_BEAT_SCHEDULE) --------------------------
#
# Each job is idempotent (a second run finds nothing left to do) and safe beside another run of
# itself: deletes and conditional updates are settled by the database, and work on one account
# takes that account's row lock (skip_locked) so two runs never handle the same member.

# digest_run plans only the period that ended at the latest DIGEST_HOUR (at most 25 hours ago,
# across a DST switch); its delivery row must outlive that, or a repeated run would mail it again.
DIGEST_DELIVERY_MIN_KEEP = dt.timedelta(days=2)
# Warning mails per run of the inactive-accounts job: each waits on the mail server, and the job
# runs hourly, so switching the job on for a large site spreads the first wave over hours.
INACTIVE_WARNINGS_PER_RUN = 200


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _clear_after_meetup(model, days: int, now: dt.datetime | None, **cleared) -> int:
    """Set the fields `cleared` to "" on rows of `model` (with a `meetup`) whose meetup ended
    more than `days` days ago and that still hold any of them. Returns the number of rows.
    update() leaves updated_at alone: the row did not change in its owner's eyes."""
    cutoff = _now(now) - dt.timedelta(days=days)
    return (
        model.objects.filter(meetup__ends_at__lt=cutoff)
        .exclude(**cleared)  # rows already empty: nothing left to clear
        .update(**cleared)
    )


def access_needs_wipe(*, now: dt.datetime | None = None) -> int:
    """Empty the access needs of RSVPs to meetups that ended more than
    RETENTION_ACCESS_NEEDS_DAYS_AFTER_MEETUP days ago. Returns the number of RSVPs wiped."""
    from meetups.models import Rsvp

    days = settings.RETENTION_ACCESS_NEEDS_DAYS_AFTER_MEETUP
    wiped = _clear_after_meetup(Rsvp, days, now, access_needs="")
    if wiped:
        logger.info("retention: access needs wiped on %s RSVPs", wiped)
    return wiped


def walk_ins_anonymise(*, now: dt.datetime | None = None) -> int:
    """Clear the name and email of people registered at the door (meetups.WalkIn) of meetups
    that ended more than RETENTION_WALK_INS_DAYS_AFTER_MEETUP days ago. The row stays, so the
    meetup's attendance figures do not change. Returns the number of walk-ins cleared."""
    from meetups.models import WalkIn

    days = settings.RETENTION_WALK_INS_DAYS_AFTER_MEETUP
    cleared = _clear_after_meetup(WalkIn, days, now, name="", email="")
    if cleared:
        logger.info("retention: names of %s walk-ins cleared", cleared)
    return cleared


def read_notifications_purge(*, now: dt.datetime | None = None) -> int:
    """Delete notifications read more than RETENTION_READ_NOTIFICATIONS_DAYS days ago. Unread
    ones stay, and so does one whose reply mail is still to go."""
    from notifications.models import Notification

    cutoff = _now(now) - dt.timedelta(days=settings.RETENTION_READ_NOTIFICATIONS_DAYS)
    deleted, _per_model = (
        Notification.objects.filter(read_at__lt=cutoff)
        .exclude(mail=Notification.Mail.PENDING)
        .delete()
    )
    if deleted:
        logger.info("retention: %s read notifications deleted", deleted)
    return deleted


def digest_deliveries_purge(*, now: dt.datetime | None = None) -> int:
    """Delete digest delivery rows RETENTION_DIGEST_DELIVERY_DAYS days after their period ended.

    Never an open row (pending or sending: a sender may hold it), and never a row of a period
    digest_run could still plan: the row is what stops that period going out twice.
    """
    from notifications.models import DigestDelivery

    now = _now(now)
    keep = max(dt.timedelta(days=settings.RETENTION_DIGEST_DELIVERY_DAYS), DIGEST_DELIVERY_MIN_KEEP)
    old = DigestDelivery.objects.filter(period_end__lt=now - keep)
    deleted, _per_model = old.exclude(state__in=DigestDelivery.OPEN_STATES).delete()
    stuck = old.filter(state__in=DigestDelivery.OPEN_STATES).count()
    if deleted:
        logger.info("retention: %s digest deliveries deleted", deleted)
    if stuck:
        # Open for months: no sweep takes them any more (it looks back days). Kept, as they are
        # open, but somebody should look.
        logger.warning("retention: %s digest deliveries still open after their period", stuck)
    return deleted


def mail_address_statuses_purge() -> int:
    """Delete the delivery-failure records of addresses no account uses any more (a member who
    changed address). The record exists to stop mailing an address; nobody mails this one."""
    from allauth.account.models import EmailAddress

    from notifications.models import MailAddressStatus

    in_use = Exists(User.objects.filter(email__iexact=OuterRef("email"))) | Exists(
        EmailAddress.objects.filter(email__iexact=OuterRef("email"))
    )
    deleted, _per_model = MailAddressStatus.objects.exclude(in_use).delete()
    if deleted:
        logger.info("retention: %s mail failure records of unused addresses deleted", deleted)
    return deleted


# --- Accounts ----------------------------------------------------------------------------------


def _verified_address() -> Exists:
    from allauth.account.models import EmailAddress

    return Exists(EmailAddress.objects.filter(user_id=OuterRef("pk"), verified=True))


def _ordinary_members() -> QuerySet[User]:
    """Accounts a retention job may remove: active (a deleted account is inactive), and no
    staff, superuser or librarian; the library decides about those by hand."""
    return (
        User.objects.filter(is_active=True, is_staff=False, is_superuser=False)
        .exclude(email__endswith="@" + DELETED_EMAIL_DOMAIN)
        .exclude(groups__name=LIBRARIAN_GROUP)
        .exclude(libraries__isnull=False)
    )


def unconfirmed_accounts(now: dt.datetime) -> QuerySet[User]:
    """Signed up more than RETENTION_UNCONFIRMED_ACCOUNT_DAYS days ago, never confirmed an
    address and never logged in. Accounts given a group (a role) were made on purpose: kept."""
    cutoff = now - dt.timedelta(days=settings.RETENTION_UNCONFIRMED_ACCOUNT_DAYS)
    return (
        _ordinary_members()
        .filter(last_login__isnull=True, date_joined__lt=cutoff)
        .exclude(_verified_address())
        .exclude(groups__isnull=False)
    )


def _relations_that_outlive_the_user() -> list[tuple[type[models.Model], str]]:
    """Every foreign key to the user that a `user.delete()` would not cascade (SET_NULL,
    PROTECT, DO_NOTHING …): rows there are the member's traces on the site, such as
    contributions and comments, found for every model, also ones added later."""
    found = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                field.concrete
                and field.is_relation
                and (field.many_to_one or field.one_to_one)
                and field.related_model is User
                and field.model is model  # a child page's owner is its Page's
                and getattr(field.remote_field, "on_delete", None) is not models.CASCADE
            ):
                found.append((model, field.name))
    return found


def _has_traces(user: User, relations: list[tuple[type[models.Model], str]]) -> bool:
    return any(model._base_manager.filter(**{name: user}).exists() for model, name in relations)


def unconfirmed_accounts_delete(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Delete the accounts `unconfirmed_accounts` finds, each in its own transaction.

    Such a member never got past the confirmation mail, so normally nothing points at them
    and the row goes entirely. One that left traces anyway (made by hand, say) goes through
    `account_delete`, as if they deleted it themselves, so the site keeps its shape.
    """
    now = _now(now)
    relations = _relations_that_outlive_the_user()
    counts = {"deleted": 0, "anonymised": 0, "failed": 0}
    for pk in list(unconfirmed_accounts(now).order_by("pk").values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                # Again under the row lock: confirmed or logged in meanwhile, or another run
                # has it, and it is left alone.
                user = (
                    unconfirmed_accounts(now).select_for_update(skip_locked=True).filter(pk=pk)
                ).first()
                if user is None:
                    continue
                if _has_traces(user, relations):
                    account_delete(user=user, delete_content=False)
                    counts["anonymised"] += 1
                else:
                    user.delete()
                    counts["deleted"] += 1
        except Exception:
            logger.exception("retention: unconfirmed account %s could not be deleted", pk)
            counts["failed"] += 1
    if any(counts.values()):
        logger.info("retention: unconfirmed accounts %s", counts)
    return counts


def inactive_accounts(now: dt.datetime) -> QuerySet[User]:
    """Members who did not log in for RETENTION_INACTIVE_ACCOUNT_DAYS days (since they joined,
    if they never did). Unconfirmed accounts are the other job's."""
    cutoff = now - dt.timedelta(days=settings.RETENTION_INACTIVE_ACCOUNT_DAYS)
    return _ordinary_members().filter(
        _verified_address(),
        Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff),
    )


def inactive_accounts_due(now: dt.datetime) -> QuerySet[User]:
    """Inactive members warned at least RETENTION_INACTIVE_WARNING_DAYS days ago who did not log
    in since (logging in clears the warning; the login time is checked too)."""
    warned_before = now - dt.timedelta(days=settings.RETENTION_INACTIVE_WARNING_DAYS)
    return inactive_accounts(now).filter(
        Q(last_login__isnull=True) | Q(last_login__lt=F("inactivity_warned_at")),
        inactivity_warned_at__lte=warned_before,
    )


def inactivity_deadline(warned_at: dt.datetime) -> dt.datetime:
    """From when an account warned at `warned_at` may be removed."""
    return warned_at + dt.timedelta(days=settings.RETENTION_INACTIVE_WARNING_DAYS)


def inactive_accounts_delete(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Remove the accounts `inactive_accounts_due` finds through `account_delete`: their
    contributions and comments stay under "Verwijderd lid". Each in its own transaction, so
    one that fails (the last host of a community is refused) does not stop the rest."""
    now = _now(now)
    counts = {"deleted": 0, "refused": 0, "failed": 0}
    for pk in list(inactive_accounts_due(now).order_by("pk").values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                user = (
                    inactive_accounts_due(now).select_for_update(skip_locked=True).filter(pk=pk)
                ).first()
                if user is None:
                    continue  # Logged in meanwhile, or another run has it.
                account_delete(user=user, delete_content=False)
                counts["deleted"] += 1
        except ValidationError:
            # The last host of a community: a librarian has to appoint another one first.
            logger.warning("retention: inactive account %s is the last host; kept", pk)
            counts["refused"] += 1
        except Exception:
            logger.exception("retention: inactive account %s could not be deleted", pk)
            counts["failed"] += 1
    if any(counts.values()):
        logger.info("retention: inactive accounts %s", counts)
    return counts


def inactive_accounts_warn(
    *, now: dt.datetime | None = None, limit: int = INACTIVE_WARNINGS_PER_RUN
) -> dict[str, int]:
    """Mail inactive members, once, that their account will be removed.

    Each warning is claimed and sent in one transaction: the row lock (skip_locked) keeps
    another run off it, the conditional UPDATE records it, and a failed send rolls the record
    back so the next run tries again; the account is never removed without a warning on record.
    An address that refuses all mail (blocked in the notifications app) gets the warning on
    record without a mail: a mail could not reach it either.
    """
    from notifications.selectors import mail_blocked

    from .mail import inactivity_warning_message

    now = _now(now)
    counts = {"warned": 0, "unreachable": 0, "failed": 0}
    pending = inactive_accounts(now).filter(inactivity_warned_at__isnull=True)
    connection = get_connection()
    try:
        for pk in list(pending.order_by("pk").values_list("pk", flat=True)[:limit]):
            try:
                with transaction.atomic():
                    user = pending.select_for_update(skip_locked=True).filter(pk=pk).first()
                    if user is None or not pending.filter(pk=pk).update(inactivity_warned_at=now):
                        continue  # Another run warned them, or they logged in meanwhile.
                    user.inactivity_warned_at = now
                    if mail_blocked(user.email):
                        counts["unreachable"] += 1
                        continue
                    inactivity_warning_message(user, connection=connection).send()
                    counts["warned"] += 1
            except SoftTimeLimitExceeded:
                # This warning rolled back; the next run goes on from here.
                logger.warning("retention: inactivity warnings stopped at the time limit")
                break
            except Exception:
                logger.exception("retention: the inactivity warning to %s failed", pk)
                counts["failed"] += 1
    finally:
        connection.close()
    if any(counts.values()):
        logger.info("retention: inactivity warnings %s", counts)
    return counts


def inactive_accounts_run(*, now: dt.datetime | None = None) -> dict[str, int]:
    """The inactive-accounts job: remove who is due, then warn who is new. Off
    (RETENTION_INACTIVE_ACCOUNT_DAYS = 0): nothing is removed, and warnings standing from when
    it was on are withdrawn, so switching it on later never removes anyone unwarned."""
    now = _now(now)
    if not settings.RETENTION_INACTIVE_ACCOUNT_DAYS:
        withdrawn = User.objects.filter(inactivity_warned_at__isnull=False).update(
            inactivity_warned_at=None
        )
        return {"withdrawn": withdrawn}
    return {**inactive_accounts_delete(now=now), **inactive_accounts_warn(now=now)}


def inactivity_warning_clear(*, user: User) -> None:
    """The member logged in: their account stays, and a later warning starts afresh."""
    User.objects.filter(pk=user.pk, inactivity_warned_at__isnull=False).update(
        inactivity_warned_at=None
    )
    user.inactivity_warned_at = None
