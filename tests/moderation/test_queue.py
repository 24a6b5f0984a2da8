"""The review queue on the site (/moderatie/): who sees what, the one-click actions, bulk
decisions, refusals next to the field, the header link, and a constant query count."""

from __future__ import annotations

import pytest
from django.urls import reverse

from communities.models import Membership
from knowledge.models import Contribution
from moderation.models import Case, ModerationAction
from tests.communities.factories import CommunityFactory, MembershipFactory, UserFactory
from tests.html import page_text
from tests.knowledge.factories import CommentFactory, ContributionFactory
from tests.moderation.cases import case_for
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

QUEUE = "/moderatie/"


@pytest.fixture
def author(community):
    return MembershipFactory(community=community, user__display_name="Arie Auteur").user


def _login(client, user):
    client.force_login(user)
    return client


def test_host_sees_open_cases_of_their_community_only(client, host, community, author):
    mine = ContributionFactory(community=community, author=author, title="Goedkope zonnepanelen!!")
    theirs = ContributionFactory(community=CommunityFactory(), title="Elders gemeld")
    case_for(mine, reasons=("spam", "spam", "offensive"), notes=("Staat er al drie keer",))
    case_for(theirs)
    closed = case_for(ContributionFactory(community=community, title="Al besloten"))
    Case.objects.filter(pk=closed.pk).update(state="closed", decision="dismissed")
    response = _login(client, host).get(QUEUE)
    assert response.status_code == 200
    text = page_text(response)
    assert "Goedkope zonnepanelen!!" in text
    assert "Elders gemeld" not in text and "Al besloten" not in text
    assert "Spam of reclame: 2" in text and "Kwetsend of beledigend: 1" in text
    assert "Staat er al drie keer" in text
    assert "3 meldingen" in text and "Arie Auteur" in text


def test_reporters_are_never_named(client, host, community, author):
    contribution = ContributionFactory(community=community, author=author)
    case = case_for(contribution)
    reporter = case.reports.get().reporter
    reporter.display_name = "Rita Rapporteur"
    reporter.save()
    text = page_text(_login(client, host).get(QUEUE))
    assert "Rita Rapporteur" not in text and reporter.handle not in text


def test_members_and_visitors_have_no_queue(client, member, membership):
    assert client.get(QUEUE).status_code == 302  # to the login
    assert _login(client, member).get(QUEUE).status_code == 403


def test_a_case_elsewhere_is_a_404(client, host):
    other = case_for(ContributionFactory(community=CommunityFactory()))
    _login(client, host)
    assert client.get(reverse("moderation:case_detail", kwargs={"pk": other.pk})).status_code == 404
    response = client.post(
        reverse("moderation:case_decide", kwargs={"pk": other.pk}),
        {f"melding-{other.pk}-action": "dismiss"},
    )
    assert response.status_code == 404
    assert not ModerationAction.objects.exists()


