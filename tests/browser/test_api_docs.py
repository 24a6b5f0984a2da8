"""The API's docs page (Swagger UI at /api/v1/docs) works in a real browser under the site's
Content-Security-Policy, and asks nothing of any other party."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_docs_page_renders_every_operation_without_third_party_requests(page, live_server):
    requests: list[str] = []
    console: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: console.append(message.text))

    page.goto("/api/v1/docs")
    # Swagger UI has read the OpenAPI document and drawn one block per operation.
    page.locator(".opblock").first.wait_for(state="visible", timeout=30_000)
    assert page.locator(".opblock").count() == 10
    assert page.get_by_text("KennisCloud API").first.is_visible()

    own = urlsplit(live_server.url).netloc
    elsewhere = [
        url
        for url in requests
        if urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc != own
    ]
    assert elsewhere == []
    assert not [text for text in console if "Content Security Policy" in text], console
