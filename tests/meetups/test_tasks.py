"""Mail about RSVPs and meetups: confirmation, reminders, changes and cancellations."""

from __future__ import annotations

import datetime as dt
import threading
from unittest import mock

import pytest
from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext
from icalendar import Calendar

from meetups import selectors, services, tasks
from meetups.models import Meetup, Rsvp
from tests.communities.factories import UserFactory
from tests.meetups.factories import MeetupFactory, RsvpFactory

GOING, WAITLIST, CANCELLED = Rsvp.State.GOING, Rsvp.State.WAITLIST, Rsvp.State.CANCELLED


def _subject(language: str, msgid: str, title: str) -> str:
    """The subject as the member should see it, from the same catalogue the mail uses."""
    with translation.override(language):
        return gettext(msgid) % {"meetup": title}


def _ics_event(mail):
    """The one VEVENT of the calendar file attached to `mail`."""
    (attachment,) = [a for a in mail.attachments if a.mimetype == "text/calendar"]
    assert attachment.filename.endswith(".ics")
    calendar = Calendar.from_ical(attachment.content)
    (event,) = calendar.walk("VEVENT")
    return event


def _soon(hours: float) -> dict:
    starts = timezone.now() + dt.timedelta(hours=hours)
    return {"starts_at": starts, "ends_at": starts + dt.timedelta(hours=2)}


# --- Confirmation -------------------------------------------------------------------------------


@pytest.mark.django_db
class TestConfirmation:
    def test_going_member_gets_a_confirmation_with_the_ics(
        self, member, mailoutbox, django_capture_on_commit_callbacks
    ):
        meetup = MeetupFactory(title="Repair café")

        with django_capture_on_commit_callbacks(execute=True):
            services.rsvp_respond(user=member, meetup_id=meetup.pk)

        (mail,) = mailoutbox
        assert mail.to == [member.email]
        assert mail.subject == _subject("nl", "Je bent aangemeld: %(meetup)s", "Repair café")
        assert "Hallo Mila Member" in mail.body
        event = _ics_event(mail)
        assert str(event["UID"]).startswith(f"meetup-{meetup.pk}@")
        assert event["SUMMARY"] == "Repair café"

    def test_waitlisted_member_gets_a_different_text(
        self, member, mailoutbox, django_capture_on_commit_callbacks
    ):
        meetup = MeetupFactory(title="Vol", capacity=1)
        RsvpFactory(meetup=meetup)

        with django_capture_on_commit_callbacks(execute=True):
            services.rsvp_respond(user=member, meetup_id=meetup.pk)

        (mail,) = mailoutbox
        assert mail.subject == _subject("nl", "Je staat op de wachtlijst: %(meetup)s", "Vol")
        assert "wachtlijst" in mail.body
        assert _ics_event(mail)["SUMMARY"] == "Vol"

    def test_confirmation_is_in_the_members_language(
        self, mailoutbox, django_capture_on_commit_callbacks
    ):
        english = UserFactory(language="en", display_name="Emma")
        meetup = MeetupFactory(title="Language café")

        with django_capture_on_commit_callbacks(execute=True):
            services.rsvp_respond(user=english, meetup_id=meetup.pk)

        (mail,) = mailoutbox
        assert mail.subject == _subject("en", "Je bent aangemeld: %(meetup)s", "Language café")
        assert "Hello Emma" in mail.body
        assert f"/en/bijeenkomsten/{meetup.pk}/" in mail.body
        assert f"/en/bijeenkomsten/{meetup.pk}/" in str(_ics_event(mail)["URL"])

    def test_no_mail_before_commit_nor_for_an_unchanged_answer(
        self, member, mailoutbox, django_capture_on_commit_callbacks
    ):
        meetup = MeetupFactory()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.rsvp_respond(user=member, meetup_id=meetup.pk)
        assert mailoutbox == []
        for callback in callbacks:
            callback()
        assert len(mailoutbox) == 1

        with django_capture_on_commit_callbacks(execute=True):
            services.rsvp_respond(user=member, meetup_id=meetup.pk)

        assert len(mailoutbox) == 1

    def test_coming_back_after_cancelling_is_confirmed_again(
        self, member, mailoutbox, django_capture_on_commit_callbacks
    ):
        meetup = MeetupFactory()
        RsvpFactory(meetup=meetup, user=member, state=CANCELLED)

        with django_capture_on_commit_callbacks(execute=True):
            services.rsvp_respond(user=member, meetup_id=meetup.pk)

        assert [mail.to for mail in mailoutbox] == [[member.email]]

    def test_cancelled_before_the_task_ran_means_no_mail(self, member, mailoutbox):
        rsvp = RsvpFactory(user=member, state=CANCELLED)

        tasks.rsvp_confirmed_notify(rsvp.pk)
        tasks.rsvp_confirmed_notify(rsvp.pk + 1000)

        assert mailoutbox == []

    def test_promotion_mail_carries_the_ics(self, mailoutbox, django_capture_on_commit_callbacks):
        meetup = MeetupFactory(title="Plek vrij", capacity=1)
        leaving = RsvpFactory(meetup=meetup)
        waiting = RsvpFactory(meetup=meetup, state=WAITLIST)

        with django_capture_on_commit_callbacks(execute=True):
            services.rsvp_cancel(user=leaving.user, meetup_id=meetup.pk)

        (mail,) = mailoutbox
        assert mail.to == [waiting.user.email]
        assert _ics_event(mail)["SUMMARY"] == "Plek vrij"