def test_one_click_restore_from_the_queue(client, host, community, author):
    comment = CommentFactory(
        contribution=ContributionFactory(community=community, author=author),
        author=author,
        body="Een eerlijke mening",
    )
    case = case_for(comment, auto_hide=True)
    _login(client, host)
    text = page_text(client.get(QUEUE))
    assert "Automatisch verborgen na meldingen" in text
    response = client.post(
        reverse("moderation:case_decide", kwargs={"pk": case.pk}),
        {f"melding-{case.pk}-action": "restore", "next": QUEUE},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == QUEUE
    assert "Teruggezet" in page_text(response)
    comment.refresh_from_db()
    assert comment.status == "published"
    assert "Een eerlijke mening" not in page_text(client.get(QUEUE))  # closed: off the queue


def test_hiding_without_reason_says_so_next_to_the_field(client, host, community, author):
    contribution = ContributionFactory(community=community, author=author)
    case = case_for(contribution)
    response = _login(client, host).post(
        reverse("moderation:case_decide", kwargs={"pk": case.pk}),
        {f"melding-{case.pk}-action": "hide", f"melding-{case.pk}-reason": "  ", "next": QUEUE},
    )
    assert response.status_code == 400
    assert "Schrijf een reden op. De auteur leest die." in page_text(response)
    html = response.content.decode()
    assert f'id="id_melding-{case.pk}-reason"' in html
    # The forms of the page rendered again come back to the queue, not to the POST address.
    assert 'name="next" value="/moderatie/"' in html
    assert f'name="next" value="/moderatie/{case.pk}/besluit/"' not in html
    contribution.refresh_from_db()
    assert contribution.status == "published" and not ModerationAction.objects.exists()


def test_hiding_with_reason_from_the_case_page(client, host, community, author):
    contribution = ContributionFactory(community=community, author=author)
    case = case_for(contribution)
    detail = reverse("moderation:case_detail", kwargs={"pk": case.pk})
    _login(client, host)
    assert client.get(detail).status_code == 200
    response = client.post(
        reverse("moderation:case_decide", kwargs={"pk": case.pk}),
        {
            f"melding-{case.pk}-action": "hide",
            f"melding-{case.pk}-reason": "Reclame",
            "next": detail,
        },
    )
    assert response.status_code == 302 and response.url == detail
    contribution.refresh_from_db()
    assert contribution.status == "hidden"
    assert "Hierover is al besloten: Verborgen." in page_text(client.get(detail))
    # An address off the site is not followed back.
    response = client.post(
        reverse("moderation:case_decide", kwargs={"pk": case.pk}),
        {f"melding-{case.pk}-action": "restore", "next": "https://example.com/"},
    )
    assert response.url == QUEUE


def test_bulk_delete_a_spam_wave(client, host, community, author):
    wave = ContributionFactory.create_batch(3, community=community, author=author)
    keep = ContributionFactory(community=community, author=author)
    cases = [case_for(c) for c in wave]
    case_for(keep)
    response = _login(client, host).post(
        reverse("moderation:queue_bulk"),
        {"cases": [c.pk for c in cases], "action": "delete", "next": QUEUE},
        follow=True,
    )
    assert "Verwijderen: 3 meldingen." in page_text(response)
    assert list(Contribution.objects.values_list("pk", flat=True)) == [keep.pk]


def test_bulk_refusal_keeps_the_choice(client, host, community, author):
    cases = [case_for(ContributionFactory(community=community, author=author)) for _ in range(2)]
    response = _login(client, host).post(
        reverse("moderation:queue_bulk"),
        {"cases": [cases[0].pk], "action": "hide", "reason": ""},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Schrijf een reden op. De auteur leest die." in page_text(response)
    assert f'value="{cases[0].pk}"\n                       id="kies-{cases[0].pk}"' in html
    assert "checked" in html.split(f'id="kies-{cases[0].pk}"')[1].split(">")[0]
    assert not ModerationAction.objects.exists()
    response = client.post(reverse("moderation:queue_bulk"), {"action": "dismiss"})
    assert response.status_code == 400
    assert "Kies eerst een of meer meldingen." in page_text(response)


def test_bulk_with_a_case_elsewhere_is_refused_whole(client, host, community, author):
    mine = case_for(ContributionFactory(community=community, author=author))
    theirs = case_for(ContributionFactory(community=CommunityFactory()))
    response = _login(client, host).post(
        reverse("moderation:queue_bulk"), {"cases": [mine.pk, theirs.pk], "action": "dismiss"}
    )
    assert response.status_code == 403
    assert Case.objects.filter(state="open").count() == 2


def test_header_link_with_the_open_count(client, host, community, author, member, membership):
    case_for(ContributionFactory(community=community, author=author))
    case_for(ContributionFactory(community=community, author=author))
    case_for(ContributionFactory(community=CommunityFactory()))
    html = _login(client, host).get("/").content.decode()
    assert 'href="/moderatie/"' in html and "2 open meldingen" in html
    client.logout()
    html = _login(client, member).get("/").content.decode()
    assert 'href="/moderatie/"' not in html


def test_queue_link_counts_for_librarians_too(community, author, librarian):
    from moderation.queue import queue_link_for

    case_for(ContributionFactory(community=community, author=author))
    assert queue_link_for(librarian) == (False, 0)  # the group, but no library yet
    community.library.librarians.add(librarian)
    assert queue_link_for(librarian) == (True, 1)
    plain = UserFactory()
    community.library.librarians.add(plain)  # a library, but not the group
    assert queue_link_for(plain) == (False, 0)
    moderator = MembershipFactory(community=community, role=Membership.Role.MODERATOR).user
    assert queue_link_for(moderator) == (True, 1)


def test_queue_costs_the_same_for_3_and_30_cases(client, host, community, author):
    _login(client, host)
    contribution = ContributionFactory(community=community, author=author)

    def add(n):
        for i in range(n):
            if i % 2:
                case_for(ContributionFactory(community=community, author=author), notes=("x",))
            else:
                case_for(CommentFactory(contribution=contribution, author=author))

    assert_constant_queries(client, QUEUE, add, label="moderation queue")


def test_community_page_links_managers_to_the_queue(
    client, host, community, author, member, membership
):
    case_for(ContributionFactory(community=community, author=author))
    case_for(ContributionFactory(community=CommunityFactory(), author=author))
    text = page_text(_login(client, host).get(community.get_absolute_url()))
    assert "Meldingen afhandelen 1 open" in text
    text = page_text(_login(client, member).get(community.get_absolute_url()))
    assert "Meldingen afhandelen" not in text


def test_the_kept_queue_link_follows_every_change_it_depends_on(
    community, author, host, librarian, django_assert_num_queries
):
    """The header's link is kept per member (moderation/queue.py, `queue_link_kept`) and is
    never stale: a new case, a decision, a new host, a community moved under another and a new
    librarian each show on the next page."""
    from django.contrib.auth.models import AnonymousUser

    from moderation.queue import queue_link_for, queue_link_kept
    from moderation.services.decisions import case_dismiss

    assert queue_link_kept(host) == (True, 0)
    with django_assert_num_queries(0):
        assert queue_link_kept(host) == (True, 0)
    case = case_for(ContributionFactory(community=community, author=author))
    assert queue_link_kept(host) == (True, 1)
    case_dismiss(by=host, case_id=case.pk)
    assert queue_link_kept(host) == (True, 0)

    newcomer = MembershipFactory(community=community).user
    case_for(ContributionFactory(community=community, author=author))
    assert queue_link_kept(newcomer) == (False, 0)
    Membership.objects.filter(user=newcomer).update(role=Membership.Role.HOST)  # no signal...
    membership = Membership.objects.get(user=newcomer)
    membership.save()  # ...the service saves
    assert queue_link_kept(newcomer) == (True, 1)

    sub = CommunityFactory(library=community.library)
    case_for(ContributionFactory(community=sub, author=author))
    assert queue_link_kept(host) == (True, 1)
    sub.parent = community
    sub.save()
    assert queue_link_kept(host) == (True, 2)

    assert queue_link_kept(librarian) == (False, 0)
    community.library.librarians.add(librarian)
    assert queue_link_kept(librarian) == queue_link_for(librarian) == (True, 2)
    assert queue_link_kept(AnonymousUser()) == (False, 0)

    plain = UserFactory()
    assert queue_link_kept(plain) == (False, 0)
    plain.is_superuser = True
    plain.save()
    assert queue_link_kept(plain) == (True, 2)  # every open case
