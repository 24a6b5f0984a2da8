"""Who runs which meetup: librarians per library, organisers everywhere they may see, hosts in
their community, a meetup's own organisers; whom a host may name as organiser; and the session
places checked under their locks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meetups import selectors, services
from meetups.forms import MeetupForm
from meetups.models import Meetup, Session, SessionSignup
from tests.communities.factories import CommunityFactory
from tests.html import field_errors, page_text
from tests.meetups.factories import (
    BranchFactory,
    MeetupFactory,
    RsvpFactory,
    SessionFactory,
    make_organiser,
)
from tests.meetups.test_publishing import (
    ADMIN_FORMAT,
    _admin_data,
    _admin_url,
    _create_data,
    _edit_data,
)
from tests.mfa import admin_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(db):
    return make_organiser(display_name="Olga Organisator", handle="olga")


@pytest.fixture
def other_community(db):
    """A community of another library than `community`'s."""
    return CommunityFactory(title="Buren Beuk", slug="buren-beuk")


# --- Librarians: their own libraries only ------------------------------------------------------


def test_librarian_manages_meetups_of_their_library_only(librarian, community, other_community):
    own = MeetupFactory(community=community)
    other = MeetupFactory(community=other_community)

    assert selectors.meetup_can_manage(librarian, own)
    assert not selectors.meetup_can_manage(librarian, other)
    assert selectors.meetup_can_create_in(librarian, community)
    assert not selectors.meetup_can_create_in(librarian, other_community)


def test_meetup_without_community_belongs_to_its_branchs_library(librarian, community, organiser):
    own_branch = BranchFactory(library=community.library)
    at_own = MeetupFactory(branch=own_branch)
    at_other = MeetupFactory(branch=BranchFactory())
    nowhere = MeetupFactory()

    assert selectors.meetup_can_manage(librarian, at_own)
    assert not selectors.meetup_can_manage(librarian, at_other)
    assert not selectors.meetup_can_manage(librarian, nowhere)
    assert selectors.meetup_can_manage(organiser, nowhere)


def test_proposals_and_drafts_of_another_library_are_not_listed(
    librarian, community, other_community, member
):
    own = MeetupFactory(community=community, status=Meetup.Status.PROPOSED, proposed_by=member)
    MeetupFactory(community=other_community, status=Meetup.Status.PROPOSED, proposed_by=member)
    own_draft = MeetupFactory(community=community, status=Meetup.Status.DRAFT)
    MeetupFactory(community=other_community, status=Meetup.Status.DRAFT)

    assert list(selectors.meetup_list_proposals_to_decide(librarian)) == [own]
    assert list(selectors.meetup_list_drafts_managed_by(librarian)) == [own_draft]


def test_librarian_of_another_library_cannot_publish_or_see_its_draft(
    client, librarian, other_community
):
    draft = MeetupFactory(community=other_community, status=Meetup.Status.DRAFT)
    admin_login(client, librarian)

    page = client.get(f"/bijeenkomsten/{draft.pk}/")
    client.post(f"/bijeenkomsten/{draft.pk}/publiceren/")

    assert page.status_code == 404
    draft.refresh_from_db()
    assert draft.status == Meetup.Status.DRAFT
    with pytest.raises(PermissionDenied):
        services.meetup_publish(by=librarian, meetup_id=draft.pk)


def test_librarian_is_offered_only_their_libraries_communities(
    librarian, community, other_community
):
    form = MeetupForm(user=librarian)

    assert list(form.fields["community"].queryset) == [community]


def test_librarian_plans_a_meetup_without_community_at_their_own_branch_only(
    client, librarian, community
):
    own_branch = BranchFactory(library=community.library)
    other_branch = BranchFactory()
    admin_login(client, librarian)

    refused = client.post(
        "/bijeenkomsten/nieuw/", _create_data(branch=str(other_branch.pk), address="")
    )
    created = client.post(
        "/bijeenkomsten/nieuw/",
        _create_data(branch=str(own_branch.pk), address="", title="Open dag"),
    )

    assert "vestiging van je eigen bibliotheek" in field_errors(refused, "community")
    assert created.status_code == 302
    assert list(Meetup.objects.values_list("title", flat=True)) == ["Open dag"]