# --- Reminders ----------------------------------------------------------------------------------


@pytest.mark.django_db
class TestReminders:
    def test_going_members_of_meetups_within_a_day_get_one_reminder(self, mailoutbox):
        meetup = MeetupFactory(title="Morgen", **_soon(20))
        going = RsvpFactory(meetup=meetup)
        RsvpFactory(meetup=meetup, state=WAITLIST)
        RsvpFactory(meetup=meetup, state=CANCELLED)
        RsvpFactory(meetup=meetup, user=UserFactory(is_active=False))
        RsvpFactory(meetup__title="Overmorgen", **{f"meetup__{k}": v for k, v in _soon(30).items()})
        RsvpFactory(meetup__title="Begonnen", **{f"meetup__{k}": v for k, v in _soon(-1).items()})
        RsvpFactory(
            meetup__title="Afgelast",
            meetup__status=Meetup.Status.CANCELLED,
            **{f"meetup__{k}": v for k, v in _soon(3).items()},
        )

        assert tasks.meetup_send_reminders() == 1

        (mail,) = mailoutbox
        assert mail.to == [going.user.email]
        assert mail.subject == _subject("nl", "Herinnering: %(meetup)s", "Morgen")
        assert _ics_event(mail)["SUMMARY"] == "Morgen"
        going.refresh_from_db()
        assert going.reminded_at is not None

    def test_a_second_run_sends_nothing_more(self, mailoutbox):
        meetup = MeetupFactory(**_soon(5))
        RsvpFactory.create_batch(3, meetup=meetup)

        assert tasks.meetup_send_reminders() == 3
        assert tasks.meetup_send_reminders() == 0

        assert len(mailoutbox) == 3
        assert len({mail.to[0] for mail in mailoutbox}) == 3

    def test_reminder_is_in_the_members_language(self, mailoutbox):
        rsvp = RsvpFactory(
            user=UserFactory(language="en", display_name="Emma"),
            meetup__title="Tomorrow",
            **{f"meetup__{k}": v for k, v in _soon(2).items()},
        )

        tasks.meetup_send_reminders()

        (mail,) = mailoutbox
        assert mail.subject == _subject("en", "Herinnering: %(meetup)s", "Tomorrow")
        assert "Hello Emma" in mail.body
        assert f"/en/bijeenkomsten/{rsvp.meetup_id}/" in mail.body

    def test_claimed_but_cancelled_in_between_sends_nothing(self, mailoutbox):
        rsvp = RsvpFactory(**{f"meetup__{k}": v for k, v in _soon(2).items()})
        Rsvp.objects.filter(pk=rsvp.pk).update(state=CANCELLED)

        tasks.rsvp_reminder_send(rsvp.pk)

        assert mailoutbox == []

    def test_beat_runs_the_reminders(self, settings):
        entry = settings.CELERY_BEAT_SCHEDULE["meetup-send-reminders"]

        assert entry["task"] == "meetups.tasks.meetup_send_reminders"
        assert entry["schedule"] <= 60 * 60


def _run_together(calls, *, barrier) -> list[BaseException]:
    errors: list[BaseException] = []

    def run(call):
        try:
            call()
        except BaseException as error:  # reported to the test below
            errors.append(error)
            barrier.abort()
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
@pytest.mark.parametrize("runs", [2, 4])
def test_overlapping_reminder_runs_remind_each_member_once(mailoutbox, runs):
    meetup = MeetupFactory(**_soon(6))
    going = RsvpFactory.create_batch(20, meetup=meetup)
    # Every run has read all 20 candidates before any of them claims one, so only the
    # conditional UPDATE in the database keeps a member from being reminded twice.
    barrier = threading.Barrier(runs, timeout=30)
    real = selectors.rsvp_ids_due_for_reminder

    def read_then_wait(**kwargs):
        ids = real(**kwargs)
        barrier.wait()
        return ids

    queued: list[int] = []
    with mock.patch.object(tasks, "rsvp_ids_due_for_reminder", read_then_wait):
        errors = _run_together(
            [lambda: queued.append(tasks.meetup_send_reminders()) for _ in range(runs)],
            barrier=barrier,
        )

    assert errors == []
    assert sum(queued) == 20
    assert sorted(address for mail in mailoutbox for address in mail.to) == sorted(
        rsvp.user.email for rsvp in going
    )
    assert Rsvp.objects.filter(meetup=meetup, reminded_at__isnull=True).count() == 0


# --- Changes and cancellations ------------------------------------------------------------------


