"""A per-visitor budget for the suggestion endpoint: SUGGEST_RATE requests per minute per IP.

A counter in the cache that expires a minute after a visitor's first request: two cache round
trips, where allauth's rate limiter keeps a list of timestamps under a lock (four). The address
comes from allauth's adapter, so it honours `KENNISCLOUD_TRUSTED_PROXY_COUNT` like the login
limits do. The key starts with "allauth", the prefix the fail-soft Redis cache keeps counting in
process memory while Redis is away (kenniscloud/common/redis_cache.py); without any cache the
request is allowed.
"""

from __future__ import annotations

import hashlib

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.http import HttpRequest

SUGGEST_RATE = 60
WINDOW_SECONDS = 60


def suggest_budget_key(ip: str) -> str:
    return "allauth:rl:search-suggest:" + hashlib.sha256(ip.encode()).hexdigest()[:32]


def suggest_allowed(request: HttpRequest) -> bool:
    """Count this request; False once the visitor is past SUGGEST_RATE in the window."""
    key = suggest_budget_key(get_adapter().get_client_ip(request))
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # gone between add and incr, or no cache at all: let it through
        return True
    return count <= SUGGEST_RATE
