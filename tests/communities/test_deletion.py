"""Delete my account (issue 12): anonymised in place, everything personal gone, in one go."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from communities import deletion
from communities.deletion import DELETED_MEMBER_NAME, account_delete
from communities.models import Membership, User
from knowledge.models import Appreciation, Contribution
from knowledge.services import comment_create
from meetups.models import CalendarToken, Rsvp, SessionSignup
from moderation.models import Report
from moderation.services.reports import report_create
from moderation.suspension import account_suspend
from notifications import services as notification_services
from notifications.models import (
    CommunityFollow,
    DigestDelivery,
    Notification,
    NotificationPreferences,
    ReplyMailState,
    ThemeFollow,
)
from search.models import SearchEntry
from tests.communities.factories import PASSWORD, MembershipFactory, UserFactory
from tests.communities.images import png
from tests.html import field_errors, page_text
from tests.knowledge.factories import AppreciationFactory, CommentFactory, ContributionFactory
from tests.meetups.factories import MeetupFactory, RsvpFactory, SessionFactory
from tests.mfa import admin_login
from tests.notifications.factories import DeliveryFactory, current_period

pytestmark = pytest.mark.django_db

GOOD = "zonnebloem-fietspad-koffie-42"  # passes the password validators (tests/communities)


@pytest.fixture
def mila(community, theme):
    """A member with something in every place deletion must reach."""
    user = UserFactory(
        email="mila@example.org",
        display_name="Mila Mulder",
        handle="mila",
        bio="Ik repareer fietsen.",
        website="https://mila.example.org",
        phone="06-12345678",
        findable=True,
    )
    user.expertise.add("fietsen")
    user.save()  # the search row, now with expertise
    MembershipFactory(community=community, user=user)
    NotificationPreferences.objects.create(user=user, digest_frequency="daily")
    CommunityFollow.objects.create(user=user, community=community, level="muted")
    ThemeFollow.objects.create(user=user, theme=theme)
    meetup = MeetupFactory(community=community)
    RsvpFactory(user=user, meetup=meetup, access_needs="Ringleiding")
    meetup.organisers.add(user)
    SessionSignup.objects.create(session=SessionFactory(meetup=meetup), user=user)
    CalendarToken.objects.create(user=user, key="geheim-agenda-mila")
    Authenticator.objects.create(user=user, type="totp", data={"secret": "GEHEIM"})
    other_post = ContributionFactory(community=community, title="Vraag van een ander")
    report_create(reporter=user, obj=other_post, reason="spam", note="reclame")
    AppreciationFactory(user=user, contribution=other_post)
    DeliveryFactory(user=user)
    Notification.objects.create(
        recipient=user, kind=Notification.Kind.MEMBERSHIP_APPROVED, community=community
    )
    ReplyMailState.objects.create(user=user)
    return user


def _personal_rows(user) -> dict[str, int]:
    return {
        "email addresses": EmailAddress.objects.filter(user=user).count(),
        "mfa": Authenticator.objects.filter(user=user).count(),
        "memberships": Membership.objects.filter(user=user).count(),
        "community follows": CommunityFollow.objects.filter(user=user).count(),
        "theme follows": ThemeFollow.objects.filter(user=user).count(),
        "preferences": NotificationPreferences.objects.filter(user=user).count(),
        "rsvps": Rsvp.objects.filter(user=user).count(),
        "session signups": SessionSignup.objects.filter(user=user).count(),
        "calendar tokens": CalendarToken.objects.filter(user=user).count(),
        "organised meetups": user.organised_meetups.count(),
        "reports made": Report.objects.filter(reporter=user).count(),
        "appreciations": Appreciation.objects.filter(user=user).count(),
        "digest deliveries": DigestDelivery.objects.filter(user=user).count(),
        "notifications": Notification.objects.filter(recipient=user).count(),
        "reply mail state": ReplyMailState.objects.filter(user=user).count(),
        "search rows": SearchEntry.objects.filter(
            kind=SearchEntry.Kind.MEMBER, object_id=user.pk
        ).count(),
        "expertise": user.expertise.count(),
    }


def test_everything_personal_is_gone_and_the_row_is_anonymous(mila, client):
    client.force_login(mila)
    assert all(_personal_rows(mila).values()), _personal_rows(mila)

    account_delete(user=mila, delete_content=False)

    mila.refresh_from_db()
    assert not any(_personal_rows(mila).values()), _personal_rows(mila)
    assert mila.email.startswith("deleted-") and mila.email.endswith("@anonymized.invalid")
    assert mila.handle.startswith("verwijderd-")
    assert mila.display_name == DELETED_MEMBER_NAME
    assert (mila.bio, mila.website, mila.phone, mila.avatar.name) == ("", "", "", "")
    assert not mila.findable and not mila.is_active and mila.profile_hidden
    assert not mila.has_usable_password()
    # Every session is ended: the row is gone and the browser is logged out.
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id")]
    response = client.get(reverse("communities:profile_edit"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_another_member_is_untouched(mila, community):
    otto = UserFactory(email="otto@example.org", display_name="Otto", handle="otto", findable=True)
    MembershipFactory(community=community, user=otto)
    ThemeFollow.objects.create(user=otto, theme=community.themes.first())
    before = _personal_rows(otto)

    account_delete(user=mila, delete_content=True)

    otto.refresh_from_db()
    assert _personal_rows(otto) == before
    assert (otto.email, otto.display_name, otto.is_active) == ("otto@example.org", "Otto", True)


def test_contributions_and_comments_stay_under_verwijderd_lid(mila, community, client):
    post = ContributionFactory(community=community, author=mila, title="Mijn fietstips")
    comment = CommentFactory(contribution=post, author=mila, body="Nog een tip van mij")

    account_delete(user=mila, delete_content=False)

    post.refresh_from_db()
    comment.refresh_from_db()
    assert post.author_id == mila.pk and comment.body == "Nog een tip van mij"
    text = page_text(client.get(post.get_absolute_url()))
    assert "Mijn fietstips" in text and "Nog een tip van mij" in text
    assert "Verwijderd lid" in text and "Mila" not in text
    html = client.get(post.get_absolute_url()).content.decode()
    assert f'href="{reverse("communities:member_detail", args=[mila.handle])}"' not in html
    assert client.get(reverse("communities:member_detail", args=[mila.handle])).status_code == 404


def test_with_the_tick_contributions_and_comments_are_gone(mila, community):
    post = ContributionFactory(community=community, author=mila, title="Mijn fietstips")
    elsewhere = ContributionFactory(community=community, title="Vraag van Otto")
    comment = CommentFactory(contribution=elsewhere, author=mila, body="Mijn antwoord")
    assert SearchEntry.objects.filter(kind="contribution", object_id=post.pk).exists()

    account_delete(user=mila, delete_content=True)

    assert not Contribution.objects.filter(pk=post.pk).exists()
    assert not SearchEntry.objects.filter(kind="contribution", object_id=post.pk).exists()
    comment.refresh_from_db()
    assert comment.is_deleted and comment.body == ""
    assert Contribution.objects.filter(pk=elsewhere.pk).exists()  # someone else's stays


def test_the_waitlist_moves_up(mila, community, django_capture_on_commit_callbacks):
    meetup = MeetupFactory(community=community, capacity=1)
    RsvpFactory(user=mila, meetup=meetup, state=Rsvp.State.GOING)
    waiting = RsvpFactory(meetup=meetup, state=Rsvp.State.WAITLIST, user__email="w@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=mila, delete_content=False)

    waiting.refresh_from_db()
    assert waiting.state == Rsvp.State.GOING
    assert any(m.to == ["w@example.org"] for m in mail.outbox)


def test_the_last_host_is_refused_and_nothing_changes(community, host, client):
    with pytest.raises(ValidationError, match="Energiecoöperatie Noord"):
        account_delete(user=host, delete_content=False)
    host.refresh_from_db()
    assert host.is_active and host.display_name == "Hanna Host"
    assert Membership.objects.filter(user=host, role=Membership.Role.HOST).exists()

    client.force_login(host)
    page = client.get(reverse("communities:account_delete"))
    assert "Energiecoöperatie Noord" in page_text(page)
    assert 'name="password"' not in page.content.decode()
    client.post(reverse("communities:account_delete"), {"password": PASSWORD, "confirm": "on"})
    host.refresh_from_db()
    assert host.is_active


def test_a_second_host_makes_it_possible(community, host):
    MembershipFactory(community=community, role=Membership.Role.HOST)
    account_delete(user=host, delete_content=False)
    host.refresh_from_db()
    assert not host.is_active


def test_a_failure_half_way_keeps_everything(mila, monkeypatch):
    """One transaction: when a late step fails, the early ones are undone too."""

    def boom(user):
        raise RuntimeError("session store down")

    monkeypatch.setattr(deletion, "_end_sessions", boom)
    before = _personal_rows(mila)
    with pytest.raises(RuntimeError):
        account_delete(user=mila, delete_content=True)
    mila.refresh_from_db()
    assert mila.email == "mila@example.org" and mila.is_active
    assert _personal_rows(mila) == before


def test_the_address_can_sign_up_again_at_once(mila, client):
    account_delete(user=mila, delete_content=False)

    response = client.post(
        "/accounts/signup/",
        {
            "display_name": "Mila opnieuw",
            "email": "mila@example.org",
            "password1": GOOD,
            "password2": GOOD,
            "accept_terms": "on",
        },
    )

    assert response.status_code == 302, page_text(response)
    again = User.objects.get(email="mila@example.org")
    assert again.pk != mila.pk and again.display_name == "Mila opnieuw"
    assert not again.memberships.exists()


def test_nothing_is_mailed_afterwards(
    mila, community, host, django_capture_on_commit_callbacks, settings
):
    post = ContributionFactory(community=community, author=mila, title="Mijn fietstips")
    account_delete(user=mila, delete_content=False)
    mail.outbox.clear()
    MembershipFactory(community=community, user=UserFactory(email="otto@example.org"))
    ContributionFactory(community=community, author=host, title="Nieuws")  # digest material

    with django_capture_on_commit_callbacks(execute=True):
        notification_services.digest_plan(period=current_period())
        comment_create(author=host, contribution=post, body="Een reactie op je tips")

    mila.refresh_from_db()
    recipients = {address for m in mail.outbox for address in m.to}
    assert "mila@example.org" not in recipients and mila.email not in recipients
    assert not any(a.endswith("@anonymized.invalid") for a in recipients)
    assert not DigestDelivery.objects.filter(user=mila).exists()
    assert not Notification.objects.filter(recipient=mila).exists()


# --- The pages ------------------------------------------------------------------------------


def test_the_settings_page_links_to_deletion(mila, client):
    client.force_login(mila)
    for settings_page in (reverse("communities:profile_edit"), "/instellingen/"):
        html = client.get(settings_page).content.decode()
        assert f'href="{reverse("communities:account_delete")}"' in html, settings_page


def test_a_wrong_password_is_refused_at_the_field(mila, client):
    client.force_login(mila)

    response = client.post(
        reverse("communities:account_delete"), {"password": "niet-goed", "confirm": "on"}
    )

    assert response.status_code == 200
    assert "Dit wachtwoord klopt niet." in field_errors(response, "password")
    mila.refresh_from_db()
    assert mila.is_active and mila.email == "mila@example.org"


def test_without_the_confirmation_nothing_happens(mila, client):
    client.force_login(mila)
    response = client.post(reverse("communities:account_delete"), {"password": PASSWORD})
    assert "Vink aan dat je dit begrijpt." in field_errors(response, "confirm")
    mila.refresh_from_db()
    assert mila.is_active


def test_deleting_logs_out_and_says_goodbye(mila, community, client):
    post = ContributionFactory(community=community, author=mila, title="Mijn fietstips")
    client.force_login(mila)

    response = client.post(
        reverse("communities:account_delete"),
        {"password": PASSWORD, "confirm": "on", "delete_content": "on"},
        follow=True,
    )

    assert "Je account is verwijderd" in page_text(response)
    assert "_auth_user_id" not in client.session
    assert not Contribution.objects.filter(pk=post.pk).exists()
    mila.refresh_from_db()
    assert not mila.is_active
    # The old password no longer logs anyone in.
    assert not client.login(email="mila@example.org", password=PASSWORD)


def test_the_wagtail_admin_shows_verwijderd_lid(mila, client):
    account_delete(user=mila, delete_content=False)
    admin_login(client, UserFactory(is_superuser=True, is_staff=True))

    text = page_text(client.get("/cms/users/"))

    assert "Verwijderd lid" in text and "Mila Mulder" not in text
    assert "mila@example.org" not in text


@pytest.mark.postgres
def test_on_postgresql_the_whole_deletion_holds(mila, community):
    post = ContributionFactory(community=community, author=mila)
    account_delete(user=mila, delete_content=False)
    account_delete(user=mila, delete_content=False)  # twice is once
    mila.refresh_from_db()
    assert not any(_personal_rows(mila).values())
    assert Contribution.objects.get(pk=post.pk).author_id == mila.pk


def test_the_photo_file_is_deleted(member, client, django_capture_on_commit_callbacks):
    client.force_login(member)
    client.post(
        "/instellingen/profiel/",
        {
            "display_name": member.display_name,
            "handle": member.handle,
            "contact_visibility": "nobody",
            "language": "nl",
            "avatar": png("ik.png"),
        },
    )
    member.refresh_from_db()
    name, storage = member.avatar.name, member.avatar.storage
    assert name and storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=member, delete_content=False)

    assert not storage.exists(name)


def test_a_suspended_member_can_still_delete_their_account(member, client, clock):
    boss = UserFactory(is_superuser=True, is_staff=True)
    account_suspend(by=boss, user=member, until=None, reason="Spam")
    client.force_login(member)

    response = client.post(
        reverse("communities:account_delete"), {"password": PASSWORD, "confirm": "on"}
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.is_active and member.suspension_reason == ""


def test_a_data_export_zip_is_deleted_with_the_account(
    member, settings, tmp_path, django_capture_on_commit_callbacks
):
    from privacy import services as privacy_services
    from privacy.models import DataExport

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    export = privacy_services.data_export_request(member=member)
    privacy_services.data_export_build(export_id=export.pk)
    export.refresh_from_db()
    path = settings.PRIVATE_MEDIA_ROOT / export.file.name
    assert path.is_file()

    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=member, delete_content=False)

    assert not path.exists()
    assert not DataExport.objects.filter(member=member).exists()
