"""The organiser tools: attendees and waitlist, CSV export, check-in and a message to all."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from communities.models import Membership
from communities.selectors import ORGANISER_GROUP
from meetups.models import Meetup, Rsvp
from tests.communities.factories import MembershipFactory, UserFactory
from tests.html import field_errors, page_text
from tests.meetups.factories import MeetupFactory, RsvpFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

GOING, WAITLIST, CANCELLED = Rsvp.State.GOING, Rsvp.State.WAITLIST, Rsvp.State.CANCELLED


@pytest.fixture
def organiser(db):
    group, _created = Group.objects.get_or_create(name=ORGANISER_GROUP)
    user = UserFactory(display_name="Olga Organisator", handle="olga")
    user.groups.add(group)
    return user


@pytest.fixture
def meetup(community):
    """Today, in an hour: check-in is open, sign-up still too."""
    starts = timezone.now() + timedelta(hours=1)
    if timezone.localdate(starts) != timezone.localdate():
        starts = timezone.now() + timedelta(minutes=1)
    return MeetupFactory(
        community=community, starts_at=starts, ends_at=starts + timedelta(hours=2), capacity=3
    )


def _attendees(meetup):
    return f"/bijeenkomsten/{meetup.pk}/deelnemers/"


def _csv(meetup):
    return f"/bijeenkomsten/{meetup.pk}/deelnemers.csv"


def _message(meetup):
    return f"/bijeenkomsten/{meetup.pk}/bericht/"


def _report(meetup):
    return f"/bijeenkomsten/{meetup.pk}/verslag/"


def _check_in(meetup, rsvp):
    return f"/bijeenkomsten/{meetup.pk}/deelnemers/{rsvp.pk}/aanwezig/"


SCREENS = [_attendees, _csv, _message, _report]


# --- Who may use the tools -------------------------------------------------------------------


@pytest.mark.parametrize("screen", SCREENS)
def test_anonymous_visitor_is_sent_to_login(client, meetup, screen):
    response = client.get(screen(meetup))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("screen", SCREENS)
def test_member_and_attendee_are_forbidden(client, meetup, member, membership, screen):
    RsvpFactory(meetup=meetup, user=member, access_needs="Ringleiding")
    client.force_login(member)

    response = client.get(screen(meetup))

    assert response.status_code == 403
    assert "Ringleiding" not in response.content.decode()


@pytest.mark.parametrize("screen", SCREENS)
def test_moderator_of_the_community_is_forbidden(client, meetup, community, screen):
    moderator = MembershipFactory(community=community, role=Membership.Role.MODERATOR).user
    client.force_login(moderator)

    assert client.get(screen(meetup)).status_code == 403


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("role", ["host", "meetup_organiser", "organiser", "librarian"])
def test_who_runs_the_meetup_may_use_every_screen(client, meetup, role, screen, request):
    if role == "meetup_organiser":
        user = UserFactory()
        meetup.organisers.add(user)
    else:
        user = request.getfixturevalue(role)
    client.force_login(user)

    assert client.get(screen(meetup)).status_code == 200


@pytest.mark.parametrize("screen", SCREENS)
def test_meetup_of_a_private_community_is_not_found(client, private_community, member, screen):
    meetup = MeetupFactory(community=private_community)
    client.force_login(member)

    assert client.get(screen(meetup)).status_code == 404


@pytest.mark.parametrize("screen", SCREENS)
def test_host_of_another_community_is_forbidden(client, meetup, screen):
    other_host = MembershipFactory(role=Membership.Role.HOST).user
    client.force_login(other_host)

    assert client.get(screen(meetup)).status_code == 403


def test_check_in_by_a_member_is_forbidden_and_stores_nothing(client, meetup, member):
    rsvp = RsvpFactory(meetup=meetup)
    client.force_login(member)

    assert client.post(_check_in(meetup, rsvp), {"present": "1"}).status_code == 403
    rsvp.refresh_from_db()
    assert rsvp.checked_in_at is None


def test_meetup_page_links_to_the_tools_only_for_who_runs_it(client, meetup, member, host):
    client.force_login(member)
    assert "Deelnemers, wachtlijst en aanwezig melden" not in page_text(
        client.get(meetup.get_absolute_url())
    )

    client.force_login(host)
    text = page_text(client.get(meetup.get_absolute_url()))
    assert "Deelnemers, wachtlijst en aanwezig melden" in text
    assert "Bericht aan de deelnemers" in text


@pytest.mark.parametrize("status", [Meetup.Status.DRAFT, Meetup.Status.PROPOSED])
def test_draft_and_proposal_pages_show_no_organiser_tools(client, meetup, host, status):
    """Nobody can sign up before it is published: no one to list, check in or write to."""
    Meetup.objects.filter(pk=meetup.pk).update(status=status)
    client.force_login(host)

    response = client.get(meetup.get_absolute_url())

    content = response.content.decode()
    assert response.status_code == 200
    assert "Organiseren" not in page_text(response)
    for screen in SCREENS:
        assert screen(meetup) not in content
    assert f"/bijeenkomsten/{meetup.pk}/bewerken/" in content  # planning stays at hand


@pytest.mark.parametrize("screen", SCREENS)
def test_tools_of_a_draft_answer_who_runs_it_and_stay_hidden_from_others(
    client, meetup, host, member, membership, screen
):
    # Pages that were open before publishing, or a bookmark, do not end in a 404 for the host.
    Meetup.objects.filter(pk=meetup.pk).update(status=Meetup.Status.DRAFT)

    client.force_login(member)
    assert client.get(screen(meetup)).status_code == 404

    client.force_login(host)
    assert client.get(screen(meetup)).status_code == 200


def test_proposer_sees_the_proposal_but_not_its_tools(client, meetup, member, membership):
    Meetup.objects.filter(pk=meetup.pk).update(status=Meetup.Status.PROPOSED, proposed_by=member)
    client.force_login(member)

    assert client.get(meetup.get_absolute_url()).status_code == 200
    assert client.get(_attendees(meetup)).status_code == 403


# --- The attendee page -----------------------------------------------------------------------


def test_attendee_page_lists_who_comes_and_the_waitlist_in_order(client, meetup, host):
    RsvpFactory(meetup=meetup, user__display_name="Bram")
    RsvpFactory(meetup=meetup, user__display_name="Anna")
    first = RsvpFactory(meetup=meetup, state=WAITLIST, user__display_name="Wim")
    RsvpFactory(meetup=meetup, state=WAITLIST, user__display_name="Vera")
    Rsvp.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(hours=1))
    RsvpFactory(meetup=meetup, state=CANCELLED, user__display_name="Carla Cancelled")
    client.force_login(host)

    text = page_text(client.get(_attendees(meetup)))

    assert "2 van 3 plaatsen" in text
    assert text.index("Anna") < text.index("Bram")  # by name, for the door
    assert "1. Wim" in text and "2. Vera" in text
    assert "Carla Cancelled" not in text


def test_access_needs_are_summarised_per_need_with_the_list(client, meetup, host):
    RsvpFactory(meetup=meetup, user__display_name="Anna", access_needs="Rolstoelplek, ringleiding")
    RsvpFactory(meetup=meetup, user__display_name="Bram", access_needs="ringleiding.")
    RsvpFactory(meetup=meetup, state=WAITLIST, user__display_name="Wim", access_needs="Tolk NGT")
    RsvpFactory(meetup=meetup, user__display_name="Zonder")
    client.force_login(host)

    response = client.get(_attendees(meetup))

    content = response.content.decode()
    rows = [" ".join(cells.split()) for cells in re.findall(r"<tr>(.*?)</tr>", content, re.S)]
    assert "<td>Ringleiding</td> <td>2</td>" in rows
    assert "<td>Rolstoelplek</td> <td>1</td>" in rows
    assert "<td>Tolk NGT</td> <td>1</td>" in rows
    text = page_text(response)
    assert "Anna Rolstoelplek, ringleiding" in text
    assert "Wim Wachtlijst Tolk NGT" in text


def test_attendee_page_costs_the_same_queries_for_3_or_30_people(client, meetup, host):
    meetup.capacity = None
    meetup.save()
    client.force_login(host)

    def add(n):
        for i in range(n):
            RsvpFactory(meetup=meetup, access_needs="Ringleiding" if i % 2 else "")
            RsvpFactory(meetup=meetup, state=WAITLIST)

    assert_constant_queries(client, _attendees(meetup), add, label="meetup attendees page")


# --- CSV -------------------------------------------------------------------------------------


def _rows(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


def test_csv_has_who_comes_then_the_waitlist_and_nothing_more(client, meetup, organiser):
    going = RsvpFactory(
        meetup=meetup, user__display_name="Zoë Çelik", user__email="zoe@example.org"
    )
    going.checked_in_at = timezone.now()
    going.access_needs = "Rolstoelplek"
    going.save()
    RsvpFactory(meetup=meetup, state=WAITLIST, user__display_name="Wim")
    RsvpFactory(meetup=meetup, state=CANCELLED, user__display_name="Carla")
    client.force_login(organiser)

    response = client.get(_csv(meetup))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert "deelnemers" in response["Content-Disposition"]
    rows = _rows(response)
    assert rows[0] == ["Naam", "E-mailadres", "Status", "Aangemeld op", "Aanwezig gemeld om"]
    assert len(rows) == 3
    zoe, wim = rows[1], rows[2]
    assert zoe[:3] == ["Zoë Çelik", "zoe@example.org", "Ik kom"]
    assert zoe[3] == timezone.localtime(going.created_at).strftime("%Y-%m-%d %H:%M")
    assert zoe[4] == timezone.localtime(going.checked_in_at).strftime("%Y-%m-%d %H:%M")
    assert wim[0] == "Wim" and wim[2] == "Wachtlijst (plaats 1)" and wim[4] == ""
    assert "Rolstoelplek" not in response.content.decode()  # access needs stay on the page
    assert "Carla" not in response.content.decode()


def test_csv_defuses_spreadsheet_formulas(client, meetup, organiser):
    RsvpFactory(meetup=meetup, user__display_name='=HYPERLINK("http://evil.example")')
    client.force_login(organiser)

    rows = _rows(client.get(_csv(meetup)))

    assert rows[1][0] == '\'=HYPERLINK("http://evil.example")'


# --- Check-in --------------------------------------------------------------------------------


def test_check_in_marks_present_and_undo_clears_it(client, meetup, host):
    rsvp = RsvpFactory(meetup=meetup, user__display_name="Anna")
    client.force_login(host)

    response = client.post(_check_in(meetup, rsvp), {"present": "1"})

    assert response.status_code == 302
    assert response["Location"].endswith(f"#deelnemer-{rsvp.pk}")
    rsvp.refresh_from_db()
    first_time = rsvp.checked_in_at
    assert first_time is not None
    text = page_text(client.get(response["Location"].split("#")[0]))
    assert "Anna is er." in text
    assert "1 van 1" in text
    assert "Ongedaan maken: Anna" in text

    client.post(_check_in(meetup, rsvp), {"present": "1"})  # a second tap keeps the time
    rsvp.refresh_from_db()
    assert rsvp.checked_in_at == first_time

    client.post(_check_in(meetup, rsvp), {"present": "0"})
    rsvp.refresh_from_db()
    assert rsvp.checked_in_at is None


def test_check_in_is_post_only(client, meetup, host):
    rsvp = RsvpFactory(meetup=meetup)
    client.force_login(host)

    assert client.get(_check_in(meetup, rsvp)).status_code == 405


def test_check_in_page_works_without_javascript(client, meetup, host):
    rsvp = RsvpFactory(meetup=meetup, user__display_name="Anna")
    client.force_login(host)

    content = client.get(_attendees(meetup)).content.decode()

    assert f'action="{_check_in(meetup, rsvp)}"' in content
    assert 'name="present" value="1"' in content
    assert 'class="button button--primary"' in content  # full-size touch target, not small
    assert "<script" not in content.split("<main", 1)[1]


def test_check_in_before_the_day_of_the_meetup_is_refused(client, host, community):
    meetup = MeetupFactory(community=community)  # in a week
    rsvp = RsvpFactory(meetup=meetup)
    client.force_login(host)

    response = client.post(_check_in(meetup, rsvp), {"present": "1"}, follow=True)

    assert "Aanwezig melden kan vanaf de dag van de bijeenkomst." in page_text(response)
    rsvp.refresh_from_db()
    assert rsvp.checked_in_at is None


def test_someone_on_the_waitlist_cannot_be_checked_in(client, meetup, host):
    rsvp = RsvpFactory(meetup=meetup, state=WAITLIST)
    client.force_login(host)

    client.post(_check_in(meetup, rsvp), {"present": "1"})

    rsvp.refresh_from_db()
    assert rsvp.checked_in_at is None


def test_rsvp_of_another_meetup_cannot_be_checked_in(client, meetup, host):
    other = RsvpFactory(meetup=MeetupFactory(starts_at=meetup.starts_at))
    client.force_login(host)

    client.post(_check_in(meetup, other), {"present": "1"})

    other.refresh_from_db()
    assert other.checked_in_at is None


# --- Message to everyone coming --------------------------------------------------------------


def test_message_goes_to_each_attendee_alone_with_reply_to_the_sender(
    client, meetup, host, mailoutbox, django_capture_on_commit_callbacks
):
    anna = RsvpFactory(meetup=meetup, user__email="anna@example.org").user
    bram = RsvpFactory(meetup=meetup, user__email="bram@example.org", user__language="en").user
    RsvpFactory(meetup=meetup, state=WAITLIST, user__email="wim@example.org")
    RsvpFactory(meetup=meetup, state=CANCELLED, user__email="carla@example.org")
    client.force_login(host)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _message(meetup), {"subject": "Andere zaal", "body": "We zitten in zaal 2."}
        )

    assert response.status_code == 302
    assert sorted(address for mail in mailoutbox for address in mail.to) == [
        "anna@example.org",
        "bram@example.org",
    ]
    by_address = {mail.to[0]: mail for mail in mailoutbox}
    for mail in mailoutbox:
        assert len(mail.to) == 1 and not mail.cc and not mail.bcc
        assert mail.reply_to == [host.email]
        assert mail.subject == f"Andere zaal ({meetup.title})"
        assert "We zitten in zaal 2." in mail.body
        assert "Hanna Host" in mail.body
    # Each in their own language: dates and the link to the meetup.
    nl_day = _day_name(meetup, "nl")
    en_day = _day_name(meetup, "en")
    assert nl_day in by_address[anna.email].body
    assert f"{meetup.get_absolute_url()}" in by_address[anna.email].body
    assert en_day in by_address[bram.email].body
    assert f"/en{meetup.get_absolute_url()}" in by_address[bram.email].body
    assert nl_day not in by_address[bram.email].body


def _day_name(meetup, language):
    from django.utils import translation
    from django.utils.formats import date_format

    with translation.override(language):
        return date_format(timezone.localtime(meetup.starts_at), "l")


def test_message_can_include_the_waitlist(
    client, meetup, host, mailoutbox, django_capture_on_commit_callbacks
):
    RsvpFactory(meetup=meetup, user__email="anna@example.org")
    RsvpFactory(meetup=meetup, state=WAITLIST, user__email="wim@example.org")
    client.force_login(host)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            _message(meetup),
            {"subject": "Let op", "body": "Neem je laptop mee.", "include_waitlist": "on"},
        )

    assert sorted(mail.to[0] for mail in mailoutbox) == ["anna@example.org", "wim@example.org"]
    wim = next(mail for mail in mailoutbox if mail.to[0] == "wim@example.org")
    assert "omdat je op de wachtlijst staat" in wim.body


def test_message_without_subject_shows_the_error_and_sends_nothing(
    client, meetup, host, mailoutbox, django_capture_on_commit_callbacks
):
    RsvpFactory(meetup=meetup)
    client.force_login(host)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_message(meetup), {"subject": "  ", "body": "Hallo"})

    assert response.status_code == 200
    assert "Geef het bericht een onderwerp." in field_errors(response, "subject")
    assert mailoutbox == []


def test_message_to_nobody_is_refused(client, meetup, host, mailoutbox):
    client.force_login(host)

    response = client.post(_message(meetup), {"subject": "Hallo", "body": "Iemand daar?"})

    assert "Er is nog niemand aan wie je dit bericht kunt sturen." in page_text(response)
    assert mailoutbox == []


def test_message_page_says_who_gets_it_and_where_replies_go(client, meetup, host):
    RsvpFactory(meetup=meetup)
    RsvpFactory(meetup=meetup, state=WAITLIST)
    client.force_login(host)

    text = page_text(client.get(_message(meetup)))

    assert "1 persoon die komt" in text
    assert "2 personen als je de wachtlijst meeneemt" in text
    assert host.email in text


def test_cancelled_meetup_gets_no_message(client, meetup, host, mailoutbox):
    RsvpFactory(meetup=meetup)
    Meetup.objects.filter(pk=meetup.pk).update(status=Meetup.Status.CANCELLED)
    client.force_login(host)

    response = client.post(_message(meetup), {"subject": "Hallo", "body": "Toch?"})

    assert "afgelast" in page_text(response)
    assert mailoutbox == []


# --- Admin permissions (migration 0004) ------------------------------------------------------


@pytest.mark.parametrize("group", ["Organisatoren", "Bibliothecarissen"])
def test_organisers_and_librarians_may_manage_reports_and_session_places(group):
    names = set(Group.objects.get(name=group).permissions.values_list("codename", flat=True))

    for model in ["report", "sessionsignup", "calendartoken"]:
        for action in ["add", "change", "delete", "view"]:
            assert f"{action}_{model}" in names
