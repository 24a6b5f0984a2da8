"""Signing up from a community page leads back there (issue 16): the page's "Registreren"
carries ?next=, sign-up keeps it, and confirming the address (in the same browser, or from the
mail opened elsewhere) ends on the community with "Lid worden" ready. Only local paths."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from communities.models import Community
from tests.communities.factories import CommunityFactory

pytestmark = pytest.mark.django_db

PASSWORD = "mijn-eigen-wachtwoord-77"


@pytest.fixture
def open_community(db):
    return CommunityFactory(
        title="Repair Café Oost", slug="repair-oost", visibility=Community.Visibility.OPEN
    )


def _sign_up(client, *, next_url: str, email: str = "anna@example.org"):
    return client.post(
        reverse("account_signup"),
        {
            "display_name": "Anna",
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "accept_terms": "on",
            "next": next_url,
        },
    )


def _confirmation_path() -> str:
    [message] = mail.outbox
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", message.body)
    assert link, message.body
    return re.sub(r"^https?://[^/]+", "", link.group(0))


def test_registreren_on_a_community_page_carries_next(client, open_community):
    html = client.get(open_community.get_absolute_url()).content.decode()

    assert f'href="{reverse("account_signup")}?next=/gemeenschappen/repair-oost/"' in html


def test_sign_up_then_confirm_ends_on_the_community_with_the_join_button(client, open_community):
    path = open_community.get_absolute_url()
    signup_page = client.get(f"{reverse('account_signup')}?next={path}").content.decode()
    assert f'<input type="hidden" name="next" value="{path}">' in signup_page

    _sign_up(client, next_url=path)
    confirm_page = client.get(_confirmation_path()).content.decode()
    response = client.post(_confirmation_path(), {"next": path}, follow=True)

    assert f'name="next" value="{path}"' in confirm_page  # the confirmation form passes it on
    assert response.redirect_chain[-1][0] == path
    assert response.context["user"].is_authenticated
    html = response.content.decode()
    assert "Lid worden</button>" in html
    assert reverse("communities:community_join", args=[open_community.slug]) in html


def test_the_mail_opened_in_another_browser_still_leads_to_the_community(client, open_community):
    path = open_community.get_absolute_url()
    _sign_up(client, next_url=path)
    link = _confirmation_path()
    assert link.endswith("?next=%2Fgemeenschappen%2Frepair-oost%2F")

    elsewhere = Client()
    page = elsewhere.get(link).content.decode()
    next_field = re.search(r'<input type="hidden" name="next" value="([^"]*)">', page)
    response = elsewhere.post(link.split("?")[0], {"next": next_field.group(1)})

    assert response.status_code == 302
    assert response["Location"] == path


@pytest.mark.parametrize(
    "unsafe", ["https://evil.example/", "//evil.example/", "https:/evil.example", "javascript:x"]
)
def test_a_next_elsewhere_is_neither_mailed_nor_followed(client, unsafe):
    _sign_up(client, next_url=unsafe)
    link = _confirmation_path()

    assert "next=" not in link
    response = client.post(link, {"next": unsafe})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    assert not response["Location"].startswith("javascript")
