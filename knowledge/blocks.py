"""The StreamField blocks librarians build pages and dossiers from, shared by every page type.

Blocks that show residents' work (a contribution, a community) check at render time that it is
still public: a page is curated once and read for years, while a contribution may be hidden or
a community made private in the meantime. Pages are cached for anonymous visitors, so these
blocks never show anything that depends on who is looking.
"""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul"]
# The English version of an editor's text sits next to it, under the same name plus "_en"
# (the template tag `localized` picks it on /en/ pages and marks the Dutch with lang="nl" when
# it is empty). A second field beats Wagtail's page-tree localisation here: two languages, a
# few lines per block, and the live lists under the blocks are shared by both.
ENGLISH_HELP = _("Staat op de Engelse site (/en/). Leeg: daar staat de Nederlandse tekst.")


def english_char(label, **kwargs) -> blocks.CharBlock:
    return blocks.CharBlock(label=label, required=False, help_text=ENGLISH_HELP, **kwargs)


ALT_TEXT_HELP = _(
    "Beschrijf in één zin wat er op de afbeelding te zien is, voor wie de afbeelding niet kan "
    "zien (bijvoorbeeld met een schermlezer). Zonder alt-tekst kun je niet publiceren."
)


class ImageBlock(blocks.StructBlock):
    """An image with the alt text that WCAG requires; a page without it cannot be published."""

    image = ImageChooserBlock(label=_("Afbeelding"))
    alt_text = blocks.CharBlock(
        label=_("Alt-tekst (verplicht)"), max_length=250, required=False, help_text=ALT_TEXT_HELP
    )
    caption = blocks.CharBlock(label=_("Bijschrift"), max_length=250, required=False)

    class Meta:
        icon = "image"
        label = _("Afbeelding")
        template = "knowledge/blocks/image_block.html"

    def clean(self, value):
        value = super().clean(value)
        if getattr(self, "is_deferred_validation", False):
            return value  # A draft may be saved unfinished; publishing checks it.
        if value.get("image") and not (value.get("alt_text") or "").strip():
            raise blocks.StructBlockValidationError(
                block_errors={
                    "alt_text": ValidationError(
                        _("Vul een alt-tekst in: beschrijf wat er op de afbeelding staat.")
                    )
                }
            )
        return value


class OptionalImageBlock(ImageBlock):
    """The same, for places where an image is welcome but not needed."""

    image = ImageChooserBlock(label=_("Afbeelding"), required=False)

    class Meta:
        required = False
        label = _("Afbeelding (niet verplicht)")


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Tekst van de kop"), max_length=150)
    level = blocks.ChoiceBlock(
        label=_("Niveau"),
        choices=[("h2", _("Kop")), ("h3", _("Tussenkop"))],
        default="h2",
        help_text=_("Gebruik een tussenkop alleen onder een kop."),
    )

    class Meta:
        icon = "title"
        label = _("Kop")
        template = "knowledge/blocks/heading_block.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Citaat"))
    attribution = blocks.CharBlock(
        label=_("Wie zei het?"), max_length=150, required=False, help_text=_("Naam of rol.")
    )

    class Meta:
        icon = "openquote"
        label = _("Citaat")
        template = "knowledge/blocks/quote_block.html"


class VideoBlock(blocks.StructBlock):
    """An embedded video or post; the title tells screen reader users what it is."""

    embed = EmbedBlock(
        label=_("Link"), help_text=_("Plak de link naar bijvoorbeeld een YouTube- of Vimeo-video.")
    )
    title = blocks.CharBlock(
        label=_("Waar gaat het over?"),
        max_length=200,
        help_text=_("Een korte beschrijving, voor wie de video niet kan zien."),
    )

    class Meta:
        icon = "media"
        label = _("Video of ingesloten bericht")
        template = "knowledge/blocks/video_block.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["provider"] = _embed_provider(value.get("embed"))
        return context


def _embed_provider(embed) -> str:
    """Who serves the player ("YouTube"), named before the reader chooses to load it."""
    from urllib.parse import urlsplit

    from wagtail.embeds.embeds import get_embed
    from wagtail.embeds.exceptions import EmbedException

    if embed is None:
        return ""
    try:
        # The stored embed (the player's html comes from the same row): no request of its own.
        name = get_embed(embed.url, embed.max_width, embed.max_height).provider_name
    except EmbedException:
        name = ""
    return name or urlsplit(embed.url).hostname or ""


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titel"), max_length=150)
    title_en = english_char(_("Titel in het Engels"), max_length=150)
    text = blocks.TextBlock(label=_("Tekst"), required=False)
    text_en = blocks.TextBlock(
        label=_("Tekst in het Engels"), required=False, help_text=ENGLISH_HELP
    )
    button_label = blocks.CharBlock(label=_("Tekst op de knop"), max_length=60)
    button_label_en = english_char(_("Tekst op de knop in het Engels"), max_length=60)
    page = blocks.PageChooserBlock(label=_("Pagina op KennisCloud"), required=False)
    url = blocks.URLBlock(label=_("Of een link"), required=False)

    class Meta:
        icon = "pick"
        label = _("Oproep tot actie")
        template = "knowledge/blocks/call_to_action_block.html"

    def clean(self, value):
        value = super().clean(value)
        if getattr(self, "is_deferred_validation", False):
            return value
        if bool(value.get("page")) == bool(value.get("url")):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "url": ValidationError(_("Kies een pagina óf vul een link in, niet allebei."))
                }
            )
        return value


