"""Sending digests: each member gets each period's digest once, also when workers die.

The protocol, per `DigestDelivery` row (created pending by the planner):

1. Claim, in a short transaction: lock the row (`SELECT … FOR UPDATE SKIP LOCKED`), raise
   `attempts`, set state `sending`, commit. A row that is locked belongs to a live sender; one
   that is sent, skipped or failed is done. Either way: nothing to do.
2. Send, in a second transaction that locks the row again (only if `attempts` is still ours) and
   holds the lock during SMTP; after SMTP accepted the message, mark it `sent` and commit. Each
   message commits on its own, and a batch talks over one SMTP connection (opened once, closed
   at the end), so the only step between the server's 250 and our COMMIT is the COMMIT itself.

A batch first leases its open rows (`claimed_at` = now). A worker killed with SIGKILL loses its
database connection, so PostgreSQL drops the lock and rolls back: the row in flight is
`sending`, unlocked; the rest of its batch is pending. The beat sweep
(`services.digest_requeue_stale`, every 2 minutes) re-queues open rows that no live sender holds
and whose lease is older than `CLAIM_STALE_AFTER`; Redis' visibility timeout brings the batch's
own message back about as soon. Is a `sending`, unlocked row a mail that was sent or not? It died
either while talking to the SMTP server (the mail did not go out) or in the instant between
SMTP's 250 and our COMMIT (it did). We resend it: at least once, not at most once, and at most
one duplicate per worker process killed, the message it had in flight. The duplicate carries the
same Message-ID (`mail.digest_message_id`), so many mail clients fold it. `MAX_ATTEMPTS` bounds
the resends, so a digest that kills its worker every time (a poison message) ends as `failed`.

`EMAIL_TIMEOUT` bounds every wait on the mail server, and the batch task's time limits bound the
batch: a server that accepts and then stays silent cannot hold a row lock for ever.

Temporary SMTP trouble (disconnects, refused connections, 4xx) puts the row back to pending and
retries it with exponential backoff up to `MAX_ATTEMPTS`; a permanent refusal of the recipient
(5xx) fails the row and counts against the address (`MailAddressStatus`), which is blocked after
`MailAddressStatus.BLOCK_AFTER` such failures in a row.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import smtplib
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

from .digest import DigestBuilder
from .mail import DigestRenderer
from .models import DigestDelivery, MailAddressStatus
from .periods import Period
from .selectors import digest_recipients

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
RETRY_BASE_SECONDS = 60
# Retries are queued with a countdown; Redis hands out a waiting message again after the
# visibility timeout (5 minutes), so a countdown must stay below it, jitter included.
RETRY_MAX_SECONDS = 4 * 60
# Time limits of one batch task (200 digests take about 10 s at 50 ms per message); below the
# broker's visibility timeout, so a running batch is never handed out twice.
BATCH_SOFT_TIME_LIMIT = 150
BATCH_TIME_LIMIT = 180
# A lease or claim older than this belongs to a sender that is gone: longer than a batch may run
# and than a queued retry may wait. The sweep re-queues such rows.
CLAIM_STALE_AFTER = dt.timedelta(minutes=5)
State = DigestDelivery.State


# --- SMTP errors ---------------------------------------------------------------------------


TEMPORARY = "temporary"  # try this recipient again later
CONNECTION = "connection"  # the server is the problem: stop the batch, try all again later
PERMANENT = "permanent"  # this message will never go through
REFUSED = "refused"  # permanent, and the recipient's address is the reason


def classify_smtp_error(error: Exception) -> str | None:
    """What a failed send means for the delivery; None for errors that are not about mail."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in error.recipients.values()]
        return REFUSED if codes and all(500 <= c < 600 for c in codes) else TEMPORARY
    if isinstance(error, smtplib.SMTPResponseException):  # sender refused, data error, …
        return PERMANENT if 500 <= error.smtp_code < 600 else TEMPORARY
    if isinstance(error, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return CONNECTION
    if isinstance(error, smtplib.SMTPException):
        return TEMPORARY
    if isinstance(error, OSError):  # refused, reset, timed out, name resolution
        return CONNECTION
    return None


def retry_countdown(attempts: int) -> int:
    """Exponential backoff with jitter: about 1, 2, 4, 8 … minutes, at most an hour."""
    base = min(RETRY_MAX_SECONDS, RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0))
    return int(base * random.uniform(0.8, 1.2))


# --- one delivery ---------------------------------------------------------------------------


