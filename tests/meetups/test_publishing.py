"""Planning meetups on the site and in the Wagtail admin: who may create, edit, publish,
cancel, propose, approve and decline; what bad input shows; and the notices that follow."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from communities.models import Membership
from meetups import services
from meetups.models import Meetup, Rsvp, Session
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.html import field_errors, page_text
from tests.meetups.factories import (
    BranchFactory,
    MeetupFactory,
    RsvpFactory,
    SessionFactory,
    make_organiser,
)
from tests.mfa import admin_login

pytestmark = pytest.mark.django_db

FORMAT = "%Y-%m-%dT%H:%M"
GOING, WAITLIST = Rsvp.State.GOING, Rsvp.State.WAITLIST


def _at(days: int, hour: int) -> datetime:
    """A wall-clock time in Europe/Amsterdam, `days` from today."""
    local = timezone.localtime() + timedelta(days=days)
    return local.replace(hour=hour, minute=0, second=0, microsecond=0)


def _fmt(moment: datetime) -> str:
    return timezone.localtime(moment).strftime(FORMAT)


def _sessions_management(total=3, initial=0) -> dict:
    return {
        "sessions-TOTAL_FORMS": str(total),
        "sessions-INITIAL_FORMS": str(initial),
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "1000",
    }


def _create_data(community=None, **overrides) -> dict:
    data = {
        "kind": Meetup.Kind.MEETUP,
        "title": "Zonnepanelen vergelijken",
        "description": "We leggen offertes naast elkaar.",
        "community": str(community.pk) if community else "",
        "starts_at": _fmt(_at(10, 19)),
        "ends_at": _fmt(_at(10, 21)),
        "branch": "",
        "address": "Markt 1, Tilburg",
        "online_url": "",
        "accessibility_info": "Drempelvrij, ringleiding in de zaal.",
        "capacity": "20",
        "organisers": "",
        "action": "publish",
        **_sessions_management(),
    }
    data.update(overrides)
    return data


def _edit_data(meetup: Meetup, **overrides) -> dict:
    sessions = list(Session.objects.filter(meetup=meetup).order_by("starts_at"))
    data = {
        "kind": meetup.kind,
        "title": meetup.title,
        "description": meetup.description,
        "community": str(meetup.community_id or ""),
        "themes": [str(t.pk) for t in meetup.themes.all()],
        "starts_at": _fmt(meetup.starts_at),
        "ends_at": _fmt(meetup.ends_at),
        "branch": str(meetup.branch_id or ""),
        "address": meetup.address,
        "online_url": meetup.online_url,
        "accessibility_info": meetup.accessibility_info,
        "capacity": "" if meetup.capacity is None else str(meetup.capacity),
        "organisers": ", ".join(f"@{u.handle}" for u in meetup.organisers.all()),
        "action": "save",
        **_sessions_management(total=len(sessions) + 3, initial=len(sessions)),
    }
    if meetup.is_hybrid:
        data["is_hybrid"] = "on"
    for i, session in enumerate(sessions):
        data.update(
            {
                f"sessions-{i}-id": str(session.pk),
                f"sessions-{i}-title": session.title,
                f"sessions-{i}-starts_at": _fmt(session.starts_at),
                f"sessions-{i}-ends_at": _fmt(session.ends_at),
                f"sessions-{i}-room": session.room,
                f"sessions-{i}-speaker": session.speaker,
                f"sessions-{i}-description": session.description,
                f"sessions-{i}-capacity": "" if session.capacity is None else str(session.capacity),
            }
        )
    data.update(overrides)
    return data


@pytest.fixture
def organiser(db):
    return make_organiser(display_name="Olga Organisator", handle="olga")


@pytest.fixture
def other_host(db):
    other = CommunityFactory(title="Repaircafé Zuid", slug="repair-zuid")
    return MembershipFactory(community=other, role=Membership.Role.HOST).user


@pytest.fixture
def meetup(community):
    """Published, in the community, starts in a week at 19:00 for two hours, 10 places."""
    return MeetupFactory(
        community=community,
        starts_at=_at(7, 19),
        ends_at=_at(7, 21),
        capacity=10,
        address="Markt 1, Tilburg",
    )


def _login(client, who, request):
    """`who` names a fixture; "anonymous" logs nobody in."""
    if who == "anonymous":
        return None
    user = request.getfixturevalue(who)
    if who == "member":
        request.getfixturevalue("membership")
    client.force_login(user)
    return user


# --- Who may do what --------------------------------------------------------------------------

ROLES = ["anonymous", "outsider", "member", "other_host", "host", "organiser", "librarian"]
MANAGERS = {"host", "organiser", "librarian"}


@pytest.mark.parametrize("who", ROLES)
def test_create_in_a_community(client, request, community, who):
    _login(client, who, request)

    response = client.post(
        f"/bijeenkomsten/nieuw/?gemeenschap={community.slug}", _create_data(community)
    )

    if who == "anonymous":
        assert response["Location"].startswith("/accounts/login/")
    elif who in MANAGERS:
        meetup = Meetup.objects.get()
        assert response["Location"] == meetup.get_absolute_url()
        assert meetup.status == Meetup.Status.PUBLISHED
        assert meetup.community == community
        assert meetup.capacity == 20
    else:
        # Members and everyone else are sent to the proposal form: they propose, not plan.
        assert response.status_code == 302
        assert response["Location"] == f"/gemeenschappen/{community.slug}/bijeenkomst-voorstellen/"
    if who not in MANAGERS:
        assert not Meetup.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"), [("outsider", 403), ("member", 403), ("host", 200), ("organiser", 200)]
)
def test_new_meetup_page_without_a_community(client, request, who, status):
    _login(client, who, request)

    assert client.get("/bijeenkomsten/nieuw/").status_code == status


def test_host_cannot_plan_in_another_community(client, host, community):
    other = CommunityFactory()
    client.force_login(host)

    response = client.post("/bijeenkomsten/nieuw/", _create_data(other))

    assert response.status_code == 200
    assert field_errors(response, "community")
    assert not Meetup.objects.exists()


def test_organiser_creates_a_draft_for_everyone_with_organisers(client, organiser, member):
    admin_login(client, organiser)

    response = client.post(
        "/bijeenkomsten/nieuw/", _create_data(action="draft", organisers=f"@{member.handle}")
    )

    meetup = Meetup.objects.get()
    assert response["Location"] == meetup.get_absolute_url()
    assert meetup.status == Meetup.Status.DRAFT
    assert meetup.community is None
    assert list(meetup.organisers.all()) == [member]
    assert "Dit is een concept." in page_text(client.get(meetup.get_absolute_url()))


def test_times_are_read_in_amsterdam_and_the_zone_is_shown(client, organiser):
    admin_login(client, organiser)
    page = page_text(client.get("/bijeenkomsten/nieuw/"))

    client.post(
        "/bijeenkomsten/nieuw/",
        _create_data(starts_at="2030-07-01T19:30", ends_at="2030-07-01T21:00"),
    )

    assert "Tijd in Nederland (Europe/Amsterdam)." in page
    starts = Meetup.objects.get().starts_at
    # 19:30 summer time in Amsterdam is 17:30 UTC.
    assert starts.astimezone(UTC).strftime("%H:%M") == "17:30"
    assert 'type="datetime-local"' in client.get("/bijeenkomsten/nieuw/").content.decode()


@pytest.mark.parametrize("who", ROLES)
def test_edit(client, request, meetup, who):
    _login(client, who, request)

    response = client.post(
        f"/bijeenkomsten/{meetup.pk}/bewerken/", _edit_data(meetup, title="Nieuw")
    )

    meetup.refresh_from_db()
    if who == "anonymous":
        assert response["Location"].startswith("/accounts/login/")
    elif who in MANAGERS:
        assert response["Location"] == meetup.get_absolute_url()
        assert meetup.title == "Nieuw"
    else:
        assert response.status_code == 403
    if who not in MANAGERS:
        assert meetup.title != "Nieuw"


def test_a_meetups_own_organiser_may_edit_it(client, meetup, outsider):
    meetup.organisers.add(outsider)
    client.force_login(outsider)

    client.post(f"/bijeenkomsten/{meetup.pk}/bewerken/", _edit_data(meetup, title="Van mij"))

    meetup.refresh_from_db()
    assert meetup.title == "Van mij"


@pytest.mark.parametrize("who", ROLES)
def test_publish(client, request, community, who):
    draft = MeetupFactory(community=community, status=Meetup.Status.DRAFT)
    _login(client, who, request)

    response = client.post(f"/bijeenkomsten/{draft.pk}/publiceren/")

    draft.refresh_from_db()
    if who == "anonymous":
        assert response["Location"].startswith("/accounts/login/")
    elif who in MANAGERS:
        assert draft.status == Meetup.Status.PUBLISHED
    else:
        # Drafts are invisible to them: not found, and not published.
        assert response.status_code == 404
    if who not in MANAGERS:
        assert draft.status == Meetup.Status.DRAFT


def test_publish_is_post_only(client, host, community):
    draft = MeetupFactory(community=community, status=Meetup.Status.DRAFT)
    client.force_login(host)

    assert client.get(f"/bijeenkomsten/{draft.pk}/publiceren/").status_code == 405
    draft.refresh_from_db()
    assert draft.status == Meetup.Status.DRAFT


@pytest.mark.parametrize("who", ROLES)
def test_cancel(client, request, meetup, who, django_capture_on_commit_callbacks):
    _login(client, who, request)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/bijeenkomsten/{meetup.pk}/afgelasten/", {"note": "De zaal lekt.", "confirm": "on"}
        )

    meetup.refresh_from_db()
    if who == "anonymous":
        assert response["Location"].startswith("/accounts/login/")
    elif who in MANAGERS:
        assert meetup.status == Meetup.Status.CANCELLED
        assert meetup.cancellation_note == "De zaal lekt."
    else:
        assert response.status_code == 403
    if who not in MANAGERS:
        assert meetup.status == Meetup.Status.PUBLISHED


# --- The meetup page: actions for managers ----------------------------------------------------


def test_managers_see_edit_and_cancel_on_the_meetup_page(client, host, meetup):
    client.force_login(host)

    text = page_text(client.get(meetup.get_absolute_url()))

    assert "Bewerken" in text
    assert "Afgelasten" in text


def test_members_see_no_actions_on_the_meetup_page(client, member, membership, meetup):
    client.force_login(member)

    content = client.get(meetup.get_absolute_url()).content.decode()

    assert f"/bijeenkomsten/{meetup.pk}/bewerken/" not in content
    assert f"/bijeenkomsten/{meetup.pk}/afgelasten/" not in content


def test_a_draft_shows_a_publish_button(client, host, community):
    draft = MeetupFactory(community=community, status=Meetup.Status.DRAFT)
    client.force_login(host)

    content = client.get(draft.get_absolute_url()).content.decode()

    assert f'action="/bijeenkomsten/{draft.pk}/publiceren/"' in content
    assert "Dit is een concept." in page_text(client.get(draft.get_absolute_url()))


# --- Cancelling asks for a note and a confirmation, then tells everyone -----------------------


def test_cancel_page_asks_for_a_note_and_a_confirmation(client, host, meetup):
    RsvpFactory(meetup=meetup)
    client.force_login(host)

    page = client.get(f"/bijeenkomsten/{meetup.pk}/afgelasten/")
    response = client.post(f"/bijeenkomsten/{meetup.pk}/afgelasten/", {"note": ""})

    assert "1 persoon komt of staat op de wachtlijst" in page_text(page)
    assert (
        field_errors(response, "note") == "Fout: Schrijf kort waarom de bijeenkomst niet doorgaat."
    )
    assert (
        field_errors(response, "confirm")
        == "Fout: Vink aan dat je de bijeenkomst echt wilt afgelasten."
    )
    meetup.refresh_from_db()
    assert meetup.status == Meetup.Status.PUBLISHED


def test_cancelling_mails_everyone_going_or_waiting_after_commit(
    client, host, meetup, django_capture_on_commit_callbacks
):
    going = RsvpFactory(meetup=meetup, state=GOING).user
    waiting = RsvpFactory(meetup=meetup, state=WAITLIST).user
    RsvpFactory(meetup=meetup, state=Rsvp.State.CANCELLED)
    client.force_login(host)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(
            f"/bijeenkomsten/{meetup.pk}/afgelasten/", {"note": "De zaal lekt.", "confirm": "on"}
        )
    assert mail.outbox == []  # Nothing leaves before the commit.
    for callback in callbacks:
        callback()

    meetup.refresh_from_db()
    assert meetup.sequence == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([going.email, waiting.email])
    assert all("De zaal lekt." in m.body for m in mail.outbox)
    assert "De zaal lekt." in page_text(client.get(meetup.get_absolute_url()))


def test_cancelling_twice_sends_nothing_more(host, meetup, django_capture_on_commit_callbacks):
    RsvpFactory(meetup=meetup)
    with django_capture_on_commit_callbacks(execute=True):
        services.meetup_cancel(by=host, meetup_id=meetup.pk, note="Ziek.")
    with django_capture_on_commit_callbacks(execute=True):
        services.meetup_cancel(by=host, meetup_id=meetup.pk, note="Ziek.")

    meetup.refresh_from_db()
    assert meetup.sequence == 1
    assert len(mail.outbox) == 1


# --- Validation: a message at the field, nothing stored ---------------------------------------


@pytest.mark.parametrize("end_hour", [18, 19])
def test_end_before_or_at_start_is_refused(client, organiser, end_hour):
    admin_login(client, organiser)

    response = client.post(
        "/bijeenkomsten/nieuw/",
        _create_data(starts_at=_fmt(_at(10, 19)), ends_at=_fmt(_at(10, end_hour))),
    )

    assert response.status_code == 200
    assert (
        field_errors(response, "ends_at")
        == "Fout: Het einde moet na het begin liggen. Kies een latere eindtijd."
    )
    assert not Meetup.objects.exists()


def test_end_before_start_on_edit_changes_nothing(client, host, meetup):
    client.force_login(host)
    before = (meetup.starts_at, meetup.ends_at)

    response = client.post(
        f"/bijeenkomsten/{meetup.pk}/bewerken/",
        _edit_data(meetup, ends_at=_fmt(meetup.starts_at - timedelta(hours=1)), title="X"),
    )

    assert "Het einde moet na het begin liggen" in field_errors(response, "ends_at")
    meetup.refresh_from_db()
    assert (meetup.starts_at, meetup.ends_at) == before
    assert meetup.title != "X"


def test_start_in_the_past_is_refused(client, organiser):
    admin_login(client, organiser)

    response = client.post(
        "/bijeenkomsten/nieuw/",
        _create_data(starts_at=_fmt(_at(-2, 19)), ends_at=_fmt(_at(-2, 21))),
    )

    assert "Kies een begin in de toekomst" in field_errors(response, "starts_at")
    assert not Meetup.objects.exists()


def test_no_place_at_all_is_refused(client, organiser):
    admin_login(client, organiser)

    response = client.post("/bijeenkomsten/nieuw/", _create_data(address=""))

    assert "Kies een vestiging" in field_errors(response, "branch")
    assert not Meetup.objects.exists()


def test_hybrid_needs_a_link(client, organiser):
    admin_login(client, organiser)

    response = client.post("/bijeenkomsten/nieuw/", _create_data(is_hybrid="on"))

    assert field_errors(response, "online_url") == (
        "Fout: Geef de link waarmee mensen online meedoen."
    )
    assert not Meetup.objects.exists()


def test_unknown_organiser_handle_is_refused(client, organiser):
    admin_login(client, organiser)

    response = client.post("/bijeenkomsten/nieuw/", _create_data(organisers="@niemand"))

    assert field_errors(response, "organisers") == (
        "Fout: We kennen niemand met de gebruikersnaam @niemand."
    )
    assert not Meetup.objects.exists()


def test_capacity_below_those_going_is_refused_at_the_field(client, host, meetup):
    for _ in range(3):
        RsvpFactory(meetup=meetup)
    client.force_login(host)

    response = client.post(
        f"/bijeenkomsten/{meetup.pk}/bewerken/", _edit_data(meetup, capacity="2")
    )

    assert field_errors(response, "capacity") == (
        "Fout: Er komen al 3 mensen. Kies minstens 3 plaatsen, "
        "of laat het veld leeg voor onbeperkt."
    )
    meetup.refresh_from_db()
    assert meetup.capacity == 10


def test_capacity_is_checked_again_under_the_lock(host, meetup):
    """An RSVP that lands between the form and the save still counts."""
    RsvpFactory(meetup=meetup)
    RsvpFactory(meetup=meetup)

    with pytest.raises(ValidationError) as error:
        services.meetup_update(
            by=host,
            meetup_id=meetup.pk,
            fields={"capacity": 1, "title": "Kleiner"},
            themes=[],
            organisers=[],
        )

    assert "capacity" in error.value.message_dict
    meetup.refresh_from_db()
    assert (meetup.capacity, meetup.title) == (10, meetup.title)
    assert meetup.title != "Kleiner"


def test_session_outside_the_day_is_refused_at_the_field(client, organiser):
    admin_login(client, organiser)
    data = _create_data(
        kind=Meetup.Kind.NETWORK_DAY,
        starts_at=_fmt(_at(10, 10)),
        ends_at=_fmt(_at(10, 16)),
        **{
            "sessions-0-title": "Opening",
            "sessions-0-starts_at": _fmt(_at(10, 9)),
            "sessions-0-ends_at": _fmt(_at(10, 11)),
            "sessions-1-title": "Afsluiting",
            "sessions-1-starts_at": _fmt(_at(10, 15)),
            "sessions-1-ends_at": _fmt(_at(10, 17)),
        },
    )

    response = client.post("/bijeenkomsten/nieuw/", data)

    assert "valt buiten de bijeenkomst" in field_errors(response, "sessions-0-starts_at")
    assert "valt buiten de bijeenkomst" in field_errors(response, "sessions-1-ends_at")
    assert "Programmaonderdeel 1, Begint om" in page_text(response)
    assert not Meetup.objects.exists()
    assert not Session.objects.exists()


def test_session_ending_before_it_starts_is_refused(client, organiser):
    admin_login(client, organiser)
    data = _create_data(
        kind=Meetup.Kind.NETWORK_DAY,
        starts_at=_fmt(_at(10, 10)),
        ends_at=_fmt(_at(10, 16)),
        **{
            "sessions-0-title": "Opening",
            "sessions-0-starts_at": _fmt(_at(10, 12)),
            "sessions-0-ends_at": _fmt(_at(10, 11)),
        },
    )

    response = client.post("/bijeenkomsten/nieuw/", data)

    assert "Het einde moet na het begin liggen" in field_errors(response, "sessions-0-ends_at")
    assert not Meetup.objects.exists()


def test_network_day_with_a_programme_is_stored(client, organiser):
    admin_login(client, organiser)
    data = _create_data(
        kind=Meetup.Kind.NETWORK_DAY,
        starts_at=_fmt(_at(10, 10)),
        ends_at=_fmt(_at(10, 16)),
        **{
            "sessions-0-title": "Opening",
            "sessions-0-starts_at": _fmt(_at(10, 10)),
            "sessions-0-ends_at": _fmt(_at(10, 11)),
            "sessions-0-room": "Zaal 1",
            "sessions-0-speaker": "Wethouder",
            "sessions-0-capacity": "30",
        },
    )

    client.post("/bijeenkomsten/nieuw/", data)

    session = Session.objects.get()
    assert (session.title, session.room, session.speaker, session.capacity) == (
        "Opening",
        "Zaal 1",
        "Wethouder",
        30,
    )
    assert session.meetup.kind == Meetup.Kind.NETWORK_DAY


def test_moving_the_day_keeps_sessions_inside_or_refuses(client, host, community):
    day = MeetupFactory(
        community=community,
        kind=Meetup.Kind.NETWORK_DAY,
        address="Markt 1, Tilburg",
        starts_at=_at(7, 10),
        ends_at=_at(7, 16),
    )
    SessionFactory(meetup=day, starts_at=_at(7, 10), ends_at=_at(7, 11))
    client.force_login(host)

    response = client.post(
        f"/bijeenkomsten/{day.pk}/bewerken/",
        _edit_data(day, starts_at=_fmt(_at(7, 12))),
    )

    assert "valt buiten de bijeenkomst" in field_errors(response, "sessions-0-starts_at")
    day.refresh_from_db()
    assert day.starts_at == _at(7, 10)


def test_editing_and_deleting_sessions(client, host, community):
    day = MeetupFactory(
        community=community,
        kind=Meetup.Kind.NETWORK_DAY,
        address="Markt 1, Tilburg",
        starts_at=_at(7, 10),
        ends_at=_at(7, 16),
    )
    keep = SessionFactory(meetup=day, starts_at=_at(7, 10), ends_at=_at(7, 11), title="Oud")
    drop = SessionFactory(meetup=day, starts_at=_at(7, 12), ends_at=_at(7, 13))
    client.force_login(host)

    client.post(
        f"/bijeenkomsten/{day.pk}/bewerken/",
        _edit_data(day, **{"sessions-0-title": "Nieuw", "sessions-1-DELETE": "on"}),
    )

    keep.refresh_from_db()
    assert keep.title == "Nieuw"
    assert not Session.objects.filter(pk=drop.pk).exists()


# --- Changes: calendar sequence, notices on commit, the waitlist ------------------------------


def test_moving_a_published_meetup_notifies_after_commit(
    client, host, meetup, django_capture_on_commit_callbacks
):
    going = RsvpFactory(meetup=meetup, state=GOING).user
    waiting = RsvpFactory(meetup=meetup, state=WAITLIST).user
    client.force_login(host)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(
            f"/bijeenkomsten/{meetup.pk}/bewerken/",
            _edit_data(meetup, starts_at=_fmt(_at(8, 19)), ends_at=_fmt(_at(8, 21))),
        )
    assert mail.outbox == []
    for callback in callbacks:
        callback()

    meetup.refresh_from_db()
    assert meetup.sequence == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([going.email, waiting.email])
    assert all(m.subject.endswith(f"Gewijzigd: {meetup.title}") for m in mail.outbox)


@pytest.mark.parametrize(
    "change",
    [
        {"address": "Piushaven 20, Tilburg"},
        {"online_url": "https://meet.example.org/zon"},
    ],
)
def test_a_new_place_counts_as_a_change(host, meetup, change, django_capture_on_commit_callbacks):
    RsvpFactory(meetup=meetup)
    with django_capture_on_commit_callbacks(execute=True):
        services.meetup_update(
            by=host, meetup_id=meetup.pk, fields=change, themes=[], organisers=[]
        )

    meetup.refresh_from_db()
    assert meetup.sequence == 1
    assert len(mail.outbox) == 1


def test_a_new_branch_counts_as_a_change(host, meetup, django_capture_on_commit_callbacks):
    RsvpFactory(meetup=meetup)
    with django_capture_on_commit_callbacks(execute=True):
        services.meetup_update(
            by=host,
            meetup_id=meetup.pk,
            fields={"branch": BranchFactory(), "address": ""},
            themes=[],
            organisers=[],
        )

    meetup.refresh_from_db()
    assert meetup.sequence == 1
    assert len(mail.outbox) == 1


def test_a_new_title_is_no_change_for_calendars(
    client, host, meetup, django_capture_on_commit_callbacks
):
    RsvpFactory(meetup=meetup)
    client.force_login(host)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/bijeenkomsten/{meetup.pk}/bewerken/", _edit_data(meetup, title="Anders"))

    meetup.refresh_from_db()
    assert meetup.title == "Anders"
    assert meetup.sequence == 0
    assert mail.outbox == []


def test_moving_a_draft_tells_nobody(host, community, django_capture_on_commit_callbacks):
    draft = MeetupFactory(community=community, status=Meetup.Status.DRAFT)
    RsvpFactory(meetup=draft)  # Cannot happen through the site; proves nobody is told.
    with django_capture_on_commit_callbacks(execute=True):
        services.meetup_update(
            by=host,
            meetup_id=draft.pk,
            fields={"starts_at": _at(9, 19), "ends_at": _at(9, 20)},
            themes=[],
            organisers=[],
        )

    draft.refresh_from_db()
    assert draft.sequence == 0
    assert mail.outbox == []


def test_more_places_promote_the_waitlist_in_order_once_each(
    client, host, meetup, django_capture_on_commit_callbacks
):
    meetup.capacity = 1
    meetup.save()
    RsvpFactory(meetup=meetup, state=GOING)
    first = RsvpFactory(meetup=meetup, state=WAITLIST)
    second = RsvpFactory(meetup=meetup, state=WAITLIST)
    third = RsvpFactory(meetup=meetup, state=WAITLIST)
    client.force_login(host)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/bijeenkomsten/{meetup.pk}/bewerken/", _edit_data(meetup, capacity="3"))

    states = {r.pk: r.state for r in Rsvp.objects.filter(meetup=meetup)}
    assert states[first.pk] == GOING
    assert states[second.pk] == GOING
    assert states[third.pk] == WAITLIST
    # One promotion mail each, and nothing for who still waits.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.user.email, second.user.email])

    # Raising again with the same number promotes nobody twice.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/bijeenkomsten/{meetup.pk}/bewerken/", _edit_data(meetup, capacity="3"))
    assert len(mail.outbox) == 2


def test_unlimited_capacity_promotes_everyone_waiting(host, meetup):
    meetup.capacity = 1
    meetup.save()
    RsvpFactory(meetup=meetup, state=GOING)
    for _ in range(3):
        RsvpFactory(meetup=meetup, state=WAITLIST)

    services.meetup_update(
        by=host, meetup_id=meetup.pk, fields={"capacity": None}, themes=[], organisers=[]
    )

    assert not Rsvp.objects.filter(meetup=meetup, state=WAITLIST).exists()


def test_service_refuses_someone_who_does_not_manage(member, meetup):
    with pytest.raises(PermissionDenied):
        services.meetup_update(
            by=member, meetup_id=meetup.pk, fields={"title": "Mijn"}, themes=[], organisers=[]
        )


# --- Proposals --------------------------------------------------------------------------------


def _proposal_data(**overrides) -> dict:
    data = {
        "title": "Samen warmtepompen bekijken",
        "description": "Ik wil met buren kijken welke warmtepomp past.",
        "starts_at": _fmt(_at(14, 19)),
        "ends_at": _fmt(_at(14, 21)),
        "branch": "",
        "address": "",
        "online_url": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("who", ["anonymous", "outsider", "member", "other_host"])
def test_propose(client, request, community, who):
    user = _login(client, who, request)

    response = client.post(
        f"/gemeenschappen/{community.slug}/bijeenkomst-voorstellen/", _proposal_data()
    )

    if who == "member":
        proposal = Meetup.objects.get()
        assert response["Location"] == proposal.get_absolute_url()
        assert proposal.status == Meetup.Status.PROPOSED
        assert proposal.proposed_by == user
        assert proposal.community == community
        assert list(proposal.themes.all()) == list(community.themes.all())
    else:
        assert response.status_code == 302
        assert not Meetup.objects.exists()
    if who == "anonymous":
        assert response["Location"].startswith("/accounts/login/")


def test_propose_through_the_query_string(client, member, membership, community):
    client.force_login(member)

    page = client.get(f"/bijeenkomsten/voorstellen/nieuw/?gemeenschap={community.slug}")

    assert page.status_code == 200
    assert "Stel een bijeenkomst voor" in page_text(page)


def test_hosts_are_sent_to_plan_it_themselves(client, host, community):
    client.force_login(host)

    response = client.get(f"/gemeenschappen/{community.slug}/bijeenkomst-voorstellen/")

    assert response["Location"] == f"/bijeenkomsten/nieuw/?gemeenschap={community.slug}"


def test_proposal_with_end_before_start_is_refused(client, member, membership, community):
    client.force_login(member)

    response = client.post(
        f"/gemeenschappen/{community.slug}/bijeenkomst-voorstellen/",
        _proposal_data(ends_at=_fmt(_at(14, 18))),
    )

    assert "Het einde moet na het begin liggen" in field_errors(response, "ends_at")
    assert not Meetup.objects.exists()


@pytest.fixture
def proposal(community, member, membership):
    return MeetupFactory(
        community=community,
        status=Meetup.Status.PROPOSED,
        proposed_by=member,
        title="Samen warmtepompen bekijken",
        capacity=None,
    )


@pytest.mark.parametrize("who", ["anonymous", "outsider", "other_host"])
def test_proposals_are_hidden_from_others(client, request, proposal, who):
    _login(client, who, request)

    assert client.get(proposal.get_absolute_url()).status_code == 404
    assert proposal.title not in page_text(client.get("/bijeenkomsten/"))


@pytest.mark.parametrize("who", ["member", "host", "organiser"])
def test_proposer_and_deciders_see_the_proposal(client, request, proposal, who):
    _login(client, who, request)

    assert client.get(proposal.get_absolute_url()).status_code == 200
    assert proposal.title not in page_text(client.get("/bijeenkomsten/"))


def test_hosts_see_pending_proposals_on_the_community_page(client, host, proposal, community):
    client.force_login(host)

    text = page_text(client.get(community.get_absolute_url()))
    listing = page_text(client.get("/bijeenkomsten/voorstellen/"))

    assert "1 voorstel voor een bijeenkomst wacht op je besluit" in text
    assert "Plan een bijeenkomst" in text
    assert proposal.title in listing
    assert "Goedkeuren en publiceren" in listing


def test_members_get_a_propose_link_on_the_community_page(client, member, membership, community):
    client.force_login(member)

    content = client.get(community.get_absolute_url()).content.decode()

    assert f"/gemeenschappen/{community.slug}/bijeenkomst-voorstellen/" in content
    assert "wacht op je besluit" not in content


def test_other_hosts_do_not_see_the_proposal_in_their_list(client, other_host, proposal):
    client.force_login(other_host)

    assert proposal.title not in page_text(client.get("/bijeenkomsten/voorstellen/"))


@pytest.mark.parametrize("who", ["member", "other_host", "host", "organiser", "librarian"])
def test_approve(client, request, proposal, who, django_capture_on_commit_callbacks):
    _login(client, who, request)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/bijeenkomsten/{proposal.pk}/goedkeuren/", {"action": "publish"})

    proposal.refresh_from_db()
    if who in MANAGERS:
        assert proposal.status == Meetup.Status.PUBLISHED
        # The proposer stays the proposer: organisers see access needs and email addresses.
        assert list(proposal.organisers.all()) == []
        assert [m.to for m in mail.outbox] == [[proposal.proposed_by.email]]
        assert "Je voorstel gaat door" in mail.outbox[0].subject
        assert "organisator" not in mail.outbox[0].body
        assert proposal.title in page_text(client.get("/bijeenkomsten/"))
    else:
        assert response.status_code in (403, 404)
        assert proposal.status == Meetup.Status.PROPOSED
        assert mail.outbox == []


def test_approve_as_draft_leads_to_the_edit_form(
    client, organiser, proposal, django_capture_on_commit_callbacks
):
    admin_login(client, organiser)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/bijeenkomsten/{proposal.pk}/goedkeuren/", {"action": "draft"})

    proposal.refresh_from_db()
    assert proposal.status == Meetup.Status.DRAFT
    assert response["Location"] == f"/bijeenkomsten/{proposal.pk}/bewerken/"
    assert "werkt de bijeenkomst eerst verder uit" in mail.outbox[0].body


def test_approving_twice_is_refused(host, proposal):
    services.meetup_approve_proposal(by=host, meetup_id=proposal.pk, publish=True)

    with pytest.raises(ValidationError):
        services.meetup_approve_proposal(by=host, meetup_id=proposal.pk, publish=False)


def test_decline_needs_a_reason(client, host, proposal):
    client.force_login(host)

    response = client.post(f"/bijeenkomsten/{proposal.pk}/afwijzen/", {"reason": " "})

    assert field_errors(response, "reason") == (
        "Fout: Schrijf kort waarom, voor wie het voorstelde."
    )
    assert Meetup.objects.filter(pk=proposal.pk, status=Meetup.Status.PROPOSED).exists()


def test_decline_mails_the_reason_and_removes_the_proposal(
    client, host, proposal, django_capture_on_commit_callbacks
):
    client.force_login(host)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/bijeenkomsten/{proposal.pk}/afwijzen/", {"reason": "Er is die week geen zaal."}
        )

    assert response["Location"] == "/bijeenkomsten/voorstellen/"
    assert not Meetup.objects.filter(pk=proposal.pk).exists()
    assert [m.to for m in mail.outbox] == [[proposal.proposed_by.email]]
    assert "Er is die week geen zaal." in mail.outbox[0].body
    assert proposal.title in mail.outbox[0].subject


@pytest.mark.parametrize("who", ["member", "other_host"])
def test_decline_is_refused_to_others(client, request, proposal, who):
    _login(client, who, request)

    response = client.post(f"/bijeenkomsten/{proposal.pk}/afwijzen/", {"reason": "Nee."})

    assert response.status_code in (403, 404)
    assert Meetup.objects.filter(pk=proposal.pk).exists()


# --- The Wagtail admin: same rules, same notices ----------------------------------------------

ADMIN_FORMAT = "%Y-%m-%d %H:%M"


def _admin_data(meetup: Meetup, **overrides) -> dict:
    data = {
        "kind": meetup.kind,
        "title": meetup.title,
        "description": meetup.description,
        "starts_at": timezone.localtime(meetup.starts_at).strftime(ADMIN_FORMAT),
        "ends_at": timezone.localtime(meetup.ends_at).strftime(ADMIN_FORMAT),
        "branch": str(meetup.branch_id or ""),
        "address": meetup.address,
        "online_url": meetup.online_url,
        "accessibility_info": meetup.accessibility_info,
        "capacity": "" if meetup.capacity is None else str(meetup.capacity),
        "community": str(meetup.community_id or ""),
        "status": meetup.status,
        "cancellation_note": meetup.cancellation_note,
        "sessions-TOTAL_FORMS": "0",
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def _admin_url(meetup):
    return f"/cms/snippets/meetups/meetup/edit/{meetup.pk}/"


def test_admin_refuses_end_before_start(client, librarian, meetup):
    admin_login(client, librarian)

    response = client.post(
        _admin_url(meetup),
        _admin_data(
            meetup,
            ends_at=timezone.localtime(meetup.starts_at - timedelta(hours=1)).strftime(
                ADMIN_FORMAT
            ),
        ),
    )

    assert response.status_code == 200
    assert "Het einde moet na het begin liggen." in page_text(response)
    meetup.refresh_from_db()
    assert meetup.ends_at > meetup.starts_at


def test_admin_refuses_capacity_below_those_going(client, librarian, meetup):
    RsvpFactory(meetup=meetup)
    RsvpFactory(meetup=meetup)
    admin_login(client, librarian)

    response = client.post(_admin_url(meetup), _admin_data(meetup, capacity="1"))

    assert "Er komen al 2 mensen." in page_text(response)
    meetup.refresh_from_db()
    assert meetup.capacity == 10


def test_admin_refuses_a_session_outside_the_day(client, librarian, meetup):
    admin_login(client, librarian)
    outside = timezone.localtime(meetup.ends_at + timedelta(hours=1))

    response = client.post(
        _admin_url(meetup),
        _admin_data(
            meetup,
            **{
                "sessions-TOTAL_FORMS": "1",
                "sessions-0-title": "Nazit",
                "sessions-0-starts_at": outside.strftime(ADMIN_FORMAT),
                "sessions-0-ends_at": (outside + timedelta(hours=1)).strftime(ADMIN_FORMAT),
                "sessions-0-ORDER": "1",
                "sessions-0-DELETE": "",
                "sessions-0-id": "",
            },
        ),
    )

    assert "valt buiten de bijeenkomst" in page_text(response)
    assert not Session.objects.exists()


def test_admin_move_and_cancel_notify_like_the_site(
    client, librarian, meetup, django_capture_on_commit_callbacks
):
    RsvpFactory(meetup=meetup)
    admin_login(client, librarian)
    later = timezone.localtime(meetup.starts_at + timedelta(days=1))

    with django_capture_on_commit_callbacks(execute=True):
        moved = client.post(
            _admin_url(meetup),
            _admin_data(
                meetup,
                starts_at=later.strftime(ADMIN_FORMAT),
                ends_at=(later + timedelta(hours=2)).strftime(ADMIN_FORMAT),
            ),
        )
    assert moved.status_code == 302
    meetup.refresh_from_db()
    assert meetup.sequence == 1
    assert len(mail.outbox) == 1

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            _admin_url(meetup),
            _admin_data(meetup, status=Meetup.Status.CANCELLED, cancellation_note="Storm."),
        )
    meetup.refresh_from_db()
    assert meetup.status == Meetup.Status.CANCELLED
    assert meetup.sequence == 2
    assert len(mail.outbox) == 2
    assert "Storm." in mail.outbox[1].body


def test_admin_capacity_raise_promotes_the_waitlist(
    client, librarian, meetup, django_capture_on_commit_callbacks
):
    meetup.capacity = 1
    meetup.save()
    RsvpFactory(meetup=meetup)
    waiting = RsvpFactory(meetup=meetup, state=WAITLIST)
    admin_login(client, librarian)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(_admin_url(meetup), _admin_data(meetup, capacity="2"))

    waiting.refresh_from_db()
    assert waiting.state == GOING
    assert [m.to for m in mail.outbox] == [[waiting.user.email]]


def test_service_refuses_to_create_for_someone_without_a_role(community, outsider):
    with pytest.raises(PermissionDenied):
        services.meetup_create(
            by=outsider,
            fields={
                "title": "X",
                "description": "Y",
                "community": community,
                "starts_at": _at(5, 10),
                "ends_at": _at(5, 11),
            },
        )
    assert not Meetup.objects.exists()


def test_saving_a_draft_and_publishing_in_one_go(client, host, community):
    draft = MeetupFactory(
        community=community,
        status=Meetup.Status.DRAFT,
        address="Markt 1, Tilburg",
        starts_at=_at(6, 19),
        ends_at=_at(6, 21),
    )
    client.force_login(host)

    client.post(
        f"/bijeenkomsten/{draft.pk}/bewerken/", _edit_data(draft, title="Klaar", action="publish")
    )

    draft.refresh_from_db()
    assert (draft.status, draft.title) == (Meetup.Status.PUBLISHED, "Klaar")


def test_proposals_page_lists_drafts_and_own_proposals(client, host, community, proposal):
    draft = MeetupFactory(community=community, status=Meetup.Status.DRAFT, title="Half af")
    client.force_login(host)
    host_view = page_text(client.get("/bijeenkomsten/voorstellen/"))
    client.force_login(proposal.proposed_by)
    proposer_view = page_text(client.get("/bijeenkomsten/voorstellen/"))

    assert draft.title in host_view
    assert proposal.title in host_view
    assert draft.title not in proposer_view
    assert "Jouw voorstellen" in proposer_view
    assert proposal.title in proposer_view
    assert "Goedkeuren en publiceren" not in proposer_view


def test_admin_cannot_cancel_a_draft(client, librarian, community):
    draft = MeetupFactory(community=community, status=Meetup.Status.DRAFT, address="Markt 1")
    admin_login(client, librarian)

    response = client.post(_admin_url(draft), _admin_data(draft, status=Meetup.Status.CANCELLED))

    assert "Alleen een gepubliceerde bijeenkomst kun je afgelasten." in page_text(response)
    draft.refresh_from_db()
    assert draft.status == Meetup.Status.DRAFT


def test_hosts_get_a_new_meetup_button_on_the_agenda(client, host):
    client.force_login(host)

    assert 'href="/bijeenkomsten/nieuw/"' in client.get("/bijeenkomsten/").content.decode()
