"""Members who opted in to being found (`User.findable`) are in search as "Mensen": by name,
expertise and region, for everyone; gone at once when they opt out, leave or are removed."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from communities.models import User
from search.models import SearchEntry
from search.selectors import search_for
from search.services import search_rebuild
from tests.communities.factories import RegionFactory, UserFactory
from tests.html import page_text

pytestmark = pytest.mark.django_db


def _findable(**kwargs) -> User:
    expertise = kwargs.pop("expertise", [])
    user = UserFactory(findable=True, **kwargs)
    if expertise:
        user.expertise.set(expertise)
    return user


def people(query: str, viewer=None) -> list[str]:
    result = search_for(viewer or AnonymousUser(), query, kind="member")
    return [h.title.replace("<mark>", "").replace("</mark>", "") for h in result.hits]


def _profile_data(user: User, **overrides) -> dict:
    data = {
        "display_name": user.display_name,
        "handle": user.handle,
        "bio": user.bio,
        "region": user.region_id or "",
        "website": "",
        "phone": "",
        "contact_visibility": user.contact_visibility,
        "language": "nl",
        "expertise": ", ".join(sorted(user.expertise.names())),
    }
    return {**data, **overrides}


@pytest.fixture
def fien(db):
    region = RegionFactory(name="Drechtsteden", slug="drechtsteden")
    return _findable(
        display_name="Fien Vindbaar",
        handle="fien",
        region=region,
        expertise=["zonnepanelen", "warmtepomp"],
    )


def test_an_opted_in_member_is_found_by_name_expertise_and_region_by_anyone(fien, outsider):
    for query in ("Fien", "vindbaar", "zonnepanelen", "warmtepomp", "Drechtsteden"):
        assert people(query) == ["Fien Vindbaar"], query
        assert people(query, viewer=outsider) == ["Fien Vindbaar"], query
    entry = SearchEntry.objects.get(kind="member", object_id=fien.pk)
    assert entry.url == "/leden/fien/"
    assert entry.community is None and entry.region == fien.region


def test_the_results_page_shows_people_with_a_link_to_the_profile(client, fien):
    response = client.get("/zoeken/?q=zonnepanelen")

    text = page_text(response)
    assert "Mensen (1)" in text and "Fien Vindbaar" in text
    content = response.content.decode()
    hits = content[content.index('<ol class="search-hits">') :]
    hits = hits[: hits.index("</ol>")]
    assert 'href="/leden/fien/"' in hits
    # When they joined is not on their profile, so not here either.
    assert "<time" not in hits


def test_a_member_who_did_not_opt_in_is_never_found(client):
    member = UserFactory(display_name="Nora Niet", handle="nora")
    member.expertise.set(["zonnepanelen"])
    member.save()
    search_rebuild()

    assert people("Nora") == [] and people("zonnepanelen") == []
    assert not SearchEntry.objects.filter(kind="member").exists()
    assert "Nora" not in page_text(client.get("/zoeken/?q=zonnepanelen"))


def test_the_bio_and_contact_details_are_not_searchable(fien):
    fien.bio = "Ik ben ook imker."
    fien.phone = "0612345678"
    fien.save()

    assert people("imker") == [] and people("0612345678") == []
    assert people("zonnepanelen") == ["Fien Vindbaar"]


def test_a_renamed_region_finds_its_members_by_the_new_name(fien):
    region = fien.region
    region.name = "Zuid-Holland Zuid"
    region.save()

    assert people("Drechtsteden") == []
    assert people("Zuid-Holland") == ["Fien Vindbaar"]


def test_opting_out_on_the_profile_leaves_search_at_once(client, fien):
    client.force_login(fien)
    response = client.post("/instellingen/profiel/", _profile_data(fien))  # unticked

    assert response.status_code == 302
    assert people("Fien") == [] and people("zonnepanelen") == []
    assert not SearchEntry.objects.filter(kind="member").exists()


def test_expertise_edited_on_the_profile_is_what_finds_them(client, fien):
    client.force_login(fien)
    client.post("/instellingen/profiel/", _profile_data(fien, findable="on", expertise="imkeren"))

    assert people("imkeren") == ["Fien Vindbaar"]
    assert people("zonnepanelen") == []


def test_a_deactivated_or_deleted_member_leaves_search(fien):
    fien.is_active = False
    fien.save()
    assert people("Fien") == []

    fien.is_active = True
    fien.save()
    assert people("Fien") == ["Fien Vindbaar"]

    fien.delete()
    assert people("Fien") == []
    assert not SearchEntry.objects.filter(kind="member").exists()


def test_logging_in_does_not_rewrite_the_row(fien, django_assert_num_queries):
    with django_assert_num_queries(1):  # the UPDATE of last_login only
        fien.save(update_fields=["last_login"])


def test_a_rebuild_keeps_findable_members_only(fien):
    UserFactory(display_name="Nora Niet")
    SearchEntry.objects.filter(kind="member").delete()

    search_rebuild()

    assert list(SearchEntry.objects.filter(kind="member").values_list("object_id", flat=True)) == [
        fien.pk
    ]
