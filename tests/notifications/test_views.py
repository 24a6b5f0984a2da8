"""The preferences page, one-click unsubscribe, and the librarians' digest preview."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from communities.selectors import ORGANISER_GROUP
from notifications import tokens
from notifications.models import (
    CommunityFollow,
    MailAddressStatus,
    NotificationPreferences,
    RegionFollow,
    ThemeFollow,
)
from tests.communities.factories import (
    CommunityFactory,
    MembershipFactory,
    RegionFactory,
    UserFactory,
)
from tests.knowledge.factories import ContributionFactory
from tests.mfa import admin_login
from tests.notifications.factories import CommunityFollowFactory, ThemeFollowFactory

pytestmark = pytest.mark.django_db

URL = "/instellingen/"


def valid_post(community, **overrides) -> dict:
    data = {
        "digest_frequency": "daily",
        f"community_{community.pk}": "muted",
        "themes": [],
        "regions": [],
        "reply_mail": "",
    }
    data.update(overrides)
    return data


def test_preferences_need_a_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_preferences_show_the_defaults_and_every_community(client, member, membership):
    client.force_login(member)

    response = client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="weekly" required id="id_digest_frequency_1" checked' in html
    assert f'name="community_{membership.community_id}" value="digest"' in html
    assert "Energiecoöperatie Noord" in html
    assert 'id="id_reply_mail" checked' in html


def test_saving_preferences_stores_every_choice(client, member, membership, theme):
    region = RegionFactory(name="Tilburg", slug="tilburg")
    ThemeFollowFactory(user=member)  # no longer wanted
    client.force_login(member)

    response = client.post(
        URL,
        valid_post(membership.community, themes=[theme.pk], regions=[region.pk]),
        follow=True,
    )

    assert "Je voorkeuren zijn opgeslagen." in response.content.decode()
    preferences = NotificationPreferences.objects.get(user=member)
    assert (preferences.digest_frequency, preferences.reply_mail) == ("daily", False)
    assert CommunityFollow.objects.get(user=member).level == "muted"
    assert list(ThemeFollow.objects.filter(user=member).values_list("theme", flat=True)) == [
        theme.pk
    ]
    assert list(RegionFollow.objects.filter(user=member).values_list("region", flat=True)) == [
        region.pk
    ]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("digest_frequency", "hourly", "Kies een van de mogelijkheden."),
        ("digest_frequency", "", "Kies hoe vaak je een overzicht wilt."),
        ("themes", "99999", "Dit thema bestaat niet (meer)."),
    ],
)
def test_bad_input_changes_nothing_and_says_why_at_the_field(
    client, member, membership, field, value, message
):
    client.force_login(member)

    response = client.post(URL, valid_post(membership.community, **{field: value}))

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert f'id="id_{field}_error"' in html
    assert not NotificationPreferences.objects.filter(user=member).exists()
    assert not CommunityFollow.objects.filter(user=member).exists()


def test_a_tampered_community_level_is_refused(client, member, membership):
    client.force_login(member)

    response = client.post(
        URL, valid_post(membership.community, **{f"community_{membership.community_id}": "x"})
    )

    assert "Kies een van de mogelijkheden." in response.content.decode()
    assert not CommunityFollow.objects.filter(user=member).exists()


def test_a_community_i_do_not_belong_to_cannot_be_set(client, member, membership):
    other = CommunityFactory()
    client.force_login(member)

    client.post(URL, valid_post(membership.community, **{f"community_{other.pk}": "all"}))

    assert not CommunityFollow.objects.filter(user=member, community=other).exists()


def test_a_blocked_address_shows_and_can_be_turned_back_on(client, member):
    MailAddressStatus.objects.create(
        email=member.email, permanent_failures=3, blocked_at="2025-01-01T07:00:00Z"
    )
    client.force_login(member)

    html = client.get(URL).content.decode()
    assert "We sturen geen e-mail meer naar" in html

    client.post(reverse("notifications:address_unblock"))

    status = MailAddressStatus.objects.get(email=member.email)
    assert (status.blocked_at, status.permanent_failures) == (None, 0)


# --- unsubscribe ---------------------------------------------------------------------------


def unsubscribe_url(user) -> str:
    return reverse("notifications:unsubscribe", kwargs={"token": tokens.unsubscribe_token(user.pk)})


def test_get_only_asks_for_confirmation(member):
    response = Client().get(unsubscribe_url(member))

    assert response.status_code == 200
    assert "Ja, stuur me geen overzicht meer" in response.content.decode()
    assert not NotificationPreferences.objects.filter(user=member).exists()


def test_one_click_post_turns_the_digest_off_without_login_or_csrf(member):
    client = Client(enforce_csrf_checks=True)

    response = client.post(unsubscribe_url(member), {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert "Je bent uitgeschreven" in response.content.decode()
    assert NotificationPreferences.objects.get(user=member).digest_frequency == "off"


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_token_is_a_404_and_changes_nothing(member, method):
    forged = tokens.unsubscribe_token(member.pk)[:-2] + "xx"
    other = f"{member.pk + 1}:" + tokens.unsubscribe_token(member.pk).split(":", 1)[1]

    for token in (forged, other, "nonsense"):
        url = reverse("notifications:unsubscribe", kwargs={"token": token})
        response = getattr(Client(enforce_csrf_checks=True), method)(url)
        assert response.status_code == 404
        assert "Deze pagina bestaat niet (meer)" in response.content.decode()
    assert not NotificationPreferences.objects.filter(user=member).exists()


def test_an_expired_token_is_a_404(member, monkeypatch):
    token = tokens.unsubscribe_token(member.pk)
    monkeypatch.setattr(tokens, "MAX_AGE", dt.timedelta(seconds=-1))

    response = Client().post(reverse("notifications:unsubscribe", kwargs={"token": token}))

    assert response.status_code == 404
    assert not NotificationPreferences.objects.filter(user=member).exists()


# --- the librarians' preview ---------------------------------------------------------------

PREVIEW = "/cms/overzicht-voorbeeld/"


def _preview_librarian(librarian, *libraries):
    librarian.user_permissions.add(Permission.objects.get(codename="access_admin"))
    for library in libraries:
        library.librarians.add(librarian)
    return librarian


def test_a_librarian_previews_a_members_next_digest(
    client, librarian, community, member, membership
):
    librarian.is_staff = True
    librarian.save()
    _preview_librarian(librarian, community.library)
    ContributionFactory(community=community, title="Samen isoleren")
    admin_login(client, librarian)

    response = client.get(PREVIEW, {"who": member.email})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Samen isoleren" in html
    assert "Volgende overzicht van Mila Member" in html


def test_the_preview_says_when_nobody_matches(client, librarian, community):
    admin_login(client, _preview_librarian(librarian, community.library))

    response = client.get(PREVIEW, {"who": "niemand@example.org"})

    assert "Er is geen lid met dit e-mailadres of deze naam." in response.content.decode()


def test_a_librarian_previews_only_members_of_their_own_libraries(
    client, librarian, community, private_community, outsider
):
    # The outsider is a member of a private community of another library only.
    MembershipFactory(community=private_community, user=outsider)
    ContributionFactory(community=private_community, title="Geheim plan")
    admin_login(client, _preview_librarian(librarian, community.library))

    for who in (outsider.email, "@otto"):
        response = client.get(PREVIEW, {"who": who})
        html = response.content.decode()
        assert "Er is geen lid met dit e-mailadres of deze naam." in html
        assert "Geheim plan" not in html
        assert "Otto Outsider" not in html


def test_a_librarian_without_a_library_previews_nobody(client, librarian, member, membership):
    admin_login(client, _preview_librarian(librarian))

    html = client.get(PREVIEW, {"who": member.email}).content.decode()

    assert "Er is geen lid met dit e-mailadres of deze naam." in html
    assert "Volgende overzicht van Mila Member" not in html


def test_a_superuser_previews_any_member(client, private_community, outsider):
    MembershipFactory(community=private_community, user=outsider)
    ContributionFactory(community=private_community, title="Geheim plan")
    admin_login(client, UserFactory(is_superuser=True, is_staff=True))

    html = client.get(PREVIEW, {"who": outsider.email}).content.decode()

    assert "Volgende overzicht van Otto Outsider" in html
    assert "Geheim plan" in html


def test_residents_cannot_preview(client, member):
    client.force_login(member)

    response = client.get(PREVIEW, {"who": member.email})

    assert response.status_code == 403
    assert "Volgende overzicht van" not in response.content.decode()


def test_admin_users_who_are_not_librarians_cannot_preview(client, member):
    organiser = UserFactory()
    group, _created = Group.objects.get_or_create(name=ORGANISER_GROUP)
    organiser.groups.add(group)
    organiser.user_permissions.add(Permission.objects.get(codename="access_admin"))
    admin_login(client, organiser)

    response = client.get(PREVIEW, {"who": member.email})

    # Wagtail turns PermissionDenied into a redirect to the dashboard with a message.
    assert (response.status_code, response["Location"]) == (302, "/cms/")


def test_members_who_join_get_the_default_level(member):
    membership = MembershipFactory(user=member)
    CommunityFollowFactory(user=member, community=CommunityFactory(), level="all")

    from notifications.selectors import community_levels_for

    [entry] = community_levels_for(member)
    assert (entry.community, entry.level) == (membership.community, "digest")
