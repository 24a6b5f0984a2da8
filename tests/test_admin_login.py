"""One login for everyone: the admins' own login and reset forms are closed, so allauth's email
verification, lockout and rate limits hold for staff too; rate limits count the real client
address, behind a trusted proxy as well."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.cache import cache

from communities.selectors import LIBRARIAN_GROUP
from tests.communities.factories import PASSWORD, UserFactory
from tests.html import page_text
from tests.mfa import admin_login

pytestmark = pytest.mark.django_db

# What production runs (settings/base.py); the test settings switch rate limits off.
RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
TOO_MANY = "Te veel inlogpogingen. Probeer het later nogmaals."


@pytest.fixture(autouse=True)
def rate_limits(settings):
    settings.ACCOUNT_RATE_LIMITS = RATE_LIMITS
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def librarian(db):
    user = UserFactory(is_staff=True, email="lotte@example.org")
    user.groups.add(Group.objects.get_or_create(name=LIBRARIAN_GROUP)[0])
    return user


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


LOGIN_FORMS = {
    "/accounts/login/": "login",
    "/cms/login/": "username",
    "/django-admin/login/": "username",
}


@pytest.mark.parametrize("url", LOGIN_FORMS)
def test_twelve_wrong_passwords_then_the_right_one_is_refused(client, librarian, url):
    field = LOGIN_FORMS[url]
    for _attempt in range(12):
        client.post(url, {field: librarian.email, "password": "niet-mijn-wachtwoord"})
        assert not _logged_in(client)

    response = client.post(url, {field: librarian.email, "password": PASSWORD}, follow=True)

    assert not _logged_in(client)
    if url == "/accounts/login/":
        assert TOO_MANY in page_text(response)
    assert client.get("/cms/").status_code == 302


def test_allauth_tells_a_locked_out_librarian_why(client, librarian):
    for _attempt in range(5):
        client.post("/accounts/login/", {"login": librarian.email, "password": "fout"})

    response = client.post("/accounts/login/", {"login": librarian.email, "password": PASSWORD})

    assert TOO_MANY in page_text(response)
    assert not _logged_in(client)


@pytest.mark.parametrize("url", ["/cms/login/", "/django-admin/login/"])
def test_the_admin_login_forms_never_authenticate(client, librarian, url):
    response = client.post(url, {"username": librarian.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert not _logged_in(client)


@pytest.mark.parametrize(
    ("url", "location"),
    [
        ("/cms/", "/accounts/login/?next=/cms/"),
        ("/cms/login/", "/accounts/login/?next=%2Fcms%2F"),
        ("/cms/login/?next=/cms/pages/", "/accounts/login/?next=%2Fcms%2Fpages%2F"),
        ("/django-admin/", "/accounts/login/?next=%2Fdjango-admin%2F"),
        ("/cms/password_reset/", "/accounts/password/reset/"),
        ("/_util/login/?next=/over/", "/accounts/login/?next=/over/"),
    ],
)
def test_every_way_into_the_admins_leads_to_allauth(client, url, location):
    response = client.get(url, follow=True)

    # Django's admin goes through its own login URL first; the last stop is allauth's.
    assert response.redirect_chain[-1][0] == location
    assert response.status_code == 200


def test_staff_change_their_password_on_the_site(client, librarian):
    """allauth's form, with its rate limit, instead of the Django admin's own."""
    admin_login(client, librarian)

    response = client.get("/django-admin/password_change/")

    assert response["Location"] == "/accounts/password/change/"
    # Wagtail's account page has no password or email form of its own either.
    account = client.get("/cms/account/")
    assert account.status_code == 200
    assert "old_password" not in account.content.decode()
    assert 'name="name_email-email"' not in account.content.decode()


def test_the_wagtail_reset_form_is_gone(client):
    assert client.get("/cms/password_reset/done/").status_code == 404
    assert client.post("/cms/password_reset/", {"email": "lotte@example.org"}).status_code == 302
    assert mail.outbox == []


def test_an_unverified_librarian_cannot_get_into_the_admin(client):
    user = UserFactory(is_staff=True, email="nieuw@example.org", verified=False)
    user.groups.add(Group.objects.get_or_create(name=LIBRARIAN_GROUP)[0])

    for url, field in LOGIN_FORMS.items():
        client.post(url, {field: user.email, "password": PASSWORD})
        assert not _logged_in(client), url

    response = client.get("/cms/")
    assert response["Location"].startswith("/accounts/login/")
    # allauth asked them to confirm their address instead.
    assert [message.to for message in mail.outbox] == [[user.email]]


# --- The client address -----------------------------------------------------------------------

PROXY = "10.0.0.2"


def _fail_ten_times(client, **headers) -> None:
    """Ten failed logins for ten different addresses: only the limit per client address."""
    for n in range(10):
        client.post(
            "/accounts/login/",
            {"login": f"onbekend{n}@example.org", "password": "fout"},
            REMOTE_ADDR=PROXY,
            **headers,
        )


def test_a_made_up_forwarded_for_does_not_escape_the_limit(client, librarian, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    _fail_ten_times(client, HTTP_X_FORWARDED_FOR="198.51.100.1")

    response = client.post(
        "/accounts/login/",
        {"login": librarian.email, "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.99",
    )

    assert TOO_MANY in page_text(response)
    assert not _logged_in(client)


def test_behind_one_trusted_proxy_each_client_has_its_own_limit(client, librarian, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    # The attacker puts an address of their own in front; the proxy appends the real one.
    _fail_ten_times(client, HTTP_X_FORWARDED_FOR="198.51.100.99, 203.0.113.7")

    attacker = client.post(
        "/accounts/login/",
        {"login": librarian.email, "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7",
    )
    assert TOO_MANY in page_text(attacker)
    assert not _logged_in(client)

    # Someone else behind the same proxy logs in as usual.
    response = client.post(
        "/accounts/login/",
        {"login": librarian.email, "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.8",
    )
    assert response.status_code == 302
    assert _logged_in(client)


@pytest.mark.parametrize(("value", "expected"), [(None, "0"), ("1", "1")])
def test_the_trusted_proxy_count_comes_from_the_environment(value, expected):
    """KENNISCLOUD_TRUSTED_PROXY_COUNT: 0 (X-Forwarded-For ignored) unless the stack says how
    many proxies of its own stand in front. Settings are read once per process: a fresh one."""
    env = {k: v for k, v in os.environ.items() if k != "KENNISCLOUD_TRUSTED_PROXY_COUNT"}
    env["DJANGO_SETTINGS_MODULE"] = "kenniscloud.settings.test"
    if value is not None:
        env["KENNISCLOUD_TRUSTED_PROXY_COUNT"] = value
    code = (
        "import django; django.setup(); from allauth import app_settings; "
        "print(app_settings.TRUSTED_PROXY_COUNT)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip() == expected, result.stderr


def test_the_one_reset_form_left_is_rate_limited(client, librarian):
    """/cms/password_reset/ leads here; allauth allows 5 requests per address per minute."""
    for _attempt in range(8):
        response = client.post("/cms/password_reset/", {"email": librarian.email}, follow=True)
        client.post(response.redirect_chain[-1][0], {"email": librarian.email})

    assert len(mail.outbox) == 5
    assert {tuple(message.to) for message in mail.outbox} == {(librarian.email,)}
