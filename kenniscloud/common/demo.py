"""Demo content for `make run`: a library, its themes and communities, members and what they share.

Everything is keyed on slugs, email addresses and titles, so loading twice changes nothing, and
what a librarian edits afterwards is left alone. Reference data (library, branches, regions,
themes, communities) is created directly; members' writes go through the services, as in the
site itself.
"""

from __future__ import annotations

import time as clock
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from importlib import import_module

from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from communities import services as community_services
from communities.models import Branch, Community, Library, Membership, Region, Theme, User
from communities.selectors import HOST_GROUP, LIBRARIAN_GROUP, ORGANISER_GROUP
from knowledge import services as knowledge_services
from knowledge.models import (
    Appreciation,
    ArticleIndexPage,
    ArticlePage,
    Comment,
    Contribution,
    DossierContribution,
    HomePage,
    ThemeDossier,
)
from meetups.models import Meetup, Session

from . import ratelimit
from .demo_content import (
    ARTICLES,
    BRANCHES,
    COMMUNITIES,
    CONTRIBUTIONS,
    DOSSIER_REVIEWED_DAYS_AGO,
    DOSSIERS,
    HOME_BLOCKS,
    HOME_INTRO,
    HOME_INTRO_EN,
    LIBRARY,
    MEETUPS,
    MEMBERSHIPS,
    REGIONS,
    THEMES,
    USERS,
)

PASSWORD = "kenniscloud-demo"
LIBRARIAN_EMAIL = "bibliothecaris@example.org"
ORGANISER_EMAIL = "organisator@example.org"
# The admins ask for a code of an authenticator app (kenniscloud/common/admin_access.py). The
# demo librarian and organiser have one already, with this known key: `make demo-code` shows
# the code it gives now, or add the key to an app of your own. Demo data only, like PASSWORD.
DEMO_TOTP_SECRET = "KENNISCLOUDDEMOTWEESTAPSVERIFICA"
GROUP_NAMES = {"librarian": LIBRARIAN_GROUP, "organiser": ORGANISER_GROUP, "host": HOST_GROUP}


@dataclass
class DemoReport:
    """What one run created; all zeros on a second run."""

    created: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, created: bool = True) -> None:
        if created:
            self.created[what] = self.created.get(what, 0) + 1

    @property
    def total(self) -> int:
        return sum(self.created.values())


@transaction.atomic
def demo_load() -> DemoReport:
    report = DemoReport()
    regions = demo_regions(report)
    library = demo_library(report, regions)
    themes = demo_themes(report)
    users = demo_users(report, regions)
    demo_librarians(report, library)
    demo_authenticators(report)
    communities = demo_communities(report, library, regions, themes)
    demo_memberships(report, users, communities)
    # Weeks of posts by brand-new accounts in one go: not what the posting limits are for.
    with ratelimit.exempt():
        demo_contributions(report, users, communities, themes)
    demo_meetups(report, library, users, communities, themes)
    demo_homepage(report)
    demo_dossiers(report, themes)
    demo_articles(report, communities, themes)
    demo_content_pages(report)
    return report


def demo_regions(report: DemoReport) -> dict[str, Region]:
    regions = {}
    for slug, name in REGIONS:
        regions[slug], created = Region.objects.get_or_create(slug=slug, defaults={"name": name})
        report.add("regions", created)
    return regions


def demo_library(report: DemoReport, regions: dict[str, Region]) -> Library:
    library, created = Library.objects.get_or_create(
        slug=LIBRARY["slug"], defaults={k: v for k, v in LIBRARY.items() if k != "slug"}
    )
    report.add("libraries", created)
    for branch in BRANCHES:
        defaults = {**branch, "region": regions[branch["region"]]}
        del defaults["slug"]
        _branch, created = Branch.objects.get_or_create(
            library=library, slug=branch["slug"], defaults=defaults
        )
        report.add("branches", created)
    if library.main_branch_id is None:
        # The address in the footer and on "Over de bibliotheek": the first branch listed.
        library.main_branch = Branch.objects.get(library=library, slug=BRANCHES[0]["slug"])
        library.save(update_fields=["main_branch"])
    return library


