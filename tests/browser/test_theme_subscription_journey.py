"""A visitor without an account follows a theme by email on a phone: asks, confirms from the
mail, gets the week's news, and stops with one click; axe on every page of the way."""

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from communities.models import Community
from notifications.periods import digest_weekday
from subscriptions import services
from subscriptions.models import ThemeSubscription
from tests.communities.factories import CommunityFactory, ThemeFactory
from tests.knowledge.factories import ContributionFactory

from .axe import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _path_in(body: str, name: str) -> str:
    match = re.search(rf"https?://\S+/volgen-per-e-mail/{name}/\S+/", body)
    assert match, body
    return urlsplit(match.group(0)).path


def test_a_visitor_follows_a_theme_by_email_and_stops_again(page):
    theme = ThemeFactory(title="Duurzaam wonen", slug="duurzaam-wonen")
    community = CommunityFactory(
        title="Energiecoöperatie Noord", visibility=Community.Visibility.OPEN, themes=[theme]
    )

    # 1. From the theme page to the form; the form says what happens with the address.
    page.goto(f"/themas/{theme.slug}/")
    page.get_by_role("link", name="Volg per e-mail").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Duurzaam wonen volgen per e-mail"
    assert_no_axe_violations(page)

    # 2. Without the tick: the reason next to the field, nothing stored.
    page.get_by_label("Je e-mailadres").fill("buurvrouw@example.org")
    page.get_by_role("button", name="Stuur me een mail om te bevestigen").click()
    page.wait_for_load_state()
    assert (
        page.locator(".field--invalid")
        .get_by_text("Vink dit aan om het thema te volgen.")
        .is_visible()
    )
    assert not ThemeSubscription.objects.exists()
    assert_no_axe_violations(page)

    page.get_by_label("Ik ga akkoord").check()
    page.get_by_role("button", name="Stuur me een mail om te bevestigen").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Kijk in je mail").is_visible()

    # 3. The link in the mail shows a button; pressing it confirms.
    (confirmation,) = mail.outbox
    page.goto(_path_in(confirmation.body, "bevestigen"))
    assert ThemeSubscription.objects.get().confirmed_at is None
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Ja, ik wil dit thema volgen").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Je volgt dit thema").is_visible()
    assert ThemeSubscription.objects.get().confirmed_at is not None

    # 4. The week's news arrives on the digest weekday.
    today = timezone.localdate()
    monday = today + dt.timedelta(days=(digest_weekday() - today.weekday()) % 7 or 7)
    post = ContributionFactory(community=community, title="Zonneboiler op een plat dak")
    post.themes.add(theme)
    in_the_week = timezone.make_aware(dt.datetime.combine(monday, dt.time(9)))
    type(post).objects.filter(pk=post.pk).update(created_at=in_the_week - dt.timedelta(days=2))
    ThemeSubscription.objects.update(confirmed_at=in_the_week - dt.timedelta(days=3))
    mail.outbox.clear()
    assert services.theme_digests_plan(today=monday) == 1
    (weekly,) = mail.outbox
    assert "Zonneboiler op een plat dak" in weekly.body

    # 5. One click in the mail stops it, and the address is gone.
    page.goto(_path_in(weekly.extra_headers["List-Unsubscribe"].strip("<>"), "afmelden"))
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Ja, meld me af").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Je bent afgemeld").is_visible()
    assert not ThemeSubscription.objects.exists()