def test_librarian_without_library_plans_nothing(client, community):
    from django.contrib.auth.models import Group

    from communities.selectors import LIBRARIAN_GROUP
    from tests.communities.factories import UserFactory

    nobody = UserFactory()
    nobody.groups.add(Group.objects.get(name=LIBRARIAN_GROUP))
    client.force_login(nobody)

    assert client.get("/bijeenkomsten/nieuw/").status_code == 403
    assert not selectors.meetup_can_manage(nobody, MeetupFactory(community=community))


# --- Organisers: every community they may see; managers reach their tools ------------------


def test_organiser_is_not_offered_a_private_community_they_do_not_belong_to(
    organiser, community, private_community
):
    form = MeetupForm(user=organiser)

    assert private_community not in form.fields["community"].queryset
    assert community in form.fields["community"].queryset
    assert not selectors.meetup_can_create_in(organiser, private_community)
    with pytest.raises(PermissionDenied):
        services.meetup_create(
            by=organiser,
            fields={
                "title": "Stiekem",
                "description": "x",
                "community": private_community,
                "starts_at": timezone.now() + timedelta(days=3),
                "ends_at": timezone.now() + timedelta(days=3, hours=1),
                "address": "Markt 1",
            },
        )
    assert not Meetup.objects.exists()


@pytest.mark.parametrize("screen", ["bewerken/", "afgelasten/", "deelnemers/", "verslag/"])
def test_organiser_reaches_the_tools_of_a_meetup_they_cannot_see(
    client, organiser, private_community, screen
):
    meetup = MeetupFactory(community=private_community)
    admin_login(client, organiser)

    assert client.get(f"/bijeenkomsten/{meetup.pk}/{screen}").status_code == 200


def test_meetups_own_organiser_reaches_its_tools_in_a_private_community(
    client, outsider, private_community
):
    meetup = MeetupFactory(community=private_community)
    meetup.organisers.add(outsider)
    RsvpFactory(meetup=meetup, access_needs="Ringleiding")
    client.force_login(outsider)

    response = client.get(f"/bijeenkomsten/{meetup.pk}/deelnemers/")

    assert response.status_code == 200
    assert "Ringleiding" in page_text(response)


def test_others_still_get_404_or_403(client, member, membership, community, private_community):
    hidden = MeetupFactory(community=private_community)
    seen = MeetupFactory(community=community)
    client.force_login(member)

    assert client.get(f"/bijeenkomsten/{hidden.pk}/deelnemers/").status_code == 404
    assert client.get(f"/bijeenkomsten/{seen.pk}/deelnemers/").status_code == 403


# --- Whom a host may name as organiser ---------------------------------------------------------


def test_host_cannot_name_an_outsider_as_organiser(client, host, community, outsider):
    client.force_login(host)

    response = client.post(
        f"/bijeenkomsten/nieuw/?gemeenschap={community.slug}",
        _create_data(community, organisers="@hanna, @otto"),
    )

    assert "@otto" in field_errors(response, "organisers")
    assert not Meetup.objects.exists()


def test_host_names_members_of_the_community(client, host, community, member, membership):
    client.force_login(host)

    response = client.post(
        f"/bijeenkomsten/nieuw/?gemeenschap={community.slug}",
        _create_data(community, organisers="@hanna, @mila"),
    )

    assert response.status_code == 302
    assert set(Meetup.objects.get().organisers.all()) == {host, member}


def test_host_keeps_organisers_already_named(client, host, community, outsider):
    meetup = MeetupFactory(community=community, address="Markt 1")
    meetup.organisers.add(outsider)
    client.force_login(host)

    response = client.post(f"/bijeenkomsten/{meetup.pk}/bewerken/", _edit_data(meetup))

    assert response.status_code == 302
    assert list(meetup.organisers.all()) == [outsider]


