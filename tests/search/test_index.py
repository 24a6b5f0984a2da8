"""The index follows the content at once, whoever writes it (services, Wagtail, the admin)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from knowledge import services as knowledge_services
from knowledge.models import Contribution
from meetups.models import Meetup
from search.models import SearchEntry
from search.selectors import search_for
from search.services import search_rebuild
from tests.communities.factories import ThemeFactory
from tests.knowledge.factories import (
    CommentFactory,
    ContributionFactory,
    article_create,
    dossier_create,
)
from tests.meetups.factories import MeetupFactory

pytestmark = pytest.mark.django_db


def titles(query: str, viewer=None, kind=None) -> list[str]:
    result = search_for(viewer or AnonymousUser(), query, kind=kind)
    return [h.title.replace("<mark>", "").replace("</mark>", "") for h in result.hits]


def test_a_new_contribution_is_found_by_its_title_body_tags_themes_and_comments(
    community, member, membership, theme
):
    contribution = knowledge_services.contribution_create(
        author=member,
        community=community,
        kind=Contribution.Kind.QUESTION,
        title="Wie deelt een ladder",
        body="Ik zoek een **ladder** voor de dakgoot.",
        tags=["gereedschap"],
    )
    knowledge_services.comment_create(
        author=member, contribution=contribution, body="De buurman heeft een steiger."
    )
    for word in ("ladder", "dakgoot", "gereedschap", "Duurzaam", "steiger"):
        assert titles(word, kind="contribution") == ["Wie deelt een ladder"], word
    entry = SearchEntry.objects.get(kind="contribution", object_id=contribution.pk)
    assert list(entry.themes.all()) == [theme]
    assert entry.region_id == community.region_id
    assert "**" not in entry.body  # plain text, not Markdown


def test_a_hidden_contribution_is_gone_at_once_and_back_when_restored(community, host):
    contribution = ContributionFactory(community=community, title="Kapotte lantaarnpaal")
    assert titles("lantaarnpaal") == ["Kapotte lantaarnpaal"]
    knowledge_services.contribution_set_status(
        by=host, contribution=contribution, status=Contribution.Status.HIDDEN
    )
    assert titles("lantaarnpaal") == []
    assert titles("lantaarnpaal", host) == []  # not even for its host: search is for readers
    assert not SearchEntry.objects.filter(kind="contribution").exists()
    knowledge_services.contribution_set_status(
        by=host, contribution=contribution, status=Contribution.Status.PUBLISHED
    )
    assert titles("lantaarnpaal") == ["Kapotte lantaarnpaal"]


def test_a_hidden_or_deleted_comment_leaves_its_words_behind(community, host, member, membership):
    contribution = ContributionFactory(community=community, title="Buurtfeest")
    comment = CommentFactory(contribution=contribution, body="Ik neem een barbecue mee.")
    assert titles("barbecue") == ["Buurtfeest"]
    knowledge_services.comment_set_status(
        by=host, comment=comment, status=Contribution.Status.HIDDEN
    )
    assert titles("barbecue") == []
    other = CommentFactory(contribution=contribution, author=member, body="En ik een taart.")
    assert titles("taart") == ["Buurtfeest"]
    knowledge_services.comment_delete(by=member, comment=other)
    assert titles("taart") == []


def test_a_deleted_contribution_leaves_the_index(community):
    contribution = ContributionFactory(community=community, title="Weggooien")
    contribution.delete()
    assert not SearchEntry.objects.filter(kind="contribution").exists()


def test_tags_and_themes_changed_later_are_found(community):
    contribution = ContributionFactory(community=community, title="Iets")
    contribution.tags.add("regenton")
    contribution.themes.add(ThemeFactory(title="Klimaatadaptatie"))
    assert titles("regenton") == ["Iets"]
    assert titles("klimaatadaptatie", kind="contribution") == ["Iets"]


def test_only_published_and_cancelled_meetups_are_found(community):
    draft = MeetupFactory(community=community, title="Snoeicursus", status=Meetup.Status.DRAFT)
    assert titles("snoeicursus") == []
    draft.status = Meetup.Status.PUBLISHED
    draft.save()
    assert titles("snoeicursus") == ["Snoeicursus"]


def test_an_article_is_found_after_publishing_and_gone_after_unpublishing(db):
    article = article_create("Wat de energiecafés ons leerden", publish=False)
    assert titles("energiecafés") == []
    article.save_revision().publish()
    assert titles("energiecafés") == ["Wat de energiecafés ons leerden"]
    article.refresh_from_db()
    article.unpublish()
    assert titles("energiecafés") == []


def test_a_live_dossier_is_found_by_its_sections(db):
    theme = ThemeFactory(title="Isoleren")
    dossier_create(theme)
    assert "Dossier: Isoleren" in titles("tochtstrips")


def test_rebuild_is_idempotent_and_repairs_what_signals_missed(community):
    ContributionFactory(community=community, title="Zwerfafval")
    before = sorted(SearchEntry.objects.values_list("kind", "object_id", "title"))
    # A write that sends no signal (QuerySet.update) leaves the row stale ...
    Contribution.objects.update(title="Zwerfvuil opruimen")
    SearchEntry.objects.filter(kind="theme").delete()
    call_command("search_rebuild", stdout=None)
    assert titles("zwerfvuil") == ["Zwerfvuil opruimen"]
    after = sorted(SearchEntry.objects.values_list("kind", "object_id"))
    assert after == sorted((kind, pk) for kind, pk, _title in before)
    search_rebuild()
    assert sorted(SearchEntry.objects.values_list("kind", "object_id")) == after


def test_a_renamed_theme_is_found_on_what_carries_it(community, django_capture_on_commit_callbacks):
    theme = ThemeFactory(title="Groen")
    ContributionFactory(community=community, title="Geveltuin", themes=[theme])
    theme.title = "Vergroening"
    with django_capture_on_commit_callbacks(execute=True):
        theme.save()
    assert titles("vergroening", kind="contribution") == ["Geveltuin"]


def test_a_deleted_page_leaves_the_index(db):
    article = article_create("Leesbevordering in de wijk")
    assert titles("leesbevordering") == ["Leesbevordering in de wijk"]
    article.delete()
    assert titles("leesbevordering") == []


def test_a_view_restriction_hides_the_page_and_everything_under_it(db):
    from wagtail.models import PageViewRestriction

    from knowledge.models import ArticleIndexPage

    article_create("Voorlezen aan peuters")
    assert titles("voorlezen") == ["Voorlezen aan peuters"]
    restriction = PageViewRestriction.objects.create(
        page=ArticleIndexPage.objects.get(), restriction_type=PageViewRestriction.LOGIN
    )
    assert titles("voorlezen") == []
    restriction.delete()
    assert titles("voorlezen") == ["Voorlezen aan peuters"]


def test_a_page_moved_under_a_restricted_page_leaves_search_and_moved_back_returns(db):
    from wagtail.models import Page, PageViewRestriction

    from knowledge.models import ArticleIndexPage

    article = article_create("Taalcafé voor nieuwkomers")
    index = ArticleIndexPage.objects.get()
    closed = index.get_parent().add_child(
        instance=ArticleIndexPage(title="Alleen voor medewerkers", slug="medewerkers")
    )
    PageViewRestriction.objects.create(page=closed, restriction_type=PageViewRestriction.LOGIN)
    Page.objects.get(pk=article.pk).move(closed, pos="last-child")
    assert titles("taalcafé") == []
    # Fresh from the database: treebeard moves by the stored tree, not by stale objects.
    Page.objects.get(pk=article.pk).move(Page.objects.get(pk=index.pk), pos="last-child")
    entry = SearchEntry.objects.get(kind="article", object_id=article.pk)
    assert titles("taalcafé") == ["Taalcafé voor nieuwkomers"]
    assert entry.url.endswith("/taalcafe-voor-nieuwkomers/")