class ContributionBlock(blocks.StructBlock):
    """A resident's contribution, shown as a card; left out once it is hidden or private."""

    contribution = SnippetChooserBlock("knowledge.Contribution", label=_("Bijdrage"))
    note = blocks.TextBlock(
        label=_("Toelichting van de bibliotheek"),
        required=False,
        help_text=_("Waarom deze bijdrage de moeite waard is. Niet verplicht."),
    )

    class Meta:
        icon = "doc-full"
        label = _("Bijdrage van een bewoner")
        template = "knowledge/blocks/contribution_block.html"

    def get_context(self, value, parent_context=None):
        from communities.models import Community

        from .models import Contribution

        context = super().get_context(value, parent_context=parent_context)
        contribution = value.get("contribution")
        context["contribution"] = (
            contribution
            if contribution is not None
            and contribution.status == Contribution.Status.PUBLISHED
            and contribution.community.visibility != Community.Visibility.PRIVATE
            else None
        )
        return context


class CommunityBlock(blocks.StructBlock):
    """A community, shown as a card; left out once it is private."""

    community = SnippetChooserBlock("communities.Community", label=_("Gemeenschap"))
    note = blocks.TextBlock(label=_("Toelichting"), required=False)

    class Meta:
        icon = "group"
        label = _("Gemeenschap")
        template = "knowledge/blocks/community_block.html"

    def get_context(self, value, parent_context=None):
        from communities.models import Community

        context = super().get_context(value, parent_context=parent_context)
        community = value.get("community")
        context["community"] = (
            community
            if community is not None and community.visibility != Community.Visibility.PRIVATE
            else None
        )
        return context


class KnowledgeSectionBlock(blocks.StructBlock):
    """One part of "what we know so far" in a dossier."""

    heading = blocks.CharBlock(label=_("Kop"), max_length=150)
    body = blocks.RichTextBlock(label=_("Tekst"), features=RICH_TEXT_FEATURES)
    image = OptionalImageBlock()

    class Meta:
        icon = "list-ul"
        label = _("Wat we weten")
        template = "knowledge/blocks/knowledge_section_block.html"


class LinkBlock(blocks.StructBlock):
    """Further reading: a trustworthy source outside KennisCloud."""

    title = blocks.CharBlock(label=_("Titel"), max_length=200)
    url = blocks.URLBlock(label=_("Link"))
    description = blocks.TextBlock(
        label=_("Korte beschrijving"),
        required=False,
        max_length=300,
        help_text=_("Wat vind je er, en voor wie is het handig?"),
    )

    class Meta:
        icon = "link"
        label = _("Link")
        template = "knowledge/blocks/link_block.html"


class LibraryContactBlock(blocks.StaticBlock):
    """The library's name, logo, address, contact and opening hours, as the librarians keep
    them under Bibliotheek -> Bibliotheken (the same as in the footer)."""

    class Meta:
        icon = "site"
        label = _("Contactgegevens van de bibliotheek")
        admin_text = _(
            "Naam, logo, adres, contact en openingstijden van de bibliotheek. Aanpassen doe je "
            "onder Bibliotheek → Bibliotheken."
        )
        template = "knowledge/blocks/library_contact_block.html"


def paragraph_block() -> blocks.RichTextBlock:
    return blocks.RichTextBlock(
        label=_("Tekst"), features=RICH_TEXT_FEATURES, template="knowledge/blocks/paragraph.html"
    )


def article_blocks() -> list[tuple[str, blocks.Block]]:
    return [
        ("heading", HeadingBlock()),
        ("paragraph", paragraph_block()),
        ("image", ImageBlock()),
        ("quote", QuoteBlock()),
        ("embed", VideoBlock()),
        ("call_to_action", CallToActionBlock()),
        ("contribution", ContributionBlock()),
        ("community", CommunityBlock()),
    ]


def content_blocks() -> list[tuple[str, blocks.Block]]:
    # The privacy statement's generated parts (retention periods, privacy contact) are the
    # privacy app's: it knows the settings they come from.
    from privacy.blocks import privacy_statement_blocks

    return [
        ("heading", HeadingBlock()),
        ("paragraph", paragraph_block()),
        ("image", ImageBlock()),
        ("quote", QuoteBlock()),
        ("call_to_action", CallToActionBlock()),
        ("library_contact", LibraryContactBlock()),
        *privacy_statement_blocks(),
    ]


def dossier_introduction_blocks() -> list[tuple[str, blocks.Block]]:
    return [
        ("paragraph", paragraph_block()),
        ("image", ImageBlock()),
        ("quote", QuoteBlock()),
        ("embed", VideoBlock()),
    ]


