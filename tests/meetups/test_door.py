"""At the door: walk-ins (members and people without an account), the name filter on the
check-in page, and the copies of the messages sent to attendees (issue 16, organisers)."""

from __future__ import annotations

import csv
import io
import re
import threading
import zipfile
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from communities.deletion import account_delete
from communities.models import Membership
from meetups import services
from meetups.models import Meetup, Rsvp, SentMessage, WalkIn
from tests.communities.factories import MembershipFactory, UserFactory
from tests.html import field_errors, page_text
from tests.meetups.factories import MeetupFactory, RsvpFactory

pytestmark = pytest.mark.django_db

GOING, WAITLIST, CANCELLED = Rsvp.State.GOING, Rsvp.State.WAITLIST, Rsvp.State.CANCELLED


@pytest.fixture
def meetup(community, clock):
    """Tonight at 19:00, two places; it is noon, so the door (check-in) is open."""
    clock.set("2026-12-07T12:00")
    starts = timezone.now() + timedelta(hours=7)
    return MeetupFactory(
        community=community, starts_at=starts, ends_at=starts + timedelta(hours=2), capacity=2
    )


def _attendees(meetup, query: str = "") -> str:
    return f"/bijeenkomsten/{meetup.pk}/deelnemers/{query}"


def _guest(meetup) -> str:
    return f"/bijeenkomsten/{meetup.pk}/deelnemers/binnenloper/"


def _member(meetup) -> str:
    return f"/bijeenkomsten/{meetup.pk}/deelnemers/lid-aan-de-deur/"


# --- Walk-ins without an account -------------------------------------------------------------


def test_host_registers_a_guest_who_counts_as_present(client, meetup, host):
    RsvpFactory(meetup=meetup, user__display_name="Anna")
    client.force_login(host)

    response = client.post(_guest(meetup), {"name": "  Kees   Bakker ", "email": ""})

    walk_in = WalkIn.objects.get()
    assert (walk_in.meetup, walk_in.name, walk_in.email) == (meetup, "Kees Bakker", "")
    assert response["Location"].endswith(f"#binnenloper-{walk_in.pk}")
    text = page_text(client.get(_attendees(meetup)))
    assert "Kees Bakker is er." in text
    assert "Binnenlopers 1" in text
    assert "Aanwezig 1 van 2" in text  # the walk-in, of Anna (going) and the walk-in


def test_guest_without_a_name_gets_an_error_at_the_field(client, meetup, host):
    client.force_login(host)

    response = client.post(_guest(meetup), {"name": "   ", "email": "kees@example.org"})

    assert response.status_code == 400
    assert "Vul een naam in." in field_errors(response, "name")
    assert not WalkIn.objects.exists()


def test_guest_with_a_bad_email_gets_an_error_at_the_field(client, meetup, host):
    client.force_login(host)

    response = client.post(_guest(meetup), {"name": "Kees", "email": "kees@"})

    assert response.status_code == 400
    assert "geen geldig e-mailadres" in field_errors(response, "email")
    assert not WalkIn.objects.exists()


def test_a_full_meetup_asks_the_organiser_and_lets_in_over_capacity(client, meetup, host):
    RsvpFactory(meetup=meetup)
    RsvpFactory(meetup=meetup)
    client.force_login(host)

    page = page_text(client.get(_attendees(meetup)))
    refused = client.post(_guest(meetup), {"name": "Kees"})

    assert "Alle plaatsen zijn bezet (2 van 2)" in page
    assert refused.status_code == 400
    assert "De bijeenkomst is vol: 2 van 2 plaatsen zijn bezet." in page_text(refused)
    assert not WalkIn.objects.exists()

    client.post(_guest(meetup), {"name": "Kees", "over_capacity": "on"})

    assert WalkIn.objects.filter(name="Kees").exists()
    text = page_text(client.get(_attendees(meetup)))
    assert "Er is 1 persoon meer binnen of aangemeld dan er plaatsen zijn." in text


def test_the_tick_box_for_over_capacity_shows_only_when_full(client, meetup, host):
    client.force_login(host)

    content = client.get(_attendees(meetup)).content.decode()

    assert 'name="over_capacity"' not in content


def test_walk_ins_wait_for_the_day_of_the_meetup(client, host, community, clock):
    clock.set("2026-12-07T12:00")
    later = MeetupFactory(community=community, starts_at=timezone.now() + timedelta(days=3))
    client.force_login(host)

    response = client.post(_guest(later), {"name": "Kees"})

    assert "Aanwezig melden kan vanaf de dag van de bijeenkomst." in page_text(response)
    assert not WalkIn.objects.exists()


def test_a_member_cannot_register_walk_ins(client, meetup, member, membership):
    client.force_login(member)

    response = client.post(_guest(meetup), {"name": "Kees"})

    assert response.status_code == 403
    assert not WalkIn.objects.exists()


