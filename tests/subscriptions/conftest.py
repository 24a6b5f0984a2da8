import uuid

import pytest

from subscriptions import services


@pytest.fixture(autouse=True)
def _fresh_request_limits(monkeypatch):
    """The request counters live in the cache, which outlives a test (as the posting limits,
    tests/conftest.py): each test counts under keys of its own."""
    monkeypatch.setattr(services, "KEY_PREFIX", f"allauth:rl:theme-follow-test-{uuid.uuid4().hex}")
