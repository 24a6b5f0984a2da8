"""Librarians preview the next digest of a member of their libraries' communities, as the member
would get it; superusers of anyone."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from communities.selectors import user_is_librarian

from .digest import DigestBuilder
from .forms import DigestPreviewForm
from .mail import digest_render
from .models import DigestFrequency
from .periods import next_period
from .selectors import digest_preview_members_for, digest_recipients, preferences_for


class DigestPreviewView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "notifications/admin/digest_preview.html"
    page_title = _("Voorbeeld van een overzicht")
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        if not user_is_librarian(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        # Without this the header shows only Wagtail's "Home" crumb, not what the page is.
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = DigestPreviewForm(
            self.request.GET or None, members=digest_preview_members_for(self.request.user)
        )
        context["form"] = form
        if form.is_valid():
            context.update(self._preview(form.cleaned_data["who"], form.cleaned_data["frequency"]))
        return context

    def _preview(self, member, frequency: str) -> dict:
        chosen = preferences_for(member).digest_frequency
        frequency = frequency or (chosen if chosen != DigestFrequency.OFF else "weekly")
        period = next_period(frequency, timezone.now())
        digest = DigestBuilder(period).build([member.pk])[member.pk]
        rendered = digest_render(digest)
        return {
            "member": member,
            "chosen": chosen,
            "period": period,
            "digest": digest,
            "would_receive": digest_recipients(frequency).filter(pk=member.pk).exists(),
            "subject": rendered.subject,
            "text": rendered.text,
            "html": rendered.html,
        }