# --- Home page: blocks that render live lists ---------------------------------------------------


class IntroductionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Kop"), max_length=150, required=False)
    heading_en = english_char(_("Kop in het Engels"), max_length=150)
    text = blocks.RichTextBlock(label=_("Tekst"), features=["bold", "italic", "link"])
    text_en = blocks.RichTextBlock(
        label=_("Tekst in het Engels"),
        features=["bold", "italic", "link"],
        required=False,
        help_text=ENGLISH_HELP,
    )

    class Meta:
        icon = "doc-full"
        label = _("Introductie")
        template = "knowledge/blocks/introduction_block.html"


class SharedFragmentBlock(blocks.StructBlock):
    """A home block whose HTML depends only on its value, the language and which communities the
    viewer may see (no badge, form or name of the viewer): rendered once per generation for all
    who see the same (kenniscloud/common/fragments.py), for members as for visitors."""

    def render(self, value, context=None):
        request = (context or {}).get("request")
        if request is None or not hasattr(request, "user"):
            return super().render(value, context)
        from kenniscloud.common.fragments import shared_fragment

        # The block's id too: its headings' HTML ids are made from it.
        made_from = json.dumps(
            [self.get_prep_value(value), (context or {}).get("block_id")],
            sort_keys=True,
            default=str,
        )
        render = super().render
        return shared_fragment(
            request, type(self).__name__, made_from, lambda: render(value, context)
        )


class FeaturedThemesBlock(SharedFragmentBlock):
    heading = blocks.CharBlock(label=_("Kop"), max_length=150, default=_("Thema's"))
    heading_en = english_char(_("Kop in het Engels"), max_length=150)
    themes = blocks.ListBlock(
        SnippetChooserBlock("communities.Theme", label=_("Thema")),
        label=_("Thema's"),
        min_num=0,
        help_text=_("Laat leeg om de thema's te tonen die als 'uitgelicht' zijn gemarkeerd."),
    )

    class Meta:
        icon = "tag"
        label = _("Uitgelichte thema's")
        template = "knowledge/blocks/featured_themes_block.html"

    def get_context(self, value, parent_context=None):
        from .selectors import theme_list_featured

        context = super().get_context(value, parent_context=parent_context)
        chosen = [theme.pk for theme in value.get("themes") or [] if theme is not None]
        context["themes"] = theme_list_featured(_viewer(parent_context), chosen)
        return context


class FeaturedCommunitiesBlock(SharedFragmentBlock):
    heading = blocks.CharBlock(label=_("Kop"), max_length=150, default=_("Gemeenschappen"))
    heading_en = english_char(_("Kop in het Engels"), max_length=150)
    communities = blocks.ListBlock(
        SnippetChooserBlock("communities.Community", label=_("Gemeenschap")),
        label=_("Gemeenschappen"),
        min_num=0,
        help_text=_("Laat leeg om de nieuwste gemeenschappen te tonen."),
    )

    class Meta:
        icon = "group"
        label = _("Uitgelichte gemeenschappen")
        template = "knowledge/blocks/featured_communities_block.html"

    def get_context(self, value, parent_context=None):
        from .selectors import community_list_featured

        context = super().get_context(value, parent_context=parent_context)
        chosen = [c.pk for c in value.get("communities") or [] if c is not None]
        context["communities"] = community_list_featured(_viewer(parent_context), chosen)
        return context


class UpcomingMeetupsBlock(SharedFragmentBlock):
    limit = blocks.IntegerBlock(label=_("Aantal"), default=3, min_value=1, max_value=12)

    class Meta:
        icon = "date"
        label = _("Binnenkort: bijeenkomsten")
        template = "knowledge/blocks/upcoming_meetups_block.html"


class LatestArticlesBlock(SharedFragmentBlock):
    heading = blocks.CharBlock(label=_("Kop"), max_length=150, default=_("Artikelen"))
    heading_en = english_char(_("Kop in het Engels"), max_length=150)
    limit = blocks.IntegerBlock(label=_("Aantal"), default=3, min_value=1, max_value=12)

    class Meta:
        icon = "doc-full-inverse"
        label = _("Nieuwste artikelen")
        template = "knowledge/blocks/latest_articles_block.html"

    def get_context(self, value, parent_context=None):
        from .selectors import article_list_live

        context = super().get_context(value, parent_context=parent_context)
        context["articles"] = list(article_list_live()[: value.get("limit") or 3])
        return context


def home_blocks() -> list[tuple[str, blocks.Block]]:
    return [
        ("introduction", IntroductionBlock()),
        ("featured_themes", FeaturedThemesBlock()),
        ("featured_communities", FeaturedCommunitiesBlock()),
        ("upcoming_meetups", UpcomingMeetupsBlock()),
        ("latest_articles", LatestArticlesBlock()),
        ("call_to_action", CallToActionBlock()),
    ]


def _viewer(parent_context):
    from django.contrib.auth.models import AnonymousUser

    request = (parent_context or {}).get("request")
    return getattr(request, "user", None) or AnonymousUser()
