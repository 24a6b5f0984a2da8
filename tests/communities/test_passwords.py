"""Passwords: Django's rules and a Dutch list of common passwords, in our own words."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from communities.models import User
from tests.communities.factories import PASSWORD, UserFactory
from tests.html import field_errors

pytestmark = pytest.mark.django_db

TOO_COMMON = (
    "Dit wachtwoord is te makkelijk te raden: veel mensen gebruiken het. Kies iets wat "
    "alleen jij weet, bijvoorbeeld een zin van een paar woorden."
)
GOOD = "fietsen langs de Linge in maart"


def _sign_up(client, password: str):
    return client.post(
        "/accounts/signup/",
        {
            "display_name": "Anna de Vries",
            "email": "anna@example.org",
            "password1": password,
            "password2": password,
            "accept_terms": "on",
        },
    )


@pytest.mark.parametrize("password", ["welkom123", "Wachtwoord2024", "feyenoord1908!", "Zomer2025"])
def test_signup_refuses_common_dutch_passwords(client, password):
    response = _sign_up(client, password)

    assert response.status_code == 200
    assert TOO_COMMON in field_errors(response, "password1")
    assert not User.objects.filter(email="anna@example.org").exists()


def test_signup_accepts_a_good_passphrase(client):
    response = _sign_up(client, GOOD)

    assert response.status_code == 302
    assert User.objects.get(email="anna@example.org").check_password(GOOD)


def test_password_change_refuses_a_common_dutch_password(client):
    member = UserFactory()
    client.force_login(member)

    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "Wachtwoord2024", "password2": "Wachtwoord2024"},
    )

    assert response.status_code == 200
    assert TOO_COMMON in field_errors(response, "password1")
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_password_change_accepts_a_good_passphrase(client):
    member = UserFactory()
    client.force_login(member)

    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": GOOD, "password2": GOOD},
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(GOOD)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("kort1", "Je wachtwoord is te kort. Gebruik minstens 8 tekens."),
        ("83920174615", "Je wachtwoord bestaat alleen uit cijfers. Gebruik ook letters."),
        ("annadevries", "Je wachtwoord lijkt te veel op je naam."),
        ("password1", TOO_COMMON),
    ],
)
def test_every_rule_speaks_informal_dutch(password, message):
    user = User(display_name="Anna de Vries", handle="anna", email="a@example.org")

    with pytest.raises(ValidationError) as refused:
        validate_password(password, user=user)

    assert message in refused.value.messages
