"""Themes, contributions, comments and appreciations through the test client."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from communities.models import Community
from knowledge.models import Appreciation, Comment, Contribution
from tests.communities.factories import (
    CommunityFactory,
    MembershipFactory,
    ThemeFactory,
    UserFactory,
)
from tests.html import field_errors, page_text
from tests.knowledge.factories import AppreciationFactory, CommentFactory, ContributionFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

NEW = "/bijdragen/nieuw/"


@pytest.fixture
def contribution(community, membership, theme):
    return ContributionFactory(
        community=community,
        author=membership.user,
        title="Hoe isoleer ik een jaren-30-woning?",
        body="Wie heeft **ervaring** met *vloerisolatie*?",
        themes=[theme],
        tags=["isolatie"],
    )


@pytest.fixture
def secret(private_community):
    insider = MembershipFactory(community=private_community).user
    return ContributionFactory(community=private_community, author=insider, title="Geheim plan")


def _login(client, user):
    client.force_login(user)
    return client


# --- Every page answers -----------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_public_pages_answer(client, prefix, theme, contribution):
    urls = ["/", "/themas/", f"/themas/{theme.slug}/", f"/bijdragen/{contribution.pk}/"]
    for url in urls:
        response = client.get(prefix + url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_member_pages_answer(client, prefix, community, membership, contribution, theme):
    comment = CommentFactory(contribution=contribution, author=membership.user)
    _login(client, membership.user)
    urls = [
        "/",
        "/themas/",
        f"/themas/{theme.slug}/",
        f"/bijdragen/{contribution.pk}/",
        NEW,
        f"{NEW}?gemeenschap={community.slug}",
        f"/bijdragen/{contribution.pk}/bewerken/",
        f"/bijdragen/{contribution.pk}/reacties/{comment.pk}/bewerken/",
    ]
    for url in urls:
        response = client.get(prefix + url)
        assert response.status_code == 200, url


def test_language_attribute_on_the_home_page(client):
    assert 'lang="nl"' in client.get("/").content.decode()
    assert 'lang="en"' in client.get("/en/").content.decode()


def test_home_page_shows_the_live_lists(client, theme, community, contribution, secret):
    text = page_text(client.get("/"))

    assert theme.title in text
    assert community.title in text
    assert contribution.title in text
    assert secret.title not in text
    assert secret.community.title not in text


def test_theme_pages_list_what_is_visible(client, theme, community, contribution, secret):
    secret.community.themes.add(theme)
    secret.themes.add(theme)

    list_text = page_text(client.get("/themas/"))
    detail_text = page_text(client.get(f"/themas/{theme.slug}/"))

    assert theme.title in list_text
    assert community.title in detail_text
    assert contribution.title in detail_text
    assert secret.title not in detail_text
    assert secret.community.title not in detail_text


def test_unknown_theme_is_404(client):
    assert client.get("/themas/bestaat-niet/").status_code == 404


def test_contribution_detail_shows_rendered_markdown(client, contribution):
    content = client.get(contribution.get_absolute_url()).content.decode()

    assert "<strong>ervaring</strong>" in content
    assert "<em>vloerisolatie</em>" in content
    assert "**ervaring**" not in content


# --- Private communities and hidden contributions ---------------------------------------------


def test_private_contribution_urls_are_404_for_outsiders(client, secret, outsider):
    pk = secret.pk
    comment = CommentFactory(contribution=secret, author=secret.author)
    for viewer in (None, outsider):
        if viewer:
            _login(client, viewer)
        assert client.get(f"/bijdragen/{pk}/").status_code == 404
        if viewer:
            assert client.get(f"/bijdragen/{pk}/bewerken/").status_code == 404
            assert client.post(f"/bijdragen/{pk}/waarderen/").status_code == 404
            assert client.post(f"/bijdragen/{pk}/reacties/", {"body": "Hoi"}).status_code == 404
            action = f"/bijdragen/{pk}/reacties/{comment.pk}/"
            assert client.post(action, {"action": "appreciate"}).status_code == 404
    assert not Appreciation.objects.exists()
    assert Comment.objects.count() == 1


def test_private_contribution_is_shown_to_members(client, secret, member):
    MembershipFactory(community=secret.community, user=member)

    response = _login(client, member).get(secret.get_absolute_url())

    assert response.status_code == 200
    assert secret.title in page_text(response)


def test_new_contribution_form_for_a_private_community_is_404_for_outsiders(
    client, private_community, outsider
):
    response = _login(client, outsider).get(f"{NEW}?gemeenschap={private_community.slug}")

    assert response.status_code == 404


def test_host_hides_a_contribution(client, contribution, host, outsider):
    _login(client, host)
    response = client.post(
        f"/bijdragen/{contribution.pk}/modereren/", {"status": "hidden"}, follow=True
    )

    assert response.status_code == 200
    assert "De bijdrage is verborgen voor anderen." in page_text(response)
    assert Contribution.objects.get(pk=contribution.pk).is_hidden
    # The host still sees it, marked as hidden, and so does its author (issue 11: they read
    # why); everyone else gets a 404.
    assert "Verborgen." in page_text(client.get(contribution.get_absolute_url()))
    assert _login(client, outsider).get(contribution.get_absolute_url()).status_code == 404
    author_page = _login(client, contribution.author).get(contribution.get_absolute_url())
    assert "Alleen jij en de beheerders" in page_text(author_page)
    client.logout()
    assert client.get(contribution.get_absolute_url()).status_code == 404
    assert contribution.title not in page_text(
        client.get(contribution.community.get_absolute_url())
    )


def test_host_restores_a_hidden_contribution(client, contribution, host):
    contribution.status = Contribution.Status.HIDDEN
    contribution.save()

    _login(client, host).post(f"/bijdragen/{contribution.pk}/modereren/", {"status": "published"})

    assert not Contribution.objects.get(pk=contribution.pk).is_hidden


def test_unknown_moderation_status_is_refused(client, contribution, host):
    response = _login(client, host).post(
        f"/bijdragen/{contribution.pk}/modereren/", {"status": "weg"}, follow=True
    )

    assert response.status_code == 200
    assert "Onbekende status." in page_text(response)
    assert Contribution.objects.get(pk=contribution.pk).status == Contribution.Status.PUBLISHED


def test_plain_member_cannot_hide(client, contribution):
    response = _login(client, contribution.author).post(
        f"/bijdragen/{contribution.pk}/modereren/", {"status": "hidden"}
    )

    assert response.status_code == 403
    assert not Contribution.objects.get(pk=contribution.pk).is_hidden


# --- POST only, login required ----------------------------------------------------------------


def _post_only_urls(contribution, comment) -> list[str]:
    pk = contribution.pk
    return [
        f"/bijdragen/{pk}/waarderen/",
        f"/bijdragen/{pk}/reacties/",
        f"/bijdragen/{pk}/modereren/",
        f"/bijdragen/{pk}/reacties/{comment.pk}/",
    ]


def test_actions_are_post_only(client, contribution, membership):
    comment = CommentFactory(contribution=contribution)
    _login(client, membership.user)

    for url in _post_only_urls(contribution, comment):
        assert client.get(url).status_code == 405, url


def test_anonymous_posts_redirect_to_login(client, contribution):
    comment = CommentFactory(contribution=contribution)
    login = reverse("account_login")

    for url in [*_post_only_urls(contribution, comment), NEW]:
        response = client.post(url, {"body": "Hoi", "action": "appreciate", "status": "hidden"})
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{login}?next="), url
    assert Comment.objects.count() == 1
    assert not Appreciation.objects.exists()
    assert not Contribution.objects.get(pk=contribution.pk).is_hidden


def test_post_without_csrf_token_is_refused(contribution, membership):
    client = Client(enforce_csrf_checks=True)
    client.force_login(membership.user)

    response = client.post(f"/bijdragen/{contribution.pk}/reacties/", {"body": "Hoi"})

    assert response.status_code == 403
    assert not Comment.objects.exists()


# --- Posting a contribution -------------------------------------------------------------------


def _contribution_data(community: Community, **overrides) -> dict:
    data = {
        "gemeenschap": community.slug,
        "kind": "question",
        "title": "Wie deelt een warmtecamera?",
        "body": "Ik wil mijn **huis** doormeten.\n\n- zolder\n- kelder",
        "source_url": "",
        "tags": "warmtecamera, isolatie",
    }
    return {**data, **overrides}


def test_member_posts_a_contribution_with_markdown(client, community, membership, theme):
    _login(client, membership.user)

    response = client.post(NEW, _contribution_data(community), follow=True)

    contribution = Contribution.objects.get()
    assert contribution.author == membership.user
    assert contribution.community == community
    assert list(contribution.themes.all()) == [theme]  # None ticked: the community's.
    assert response.redirect_chain[-1][0] == contribution.get_absolute_url()
    content = response.content.decode()
    assert "<strong>huis</strong>" in content
    assert "<li>zolder</li>" in content
    assert "Je bijdrage staat online." in page_text(response)


def test_ticked_themes_replace_the_communitys(client, community, membership, theme):
    chosen = ThemeFactory()
    _login(client, membership.user)

    client.post(NEW, _contribution_data(community, themes=[chosen.pk]))

    assert list(Contribution.objects.get().themes.all()) == [chosen]


def test_posted_script_is_not_rendered(client, community, membership):
    _login(client, membership.user)

    response = client.post(
        NEW,
        _contribution_data(community, body="<script>alert('x')</script> [klik](javascript:x)"),
        follow=True,
    )

    content = response.content.decode()
    assert "<script>alert" not in content
    assert 'href="javascript:' not in content
    assert "&lt;script&gt;" in content


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "Dit is een verplicht veld."),
        ({"title": "Hoi"}, "title", "Maak de titel wat langer: minstens 5 tekens."),
        ({"title": "  Hoi   "}, "title", "Maak de titel wat langer: minstens 5 tekens."),
        # Knowledge structure: the body may be empty when a part is filled; here none is.
        ({"body": "   "}, "body", "Schrijf eerst iets: in de tekst, of in een of meer"),
        ({"kind": "source"}, "source_url", "Geef bij een bron de link naar die bron."),
        ({"kind": "source", "source_url": "geen link"}, "source_url", "Voer een geldige URL in."),
        ({"kind": "report"}, "kind", "Selecteer een geldige keuze."),
        ({"tags": ",".join(f"t{i}" for i in range(11))}, "tags", "hoogstens 10 trefwoorden"),
    ],
)
def test_bad_contribution_shows_the_error_and_stores_nothing(
    client, community, membership, overrides, field, message
):
    _login(client, membership.user)

    response = client.post(NEW, _contribution_data(community, **overrides))

    assert response.status_code == 200
    assert message in field_errors(response, field)
    assert not Contribution.objects.exists()


def test_non_member_cannot_post(client, community, outsider):
    response = _login(client, outsider).post(NEW, _contribution_data(community), follow=True)

    assert response.redirect_chain[-1][0] == community.get_absolute_url()
    assert "Word eerst lid om hier iets te plaatsen." in page_text(response)
    assert not Contribution.objects.exists()


def test_author_edits_a_contribution(client, contribution):
    _login(client, contribution.author)

    client.post(
        f"/bijdragen/{contribution.pk}/bewerken/",
        {"kind": "idea", "title": "Een nieuw idee", "body": "Nu *anders*.", "tags": ""},
    )

    stored = Contribution.objects.get(pk=contribution.pk)
    assert (stored.kind, stored.title) == ("idea", "Een nieuw idee")
    assert stored.body_html == "<p>Nu <em>anders</em>.</p>\n"


def test_others_cannot_edit_a_contribution(client, contribution, host):
    _login(client, host)
    url = f"/bijdragen/{contribution.pk}/bewerken/"

    assert client.get(url).status_code == 403
    response = client.post(url, {"kind": "idea", "title": "Gekaapt!", "body": "Weg."})
    assert response.status_code == 403
    assert Contribution.objects.get(pk=contribution.pk).title == contribution.title


# --- Comments and appreciation ----------------------------------------------------------------


def test_comment_reply_and_appreciate(client, contribution, host):
    _login(client, host)
    url = contribution.get_absolute_url()

    response = client.post(f"{url}reacties/", {"body": "Wij hebben **PIR** gebruikt."})
    top = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{url}#reactie-{top.pk}"

    _login(client, contribution.author)
    client.post(f"{url}reacties/", {"body": "Dank je, @hanna!", "parent": top.pk})
    reply = Comment.objects.exclude(pk=top.pk).get()
    client.post(f"{url}reacties/", {"body": "Nog een vraag", "parent": reply.pk})
    nested = Comment.objects.order_by("-pk").first()
    client.post(f"{url}waarderen/")
    client.post(f"{url}reacties/{top.pk}/", {"action": "appreciate"})

    assert reply.parent_id == top.pk
    assert nested.parent_id == top.pk  # A reply to a reply joins the thread.
    assert Appreciation.objects.filter(user=contribution.author, contribution=contribution).exists()
    assert Appreciation.objects.filter(user=contribution.author, comment=top).exists()
    content = client.get(url).content.decode()
    assert "<strong>PIR</strong>" in content
    assert '<a href="/leden/hanna/" class="mention"' in content
    assert 'aria-pressed="true"' in content

    client.post(f"{url}waarderen/")  # Again: withdrawn.
    assert not Appreciation.objects.filter(contribution=contribution).exists()


def test_empty_comment_shows_the_error(client, contribution, membership):
    response = _login(client, membership.user).post(
        f"/bijdragen/{contribution.pk}/reacties/", {"body": "   "}
    )

    assert response.status_code == 400
    assert "Dit is een verplicht veld." in field_errors(response, "body")
    assert not Comment.objects.exists()


def test_non_member_cannot_comment(client, contribution, outsider):
    response = _login(client, outsider).post(
        f"/bijdragen/{contribution.pk}/reacties/", {"body": "Ik ben geen lid"}
    )

    assert response.status_code == 400
    assert "Alleen leden van deze gemeenschap kunnen hier iets plaatsen." in page_text(response)
    assert not Comment.objects.exists()


def test_author_deletes_a_comment(client, contribution, host):
    comment = CommentFactory(contribution=contribution, author=host, body="Oeps, verkeerd.")

    _login(client, host).post(f"/bijdragen/{contribution.pk}/reacties/{comment.pk}/verwijderen/")

    stored = Comment.objects.get(pk=comment.pk)
    assert stored.is_deleted and stored.body == ""
    text = page_text(client.get(contribution.get_absolute_url()))
    assert "Deze reactie is verwijderd." in text
    assert "Oeps, verkeerd." not in text


def test_others_cannot_delete_a_comment(client, contribution, host):
    comment = CommentFactory(contribution=contribution, author=host, body="Blijft staan")

    response = _login(client, contribution.author).post(
        f"/bijdragen/{contribution.pk}/reacties/{comment.pk}/verwijderen/"
    )

    assert response.status_code == 403
    assert Comment.objects.get(pk=comment.pk).body == "Blijft staan"


def test_host_hides_a_comment(client, contribution, host, outsider):
    comment = CommentFactory(contribution=contribution, body="Reclame voor zonnepanelen")

    _login(client, host).post(
        f"/bijdragen/{contribution.pk}/reacties/{comment.pk}/", {"action": "hide"}
    )

    assert Comment.objects.get(pk=comment.pk).is_hidden
    assert "Reclame voor zonnepanelen" in page_text(client.get(contribution.get_absolute_url()))
    other = _login(client, outsider).get(contribution.get_absolute_url())
    assert "Reclame voor zonnepanelen" not in page_text(other)


def test_comment_edit(client, contribution, host):
    comment = CommentFactory(contribution=contribution, author=host, body="Oud")
    url = f"/bijdragen/{contribution.pk}/reacties/{comment.pk}/bewerken/"

    _login(client, host).post(url, {"body": "**Nieuw**"})

    assert Comment.objects.get(pk=comment.pk).body_html == "<p><strong>Nieuw</strong></p>\n"
    assert _login(client, contribution.author).get(url).status_code == 403


# --- Query counts -----------------------------------------------------------------------------


def _fill_contributions(community, theme):
    def add(n):
        for i in range(n):
            contribution = ContributionFactory(
                community=community, themes=[theme], tags=["isolatie", f"tag-{i}"]
            )
            CommentFactory(contribution=contribution)
            AppreciationFactory(contribution=contribution)

    return add


def test_home_page_queries_are_constant(client, member, theme):
    def add(n):
        for _ in range(n):
            community = CommunityFactory(themes=[ThemeFactory()])
            MembershipFactory(community=community, user=member)
            ContributionFactory(community=community, themes=[theme], tags=["isolatie"])

    assert_constant_queries(client, "/", add, label="/ (home) anonymous")
    _login(client, member)
    assert_constant_queries(client, "/", add, label="/ (home) member")


def test_theme_list_queries_are_constant(client, member):
    def add(n):
        for _ in range(n):
            theme = ThemeFactory()
            community = CommunityFactory(themes=[theme])
            ContributionFactory(community=community, themes=[theme])

    assert_constant_queries(client, "/themas/", add, label="/themas/ anonymous")
    _login(client, member)
    assert_constant_queries(client, "/themas/", add, label="/themas/ member")


def test_theme_detail_queries_are_constant(client, theme, member):
    def add(n):
        for _ in range(n):
            community = CommunityFactory(themes=[theme, ThemeFactory()])
            MembershipFactory(community=community)
            ContributionFactory(community=community, themes=[theme], tags=["isolatie"])

    url = f"/themas/{theme.slug}/"
    assert_constant_queries(client, url, add, label="/themas/<slug>/ anonymous")
    _login(client, member)
    assert_constant_queries(client, url, add, label="/themas/<slug>/ member")


def test_community_detail_with_contributions_queries_are_constant(
    client, community, host, membership, theme
):
    add = _fill_contributions(community, theme)
    url = community.get_absolute_url()

    assert_constant_queries(client, url, add, label="community detail with contributions")
    _login(client, membership.user)
    assert_constant_queries(client, url, add, label="community detail with contributions, member")


def test_contribution_detail_queries_are_constant(client, contribution, host, membership):
    def add(n):
        for _ in range(n):
            top = CommentFactory(contribution=contribution, author=UserFactory())
            reply = CommentFactory(contribution=contribution, parent=top, author=UserFactory())
            AppreciationFactory(contribution=None, comment=reply, user=host)
            CommentFactory(
                contribution=contribution, status=Contribution.Status.HIDDEN, author=UserFactory()
            )

    url = contribution.get_absolute_url()
    assert_constant_queries(client, url, add, label="contribution detail anonymous")
    _login(client, membership.user)
    assert_constant_queries(client, url, add, label="contribution detail member")
    _login(client, host)
    assert_constant_queries(client, url, add, label="contribution detail host")