def demo_themes(report: DemoReport) -> dict[str, Theme]:
    themes = {}
    for order, theme in enumerate(THEMES):
        defaults = {**theme, "sort_order": order * 10}
        del defaults["slug"]
        themes[theme["slug"]], created = Theme.objects.get_or_create(
            slug=theme["slug"], defaults=defaults
        )
        report.add("themes", created)
    return themes


def demo_users(report: DemoReport, regions: dict[str, Region]) -> dict[str, User]:
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in GROUP_NAMES.values()}
    users = {}
    for spec in USERS:
        user = User.objects.filter(email=spec["email"]).first()
        if user is None:
            user = _demo_user_create(spec, regions)
            report.add("users")
        group = groups.get(GROUP_NAMES.get(spec.get("group", ""), ""))
        if group is not None and not user.groups.filter(pk=group.pk).exists():
            user.groups.add(group)
            report.add("group memberships")
        _address, created = EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        report.add("email addresses", created)
        users[spec["handle"]] = user
    return users


def demo_librarians(report: DemoReport, library: Library) -> None:
    """The demo librarian manages the demo library's communities: roles are per library."""
    librarian = User.objects.get(email=LIBRARIAN_EMAIL)
    if not library.librarians.filter(pk=librarian.pk).exists():
        community_services.library_add_librarian(library=library, user=librarian)
        report.add("librarians")


def demo_authenticators(report: DemoReport) -> None:
    """The demo librarian and organiser can try /cms/ at once: their authenticator app is set
    up, with DEMO_TOTP_SECRET. Anyone made librarian later sets up their own."""
    for user in User.objects.filter(email__in=[LIBRARIAN_EMAIL, ORGANISER_EMAIL]):
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)
            report.add("authenticator apps")


def demo_totp_code(at: float | None = None) -> tuple[str, int]:
    """The code the demo authenticator app shows now, and the seconds it stays valid."""
    now = clock.time() if at is None else at
    period = mfa_settings.TOTP_PERIOD
    code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(now) // period))
    return code, period - int(now) % period


def _demo_user_create(spec: dict, regions: dict[str, Region]) -> User:
    handle = spec["handle"]
    if User.objects.filter(handle=handle).exists():
        # Someone already signed up with this handle; mentions of it then stay plain text.
        handle = community_services.member_handle_propose(
            display_name=spec["display_name"], email=spec["email"]
        )
    user = User.objects.create_user(
        email=spec["email"],
        password=PASSWORD,
        handle=handle,
        display_name=spec["display_name"],
        bio=spec.get("bio", ""),
        region=regions.get(spec.get("region", "")),
        contact_visibility=spec.get("contact_visibility", User.ContactVisibility.NOBODY),
        findable=spec.get("findable", False),
        is_staff=spec.get("group") in ("librarian", "organiser"),
    )
    user.expertise.set(spec.get("expertise", []))
    return user


def demo_communities(
    report: DemoReport, library: Library, regions: dict[str, Region], themes: dict[str, Theme]
) -> dict[str, Community]:
    communities: dict[str, Community] = {}
    for spec in COMMUNITIES:
        community, created = Community.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "title": spec["title"],
                "description": spec["description"],
                "welcome_message": spec["welcome_message"],
                "visibility": spec["visibility"],
                "library": library,
                "region": regions.get(spec.get("region", "")),
                "parent": communities.get(spec.get("parent", "")),
            },
        )
        if created:
            community.themes.set([themes[slug] for slug in spec["themes"]])
        report.add("communities", created)
        communities[spec["slug"]] = community
    return communities


def demo_memberships(
    report: DemoReport, users: dict[str, User], communities: dict[str, Community]
) -> None:
    librarian = User.objects.get(email=LIBRARIAN_EMAIL)
    for slug, handle, role, state in MEMBERSHIPS:
        community, user = communities[slug], users[handle]
        if Membership.objects.filter(community=community, user=user).exists():
            continue
        if community.visibility == Community.Visibility.OPEN or state == Membership.State.PENDING:
            membership = community_services.membership_join(user=user, community=community)
        else:
            # The librarian adds members directly where joining takes an approval or invitation.
            membership = community_services.membership_add(
                by=librarian, community=community, user=user
            )
        if role != Membership.Role.MEMBER:
            community_services.membership_set_role(
                by=librarian, community=community, membership_id=membership.pk, role=role
            )
        report.add("memberships")


