"""The zip: a member with data everywhere finds all of it, and nothing of anyone else."""

from __future__ import annotations

import csv
import io
import json

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.core.files.base import ContentFile
from django.utils import timezone

from communities.models import Membership
from kenniscloud.common import ratelimit
from meetups.models import Rsvp, SessionSignup
from moderation.models import ModerationAction
from moderation.services.reports import report_create
from notifications.models import CommunityFollow, NotificationPreferences, ThemeFollow
from privacy import services
from privacy.models import DataExport
from tests.communities.factories import (
    MembershipFactory,
    ThemeFactory,
    UserFactory,
    verify_email,
)
from tests.communities.images import png
from tests.knowledge.factories import AppreciationFactory, CommentFactory, ContributionFactory
from tests.meetups.factories import MeetupFactory, ReportFactory, RsvpFactory, SessionFactory

from .conftest import open_zip, zip_text

pytestmark = pytest.mark.django_db


def _rows(archive, name: str) -> list[dict]:
    text = archive.read(name).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def _give_everything(member, community, *, tag: str) -> dict:
    """Data of `member` in every app, each text marked with `tag`."""
    theme = ThemeFactory(title=f"Thema {tag}")
    member.bio = f"Over mij {tag}"
    member.phone = "06-12345678" if tag == "mila" else "06-87654321"
    member.avatar.save(f"{tag}.png", ContentFile(png().read()), save=True)
    member.expertise.add(f"imkeren-{tag}")
    verify_email(member)
    MembershipFactory(user=member, community=community)
    contribution = ContributionFactory(
        author=member,
        community=community,
        title=f"Zonnepanelen: hoe {tag} het deed",
        body=f"# Mijn ervaring\n\nTekst van {tag}.",
    )
    contribution.tags.add(f"zon-{tag}")
    contribution.themes.add(theme)
    other_post = ContributionFactory(community=community, title=f"Vraag aan {tag}")
    comment = CommentFactory(contribution=other_post, author=member, body=f"Reactie van {tag}")
    AppreciationFactory(user=member, contribution=other_post)
    AppreciationFactory(user=member, contribution=None, comment=CommentFactory())
    meetup = MeetupFactory(title=f"Repaircafé {tag}", community=community)
    RsvpFactory(user=member, meetup=meetup, access_needs=f"Ringleiding voor {tag}")
    session = SessionFactory(title=f"Werkplaats {tag}")
    SessionSignup.objects.create(session=session, user=member)
    proposed = MeetupFactory(
        title=f"Voorstel {tag}", proposed_by=member, description=f"Idee van {tag}"
    )
    proposed.organisers.add(member)
    ReportFactory(author=member, body=f"Verslag van {tag}")
    NotificationPreferences.objects.create(user=member, digest_frequency="daily")
    CommunityFollow.objects.create(user=member, community=community, level="muted")
    ThemeFollow.objects.create(user=member, theme=theme)
    Authenticator.objects.create(user=member, type="totp", data={"secret": f"GEHEIM{tag}"})
    return {"contribution": contribution, "comment": comment, "meetup": meetup, "tag": tag}


def _build(member) -> DataExport:
    export = services.data_export_request(member=member)
    services.data_export_build(export_id=export.pk)
    export.refresh_from_db()
    return export


@pytest.fixture
def two_members(community):
    mila = UserFactory(display_name="Mila Mulder", handle="mila", email="mila@example.org")
    otto = UserFactory(display_name="Otto Oosterhout", handle="otto", email="otto@example.org")
    mila_data = _give_everything(mila, community, tag="mila")
    otto_data = _give_everything(otto, community, tag="otto")
    # Both report a third member's post; Otto also reports Mila's.
    spam = ContributionFactory(community=community, title="Goedkope zonnepanelen kopen")
    mila_data["spam"] = spam
    with ratelimit.exempt():  # the pause between two reports is not what this is about
        report_create(reporter=mila, obj=spam, reason="spam", note="Reclame, zegt mila")
        report_create(reporter=otto, obj=spam, reason="offensive", note="Notitie van otto")
        report_create(
            reporter=otto, obj=mila_data["contribution"], reason="other", note="otto meldt"
        )
    ModerationAction.objects.create(
        action="warn", member=mila, reason="Let op je toon, mila", created_at=timezone.now()
    )
    ModerationAction.objects.create(
        action="warn", member=otto, reason="Let op je toon, otto", created_at=timezone.now()
    )
    return mila, otto, mila_data, otto_data


