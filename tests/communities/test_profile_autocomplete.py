"""The profile form tells browsers what its fields are (WCAG 1.3.5, issue 16): autofill fills
in the member's own name, website and phone number, and a phone shows its number pad."""

from __future__ import annotations

import re

import pytest

from communities.forms import ProfileForm, SignupForm

pytestmark = pytest.mark.django_db


def _input(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert match, f"no input {name}"
    return match.group(0)


def test_profile_form_fields_have_autocomplete(member):
    html = str(ProfileForm(instance=member))

    assert 'autocomplete="name"' in _input(html, "display_name")
    website = _input(html, "website")
    assert 'type="url"' in website and 'autocomplete="url"' in website
    phone = _input(html, "phone")
    assert 'type="tel"' in phone and 'autocomplete="tel"' in phone


def test_the_profile_page_renders_them(client, member):
    client.force_login(member)

    html = client.get("/instellingen/profiel/").content.decode()

    assert 'autocomplete="tel"' in _input(html, "phone")
    assert 'autocomplete="url"' in _input(html, "website")
    assert 'autocomplete="name"' in _input(html, "display_name")


def test_the_signup_email_has_autocomplete(client):
    """Where the email address is asked (sign-up; the profile has none), it says so too."""
    html = client.get("/accounts/signup/").content.decode()

    assert 'autocomplete="email"' in _input(html, "email")
    assert 'autocomplete="name"' in str(SignupForm()["display_name"])
