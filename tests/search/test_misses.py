"""Searches that found nothing: counted without who asked, listed for librarians in /cms/
(Zoeken > Niet gevonden), forgotten a year after they were last asked."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from wagtail.models import ModelLogEntry

from communities.selectors import LIBRARIAN_GROUP
from search import tasks
from search.models import SearchMiss
from search.services import search_miss_record
from tests.communities.factories import UserFactory
from tests.html import page_text
from tests.knowledge.factories import ContributionFactory
from tests.mfa import admin_login

pytestmark = pytest.mark.django_db

LISTING = "/cms/zoeken/niet-gevonden/"


def misses() -> dict[str, int]:
    return dict(SearchMiss.objects.values_list("query", "count"))


# --- Counting -----------------------------------------------------------------------------------


def test_a_search_without_results_is_counted_normalised(client, clock):
    clock.set("2026-03-02T10:00")
    client.get("/zoeken/?q=Xylofoon  Reparatie")
    clock.set("2026-03-05T21:30")
    response = client.get("/zoeken/", {"q": " xylofoon reparatie "})

    assert "Niets gevonden" in page_text(response)
    miss = SearchMiss.objects.get()
    assert (miss.query, miss.count) == ("xylofoon reparatie", 2)
    assert miss.first_seen == dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    assert miss.last_seen == dt.datetime(2026, 3, 5, 20, 30, tzinfo=dt.UTC)


def test_a_search_with_results_is_not_counted(client, community):
    ContributionFactory(community=community, title="Moestuin in de wijk", body="Zaaien.")

    client.get("/zoeken/?q=moestuin")

    assert misses() == {}


@pytest.mark.parametrize("query", ["", "ab", " a  b ", "xy "])
def test_short_queries_are_not_counted(client, query):
    client.get("/zoeken/", {"q": query})

    assert misses() == {}


def test_long_queries_are_capped(client):
    client.get("/zoeken/", {"q": "xylofoon " * 40})

    (query,) = misses()
    assert len(query) <= 100 and query.startswith("xylofoon xylofoon")


def test_only_the_plain_first_page_is_counted_not_filters_or_suggestions(client):
    client.get("/zoeken/?q=xylofoon&pagina=2")
    client.get("/zoeken/?q=xylofoon&soort=meetup")
    client.get("/zoeken/suggesties/?q=xylofoon")
    assert misses() == {}

    client.get("/zoeken/?q=xylofoon&volgorde=nieuwste&pagina=1")
    assert misses() == {"xylofoon": 1}


def test_nothing_about_who_asked_is_stored(client, member):
    client.force_login(member)
    client.get("/zoeken/?q=xylofoon", REMOTE_ADDR="203.0.113.7")

    fields = {f.name for f in SearchMiss._meta.get_fields()}
    assert fields == {"id", "query", "count", "first_seen", "last_seen"}
    (row,) = SearchMiss.objects.values()
    stored = " ".join(str(value) for value in row.values())
    for personal in (member.email, member.handle, "203.0.113.7", client.session.session_key):
        assert personal not in stored


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_misses_are_all_counted_by_the_database():
    threads, per_thread = 8, 25
    start = threading.Barrier(threads)
    errors: list[BaseException] = []

    def search():
        try:
            start.wait(5)
            for _ in range(per_thread):
                search_miss_record(query="Wie repareert een draaiorgel")
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=search) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)

    assert errors == []
    assert misses() == {"wie repareert een draaiorgel": threads * per_thread}


# --- Retention ----------------------------------------------------------------------------------


def test_misses_not_asked_for_a_year_are_deleted_by_the_beat_task(clock):
    now = clock.set("2026-12-07T04:30")
    search_miss_record(query="oud en vergeten", now=now - dt.timedelta(days=366))
    search_miss_record(query="nog gevraagd", now=now - dt.timedelta(days=400))
    search_miss_record(query="nog gevraagd", now=now - dt.timedelta(days=364))
    search_miss_record(query="van gisteren", now=now - dt.timedelta(days=1))

    assert tasks.search_miss_purge.delay().get() == 1

    assert misses() == {"nog gevraagd": 2, "van gisteren": 1}


def test_the_purge_is_scheduled(settings):
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "search.tasks.search_miss_purge" in tasks_scheduled


# --- The admin ----------------------------------------------------------------------------------


@pytest.fixture
def counted(clock):
    now = clock.set("2026-12-07T12:00")
    for query, count, days_ago in (
        ("zeldzaam", 1, 0),
        ("draaiorgel", 5, 30),
        ("kippenhok", 5, 2),
    ):
        for _ in range(count):
            search_miss_record(query=query, now=now - dt.timedelta(days=days_ago))
    return now


QUERIES = ("zeldzaam", "draaiorgel", "kippenhok")


def _rows(response) -> list[str]:
    """The queries in the listing, in the order shown."""
    text = page_text(response)
    return sorted((q for q in QUERIES if q in text), key=text.find)


def test_a_librarian_sees_the_misses_most_asked_first(client, librarian, counted):
    admin_login(client, librarian)

    home = client.get("/cms/")
    assert "Niet gevonden" in home.content.decode() and "Zoeken" in home.content.decode()
    response = client.get(LISTING)

    assert response.status_code == 200
    # By count, then the most recently asked.
    assert _rows(response) == ["kippenhok", "draaiorgel", "zeldzaam"]
    content = response.content.decode()
    assert f"{LISTING}new/" not in content and f"{LISTING}edit/" not in content


def test_the_listing_has_a_search_box_and_a_date_filter(client, librarian, counted):
    admin_login(client, librarian)

    assert _rows(client.get(LISTING, {"q": "kippen"})) == ["kippenhok"]
    week_ago = (counted - dt.timedelta(days=7)).date().isoformat()
    assert _rows(client.get(LISTING, {"last_seen_from": week_ago})) == [
        "kippenhok",
        "zeldzaam",
    ]


def test_nobody_adds_or_edits_a_miss_not_even_a_superuser(client, admin_user, counted):
    admin_login(client, admin_user)
    pk = SearchMiss.objects.get(query="zeldzaam").pk

    assert client.get(LISTING).status_code == 200
    assert client.get(f"{LISTING}new/").status_code in (302, 403)
    client.post(f"{LISTING}edit/{pk}/", {"query": "aangepast", "count": 99})

    assert misses()["zeldzaam"] == 1 and "aangepast" not in misses()


def test_a_librarian_dismisses_a_miss_that_was_answered(client, librarian, counted):
    admin_login(client, librarian)
    pk = SearchMiss.objects.get(query="draaiorgel").pk

    client.post(f"{LISTING}delete/{pk}/")

    assert "draaiorgel" not in misses()
    # Nor kept in Wagtail's log beyond the year of retention.
    assert not ModelLogEntry.objects.filter(label__icontains="draaiorgel").exists()


def test_librarians_are_granted_view_and_delete_only():
    codenames = set(
        Group.objects.get(name=LIBRARIAN_GROUP)
        .permissions.filter(content_type__app_label="search")
        .values_list("codename", flat=True)
    )
    assert codenames == {"view_searchmiss", "delete_searchmiss"}
    assert Permission.objects.filter(codename="add_searchmiss").exists()


def test_a_resident_is_refused(client, counted):
    resident = UserFactory()
    client.force_login(resident)

    response = client.get(LISTING)

    assert response.status_code == 403
    assert "draaiorgel" not in response.content.decode()
