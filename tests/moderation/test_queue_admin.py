"""Moderatie in the Wagtail admin: the librarians' queue (their libraries only) and the
moderation log (read-only, filterable, CSV without reporters)."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from communities.models import Membership
from communities.selectors import LIBRARIAN_GROUP
from knowledge.models import Contribution
from moderation.log import record
from moderation.models import Case, ModerationAction
from moderation.services import decisions
from tests.communities.factories import CommunityFactory, MembershipFactory, UserFactory
from tests.html import page_text
from tests.knowledge.factories import CommentFactory, ContributionFactory
from tests.mfa import admin_login
from tests.moderation.cases import case_for
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

QUEUE = "/cms/moderatie/te-beoordelen/"
LOG = "/cms/moderatie/log/"


def librarian_group() -> Group:
    """The group with its way into the admin (made by a migration; a transactional test
    elsewhere in the run may have flushed it)."""
    group, _created = Group.objects.get_or_create(name=LIBRARIAN_GROUP)
    group.permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
    )
    return group


def _librarian(library, **kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(librarian_group())
    library.librarians.add(user)
    return user


@pytest.fixture
def author(community):
    return MembershipFactory(community=community, user__display_name="Arie Auteur").user


@pytest.fixture
def lib_x(community):
    return community.library


@pytest.fixture
def marieke(lib_x):
    return _librarian(lib_x, display_name="Marieke Bibliothecaris")


def test_urls_are_the_documented_ones():
    assert reverse("moderatie:index") == QUEUE
    assert reverse("moderatielog:index") == LOG


def test_librarian_sees_the_cases_of_their_library(client, marieke, community, author):
    case_for(ContributionFactory(community=community, author=author, title="Hier gemeld"))
    case_for(ContributionFactory(community=CommunityFactory(), title="Andere bibliotheek"))
    admin_login(client, marieke)
    response = client.get(QUEUE)
    assert response.status_code == 200
    text = page_text(response)
    assert "Hier gemeld" in text and "Andere bibliotheek" not in text
    assert "Te beoordelen" in client.get("/cms/").content.decode()
    # Suspending the author is one link away, on the librarians' suspension page.
    assert reverse("schorsingen:member", kwargs={"pk": author.pk}) in response.content.decode()


def test_superuser_sees_all(client, admin_user, community, author):
    case_for(ContributionFactory(community=community, author=author, title="Hier gemeld"))
    case_for(ContributionFactory(community=CommunityFactory(), title="Andere bibliotheek"))
    admin_login(client, admin_user)
    text = page_text(client.get(QUEUE))
    assert "Hier gemeld" in text and "Andere bibliotheek" in text


def test_librarian_without_library_and_organisers_have_no_queue(client, community):
    lonely = UserFactory()
    lonely.groups.add(librarian_group())
    admin_login(client, lonely)
    # Wagtail answers a refusal with a redirect to the dashboard and a message.
    assert client.get(QUEUE).status_code in (302, 403)
    assert client.get(LOG).status_code in (302, 403)
    assert "Te beoordelen" not in client.get("/cms/").content.decode()


def test_librarian_acts_on_x_not_on_y(client, marieke, community, author):
    mine = ContributionFactory(community=community, author=author)
    theirs = ContributionFactory(community=CommunityFactory())
    case_mine, case_theirs = case_for(mine), case_for(theirs)
    admin_login(client, marieke)
    response = client.post(
        reverse("moderatie:decide", kwargs={"pk": case_mine.pk}),
        {f"melding-{case_mine.pk}-action": "hide", f"melding-{case_mine.pk}-reason": "Reclame"},
    )
    assert response.status_code == 302 and response.url == QUEUE
    mine.refresh_from_db()
    assert mine.status == "hidden"
    response = client.post(
        reverse("moderatie:decide", kwargs={"pk": case_theirs.pk}),
        {f"melding-{case_theirs.pk}-action": "delete"},
    )
    assert response.status_code == 404
    assert Contribution.objects.filter(pk=theirs.pk).exists()


def test_refusal_renders_the_queue_with_the_message(client, marieke, community, author):
    case = case_for(ContributionFactory(community=community, author=author))
    admin_login(client, marieke)
    response = client.post(
        reverse("moderatie:decide", kwargs={"pk": case.pk}),
        {f"melding-{case.pk}-action": "warn", f"melding-{case.pk}-reason": ""},
    )
    assert response.status_code == 400
    assert "Schrijf een reden op. De auteur leest die." in page_text(response)
    assert f'name="next" value="{QUEUE}"' in response.content.decode()
    assert not ModerationAction.objects.exists()


def test_bulk_in_the_admin(client, marieke, community, author):
    cases = [
        case_for(
            CommentFactory(contribution=ContributionFactory(community=community), author=author)
        )
        for _ in range(3)
    ]
    admin_login(client, marieke)
    response = client.post(
        reverse("moderatie:bulk"),
        {"cases": [c.pk for c in cases], "action": "hide", "reason": "Spamgolf"},
    )
    assert response.status_code == 302
    assert set(Case.objects.values_list("decision", flat=True)) == {"hidden"}


def test_admin_queue_costs_the_same_for_3_and_30(client, marieke, community, author):
    admin_login(client, marieke)
    contribution = ContributionFactory(community=community, author=author)

    def add(n):
        for i in range(n):
            target = (
                CommentFactory(contribution=contribution, author=author)
                if i % 2
                else ContributionFactory(community=community, author=author)
            )
            case_for(target, notes=("toelichting",))

    assert_constant_queries(client, QUEUE, add, label="moderation queue (admin)")


# --- The log ----------------------------------------------------------------------------------


def _decided(community, author, *, host, reason="Reclame"):
    contribution = ContributionFactory(community=community, author=author, title="Koop nu")
    case = case_for(contribution, reasons=("spam", "spam"), notes=("Ik ken deze afzender",))
    decisions.case_hide(by=host, case_id=case.pk, reason=reason)
    return case


def test_log_lists_own_library_only_and_is_read_only(client, marieke, community, author, host):
    _decided(community, author, host=host)
    other = CommunityFactory()
    other_host = MembershipFactory(community=other, role=Membership.Role.HOST).user
    _decided(other, MembershipFactory(community=other).user, host=other_host, reason="Elders")
    admin_login(client, marieke)
    response = client.get(LOG)
    assert response.status_code == 200
    text = page_text(response)
    assert "Reclame" in text and "Elders" not in text
    assert "Hanna Host" in text  # who acted
    row = ModerationAction.objects.get(reason="Reclame")
    # No add, edit or delete: the log is append-only.
    for url in (f"{LOG}new/", f"{LOG}edit/{row.pk}/", f"{LOG}delete/{row.pk}/"):
        assert client.get(url).status_code in (302, 403, 404), url
    assert client.post(f"{LOG}delete/{row.pk}/").status_code in (302, 403, 404)
    assert ModerationAction.objects.filter(pk=row.pk).exists()


def test_log_filters(client, marieke, community, author, host):
    _decided(community, author, host=host)
    record(
        ModerationAction.Action.WARN, actor=host, library=community.library, reason="Toonzetting"
    )
    admin_login(client, marieke)
    text = page_text(client.get(LOG, {"action": "warn"}))
    assert "Toonzetting" in text and "Reclame" not in text
    text = page_text(
        client.get(LOG, {"created_at_from": "2000-01-01", "created_at_to": "2000-01-02"})
    )
    assert "Toonzetting" not in text and "Reclame" not in text


def test_csv_export_without_reporters(client, marieke, community, author, host):
    case = _decided(community, author, host=host)
    reporters = [r.reporter for r in case.reports.all()]
    admin_login(client, marieke)
    response = client.get(LOG, {"export": "csv"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))
    header, *lines = rows
    assert header[:4] == ["Wanneer", "Actie", "Soort", "Onderwerp"]
    (line,) = lines
    assert "Verborgen" in line and "Koop nu" in line and "bijdrage" in line
    assert "Hanna Host" in line and "Arie Auteur" in line and "Reclame" in line
    for reporter in reporters:
        assert reporter.display_name not in body and reporter.email not in body
    assert "Ik ken deze afzender" not in body  # reporters' notes stay in the queue


def test_csv_export_is_scoped(client, marieke, community, author, host):
    other = CommunityFactory()
    other_host = MembershipFactory(community=other, role=Membership.Role.HOST).user
    _decided(other, MembershipFactory(community=other).user, host=other_host, reason="Elders")
    admin_login(client, marieke)
    body = b"".join(client.get(LOG, {"export": "csv"}).streaming_content).decode()
    assert "Elders" not in body


def test_auto_hide_rows_name_no_person(client, marieke, community, author):
    contribution = ContributionFactory(community=community, author=author)
    record(
        ModerationAction.Action.AUTO_HIDE,
        obj=contribution,
        library=community.library,
        member=author,
    )
    admin_login(client, marieke)
    body = b"".join(client.get(LOG, {"export": "csv"}).streaming_content).decode()
    assert "Automatisch" in body
