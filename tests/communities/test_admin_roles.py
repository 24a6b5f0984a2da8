"""Each role against each screen of the Wagtail admin, and the per-library rule behind it.

Libraries A and B each have a community with a member, a pending request, a contribution and a
comment. The librarian of A manages A only; a librarian without a library curates themes and
pages but no community; organisers manage meetups; hosts and residents never enter /cms/.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page

from communities import selectors, services
from communities.models import Community, Library, Membership, Theme
from communities.selectors import HOST_GROUP, LIBRARIAN_GROUP, ORGANISER_GROUP
from meetups import selectors as meetup_selectors
from tests.communities.factories import (
    CommunityFactory,
    LibraryFactory,
    MembershipFactory,
    ThemeFactory,
    UserFactory,
)
from tests.knowledge.factories import CommentFactory, ContributionFactory
from tests.meetups.factories import BranchFactory, MeetupFactory, RsvpFactory
from tests.mfa import admin_login

pytestmark = pytest.mark.django_db

ROLES = [
    "superuser",
    "librarian",
    "librarian_without_library",
    "organiser",
    "host",
    "resident",
    "anonymous",
]


def _in_group(name: str, **kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=name))
    return user


@pytest.fixture
def world(db):
    library_a = LibraryFactory(name="Bibliotheek Ahorn", slug="ahorn")
    library_b = LibraryFactory(name="Bibliotheek Beuk", slug="beuk")
    theme = ThemeFactory(title="Samen leven", slug="samen-leven")
    community_a = CommunityFactory(
        title="Buren Ahorn", slug="buren-ahorn", library=library_a, themes=[theme]
    )
    community_b = CommunityFactory(
        title="Buren Beuk",
        slug="buren-beuk",
        library=library_b,
        visibility=Community.Visibility.ON_REQUEST,
        themes=[theme],
    )
    host = _in_group(HOST_GROUP, display_name="Hanna Host")
    MembershipFactory(community=community_a, user=host, role=Membership.Role.HOST)
    rows = {}
    for key, community in (("a", community_a), ("b", community_b)):
        contribution = ContributionFactory(community=community, title=f"Vraag {key.upper()}")
        rows[key] = {
            "community": community,
            "membership": MembershipFactory(community=community),
            "pending": MembershipFactory(community=community, pending=True),
            "contribution": contribution,
            "comment": CommentFactory(contribution=contribution),
        }
    superuser = UserFactory(is_superuser=True, is_staff=True)
    librarian = _in_group(LIBRARIAN_GROUP, display_name="Lotte van Ahorn")
    library_a.librarians.add(librarian)
    users = {
        "superuser": superuser,
        "librarian": librarian,
        "librarian_without_library": _in_group(LIBRARIAN_GROUP),
        "organiser": _in_group(ORGANISER_GROUP),
        "host": host,
        "resident": UserFactory(),
        "anonymous": None,
    }
    return {
        "users": users,
        "theme": theme,
        "libraries": {"a": library_a, "b": library_b},
        "meetup": MeetupFactory(community=community_a),
        "other_meetup": MeetupFactory(community=community_b, title="Ruilmiddag Beuk"),
        **rows,
    }


def _snippet_url(model, view: str, *args) -> str:
    return reverse(
        f"wagtailsnippets_{model._meta.app_label}_{model._meta.model_name}:{view}", args=args
    )


def _screens(world) -> dict[str, str]:
    from knowledge.models import Comment, Contribution
    from meetups.models import Meetup

    a, b = world["a"], world["b"]
    return {
        "cms home": reverse("wagtailadmin_home"),
        "themes listing": _snippet_url(Theme, "list"),
        "theme edit": _snippet_url(Theme, "edit", world["theme"].pk),
        "communities listing": _snippet_url(Community, "list"),
        "own community edit": _snippet_url(Community, "edit", a["community"].pk),
        "other community edit": _snippet_url(Community, "edit", b["community"].pk),
        "other community delete": _snippet_url(Community, "delete", b["community"].pk),
        "other community history": _snippet_url(Community, "history", b["community"].pk),
        "memberships listing": _snippet_url(Membership, "list"),
        "own membership edit": _snippet_url(Membership, "edit", a["membership"].pk),
        "other membership edit": _snippet_url(Membership, "edit", b["membership"].pk),
        "contributions listing": _snippet_url(Contribution, "list"),
        "own contribution edit": _snippet_url(Contribution, "edit", a["contribution"].pk),
        "other contribution edit": _snippet_url(Contribution, "edit", b["contribution"].pk),
        "own comment edit": _snippet_url(Comment, "edit", a["comment"].pk),
        "other comment edit": _snippet_url(Comment, "edit", b["comment"].pk),
        "own library edit": _snippet_url(Library, "edit", world["libraries"]["a"].pk),
        "other library edit": _snippet_url(Library, "edit", world["libraries"]["b"].pk),
        "library add": _snippet_url(Library, "add"),
        "meetups listing": _snippet_url(Meetup, "list"),
        "meetup edit": _snippet_url(Meetup, "edit", world["meetup"].pk),
        "other meetup edit": _snippet_url(Meetup, "edit", world["other_meetup"].pk),
        "pages explorer": reverse("wagtailadmin_explore", args=[Page.get_first_root_node().pk]),
        "images": reverse("wagtailimages:index"),
        "users admin": reverse("wagtailusers_users:index"),
        "groups admin": reverse("wagtailusers_groups:index"),
        "activity dashboard": reverse("dashboard_activity"),
    }


OK, DENIED, LOGIN = "ok", "denied", "login"
LIBRARIAN_OK = {
    "cms home",
    "themes listing",
    "theme edit",
    "communities listing",
    "own community edit",
    "memberships listing",
    "own membership edit",
    "contributions listing",
    "own contribution edit",
    "own comment edit",
    "own library edit",
    "meetups listing",
    "meetup edit",
    "pages explorer",
    "images",
    "activity dashboard",
}
# A librarian runs the meetups of their own libraries only; without a library, none.
LIBRARIAN_WITHOUT_LIBRARY_OK = {
    "cms home",
    "themes listing",
    "theme edit",
    "pages explorer",
    "images",
    "activity dashboard",
}
ORGANISER_OK = {"cms home", "meetups listing", "meetup edit", "other meetup edit"}


def _expected(role: str, screen: str) -> str:
    if role == "superuser":
        return OK
    if role == "anonymous":
        return LOGIN
    if role in ("host", "resident"):
        return DENIED
    allowed = {
        "librarian": LIBRARIAN_OK,
        "librarian_without_library": LIBRARIAN_WITHOUT_LIBRARY_OK,
        "organiser": ORGANISER_OK,
    }[role]
    return OK if screen in allowed else DENIED


def _outcome(response) -> str:
    if response.status_code == 200:
        return OK
    if response.status_code == 403:
        return DENIED
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("account_login")):
            return LOGIN
        if location == reverse("wagtailadmin_home"):
            return DENIED
    return f"{response.status_code} {response.get('Location', '')}"


SCREENS = [
    "cms home",
    "themes listing",
    "theme edit",
    "communities listing",
    "own community edit",
    "other community edit",
    "other community delete",
    "other community history",
    "memberships listing",
    "own membership edit",
    "other membership edit",
    "contributions listing",
    "own contribution edit",
    "other contribution edit",
    "own comment edit",
    "other comment edit",
    "own library edit",
    "other library edit",
    "library add",
    "meetups listing",
    "meetup edit",
    "other meetup edit",
    "pages explorer",
    "images",
    "users admin",
    "groups admin",
    "activity dashboard",
]


@pytest.mark.parametrize("role", ROLES)
def test_role_against_every_admin_screen(client, world, role):
    """One row of the matrix per role; every screen is checked, and all mismatches reported."""
    user = world["users"][role]
    if role in ("host", "resident"):
        client.force_login(user)
    elif user is not None:
        admin_login(client, user)
    screens = _screens(world)
    assert set(screens) == set(SCREENS)
    got = {screen: _outcome(client.get(screens[screen])) for screen in SCREENS}
    expected = {screen: _expected(role, screen) for screen in SCREENS}
    assert got == expected


def test_a_resident_who_opens_cms_is_refused(client, world):
    client.force_login(world["users"]["resident"])

    response = client.get("/cms/")

    # Not a redirect to the login: allauth's login would send someone logged in straight back.
    assert response.status_code == 403
    assert "Hier heb je geen toegang toe" in response.content.decode()


def test_host_group_has_no_admin_access():
    hosts = Group.objects.get(name=HOST_GROUP)
    assert not hosts.permissions.filter(codename="access_admin").exists()


def test_librarians_may_not_add_or_delete_libraries():
    codenames = set(
        Group.objects.get(name=LIBRARIAN_GROUP).permissions.values_list("codename", flat=True)
    )
    assert {"change_library", "view_library", "change_community"} <= codenames
    assert not {"add_library", "delete_library", "assign_librarians"} & codenames
    assert Permission.objects.filter(codename="assign_librarians").exists()


def _listing_titles(client, model) -> str:
    return client.get(_snippet_url(model, "list")).content.decode()


def test_librarian_lists_only_their_own_library(client, world):
    from knowledge.models import Comment, Contribution

    admin_login(client, world["users"]["librarian"])

    communities = _listing_titles(client, Community)
    assert "Buren Ahorn" in communities
    assert "Buren Beuk" not in communities
    contributions = _listing_titles(client, Contribution)
    assert "Vraag A" in contributions
    assert "Vraag B" not in contributions
    memberships = client.get(_snippet_url(Membership, "list"))
    assert {m.pk for m in memberships.context["object_list"]} == {
        world["a"]["membership"].pk,
        world["a"]["pending"].pk,
        # The host of community A.
        Membership.objects.get(community=world["a"]["community"], role="host").pk,
    }
    comments = client.get(_snippet_url(Comment, "list"))
    assert [c.pk for c in comments.context["object_list"]] == [world["a"]["comment"].pk]


def test_superuser_lists_every_library(client, world):
    admin_login(client, world["users"]["superuser"])

    communities = _listing_titles(client, Community)

    assert "Buren Ahorn" in communities
    assert "Buren Beuk" in communities


def test_librarian_cannot_bulk_delete_a_community_of_another_library(client, world):
    admin_login(client, world["users"]["librarian"])
    other = world["b"]["community"]
    url = (
        reverse("wagtail_bulk_action", args=("communities", "community", "delete"))
        + f"?id={other.pk}"
    )

    client.post(url)

    assert Community.objects.filter(pk=other.pk).exists()


def _community_form(community: Community, **changes) -> dict:
    data = {
        "title": community.title,
        "slug": community.slug,
        "description": community.description,
        "welcome_message": "",
        "visibility": community.visibility,
        "premoderation": community.premoderation,
        "library": community.library_id,
        "region": community.region_id or "",
        "parent": "",
    }
    return {**data, **changes}


def test_librarian_cannot_move_their_community_to_another_library(client, world):
    admin_login(client, world["users"]["librarian"])
    own = world["a"]["community"]

    response = client.post(
        _snippet_url(Community, "edit", own.pk),
        _community_form(own, library=world["libraries"]["b"].pk),
    )

    assert response.status_code == 200
    assert "library" in response.context["form"].errors
    own.refresh_from_db()
    assert own.library == world["libraries"]["a"]


def test_librarian_only_chooses_their_own_library_for_a_new_community(client, world):
    admin_login(client, world["users"]["librarian"])

    response = client.get(_snippet_url(Community, "add"))

    choices = list(response.context["form"].fields["library"].queryset)
    assert choices == [world["libraries"]["a"]]
    assert "Bibliotheek Beuk" not in response.content.decode()


def test_librarian_saves_a_community_of_their_library(client, world):
    admin_login(client, world["users"]["librarian"])
    own = world["a"]["community"]

    response = client.post(
        _snippet_url(Community, "edit", own.pk),
        _community_form(own, title="Buren Ahorn en omstreken"),
    )

    assert response.status_code == 302
    own.refresh_from_db()
    assert own.title == "Buren Ahorn en omstreken"


def test_librarian_cannot_post_to_a_community_of_another_library(client, world):
    admin_login(client, world["users"]["librarian"])
    other = world["b"]["community"]

    client.post(_snippet_url(Community, "edit", other.pk), _community_form(other, title="Weg"))

    other.refresh_from_db()
    assert other.title == "Buren Beuk"


def test_membership_form_offers_only_own_communities(client, world):
    admin_login(client, world["users"]["librarian"])

    response = client.get(_snippet_url(Membership, "add"))

    assert list(response.context["form"].fields["community"].queryset) == [world["a"]["community"]]


def test_only_a_superuser_assigns_librarians(client, world):
    library = world["libraries"]["a"]
    admin_login(client, world["users"]["librarian"])
    as_librarian = client.get(_snippet_url(Library, "edit", library.pk))
    assert "librarians" not in as_librarian.context["form"].fields

    admin_login(client, world["users"]["superuser"])
    as_superuser = client.get(_snippet_url(Library, "edit", library.pk))
    field = as_superuser.context["form"].fields["librarians"]
    # Only people with the librarian role can be chosen.
    assert set(field.queryset) == {
        world["users"]["librarian"],
        world["users"]["librarian_without_library"],
    }


# --- The site: the same rule ---------------------------------------------------------------


def test_librarian_manages_only_the_communities_of_their_library(world):
    librarian = world["users"]["librarian"]
    own, other = world["a"]["community"], world["b"]["community"]

    assert selectors.user_can_manage(librarian, own)
    assert selectors.user_is_host(librarian, own)
    assert not selectors.user_can_manage(librarian, other)
    assert not selectors.user_is_host(librarian, other)
    assert not selectors.community_access(librarian, other).can_manage


def test_librarian_without_library_manages_no_community(world):
    librarian = world["users"]["librarian_without_library"]

    assert selectors.user_is_librarian(librarian)
    assert not selectors.user_can_manage(librarian, world["a"]["community"])
    assert not selectors.user_can_manage(librarian, world["b"]["community"])


def test_librarian_cannot_approve_a_request_in_another_library(world):
    pending = world["b"]["pending"]

    with pytest.raises(PermissionDenied):
        services.membership_approve(
            by=world["users"]["librarian"],
            community=world["b"]["community"],
            membership_id=pending.pk,
        )

    pending.refresh_from_db()
    assert pending.state == Membership.State.PENDING


def test_members_page_of_another_library_is_refused(client, world):
    admin_login(client, world["users"]["librarian"])

    own = client.get(reverse("communities:community_members", args=[world["a"]["community"].slug]))
    other = client.get(
        reverse("communities:community_members", args=[world["b"]["community"].slug])
    )

    assert own.status_code == 200
    assert other.status_code == 403


def test_library_add_librarian_gives_role_and_scope(world):
    user = UserFactory()
    library = world["libraries"]["b"]
    assert not selectors.user_can_manage(user, world["b"]["community"])

    services.library_add_librarian(library=library, user=user)

    assert user.groups.filter(name=LIBRARIAN_GROUP).exists()
    assert list(user.libraries.all()) == [library]
    assert selectors.user_can_manage(user, world["b"]["community"])


# --- Themes ---------------------------------------------------------------------------------


def test_theme_listing_shows_communities_and_published_contributions(client, world):
    from knowledge.models import Contribution

    theme = world["theme"]
    ContributionFactory(community=world["a"]["community"], themes=[theme])
    ContributionFactory(community=world["b"]["community"], themes=[theme])
    ContributionFactory(
        community=world["a"]["community"], themes=[theme], status=Contribution.Status.HIDDEN
    )
    ThemeFactory(title="Leeg thema")
    admin_login(client, world["users"]["librarian"])

    response = client.get(_snippet_url(Theme, "list"))

    rows = {t.title: t for t in response.context["object_list"]}
    assert rows["Samen leven"].contribution_count == 2
    assert rows["Leeg thema"].contribution_count == 0
    html = response.content.decode()
    assert "Buren Ahorn, Buren Beuk" in html
    assert "Gepubliceerde bijdragen" in html


def test_theme_listing_search_and_ordering(client, world):
    ThemeFactory(title="Wonen", sort_order=1, featured=True)
    ThemeFactory(title="Onderwijs", sort_order=2)
    admin_login(client, world["users"]["librarian"])
    url = _snippet_url(Theme, "list")

    found = client.get(url, {"q": "onderw"}).context["object_list"]
    by_title = client.get(url, {"ordering": "title"}).context["object_list"]
    featured_first = client.get(url, {"ordering": "-featured"}).context["object_list"]

    assert [t.title for t in found] == ["Onderwijs"]
    assert [t.title for t in by_title] == ["Onderwijs", "Samen leven", "Wonen"]
    assert featured_first[0].title == "Wonen"


def test_theme_listing_costs_the_same_queries_for_more_themes(client, world):
    from tests.querycount import assert_constant_queries

    admin_login(client, world["users"]["librarian"])

    def add_items(n):
        for _ in range(n):
            theme = ThemeFactory()
            CommunityFactory(library=world["libraries"]["a"], themes=[theme])
            ContributionFactory(community=world["a"]["community"], themes=[theme])

    assert_constant_queries(
        client, _snippet_url(Theme, "list"), add_items, label="admin theme listing"
    )


def _theme_form(**changes) -> dict:
    data = {
        "title": "Eenzaamheid",
        "slug": "eenzaamheid",
        "intro": "Samen tegen eenzaamheid.",
        "image": "",
        "image_alt": "",
        "sort_order": "5",
    }
    return {**data, **changes}


@pytest.fixture
def image(db):
    from wagtail.images.models import Image

    return Image.objects.create(title="Buren", file=get_test_image_file())


def test_theme_with_image_needs_a_description_and_says_so_at_the_field(client, world, image):
    admin_login(client, world["users"]["librarian"])

    response = client.post(_snippet_url(Theme, "add"), _theme_form(image=image.pk))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Beschrijf wat er op de afbeelding te zien is" in errors["image_alt"][0]
    assert not Theme.objects.filter(slug="eenzaamheid").exists()


def test_theme_with_image_and_description_is_saved(client, world, image):
    admin_login(client, world["users"]["librarian"])

    response = client.post(
        _snippet_url(Theme, "add"),
        _theme_form(image=image.pk, image_alt="Twee buren drinken koffie", featured="on"),
    )

    assert response.status_code == 302
    theme = Theme.objects.get(slug="eenzaamheid")
    assert theme.image == image
    assert theme.image_alt == "Twee buren drinken koffie"
    assert theme.featured


def test_theme_without_web_address_gets_one_from_its_title(client, world):
    admin_login(client, world["users"]["librarian"])

    response = client.post(_snippet_url(Theme, "add"), _theme_form(title="Nieuwe buren", slug=""))

    assert response.status_code == 302
    assert Theme.objects.filter(slug="nieuwe-buren").exists()


def test_theme_clean_requires_alt_text_only_with_an_image(image):
    from django.core.exceptions import ValidationError

    Theme(title="Zonder", slug="zonder").full_clean()
    with pytest.raises(ValidationError) as excinfo:
        Theme(title="Met", slug="met", image=image, image_alt="   ").full_clean()
    assert "image_alt" in excinfo.value.message_dict


def test_membership_filter_offers_only_own_communities(client, world):
    admin_login(client, world["users"]["librarian"])

    response = client.get(_snippet_url(Membership, "list"))

    choices = response.context["filters"].form.fields["community"].queryset
    assert list(choices) == [world["a"]["community"]]


# --- Meetups: a librarian runs those of their own libraries -----------------------------------


def test_librarian_lists_only_the_meetups_of_their_library(client, world):
    from meetups.models import Meetup

    branch_b = BranchFactory(library=world["libraries"]["b"])
    branch_a = BranchFactory(library=world["libraries"]["a"])
    at_a = MeetupFactory(title="Open dag Ahorn", branch=branch_a, status=Meetup.Status.DRAFT)
    at_b = MeetupFactory(title="Open dag Beuk", branch=branch_b, status=Meetup.Status.DRAFT)
    nowhere = MeetupFactory(title="Nergens")
    admin_login(client, world["users"]["librarian"])

    response = client.get(_snippet_url(Meetup, "list"))

    listed = {m.pk for m in response.context["object_list"]}
    assert listed == {world["meetup"].pk, at_a.pk}
    assert "Ruilmiddag Beuk" not in response.content.decode()
    assert _outcome(client.get(_snippet_url(Meetup, "edit", at_b.pk))) == DENIED
    assert _outcome(client.get(_snippet_url(Meetup, "edit", nowhere.pk))) == DENIED
    assert _outcome(client.get(_snippet_url(Meetup, "edit", at_a.pk))) == OK


def test_organiser_lists_every_meetup(client, world):
    from meetups.models import Meetup

    nowhere = MeetupFactory(title="Nergens")
    admin_login(client, world["users"]["organiser"])

    response = client.get(_snippet_url(Meetup, "list"))

    listed = {m.pk for m in response.context["object_list"]}
    assert listed == {world["meetup"].pk, world["other_meetup"].pk, nowhere.pk}


def test_librarian_cannot_post_to_a_meetup_of_another_library(client, world):
    from meetups.models import Meetup

    other = world["other_meetup"]
    admin_login(client, world["users"]["librarian"])

    response = client.post(_snippet_url(Meetup, "edit", other.pk), {"title": "Weg"})

    assert _outcome(response) == DENIED
    other.refresh_from_db()
    assert other.title == "Ruilmiddag Beuk"


def test_librarian_chooses_only_their_libraries_communities_for_a_meetup(client, world):
    from meetups.models import Meetup

    admin_login(client, world["users"]["librarian"])

    response = client.get(_snippet_url(Meetup, "edit", world["meetup"].pk))

    assert list(response.context["form"].fields["community"].queryset) == [world["a"]["community"]]


def test_librarian_of_another_library_cannot_run_its_meetups_on_the_site(client, world):
    from meetups.models import Meetup

    other = world["other_meetup"]
    RsvpFactory(meetup=other, access_needs="Rolstoelplek", user__email="gast@beuk.example")
    draft = MeetupFactory(
        community=world["b"]["community"], status=Meetup.Status.DRAFT, title="Geheim concept"
    )
    proposal = MeetupFactory(
        community=world["b"]["community"],
        status=Meetup.Status.PROPOSED,
        title="Voorstel Beuk",
        proposed_by=world["b"]["membership"].user,
    )
    admin_login(client, world["users"]["librarian"])

    attendees = client.get(f"/bijeenkomsten/{other.pk}/deelnemers/")
    csv = client.get(f"/bijeenkomsten/{other.pk}/deelnemers.csv")
    draft_page = client.get(f"/bijeenkomsten/{draft.pk}/")
    client.post(f"/bijeenkomsten/{draft.pk}/publiceren/")
    proposals = client.get("/bijeenkomsten/voorstellen/").content.decode()

    assert attendees.status_code in (403, 404)
    assert "Rolstoelplek" not in attendees.content.decode()
    assert csv.status_code in (403, 404)
    assert "gast@beuk.example" not in csv.content.decode()
    assert draft_page.status_code == 404
    draft.refresh_from_db()
    assert draft.status == Meetup.Status.DRAFT
    assert "Voorstel Beuk" not in proposals
    assert "Geheim concept" not in proposals
    assert not meetup_selectors.meetup_can_manage(world["users"]["librarian"], other)
    assert proposal not in meetup_selectors.meetup_list_proposals_to_decide(
        world["users"]["librarian"]
    )


def test_librarian_runs_the_meetups_of_their_own_library_on_the_site(client, world):
    own = world["meetup"]
    RsvpFactory(meetup=own, access_needs="Ringleiding")
    admin_login(client, world["users"]["librarian"])

    attendees = client.get(f"/bijeenkomsten/{own.pk}/deelnemers/")

    assert attendees.status_code == 200
    assert "Ringleiding" in attendees.content.decode()
