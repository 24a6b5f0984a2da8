"""The theme dossier: what residents see at /themas/<slug>/ and what librarians see in the admin."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django.utils import timezone

from communities.models import Theme
from knowledge.models import Contribution, DossierContribution, ThemeDossier
from knowledge.selectors import dossier_list_needing_review
from tests.communities.factories import CommunityFactory, MembershipFactory, ThemeFactory
from tests.html import page_text
from tests.knowledge.factories import (
    CommentFactory,
    ContributionFactory,
    article_create,
    dossier_create,
)
from tests.mfa import admin_login
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def picked(community, membership, theme):
    return ContributionFactory(
        community=community, author=membership.user, title="Spouwmuur in een dag", themes=[theme]
    )


@pytest.fixture
def dossier(theme, picked, librarian):
    return dossier_create(
        theme,
        picks=[(picked, "Heldere cijfers van een bewoner.")],
        reviewed_at=timezone.now() - timedelta(days=3),
        reviewed_by=librarian,
    )


def test_theme_page_shows_the_published_dossier(client, theme, dossier, picked):
    text = page_text(client.get(f"/themas/{theme.slug}/"))

    assert "Inleiding van de bibliotheek." in text
    assert "Wat we tot nu toe weten" in text
    assert "Begin bij de kieren" in text
    assert "Gecontroleerd door de bibliotheek" in text
    assert picked.title in text
    assert "Heldere cijfers van een bewoner." in text
    assert "Verder lezen" in text and "Milieu Centraal" in text
    assert "Laatst nagekeken op" in text and "Lotte Librarian" in text


def test_theme_page_without_dossier_still_shows_the_live_lists(client, theme, picked):
    text = page_text(client.get(f"/themas/{theme.slug}/"))

    assert picked.title in text
    assert "Gecontroleerd door de bibliotheek" not in text


def test_a_draft_dossier_is_not_shown(client, theme, picked):
    dossier_create(theme, picks=[(picked, "")], publish=False)

    text = page_text(client.get(f"/themas/{theme.slug}/"))

    assert "Inleiding van de bibliotheek." not in text
    assert "Gecontroleerd door de bibliotheek" not in text


def test_unpublished_changes_stay_out_until_published(client, theme, dossier):
    draft = dossier.get_latest_revision_as_object()
    draft.introduction = [{"type": "paragraph", "value": "<p>Nieuwe tekst in concept.</p>"}]
    revision = draft.save_revision()
    url = f"/themas/{theme.slug}/"

    assert "Nieuwe tekst in concept." not in page_text(client.get(url))
    revision.publish()
    assert "Nieuwe tekst in concept." in page_text(client.get(url))


def test_picks_that_are_hidden_or_private_are_left_out(client, theme, dossier, picked):
    secret = ContributionFactory(
        community=CommunityFactory(visibility="private"), title="Geheim plan", themes=[theme]
    )
    DossierContribution.objects.create(dossier=dossier, contribution=secret, sort_order=5)
    Contribution.objects.filter(pk=picked.pk).update(status=Contribution.Status.HIDDEN)

    text = page_text(client.get(f"/themas/{theme.slug}/"))

    assert "Geheim plan" not in text
    assert picked.title not in text
    assert "Gecontroleerd door de bibliotheek" not in text


def test_contribution_page_shows_the_checked_badge(client, theme, dossier, picked):
    text = page_text(client.get(picked.get_absolute_url()))

    assert "Gecontroleerd door de bibliotheek" in text
    assert theme.title in text


def test_unchecked_contribution_has_no_badge(client, community, membership):
    other = ContributionFactory(community=community, author=membership.user)

    assert "Gecontroleerd door de bibliotheek" not in page_text(
        client.get(other.get_absolute_url())
    )


def test_articles_on_the_theme_are_listed(client, theme, dossier):
    article_create("Tochtstrips en spouwmuren", themes=[theme])
    article_create("Over iets anders", themes=[ThemeFactory()])

    text = page_text(client.get(f"/themas/{theme.slug}/"))

    assert "Artikelen over dit thema" in text
    assert "Tochtstrips en spouwmuren" in text
    assert "Over iets anders" not in text


# --- A theme deleted under its dossier --------------------------------------------------------


def test_deleting_the_theme_keeps_the_dossier_without_theme(client, admin_client, theme, dossier):
    Theme.objects.filter(pk=theme.pk).delete()
    dossier.refresh_from_db()

    assert dossier.theme is None
    assert "zonder thema" in str(dossier)
    assert dossier_list_needing_review().filter(pk=dossier.pk).count() == 0
    assert client.get(f"/themas/{theme.slug}/").status_code == 404
    assert client.get("/themas/").status_code == 200
    assert client.get("/").status_code == 200
    listing = admin_client.get("/cms/snippets/knowledge/themedossier/")
    assert listing.status_code == 200
    assert "zonder thema" in page_text(listing)
    edit = admin_client.get(f"/cms/snippets/knowledge/themedossier/edit/{dossier.pk}/")
    assert edit.status_code == 200


def test_a_revision_naming_a_deleted_theme_loads_without_it(theme, dossier):
    Theme.objects.filter(pk=theme.pk).delete()

    restored = ThemeDossier.objects.get(pk=dossier.pk).get_latest_revision_as_object()

    assert restored.theme_id is None
    restored.save_revision().publish()  # No foreign key error.
    assert ThemeDossier.objects.get(pk=dossier.pk).theme_id is None


def test_a_picked_contribution_deleted_leaves_the_dossier_intact(client, theme, dossier, picked):
    picked.delete()

    response = client.get(f"/themas/{theme.slug}/")

    assert response.status_code == 200
    assert "Inleiding van de bibliotheek." in page_text(response)


# --- Needs review ------------------------------------------------------------------------------


def test_dossiers_needing_review(settings, librarian):
    settings.DOSSIER_REVIEW_DAYS = 30
    now = timezone.now()
    fresh = dossier_create(ThemeFactory(), reviewed_at=now - timedelta(days=29))
    old = dossier_create(ThemeFactory(), reviewed_at=now - timedelta(days=31))
    never = dossier_create(ThemeFactory())
    dossier_create(ThemeFactory(), publish=False)  # A draft is on no page.

    needing = list(dossier_list_needing_review())

    assert needing == [never, old]
    assert old.needs_review and never.needs_review and not fresh.needs_review


def test_admin_listing_marks_and_filters_dossiers_needing_review(admin_client, settings):
    settings.DOSSIER_REVIEW_DAYS = 30
    now = timezone.now()
    dossier_create(ThemeFactory(title="Vers thema"), reviewed_at=now - timedelta(days=1))
    dossier_create(ThemeFactory(title="Oud thema"), reviewed_at=now - timedelta(days=90))
    url = "/cms/snippets/knowledge/themedossier/"

    everything = page_text(admin_client.get(url))
    filtered = page_text(admin_client.get(url, {"needs_review": "true"}))

    assert "Vers thema" in everything and "Oud thema" in everything
    assert "Moet nagekeken worden" in everything
    assert "Oud thema" in filtered and "Vers thema" not in filtered


def test_librarian_sees_the_dossier_admin(client, librarian, dossier, picked):
    admin_login(client, librarian)

    listing = client.get("/cms/snippets/knowledge/themedossier/")
    assert listing.status_code == 200
    assert "Duurzaam wonen" in page_text(listing)
    assert [row.pk for row in listing.context["object_list"]] == [dossier.pk]
    # The theme's title opens the dossier: a librarian needs no URL to edit it.
    edit_url = f"/cms/snippets/knowledge/themedossier/edit/{dossier.pk}/"
    assert f'href="{edit_url}"' in listing.content.decode()
    assert "True" not in page_text(listing)

    form = client.get(f"/cms/snippets/knowledge/themedossier/edit/{dossier.pk}/")
    assert form.status_code == 200
    assert form.context["form"].instance == dossier
    content = html.unescape(form.content.decode())
    assert "Inleiding van de bibliotheek." in content
    assert "Begin bij de kieren" in content
    assert "Milieu Centraal" in content
    # The pick: the chosen contribution and the library's note.
    assert picked.title in content
    assert "Heldere cijfers van een bewoner." in content


def test_resident_is_refused_the_dossier_admin(client, member, dossier):
    client.force_login(member)

    response = client.get("/cms/snippets/knowledge/themedossier/")

    assert response.status_code in (302, 403)


# --- Query count ------------------------------------------------------------------------------


def test_theme_page_with_dossier_queries_are_constant(client, theme, member, librarian):
    dossier = dossier_create(theme, reviewed_at=timezone.now(), reviewed_by=librarian)

    def add(n):
        for i in range(n):
            community = CommunityFactory(themes=[theme, ThemeFactory()])
            MembershipFactory(community=community)
            contribution = ContributionFactory(
                community=community, themes=[theme], tags=["isolatie"]
            )
            CommentFactory(contribution=contribution)
            DossierContribution.objects.create(
                dossier=dossier, contribution=contribution, sort_order=i
            )
            article_create(f"Artikel {contribution.pk}", themes=[theme])

    url = f"/themas/{theme.slug}/"
    assert_constant_queries(client, url, add, label="/themas/<slug>/ with dossier, anonymous")
    client.force_login(member)
    assert_constant_queries(client, url, add, label="/themas/<slug>/ with dossier, member")
