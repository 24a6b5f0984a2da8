"""Consent at sign-up (issue 12): the member ticks that they accept the terms and the privacy
statement, and the account records which version they accepted and when."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from communities.models import User
from tests.communities.factories import UserFactory
from tests.html import field_errors, page_text

pytestmark = pytest.mark.django_db

GOOD = "fietsen langs de Linge in maart"
MOMENT = dt.datetime(2027, 1, 12, 9, 30, tzinfo=dt.UTC)


def _sign_up(client, *, accept: bool, prefix: str = ""):
    data = {
        "display_name": "Anna de Vries",
        "email": "anna@example.org",
        "password1": GOOD,
        "password2": GOOD,
    }
    if accept:
        data["accept_terms"] = "on"
    return client.post(f"{prefix}/accounts/signup/", data)


def test_the_form_asks_for_consent_with_a_link_to_the_privacy_statement(client):
    content = client.get("/accounts/signup/").content.decode()

    assert 'name="accept_terms"' in content
    assert 'type="checkbox"' in content
    assert (
        'Ik ga akkoord met de <a href="/privacy/">voorwaarden en de privacyverklaring</a>'
        in content
    )


def test_the_english_form_links_to_the_english_privacy_page(client):
    content = client.get("/en/accounts/signup/").content.decode()

    assert 'href="/en/privacy/"' in content


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_sign_up_without_the_tick_creates_nothing_and_says_why_at_the_field(client, prefix):
    response = _sign_up(client, accept=False, prefix=prefix)

    assert response.status_code == 200
    error = field_errors(response, "accept_terms")
    if prefix:
        assert error  # translated by the lead; present at the field in English too
    else:
        assert "Vink aan dat je akkoord gaat met de voorwaarden en de privacyverklaring" in error
    assert not User.objects.filter(email="anna@example.org").exists()
    assert mail.outbox == []


def test_sign_up_with_the_tick_records_the_version_and_the_moment(client, clock, settings):
    settings.PRIVACY_STATEMENT_VERSION = "2027-01"
    clock.set(MOMENT)

    response = _sign_up(client, accept=True)

    assert response.status_code == 302
    member = User.objects.get(email="anna@example.org")
    assert member.terms_version == "2027-01"
    assert member.terms_accepted_at == MOMENT


def test_accounts_not_made_by_signing_up_record_no_consent(db):
    made_by_staff = User.objects.create_user(
        email="door-beheer@example.org", password=GOOD, display_name="Door beheer", handle="db"
    )

    assert made_by_staff.terms_version == ""
    assert made_by_staff.terms_accepted_at is None


def test_the_settings_page_shows_what_the_member_accepted(client, member):
    member.terms_version = "2026-12"
    member.terms_accepted_at = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)
    member.save(update_fields=["terms_version", "terms_accepted_at"])
    client.force_login(member)

    text = page_text(client.get("/instellingen/"))

    assert (
        "Je bent op 3 december 2026 akkoord gegaan met de voorwaarden en de privacyverklaring "
        "(versie 2026-12)." in text
    )


def test_the_settings_page_of_a_member_without_a_record_says_nothing_about_consent(client, member):
    client.force_login(member)

    text = page_text(client.get("/instellingen/"))

    assert "akkoord gegaan" not in text
    assert "Lees de privacyverklaring" in text


def test_the_django_admin_shows_consent_read_only(admin_client):
    member = UserFactory(terms_version="2026-12")
    member.terms_accepted_at = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)
    member.save(update_fields=["terms_accepted_at"])

    response = admin_client.get(f"/django-admin/communities/user/{member.pk}/change/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "2026-12" in content
    assert 'name="terms_version"' not in content  # shown, not editable


def test_the_wagtail_admin_shows_consent_read_only(admin_client):
    member = UserFactory(terms_version="2026-12")
    member.terms_accepted_at = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)
    member.save(update_fields=["terms_accepted_at"])

    text = page_text(admin_client.get(f"/cms/users/edit/{member.pk}/"))

    assert "(versie 2026-12) op 3 december 2026" in text