@pytest.mark.django_db
class TestMeetupChanged:
    def test_changed_notice_goes_to_going_and_waiting_with_the_new_ics(self, mailoutbox):
        meetup = MeetupFactory(title="Verhuisd", address="Buurthuis De Poort")
        going = RsvpFactory(meetup=meetup)
        waiting = RsvpFactory(meetup=meetup, state=WAITLIST)
        RsvpFactory(meetup=meetup, state=CANCELLED)
        RsvpFactory()  # another meetup
        new_start = timezone.localtime(meetup.starts_at).replace(
            hour=19, minute=30, second=0, microsecond=0
        ) + dt.timedelta(days=1)
        Meetup.objects.filter(pk=meetup.pk).update(
            starts_at=new_start,
            ends_at=new_start + dt.timedelta(hours=2),
            address="Bibliotheek Noord",
            sequence=1,
        )

        assert tasks.meetup_changed_notify(meetup.pk, "changed") == 2

        assert sorted(mail.to[0] for mail in mailoutbox) == sorted(
            [going.user.email, waiting.user.email]
        )
        mail = next(m for m in mailoutbox if m.to == [going.user.email])
        assert mail.subject == _subject("nl", "Gewijzigd: %(meetup)s", "Verhuisd")
        assert "19:30" in mail.body
        assert "Bibliotheek Noord" in mail.body
        event = _ics_event(mail)
        assert event["SEQUENCE"] == 1
        assert event["LOCATION"] == "Bibliotheek Noord"
        assert event.start.astimezone(dt.UTC) == new_start.astimezone(dt.UTC)
        waiting_mail = next(m for m in mailoutbox if m.to == [waiting.user.email])
        assert "wachtlijst" in waiting_mail.body

    def test_changed_notice_is_in_each_members_language(self, mailoutbox):
        meetup = MeetupFactory(title="Moved")
        RsvpFactory(meetup=meetup, user=UserFactory(language="en", display_name="Emma"))
        RsvpFactory(meetup=meetup, user=UserFactory(language="nl", display_name="Noor"))

        tasks.meetup_changed_notify(meetup.pk, "changed")

        by_name = {("Emma" if "Emma" in m.body else "Noor"): m for m in mailoutbox}
        assert by_name["Emma"].subject == _subject("en", "Gewijzigd: %(meetup)s", "Moved")
        assert by_name["Noor"].subject == _subject("nl", "Gewijzigd: %(meetup)s", "Moved")
        assert "Hello Emma" in by_name["Emma"].body
        assert "Hallo Noor" in by_name["Noor"].body

    def test_a_move_more_than_a_day_ahead_earns_a_new_reminder(self, mailoutbox):
        meetup = MeetupFactory(**_soon(48))
        rsvp = RsvpFactory(meetup=meetup, reminded_at=timezone.now())

        tasks.meetup_changed_notify(meetup.pk, "changed")

        rsvp.refresh_from_db()
        assert rsvp.reminded_at is None

    def test_cancelled_notice_carries_the_note_and_a_cancelled_ics(self, mailoutbox):
        meetup = MeetupFactory(
            title="Gaat niet door",
            status=Meetup.Status.CANCELLED,
            cancellation_note="De spreker is ziek; we plannen een nieuwe datum.",
        )
        going = RsvpFactory(meetup=meetup)
        waiting = RsvpFactory(meetup=meetup, state=WAITLIST)

        assert tasks.meetup_changed_notify(meetup.pk, "cancelled") == 2

        assert sorted(m.to[0] for m in mailoutbox) == sorted([going.user.email, waiting.user.email])
        mail = mailoutbox[0]
        assert mail.subject == _subject("nl", "Afgelast: %(meetup)s", "Gaat niet door")
        assert "De spreker is ziek; we plannen een nieuwe datum." in mail.body
        assert _ics_event(mail)["STATUS"] == "CANCELLED"

    def test_stale_or_unknown_changes_send_nothing(self, mailoutbox):
        cancelled = MeetupFactory(status=Meetup.Status.CANCELLED)
        RsvpFactory(meetup=cancelled)
        published = MeetupFactory()
        RsvpFactory(meetup=published)

        # The "changed" notice is overtaken by the cancellation, and the other way round.
        assert tasks.meetup_changed_notify(cancelled.pk, "changed") == 0
        assert tasks.meetup_changed_notify(published.pk, "cancelled") == 0
        assert tasks.meetup_changed_notify(published.pk + 1000, "changed") == 0
        with pytest.raises(ValueError):
            tasks.meetup_changed_notify(published.pk, "moved")

        assert mailoutbox == []

    def test_queued_on_commit_from_a_service(self, mailoutbox, django_capture_on_commit_callbacks):
        """The way publishing services queue it: after the change is committed."""
        meetup = MeetupFactory(title="Later")
        RsvpFactory(meetup=meetup)

        with django_capture_on_commit_callbacks(execute=True):
            tasks.meetup_changed_notify.delay_on_commit(meetup.pk, "changed")
            assert mailoutbox == []

        assert len(mailoutbox) == 1
