"""The report (*verslag*) after a meetup: writing it, and where it shows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from communities.models import Community
from knowledge.models import Contribution
from meetups.models import Meetup, Report
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.html import field_errors, page_text
from tests.knowledge.factories import ContributionFactory
from tests.meetups.factories import MeetupFactory, ReportFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def past_meetup(community, theme):
    meetup = MeetupFactory(
        community=community,
        title="Warmtepompavond",
        starts_at=timezone.now() - timedelta(days=1),
    )
    meetup.themes.add(theme)
    return meetup


def _report_url(meetup):
    return f"/bijeenkomsten/{meetup.pk}/verslag/"


# --- Writing ---------------------------------------------------------------------------------


def test_host_writes_a_report_with_contributions_that_came_out_of_it(
    client, past_meetup, community, host
):
    idea = ContributionFactory(community=community, title="Samen een warmtepomp inkopen")
    client.force_login(host)

    form_page = page_text(client.get(_report_url(past_meetup)))
    response = client.post(
        _report_url(past_meetup),
        {
            "body": "## Wat we leerden\n\nVeel! <script>alert(1)</script>",
            "contributions": [idea.pk],
        },
    )

    assert "Samen een warmtepomp inkopen" in form_page
    assert response.status_code == 302
    assert response["Location"].endswith("#verslag")
    report = Report.objects.get(meetup=past_meetup)
    assert report.author == host
    assert "<h3>Wat we leerden</h3>" in report.body_html
    assert "<script>" not in report.body_html
    assert list(report.contributions.all()) == [idea]


def test_editing_keeps_the_first_author(client, past_meetup, host, librarian):
    ReportFactory(meetup=past_meetup, author=host)
    client.force_login(librarian)

    page = client.get(_report_url(past_meetup)).content.decode()
    client.post(_report_url(past_meetup), {"body": "Bijgewerkt verslag."})

    assert "veel" in page  # the form holds the current text
    report = Report.objects.get(meetup=past_meetup)
    assert report.author == host
    assert report.body == "Bijgewerkt verslag."
    assert Report.objects.count() == 1


def test_no_report_before_the_meetup_started(client, community, host):
    meetup = MeetupFactory(community=community)  # next week
    client.force_login(host)

    page = page_text(client.get(_report_url(meetup)))
    response = client.post(_report_url(meetup), {"body": "Te vroeg."})

    assert "zodra de bijeenkomst begonnen is" in page
    assert "Verslag plaatsen" not in page
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_no_report_for_a_cancelled_meetup(client, past_meetup, host):
    Meetup.objects.filter(pk=past_meetup.pk).update(status=Meetup.Status.CANCELLED)
    client.force_login(host)

    client.post(_report_url(past_meetup), {"body": "Ging niet door."})

    assert not Report.objects.exists()


def test_empty_report_shows_the_error_at_the_field(client, past_meetup, host):
    client.force_login(host)

    response = client.post(_report_url(past_meetup), {"body": "   "})

    assert "Schrijf eerst iets." in field_errors(response, "body")
    assert not Report.objects.exists()


def test_only_contributions_from_the_community_or_themes_can_be_linked(client, past_meetup, host):
    elsewhere = ContributionFactory(title="Iets heel anders")
    about_the_theme = ContributionFactory(
        community=CommunityFactory(), title="Over warmte", themes=list(past_meetup.themes.all())
    )
    long_ago = ContributionFactory(community=past_meetup.community, title="Oud nieuws")
    Contribution.objects.filter(pk=long_ago.pk).update(
        created_at=timezone.now() - timedelta(days=90)
    )
    client.force_login(host)

    page = page_text(client.get(_report_url(past_meetup)))
    response = client.post(
        _report_url(past_meetup), {"body": "Verslag.", "contributions": [elsewhere.pk]}
    )

    assert "Over warmte" in page
    assert "Iets heel anders" not in page
    assert "Oud nieuws" not in page
    assert field_errors(response, "contributions")
    assert not Report.objects.exists()
    client.post(
        _report_url(past_meetup), {"body": "Verslag.", "contributions": [about_the_theme.pk]}
    )
    assert list(Report.objects.get().contributions.all()) == [about_the_theme]


# --- Where it shows --------------------------------------------------------------------------


def test_report_shows_on_the_meetup_community_and_theme_pages(
    client, past_meetup, community, theme
):
    idea = ContributionFactory(community=community, title="Samen inkopen")
    report = ReportFactory(meetup=past_meetup, body="We hebben **veel** geleerd.")
    report.contributions.add(idea)

    meetup_page = client.get(past_meetup.get_absolute_url())
    community_page = page_text(client.get(community.get_absolute_url()))
    theme_page = page_text(client.get(theme.get_absolute_url()))

    assert "<strong>veel</strong>" in meetup_page.content.decode()
    text = page_text(meetup_page)
    assert "Verslag" in text and "Samen inkopen" in text
    for page in (community_page, theme_page):
        assert "Verslagen van bijeenkomsten" in page
        assert "Warmtepompavond" in page
        assert "We hebben veel geleerd." in page


def test_pages_without_reports_have_no_report_section(client, community, theme):
    assert "Verslagen van bijeenkomsten" not in page_text(client.get(community.get_absolute_url()))
    assert "Verslagen van bijeenkomsten" not in page_text(client.get(theme.get_absolute_url()))


def test_report_of_a_private_community_shows_only_to_its_members(
    client, private_community, theme, member, outsider
):
    private_community.themes.add(theme)
    meetup = MeetupFactory(
        community=private_community,
        title="Besloten avond",
        starts_at=timezone.now() - timedelta(days=1),
    )
    ReportFactory(meetup=meetup)
    MembershipFactory(community=private_community, user=member)

    client.force_login(outsider)
    assert "Besloten avond" not in page_text(client.get(theme.get_absolute_url()))
    assert client.get(meetup.get_absolute_url()).status_code == 404

    client.force_login(member)
    assert "Besloten avond" in page_text(client.get(theme.get_absolute_url()))
    assert "Besloten avond" in page_text(client.get(private_community.get_absolute_url()))
    assert "veel" in page_text(client.get(meetup.get_absolute_url()))


def test_report_of_a_draft_meetup_shows_nowhere(client, past_meetup, community, theme):
    ReportFactory(meetup=past_meetup)
    Meetup.objects.filter(pk=past_meetup.pk).update(status=Meetup.Status.DRAFT)

    assert "Warmtepompavond" not in page_text(client.get(community.get_absolute_url()))
    assert "Warmtepompavond" not in page_text(client.get(theme.get_absolute_url()))


def test_linked_contribution_from_a_private_community_stays_hidden(
    client, past_meetup, private_community
):
    secret = ContributionFactory(community=private_community, title="Geheim plan")
    public = ContributionFactory(community=past_meetup.community, title="Open plan")
    report = ReportFactory(meetup=past_meetup)
    report.contributions.add(secret, public)

    text = page_text(client.get(past_meetup.get_absolute_url()))

    assert "Open plan" in text
    assert "Geheim plan" not in text


def test_theme_page_shows_reports_of_meetups_of_communities_about_the_theme(client, theme):
    community = CommunityFactory(visibility=Community.Visibility.OPEN, themes=[theme])
    meetup = MeetupFactory(
        community=community, title="Buurtavond", starts_at=timezone.now() - timedelta(days=3)
    )
    ReportFactory(meetup=meetup)

    assert "Buurtavond" in page_text(client.get(theme.get_absolute_url()))


@pytest.mark.parametrize("page", ["community", "theme"])
def test_community_and_theme_pages_cost_no_query_per_report(client, community, theme, page):
    def add(n):
        for _ in range(n):
            meetup = MeetupFactory(
                community=community, starts_at=timezone.now() - timedelta(days=1)
            )
            meetup.themes.add(theme)
            ReportFactory(meetup=meetup)

    url = community.get_absolute_url() if page == "community" else theme.get_absolute_url()
    assert_constant_queries(client, url, add, label=f"{page} page with reports")