def test_service_refuses_an_outsider_named_by_a_host(host, community, outsider):
    meetup = MeetupFactory(community=community, address="Markt 1")

    with pytest.raises(ValidationError):
        services.meetup_update(
            by=host, meetup_id=meetup.pk, fields={}, themes=[], organisers=[outsider]
        )

    assert not meetup.organisers.exists()


def test_organiser_and_librarian_name_anyone(organiser, librarian, community, outsider):
    meetup = MeetupFactory(community=community, address="Markt 1")

    for by in (organiser, librarian):
        services.meetup_update(
            by=by, meetup_id=meetup.pk, fields={}, themes=[], organisers=[outsider]
        )

    assert list(meetup.organisers.all()) == [outsider]


# --- Session places under their locks ----------------------------------------------------------


# SQLite has no row locks (Django leaves FOR UPDATE out there); it serialises every writer.
@pytest.mark.postgres
def test_programme_sessions_are_locked_before_their_capacity_is_checked(host, community):
    day = MeetupFactory(community=community, kind=Meetup.Kind.NETWORK_DAY, address="Markt 1")
    session = SessionFactory(meetup=day)
    data = services.SessionData(
        title=session.title,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        capacity=3,
        pk=session.pk,
    )

    with CaptureQueriesContext(connection) as queries:
        services.meetup_update(
            by=host,
            meetup_id=day.pk,
            fields={},
            themes=[],
            organisers=[],
            sessions=[data],
        )

    locked = [
        q["sql"] for q in queries if '"meetups_session"' in q["sql"] and "FOR UPDATE" in q["sql"]
    ]
    assert locked, "the sessions were read without a row lock"
    session.refresh_from_db()
    assert session.capacity == 3


def _admin_session_data(session: Session, capacity: str) -> dict:
    return {
        "sessions-TOTAL_FORMS": "1",
        "sessions-INITIAL_FORMS": "1",
        "sessions-0-id": str(session.pk),
        "sessions-0-title": session.title,
        "sessions-0-starts_at": timezone.localtime(session.starts_at).strftime(ADMIN_FORMAT),
        "sessions-0-ends_at": timezone.localtime(session.ends_at).strftime(ADMIN_FORMAT),
        "sessions-0-room": "",
        "sessions-0-speaker": "",
        "sessions-0-description": "",
        "sessions-0-capacity": capacity,
        "sessions-0-ORDER": "1",
        "sessions-0-DELETE": "",
    }


def test_admin_refuses_session_capacity_below_its_signups_at_the_field(
    client, librarian, community
):
    day = MeetupFactory(community=community, kind=Meetup.Kind.NETWORK_DAY, address="Markt 1")
    session = SessionFactory(meetup=day, capacity=5)
    for rsvp in RsvpFactory.create_batch(2, meetup=day):
        SessionSignup.objects.create(session=session, user=rsvp.user)
    admin_login(client, librarian)

    response = client.post(
        _admin_url(day), _admin_data(day, **_admin_session_data(session, capacity="1"))
    )

    assert response.status_code == 200
    formset = response.context["form"].formsets["sessions"]
    assert "Er hebben al 2 mensen een plek" in " ".join(formset.forms[0].errors["capacity"])
    session.refresh_from_db()
    assert session.capacity == 5


def test_admin_save_checks_session_capacity_again_under_the_lock(community):
    day = MeetupFactory(community=community, kind=Meetup.Kind.NETWORK_DAY, address="Markt 1")
    session = SessionFactory(meetup=day, capacity=5)
    for rsvp in RsvpFactory.create_batch(2, meetup=day):
        SessionSignup.objects.create(session=session, user=rsvp.user)

    def save():
        # What Wagtail's own write does, after a sign-up slipped in past the form.
        Session.objects.filter(pk=session.pk).update(capacity=1)
        return day

    with pytest.raises(ValidationError) as excinfo:
        services.meetup_admin_save(meetup=day, save=save)

    assert "2 mensen" in str(excinfo.value)
    session.refresh_from_db()
    assert session.capacity == 5
