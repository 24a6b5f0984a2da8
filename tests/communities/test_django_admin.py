"""The Django admin (/django-admin/) against the per-library rule of the Wagtail admin.

Libraries A and B (the `world` of test_admin_roles): the librarian of A, with staff status as
the demo gives librarians, tries every screen of library B's rows. Communities, memberships,
libraries, branches, contributions, comments, appreciations and meetups are managed in the
Wagtail admin only, so they have no screen here at all; RSVPs are scoped like the meetups in
Wagtail and change only through the RSVP services.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import NoReverseMatch, reverse

from communities.models import Community, Library, Membership
from communities.selectors import ORGANISER_GROUP
from knowledge.models import Appreciation, Comment, Contribution
from meetups.models import Meetup, Rsvp, Session
from tests.communities.factories import UserFactory
from tests.communities.test_admin_roles import world as world  # the fixture
from tests.knowledge.factories import AppreciationFactory
from tests.meetups.factories import BranchFactory, RsvpFactory
from tests.mfa import admin_login

pytestmark = pytest.mark.django_db

GOING, WAITLIST, CANCELLED = Rsvp.State.GOING, Rsvp.State.WAITLIST, Rsvp.State.CANCELLED


def _staff(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def _admin_path(model, view: str = "changelist", pk: int | None = None) -> str:
    """The address Django's admin gives `model`, built by hand: it need not be registered."""
    base = f"/django-admin/{model._meta.app_label}/{model._meta.model_name}/"
    if view == "changelist":
        return base
    return f"{base}{pk}/{view}/" if view != "change" else f"{base}{pk}/change/"


@pytest.fixture
def other(world):
    """Library B's rows, one of each kind, with a private RSVP."""
    b = world["b"]
    rsvp = RsvpFactory(
        meetup=world["other_meetup"], access_needs="Rolstoelplek B", user__email="gast@beuk.example"
    )
    return {
        Community: b["community"],
        Membership: b["membership"],
        Library: world["libraries"]["b"],
        Contribution: b["contribution"],
        Comment: b["comment"],
        Appreciation: AppreciationFactory(contribution=b["contribution"]),
        Meetup: world["other_meetup"],
        Rsvp: rsvp,
    }


# Managed in the Wagtail admin only: no screen here for anyone.
WAGTAIL_ONLY = [
    Community,
    Membership,
    Library,
    Contribution,
    Comment,
    Appreciation,
    Meetup,
    Session,
]


@pytest.mark.parametrize("model", WAGTAIL_ONLY, ids=lambda m: m._meta.label)
@pytest.mark.parametrize("role", ["librarian", "superuser"])
def test_domain_models_have_no_django_admin_screen(client, world, other, model, role):
    admin_login(client, _staff(world["users"][role]))
    row = other.get(model) or Session.objects.create(
        meetup=world["other_meetup"],
        title="Werkplaats",
        starts_at=world["other_meetup"].starts_at,
        ends_at=world["other_meetup"].ends_at,
    )
    with pytest.raises(NoReverseMatch):
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")

    assert client.get(_admin_path(model)).status_code == 404
    assert client.get(_admin_path(model, "change", row.pk)).status_code == 404
    assert client.post(_admin_path(model, "change", row.pk), {"title": "Weg"}).status_code == 404
    assert client.post(_admin_path(model, "delete", row.pk), {"post": "yes"}).status_code == 404
    assert model.objects.filter(pk=row.pk).exists()


def test_the_admin_index_lists_no_domain_model(client, world):
    admin_login(client, _staff(world["users"]["superuser"]))

    html = client.get(reverse("admin:index")).content.decode()

    assert "/django-admin/communities/user/" in html
    assert "/django-admin/meetups/rsvp/" in html
    for model in WAGTAIL_ONLY:
        assert _admin_path(model) not in html


# --- RSVPs: scoped like the meetups in Wagtail ---------------------------------------------


def test_librarian_lists_only_the_rsvps_of_their_librarys_meetups(client, world, other):
    own = RsvpFactory(meetup=world["meetup"], access_needs="Ringleiding A")
    admin_login(client, _staff(world["users"]["librarian"]))

    response = client.get(reverse("admin:meetups_rsvp_changelist"))

    assert response.status_code == 200
    assert [r.pk for r in response.context["cl"].result_list] == [own.pk]
    html = response.content.decode()
    assert "gast@beuk.example" not in html
    # The meetup filter offers the librarian's own meetups only.
    assert world["meetup"].title in html
    assert "Ruilmiddag Beuk" not in html