def test_a_walk_in_registered_by_mistake_can_be_removed(client, meetup, host):
    walk_in = WalkIn.objects.create(meetup=meetup, name="Kees")
    client.force_login(host)

    client.post(f"{_guest(meetup)}{walk_in.pk}/verwijderen/")

    assert not WalkIn.objects.exists()


def test_walk_ins_are_in_the_csv_and_go_with_the_meetup(client, meetup, host):
    WalkIn.objects.create(meetup=meetup, name="Kees", email="kees@example.org")
    client.force_login(host)

    rows = list(
        csv.reader(
            io.StringIO(client.get(f"/bijeenkomsten/{meetup.pk}/deelnemers.csv").content.decode()),
            delimiter=";",
        )
    )

    assert rows[-1][:3] == ["Kees", "kees@example.org", "Binnenloper (zonder account)"]
    Meetup.objects.filter(pk=meetup.pk).delete()
    assert not WalkIn.objects.exists()  # the name is kept on the meetup, and goes with it


# --- Members who walk in ---------------------------------------------------------------------


def test_door_search_finds_community_members_by_name(client, meetup, host, community):
    MembershipFactory(community=community, user__display_name="Bram de Boer", user__handle="bram")
    UserFactory(display_name="Bram Buiten", findable=False)  # not in the community, not findable
    client.force_login(host)

    text = page_text(client.get(_attendees(meetup, "?lid=bram")))

    assert "Bram de Boer" in text
    assert "Bram Buiten" not in text


def test_door_search_needs_two_letters(client, meetup, host, community):
    MembershipFactory(community=community, user__display_name="Bram de Boer")
    client.force_login(host)

    text = page_text(client.get(_attendees(meetup, "?lid=b")))

    assert "Typ minstens twee letters." in text
    assert "Bram de Boer" not in text


def test_member_walks_in_without_an_rsvp(client, meetup, host, community, mailoutbox):
    bram = MembershipFactory(community=community, user__display_name="Bram").user
    client.force_login(host)

    response = client.post(_member(meetup), {"member": bram.pk})

    rsvp = Rsvp.objects.get(user=bram)
    assert (rsvp.state, rsvp.checked_in_at) == (GOING, timezone.now())
    assert response["Location"].endswith(f"#deelnemer-{rsvp.pk}")
    assert "Bram is er." in page_text(client.get(_attendees(meetup)))
    assert mailoutbox == []  # they are here: no confirmation mail


def test_member_on_the_waitlist_walks_in_over_capacity_when_the_organiser_says_so(
    meetup, community
):
    RsvpFactory(meetup=meetup)
    RsvpFactory(meetup=meetup)
    waiting = RsvpFactory(meetup=meetup, state=WAITLIST)

    with pytest.raises(ValidationError, match="De bijeenkomst is vol"):
        services.rsvp_walk_in(meetup=meetup, user=waiting.user)
    services.rsvp_walk_in(meetup=meetup, user=waiting.user, over_capacity=True)

    waiting.refresh_from_db()
    assert waiting.state == GOING and waiting.checked_in_at is not None


def test_member_already_going_is_just_checked_in(meetup):
    rsvp = RsvpFactory(meetup=meetup)
    RsvpFactory(meetup=meetup)  # full: checking in someone with a place needs no permission

    services.rsvp_walk_in(meetup=meetup, user=rsvp.user)

    rsvp.refresh_from_db()
    assert rsvp.checked_in_at == timezone.now()


def test_a_member_outside_the_search_scope_cannot_be_registered(client, meetup, host):
    stranger = UserFactory(findable=False)
    client.force_login(host)

    response = client.post(_member(meetup), {"member": stranger.pk}, follow=True)

    assert "Dit lid kun je bij deze bijeenkomst niet aanmelden." in page_text(response)
    assert not Rsvp.objects.filter(user=stranger).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_phones_at_the_door_cannot_both_take_the_last_place(clock):
    """The walk-in takes the meetup row lock, as RSVPs do: of ten guests registered at once for
    the one place left, exactly one gets in."""
    clock.set("2026-12-07T12:00")
    starts = timezone.now() + timedelta(hours=7)
    meetup = MeetupFactory(starts_at=starts, ends_at=starts + timedelta(hours=2), capacity=3)
    RsvpFactory(meetup=meetup)
    RsvpFactory(meetup=meetup)
    barrier = threading.Barrier(10)
    errors: list[BaseException] = []

    def register(n: int) -> None:
        try:
            barrier.wait()
            services.walk_in_register_guest(meetup=meetup, name=f"Gast {n}")
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert WalkIn.objects.filter(meetup=meetup).count() == 1
    assert len(errors) == 9
    assert all(isinstance(error, services.OverCapacity) for error in errors)


