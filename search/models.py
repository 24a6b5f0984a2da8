"""The search index: one row per searchable object (Decidim's SearchableResource).

A row exists only while its object may be found by someone: published contributions and
meetups, live dossiers and pages, active members who opted in (`User.findable`). Who may find
it is decided when searching, by the same rule the lists use
(`communities.selectors.community_visibility_filter`) on the row's community; a row without a
community (a theme, a page, a member) is for everyone. So a community that turns private needs
no re-index.

On PostgreSQL the table also has `search_vector`, a STORED generated tsvector (title A,
keywords B, summary C, body D in the `dutch_unaccent` configuration) with a GIN index, and a
trigram index on the title; migration 0002 creates them and the ORM never writes them.

With `KENNISCLOUD_SEARCH_ENGINE = "wagtail"` the rows are also kept in Wagtail's search backend
(`WAGTAILSEARCH_BACKENDS["default"]`: its database backend, or OpenSearch/Elasticsearch for a
federation) by search/services.py through search/engine.py, never by Wagtail's save signals
(`search_auto_update = False`): the index follows these rows, written in bulk without signals.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelsearch import index


class SearchEntry(index.Indexed, models.Model):
    class Kind(models.TextChoices):
        CONTRIBUTION = "contribution", _("Bijdragen")
        COMMUNITY = "community", _("Gemeenschappen")
        MEETUP = "meetup", _("Bijeenkomsten")
        THEME = "theme", _("Thema's")
        DOSSIER = "dossier", _("Themadossiers")
        ARTICLE = "article", _("Artikelen")
        PAGE = "page", _("Informatiepagina's")
        MEMBER = "member", _("Mensen")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    community = models.ForeignKey(
        "communities.Community",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Who may see this community may find the row; none: everyone may.",
    )
    region = models.ForeignKey(
        "communities.Region", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    themes = models.ManyToManyField("communities.Theme", blank=True, related_name="+")
    url = models.CharField(max_length=500)
    date = models.DateTimeField(db_index=True)
    title = models.CharField(max_length=300)
    keywords = models.TextField(blank=True, help_text="Tags and theme names (weight B).")
    summary = models.TextField(blank=True, help_text="Weight C.")
    body = models.TextField(blank=True, help_text="Plain text, comments included (weight D).")

    class Meta:
        verbose_name = _("zoekregel")
        verbose_name_plural = _("zoekregels")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique"),
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=[
                        "contribution",
                        "community",
                        "meetup",
                        "theme",
                        "dossier",
                        "article",
                        "page",
                        "member",
                    ]
                ),
                name="search_entry_kind_valid",
            ),
        ]
        indexes = [models.Index(fields=["community", "-date"], name="search_entry_comm_date")]

    # For Wagtail's search backends (search/engine.py); the weights of the PostgreSQL path.
    search_fields = [
        index.SearchField("title", boost=4),
        index.AutocompleteField("title"),
        index.SearchField("keywords", boost=2),
        index.SearchField("summary", boost=1.5),
        index.SearchField("body"),
        index.FilterField("id"),
        index.FilterField("kind"),
        index.FilterField("community"),
        index.FilterField("region"),
        index.FilterField("date"),
        index.RelatedFields(
            "community", [index.FilterField("slug"), index.FilterField("visibility")]
        ),
        index.RelatedFields("region", [index.FilterField("slug")]),
        index.RelatedFields("themes", [index.FilterField("slug")]),
    ]
    search_auto_update = False

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title}"


class SearchTerm(models.Model):
    """A word of the public index, for "Bedoelde je …?" (search/typos.py).

    Lower case and without accents, as `unaccent(lower(…))` makes it, 4+ letters, counted in
    how many rows it occurs. Only rows everyone may find feed it, so a word that occurs only in
    a private community is never proposed to anyone. Rebuilt whole by `search_terms_refresh`
    (nightly and after `search_rebuild`); on PostgreSQL a GiST trigram index (migration 0006).
    """

    word = models.CharField(max_length=60, unique=True)
    frequency = models.PositiveIntegerField(default=0, help_text="Public rows holding the word.")

    class Meta:
        verbose_name = _("zoekwoord")
        verbose_name_plural = _("zoekwoorden")
        indexes = [models.Index(fields=["-frequency"], name="search_term_frequency")]

    def __str__(self) -> str:
        return self.word


class SearchMiss(models.Model):
    """A search that found nothing, counted: knowledge the library could go and collect.

    Only the normalised query and when it was asked: never who asked (no user, no IP address,
    no session). One row per query, counted up by the database (`search_miss_record`); rows not
    asked for again within `MISS_RETENTION` are deleted by a beat task (`search_miss_purge`).
    """

    query = models.CharField(_("zoekopdracht"), max_length=100, unique=True)
    count = models.PositiveIntegerField(_("aantal keer"), default=1)
    first_seen = models.DateTimeField(_("eerst gezocht"))
    last_seen = models.DateTimeField(_("laatst gezocht"), db_index=True)

    class Meta:
        verbose_name = _("zoekopdracht zonder resultaat")
        verbose_name_plural = _("zoekopdrachten zonder resultaat")
        ordering = ["-count", "-last_seen"]

    def __str__(self) -> str:
        return self.query