@pytest.mark.parametrize(
    "view, method",
    [("change", "get"), ("change", "post"), ("history", "get"), ("delete", "post")],
)
def test_librarian_cannot_open_or_change_an_rsvp_of_another_library(
    client,
    world,
    other,
    view,
    method,
):
    rsvp = other[Rsvp]
    admin_login(client, _staff(world["users"]["librarian"]))

    url = reverse(f"admin:meetups_rsvp_{view}", args=[rsvp.pk])
    response = getattr(client, method)(url, {"state": CANCELLED, "post": "yes"})

    assert response.status_code == 404
    assert "Rolstoelplek B" not in response.content.decode()
    rsvp.refresh_from_db()
    assert rsvp.state == GOING
    assert rsvp.access_needs == "Rolstoelplek B"


def test_librarian_cannot_sign_off_an_rsvp_of_another_library(client, world, other):
    rsvp = other[Rsvp]
    admin_login(client, _staff(world["users"]["librarian"]))

    client.post(
        reverse("admin:meetups_rsvp_changelist"),
        {"action": "cancel_rsvps", "_selected_action": [rsvp.pk]},
    )

    rsvp.refresh_from_db()
    assert rsvp.state == GOING


def test_librarian_reads_an_rsvp_of_their_library_but_cannot_edit_it(client, world):
    own = RsvpFactory(meetup=world["meetup"], access_needs="Ringleiding A")
    admin_login(client, _staff(world["users"]["librarian"]))
    url = reverse("admin:meetups_rsvp_change", args=[own.pk])

    page = client.get(url)
    posted = client.post(url, {"state": CANCELLED, "access_needs": ""})

    assert page.status_code == 200
    assert "Ringleiding A" in page.content.decode()
    assert posted.status_code == 403
    own.refresh_from_db()
    assert (own.state, own.access_needs) == (GOING, "Ringleiding A")


def test_nobody_adds_rsvps_in_the_django_admin(client, world):
    admin_login(client, _staff(world["users"]["superuser"]))

    assert client.get(reverse("admin:meetups_rsvp_add")).status_code == 403


def test_organiser_sees_every_rsvp_and_a_librarian_of_another_library_none(client, world, other):
    organiser = UserFactory(is_staff=True)
    organiser.groups.add(Group.objects.get(name=ORGANISER_GROUP))
    at_branch_a = RsvpFactory(
        meetup__branch=BranchFactory(library=world["libraries"]["a"]), meetup__community=None
    )
    admin_login(client, organiser)

    listed = client.get(reverse("admin:meetups_rsvp_changelist")).context["cl"].result_list

    assert {r.pk for r in listed} == {other[Rsvp].pk, at_branch_a.pk}

    admin_login(client, _staff(world["users"]["librarian_without_library"]))
    response = client.get(reverse("admin:meetups_rsvp_changelist"))
    assert response.status_code == 403 or not list(response.context["cl"].result_list)


# --- Signing off goes through the RSVP service ---------------------------------------------


def test_signing_off_in_the_django_admin_promotes_the_waitlist_and_mails(
    client,
    world,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    meetup = world["meetup"]
    meetup.capacity = 1
    meetup.save()
    going = RsvpFactory(meetup=meetup, access_needs="Ringleiding")
    waiting = RsvpFactory(meetup=meetup, state=WAITLIST, user__email="wacht@ahorn.example")
    admin_login(client, _staff(world["users"]["librarian"]))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:meetups_rsvp_changelist"),
            {"action": "cancel_rsvps", "_selected_action": [going.pk]},
            follow=True,
        )

    going.refresh_from_db()
    waiting.refresh_from_db()
    assert (going.state, going.access_needs) == (CANCELLED, "")
    assert waiting.state == GOING
    assert [m.to for m in mailoutbox] == [["wacht@ahorn.example"]]
    assert "1 aanmelding afgemeld." in response.content.decode()


def test_signing_off_after_the_start_is_refused_with_a_message(client, world):
    from datetime import timedelta

    from django.utils import timezone

    meetup = world["meetup"]
    meetup.starts_at = timezone.now() - timedelta(minutes=5)
    meetup.save()
    going = RsvpFactory(meetup=meetup)
    admin_login(client, _staff(world["users"]["librarian"]))

    response = client.post(
        reverse("admin:meetups_rsvp_changelist"),
        {"action": "cancel_rsvps", "_selected_action": [going.pk]},
        follow=True,
    )

    going.refresh_from_db()
    assert going.state == GOING
    assert "Afmelden kan niet meer" in response.content.decode()
