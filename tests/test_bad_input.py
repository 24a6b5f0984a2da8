"""A NUL character anywhere a visitor can put one is bad input: 400 with a page in the site's
design, before any view, form, admin filter or database query sees it."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import Client

from knowledge.models import Contribution
from tests.html import page_text

pytestmark = pytest.mark.django_db

HEADING = "Dit kunnen we niet verwerken"

NUL_URLS = [
    "/artikelen/?thema=%00",
    "/bijdragen/nieuw/?gemeenschap=%00",
    "/bijeenkomsten/nieuw/?gemeenschap=%00",
    "/bijeenkomsten/?thema=%00",
    "/themas/?q=%00",
    "/gemeenschappen/?q=a%00b",
    "/themas/?%00=1",
    "/artikelen/%00/",
    "/bijdragen/%00/",
    "/cms/pages/?q=%00",
    "/cms/snippets/knowledge/contribution/?community=%00",
    "/django-admin/communities/user/?q=%00",
    "/django-admin/communities/user/?is_staff__exact=%00",
]


@pytest.fixture
def staff_client(admin_user):
    client = Client()
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize("url", NUL_URLS)
def test_a_nul_in_the_address_is_a_bad_request(staff_client, url):
    response = staff_client.get(url)

    assert response.status_code == 400, url
    assert HEADING in page_text(response)
    assert "Naar de startpagina" in page_text(response)


def test_a_raw_nul_in_the_query_string_is_a_bad_request(client):
    response = client.get("/themas/", QUERY_STRING="q=\x00")

    assert response.status_code == 400


def test_the_page_speaks_the_language_of_the_address(client):
    response = client.get("/en/themas/?q=%00")

    assert response.status_code == 400
    assert 'lang="en"' in response.content.decode()


def test_a_nul_in_a_cookie_is_a_bad_request(client):
    client.cookies[django_settings.SESSION_COOKIE_NAME] = "abcdefgh\x00ijkl"

    assert client.get("/").status_code == 400


def _contribution_data(community, **overrides) -> dict:
    data = {
        "gemeenschap": community.slug,
        "kind": "question",
        "title": "Wie deelt een warmtecamera?",
        "body": "Voor de hele straat.",
        "source_url": "",
        "tags": "warmtecamera",
    }
    return {**data, **overrides}


@pytest.mark.parametrize("field", ["title", "body", "gemeenschap", "tags"])
@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
def test_a_nul_in_a_posted_form_is_a_bad_request_and_stores_nothing(
    client, community, membership, field, encoding
):
    client.force_login(membership.user)
    data = _contribution_data(community, **{field: "Wie deelt\x00 een warmtecamera?"})
    if encoding == "urlencoded":
        from urllib.parse import urlencode

        response = client.post(
            "/bijdragen/nieuw/", urlencode(data), content_type="application/x-www-form-urlencoded"
        )
    else:
        response = client.post("/bijdragen/nieuw/", data)

    assert response.status_code == 400
    assert HEADING in page_text(response)
    assert not Contribution.objects.exists()


def test_requests_without_a_nul_are_untouched(client, community, membership, theme):
    for url in ["/", "/themas/?q=isolatie", f"/bijdragen/nieuw/?gemeenschap={community.slug}"]:
        anonymous_or_member = Client()
        anonymous_or_member.force_login(membership.user)
        assert anonymous_or_member.get(url).status_code == 200, url
    client.force_login(membership.user)

    response = client.post("/bijdragen/nieuw/", _contribution_data(community))

    assert response.status_code == 302
    assert Contribution.objects.get().title == "Wie deelt een warmtecamera?"


@pytest.mark.postgres
@pytest.mark.parametrize(
    "url",
    [
        "/artikelen/?thema=%00",
        "/bijdragen/nieuw/?gemeenschap=%00",
        "/bijeenkomsten/nieuw/?gemeenschap=%00",
    ],
)
def test_without_the_middleware_postgresql_turns_a_nul_into_a_500(settings, membership, url):
    """What the middleware prevents: the views pass the value on and PostgreSQL refuses it."""
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if m != "kenniscloud.common.bad_input.RejectNulMiddleware"
    ]
    client = Client(raise_request_exception=False)
    client.force_login(membership.user)

    assert client.get(url).status_code == 500


def test_django_own_bad_requests_get_the_same_page(settings, client):
    """handler400: a request for a host the site does not serve, say."""
    settings.ALLOWED_HOSTS = ["kenniscloud.example.org"]

    response = client.get("/", HTTP_HOST="elders.example.org")

    assert response.status_code == 400
    assert HEADING in page_text(response)
