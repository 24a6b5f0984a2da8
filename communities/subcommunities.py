"""The tree of communities: a community may have subcommunities (`Community.parent`).

The rules, decided for issue 14 and held at every door (the model's `clean()`, which the
Wagtail admin form runs, and `services.community_tree_lock` under row locks):

- one level deep: a community is a parent or a sub, never both, so there are no cycles and the
  list and breadcrumbs stay readable on a phone;
- a sub belongs to its parent's library (the parent's librarians manage both);
- a sub of a private community is private itself. Every reader that keeps private communities
  from outsiders (pages, feeds, search, the API, the sitemap) asks `is_private` or filters on
  `visibility`, so nothing of a private parent's sub reaches someone outside it.

Membership follows the tree (communities.services): joining a sub joins its parent by the
parent's own rules, leaving the parent leaves its subs, and the hosts and moderators of the
parent act as hosts and moderators in its subs (communities.selectors).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .models import Community


def community_tree_errors(community: Community) -> dict[str, list[str]]:
    """What is wrong with `community`'s place in the tree, by field; empty when nothing.

    Reads the parent and the subs from the database, so that the answer is current when the
    caller holds their row locks (services.community_tree_lock)."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    subs = (
        list(Community.objects.filter(parent_id=community.pk).exclude(pk=community.pk))
        if community.pk
        else []
    )
    if community.parent_id is not None:
        parent = Community.objects.filter(pk=community.parent_id).first()
        if parent is None:
            add("parent", _("Deze gemeenschap bestaat niet meer."))
        elif community.pk is not None and parent.pk == community.pk:
            add("parent", _("Een gemeenschap kan niet onder zichzelf vallen."))
        elif parent.parent_id is not None:
            add(
                "parent",
                _(
                    "%(parent)s is zelf al een subgemeenschap. Kies een hoofdgemeenschap: "
                    "subgemeenschappen gaan één niveau diep."
                )
                % {"parent": parent.title},
            )
        elif subs:
            add(
                "parent",
                _(
                    "Deze gemeenschap heeft zelf subgemeenschappen en kan daarom niet onder een "
                    "andere vallen."
                ),
            )
        else:
            if community.library_id is not None and parent.library_id != community.library_id:
                add(
                    "library",
                    _("Een subgemeenschap hoort bij dezelfde bibliotheek als %(parent)s.")
                    % {"parent": parent.title},
                )
            if parent.is_private and not community.is_private:
                add(
                    "visibility",
                    _(
                        "%(parent)s is besloten, dus een subgemeenschap ervan is dat ook: "
                        "kies Besloten."
                    )
                    % {"parent": parent.title},
                )
    if subs:
        names = ", ".join(sub.title for sub in subs)
        if community.library_id is not None and any(
            sub.library_id != community.library_id for sub in subs
        ):
            add(
                "library",
                _(
                    "De subgemeenschappen (%(names)s) horen bij dezelfde bibliotheek. "
                    "Verplaats die eerst."
                )
                % {"names": names},
            )
        if community.is_private and any(not sub.is_private for sub in subs):
            add(
                "visibility",
                _(
                    "Maak eerst de subgemeenschappen (%(names)s) besloten: onder een besloten "
                    "gemeenschap is alles besloten."
                )
                % {"names": names},
            )
    return errors


def community_tree(communities: list[Community]) -> list[Community]:
    """The top of a list of communities, each with `subs_shown`: its subs from the same list, in
    the list's order. A sub whose parent is not in the list stands on its own. No queries."""
    by_pk = {community.pk: community for community in communities}
    for community in communities:
        community.subs_shown = []  # type: ignore[attr-defined]  # for the template
    top: list[Community] = []
    for community in communities:
        parent = by_pk.get(community.parent_id) if community.parent_id else None
        if parent is None:
            top.append(community)
        else:
            parent.subs_shown.append(community)  # type: ignore[attr-defined]
    return top