def demo_contributions(
    report: DemoReport,
    users: dict[str, User],
    communities: dict[str, Community],
    themes: dict[str, Theme],
) -> None:
    now = timezone.now()
    for spec in CONTRIBUTIONS:
        community = communities[spec["community"]]
        contribution = Contribution.objects.filter(community=community, title=spec["title"]).first()
        if contribution is None:
            contribution = knowledge_services.contribution_create(
                author=users[spec["author"]],
                community=community,
                kind=spec["kind"],
                title=spec["title"],
                body=spec["body"],
                tags=spec.get("tags", []),
                themes=[themes[slug] for slug in spec["themes"]] if "themes" in spec else None,
                source_url=spec.get("source_url", ""),
            )
            # Spread the demo over the past weeks so that lists look lived in.
            posted = now - timedelta(days=spec["days_ago"], hours=spec.get("hour", 3))
            Contribution.objects.filter(pk=contribution.pk).update(
                created_at=posted, updated_at=posted, featured=spec.get("featured", False)
            )
            contribution.created_at = posted
            report.add("contributions")
        demo_comments(report, users, contribution, spec.get("comments", []))
        for handle in spec.get("appreciated_by", []):
            demo_appreciate(report, users[handle], contribution=contribution)


def demo_comments(
    report: DemoReport, users: dict[str, User], contribution: Contribution, threads: list
) -> None:
    """Threads are (author, body, appreciated_by, replies); replies are (author, body)."""
    posted = contribution.created_at
    for author, body, appreciated_by, replies in threads:
        posted += timedelta(hours=5)
        comment = _demo_comment(report, users[author], contribution, body, posted)
        for handle in appreciated_by:
            demo_appreciate(report, users[handle], comment=comment)
        for reply_author, reply_body in replies:
            posted += timedelta(hours=2)
            _demo_comment(report, users[reply_author], contribution, reply_body, posted, comment)


def _demo_comment(
    report: DemoReport,
    author: User,
    contribution: Contribution,
    body: str,
    posted,
    parent: Comment | None = None,
) -> Comment:
    comment = Comment.objects.filter(contribution=contribution, author=author, body=body).first()
    if comment is None:
        comment = knowledge_services.comment_create(
            author=author, contribution=contribution, body=body, parent=parent
        )
        Comment.objects.filter(pk=comment.pk).update(created_at=posted, updated_at=posted)
        report.add("comments")
    return comment


def demo_appreciate(
    report: DemoReport,
    user: User,
    contribution: Contribution | None = None,
    comment: Comment | None = None,
) -> None:
    # appreciation_toggle withdraws an existing appreciation, so only call it when there is none.
    target = {"contribution": contribution} if contribution else {"comment": comment}
    if not Appreciation.objects.filter(user=user, **target).exists():
        knowledge_services.appreciation_toggle(user=user, **target)
        report.add("appreciations")


def demo_homepage(report: DemoReport) -> None:
    """A friendly introduction on the home page; the default site serves every host name."""
    home = HomePage.objects.order_by("path").first()
    if home is None:
        return
    if not home.intro:
        home.intro = HOME_INTRO
        home.intro_en = HOME_INTRO_EN
        home.save(update_fields=["intro", "intro_en"])
        report.add("home page intro")
    if not home.body and home.latest_revision_id is None:
        # Only a home page nobody edited yet gets the demo blocks.
        home.body = HOME_BLOCKS
        home.save_revision(user=_librarian()).publish()
        report.add("home page blocks")
    if not Site.objects.filter(is_default_site=True).exists():
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=Page.objects.get(pk=home.pk),
            is_default_site=True,
            site_name="KennisCloud",
        )
        report.add("sites")


def _local(day, hour_minute: tuple[int, int]) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(*hour_minute)))


