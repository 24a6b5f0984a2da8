"""Share links on contributions, articles and meetups: plain links that need no script of
anyone else's, nothing on private content, and the Mastodon step that asks for a server."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings

from tests.communities.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _share_block(response) -> str:
    content = response.content.decode()
    match = re.search(r'<section class="share".*?</section>', content, re.S)
    return match.group(0) if match else ""


def _links(block: str) -> dict[str, str]:
    return {
        text: href.replace("&amp;", "&")
        for href, text in re.findall(r'<a href="([^"]+)" rel="noopener">([^<]+)</a>', block)
    }


def test_public_contribution_has_share_links(client, site):
    contribution = site["contribution"]
    response = client.get(contribution.get_absolute_url())
    block = _share_block(response)
    assert block
    url = settings.SITE_URL + contribution.get_absolute_url()
    links = _links(block)
    mail = urlsplit(links["Per e-mail"])
    assert mail.scheme == "mailto"
    assert parse_qs(mail.query) == {
        "subject": ["Zonnepanelen op een plat dak"],
        "body": [f"Zonnepanelen op een plat dak {url}"],
    }
    assert parse_qs(urlsplit(links["WhatsApp"]).query)["text"] == [
        f"Zonnepanelen op een plat dak {url}"
    ]
    assert links["WhatsApp"].startswith("https://wa.me/?")
    linkedin = urlsplit(links["LinkedIn"])
    assert linkedin.netloc == "www.linkedin.com"
    assert parse_qs(linkedin.query) == {"url": [url]}
    # The copy button waits hidden for the script; the form asks the Mastodon server.
    assert f'data-share-copy="{url}"' in block and "hidden" in block
    assert 'action="/delen/mastodon/"' in block
    assert 'role="status"' in block
    # No script from elsewhere: ours only, the copy button's among them.
    scripts = re.findall(r'<script src="([^"]+)"', response.content.decode())
    assert "/static/js/share.js" in scripts
    assert all(script.startswith("/static/") for script in scripts)


def test_article_and_meetup_have_share_links(client, site):
    assert _share_block(client.get(site["article"].url))
    assert _share_block(client.get(site["meetup"].get_absolute_url()))


def test_private_content_has_no_share_block(client, site):
    MembershipFactory(user=site["author"], community=site["private"])
    client.force_login(site["author"])
    assert _share_block(client.get(site["secret"].get_absolute_url())) == ""
    assert _share_block(client.get(site["private_meetup"].get_absolute_url())) == ""
    # A contribution waiting for approval is no more for sharing than a private one.
    client.force_login(site["pending"].author)
    assert _share_block(client.get(site["pending"].get_absolute_url())) == ""
    # The public one stays shareable for a logged-in member too.
    assert _share_block(client.get(site["contribution"].get_absolute_url()))


def test_mastodon_from_our_page_goes_to_the_server(client):
    response = client.get(
        "/delen/mastodon/",
        {"server": " @fien@Social.Example.NL ", "text": "Dak https://kc.example.org/bijdragen/1/"},
        HTTP_REFERER=settings.SITE_URL + "/bijdragen/1/",
    )
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert (target.scheme, target.netloc, target.path) == ("https", "social.example.nl", "/share")
    assert parse_qs(target.query) == {"text": ["Dak https://kc.example.org/bijdragen/1/"]}


def test_mastodon_link_from_elsewhere_is_no_open_redirect(client):
    response = client.get(
        "/delen/mastodon/",
        {"server": "evil.example.com", "text": "x"},
        HTTP_REFERER="https://elders.example.net/",
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'href="https://evil.example.com/share?text=x"' in content
    assert "evil.example.com" in content  # the page says where the link goes


@pytest.mark.parametrize("server", ["niet een server", "javascript:alert(1)", "localhost"])
def test_mastodon_asks_again_for_a_bad_server(client, server):
    response = client.get(
        "/delen/mastodon/",
        {"server": server, "text": "x"},
        HTTP_REFERER=settings.SITE_URL + "/",
    )
    assert response.status_code == 400
    content = response.content.decode()
    error = re.search(
        r'<ul class="field__errors" id="mastodon-server-error">(.*?)</ul>', content, re.S
    )
    assert "Vul de naam van een server in" in error.group(1)
    assert 'aria-invalid="true"' in content
    assert 'aria-describedby="mastodon-server-help mastodon-server-error"' in content


def test_mastodon_without_a_server_shows_the_form(client):
    response = client.get("/delen/mastodon/", {"text": "x"})
    assert response.status_code == 200
    assert 'name="server"' in response.content.decode()
    assert 'aria-invalid="true"' not in response.content.decode()


def test_mastodon_form_in_english(client):
    response = client.get("/en/delen/mastodon/", {"text": "x"})
    assert response.status_code == 200
