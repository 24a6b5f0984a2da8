"""sitemap.xml is served from the anonymous page cache, and a new public contribution shows in
it on the very next request (the cache's generation bump)."""

from __future__ import annotations

import pytest

from kenniscloud.common.middleware import HEADER
from tests.knowledge.factories import ContributionFactory
from tests.test_cache import page_cache  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_sitemap_is_cached_and_follows_changes(client, site, page_cache):  # noqa: F811
    section = "/sitemap-bijdragen.xml"
    first = client.get(section)
    assert first[HEADER] == "miss"
    assert client.get(section)[HEADER] == "hit"
    assert client.get("/sitemap.xml")[HEADER] == "miss"

    new = ContributionFactory(community=site["public"], title="Nieuw")
    again = client.get(section)
    assert again[HEADER] == "miss"
    assert new.get_absolute_url() in again.content.decode()
