"""Two-factor authentication before the admins: librarians, organisers and staff set up an
authenticator app and give a code of it in the session before they reach /cms/ or
/django-admin/; residents never meet it."""

import re
from importlib import import_module

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection

from communities.selectors import LIBRARIAN_GROUP, ORGANISER_GROUP
from tests.communities.factories import PASSWORD, UserFactory
from tests.html import page_text
from tests.mfa import admin_login, totp_add, totp_code

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    # allauth remembers used codes in the cache; each test starts without them.
    cache.clear()
    yield
    cache.clear()


def _in_group(name: str, **kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


@pytest.fixture
def librarian(db):
    return _in_group(LIBRARIAN_GROUP, email="lotte@example.org", display_name="Lotte")


def _log_in(client, user, code: str | None = None):
    """allauth's login, as a person does it: password, then the code when one is asked for."""
    response = client.post(
        "/accounts/login/", {"login": user.email, "password": PASSWORD, "next": "/cms/"}
    )
    if code is not None:
        assert response["Location"] == "/accounts/2fa/authenticate/"
        response = client.post("/accounts/2fa/authenticate/", {"code": code})
    return response


def _confirm_password(client, response):
    return client.post(response.redirect_chain[-1][0], {"password": PASSWORD}, follow=True)


ADMIN_PEOPLE = {
    "librarian": lambda: _in_group(LIBRARIAN_GROUP),
    "organiser": lambda: _in_group(ORGANISER_GROUP),
    "staff": lambda: UserFactory(is_staff=True),
    "superuser": lambda: UserFactory(is_staff=True, is_superuser=True),
}


@pytest.mark.parametrize("who", ADMIN_PEOPLE)
@pytest.mark.parametrize("url", ["/cms/", "/django-admin/"])
def test_without_an_authenticator_they_are_sent_to_set_one_up(client, who, url):
    user = ADMIN_PEOPLE[who]()
    _log_in(client, user)

    response = client.get(url, follow=True)

    # allauth asks for the password once more before a security change ...
    assert [location for location, _status in response.redirect_chain][-2:] == [
        "/accounts/2fa/totp/activate/",
        "/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F",
    ]
    assert "Het beheer is beveiligd met tweestapsverificatie" in page_text(response)
    assert "Vul daarom eerst je wachtwoord nog een keer in" in page_text(response)
    # ... and then shows how to set up the app.
    setup = _confirm_password(client, response)
    assert setup.redirect_chain[-1][0] == "/accounts/2fa/totp/activate/"
    assert "Scan in die app de QR-code hieronder." in page_text(setup)
    assert "<svg" in setup.content.decode()
    assert client.get(url).status_code == 302  # not in yet


# allauth announces the new authenticator once the transaction commits, as in production: the
# test database must really commit.
@pytest.mark.django_db(transaction=True)
def test_setting_up_the_app_lets_the_librarian_in(client, librarian):
    # A transactional test may follow another that flushed the migrations' data: the roles
    # again (idempotent), so that the librarians' group has its admin permissions.
    with connection.schema_editor() as editor:
        import_module("communities.migrations.0003_roles").create_roles(django_apps, editor)
    _log_in(client, librarian)
    setup = _confirm_password(client, client.get("/cms/", follow=True))
    # The secret is on the page, under the QR code, for apps that cannot scan.
    secret = re.search(r'value="([A-Z2-7]{32})"', setup.content.decode()).group(1)

    wrong = client.post("/accounts/2fa/totp/activate/", {"code": "000000"})
    assert "Ongeldige code." in page_text(wrong)
    assert not Authenticator.objects.filter(user=librarian).exists()

    done = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)}, follow=True)
    # Recovery codes, and the way on to the admin.
    assert done.redirect_chain[-1][0] == "/accounts/2fa/recovery-codes/"
    assert "Naar het beheer" in page_text(done)
    assert set(Authenticator.objects.filter(user=librarian).values_list("type", flat=True)) == {
        "totp",
        "recovery_codes",
    }

    assert client.get("/cms/").status_code == 200


def test_with_an_app_but_no_code_in_this_session_the_admin_asks_for_one(client, librarian):
    totp_add(librarian)
    client.force_login(librarian)  # a session that gave the password only

    refused = client.get("/cms/pages/")
    assert refused.status_code == 302
    assert refused["Location"] == "/accounts/2fa/reauthenticate/?next=%2Fcms%2Fpages%2F"
    assert client.get("/django-admin/").status_code == 302

    wrong = client.post(refused["Location"], {"code": "000000"})
    assert client.get("/cms/").status_code == 302
    assert wrong.status_code == 200

    response = client.post(refused["Location"], {"code": totp_code()})
    assert response["Location"] == "/cms/pages/"
    assert client.get("/cms/pages/").status_code == 200


def test_login_with_the_code_reaches_the_admin(client, librarian):
    totp_add(librarian)

    response = _log_in(client, librarian, code=totp_code())

    assert response["Location"] == "/cms/"
    assert client.get("/cms/").status_code == 200


def test_a_used_code_does_not_open_a_second_session(client, librarian):
    from django.test import Client

    totp_add(librarian)
    code = totp_code()
    _log_in(client, librarian, code=code)

    other = Client()
    response = _log_in(other, librarian, code=code)
    assert response.status_code == 200  # the code form again, with an error
    assert other.get("/cms/").status_code == 302


def test_a_resident_never_meets_two_factor_authentication(client):
    resident = UserFactory(email="anna@example.org")

    response = _log_in(client, resident)
    assert response["Location"] == "/cms/"
    assert client.get("/").status_code == 200
    assert client.get("/accounts/email/").status_code == 200

    # The admins are not theirs: a plain refusal, no detour past 2FA.
    admin = client.get("/cms/")
    assert admin.status_code == 403
    assert "Hier heb je geen toegang toe" in page_text(admin)
    assert client.get("/django-admin/").status_code == 403
    assert not Authenticator.objects.filter(user=resident).exists()


def test_logout_works_without_a_code(client, librarian):
    totp_add(librarian)
    client.force_login(librarian)

    response = client.post("/cms/logout/")

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_test_helper_passes_the_gate(client, librarian):
    admin_login(client, librarian)

    assert client.get("/cms/").status_code == 200


def test_the_account_page_says_in_dutch_whether_the_app_is_on(client, librarian):
    client.force_login(librarian)
    assert "Uit: je logt in met alleen je wachtwoord." in page_text(client.get("/accounts/2fa/"))

    admin_login(client, librarian)
    page = page_text(client.get("/accounts/2fa/"))
    assert "Aan: bij het inloggen vragen we een code uit je app." in page
    assert "Tweestapsverificatie" in page_text(client.get("/accounts/email/"))
