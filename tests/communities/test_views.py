"""Community, member and profile pages through the test client, as residents use them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from communities.models import Community, Membership, User
from tests.communities.factories import (
    CommunityFactory,
    MembershipFactory,
    RegionFactory,
    ThemeFactory,
    UserFactory,
)
from tests.html import field_errors, page_text
from tests.knowledge.factories import ContributionFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_request(db):
    community = CommunityFactory(
        title="Repair Café", slug="repair-cafe", visibility=Community.Visibility.ON_REQUEST
    )
    MembershipFactory(community=community, host=True, user__email="host@example.org")
    return community


def _login(client, user):
    client.force_login(user)
    return client


# --- Every page answers -----------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_public_pages_answer(client, prefix, community, host, membership):
    urls = [
        "/gemeenschappen/",
        f"/gemeenschappen/{community.slug}/",
        f"/leden/{host.handle}/",
    ]
    for url in urls:
        response = client.get(prefix + url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_member_pages_answer(client, prefix, community, host, membership):
    _login(client, membership.user)
    for url in ["/gemeenschappen/", f"/gemeenschappen/{community.slug}/", "/instellingen/profiel/"]:
        response = client.get(prefix + url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_host_pages_answer(client, prefix, community, host, membership):
    _login(client, host)
    response = client.get(f"{prefix}/gemeenschappen/{community.slug}/leden/")

    assert response.status_code == 200
    assert membership.user.display_name in page_text(response)


def test_language_attribute(client, community):
    assert 'lang="nl"' in client.get("/gemeenschappen/").content.decode()
    assert 'lang="en"' in client.get("/en/gemeenschappen/").content.decode()


def test_community_list_shows_titles_and_hides_private_ones(client, community, private_community):
    text = page_text(client.get("/gemeenschappen/"))

    assert community.title in text
    assert private_community.title not in text


def test_community_detail_shows_contributions(client, community, membership):
    ContributionFactory(community=community, author=membership.user, title="Warmtepomp gezocht")

    text = page_text(client.get(community.get_absolute_url()))

    assert community.title in text
    assert "Warmtepomp gezocht" in text


# --- Private communities ----------------------------------------------------------------------


def test_private_community_is_404_for_outsiders(client, private_community, outsider):
    url = private_community.get_absolute_url()

    assert client.get(url).status_code == 404
    assert _login(client, outsider).get(url).status_code == 404


def test_private_community_is_404_for_pending_members(client, private_community, member):
    MembershipFactory(community=private_community, user=member, pending=True)

    assert _login(client, member).get(private_community.get_absolute_url()).status_code == 404


def test_private_community_is_shown_to_its_members(client, private_community, member):
    MembershipFactory(community=private_community, user=member)

    response = _login(client, member).get(private_community.get_absolute_url())

    assert response.status_code == 200
    assert private_community.title in page_text(response)


def test_private_community_join_and_members_are_404_for_outsiders(
    client, private_community, outsider
):
    _login(client, outsider)
    slug = private_community.slug

    assert client.post(f"/gemeenschappen/{slug}/lid-worden/").status_code == 404
    assert client.get(f"/gemeenschappen/{slug}/leden/").status_code == 404
    assert not Membership.objects.filter(user=outsider).exists()


# --- Joining and leaving ----------------------------------------------------------------------


def test_join_is_post_only(client, community, member):
    # Leaving answers a GET with its confirmation step (tests/communities/test_confirm_steps.py).
    response = _login(client, member).get(f"/gemeenschappen/{community.slug}/lid-worden/")

    assert response.status_code == 405


@pytest.mark.parametrize("action", ["lid-worden", "opzeggen"])
def test_anonymous_join_and_leave_redirect_to_login(client, community, action):
    url = f"/gemeenschappen/{community.slug}/{action}/"

    response = client.post(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=" in response["Location"]
    assert not Membership.objects.exists()


def test_join_open_community(client, community, member):
    response = _login(client, member).post(
        f"/gemeenschappen/{community.slug}/lid-worden/", follow=True
    )

    assert response.redirect_chain[-1][0] == community.get_absolute_url()
    assert Membership.objects.get(user=member, community=community).is_active
    assert f"Welkom! Je bent nu lid van {community.title}." in page_text(response)


def test_join_on_request_community_asks_the_hosts(
    client, on_request, member, mailoutbox, django_capture_on_commit_callbacks
):
    _login(client, member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/gemeenschappen/{on_request.slug}/lid-worden/", follow=True)

    membership = Membership.objects.get(user=member, community=on_request)
    assert membership.state == Membership.State.PENDING
    assert [mail.to for mail in mailoutbox] == [["host@example.org"]]
    assert "Je aanvraag is verstuurd." in page_text(response)


def test_leave_community(client, community, membership):
    response = _login(client, membership.user).post(
        f"/gemeenschappen/{community.slug}/opzeggen/", follow=True
    )

    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert f"Je bent geen lid meer van {community.title}." in page_text(response)


def test_last_host_cannot_leave(client, community, host):
    response = _login(client, host).post(f"/gemeenschappen/{community.slug}/opzeggen/", follow=True)

    assert Membership.objects.filter(user=host, community=community).exists()
    assert "Je bent de enige beheerder." in page_text(response)


# --- Hosts ------------------------------------------------------------------------------------


def test_members_page_is_forbidden_for_plain_members(client, community, membership):
    response = _login(client, membership.user).get(f"/gemeenschappen/{community.slug}/leden/")

    assert response.status_code == 403


def test_host_approves_a_request(
    client, on_request, member, mailoutbox, django_capture_on_commit_callbacks
):
    pending = MembershipFactory(community=on_request, user=member, pending=True)
    host = on_request.memberships.get(role=Membership.Role.HOST).user
    _login(client, host)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/gemeenschappen/{on_request.slug}/leden/{pending.pk}/",
            {"action": "approve"},
            follow=True,
        )

    pending.refresh_from_db()
    assert pending.is_active
    assert [mail.to for mail in mailoutbox] == [[member.email]]
    assert f"{member.display_name} is nu lid." in page_text(response)


def test_plain_member_cannot_approve(client, on_request, member):
    pending = MembershipFactory(community=on_request, user=member, pending=True)
    plain = MembershipFactory(community=on_request).user

    response = _login(client, plain).post(
        f"/gemeenschappen/{on_request.slug}/leden/{pending.pk}/", {"action": "approve"}
    )

    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.state == Membership.State.PENDING


def test_host_adds_a_member_by_handle(client, private_community, outsider):
    host = MembershipFactory(community=private_community, host=True).user

    _login(client, host).post(
        f"/gemeenschappen/{private_community.slug}/leden/", {"who": f"@{outsider.handle}"}
    )

    assert Membership.objects.get(user=outsider, community=private_community).is_active


def test_host_adds_an_unknown_person(client, private_community):
    host = MembershipFactory(community=private_community, host=True).user

    response = _login(client, host).post(
        f"/gemeenschappen/{private_community.slug}/leden/", {"who": "niemand@example.org"}
    )

    assert response.status_code == 200
    assert "We kennen niemand met dit e-mailadres of deze naam." in field_errors(response, "who")
    assert private_community.memberships.count() == 1


# --- Member profiles --------------------------------------------------------------------------


def test_member_profile_shows_contact_details_as_chosen(client, member):
    member.website = "https://mila.example.org"
    member.contact_visibility = User.ContactVisibility.MEMBERS
    member.save()
    url = f"/leden/{member.handle}/"

    assert "mila.example.org" not in client.get(url).content.decode()
    assert "mila.example.org" in _login(client, UserFactory()).get(url).content.decode()


def test_member_profile_hides_private_communities(client, member, community, private_community):
    MembershipFactory(community=community, user=member)
    MembershipFactory(community=private_community, user=member)

    text = page_text(client.get(f"/leden/{member.handle}/"))

    assert community.title in text
    assert private_community.title not in text


def test_unknown_member_is_404(client):
    assert client.get("/leden/niemand/").status_code == 404


def _profile_data(user: User, **overrides) -> dict:
    data = {
        "display_name": user.display_name,
        "handle": user.handle,
        "bio": "",
        "region": "",
        "website": "",
        "phone": "",
        "contact_visibility": user.contact_visibility,
        "language": "nl",
        "expertise": "",
    }
    return {**data, **overrides}


def test_profile_edit_saves(client, member):
    region = RegionFactory(name="Drechtsteden")

    response = _login(client, member).post(
        "/instellingen/profiel/",
        _profile_data(
            member,
            display_name="Mila de Vries",
            handle="mila-de-vries",
            bio="Ik weet veel van zonnepanelen.",
            region=region.pk,
            website="mila.example.org",
            contact_visibility="everyone",
            expertise="zonnepanelen, isolatie",
        ),
        follow=True,
    )

    stored = User.objects.get(pk=member.pk)
    assert stored.display_name == "Mila de Vries"
    assert stored.handle == "mila-de-vries"
    assert stored.region == region
    assert stored.website == "https://mila.example.org"
    assert sorted(t.name for t in stored.expertise.all()) == ["isolatie", "zonnepanelen"]
    assert response.redirect_chain[-1][0] == "/leden/mila-de-vries/"
    assert "Je profiel is opgeslagen." in page_text(response)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("website", "not a url", "Voer een geldige URL in."),
        ("handle", "met spaties", "Voer een geldige \u2018slug\u2019 in"),
        ("display_name", "", "Dit is een verplicht veld."),
        ("contact_visibility", "friends", "Selecteer een geldige keuze."),
    ],
)
def test_profile_edit_shows_errors_and_stores_nothing(client, member, field, value, message):
    _login(client, member)
    before = User.objects.values().get(pk=member.pk)

    response = client.post("/instellingen/profiel/", _profile_data(member, **{field: value}))

    assert response.status_code == 200
    assert message in field_errors(response, field)
    assert User.objects.values().get(pk=member.pk) == before


def test_profile_edit_stores_the_handle_in_lowercase(client, member, host):
    _login(client, member)

    client.post("/instellingen/profiel/", _profile_data(member, handle="Mila-Groot"))
    response = client.post("/instellingen/profiel/", _profile_data(member, handle="HANNA"))

    # Lowercase, so that @Mila-Groot finds her and HANNA cannot shadow hanna.
    assert User.objects.get(pk=member.pk).handle == "mila-groot"
    assert field_errors(response, "handle")


def test_profile_edit_refuses_a_taken_handle(client, member, host):
    response = _login(client, member).post(
        "/instellingen/profiel/", _profile_data(member, handle=host.handle)
    )

    assert response.status_code == 200
    assert field_errors(response, "handle")
    assert User.objects.get(pk=member.pk).handle == "mila"


def test_profile_edit_needs_login(client):
    response = client.get("/instellingen/profiel/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- CSRF -------------------------------------------------------------------------------------


def test_post_without_csrf_token_is_refused(community, member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    response = client.post(f"/gemeenschappen/{community.slug}/lid-worden/")

    assert response.status_code == 403
    assert not Membership.objects.filter(user=member).exists()


def test_post_with_csrf_token_from_the_page_is_accepted(community, member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    client.get(community.get_absolute_url())
    token = client.cookies["csrftoken"].value

    response = client.post(
        f"/gemeenschappen/{community.slug}/lid-worden/", {"csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    assert Membership.objects.filter(user=member, community=community).exists()


# --- Query counts -----------------------------------------------------------------------------


def test_community_list_queries_are_constant(client, theme):
    def add(n):
        for _ in range(n):
            community = CommunityFactory(themes=[theme, ThemeFactory()])
            MembershipFactory(community=community)

    assert_constant_queries(client, "/gemeenschappen/", add, label="/gemeenschappen/ anonymous")


def test_community_list_queries_are_constant_for_a_member(client, member, theme):
    _login(client, member)

    def add(n):
        for i in range(n):
            community = CommunityFactory(themes=[theme])
            if i % 2:
                MembershipFactory(community=community, user=member)

    assert_constant_queries(client, "/gemeenschappen/", add, label="/gemeenschappen/ member")


def test_community_detail_queries_are_constant(client, community, host, membership, theme):
    def add(n):
        for _ in range(n):
            contribution = ContributionFactory(
                community=community, themes=[theme], tags=["isolatie"]
            )
            MembershipFactory(community=community, user=contribution.author)

    assert_constant_queries(
        client, community.get_absolute_url(), add, label="community detail anonymous"
    )
    _login(client, host)
    assert_constant_queries(
        client, community.get_absolute_url(), add, label="community detail host"
    )


def test_member_profile_queries_are_constant(client, member, theme):
    def add(n):
        for _ in range(n):
            community = CommunityFactory(themes=[theme])
            MembershipFactory(community=community, user=member)
            ContributionFactory(community=community, author=member, tags=["fietsen"])

    assert_constant_queries(client, f"/leden/{member.handle}/", add, label="member profile")
    _login(client, UserFactory())
    assert_constant_queries(
        client, f"/leden/{member.handle}/", add, label="member profile, other member"
    )


def test_profile_edit_with_errors_does_not_show_the_unsaved_name(client, member):
    # The header names the logged-in member; a rejected form must not rename them there.
    _login(client, member)

    response = client.post(
        "/instellingen/profiel/",
        _profile_data(member, display_name="Niet Opgeslagen", handle="nieuw", website="x y"),
    )

    assert response.status_code == 200
    assert "Niet Opgeslagen" not in page_text(response)
    assert 'href="/leden/nieuw/"' not in response.content.decode()
    assert User.objects.get(pk=member.pk).display_name == "Mila Member"
