"""The editorial workflow: nothing goes live until a second librarian approves it."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Workflow, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from communities.selectors import LIBRARIAN_GROUP
from knowledge.models import ArticleIndexPage, ArticlePage, HomePage, ThemeDossier
from tests.communities.factories import UserFactory
from tests.html import page_text
from tests.knowledge.factories import dossier_create
from tests.mfa import admin_login

pytestmark = pytest.mark.django_db

TITLE = "Zo isoleer je een jaren-zestigwoning"


@pytest.fixture
def second_librarian(db):
    user = UserFactory(display_name="Sam Second", handle="sam")
    user.groups.add(Group.objects.get(name=LIBRARIAN_GROUP))
    return user


@pytest.fixture
def home_with_articles():
    """The home page with a 'latest articles' block, as the demo sets it up."""
    home = HomePage.objects.get()
    home.body = [{"type": "latest_articles", "value": {"heading": "Artikelen", "limit": 6}}]
    home.save_revision().publish()
    return home


def _article_form(theme, **overrides) -> dict:
    data = {
        "title": TITLE,
        "slug": "isoleren-jaren-zestig",
        "summary": "Wat bewoners leerden over isoleren.",
        "author": "Lotte",
        "body": streamfield([("paragraph", rich_text("<p>Begin bij de kieren.</p>"))]),
        "related_links": inline_formset([]),
        "comments": inline_formset([]),
    }
    data.update(overrides)
    # A multiple choice is a repeated key, which nested_form_data would number instead.
    return {**nested_form_data(data), "themes": [theme.pk]}


def _submit_new_article(client, librarian, theme):
    admin_login(client, librarian)
    index = ArticleIndexPage.objects.get()
    url = reverse("wagtailadmin_pages:add", args=("knowledge", "articlepage", index.pk))
    response = client.post(url, {**_article_form(theme), "action-submit": "Ter beoordeling"})
    assert response.status_code == 302, page_text(response)
    return ArticlePage.objects.get(slug="isoleren-jaren-zestig")


def _approve_url(page, task_state) -> str:
    return reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk))


def _public_sees(client, url, theme) -> dict[str, bool]:
    client.logout()
    return {
        "article": client.get(url).status_code == 200,
        "index": TITLE in page_text(client.get("/artikelen/")),
        "home": TITLE in page_text(client.get("/")),
        "dossier": TITLE in page_text(client.get(f"/themas/{theme.slug}/")),
    }


def test_migration_sets_up_the_workflow():
    workflow = Workflow.objects.get(name="Tweede bibliothecaris")
    home = HomePage.objects.get()

    assert workflow.active
    assert home.get_workflow() == workflow
    assert ArticleIndexPage.objects.get().get_workflow() == workflow
    assert ThemeDossier.get_default_workflow() == workflow
    assert not Workflow.objects.filter(name="Moderators approval", active=True).exists()
    assert ArticleIndexPage.objects.get().url_path.endswith("/artikelen/")


def test_second_librarian_approves_and_the_article_goes_live(
    client, librarian, second_librarian, theme, home_with_articles
):
    page = _submit_new_article(client, librarian, theme)
    state = WorkflowState.objects.get(object_id=str(page.pk))
    task_state = state.current_task_state
    url = "/artikelen/isoleren-jaren-zestig/"

    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert not page.live
    assert _public_sees(client, url, theme) == dict.fromkeys(
        ["article", "index", "home", "dossier"], False
    )

    # The librarian who submitted sees no approve action, and a posted approval is refused.
    admin_login(client, librarian)
    assert task_state.task.specific.get_actions(page, librarian) == []
    client.post(_approve_url(page, task_state))
    page.refresh_from_db()
    assert not page.live
    with pytest.raises(PermissionDenied):
        task_state.task.specific.on_action(task_state.specific, librarian, "approve")
    assert _public_sees(client, url, theme)["article"] is False

    # The second librarian finds it waiting and approves it.
    admin_login(client, second_librarian)
    assert TITLE in page_text(client.get("/cms/"))
    response = client.post(_approve_url(page, task_state))
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live

    # Visible on the very next request, everywhere.
    assert _public_sees(client, url, theme) == dict.fromkeys(
        ["article", "index", "home", "dossier"], True
    )


def test_a_librarian_cannot_publish_an_article_directly(client, librarian, theme):
    admin_login(client, librarian)
    index = ArticleIndexPage.objects.get()
    url = reverse("wagtailadmin_pages:add", args=("knowledge", "articlepage", index.pk))

    form = client.get(url)
    client.post(url, {**_article_form(theme), "action-publish": "Publiceren"})

    assert 'name="action-publish"' not in form.content.decode()
    assert not ArticlePage.objects.filter(live=True).exists()


def test_a_draft_is_never_public(client, librarian, theme, home_with_articles):
    admin_login(client, librarian)
    index = ArticleIndexPage.objects.get()
    url = reverse("wagtailadmin_pages:add", args=("knowledge", "articlepage", index.pk))
    client.post(url, _article_form(theme))  # Save as draft.

    page = ArticlePage.objects.get(slug="isoleren-jaren-zestig")
    assert not page.live
    assert _public_sees(client, "/artikelen/isoleren-jaren-zestig/", theme) == dict.fromkeys(
        ["article", "index", "home", "dossier"], False
    )
    # The author previews it in the admin.
    admin_login(client, librarian)
    preview = client.get(reverse("wagtailadmin_pages:view_draft", args=(page.pk,)))
    assert TITLE in page_text(preview)


def test_scheduled_article_appears_only_after_publish_scheduled(client, theme, librarian):
    from tests.knowledge.factories import article_create

    page = article_create("Later te lezen", themes=[theme], publish=False)
    page.go_live_at = timezone.now() + timedelta(hours=1)
    page.save_revision(user=librarian).publish(user=librarian)
    page.refresh_from_db()

    assert not page.live
    assert client.get(page.url).status_code == 404

    # An hour and a bit later, the scheduler (cron or Celery beat) runs.
    later = timezone.now() + timedelta(hours=1, minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled")

    assert client.get("/artikelen/later-te-lezen/").status_code == 200


def test_dossier_changes_wait_for_the_second_librarian(client, librarian, second_librarian, theme):
    dossier = dossier_create(theme)
    draft = dossier.get_latest_revision_as_object()
    draft.introduction = [{"type": "paragraph", "value": "<p>Nieuw inzicht.</p>"}]
    revision = draft.save_revision(user=librarian)
    workflow = dossier.get_workflow()
    workflow.start(dossier, librarian)
    state = dossier.current_workflow_state
    task_state = state.current_task_state.specific
    task = task_state.task.specific

    assert revision.pk == task_state.revision_id
    assert task.get_actions(dossier, librarian) == []
    assert "Nieuw inzicht." not in page_text(client.get(f"/themas/{theme.slug}/"))

    task.on_action(task_state, second_librarian, "approve")

    assert "Nieuw inzicht." in page_text(client.get(f"/themas/{theme.slug}/"))
