"""Django's Redis cache, made so that Redis being away cannot take the site down with it.

Everything KennisCloud keeps in the cache can be rebuilt or done without: whole pages for
anonymous visitors (`cache.py`), Wagtail's site root paths, rendition lookups. So when Redis
cannot be reached (refused, reset, or no answer within the socket timeouts of `OPTIONS`), an
operation answers as if the cache were empty: a read is a miss, a write does nothing. One warning
line is logged when an outage starts, one info line when Redis answers again. After a failure
this process leaves Redis alone for `RETRY_AFTER` seconds (a small circuit breaker), so a dead
server costs one failed connection every few seconds per process, not a timeout on every call.

One exception: allauth keeps security state in the cache, namely the login rate limits (the
lock-out after wrong passwords) and the TOTP codes already used once. Answering those as "empty"
would switch the lock-out off for as long as Redis is down, and answering "locked" would keep
everyone out. During an outage they live in this process's own memory instead: logging in keeps
working, and the limits still hold per process (with N web processes an attacker gets at most N
times the allowance until Redis is back). The same goes for the limits on posting
(kenniscloud/common/ratelimit.py). See "When Redis or the mail server is down" in the README.

Other errors (a full Redis, a wrong password, a value that cannot be pickled) are not outages
and raise as before.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.dispatch import Signal
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

OUTAGE_ERRORS = (RedisConnectionError, RedisTimeoutError)
# Keys whose operations fall back to local memory during an outage (see the module docstring):
# allauth's rate limits ("allauth:rl:…") and used TOTP codes ("allauth.mfa.totp.used?…"), and
# the posting limits (kenniscloud/common/ratelimit.py, "ratelimit:…").
LOCAL_FALLBACK_PREFIXES = ("allauth", "ratelimit")

# Sent in the process that sees Redis answer again after an outage it noticed, before the
# operation that found out is answered. Writes in between could not tell the cache.
cache_reachable_again = Signal()

# Per process, per Redis location: until when (time.monotonic()) Redis is not tried again.
_down_until: dict[str, float] = {}


class _Unavailable(Exception):
    """Redis was not asked: it failed a moment ago."""


class FailSoftRedisCache(RedisCache):
    """`RedisCache` whose operations degrade to "no cache" while Redis cannot be reached.

    `OPTIONS` takes `RETRY_AFTER` (seconds, default 5) besides the options of redis-py's
    connection pool; set `socket_connect_timeout` and `socket_timeout` there, redis-py's own
    default is 5 seconds each.

    `answered_without_redis` tells whether the last operation of this instance (one per thread,
    as Django keeps them) was answered without Redis, for callers that must not mistake a miss
    for the truth (the page cache must not store under a generation it could not read).
    """

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self.retry_after = float(options.pop("RETRY_AFTER", 5))
        super().__init__(server, {**params, "OPTIONS": options})
        self._location = ",".join(self._servers)
        # Room for every address and account guessing at once: an evicted counter is a reset.
        self._local = LocMemCache(
            f"kenniscloud-redis-fallback:{self._location}",
            {"TIMEOUT": None, "OPTIONS": {"MAX_ENTRIES": 50_000}},
        )
        self.answered_without_redis = False

    # --- the circuit breaker ----------------------------------------------------------------

    def _call(self, operation: str, *args, **kwargs) -> Any:
        """`operation` of RedisCache, or `_Unavailable` when Redis is (or just went) away."""
        down_until = _down_until.get(self._location)
        if down_until is not None:
            if down_until > time.monotonic():
                raise _Unavailable
            # Back-off over: one PING decides whether Redis is back, before anything is read
            # from it, so that whoever must know (the page cache) hears it first.
            self._guard(self._cache.get_client(write=True).ping)
            if _down_until.pop(self._location, None) is not None:  # not another thread first
                logger.info("Redis cache reachable again")
                cache_reachable_again.send(sender=type(self), location=self._location)
        return self._guard(getattr(super(), operation), *args, **kwargs)

    def _guard(self, function, *args, **kwargs) -> Any:
        try:
            return function(*args, **kwargs)
        except OUTAGE_ERRORS as error:
            if self._location not in _down_until:
                logger.warning(
                    "Redis cache unreachable (%s: %s); answering without the cache, "
                    "next try in %ss",
                    type(error).__name__,
                    error,
                    self.retry_after,
                )
            _down_until[self._location] = time.monotonic() + self.retry_after
            raise _Unavailable from error

    def _fail_soft(self, operation: str, keys, miss: Any, *args, **kwargs) -> Any:
        self.answered_without_redis = False
        try:
            return self._call(operation, *args, **kwargs)
        except _Unavailable:
            self.answered_without_redis = True
            if keys and all(str(key).startswith(LOCAL_FALLBACK_PREFIXES) for key in keys):
                return getattr(self._local, operation)(*args, **kwargs)
            return miss

    def is_reachable(self) -> bool:
        """Ask Redis itself, past the circuit breaker: for readiness checks."""
        try:
            return bool(self._cache.get_client(write=True).ping())
        except OUTAGE_ERRORS:
            return False

    # --- the cache API: a miss or a no-op when Redis is away --------------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # Not added: whoever uses add() as a lock must not think it holds one.
        return self._fail_soft("add", [key], False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._fail_soft("get", [key], default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._fail_soft("set", [key], None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._fail_soft("touch", [key], False, key, timeout, version)

    def delete(self, key, version=None):
        return self._fail_soft("delete", [key], False, key, version)

    def get_many(self, keys, version=None):
        keys = list(keys)
        return self._fail_soft("get_many", keys, {}, keys, version)

    def has_key(self, key, version=None):
        return self._fail_soft("has_key", [key], False, key, version)

    def incr(self, key, delta=1, version=None):
        self.answered_without_redis = False
        try:
            return self._call("incr", key, delta, version)
        except _Unavailable:
            self.answered_without_redis = True
            if str(key).startswith(LOCAL_FALLBACK_PREFIXES):
                return self._local.incr(key, delta, version)
            # What incr() says of a key that is not there.
            raise ValueError(f"Key '{key}' not found (the cache is unreachable)") from None

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Not stored: every key failed.
        return self._fail_soft("set_many", list(data), list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        keys = list(keys)
        return self._fail_soft("delete_many", keys, None, keys, version)

    def clear(self):
        return self._fail_soft("clear", [], False)