def _claim(delivery_id: int) -> int | None:
    """Step 1: the attempt number that is ours now, or None when there is nothing to send."""
    with transaction.atomic():
        delivery = (
            DigestDelivery.objects.select_for_update(skip_locked=True)
            .filter(pk=delivery_id, state__in=DigestDelivery.OPEN_STATES)
            .first()
        )
        if delivery is None:
            return None  # done, gone, or a live sender holds it
        if delivery.attempts >= MAX_ATTEMPTS:
            delivery.state = State.FAILED
            delivery.finished_at = timezone.now()
            delivery.last_error = (
                f"gave up after {delivery.attempts} attempts. {delivery.last_error}"
            )
            delivery.save(update_fields=["state", "finished_at", "last_error"])
            logger.error("digest delivery %s: gave up after %s attempts", delivery_id, MAX_ATTEMPTS)
            return None
        if delivery.state == State.SENDING:
            logger.warning(
                "digest delivery %s: attempt %s died while sending; sending again",
                delivery_id,
                delivery.attempts,
            )
        delivery.state = State.SENDING
        delivery.attempts += 1  # we hold the row lock
        delivery.claimed_at = timezone.now()
        delivery.save(update_fields=["state", "attempts", "claimed_at"])
        return delivery.attempts


def _mark(delivery_id: int, attempt: int, state: str, error: str = "") -> None:
    DigestDelivery.objects.filter(pk=delivery_id, state=State.SENDING, attempts=attempt).update(
        state=state,
        last_error=error[:2000],
        finished_at=timezone.now() if state != State.PENDING else None,
    )


@dataclass
class Sent:
    outcome: str  # sent | busy | retry | failed | connection
    attempts: int = 0


def delivery_send(*, delivery_id: int, message, connection) -> Sent:
    """Send one claimed-or-claimable delivery under the protocol above."""
    attempt = _claim(delivery_id)
    if attempt is None:
        return Sent("busy")
    try:
        with transaction.atomic():
            held = (
                DigestDelivery.objects.select_for_update(skip_locked=True)
                .filter(pk=delivery_id, state=State.SENDING, attempts=attempt)
                .values_list("pk", flat=True)
            )
            if not list(held):
                return Sent("busy")  # another sender claimed it after our step 1
            connection.open()  # once per batch: an open connection stays open
            connection.send_messages([message])
            DigestDelivery.objects.filter(pk=delivery_id).update(
                state=State.SENT, finished_at=timezone.now(), last_error=""
            )
        return Sent("sent", attempt)
    except Exception as error:
        kind = classify_smtp_error(error)
        if kind is None:
            raise  # not about mail: leave the row sending, the sweeper retries it
        _close_quietly(connection)
        return _after_failure(delivery_id, attempt, kind, error, message.to[0])


def _after_failure(delivery_id: int, attempt: int, kind: str, error: Exception, to: str) -> Sent:
    description = f"{type(error).__name__}: {error}"
    if kind in (PERMANENT, REFUSED):
        _mark(delivery_id, attempt, State.FAILED, description)
        if kind == REFUSED:
            address_record_failure(email=to, error=description)
        logger.warning("digest delivery %s failed for good: %s", delivery_id, description)
        return Sent("failed", attempt)
    if attempt >= MAX_ATTEMPTS:
        _mark(delivery_id, attempt, State.FAILED, f"gave up: {description}")
        return Sent("failed", attempt)
    _mark(delivery_id, attempt, State.PENDING, description)
    logger.info("digest delivery %s: temporary failure, retrying: %s", delivery_id, description)
    return Sent("connection" if kind == CONNECTION else "retry", attempt)


def _close_quietly(connection) -> None:
    try:
        connection.close()
    except Exception:  # a broken connection may fail to close; the next send reopens it
        logger.debug("closing the mail connection failed", exc_info=True)


@transaction.atomic
def address_record_failure(*, email: str, error: str) -> MailAddressStatus:
    """Count a permanent refusal of `email`; block it after BLOCK_AFTER in a row."""
    status, _created = MailAddressStatus.objects.select_for_update().get_or_create(
        email=email.lower()
    )
    status.permanent_failures += 1
    status.last_error = error[:2000]
    status.last_failed_at = timezone.now()
    if status.permanent_failures >= MailAddressStatus.BLOCK_AFTER and not status.is_blocked:
        status.blocked_at = status.last_failed_at
        logger.warning("blocked mail to %s after %s refusals", email, status.permanent_failures)
    status.save()
    return status


# --- a batch --------------------------------------------------------------------------------


