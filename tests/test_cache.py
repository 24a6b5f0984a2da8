"""The anonymous page cache: what is served from it, to whom, and that every change shows on the
very next request. Runs against local memory, and against real Redis when REDIS_URL is set."""

from __future__ import annotations

import os

import pytest
from django.apps import apps
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db.models.signals import post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.urls import path
from django.views.decorators.cache import never_cache
from wagtail.rich_text import RichText

from kenniscloud.common import receivers
from kenniscloud.common.cache import generation_bump
from kenniscloud.common.middleware import HEADER
from kenniscloud.common.receivers import PRIVATE_MODELS
from knowledge import services
from knowledge.models import ArticleIndexPage, ArticlePage, HomePage, ThemeDossier
from tests.html import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["locmem", pytest.param("redis", marks=pytest.mark.redis)])
def page_cache(request, settings):
    """The page cache switched on, on a cache of its own and a fresh generation."""
    if request.param == "redis":
        # What production runs (settings/base.py).
        location, backend = settings.REDIS_URL, "kenniscloud.common.redis_cache.FailSoftRedisCache"
    else:
        location, backend = "page-cache-tests", "django.core.cache.backends.locmem.LocMemCache"
    settings.CACHES = {
        "default": {
            "BACKEND": backend,
            "LOCATION": location,
            # Apart from whatever else uses this Redis, and from earlier runs.
            "KEY_PREFIX": f"kc-page-cache-tests-{os.getpid()}",
        }
    }
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300
    generation_bump()
    return request.param


@pytest.fixture
def home():
    return HomePage.objects.get()


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def _publish(page_or_snippet, **changes):
    for field, value in changes.items():
        setattr(page_or_snippet, field, value)
    page_or_snippet.save_revision().publish()


# --- What is served from the cache ------------------------------------------------------------


def test_second_anonymous_request_is_served_from_cache_without_queries(
    page_cache, client, home, django_assert_num_queries
):
    first = _get(client, "/")
    assert first[HEADER] == "miss"

    with django_assert_num_queries(0):
        second = _get(client, "/")

    assert second[HEADER] == "hit"
    assert second.content == first.content
    assert "Cookie" in second["Vary"]


@pytest.mark.parametrize("url", ["/themas/", "/themas/duurzaam-wonen/"])
def test_theme_pages_are_cached(page_cache, client, theme, url):
    _get(client, url)

    assert _get(client, url)[HEADER] == "hit"


def test_language_versions_are_cached_apart(page_cache, client, home):
    for _round in range(2):
        assert 'lang="nl"' in _get(client, "/").content.decode()
        assert 'lang="en"' in _get(client, "/en/").content.decode()

    assert _get(client, "/en/")[HEADER] == "hit"


def test_query_strings_are_cached_apart(page_cache, client, theme):
    _get(client, "/themas/")

    assert _get(client, "/themas/?a=1")[HEADER] == "miss"


def test_not_found_is_never_cached(page_cache, client, home):
    for _round in range(2):
        response = client.get("/bestaat-niet/")
        assert response.status_code == 404
        assert HEADER not in response


def test_other_pages_are_not_cached(page_cache, client, community):
    for _round in range(2):
        assert HEADER not in _get(client, "/zoeken/?q=energie")


def test_off_when_the_lifetime_is_zero(page_cache, settings, client, home):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 0

    for _round in range(2):
        assert HEADER not in _get(client, "/")


# --- Who gets a cached page -------------------------------------------------------------------


def test_logged_in_members_never_get_or_leave_a_cached_page(page_cache, member, outsider, home):
    anonymous, mila, otto = Client(), Client(), Client()
    mila.force_login(member)
    otto.force_login(outsider)
    _get(anonymous, "/")  # cached now

    for _round in range(2):
        mine = _get(mila, "/")
        assert HEADER not in mine
        assert "Mila Member" in page_text(mine)
        theirs = _get(otto, "/")
        assert "Otto Outsider" in page_text(theirs)
        assert "Mila Member" not in page_text(theirs)

    assert "Mila Member" not in page_text(_get(anonymous, "/"))


def test_anonymous_visitor_with_a_session_cookie_gets_the_cached_page(page_cache, client, home):
    _get(Client(), "/")
    client.cookies["sessionid"] = "expired-or-logged-out"

    assert _get(client, "/")[HEADER] == "hit"


def test_a_page_with_a_message_is_neither_served_from_nor_stored_in_cache(page_cache, home):
    _get(Client(), "/")
    with_message = Client()
    storage = CookieStorage(RequestFactory().get("/"))
    with_message.cookies["messages"] = storage._encode([Message(constants.INFO, "Tot ziens!")])

    response = _get(with_message, "/")

    assert HEADER not in response
    assert "Tot ziens!" in page_text(response)
    assert "Tot ziens!" not in page_text(_get(Client(), "/"))


def _plain(request):
    return HttpResponse("Gewoon een pagina.")


