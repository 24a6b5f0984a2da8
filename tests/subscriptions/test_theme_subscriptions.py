"""Following a theme by email without an account (issue 17): double opt-in, one-click
unsubscribe that forgets the address, limits against abuse, and a weekly mail with only what
anyone may read."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from communities.models import Community
from subscriptions import services
from subscriptions.models import ThemeSubscription
from tests.communities.factories import CommunityFactory
from tests.knowledge.factories import ContributionFactory

pytestmark = pytest.mark.django_db

# 2026-12-07 is a Monday, the default DIGEST_WEEKDAY; the weekly period ends at 07:00.
MONDAY_MORNING = "2026-12-07T07:05"


@pytest.fixture(autouse=True)
def _weekday(settings):
    settings.DIGEST_WEEKDAY = "monday"
    settings.PRIVACY_STATEMENT_VERSION = "2026-12"


def _url(theme) -> str:
    return reverse("subscriptions:subscribe", kwargs={"slug": theme.slug})


def _ask(client, theme, email="Buur@Example.org", *, consent=True, capture=None):
    data = {"email": email}
    if consent:
        data["consent"] = "on"
    if capture is None:
        return client.post(_url(theme), data)
    with capture(execute=True):
        return client.post(_url(theme), data)


def _link(message, name: str) -> str:
    match = re.search(rf"https?://\S+/volgen-per-e-mail/{name}/\S+/", message.body)
    assert match, message.body
    return match.group(0).split("testserver", 1)[-1].split("8000", 1)[-1]


def _confirmed(theme, email="buur@example.org", **extra) -> ThemeSubscription:
    return ThemeSubscription.objects.create(
        theme=theme,
        email=email,
        token=f"token-{email}",
        confirmed_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
        **extra,
    )


def test_the_theme_page_links_to_following_by_email(client, theme):
    response = client.get(theme.get_absolute_url())
    assert _url(theme).encode() in response.content


def test_asking_sends_one_confirmation_mail_and_stores_nothing_else(
    client, theme, django_capture_on_commit_callbacks
):
    response = _ask(client, theme, capture=django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"].endswith("?verstuurd=1")
    (subscription,) = ThemeSubscription.objects.all()
    assert subscription.email == "buur@example.org"
    assert subscription.confirmed_at is None
    (message,) = mail.outbox
    assert message.to == ["buur@example.org"]
    assert "Duurzaam wonen" in message.subject
    assert "/volgen-per-e-mail/bevestigen/" in message.body
    page = client.get(response["Location"])
    assert "Kijk in je mail" in page.content.decode()


def test_without_consent_the_form_says_why_and_nothing_is_stored(client, theme):
    response = _ask(client, theme, consent=False)

    assert response.status_code == 200
    assert "Vink dit aan om het thema te volgen." in response.content.decode()
    assert not ThemeSubscription.objects.exists()
    assert mail.outbox == []


def test_a_broken_address_gets_a_message_next_to_the_field(client, theme):
    response = _ask(client, theme, email="buur@")
    assert "Vul een e-mailadres in zoals naam@voorbeeld.nl." in response.content.decode()
    assert not ThemeSubscription.objects.exists()


def test_opening_the_link_does_not_confirm_the_button_does(
    client, theme, django_capture_on_commit_callbacks
):
    _ask(client, theme, capture=django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0], "bevestigen")

    page = client.get(link)  # a mail scanner following the link
    assert page.status_code == 200
    assert ThemeSubscription.objects.get().confirmed_at is None

    done = client.post(link)
    assert done.status_code == 200
    subscription = ThemeSubscription.objects.get()
    assert subscription.confirmed_at is not None
    assert subscription.consent_version == "2026-12"


def test_a_confirmation_link_expires(client, theme, clock, django_capture_on_commit_callbacks):
    clock.set("2026-12-01T12:00")
    _ask(client, theme, capture=django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0], "bevestigen")
    clock.tick(dt.timedelta(days=8))

    assert client.post(link).status_code == 410
    assert ThemeSubscription.objects.get().confirmed_at is None
    assert services.unconfirmed_subscriptions_purge() == 1
    assert client.get(link).status_code == 404


def test_asking_again_does_not_mail_a_confirmed_address_nor_tell_the_asker(
    client, theme, django_capture_on_commit_callbacks
):
    _confirmed(theme)
    response = _ask(client, theme, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302  # the same answer as for a new address
    assert mail.outbox == []


def test_a_second_request_waits_before_a_second_mail(
    client, theme, clock, django_capture_on_commit_callbacks
):
    clock.set("2026-12-01T12:00")
    _ask(client, theme, capture=django_capture_on_commit_callbacks)
    _ask(client, theme, capture=django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    clock.tick(dt.timedelta(minutes=11))
    _ask(client, theme, capture=django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    assert ThemeSubscription.objects.count() == 1


def test_one_mailbox_cannot_be_flooded(client, theme, settings):
    settings.THEME_SUBSCRIPTION_REQUESTS_PER_EMAIL = 2
    email = f"doelwit-{theme.pk}@example.org"  # a key of its own in the cache
    for _ in range(2):
        assert _ask(client, theme, email=email).status_code == 302
    response = _ask(client, theme, email=email)
    assert response.status_code == 429
    assert "te veel aanvragen" in response.content.decode()


def test_one_connection_cannot_ask_without_end(client, theme, settings):
    settings.THEME_SUBSCRIPTION_REQUESTS_PER_IP = 3
    other = Client(REMOTE_ADDR=f"192.0.2.{theme.pk % 250}")
    for n in range(3):
        assert _ask(other, theme, email=f"buur{n}-{theme.pk}@example.org").status_code == 302
    assert _ask(other, theme, email=f"buur9-{theme.pk}@example.org").status_code == 429


def test_one_click_unsubscribe_forgets_the_address(theme):
    subscription = _confirmed(theme)
    url = reverse("subscriptions:unsubscribe", kwargs={"token": subscription.token})
    mail_client = Client(enforce_csrf_checks=True)  # a mail client has no session

    response = mail_client.post(url, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert not ThemeSubscription.objects.exists()
    again = mail_client.post(url, {"List-Unsubscribe": "One-Click"})
    assert again.status_code == 200
    assert mail_client.get(url).status_code == 200


def test_a_member_is_sent_to_their_settings(client, member, theme):
    client.force_login(member)
    response = client.get(_url(theme))
    assert reverse("notifications:preferences").encode() in response.content
    client.post(_url(theme), {"email": "buur@example.org", "consent": "on"})
    assert not ThemeSubscription.objects.exists()


def test_the_page_takes_a_fixed_number_of_queries(client, theme, django_assert_num_queries):
    client.get(_url(theme))  # the site's library for the footer, cached from then on
    with django_assert_num_queries(1):  # the theme
        assert client.get(_url(theme)).status_code == 200


# --- The weekly mail ------------------------------------------------------------------------


def _week_of_news(community, theme, clock):
    clock.set("2026-12-03T10:00")
    post = ContributionFactory(community=community, title="Spouwmuur isoleren in een rijtjeshuis")
    post.themes.add(theme)
    secret_place = CommunityFactory(visibility=Community.Visibility.PRIVATE, themes=[theme])
    secret = ContributionFactory(community=secret_place, title="Besloten: onze subsidiepot")
    secret.themes.add(theme)
    clock.set(MONDAY_MORNING)


def test_the_weekly_mail_holds_only_what_anyone_may_read(community, theme, clock):
    _week_of_news(community, theme, clock)
    _confirmed(theme)

    assert services.theme_digests_plan() == 1

    (message,) = mail.outbox
    assert message.to == ["buur@example.org"]
    assert "Spouwmuur isoleren in een rijtjeshuis" in message.body
    assert "subsidiepot" not in message.body
    html = message.alternatives[0][0]
    assert "Spouwmuur isoleren" in html and "subsidiepot" not in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert (
        "/volgen-per-e-mail/afmelden/token-buur@example.org/"
        in (message.extra_headers["List-Unsubscribe"])
    )


def test_each_address_gets_the_week_once_and_unconfirmed_ones_none(community, theme, clock):
    _week_of_news(community, theme, clock)
    _confirmed(theme)
    ThemeSubscription.objects.create(theme=theme, email="nog-niet@example.org", token="t2")

    assert services.theme_digests_plan() == 1
    assert services.theme_digests_plan() == 0  # the beat fired twice
    assert [m.to for m in mail.outbox] == [["buur@example.org"]]


def test_a_quiet_week_sends_nothing(theme, clock):
    clock.set(MONDAY_MORNING)
    _confirmed(theme)
    services.theme_digests_plan()
    assert mail.outbox == []


def test_only_on_the_digest_weekday(community, theme, clock):
    _week_of_news(community, theme, clock)
    _confirmed(theme)
    clock.set("2026-12-08T07:05")  # a Tuesday
    assert services.theme_digests_plan() == 0


def test_the_mail_speaks_the_language_it_was_asked_in(community, theme, clock):
    _week_of_news(community, theme, clock)
    _confirmed(theme, language="en")
    services.theme_digests_plan()
    (message,) = mail.outbox
    assert "/en/" in message.body
    assert "New contributions" in message.body