# --- Name filter -----------------------------------------------------------------------------


def test_name_filter_works_without_javascript(client, meetup, host):
    RsvpFactory(meetup=meetup, user__display_name="Anna de Wit")
    RsvpFactory(meetup=meetup, user__display_name="Bram Zwart")
    RsvpFactory(meetup=meetup, state=WAITLIST, user__display_name="Wim de Wit")
    WalkIn.objects.create(meetup=meetup, name="Kees Wit")
    client.force_login(host)

    response = client.get(_attendees(meetup, "?naam=wit"))

    content = response.content.decode()
    text = page_text(response)
    assert 'method="get"' in content
    assert re.search(r'name="naam"\s+value="wit"', content)
    assert "Is er: Anna de Wit" in text and "Wim de Wit" in text and "Kees Wit" in text
    assert "Bram Zwart" not in text
    assert "3 personen gevonden met “wit”." in page_text(response)
    # The figures stay those of everyone, not of the filtered list.
    assert "Komen 2 van 2 plaatsen" in page_text(response)


def test_name_filter_matches_every_word(client, meetup, host):
    RsvpFactory(meetup=meetup, user__display_name="Anna de Wit")
    RsvpFactory(meetup=meetup, user__display_name="Anna Zwart")
    client.force_login(host)

    text = page_text(client.get(_attendees(meetup, "?naam=anna+wit")))

    assert "Is er: Anna de Wit" in text
    assert "Anna Zwart" not in text


def test_live_filter_script_is_loaded_from_our_own_static_files(client, meetup, host):
    client.force_login(host)

    content = client.get(_attendees(meetup)).content.decode()

    assert re.search(r'<script src="/static/js/attendee-filter\.js" defer></script>', content)
    assert "data-attendee-filter" in content


# --- Copies of sent messages -----------------------------------------------------------------


def test_a_sent_message_is_kept_on_the_meetup_and_listed(
    client, meetup, host, django_capture_on_commit_callbacks
):
    RsvpFactory(meetup=meetup)
    RsvpFactory(meetup=meetup, state=WAITLIST)
    client.force_login(host)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/bijeenkomsten/{meetup.pk}/bericht/",
            {"subject": "Andere zaal", "body": "We zitten in zaal 2.", "include_waitlist": "on"},
        )

    message = SentMessage.objects.get()
    assert (message.meetup, message.sender, message.subject, message.body) == (
        meetup,
        host,
        "Andere zaal",
        "We zitten in zaal 2.",
    )
    assert (message.recipient_count, message.include_waitlist) == (2, True)
    text = page_text(client.get(_attendees(meetup)))
    assert "Verstuurde berichten" in text
    assert "Andere zaal" in text and "We zitten in zaal 2." in text
    assert "aan 2 personen (met de wachtlijst)" in text and "door Hanna Host" in text


def test_a_refused_message_is_not_kept(client, meetup, host):
    client.force_login(host)

    client.post(f"/bijeenkomsten/{meetup.pk}/bericht/", {"subject": "Hoi", "body": "Hallo"})

    assert not SentMessage.objects.exists()


def test_sent_messages_survive_the_senders_account_deletion(client, meetup, host, community):
    other_host = MembershipFactory(community=community, role=Membership.Role.HOST).user
    RsvpFactory(meetup=meetup)
    services.meetup_message_attendees(
        meetup=meetup, sender=host, subject="Andere zaal", body="Zaal 2.", include_waitlist=False
    )

    account_delete(user=host, delete_content=False)
    message = SentMessage.objects.get()
    assert message.subject == "Andere zaal"

    host.delete()  # the row itself gone too (an admin, say): the copy stays, without a sender
    message.refresh_from_db()
    assert message.sender is None
    client.force_login(other_host)
    text = page_text(client.get(_attendees(meetup)))
    assert "Andere zaal" in text and "door een verwijderd account" in text


def test_the_senders_data_export_holds_the_messages_they_sent(meetup, host):
    from privacy.exporters.meetups import messages_sent
    from privacy.registry import ExportArchive

    RsvpFactory(meetup=meetup)
    services.meetup_message_attendees(
        meetup=meetup, sender=host, subject="Andere zaal", body="Zaal 2.", include_waitlist=False
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        messages_sent(host, ExportArchive(archive, now=timezone.now()))

    rows = list(
        csv.reader(
            io.StringIO(
                zipfile.ZipFile(buffer).read("meetups/messages_sent.csv").decode("utf-8-sig")
            ),
            delimiter=";",
        )
    )
    assert rows[1][0] == meetup.title
    assert rows[1][2:6] == ["Andere zaal", "Zaal 2.", "false", "1"]
