"""What members add to their RSVP: access needs, and places in sessions of a network day."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from meetups import services
from meetups.models import Meetup, Rsvp, SessionSignup
from tests.communities.factories import UserFactory
from tests.html import field_errors, page_text
from tests.meetups.factories import MeetupFactory, RsvpFactory, SessionFactory

GOING, WAITLIST, CANCELLED = Rsvp.State.GOING, Rsvp.State.WAITLIST, Rsvp.State.CANCELLED


# --- Access needs ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_signing_up_with_access_needs_stores_them(client, member):
    meetup = MeetupFactory()
    client.force_login(member)

    page = page_text(client.get(meetup.get_absolute_url()))
    client.post(f"/bijeenkomsten/{meetup.pk}/aanmelden/", {"access_needs": " Ringleiding \n"})

    assert "Wat heb je nodig om mee te doen? (niet verplicht)" in page
    rsvp = Rsvp.objects.get(user=member, meetup=meetup)
    assert (rsvp.state, rsvp.access_needs) == (GOING, "Ringleiding")


@pytest.mark.django_db
def test_signing_up_without_access_needs_works(client, member):
    meetup = MeetupFactory()
    client.force_login(member)

    client.post(f"/bijeenkomsten/{meetup.pk}/aanmelden/")

    assert Rsvp.objects.get(user=member, meetup=meetup).access_needs == ""


@pytest.mark.django_db
def test_too_long_access_needs_show_an_error_at_the_field_and_store_nothing(client, member):
    meetup = MeetupFactory()
    client.force_login(member)

    response = client.post(f"/bijeenkomsten/{meetup.pk}/aanmelden/", {"access_needs": "x" * 501})

    assert response.status_code == 400
    assert "hooguit 500 tekens" in field_errors(response, "access_needs")
    assert not Rsvp.objects.exists()


@pytest.mark.django_db
def test_member_updates_access_needs_later(client, member):
    meetup = MeetupFactory()
    RsvpFactory(meetup=meetup, user=member, access_needs="Ringleiding")
    client.force_login(member)

    page = page_text(client.get(meetup.get_absolute_url()))
    response = client.post(
        f"/bijeenkomsten/{meetup.pk}/aanmelding/", {"access_needs": "Rolstoelplek"}, follow=True
    )

    assert "Ringleiding" in page  # they see what they gave
    assert "Opgeslagen." in page_text(response)
    assert Rsvp.objects.get(user=member).access_needs == "Rolstoelplek"


@pytest.mark.django_db
def test_access_needs_of_others_are_never_on_the_meetup_page(client, member):
    meetup = MeetupFactory()
    RsvpFactory(meetup=meetup, access_needs="Tolk gebarentaal")
    client.force_login(member)

    assert "Tolk gebarentaal" not in client.get(meetup.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_updating_access_needs_without_an_rsvp_is_refused(client, member):
    meetup = MeetupFactory()
    client.force_login(member)

    response = client.post(
        f"/bijeenkomsten/{meetup.pk}/aanmelding/", {"access_needs": "Rolstoelplek"}, follow=True
    )

    assert "Je bent niet aangemeld voor deze bijeenkomst." in page_text(response)
    assert not Rsvp.objects.exists()


@pytest.mark.django_db
def test_cancelling_forgets_the_access_needs(member):
    meetup = MeetupFactory()
    RsvpFactory(meetup=meetup, user=member, access_needs="Rolstoelplek")

    services.rsvp_cancel(user=member, meetup_id=meetup.pk)

    assert Rsvp.objects.get(user=member).access_needs == ""


# --- Session places --------------------------------------------------------------------------


@pytest.mark.django_db
def test_going_member_takes_a_place_until_the_session_is_full(member):
    session = SessionFactory(capacity=2)
    RsvpFactory(meetup=session.meetup, user=member)
    other = RsvpFactory(meetup=session.meetup).user
    third = RsvpFactory(meetup=session.meetup).user

    services.session_signup(user=member, session_id=session.pk)
    services.session_signup(user=member, session_id=session.pk)  # twice: still one place
    services.session_signup(user=other, session_id=session.pk)
    with pytest.raises(ValidationError, match=r"Dit onderdeel is vol\."):
        services.session_signup(user=third, session_id=session.pk)

    assert SessionSignup.objects.filter(session=session).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("state", [None, WAITLIST, CANCELLED])
def test_only_who_is_going_gets_a_place(member, state):
    session = SessionFactory()
    if state:
        RsvpFactory(meetup=session.meetup, user=member, state=state)

    with pytest.raises(ValidationError, match=r"Meld je eerst aan voor de bijeenkomst zelf\."):
        services.session_signup(user=member, session_id=session.pk)
    assert not SessionSignup.objects.exists()


@pytest.mark.django_db
def test_no_place_in_two_sessions_at_the_same_time(member):
    first = SessionFactory(title="Warmtepompen")
    parallel = SessionFactory(
        meetup=first.meetup, starts_at=first.starts_at + timedelta(minutes=30)
    )
    later = SessionFactory(meetup=first.meetup, starts_at=first.ends_at)
    RsvpFactory(meetup=first.meetup, user=member)

    services.session_signup(user=member, session_id=first.pk)
    with pytest.raises(ValidationError, match="Warmtepompen"):
        services.session_signup(user=member, session_id=parallel.pk)
    services.session_signup(user=member, session_id=later.pk)

    assert set(SessionSignup.objects.values_list("session_id", flat=True)) == {first.pk, later.pk}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change, message",
    [
        ({"capacity": None}, "hoef je je niet apart aan te melden"),
        ({"starts_at": timezone.now() - timedelta(minutes=5)}, "al begonnen"),
    ],
)
def test_session_without_places_or_begun_takes_no_signups(member, change, message):
    session = SessionFactory()
    RsvpFactory(meetup=session.meetup, user=member)
    for field, value in change.items():
        setattr(session, field, value)
    session.save()

    with pytest.raises(ValidationError, match=message):
        services.session_signup(user=member, session_id=session.pk)


@pytest.mark.django_db
def test_cancelled_meetup_takes_no_session_signups(member):
    session = SessionFactory()
    RsvpFactory(meetup=session.meetup, user=member)
    Meetup.objects.filter(pk=session.meetup_id).update(status=Meetup.Status.CANCELLED)

    with pytest.raises(ValidationError, match="gaat niet door"):
        services.session_signup(user=member, session_id=session.pk)


@pytest.mark.django_db
def test_cancelling_the_rsvp_gives_the_session_places_back(member):
    session = SessionFactory()
    other_meetup_session = SessionFactory()
    RsvpFactory(meetup=session.meetup, user=member)
    RsvpFactory(meetup=other_meetup_session.meetup, user=member)
    services.session_signup(user=member, session_id=session.pk)
    services.session_signup(user=member, session_id=other_meetup_session.pk)

    services.rsvp_cancel(user=member, meetup_id=session.meetup_id)

    assert list(SessionSignup.objects.values_list("session_id", flat=True)) == [
        other_meetup_session.pk
    ]


@pytest.mark.django_db
def test_programme_shows_places_left_and_the_buttons(client, member):
    session = SessionFactory(title="Repair café", capacity=3)
    SessionFactory(meetup=session.meetup, title="Plenaire opening", capacity=None)
    RsvpFactory(meetup=session.meetup, user=member)
    SessionSignup.objects.create(session=session, user=RsvpFactory(meetup=session.meetup).user)
    client.force_login(member)
    url = session.meetup.get_absolute_url()

    before = page_text(client.get(url))
    response = client.post(
        f"/bijeenkomsten/{session.meetup_id}/programma/{session.pk}/aanmelden/", follow=True
    )
    after = page_text(response)

    assert "Nog 2 plaatsen vrij" in before
    assert "Reserveer een plek: Repair café" in before
    assert "Je hebt een plek bij “Repair café”." in after
    assert "Je hebt hier een plek." in after
    assert "Plek vrijgeven: Repair café" in after
    assert "Reserveer een plek: Plenaire opening" not in before  # no capacity, no signup
    client.post(f"/bijeenkomsten/{session.meetup_id}/programma/{session.pk}/afmelden/")
    assert not SessionSignup.objects.filter(user=member).exists()


@pytest.mark.django_db
def test_anonymous_visitor_sees_places_left_but_no_button(client):
    session = SessionFactory(title="Repair café", capacity=1)
    SessionSignup.objects.create(session=session, user=RsvpFactory(meetup=session.meetup).user)

    text = page_text(client.get(session.meetup.get_absolute_url()))

    assert "Repair café" in text and "Vol" in text
    assert "Reserveer een plek" not in text


@pytest.mark.django_db
def test_session_signup_urls_are_post_only_and_need_login(client, member):
    session = SessionFactory()
    url = f"/bijeenkomsten/{session.meetup_id}/programma/{session.pk}/aanmelden/"

    assert client.post(url)["Location"].startswith("/accounts/login/")
    client.force_login(member)
    assert client.get(url).status_code == 405


@pytest.mark.django_db
def test_session_of_another_meetup_is_not_found(client, member):
    session = SessionFactory()
    other = MeetupFactory()
    RsvpFactory(meetup=other, user=member)
    client.force_login(member)

    response = client.post(f"/bijeenkomsten/{other.pk}/programma/{session.pk}/aanmelden/")

    assert response.status_code == 404
    assert not SessionSignup.objects.exists()


# --- Concurrency: only PostgreSQL really locks rows ------------------------------------------


def _run_together(calls: list[Callable[[], object]]) -> list[BaseException]:
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call):
        try:
            barrier.wait()
            call()
        except BaseException as error:  # reported to the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_session_signups_fill_exactly_the_places():
    session = SessionFactory(capacity=7, meetup__capacity=None)
    users = [RsvpFactory(meetup=session.meetup).user for _ in range(50)]

    errors = _run_together(
        [
            lambda user=user: services.session_signup(user=user, session_id=session.pk)
            for user in users
        ]
    )

    assert SessionSignup.objects.filter(session=session).count() == 7
    assert len(errors) == 43
    assert all(isinstance(e, ValidationError) and "vol" in str(e) for e in errors)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_signup_racing_the_rsvp_cancel_leaves_no_place_behind():
    """Signing up for a session while cancelling the RSVP never leaves a place for someone who
    is not coming, whichever runs first."""
    for _ in range(10):
        session = SessionFactory(capacity=5)
        user = UserFactory()
        RsvpFactory(meetup=session.meetup, user=user)

        _run_together(
            [
                lambda u=user, s=session: services.session_signup(user=u, session_id=s.pk),
                lambda u=user, s=session: services.rsvp_cancel(user=u, meetup_id=s.meetup_id),
            ]
        )

        assert Rsvp.objects.get(user=user).state == CANCELLED
        assert not SessionSignup.objects.filter(user=user).exists()
