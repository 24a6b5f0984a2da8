"""The theme dossier: what the library and the people around it know about a theme so far."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.fields import StreamField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    PreviewableMixin,
    RevisionMixin,
    WorkflowMixin,
)

from ..blocks import KnowledgeSectionBlock, LinkBlock, dossier_introduction_blocks


class ThemeDossier(
    PreviewableMixin,
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    ClusterableModel,
):
    """The curated part of /themas/<slug>/; the live lists around it come from the site.

    Only the published version is ever shown: drafts live in revisions until a second
    librarian approves them (see SecondLibrarianApprovalTask). When its theme is deleted the
    dossier stays, "zonder thema", and is shown nowhere until a librarian links it again.
    """

    theme = models.OneToOneField(
        "communities.Theme",
        verbose_name=_("thema"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossier",
        help_text=_("Het dossier staat op de pagina van dit thema. Elk thema heeft één dossier."),
    )
    introduction = StreamField(
        dossier_introduction_blocks(),
        verbose_name=_("introductie"),
        blank=True,
        help_text=_("Waar gaat dit thema over, en waarom doet het ertoe in onze regio?"),
    )
    sections = StreamField(
        [("section", KnowledgeSectionBlock())],
        verbose_name=_("wat we tot nu toe weten"),
        blank=True,
        help_text=_(
            "Vat samen wat bewoners, experts en de bibliotheek samen hebben uitgezocht. Eén "
            "blok per onderwerp."
        ),
    )
    further_reading = StreamField(
        [("link", LinkBlock())],
        verbose_name=_("verder lezen"),
        blank=True,
        help_text=_("Betrouwbare bronnen buiten KennisCloud: websites, rapporten, boeken."),
    )
    reviewed_at = models.DateTimeField(_("laatst nagekeken op"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("laatst nagekeken door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="theme_dossier",
        for_concrete_model=False,
    )
    revisions = GenericRelation(
        "wagtailcore.Revision",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="theme_dossier",
        for_concrete_model=False,
    )

    class Meta:
        verbose_name = _("themadossier")
        verbose_name_plural = _("themadossiers")

    @admin.display(description=_("Thema"))
    def theme_title(self) -> str:
        """The theme's title, or "zonder thema" once the theme is deleted (admin listing)."""
        return self.theme.title if self.theme_id else str(_("zonder thema"))

    def __str__(self) -> str:
        if self.theme_id is None:
            return str(_("Dossier zonder thema (nr. %(pk)s)") % {"pk": self.pk})
        return str(_("Dossier: %(theme)s") % {"theme": self.theme.title})

    def get_absolute_url(self) -> str | None:
        return self.theme.get_absolute_url() if self.theme_id else None

    @property
    def review_due_at(self):
        if self.reviewed_at is None:
            return None
        return self.reviewed_at + timedelta(days=settings.DOSSIER_REVIEW_DAYS)

    @property
    def needs_review(self) -> bool:
        due = self.review_due_at
        return due is None or due <= timezone.now()

    def with_content_json(self, content):
        """A revision may name a theme deleted since; the dossier then has no theme."""
        from communities.models import Theme

        obj = super().with_content_json(content)
        if obj.theme_id is not None and not Theme.objects.filter(pk=obj.theme_id).exists():
            obj.theme_id = None
        return obj

    # --- Preview in the admin: the theme page as residents will see it -------------------------

    def get_preview_template(self, request, mode_name):
        return "knowledge/theme_detail.html"

    def get_preview_context(self, request, mode_name):
        from ..selectors import theme_page_context

        context = super().get_preview_context(request, mode_name)
        context.update(theme_page_context(request.user, self.theme, dossier=self))
        return context


class DossierContribution(Orderable):
    """A resident's contribution a librarian checked and picked for the dossier."""

    dossier = ParentalKey(ThemeDossier, on_delete=models.CASCADE, related_name="picks")
    contribution = models.ForeignKey(
        "knowledge.Contribution",
        verbose_name=_("bijdrage"),
        on_delete=models.CASCADE,
        related_name="dossier_picks",
    )
    note = models.TextField(
        _("toelichting van de bibliotheek"),
        blank=True,
        max_length=500,
        help_text=_("Niet verplicht: waarom deze bijdrage de moeite waard is."),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("gecontroleerde bijdrage")
        verbose_name_plural = _("gecontroleerde bijdragen")
