"""The Django admin (/django-admin/) for RSVPs: the one meetup screen the Wagtail admin lacks.

Meetups and their programmes are edited in the Wagtail admin only (/cms/, `wagtail_hooks`), where
every edit goes through `services.meetup_admin_save`; a second edit screen here would be a second
set of rules to keep right. RSVPs have no Wagtail screen, so they stay here, scoped by the same
permission policy as the meetups in Wagtail (`MeetupPermissionPolicy`: organisers see every RSVP,
a librarian those of their libraries' meetups) and changed only through the RSVP services: the
one change offered is signing members off (`rsvp_cancel`), which gives the freed place to the
first on the waitlist and mails them. Members sign up themselves, and an RSVP is never deleted
here: that would skip the waitlist.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.hooks import search_for_hooks

from communities.permissions import scoped_policy_for

from . import services
from .models import Meetup, Rsvp


def _meetup_policy():
    """The Wagtail permission policy for meetups, registered by `wagtail_hooks`."""
    search_for_hooks()  # Registers the policies if no Wagtail view was loaded yet.
    return scoped_policy_for(Meetup)


@admin.register(Rsvp)
class RsvpAdmin(admin.ModelAdmin):
    list_display = ("user", "meetup", "state", "created_at")
    list_filter = ("state", ("meetup", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("user", "meetup")
    search_fields = ("user__email", "user__display_name", "meetup__title")
    readonly_fields = ("user", "meetup", "state", "access_needs", "checked_in_at", "created_at")
    fields = readonly_fields
    actions = ["cancel_rsvps"]

    def get_queryset(self, request) -> QuerySet[Rsvp]:
        queryset = super().get_queryset(request)
        policy = _meetup_policy()
        if policy is None:  # Fail closed: without the policy nobody but a superuser sees rows.
            return queryset if request.user.is_superuser else queryset.none()
        return queryset.filter(meetup__in=policy.scope(request.user, Meetup.objects.all()))

    def get_object(self, request, object_id, from_field=None):
        # Out of scope looks the same as gone: a 404, not the admin's redirect to its index.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # The model permission allows the sign-off action; a single RSVP is only shown.
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(
        description=_("Afmelden (de plek gaat naar de wachtlijst)"), permissions=["change"]
    )
    def cancel_rsvps(self, request, queryset: QuerySet[Rsvp]) -> None:
        cancelled, refused = 0, []
        for rsvp in queryset.exclude(state=Rsvp.State.CANCELLED).select_related("user", "meetup"):
            try:
                services.rsvp_cancel(user=rsvp.user, meetup_id=rsvp.meetup_id)
            except ValidationError as error:
                refused.append(f"{rsvp}: {' '.join(error.messages)}")
            else:
                cancelled += 1
        if cancelled:
            self.message_user(
                request,
                ngettext(
                    "%(count)d aanmelding afgemeld.", "%(count)d aanmeldingen afgemeld.", cancelled
                )
                % {"count": cancelled},
                messages.SUCCESS,
            )
        for message in refused:
            self.message_user(request, message, messages.ERROR)
