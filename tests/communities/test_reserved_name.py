"""Nobody alive is called "Verwijderd lid": that is the name deleted accounts are shown under
(communities/deletion.py), so a member under it would pass for someone who left."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from communities.deletion import account_delete
from communities.models import User, display_name_is_reserved
from tests.communities.factories import UserFactory
from tests.english import english as english  # the fixture
from tests.html import field_errors

pytestmark = pytest.mark.django_db

MESSAGE = "Deze naam is voor verwijderde accounts. Kies een andere naam."
GOOD = "fietsen langs de Linge in maart"


@pytest.mark.parametrize(
    "name", ["Verwijderd lid", "verwijderd LID", "  Verwijderd   lid ", "Deleted member"]
)
def test_the_name_is_reserved_in_any_case_and_language(english, name):
    english({"Verwijderd lid": "Deleted member"})

    assert display_name_is_reserved(name)


@pytest.mark.parametrize("name", ["Verwijderd", "Lid van de bibliotheek", "Verwijderd lid 2"])
def test_other_names_are_free(name):
    assert not display_name_is_reserved(name)


def test_the_model_refuses_it_for_a_living_member():
    member = UserFactory(display_name="Verwijderd lid")

    with pytest.raises(ValidationError) as error:
        member.full_clean()

    assert error.value.message_dict["display_name"] == [MESSAGE]


def test_a_deleted_account_keeps_it():
    member = UserFactory(display_name="Mila Mulder")
    account_delete(user=member, delete_content=False)
    member.refresh_from_db()

    assert member.display_name == "Verwijderd lid"
    member.full_clean(exclude=["password"])


def test_the_profile_form_says_so_next_to_the_name(client, member):
    client.force_login(member)

    response = client.post(
        "/instellingen/profiel/",
        {
            "display_name": "Verwijderd lid",
            "handle": member.handle,
            "bio": "",
            "region": "",
            "website": "",
            "phone": "",
            "contact_visibility": member.contact_visibility,
            "language": "nl",
            "expertise": "",
        },
    )

    assert response.status_code == 200
    assert MESSAGE in field_errors(response, "display_name")
    assert User.objects.get(pk=member.pk).display_name == "Mila Member"


def test_the_sign_up_form_says_so_next_to_the_name(client):
    response = client.post(
        "/accounts/signup/",
        {
            "display_name": "verwijderd lid",
            "email": "anna@example.org",
            "password1": GOOD,
            "password2": GOOD,
            "accept_terms": "on",
        },
    )

    assert response.status_code == 200
    assert MESSAGE in field_errors(response, "display_name")
    assert not User.objects.filter(email="anna@example.org").exists()