def test_the_zip_holds_everything_of_the_member(two_members, community, settings):
    mila, _otto, data, _ = two_members
    export = _build(mila)

    assert export.state == DataExport.State.READY
    assert export.size > 0
    archive = open_zip(export)
    names = set(archive.namelist())
    assert {
        "LEESMIJ.txt",
        "profile.json",
        "memberships.csv",
        "comments.csv",
        "appreciations.csv",
        "meetups/rsvps.csv",
        "meetups/session_signups.csv",
        "meetups/organised_or_proposed.csv",
        "notifications/preferences.json",
        "moderation/reports_made.csv",
        "moderation/decisions_about_you.csv",
        "uploads/profielfoto.png",
    } <= names

    profile = json.loads(archive.read("profile.json"))
    assert profile["email"] == "mila@example.org"
    assert profile["handle"] == "mila"
    assert profile["bio"] == "Over mij mila"
    assert profile["expertise"] == ["imkeren-mila"]
    assert profile["avatar"] == "uploads/profielfoto.png"
    assert profile["email_addresses"] == [
        {"email": "mila@example.org", "verified": True, "primary": True}
    ]
    assert [a["type"] for a in profile["two_factor"]] == ["totp"]
    assert archive.read("uploads/profielfoto.png") == mila.avatar.open("rb").read()

    (post_file,) = [n for n in names if n.startswith("contributions/")]
    markdown = archive.read(post_file).decode()
    assert markdown.startswith('---\ntitle: "Zonnepanelen: hoe mila het deed"\n')
    assert 'tags: ["zon-mila"]' in markdown
    assert 'themes: ["Thema mila"]' in markdown
    assert f'community: "{community.title}"' in markdown
    assert markdown.endswith("---\n\n# Mijn ervaring\n\nTekst van mila.\n")

    assert [r["text"] for r in _rows(archive, "comments.csv")] == ["Reactie van mila"]
    assert [r["appreciated"] for r in _rows(archive, "appreciations.csv")] == [
        "contribution",
        "comment",
    ]
    assert [(r["community"], r["role"]) for r in _rows(archive, "memberships.csv")] == [
        (community.title, Membership.Role.MEMBER)
    ]
    (rsvp,) = _rows(archive, "meetups/rsvps.csv")
    assert (rsvp["meetup"], rsvp["state"], rsvp["access_needs"]) == (
        "Repaircafé mila",
        Rsvp.State.GOING,
        "Ringleiding voor mila",
    )
    assert [r["session"] for r in _rows(archive, "meetups/session_signups.csv")] == [
        "Werkplaats mila"
    ]
    (proposed,) = _rows(archive, "meetups/organised_or_proposed.csv")
    assert (proposed["meetup"], proposed["organiser"], proposed["description"]) == (
        "Voorstel mila",
        "true",
        "Idee van mila",
    )
    (report_file,) = [n for n in names if n.startswith("meetups/reports/")]
    assert "Verslag van mila" in archive.read(report_file).decode()

    preferences = json.loads(archive.read("notifications/preferences.json"))
    assert preferences["digest_frequency"] == "daily"
    assert preferences["communities"][0]["level"] == "muted"
    assert preferences["themes_followed"][0]["theme"] == "Thema mila"

    (made,) = _rows(archive, "moderation/reports_made.csv")
    assert (made["url"], made["reason"], made["your_note"]) == (
        f"{settings.SITE_URL}/bijdragen/{data['spam'].pk}/",
        "spam",
        "Reclame, zegt mila",
    )
    (decision,) = _rows(archive, "moderation/decisions_about_you.csv")
    assert decision["reason"] == "Let op je toon, mila"

    readme = archive.read("LEESMIJ.txt").decode()
    assert "Mila Mulder" in readme and "profile.json" in readme


def test_nothing_of_another_member_is_in_the_zip(two_members):
    mila, otto, _, _ = two_members
    text = zip_text(open_zip(_build(mila)))

    for word in ("otto", "Otto", "Oosterhout", "06-87654321"):
        assert word not in text, word
    # Not even that someone else reported the same post, or reported Mila's own.
    assert "offensive" not in text
    # No secrets of second factors.
    assert "GEHEIM" not in text

    # And the other way round.
    other = zip_text(open_zip(_build(otto)))
    for word in ("mila", "Mila", "Mulder", "06-12345678"):
        assert word not in other, word


def test_a_member_with_nothing_gets_a_zip_with_empty_lists(member):
    archive = open_zip(_build(member))
    assert _rows(archive, "comments.csv") == []
    assert json.loads(archive.read("profile.json"))["avatar"] is None
    assert not any(n.startswith("contributions/") for n in archive.namelist())


def test_the_zip_is_stored_privately_not_under_media(member, private_root, settings):
    export = _build(member)
    path = private_root / export.file.name
    assert path.is_file()
    assert not str(path.resolve()).startswith(str(settings.MEDIA_ROOT))
    # A random name: the member's id is in the folder, the name cannot be guessed.
    assert len(path.stem) >= 30
    with pytest.raises(ValueError):
        export.file.url  # noqa: B018


def test_csv_cells_cannot_run_as_spreadsheet_formulas(member, community):
    post = ContributionFactory(community=community)
    CommentFactory(contribution=post, author=member, body='=HYPERLINK("http://x")')
    (row,) = _rows(open_zip(_build(member)), "comments.csv")
    assert row["text"].startswith("'=")


def test_building_twice_builds_once(member):
    export = services.data_export_request(member=member)
    assert services.data_export_build(export_id=export.pk) is not None
    assert services.data_export_build(export_id=export.pk) is None


def test_a_failing_part_marks_the_export_failed_and_keeps_no_file(
    member, monkeypatch, private_root
):
    from privacy import registry

    def broken(member, archive):
        raise RuntimeError("kapot")

    part = registry.ExportPart(key="broken", covers=(), write=broken)
    monkeypatch.setitem(registry._parts, "broken", part)
    export = _build(member)
    assert export.state == DataExport.State.FAILED
    assert not export.file
    assert not any(p.is_file() for p in private_root.rglob("*"))
    # The member may ask again.
    assert services.data_export_request(member=member).state == DataExport.State.PENDING


def test_the_mail_links_to_the_download_in_the_members_language(
    member, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://kenniscloud.example.org"
    member.language = "en"
    member.save()
    with django_capture_on_commit_callbacks(execute=True):
        export = services.data_export_request(member=member)

    export.refresh_from_db()
    assert export.state == DataExport.State.READY
    (message,) = mail.outbox
    assert message.to == [member.email]
    url = f"https://kenniscloud.example.org/en/instellingen/gegevens/{export.pk}/download/"
    assert url in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="en">' in html
    assert url in html
