"""Rate limits on what members write: a pause between two posts, daily caps, first-day caps.

Issue 11: 30 contributions in 2 seconds were all stored. Every write service a member uses for
posting calls `throttle(user, action)` after its own checks, right before it stores anything;
`throttle` either charges the member's budget or raises `RateLimited` and nothing is stored.
The services are the one door (site views, a future API, reply mail), so the limits hold on all
of them; the admins do not go through them and need none.

The limits are settings (`RATE_LIMITS`, one dict per action; see settings/base.py) with
Discourse's numbers as the model: a pause between two posts (`interval`), a longer one for new
members (`new_member_interval`; "new" is an account younger than `RATE_LIMITS_NEW_MEMBER_DAYS`
days), a cap per calendar day in Europe/Amsterdam (`per_day`) and a cap for the first 24 hours
of an account (`first_day`). An action or a rule that is missing or 0 does not limit.

Where the counts live, and why there. In the cache: Redis in production, shared by every web
process; local memory on the embedded default, which is one process. Each rule is settled by
operations Redis does atomically, not by reading and then writing:

- caps: `cache.add(key, 0)` then `cache.incr(key)`. Of 30 requests at once, exactly those that
  got 1..cap from INCR pass, whatever the interleaving. A charge is made only after everything
  else about the post was checked, so a refused post does not use up the day.
- the pause: the key holds the moment of the last accepted post; the request that may follow
  it is the one whose `cache.add` of "<key>:<that moment>" succeeds. Only one can, so of 30
  requests at once exactly one passes (a compare-and-set built from ADD, which Django's cache
  API offers everywhere; see `_claim_interval`).

Why not count stored rows under a lock on the member's row instead: appreciations are deleted
when withdrawn and declined meetup proposals are deleted, so a count of rows would let someone
appreciate and withdraw without end; a counter counts what was done. (The posting services do
lock the member's row as well, for the duplicate check, which must compare with what is
stored: knowledge.posting.)

Time is `timezone.now()`, stored in the values and compared there; the cache's expiry only
clears old keys away. Tests move the clock (tests/clock.py) and the limits follow.

When Redis is away: the keys start with "ratelimit", one of the prefixes the fail-soft Redis
cache (common/redis_cache.py) then keeps in the process's own memory, as it does for the login
limits. So posting keeps working during an outage (failing closed would stop everyone) and the
limits still hold within each web process, at most N times as lax with N processes (failing
open would let a flood through); the cache logs the outage once. The duplicate check does not
depend on Redis at all.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

KEY_PREFIX = "ratelimit:v1"
FIRST_DAY = dt.timedelta(days=1)
# How long a pause key outlives its pause. Its expiry only clears it away; the stored moment
# decides. (The one race left: a key that expires between two requests' reads. A day of quiet
# first, so at most one extra post, never a flood.)
KEY_SLACK_SECONDS = 24 * 3600

DEFAULT_NEW_MEMBER_DAYS = 3

_exempt: ContextVar[bool] = ContextVar("ratelimit_exempt", default=False)


@contextlib.contextmanager
def exempt() -> Iterator[None]:
    """No posting limits inside (rate limits, duplicates, links): for the site writing in bulk
    on its own behalf, such as `load_demo`, never for anything a member sends."""
    token = _exempt.set(True)
    try:
        yield
    finally:
        _exempt.reset(token)


def is_exempt() -> bool:
    return _exempt.get()


class RateLimited(ValidationError):
    """A post refused by a rate limit. `retry_after` is in whole seconds (at least 1).

    A `ValidationError`, so a door that shows validation errors next to its form already says
    why and stores nothing; the site's views also answer 429 with Retry-After
    (`rate_limited_response`).
    """

    def __init__(self, message: str, *, retry_after: float, action: str, rule: str) -> None:
        super().__init__(message, code="rate_limited")
        self.retry_after = max(1, math.ceil(retry_after))
        self.action = action
        self.rule = rule  # "interval", "per_day" or "first_day"


@dataclass(frozen=True)
class Limits:
    interval: int = 0
    new_member_interval: int = 0
    per_day: int = 0
    first_day: int = 0


def limits_for(action: str) -> Limits:
    return Limits(**getattr(settings, "RATE_LIMITS", {}).get(action, {}))


def new_member_days() -> int:
    return int(getattr(settings, "RATE_LIMITS_NEW_MEMBER_DAYS", DEFAULT_NEW_MEMBER_DAYS))


def is_new_member(user, moment: dt.datetime | None = None) -> bool:
    """An account younger than RATE_LIMITS_NEW_MEMBER_DAYS days. Staff are vetted by whoever
    gave them access, and are never "new"."""
    if user.is_staff:
        return False
    moment = moment or timezone.now()
    return user.date_joined > moment - dt.timedelta(days=new_member_days())


def _in_first_day(user, moment: dt.datetime) -> bool:
    return user.date_joined > moment - FIRST_DAY


def _key(action: str, user, *parts: str) -> str:
    return ":".join((KEY_PREFIX, action, str(user.pk), *parts))


def throttle(user, action: str, *, moment: dt.datetime | None = None) -> None:
    """Charge one `action` to `user`, or raise `RateLimited` (and charge nothing).

    Call it last, after every other check of the post, just before storing: a post refused for
    another reason must not use up the member's budget. A failed write after this call costs
    one from the budget; callers run inside the transaction that stores the post.
    """
    if is_exempt():
        return
    limits = limits_for(action)
    moment = moment or timezone.now()
    day_key = _key(action, user, "day", timezone.localdate(moment).isoformat())
    first_key = _key(action, user, "first-day")
    first_day = limits.first_day and _in_first_day(user, moment)
    # Already at a cap: say so at once, without taking the pause (cheap reads; the INCRs
    # below settle races).
    if limits.per_day and (cache.get(day_key) or 0) >= limits.per_day:
        raise _over_day_cap(action, limits.per_day, moment)
    if first_day and (cache.get(first_key) or 0) >= limits.first_day:
        raise _over_first_day_cap(action, limits.first_day, user, moment)
    interval = limits.interval
    if limits.new_member_interval and is_new_member(user, moment):
        interval = max(interval, limits.new_member_interval)
    if interval:
        wait = _claim_interval(_key(action, user, "last"), moment, interval)
        if wait is not None:
            raise RateLimited(
                _interval_message(action, wait), retry_after=wait, action=action, rule="interval"
            )
    if limits.per_day and count_up(day_key, timeout=2 * 24 * 3600) > limits.per_day:
        raise _over_day_cap(action, limits.per_day, moment)
    if first_day and count_up(first_key, timeout=2 * 24 * 3600) > limits.first_day:
        raise _over_first_day_cap(action, limits.first_day, user, moment)


def count_up(key: str, *, timeout: int) -> int:
    """Add one to the counter at `key` and return the new value (atomic in Redis and locmem)."""
    for _attempt in range(2):
        cache.add(key, 0, timeout=timeout)
        try:
            return cache.incr(key)
        except ValueError:
            continue  # evicted between add and incr: start it again
    # No cache at all (DummyCache): nothing to count in, so nothing is limited.
    return 0


def _claim_interval(key: str, moment: dt.datetime, interval: int) -> float | None:
    """Claim the right to post now, or return how many seconds are left of the pause.

    `key` holds the moment (in ms) of the last accepted post, 0 when there is none. Whoever
    adds "<key>:<that moment>" first follows that post; everyone else reading the same moment
    loses and waits. The claim key expires no later than `key`, so "0" is free again once
    `key` is gone.
    """
    now_ms = int(moment.timestamp() * 1000)
    timeout = interval + KEY_SLACK_SECONDS
    last_ms = cache.get(key) or 0
    wait = _seconds_left(last_ms, now_ms, interval)
    if wait is not None:
        return wait
    if cache.add(f"{key}:{last_ms}", 1, timeout=timeout):
        cache.set(key, now_ms, timeout=timeout)
        return None
    # Someone else followed `last_ms` a moment ago: the pause runs from their post.
    return _seconds_left(cache.get(key) or now_ms, now_ms, interval) or float(interval)


def _seconds_left(last_ms: int, now_ms: int, interval: int) -> float | None:
    left = (last_ms + interval * 1000 - now_ms) / 1000
    # A clock a little behind another process's never makes the wait longer than the pause.
    return min(left, float(interval)) if left > 0 else None


# --- What the member reads --------------------------------------------------------------------


def wait_text(seconds: float) -> str:
    """ "12 seconden", "2 minuten", "5 uur": rounded up, in the largest unit that reads well."""
    seconds = max(1, math.ceil(seconds))
    if seconds < 90:
        return ngettext("%(count)d seconde", "%(count)d seconden", seconds) % {"count": seconds}
    minutes = math.ceil(seconds / 60)
    if minutes < 90:
        return ngettext("%(count)d minuut", "%(count)d minuten", minutes) % {"count": minutes}
    hours = math.ceil(minutes / 60)
    return ngettext("%(count)d uur", "%(count)d uur", hours) % {"count": hours}


def _interval_message(action: str, wait: float) -> str:
    lead = {
        "meetup_proposal": _("Je stelt snel achter elkaar bijeenkomsten voor."),
        "appreciation": _("Je waardeert snel achter elkaar."),
        "report": _("Je meldt snel achter elkaar."),
    }.get(action, _("Je plaatst snel achter elkaar."))
    return lead + " " + _("Probeer het over %(wait)s opnieuw.") % {"wait": wait_text(wait)}


def _day_cap_text(action: str, limit: int) -> str:
    if action == "comment":
        return ngettext(
            "Je hebt vandaag het maximum van %(limit)d reactie bereikt.",
            "Je hebt vandaag het maximum van %(limit)d reacties bereikt.",
            limit,
        ) % {"limit": limit}
    if action == "meetup_proposal":
        return ngettext(
            "Je hebt vandaag het maximum van %(limit)d voorstel voor een bijeenkomst bereikt.",
            "Je hebt vandaag het maximum van %(limit)d voorstellen voor bijeenkomsten bereikt.",
            limit,
        ) % {"limit": limit}
    if action == "appreciation":
        return ngettext(
            "Je hebt vandaag al %(limit)d keer iets gewaardeerd, het maximum voor een dag.",
            "Je hebt vandaag al %(limit)d keer iets gewaardeerd, het maximum voor een dag.",
            limit,
        ) % {"limit": limit}
    if action == "report":
        return ngettext(
            "Je hebt vandaag het maximum van %(limit)d melding bereikt.",
            "Je hebt vandaag het maximum van %(limit)d meldingen bereikt.",
            limit,
        ) % {"limit": limit}
    return ngettext(
        "Je hebt vandaag het maximum van %(limit)d bijdrage bereikt.",
        "Je hebt vandaag het maximum van %(limit)d bijdragen bereikt.",
        limit,
    ) % {"limit": limit}


def _over_day_cap(action: str, limit: int, moment: dt.datetime) -> RateLimited:
    # Until midnight in the site's zone (a DST night has 23 or 25 hours).
    tomorrow = timezone.localdate(moment) + dt.timedelta(days=1)
    midnight = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time()))
    message = _day_cap_text(action, limit) + " " + _("Morgen kan het weer.")
    return RateLimited(
        message, retry_after=(midnight - moment).total_seconds(), action=action, rule="per_day"
    )


def _first_day_cap_text(action: str, limit: int) -> str:
    if action == "comment":
        return ngettext(
            "Op je eerste dag kun je hooguit %(limit)d reactie plaatsen.",
            "Op je eerste dag kun je hooguit %(limit)d reacties plaatsen.",
            limit,
        ) % {"limit": limit}
    if action == "meetup_proposal":
        return ngettext(
            "Op je eerste dag kun je hooguit %(limit)d bijeenkomst voorstellen.",
            "Op je eerste dag kun je hooguit %(limit)d bijeenkomsten voorstellen.",
            limit,
        ) % {"limit": limit}
    return ngettext(
        "Op je eerste dag kun je hooguit %(limit)d bijdrage plaatsen.",
        "Op je eerste dag kun je hooguit %(limit)d bijdragen plaatsen.",
        limit,
    ) % {"limit": limit}


def _over_first_day_cap(action: str, limit: int, user, moment: dt.datetime) -> RateLimited:
    wait = (user.date_joined + FIRST_DAY - moment).total_seconds()
    message = (
        _first_day_cap_text(action, limit)
        + " "
        + _("Probeer het over %(wait)s opnieuw.") % {"wait": wait_text(wait)}
    )
    return RateLimited(message, retry_after=wait, action=action, rule="first_day")


# --- The answer on the site -------------------------------------------------------------------


def rate_limited_response(response: HttpResponse, error: RateLimited | None) -> HttpResponse:
    """Make `response` (the form again, with what the member typed and the message) a 429
    Too Many Requests with Retry-After, when `error` says a limit refused the post."""
    if error is not None:
        response.status_code = 429
        response["Retry-After"] = str(error.retry_after)
    return response