def demo_meetups(
    report: DemoReport,
    library: Library,
    users: dict[str, User],
    communities: dict[str, Community],
    themes: dict[str, Theme],
) -> None:
    """A network day with a programme, and an energy café: published, in the coming weeks."""
    today = timezone.localdate()
    for spec in MEETUPS:
        if Meetup.objects.filter(title=spec["title"]).exists():
            continue
        day = today + timedelta(days=spec["days_ahead"])
        meetup = Meetup.objects.create(
            kind=spec["kind"],
            title=spec["title"],
            description=spec["description"],
            community=communities[spec["community"]] if "community" in spec else None,
            branch=Branch.objects.get(library=library, slug=spec["branch"]),
            starts_at=_local(day, spec["start"]),
            ends_at=_local(day, spec["end"]),
            capacity=spec["capacity"],
            accessibility_info=spec["accessibility_info"],
            status=Meetup.Status.PUBLISHED,
        )
        meetup.themes.set([themes[slug] for slug in spec["themes"]])
        meetup.organisers.set([users[handle] for handle in spec["organisers"]])
        for start, end, title, room, speaker, description in spec["sessions"]:
            Session.objects.create(
                meetup=meetup,
                title=title,
                starts_at=_local(day, start),
                ends_at=_local(day, end),
                room=room,
                speaker=speaker,
                description=description,
            )
        report.add("meetups")


# --- Curated by the library ------------------------------------------------------------------
# Published directly, as a superuser would: the demo has no second librarian to approve.


def _librarian() -> User | None:
    return User.objects.filter(email=LIBRARIAN_EMAIL).first()


def _paragraph(html: str) -> dict:
    return {"type": "paragraph", "value": html}


def demo_dossiers(report: DemoReport, themes: dict[str, Theme]) -> None:
    librarian = _librarian()
    reviewed_at = timezone.now() - timedelta(days=DOSSIER_REVIEWED_DAYS_AGO)
    for slug, spec in DOSSIERS.items():
        theme = themes[slug]
        if ThemeDossier.objects.filter(theme=theme).exists():
            continue
        dossier = ThemeDossier(
            theme=theme,
            introduction=[_paragraph(spec["introduction"])],
            sections=[
                {"type": "section", "value": {"heading": heading, "body": body, "image": {}}}
                for heading, body in spec["sections"]
            ],
            further_reading=[
                {"type": "link", "value": {"title": title, "url": url, "description": text}}
                for title, url, text in spec["further_reading"]
            ],
            reviewed_at=reviewed_at,
            reviewed_by=librarian,
        )
        dossier.save()
        for order, (title, note) in enumerate(spec["picks"]):
            contribution = Contribution.objects.filter(title=title).first()
            if contribution is not None:
                DossierContribution.objects.create(
                    dossier=dossier, contribution=contribution, note=note, sort_order=order
                )
        dossier.save_revision(user=librarian).publish(user=librarian)
        report.add("theme dossiers")


def _article_block(kind: str, value, communities: dict[str, Community]) -> dict | None:
    if kind == "contribution":
        contribution = Contribution.objects.filter(title=value).first()
        if contribution is None:
            return None
        value = {"contribution": contribution.pk, "note": ""}
    elif kind == "community":
        value = {"community": communities[value].pk, "note": ""}
    return {"type": kind, "value": value}


def demo_articles(
    report: DemoReport, communities: dict[str, Community], themes: dict[str, Theme]
) -> None:
    index = ArticleIndexPage.objects.order_by("path").first()
    if index is None:
        return
    librarian = _librarian()
    for spec in ARTICLES:
        if ArticlePage.objects.filter(slug=spec["slug"]).exists():
            continue
        body = [_article_block(kind, value, communities) for kind, value in spec["body"]]
        article = ArticlePage(
            title=spec["title"],
            slug=spec["slug"],
            summary=spec["summary"],
            author=spec["author"],
            body=[block for block in body if block is not None],
            owner=librarian,
        )
        index.add_child(instance=article)
        article.themes.set([themes[slug] for slug in spec["themes"]])
        article.save_revision(user=librarian).publish(user=librarian)
        report.add("articles")


def demo_content_pages(report: DemoReport) -> None:
    """About, privacy and accessibility: the pages the migration creates on every site. A
    database that lost them (a flushed test database, say) gets the same text back."""
    migration = import_module("knowledge.migrations.0005_content_pages")
    for _slug in migration.create_content_pages(django_apps):
        report.add("content pages")
    # "Over de bibliotheek", with the library's contact details (knowledge 0009).
    migration = import_module("knowledge.migrations.0009_english_and_language")
    for _slug in migration.create_library_page(django_apps):
        report.add("content pages")
