"""The API shows what an anonymous visitor of the site sees, and nothing more.

The walk reads the endpoints from the OpenAPI document, so an endpoint added later is walked
too (or the test says it does not know how to reach it).
"""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from knowledge.models import Contribution
from knowledge.services import contribution_set_status
from tests.communities.factories import UserFactory

from .conftest import SECRET

PARAMETER = re.compile(r"\{(\w+)\}")


def _get(client: Client, url: str, **params):
    response = client.get(url, params)
    assert response["Content-Type"].startswith("application/json"), url
    return response


def _pages(client: Client, url: str, **params) -> list[dict]:
    """Every item of a list endpoint, following the cursors (or the plain list)."""
    items: list[dict] = []
    cursor = None
    for _page in range(100):
        query = dict(params, limit=50) if cursor is None else dict(params, limit=50, cursor=cursor)
        response = _get(client, url, **query)
        assert response.status_code == 200, (url, response.content)
        body = response.json()
        if isinstance(body, list):
            return body
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items
    raise AssertionError(f"{url}: more than 100 pages")


def _list_params(path: str) -> list[dict]:
    # The agenda has two halves; every other list one.
    return [{"when": "upcoming"}, {"when": "past"}] if path == "/api/v1/meetups/" else [{}]


def test_walk_every_endpoint_as_anonymous_shows_no_private_content(client, world):
    schema = client.get("/api/v1/openapi.json").json()
    paths = list(schema["paths"])
    list_paths = [p for p in paths if not PARAMETER.search(p)]
    detail_paths = [p for p in paths if PARAMETER.search(p)]
    assert len(list_paths) >= 5 and len(detail_paths) >= 5

    seen_text: list[str] = []
    comment_ids: set[int | None] = set()
    items_by_list: dict[str, list[dict]] = {}
    for path in list_paths:
        for params in _list_params(path):
            items = _pages(client, path, **params)
            items_by_list.setdefault(path, []).extend(items)
            seen_text.append(json.dumps(items))

    for path in detail_paths:
        parent = PARAMETER.split(path)[0]
        name = PARAMETER.search(path).group(1)
        assert parent in items_by_list, f"{path}: no list endpoint to take its {name} from"
        key = "slug" if name == "slug" else "id"
        assert items_by_list[parent], f"{parent} lists nothing to open with {path}"
        for item in items_by_list[parent]:
            response = _get(client, PARAMETER.sub(str(item[key]), path))
            assert response.status_code == 200, (path, item[key], response.content)
            seen_text.append(response.content.decode())
            for comment in response.json().get("comments", []):
                comment_ids.add(comment["id"])
                comment_ids.add(comment["reply_to"])
        # What is private, hidden, pending, a draft or restricted: as if it did not exist.
        for secret in world.secret_ids.get(parent, []):
            response = _get(client, PARAMETER.sub(str(secret), path))
            assert response.status_code == 404, (path, secret)
            assert SECRET not in response.content.decode()

    everything = "\n".join(seen_text)
    assert SECRET not in everything
    # No contact details of members, whoever they are.
    assert "anna.geheim@example.org" not in everything
    assert "06-12345678" not in everything
    assert "anna.example.org" not in everything
    # Deleted, hidden and pending comments: not even their ids.
    assert comment_ids - {None} == set(world.shown_comment_ids)

    # ... and it did show the public content, so the walk could have found a leak.
    titles = {item.get("title") for items in items_by_list.values() for item in items}
    assert {
        "Hoe isoleer ik mijn spouwmuur?",
        # On request means a host approves new members; what they write is public on the site.
        "Samen wonen, hoe begin je?",
        "Energiecafé",
        "Terugblik",
        "Wat de energiecafés ons leerden",
        "Energie Noord",
        "Woongroep Zuid",
        "Duurzaam wonen",
    } <= titles


def test_contribution_detail_shows_visible_comments_and_public_names(client, world):
    contribution = world.public_contribution
    body = client.get(f"/api/v1/contributions/{contribution.pk}/").json()
    assert [c["id"] for c in body["comments"]] == world.shown_comment_ids
    visible, reply = body["comments"]
    assert visible["reply_to"] is None
    # The reply to a deleted comment stands on its own: the deleted one's id is not published.
    assert reply["reply_to"] is None
    assert body["comment_count"] == 2
    assert body["author"] == {"name": "Anna Auteur", "profile_url": "http://testserver/leden/anna/"}
    assert body["tags"] == ["isolatie"]
    assert body["themes"] == [{"slug": "duurzaam-wonen", "title": "Duurzaam wonen"}]
    assert "<strong>ervaring</strong>" in body["body_html"]


def test_deleted_member_shows_as_the_site_shows_them(client, world):
    body = client.get(f"/api/v1/contributions/{world.on_request_contribution.pk}/").json()
    assert body["author"] == {"name": "Verwijderd lid", "profile_url": None}
    # A member gone entirely (author set to NULL) is "een oud-lid": null.
    Contribution.objects.filter(pk=world.on_request_contribution.pk).update(author=None)
    body = client.get(f"/api/v1/contributions/{world.on_request_contribution.pk}/").json()
    assert body["author"] is None


def test_hidden_contribution_disappears_at_once(client, world, host_of_open_community):
    """Nothing is cached: the answer after a hide no longer has it (list and detail)."""
    contribution = world.public_contribution
    listed = [c["id"] for c in client.get("/api/v1/contributions/").json()["items"]]
    assert contribution.pk in listed
    assert client.get(f"/api/v1/contributions/{contribution.pk}/").status_code == 200

    contribution_set_status(
        by=host_of_open_community, contribution=contribution, status=Contribution.Status.HIDDEN
    )

    listed = [c["id"] for c in client.get("/api/v1/contributions/").json()["items"]]
    assert contribution.pk not in listed
    assert client.get(f"/api/v1/contributions/{contribution.pk}/").status_code == 404


def test_a_logged_in_member_gets_the_public_answer_too(client, world):
    """The API reads as an anonymous visitor whoever calls it: a session does not widen it."""
    member = UserFactory()
    from tests.communities.factories import MembershipFactory

    MembershipFactory(user=member, community=world.private_community)
    client.force_login(member)
    body = client.get("/api/v1/contributions/").content.decode()
    assert SECRET not in body
    assert client.get(f"/api/v1/communities/{world.private_community.slug}/").status_code == 404


@pytest.fixture
def host_of_open_community(world):
    from communities.models import Membership
    from tests.communities.factories import MembershipFactory

    return MembershipFactory(community=world.open_community, role=Membership.Role.HOST).user