@dataclass
class BatchResult:
    sent: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    busy: list[int] = field(default_factory=list)
    # delivery id -> attempts so far, for the backoff of the retry
    retry: dict[int, int] = field(default_factory=dict)

    def retry_groups(self) -> dict[int, list[int]]:
        """Countdown in seconds -> delivery ids to queue again."""
        groups: dict[int, list[int]] = defaultdict(list)
        for delivery_id, attempts in sorted(self.retry.items()):
            groups[retry_countdown(attempts)].append(delivery_id)
        return dict(groups)


def _skip(ids: list[int], reason: str) -> None:
    if ids:
        # Conditional: a row a live sender holds is waited for, then no longer matches.
        DigestDelivery.objects.filter(pk__in=ids, state__in=DigestDelivery.OPEN_STATES).update(
            state=State.SKIPPED, last_error=reason, finished_at=timezone.now()
        )


def _lease(delivery_ids: list[int]) -> list[tuple[int, int, str]]:
    """The open rows of `delivery_ids` that no live sender holds, marked as ours just now."""
    with transaction.atomic():
        rows = list(
            DigestDelivery.objects.select_for_update(skip_locked=True)
            .filter(pk__in=delivery_ids, state__in=DigestDelivery.OPEN_STATES)
            .order_by("pk")
            .values_list("pk", "user_id", "period_key")
        )
        DigestDelivery.objects.filter(pk__in=[pk for pk, *_rest in rows]).update(
            claimed_at=timezone.now()
        )
    return rows


def digest_send_batch(delivery_ids: list[int], *, connection=None) -> BatchResult:
    """Build and send the digests of `delivery_ids` (one period or several) over one SMTP
    connection, committing each message as soon as the server accepted it."""
    result = BatchResult()
    rows = _lease(delivery_ids)
    by_period: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for pk, user_id, period_key in rows:
        by_period[period_key].append((pk, user_id))
    connection = connection or get_connection()
    renderer = DigestRenderer()
    try:
        for period_key, deliveries in by_period.items():
            period = Period.from_key(period_key)
            if not _send_period(period, deliveries, connection, renderer, result):
                break
    finally:
        _close_quietly(connection)
    _reset_failures(result)
    return result


def _send_period(
    period: Period, deliveries, connection, renderer: DigestRenderer, result: BatchResult
) -> bool:
    """False when the mail server is unreachable: the rest of the batch waits for a retry."""
    user_ids = [user_id for _pk, user_id in deliveries]
    eligible = set(
        digest_recipients(period.frequency).filter(pk__in=user_ids).values_list("pk", flat=True)
    )
    digests = DigestBuilder(period).build(eligible)
    eligible &= digests.keys()  # a member deleted in between
    gone = [pk for pk, user_id in deliveries if user_id not in eligible]
    empty = [
        pk for pk, user_id in deliveries if user_id in eligible and not digests[user_id].has_news
    ]
    _skip(gone, "not eligible at send time")
    _skip(empty, "nothing new")
    result.skipped += gone + empty
    todo = [(pk, u) for pk, u in deliveries if u in eligible and digests[u].has_news]
    proven = False  # the current connection delivered a message
    for index, (pk, user_id) in enumerate(todo):
        message = renderer.message(digests[user_id], delivery_id=pk)
        sent = delivery_send(delivery_id=pk, message=message, connection=connection)
        if sent.outcome == "connection" and proven:
            # The server hung up on a connection that worked (a limit of messages per
            # connection, an idle timeout): once more, on a new one.
            proven = False
            sent = delivery_send(delivery_id=pk, message=message, connection=connection)
        if sent.outcome == "connection":
            result.retry[pk] = sent.attempts
            # Unclaimed, so their attempts do not grow: the server is down, not their mail.
            for later_pk, _user in todo[index + 1 :]:
                result.retry.setdefault(later_pk, 1)
            return False
        if sent.outcome == "retry":
            result.retry[pk] = sent.attempts
        else:
            getattr(result, sent.outcome).append(pk)
        proven = proven or sent.outcome == "sent"
    return True


def _reset_failures(result: BatchResult) -> None:
    """A delivered mail proves the address works: failures must be in a row to block it."""
    if not result.sent:
        return
    emails = (
        DigestDelivery.objects.filter(pk__in=result.sent)
        .values_list("user__email", flat=True)
        .distinct()
    )
    MailAddressStatus.objects.filter(
        email__in=[e.lower() for e in emails], permanent_failures__gt=0, blocked_at__isnull=True
    ).update(permanent_failures=0)
