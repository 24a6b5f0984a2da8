"""A resident follows a community, hears about a reply and a mention (bell, /meldingen/, one
throttled mail), reads the digest in Chromium and unsubscribes from it with one click."""

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from communities.models import Community
from knowledge import services as knowledge_services
from notifications import reply_mail
from notifications.digest import DigestBuilder
from notifications.mail import DigestRenderer
from notifications.models import CommunityFollow, Notification, NotificationPreferences
from tests.communities.factories import (
    PASSWORD,
    CommunityFactory,
    MembershipFactory,
    UserFactory,
)
from tests.knowledge.factories import ContributionFactory
from tests.notifications.factories import current_period

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = "/tmp"


@pytest.fixture
def world():
    community = CommunityFactory(
        title="Energiecoöperatie Noord", slug="energie-noord", visibility=Community.Visibility.OPEN
    )
    mila = UserFactory(display_name="Mila Jansen", handle="mila", email="mila@example.org")
    rik = UserFactory(display_name="Rik de Boer", handle="rik", email="rik@example.org")
    MembershipFactory(user=mila, community=community)
    MembershipFactory(user=rik, community=community)
    question = ContributionFactory(
        community=community, author=mila, title="Wie weet iets van warmtepompen?"
    )
    return {"community": community, "mila": mila, "rik": rik, "question": question}


def log_in(page, user) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()


def mails_to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


def test_resident_hears_about_replies_reads_the_digest_and_unsubscribes(
    page, browser, live_server, world
):
    mila, rik, question = world["mila"], world["rik"], world["question"]

    # 1. Mila follows her community at "all activity".
    log_in(page, mila)
    # The account links sit in the disclosure under the member's name.
    page.locator(".account-menu > summary").click()
    page.get_by_role("link", name="Instellingen").click()
    page.get_by_role("group", name="Energiecoöperatie Noord").get_by_label(
        "Alle activiteit"
    ).check()
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state()
    assert page.get_by_text("Je voorkeuren zijn opgeslagen.").is_visible()
    assert CommunityFollow.objects.get(user=mila).level == "all"
    assert page.locator(".bell").inner_text().strip() == "Meldingen"  # nothing unread yet

    # 2. Rik replies to her question in his own browser and mentions her there.
    rik_context = browser.new_context(base_url=live_server.url)
    rik_page = rik_context.new_page()
    log_in(rik_page, rik)
    rik_page.goto(question.get_absolute_url())
    rik_page.locator("#reageren textarea[name=body]").fill(
        "Wij hebben er een sinds vorig jaar. @mila, kom gerust kijken!"
    )
    rik_page.get_by_role("button", name="Reactie plaatsen").click()
    rik_page.wait_for_load_state()
    rik_context.close()
    # … and, ten minutes later, posts in the community she follows, mentioning her again.
    knowledge_services.contribution_create(
        author=rik,
        community=world["community"],
        kind="experience",
        title="Onze warmtepomp na één winter",
        body="Het viel mee. @mila vroeg ernaar.",
    )

    # 3. The bell shows two unread notifications, in words for screen readers.
    page.goto("/")
    bell = page.locator(".bell")
    assert bell.locator(".bell__count").inner_text() == "2"
    assert "2 ongelezen meldingen" in bell.inner_text()
    bell.click()
    page.wait_for_load_state()
    assert page.url.endswith("/meldingen/")
    items = page.locator(".notification-list > li")
    assert items.count() == 2
    assert "Rik de Boer noemde je bij" in items.nth(0).inner_text()  # newest first
    assert "Rik de Boer reageerde op je bijdrage" in items.nth(1).inner_text()
    assert page.locator(".notification--unread").count() == 2
    page.screenshot(path=f"{SCREENSHOTS}/kc-meldingen.png", full_page=True)

    # 4. Mark all read: the bell is quiet and the items say "Gelezen".
    page.get_by_role("button", name="Alles als gelezen markeren").click()
    page.wait_for_load_state()
    assert page.get_by_text("Alle meldingen zijn gelezen.").is_visible()
    assert page.locator(".notification--unread").count() == 0
    assert page.locator(".bell__count").count() == 0
    assert not Notification.objects.filter(recipient=mila, read_at__isnull=True).exists()
    # Opening one leads to the reply on her question.
    items.nth(1).get_by_role("button").click()
    page.wait_for_load_state()
    assert re.search(rf"/bijdragen/{question.pk}/#reactie-\d+$", page.url)

    # 5. One mail, at once, for the reply; the mention waits for her hour to pass.
    [first] = mails_to(mila.email)
    assert first.subject == 'Rik de Boer reageerde op je bijdrage "Wie weet iets van warmtepompen?"'
    assert "kom gerust kijken" in first.body
    an_hour_later = timezone.now() + dt.timedelta(hours=1, minutes=1)
    assert reply_mail.reply_mail_send(user_id=mila.pk, now=an_hour_later).status == "sent"
    assert reply_mail.reply_mail_send(user_id=mila.pk, now=an_hour_later).status == "nothing"
    first_again, bundle = mails_to(mila.email)
    assert first_again is first
    assert 'Rik de Boer noemde je bij "Onze warmtepomp na één winter"' in bundle.body

    # 6. Her digest, built as the digest run does, viewed in Chromium.
    period = current_period("weekly")
    digest = DigestBuilder(period).build([mila.pk])[mila.pk]
    assert digest.has_news
    message = DigestRenderer().message(digest)
    html = message.alternatives[0][0]
    page.set_content(html)
    assert page.get_by_role("heading", level=1).inner_text() == "Nieuw deze week"
    assert page.get_by_text("Onze warmtepomp na één winter").is_visible()
    assert page.get_by_text("Wie weet iets van warmtepompen?").count() == 0  # never her own
    page.screenshot(path=f"{SCREENSHOTS}/kc-digest.png", full_page=True)

    # 7. One click in her mail client: a POST without session or CSRF token turns it off.
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = urlsplit(message.extra_headers["List-Unsubscribe"].strip("<>")).path
    mail_client = browser.new_context(base_url=live_server.url)
    response = mail_client.request.post(unsubscribe, form={"List-Unsubscribe": "One-Click"})
    mail_client.close()
    assert response.status == 200
    assert NotificationPreferences.objects.get(user=mila).digest_frequency == "off"

    page.goto("/instellingen/")
    assert page.get_by_role("group", name=re.compile("Hoe vaak")).get_by_label("Nooit").is_checked()
