"""Signing up for a meetup and cancelling through the test client."""

from __future__ import annotations

import re

import pytest

from meetups.models import Rsvp
from tests.communities.factories import UserFactory
from tests.html import page_text
from tests.meetups.factories import MeetupFactory, RsvpFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def _rsvp_url(meetup):
    return f"/bijeenkomsten/{meetup.pk}/aanmelden/"


def _cancel_url(meetup):
    return f"/bijeenkomsten/{meetup.pk}/afmelden/"


@pytest.mark.parametrize("url", [_rsvp_url, _cancel_url])
def test_rsvp_urls_are_post_only(client, member, url):
    meetup = MeetupFactory()
    client.force_login(member)

    assert client.get(url(meetup)).status_code == 405
    assert not Rsvp.objects.exists()


@pytest.mark.parametrize("url", [_rsvp_url, _cancel_url])
def test_anonymous_visitor_is_sent_to_login(client, url):
    meetup = MeetupFactory()

    response = client.post(url(meetup))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Rsvp.objects.exists()


@pytest.mark.parametrize("url", [_rsvp_url, _cancel_url])
def test_meetup_of_a_private_community_is_not_found(client, member, private_community, url):
    meetup = MeetupFactory(community=private_community)
    client.force_login(member)

    assert client.post(url(meetup)).status_code == 404
    assert not Rsvp.objects.exists()


def test_signing_up_shows_the_state_and_a_cancel_button(client, member):
    meetup = MeetupFactory(capacity=10)
    client.force_login(member)

    response = client.post(_rsvp_url(meetup), follow=True)

    text = page_text(response)
    assert "Je bent aangemeld." in text
    assert "Je komt." in text
    assert "Nog 9 plaatsen vrij" in text
    assert "Afmelden" in text
    assert Rsvp.objects.get(user=member, meetup=meetup).state == Rsvp.State.GOING


def test_full_meetup_puts_you_on_the_waitlist(client, member):
    meetup = MeetupFactory(capacity=1)
    RsvpFactory(meetup=meetup)
    client.force_login(member)

    before = page_text(client.get(meetup.get_absolute_url()))
    response = client.post(_rsvp_url(meetup), follow=True)

    assert re.search(r"\bVol\b", before)
    assert "Zet me op de wachtlijst" in before
    text = page_text(response)
    assert "Je staat op de wachtlijst. We laten het je weten als er een plek vrijkomt." in text
    assert "Je staat op de wachtlijst (plaats 1)." in text
    # Leaving the waitlist says so: "Afmelden" alone reads as giving up a place.
    assert "Van de wachtlijst af" in text


def test_cancelling_shows_a_message_and_frees_the_place(client, member):
    meetup = MeetupFactory(capacity=1)
    RsvpFactory(meetup=meetup, user=member)
    client.force_login(member)

    response = client.post(_cancel_url(meetup), follow=True)

    text = page_text(response)
    assert "Je bent afgemeld." in text
    assert "Nog 1 plaats vrij" in text
    assert "Ik kom" in text
    assert Rsvp.objects.get(user=member, meetup=meetup).state == Rsvp.State.CANCELLED


def test_signing_up_for_a_cancelled_meetup_shows_an_error(client, member):
    meetup = MeetupFactory(status="cancelled")
    client.force_login(member)

    response = client.post(_rsvp_url(meetup), follow=True)

    assert "Deze bijeenkomst is afgelast. Aanmelden kan niet meer." in page_text(response)
    assert not Rsvp.objects.exists()


def test_anonymous_visitor_sees_a_login_link_back_to_the_meetup(client):
    meetup = MeetupFactory()

    response = client.get(meetup.get_absolute_url())

    assert f'href="/accounts/login/?next=/bijeenkomsten/{meetup.pk}/"' in response.content.decode()
    assert "Log in om je aan te melden." in page_text(response)


def test_cards_show_places_left_with_constant_queries(client):
    full = MeetupFactory(capacity=1, title="Repair café")
    RsvpFactory(meetup=full)
    open_meetup = MeetupFactory(capacity=3, title="Zonnepanelenavond")
    RsvpFactory(meetup=open_meetup)

    text = page_text(client.get("/bijeenkomsten/"))
    assert "Repair café" in text
    assert re.search(r"\bVol\b", text)
    assert "Nog 2 plaatsen vrij" in text

    def add(count):
        for _ in range(count):
            RsvpFactory(meetup=MeetupFactory(), user=UserFactory())

    assert_constant_queries(client, "/bijeenkomsten/", add, label="meetup list with places")