def _with_csrf_token(request):
    return HttpResponse(f'<form method="post"><input name="t" value="{get_token(request)}"></form>')


def _sets_a_cookie(request):
    response = HttpResponse("Welkom terug.")
    response.set_cookie("gezien", "1")
    return response


@never_cache
def _private(request):
    return HttpResponse("Alleen voor jou.")


urlpatterns = [
    path("gewoon/", _plain, name="plain"),
    path("formulier/", _with_csrf_token, name="token"),
    path("koekje/", _sets_a_cookie, name="cookie"),
    path("prive/", _private, name="private"),
]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("url", "cached"),
    [("/gewoon/", True), ("/formulier/", False), ("/koekje/", False), ("/prive/", False)],
)
def test_pages_that_hold_or_set_state_are_never_stored(page_cache, settings, client, url, cached):
    settings.ANONYMOUS_PAGE_CACHE_VIEWS = {"plain", "token", "cookie", "private"}
    _get(client, url)

    assert (_get(Client(), url).get(HEADER) == "hit") is cached


def test_anonymous_pages_carry_no_csrf_token(page_cache, client, home):
    response = _get(client, "/")

    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert "csrftoken" not in response.cookies


# --- Every change shows on the next request ---------------------------------------------------


def test_home_page_publish_shows_on_the_next_request(page_cache, client, home):
    _get(client, "/")

    _publish(home, title="Welkom bij KennisCloud Tilburg")

    response = _get(client, "/")
    assert response[HEADER] == "miss"
    assert "Welkom bij KennisCloud Tilburg" in page_text(response)


@pytest.fixture
def article(home):
    index = ArticleIndexPage.objects.first() or home.add_child(
        instance=ArticleIndexPage(title="Artikelen", slug="artikelen")
    )
    return index.add_child(
        instance=ArticlePage(
            title="Zo isoleer je een jaren-30-woning",
            slug="isoleren",
            summary="Wat bewoners leerden.",
            body=[("paragraph", RichText("<p>Begin bij de vloer.</p>"))],
        )
    )


def test_article_publish_unpublish_and_delete_show_on_the_next_request(page_cache, client, article):
    url = article.url
    assert "Zo isoleer je" in page_text(_get(client, url))

    _publish(article, title="Isoleren: wat het kost")
    assert "Isoleren: wat het kost" in page_text(_get(client, url))

    article.unpublish()
    assert client.get(url).status_code == 404

    _publish(article)
    _get(client, url)
    article.delete()
    assert client.get(url).status_code == 404


def test_dossier_publish_shows_on_the_next_request(page_cache, client, theme):
    dossier = ThemeDossier.objects.create(
        theme=theme, introduction=[("paragraph", RichText("<p>Eerste versie.</p>"))]
    )
    url = f"/themas/{theme.slug}/"
    assert "Eerste versie." in page_text(_get(client, url))

    _publish(dossier, introduction=[("paragraph", RichText("<p>Nagekeken en aangevuld.</p>"))])

    text = page_text(_get(client, url))
    assert "Nagekeken en aangevuld." in text
    assert "Eerste versie." not in text


def test_new_and_hidden_contributions_show_on_the_next_request(
    page_cache, client, theme, community, membership, host, home
):
    urls = ["/", f"/themas/{theme.slug}/", "/en/", f"/en/themas/{theme.slug}/"]
    for url in urls:
        _get(client, url)

    contribution = services.contribution_create(
        author=membership.user,
        community=community,
        kind="question",
        title="Wie deelt een warmtecamera?",
        body="Voor de hele straat.",
    )
    for url in urls:
        assert "Wie deelt een warmtecamera?" in page_text(_get(client, url)), url

    services.contribution_set_status(by=host, contribution=contribution, status="hidden")
    for url in urls:
        assert "Wie deelt een warmtecamera?" not in page_text(_get(client, url)), url


def test_every_model_a_public_page_may_show_invalidates_the_cache():
    """Models added to the content apps later are covered without anyone remembering."""
    for app_label in ("communities", "knowledge", "meetups"):
        for model in apps.get_app_config(app_label).get_models():
            if model._meta.label_lower in PRIVATE_MODELS:
                continue
            sync_receivers, _async_receivers = post_save._live_receivers(model)
            assert receivers._on_save in sync_receivers, model._meta.label


# --- The language switch and the bare view ----------------------------------------------------


def test_language_switch_links_to_the_same_page_in_the_other_language(client, theme):
    content = _get(client, f"/themas/{theme.slug}/?pagina=2").content.decode()

    assert f'href="/en/themas/{theme.slug}/?pagina=2"' in content
    assert 'hreflang="en"' in content
    english = _get(client, f"/en/themas/{theme.slug}/").content.decode()
    assert f'href="/themas/{theme.slug}/"' in english


def test_health_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/gezond/")

    assert response.status_code == 200
    assert response.content == b"ok"
