"""The API's rate limit per client: API_RATE_LIMIT requests per window, then 429 with
Retry-After until the window ends.

A fixed window counted in the cache the way kenniscloud/common/ratelimit.py counts (one
`cache.add` then `cache.incr`, atomic in Redis and in local memory), so of many requests at once
exactly the allowed number pass, whichever web process takes them. ninja's own throttles read a
list of moments and write it back, which lets concurrent requests through uncounted.

The client is its address as the login limits see it (allauth's adapter, which honours
KENNISCLOUD_TRUSTED_PROXY_COUNT behind a proxy). The keys start with the posting limits'
prefix, so during a Redis outage the fail-soft cache keeps counting in the process's memory
(kenniscloud/common/redis_cache.py) instead of letting everything through.
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
from dataclasses import dataclass

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.utils import timezone
from ninja.throttling import BaseThrottle

from kenniscloud.common import ratelimit

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


@dataclass(frozen=True)
class Rate:
    requests: int
    seconds: int


def rate_parse(value: str) -> Rate | None:
    """ "120/m", "1000/h", "10/5s"; "" or "0/m" switch the limit off (None)."""
    if not value.strip():
        return None
    match = _RATE.match(value)
    if match is None:
        raise ImproperlyConfigured(
            f"API_RATE_LIMIT={value!r}: expected requests/period, such as 120/m or 1000/h"
        )
    requests, multiple, unit = match.groups()
    if int(requests) == 0:
        return None
    return Rate(int(requests), int(multiple or 1) * _UNITS[unit])


def client_ident(request: HttpRequest) -> str:
    address = get_adapter(request).get_client_ip(request) or "unknown"
    # Hashed: keys in Redis need no addresses in them.
    return "ip:" + hashlib.sha256(address.encode()).hexdigest()[:32]


class ClientRateThrottle(BaseThrottle):
    """One instance serves every request of the API, so the wait of the request at hand is
    kept per thread."""

    def __init__(self) -> None:
        self._local = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        rate = rate_parse(settings.API_RATE_LIMIT)
        if rate is None:
            return True
        now = timezone.now().timestamp()
        window = math.floor(now / rate.seconds)
        self._local.wait = (window + 1) * rate.seconds - now
        key = f"{ratelimit.KEY_PREFIX}:api:{client_ident(request)}:{rate.seconds}:{window}"
        return _count(key, timeout=rate.seconds + 60) <= rate.requests

    def wait(self) -> float | None:
        return max(1.0, getattr(self._local, "wait", 1.0))


def _count(key: str, *, timeout: int) -> int:
    for _attempt in range(2):
        cache.add(key, 0, timeout=timeout)
        try:
            return cache.incr(key)
        except ValueError:
            continue  # evicted between add and incr: start it again
    return 0  # no cache to count in (DummyCache): nothing is limited
