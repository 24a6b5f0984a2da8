"""RSVP: capacity, waitlist, cancelling and promotion, also under concurrent requests."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from meetups import services
from meetups.models import Meetup, Rsvp
from meetups.selectors import meetup_places_left, rsvp_waitlist_position
from tests.communities.factories import UserFactory
from tests.meetups.factories import MeetupFactory, RsvpFactory

GOING = Rsvp.State.GOING
WAITLIST = Rsvp.State.WAITLIST
CANCELLED = Rsvp.State.CANCELLED


def _states(meetup: Meetup) -> dict[str, int]:
    counts = {GOING: 0, WAITLIST: 0, CANCELLED: 0}
    for state in Rsvp.objects.filter(meetup=meetup).values_list("state", flat=True):
        counts[state] += 1
    return counts


@pytest.mark.django_db
class TestRespond:
    def test_going_until_full_then_waitlist(self):
        meetup = MeetupFactory(capacity=2)
        states = [
            services.rsvp_respond(user=UserFactory(), meetup_id=meetup.pk).state for _ in "abcd"
        ]

        assert states == [GOING, GOING, WAITLIST, WAITLIST]
        assert _states(meetup) == {GOING: 2, WAITLIST: 2, CANCELLED: 0}
        assert meetup_places_left(meetup) == 0

    def test_responding_again_changes_nothing(self, member):
        meetup = MeetupFactory(capacity=1)
        first = services.rsvp_respond(user=member, meetup_id=meetup.pk)
        again = services.rsvp_respond(user=member, meetup_id=meetup.pk)

        assert again.pk == first.pk
        assert again.state == GOING
        assert Rsvp.objects.filter(meetup=meetup).count() == 1

    def test_waiting_member_stays_in_place_when_responding_again(self, member):
        meetup = MeetupFactory(capacity=1)
        RsvpFactory(meetup=meetup)
        waiting = services.rsvp_respond(user=member, meetup_id=meetup.pk)
        services.rsvp_respond(user=UserFactory(), meetup_id=meetup.pk)

        again = services.rsvp_respond(user=member, meetup_id=meetup.pk)

        assert again.state == WAITLIST
        assert rsvp_waitlist_position(again) == 1
        assert again.created_at == waiting.created_at

    def test_unlimited_capacity_lets_everyone_come(self):
        meetup = MeetupFactory(capacity=None)
        for _ in range(25):
            services.rsvp_respond(user=UserFactory(), meetup_id=meetup.pk)

        assert _states(meetup) == {GOING: 25, WAITLIST: 0, CANCELLED: 0}
        assert meetup_places_left(meetup) is None

    def test_cancelled_member_can_come_back_at_the_end_of_the_queue(self, member):
        meetup = MeetupFactory(capacity=1)
        services.rsvp_respond(user=member, meetup_id=meetup.pk)
        services.rsvp_cancel(user=member, meetup_id=meetup.pk)
        other = services.rsvp_respond(user=UserFactory(), meetup_id=meetup.pk)
        waiting = services.rsvp_respond(user=UserFactory(), meetup_id=meetup.pk)

        back = services.rsvp_respond(user=member, meetup_id=meetup.pk)

        assert other.state == GOING
        assert back.state == WAITLIST
        assert rsvp_waitlist_position(waiting) == 1
        assert rsvp_waitlist_position(back) == 2
        assert Rsvp.objects.filter(meetup=meetup, user=member).count() == 1

    @pytest.mark.parametrize(
        ("attributes", "message"),
        [
            ({"status": Meetup.Status.CANCELLED}, "afgelast"),
            ({"status": Meetup.Status.DRAFT}, "nog niet gepubliceerd"),
            (
                {
                    "starts_at": timezone.now() - timedelta(minutes=5),
                    "ends_at": timezone.now() + timedelta(hours=1),
                },
                "al begonnen",
            ),
        ],
    )
    def test_closed_meetup_refuses_and_stores_nothing(self, member, attributes, message):
        meetup = MeetupFactory(**attributes)

        with pytest.raises(ValidationError) as error:
            services.rsvp_respond(user=member, meetup_id=meetup.pk)

        assert message in " ".join(error.value.messages)
        assert not Rsvp.objects.filter(meetup=meetup).exists()


@pytest.mark.django_db
class TestCancel:
    def test_cancel_promotes_the_first_waiting_exactly_once(
        self, mailoutbox, django_capture_on_commit_callbacks
    ):
        meetup = MeetupFactory(capacity=2)
        going = [services.rsvp_respond(user=UserFactory(), meetup_id=meetup.pk) for _ in "ab"]
        first, second = (
            services.rsvp_respond(user=UserFactory(), meetup_id=meetup.pk) for _ in "cd"
        )

        with django_capture_on_commit_callbacks(execute=True):
            promoted = services.rsvp_cancel(user=going[0].user, meetup_id=meetup.pk)
            services.rsvp_cancel(user=going[0].user, meetup_id=meetup.pk)

        assert promoted.pk == first.pk
        first.refresh_from_db()
        second.refresh_from_db()
        assert first.state == GOING
        assert second.state == WAITLIST
        assert rsvp_waitlist_position(second) == 1
        assert _states(meetup) == {GOING: 2, WAITLIST: 1, CANCELLED: 1}
        assert [mail.to for mail in mailoutbox] == [[first.user.email]]
        assert meetup.title in mailoutbox[0].subject
        assert "wachtlijst" in mailoutbox[0].body

    def test_promotion_mail_is_in_the_members_language(
        self, mailoutbox, django_capture_on_commit_callbacks
    ):
        meetup = MeetupFactory(capacity=1)
        leaving = services.rsvp_respond(user=UserFactory(), meetup_id=meetup.pk)
        services.rsvp_respond(user=UserFactory(language="en"), meetup_id=meetup.pk)

        with django_capture_on_commit_callbacks(execute=True):
            services.rsvp_cancel(user=leaving.user, meetup_id=meetup.pk)

        assert len(mailoutbox) == 1
        assert f"/en/bijeenkomsten/{meetup.pk}/" in mailoutbox[0].body

    def test_cancelling_from_the_waitlist_promotes_nobody(self, mailoutbox):
        meetup = MeetupFactory(capacity=1)
        services.rsvp_respond(user=UserFactory(), meetup_id=meetup.pk)
        leaving = services.rsvp_respond(user=UserFactory(), meetup_id=meetup.pk)
        staying = services.rsvp_respond(user=UserFactory(), meetup_id=meetup.pk)

        assert services.rsvp_cancel(user=leaving.user, meetup_id=meetup.pk) is None

        staying.refresh_from_db()
        assert staying.state == WAITLIST
        assert _states(meetup) == {GOING: 1, WAITLIST: 1, CANCELLED: 1}

    def test_cancelling_without_an_rsvp_does_nothing(self, member):
        meetup = MeetupFactory()

        assert services.rsvp_cancel(user=member, meetup_id=meetup.pk) is None
        assert not Rsvp.objects.filter(meetup=meetup).exists()

    def test_cancel_after_the_start_is_refused(self, member):
        now = timezone.now()
        meetup = MeetupFactory(starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1))
        rsvp = RsvpFactory(meetup=meetup, user=member)

        with pytest.raises(ValidationError):
            services.rsvp_cancel(user=member, meetup_id=meetup.pk)

        rsvp.refresh_from_db()
        assert rsvp.state == GOING


# --- Concurrency: only PostgreSQL really locks rows ------------------------------------------


def _run_together(calls: list[Callable[[], object]]) -> list[BaseException]:
    """Run every call in its own thread, all released at the same moment; return the errors."""
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
def test_fifty_simultaneous_rsvps_fill_exactly_the_capacity():
    meetup = MeetupFactory(capacity=10)
    users = [UserFactory() for _ in range(50)]

    errors = _run_together(
        [lambda user=user: services.rsvp_respond(user=user, meetup_id=meetup.pk) for user in users]
    )

    assert errors == []
    assert _states(meetup) == {GOING: 10, WAITLIST: 40, CANCELLED: 0}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_cancellations_promote_each_waiting_member_once(mailoutbox):
    meetup = MeetupFactory(capacity=10)
    going = [RsvpFactory(meetup=meetup, state=GOING) for _ in range(10)]
    waiting = [RsvpFactory(meetup=meetup, state=WAITLIST) for _ in range(20)]
    promoted: list[int] = []

    def cancel(rsvp):
        result = services.rsvp_cancel(user=rsvp.user, meetup_id=meetup.pk)
        promoted.append(result.pk)

    errors = _run_together([lambda rsvp=rsvp: cancel(rsvp) for rsvp in going])

    assert errors == []
    assert _states(meetup) == {GOING: 10, WAITLIST: 10, CANCELLED: 10}
    # No one promoted twice, and the first ten in the queue went first.
    assert sorted(promoted) == sorted(set(promoted))
    assert set(promoted) == {rsvp.pk for rsvp in waiting[:10]}
    assert sorted(address for mail in mailoutbox for address in mail.to) == sorted(
        rsvp.user.email for rsvp in waiting[:10]
    )
