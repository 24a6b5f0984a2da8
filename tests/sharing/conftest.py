"""A small site with public and private content for the sharing tests: what may travel and
what must not."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from communities.models import Community
from knowledge.models import Contribution
from meetups.models import Meetup
from tests.communities.factories import CommunityFactory, LibraryFactory, UserFactory
from tests.knowledge.factories import CommentFactory, ContributionFactory, article_create
from tests.meetups.factories import MeetupFactory


class HeadParser(HTMLParser):
    """The <meta>, <link> and JSON-LD <script> elements of a page's <head>."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.links: list[dict[str, str]] = []
        self.jsonld: list[str] = []
        self._in_head = False
        self._in_jsonld = False
        self._script = ""

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "head":
            self._in_head = True
        elif tag == "meta":
            key = attributes.get("property") or attributes.get("name")
            if key and self._in_head:
                self.meta.setdefault(key, []).append(attributes.get("content", ""))
        elif tag == "link" and self._in_head:
            self.links.append(attributes)
        elif tag == "script" and attributes.get("type") == "application/ld+json":
            self._in_jsonld = True
            self._script = ""

    def handle_endtag(self, tag):
        if tag == "head":
            self._in_head = False
        elif tag == "script" and self._in_jsonld:
            self.jsonld.append(self._script)
            self._in_jsonld = False

    def handle_data(self, data):
        if self._in_jsonld:
            self._script += data

    def one(self, key: str) -> str:
        values = self.meta.get(key, [])
        assert len(values) == 1, f"{key}: {values}"
        return values[0]

    def canonical(self) -> str:
        found = [link["href"] for link in self.links if link.get("rel") == "canonical"]
        assert len(found) == 1, found
        return found[0]

    def hreflang(self) -> dict[str, str]:
        return {
            link["hreflang"]: link["href"]
            for link in self.links
            if link.get("rel") == "alternate" and link.get("hreflang")
        }


def head_of(response) -> HeadParser:
    assert response.status_code == 200, response.status_code
    parser = HeadParser()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def site(db, theme):
    """Public and private content side by side."""
    library = LibraryFactory(
        name="Bibliotheek Midden-Brabant",
        contact_email="info@bibliotheek.example.org",
        website="https://www.bibliotheek.example.org",
    )
    theme.intro = "Samen je huis verduurzamen."
    theme.image = Image.objects.create(title="Dak", file=get_test_image_file())
    theme.image_alt = "Buren leggen zonnepanelen op een dak"
    theme.save()
    author = UserFactory(
        display_name="Fien de Vries", handle="fien", findable=True, bio="Ik weet veel van daken."
    )
    shy = UserFactory(display_name="Stil Lid", handle="stil", findable=False)
    public = CommunityFactory(
        title="Energie Noord", slug="energie-noord", library=library, themes=[theme]
    )
    private = CommunityFactory(
        title="Besloten kring",
        slug="besloten-kring",
        library=library,
        visibility=Community.Visibility.PRIVATE,
        description="Geheime plannen van de kring.",
    )
    contribution = ContributionFactory(
        community=public,
        author=author,
        title="Zonnepanelen op een plat dak",
        body="Hoeveel **panelen** passen er op een plat dak?",
        tags=["zonnepanelen"],
        themes=[theme],
    )
    CommentFactory(contribution=contribution, body="Twaalf bij ons.")
    CommentFactory(contribution=contribution, body="Wacht op goedkeuring.", status="pending")
    secret = ContributionFactory(
        community=private,
        author=author,
        title="Geheim plan",
        body="Alleen voor de kring.",
        tags=["kringgeheim"],
    )
    hidden = ContributionFactory(
        community=public,
        title="Verborgen spam",
        status=Contribution.Status.HIDDEN,
        tags=["spamwoord"],
    )
    pending = ContributionFactory(
        community=public, title="Wacht nog", status=Contribution.Status.PENDING
    )
    meetup = MeetupFactory(title="Zonnepanelenavond", community=public)
    private_meetup = MeetupFactory(title="Kringavond", community=private)
    draft = MeetupFactory(title="Concept-avond", community=public, status=Meetup.Status.DRAFT)
    article = article_create("Wat de energiecafés ons leerden", themes=[theme])
    return {
        "library": library,
        "theme": theme,
        "author": author,
        "shy": shy,
        "public": public,
        "private": private,
        "contribution": contribution,
        "secret": secret,
        "hidden": hidden,
        "pending": pending,
        "meetup": meetup,
        "private_meetup": private_meetup,
        "draft": draft,
        "article": article,
    }
