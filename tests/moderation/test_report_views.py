"""The report form on the site, its confirmation, and "Wat ik heb gemeld"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from communities.models import Community
from moderation.models import Case, Report
from moderation.services.reports import report_create
from tests.communities.factories import CommunityFactory, MembershipFactory, UserFactory
from tests.html import field_errors, page_text
from tests.knowledge.factories import CommentFactory, ContributionFactory
from tests.meetups.factories import MeetupFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_pause_between_reports(settings):
    """One member reports several things in a row here; the pause has a test of its own."""
    settings.RATE_LIMITS = {}


@pytest.fixture
def post(community):
    return ContributionFactory(community=community, title="Koop nu goedkope zonnepanelen")


@pytest.fixture
def reporter_client(client, member):
    client.force_login(member)
    return client


def _url(kind: str, pk: int) -> str:
    return f"/melden/{kind}/{pk}/"


def test_the_form_offers_the_reasons_as_labelled_radio_buttons(reporter_client, post):
    response = reporter_client.get(_url("bijdrage", post.pk))

    assert response.status_code == 200
    content = response.content.decode()
    for value in ("spam", "offensive", "does_not_belong", "illegal", "other"):
        assert f'type="radio" name="reason" value="{value}"' in content
    text = page_text(response)
    assert "Waarom meld je dit? (verplicht)" in text
    assert "Spam of reclame" in text and "Verboden door de wet" in text
    assert "Toelichting voor de moderatoren (niet verplicht)" in text
    assert post.title in text
    assert "<legend" in content  # the radios are a group with a name


def test_sending_without_a_reason_shows_the_error_next_to_the_field_and_stores_nothing(
    reporter_client, post
):
    response = reporter_client.post(_url("bijdrage", post.pk), {"note": "Kijk even"})

    assert response.status_code == 400
    assert field_errors(response, "reason") == "Fout: Kies waarom je dit meldt."
    assert "Kijk even" in response.content.decode()  # what they typed is kept
    assert not Case.objects.exists()


def test_a_too_long_note_is_refused_at_the_field(reporter_client, post):
    response = reporter_client.post(
        _url("bijdrage", post.pk), {"reason": "spam", "note": "x" * 1001}
    )

    assert response.status_code == 400
    assert "hooguit 1000 tekens" in field_errors(response, "note")
    assert not Report.objects.exists()


def test_sending_thanks_the_reporter_and_links_to_their_reports(reporter_client, post, member):
    response = reporter_client.post(
        _url("bijdrage", post.pk), {"reason": "spam", "note": "Reclame"}, follow=True
    )

    assert response.status_code == 200
    text = page_text(response)
    assert "Bedankt, je melding is ontvangen" in text
    assert 'href="/melden/mijn/"' in response.content.decode()
    assert f'href="{post.get_absolute_url()}"' in response.content.decode()
    report = Report.objects.get()
    assert (report.reporter, report.reason, report.note) == (member, "spam", "Reclame")


def test_the_thanks_page_is_the_reporters_own(client, post):
    report = report_create(reporter=UserFactory(), obj=post, reason="spam").report
    client.force_login(UserFactory())

    assert client.get(f"/melden/bedankt/{report.pk}/").status_code == 404


def test_a_second_visit_says_it_was_already_reported(reporter_client, post, member):
    report_create(reporter=member, obj=post, reason="spam")

    response = reporter_client.get(_url("bijdrage", post.pk))

    assert response.status_code == 200
    assert "Je hebt dit al gemeld." in page_text(response)
    assert 'name="reason"' not in response.content.decode()


def test_own_content_cannot_be_reported(client, post):
    client.force_login(post.author)

    response = client.get(_url("bijdrage", post.pk))
    assert response.status_code == 403
    assert "Je kunt niet melden wat je zelf hebt geplaatst." in page_text(response)

    response = client.post(_url("bijdrage", post.pk), {"reason": "spam"})
    assert response.status_code == 403
    assert not Case.objects.exists()


def test_private_content_is_a_404_for_outsiders(reporter_client, private_community):
    post = ContributionFactory(community=private_community)
    comment = CommentFactory(contribution=post)

    assert reporter_client.get(_url("bijdrage", post.pk)).status_code == 404
    assert reporter_client.post(_url("bijdrage", post.pk), {"reason": "spam"}).status_code == 404
    assert reporter_client.get(_url("reactie", comment.pk)).status_code == 404
    assert not Case.objects.exists()


def test_unknown_kinds_and_missing_objects_are_404(reporter_client, post):
    assert reporter_client.get(_url("thema", post.pk)).status_code == 404
    assert reporter_client.get(_url("bijdrage", post.pk + 1000)).status_code == 404


def test_hidden_content_is_a_404_for_members(reporter_client, post):
    post.status = "hidden"
    post.save()

    assert reporter_client.get(_url("bijdrage", post.pk)).status_code == 404


def test_a_hidden_profile_is_a_404_for_members(reporter_client):
    profile = UserFactory(profile_hidden=True)

    assert reporter_client.get(_url("lid", profile.pk)).status_code == 404


def test_visitors_are_asked_to_log_in(client, post):
    response = client.get(_url("bijdrage", post.pk))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_suspended_member_is_told_why(reporter_client, member, post):
    member.suspended_at = timezone.now() - timedelta(hours=1)
    member.suspension_reason = "Spam"
    member.save()

    response = reporter_client.get(_url("bijdrage", post.pk))

    assert response.status_code == 403
    assert "Je account is geschorst" in page_text(response)


@override_settings(MODERATION_REPORTS_PER_DAY=1)
def test_the_daily_cap_answers_429_with_retry_after_and_keeps_the_note(reporter_client, member):
    first, second = ContributionFactory(), ContributionFactory()
    report_create(reporter=member, obj=first, reason="spam")

    response = reporter_client.post(
        _url("bijdrage", second.pk), {"reason": "other", "note": "Nog een"}
    )

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 24 * 3600 + 1
    assert "Je hebt in 24 uur al 1 melding gedaan" in page_text(response)
    assert "Nog een" in response.content.decode()
    assert Report.objects.count() == 1


def test_reporting_again_within_the_pause_answers_429(settings, reporter_client, member):
    settings.RATE_LIMITS = {"report": {"interval": 5, "new_member_interval": 30}}
    first, second = ContributionFactory(), ContributionFactory()
    assert reporter_client.post(_url("bijdrage", first.pk), {"reason": "spam"}).status_code == 302

    response = reporter_client.post(
        _url("bijdrage", second.pk), {"reason": "other", "note": "Ook reclame"}
    )

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 30
    assert "Je meldt snel achter elkaar." in page_text(response)
    assert "Ook reclame" in response.content.decode()
    assert Report.objects.count() == 1


def test_comments_meetups_and_profiles_have_a_report_form(reporter_client, post):
    comment = CommentFactory(contribution=post)
    meetup = MeetupFactory()
    profile = UserFactory(display_name="Sam Spammer")

    for kind, pk, title in (
        ("reactie", comment.pk, "Ja, wij hebben het"),
        ("bijeenkomst", meetup.pk, meetup.title),
        ("lid", profile.pk, "Sam Spammer"),
    ):
        response = reporter_client.get(_url(kind, pk))
        assert response.status_code == 200, kind
        assert title in page_text(response)

    response = reporter_client.post(_url("lid", profile.pk), {"reason": "spam"})
    assert response.status_code == 302
    assert Case.objects.get().target == profile


def test_a_draft_meetup_cannot_be_reported(reporter_client):
    meetup = MeetupFactory(status="draft")

    assert reporter_client.get(_url("bijeenkomst", meetup.pk)).status_code == 404


# --- "Melden" links --------------------------------------------------------------------------


def test_contribution_and_comment_pages_link_to_the_form_for_others_only(client, post, member):
    comment = CommentFactory(contribution=post, author=member)
    client.force_login(member)

    content = client.get(post.get_absolute_url()).content.decode()

    assert f'href="{_url("bijdrage", post.pk)}"' in content
    assert f'href="{_url("reactie", comment.pk)}"' not in content  # their own comment

    client.force_login(post.author)
    content = client.get(post.get_absolute_url()).content.decode()
    assert f'href="{_url("bijdrage", post.pk)}"' not in content
    assert f'href="{_url("reactie", comment.pk)}"' in content


def test_meetup_and_profile_pages_link_to_the_form(reporter_client, member):
    meetup = MeetupFactory()
    profile = UserFactory()

    assert (
        f'href="{_url("bijeenkomst", meetup.pk)}"'
        in reporter_client.get(meetup.get_absolute_url()).content.decode()
    )
    assert (
        f'href="{_url("lid", profile.pk)}"'
        in reporter_client.get(profile.get_absolute_url()).content.decode()
    )
    own = reporter_client.get(member.get_absolute_url()).content.decode()
    assert f'href="{_url("lid", member.pk)}"' not in own


def test_visitors_see_no_report_links(client, post):
    assert "/melden/" not in client.get(post.get_absolute_url()).content.decode()


# --- What I reported ---------------------------------------------------------------------------


def test_my_reports_show_that_they_arrived_and_later_the_decision(reporter_client, member, post):
    other = UserFactory(display_name="Rita Reporter")
    report_create(reporter=other, obj=post, reason="offensive", note="Geheime notitie")
    report_create(reporter=member, obj=post, reason="spam")

    text = page_text(reporter_client.get("/melden/mijn/"))
    assert post.title in text
    assert "Spam of reclame" in text
    assert "Ontvangen; de moderatoren hebben nog niet besloten." in text
    assert "Rita Reporter" not in text and "Geheime notitie" not in text

    case = Case.objects.get()
    case.state, case.decision, case.decided_at = "closed", "dismissed", timezone.now()
    case.save()

    text = page_text(reporter_client.get("/melden/mijn/"))
    assert "Geen actie nodig" in text
    assert "nog niet besloten" not in text


def test_my_reports_are_only_mine(reporter_client, post):
    report_create(reporter=UserFactory(), obj=post, reason="spam")

    assert "Je hebt nog niets gemeld." in page_text(reporter_client.get("/melden/mijn/"))


def test_my_reports_in_english(reporter_client, member, post):
    report_create(reporter=member, obj=post, reason="spam")

    response = reporter_client.get("/en/melden/mijn/")

    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"


def test_the_account_menu_links_to_my_reports(reporter_client):
    content = reporter_client.get("/melden/mijn/").content.decode()

    assert 'href="/melden/mijn/"' in content
    assert 'aria-current="page">Wat ik heb gemeld' in " ".join(content.split())


@override_settings(MODERATION_REPORTS_PER_DAY=100)
def test_my_reports_cost_the_same_number_of_queries_for_3_and_30(reporter_client, member):
    community = CommunityFactory(visibility=Community.Visibility.OPEN)

    def add(n):
        for i in range(n):
            post = ContributionFactory(community=community)
            report_create(reporter=member, obj=post if i % 3 else CommentFactory(), reason="spam")
            if i % 2:
                MembershipFactory()  # unrelated rows change nothing

    assert_constant_queries(reporter_client, "/melden/mijn/", add, label="moderation: my reports")
