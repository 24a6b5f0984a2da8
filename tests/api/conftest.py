"""A site with public content and, next to it, everything the API must never show.

Every piece of content that must stay out carries SECRET in its title or text; the walk
(test_visibility.py) looks for that word in every answer of every endpoint.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.utils import timezone

from communities.models import Community, User
from knowledge.models import Contribution
from meetups.models import Meetup
from tests.communities.factories import CommunityFactory, RegionFactory, ThemeFactory, UserFactory
from tests.knowledge.factories import (
    CommentFactory,
    ContributionFactory,
    article_create,
    paragraph,
)
from tests.meetups.factories import BranchFactory, MeetupFactory

SECRET = "GEHEIM"


@dataclass
class World:
    theme: object
    region: object
    open_community: Community
    on_request_community: Community
    private_community: Community
    public_contribution: Contribution
    on_request_contribution: Contribution
    public_meetup: Meetup
    public_article: object
    author: User
    deleted_author: User
    # What must never appear: (kind, id or slug) for the 404 checks of the details.
    secret_ids: dict[str, list] = field(default_factory=dict)


@pytest.fixture
def world(db) -> World:
    theme = ThemeFactory(title="Duurzaam wonen", slug="duurzaam-wonen")
    region = RegionFactory(name="Tilburg", slug="tilburg")
    author = UserFactory(
        display_name="Anna Auteur",
        handle="anna",
        email="anna.geheim@example.org",
        phone="06-12345678",
        website="https://anna.example.org",
    )
    deleted_author = UserFactory(
        display_name="Verwijderd lid", handle="verwijderd-1", is_active=False, profile_hidden=True
    )
    open_community = CommunityFactory(
        title="Energie Noord", slug="energie-noord", themes=[theme], region=region
    )
    on_request = CommunityFactory(
        title="Woongroep Zuid",
        slug="woongroep-zuid",
        visibility=Community.Visibility.ON_REQUEST,
        themes=[theme],
    )
    private = CommunityFactory(
        title=f"{SECRET} besloten kring",
        slug="geheim-besloten",
        visibility=Community.Visibility.PRIVATE,
        themes=[theme],
        region=region,
    )

    public = ContributionFactory(
        community=open_community,
        author=author,
        title="Hoe isoleer ik mijn spouwmuur?",
        tags=["isolatie"],
        themes=[theme],
    )
    on_request_contribution = ContributionFactory(
        community=on_request, author=deleted_author, title="Samen wonen, hoe begin je?"
    )
    private_contribution = ContributionFactory(
        community=private, title=f"{SECRET} in de besloten kring", tags=["isolatie"], themes=[theme]
    )
    hidden = ContributionFactory(
        community=open_community,
        title=f"{SECRET} verborgen bijdrage",
        status=Contribution.Status.HIDDEN,
        tags=["isolatie"],
        themes=[theme],
    )
    pending = ContributionFactory(
        community=open_community,
        title=f"{SECRET} wacht op goedkeuring",
        status=Contribution.Status.PENDING,
        tags=["isolatie"],
        themes=[theme],
    )
    # Comments on the public contribution: one visible, one deleted (with a visible reply),
    # one hidden, one waiting for approval; and one under the private contribution.
    visible_comment = CommentFactory(contribution=public, body="Wij hebben het laten doen.")
    deleted_comment = CommentFactory(
        contribution=public,
        body=f"{SECRET} verwijderde reactie",
        deleted_at=timezone.now(),
    )
    reply_to_deleted = CommentFactory(
        contribution=public, parent=deleted_comment, body="Een antwoord dat blijft staan."
    )
    hidden_comment = CommentFactory(
        contribution=public, body=f"{SECRET} verborgen reactie", status="hidden"
    )
    pending_comment = CommentFactory(
        contribution=public, body=f"{SECRET} reactie wacht", status="pending"
    )
    CommentFactory(contribution=private_contribution, body=f"{SECRET} reactie besloten")

    branch = BranchFactory(name="Vestiging Centrum", region=region)
    public_meetup = MeetupFactory(
        title="Energiecafé", community=open_community, branch=branch, capacity=12
    )
    public_meetup.themes.set([theme])
    past = timezone.now() - timedelta(days=30)
    MeetupFactory(title="Terugblik", starts_at=past, ends_at=past + timedelta(hours=2))
    secret_meetups = [
        MeetupFactory(title=f"{SECRET} besloten bijeenkomst", community=private),
        MeetupFactory(title=f"{SECRET} concept", status=Meetup.Status.DRAFT),
        MeetupFactory(title=f"{SECRET} voorstel", status=Meetup.Status.PROPOSED),
        MeetupFactory(title=f"{SECRET} verborgen", status=Meetup.Status.HIDDEN),
        MeetupFactory(
            title=f"{SECRET} besloten en voorbij",
            community=private,
            starts_at=past,
            ends_at=past + timedelta(hours=2),
        ),
    ]

    public_article = article_create("Wat de energiecafés ons leerden", themes=[theme])
    draft_article = article_create(
        f"{SECRET} concept-artikel", body=[paragraph(f"<p>{SECRET}</p>")], publish=False
    )
    restricted_article = article_create(f"{SECRET} alleen voor leden", slug="alleen-leden")
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(
        page=restricted_article, restriction_type=PageViewRestriction.LOGIN
    )

    world = World(
        theme=theme,
        region=region,
        open_community=open_community,
        on_request_community=on_request,
        private_community=private,
        public_contribution=public,
        on_request_contribution=on_request_contribution,
        public_meetup=public_meetup,
        public_article=public_article,
        author=author,
        deleted_author=deleted_author,
    )
    world.secret_ids = {
        "/api/v1/communities/": [private.slug],
        "/api/v1/contributions/": [private_contribution.pk, hidden.pk, pending.pk],
        "/api/v1/meetups/": [m.pk for m in secret_meetups],
        "/api/v1/articles/": [draft_article.pk, restricted_article.pk],
    }
    world.secret_comment_ids = [  # type: ignore[attr-defined]
        deleted_comment.pk,
        hidden_comment.pk,
        pending_comment.pk,
    ]
    world.shown_comment_ids = [visible_comment.pk, reply_to_deleted.pk]  # type: ignore[attr-defined]
    return world
