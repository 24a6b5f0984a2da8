"""Creating members in the admins (/cms/users/new/, /django-admin/): each new member gets a name
and a unique handle."""

from __future__ import annotations

import pytest

from communities.models import User
from tests.communities.factories import UserFactory
from tests.mfa import admin_login

pytestmark = pytest.mark.django_db

PASSWORD = "een-heel-lange-zin-als-wachtwoord"


@pytest.fixture
def admin_client(client):
    admin_login(client, UserFactory(is_staff=True, is_superuser=True, handle="beheer"))
    return client


def _create_in_wagtail(client, email: str, name: str):
    return client.post(
        "/cms/users/new/",
        {"email": email, "display_name": name, "password1": PASSWORD, "password2": PASSWORD},
    )


def _create_in_django_admin(client, email: str, name: str, handle: str = ""):
    return client.post(
        "/django-admin/communities/user/add/",
        {
            "email": email,
            "display_name": name,
            "handle": handle,
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "_save": "Opslaan",
        },
    )


def test_wagtail_admin_creates_two_members_with_names_and_unique_handles(admin_client):
    response = admin_client.get("/cms/users/new/")
    assert response.status_code == 200, response.headers
    page = response.content.decode()
    assert 'name="display_name"' in page
    assert 'name="first_name"' not in page

    first = _create_in_wagtail(admin_client, "anna@example.org", "Anna de Vries")
    second = _create_in_wagtail(admin_client, "anna2@example.org", "Anna de Vries")

    assert first.status_code == 302, first.content.decode()[:2000]
    assert second.status_code == 302, second.content.decode()[:2000]
    anna, anna2 = (
        User.objects.get(email="anna@example.org"),
        User.objects.get(email="anna2@example.org"),
    )
    assert (anna.display_name, anna.handle) == ("Anna de Vries", "anna-de-vries")
    assert (anna2.display_name, anna2.handle) == ("Anna de Vries", "anna-de-vries-2")
    assert anna2.check_password(PASSWORD)


def test_wagtail_admin_asks_for_the_name(admin_client):
    response = _create_in_wagtail(admin_client, "naamloos@example.org", "")
    assert response.status_code == 200
    assert not User.objects.filter(email="naamloos@example.org").exists()


def test_wagtail_admin_edits_name_and_handle(admin_client):
    member = UserFactory(display_name="Oud", handle="oud")
    response = admin_client.post(
        f"/cms/users/edit/{member.pk}/",
        {"email": member.email, "display_name": "Nieuw", "handle": "Nieuw", "is_active": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    member.refresh_from_db()
    assert (member.display_name, member.handle) == ("Nieuw", "nieuw")


def test_django_admin_creates_two_members_with_unique_handles(admin_client):
    first = _create_in_django_admin(admin_client, "bert@example.org", "Bert Jansen")
    second = _create_in_django_admin(admin_client, "bert2@example.org", "Bert Jansen")
    typed = _create_in_django_admin(admin_client, "b3@example.org", "Bert", handle="BertJ")

    for response in (first, second, typed):
        assert response.status_code == 302, response.content.decode()[:2000]
    handles = [User.objects.get(email=e).handle for e in ("bert@example.org", "bert2@example.org")]
    assert handles == ["bert-jansen", "bert-jansen-2"]
    assert User.objects.get(email="b3@example.org").handle == "bertj"
