"""The Wagtail pages: the home page, curated articles and the plain content pages."""

from __future__ import annotations

import math

from django import forms
from django.db import models
from django.http import Http404
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    PageChooserPanel,
    TabbedInterface,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from plainlanguage.panels import ReadabilityPanel

from ..blocks import ENGLISH_HELP, article_blocks, content_blocks, home_blocks

WORDS_PER_MINUTE = 200


def english_title_field() -> models.CharField:
    return models.CharField(
        _("titel in het Engels"), max_length=255, blank=True, help_text=ENGLISH_HELP
    )


def tabs_with_english(content_panels, english_panels) -> TabbedInterface:
    """The page editor's tabs with one for the English version after the content."""
    return TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Inhoud")),
            ObjectList(english_panels, heading=_("Engels")),
            ObjectList(Page.promote_panels, heading=_("Promoten")),
            ObjectList(Page.settings_panels, heading=_("Instellingen")),
        ]
    )


class HomePage(Page):
    """The front door: an introduction and blocks the librarians edit, around the live lists."""

    intro = RichTextField(
        _("introductie"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("Een paar zinnen bovenaan de startpagina, onder de titel."),
    )
    body = StreamField(
        home_blocks(),
        verbose_name=_("blokken"),
        blank=True,
        help_text=_(
            "Kies wat er op de startpagina staat en in welke volgorde. Thema's, gemeenschappen, "
            "bijeenkomsten en artikelen worden vanzelf bijgewerkt. Zonder blokken toont de "
            "startpagina de thema's, gemeenschappen en bijeenkomsten."
        ),
    )

    # The blocks carry their own English fields (knowledge.blocks, "_en").
    title_en = english_title_field()
    intro_en = RichTextField(
        _("introductie in het Engels"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=ENGLISH_HELP,
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    english_panels = [FieldPanel("title_en"), FieldPanel("intro_en")]
    edit_handler = tabs_with_english(content_panels, english_panels)
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["knowledge.ArticleIndexPage", "knowledge.ContentPage"]
    max_count = 1

    class Meta:
        verbose_name = _("startpagina")

    def get_context(self, request, *args, **kwargs):
        from ..selectors import home_lists

        context = super().get_context(request, *args, **kwargs)
        context.update(home_lists(request.user))
        return context


class ArticleIndexPage(Page):
    """/artikelen/: every published article, newest first, optionally for one theme."""

    intro = RichTextField(_("introductie"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["knowledge.HomePage"]
    subpage_types = ["knowledge.ArticlePage"]
    max_count = 1

    class Meta:
        verbose_name = _("artikeloverzicht")

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        from communities.models import Theme

        from ..selectors import article_list_live

        context = super().get_context(request, *args, **kwargs)
        theme = None
        if slug := request.GET.get("thema"):
            theme = Theme.objects.filter(slug=slug).first()
            if theme is None:
                raise Http404
        articles = article_list_live(theme=theme)
        page = Paginator(articles, 12).get_page(request.GET.get("pagina"))
        context.update({"articles": page, "theme": theme})
        return context


class ArticlePage(Page):
    """A curated article: what the library learned with the people around it."""

    summary = models.TextField(
        _("samenvatting"),
        max_length=300,
        help_text=_(
            "Twee of drie zinnen: waar gaat het artikel over? Staat in overzichten en in "
            "zoekmachines."
        ),
    )
    author = models.CharField(
        _("auteur"),
        max_length=150,
        blank=True,
        help_text=_("De naam zoals die boven het artikel staat, bijvoorbeeld 'Marieke van Dijk'."),
    )
    themes = ParentalManyToManyField(
        "communities.Theme",
        verbose_name=_("thema's"),
        blank=True,
        related_name="articles",
        help_text=_("Het artikel verschijnt in het dossier van deze thema's."),
    )
    body = StreamField(article_blocks(), verbose_name=_("inhoud"))

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("author"),
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
        FieldPanel("body"),
        ReadabilityPanel(),  # advice on the saved draft (plainlanguage, issue 17)
        InlinePanel(
            "related_links",
            label=_("Gerelateerde artikelen"),
            help_text=_("Niet verplicht. Zonder keuze tonen we artikelen over dezelfde thema's."),
        ),
    ]
    parent_page_types = ["knowledge.ArticleIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("artikel")
        verbose_name_plural = _("artikelen")

    @property
    def reading_time(self) -> int:
        """Minutes to read the text, at 200 words a minute; at least one."""
        words = len(self.summary.split())
        for block in self.body:
            words += len(_block_text(block.block_type, block.value).split())
        return max(1, math.ceil(words / WORDS_PER_MINUTE))

    def get_context(self, request, *args, **kwargs):
        from ..selectors import article_related

        context = super().get_context(request, *args, **kwargs)
        context["related_articles"] = article_related(self)
        context["article_themes"] = list(self.themes.all())
        return context


def _block_text(block_type: str, value) -> str:
    if block_type == "paragraph":
        return strip_tags(value.source)
    if block_type == "heading":
        return value["text"]
    if block_type == "quote":
        return value["quote"]
    if block_type == "call_to_action":
        return f"{value['title']} {value['text']}"
    return ""


class ArticleRelatedLink(Orderable):
    """An article the librarian hand-picked to read next."""

    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="related_links")
    article = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("artikel"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [PageChooserPanel("article", page_type="knowledge.ArticlePage")]

    class Meta(Orderable.Meta):
        verbose_name = _("gerelateerd artikel")
        verbose_name_plural = _("gerelateerde artikelen")


class ContentPage(Page):
    """A plain page such as 'Over KennisCloud', the privacy or accessibility statement."""

    intro = models.TextField(
        _("inleiding"), blank=True, help_text=_("Een korte inleiding bovenaan de pagina.")
    )
    body = StreamField(content_blocks(), verbose_name=_("inhoud"))
    last_reviewed = models.DateField(
        _("laatst bijgewerkt"),
        null=True,
        blank=True,
        help_text=_(
            "Staat onder de pagina. Verplicht bij de privacy- en toegankelijkheidsverklaring."
        ),
    )

    # The English version: shown on /en/ when filled, field by field; an empty one leaves the
    # Dutch text there, marked lang="nl".
    title_en = english_title_field()
    intro_en = models.TextField(_("inleiding in het Engels"), blank=True, help_text=ENGLISH_HELP)
    body_en = StreamField(
        content_blocks(), verbose_name=_("inhoud in het Engels"), blank=True, help_text=ENGLISH_HELP
    )

    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("last_reviewed")], heading=_("Onderhoud")),
    ]
    english_panels = [FieldPanel("title_en"), FieldPanel("intro_en"), FieldPanel("body_en")]
    edit_handler = tabs_with_english(content_panels, english_panels)
    parent_page_types = ["knowledge.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("informatiepagina")
        verbose_name_plural = _("informatiepagina's")
