"""The Django admin (/django-admin/): members, for superusers.

Communities, memberships, libraries, branches, regions and themes are managed in the Wagtail
admin only (/cms/, `wagtail_hooks`), scoped per library (`permissions`) and, for memberships,
written through the services (approval mails the member and sets "lid sinds"). A second set of
screens here added nothing but a second door to keep scoped and in step, so they are not
registered here.
"""

from functools import partial

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from .models import User
from .services import member_assign_handle


class MemberCreationForm(AdminUserCreationForm):
    """A new member with a name; the handle is derived from it unless the admin types one."""

    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("email", "display_name", "handle")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handle"].required = False
        self.fields["handle"].help_text = _("Leeg laten: dan maken we er een van de naam.")

    def clean_handle(self) -> str:
        return (self.cleaned_data.get("handle") or "").lower()


class MemberChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"
        field_classes = {
            **UserChangeForm.Meta.field_classes,
            "website": partial(forms.URLField, assume_scheme="https"),
        }


@admin.register(User)
class MemberAdmin(UserAdmin):
    """Django's user admin, for members who log in with their email address."""

    form = MemberChangeForm
    add_form = MemberCreationForm
    ordering = ("email",)
    list_display = ("email", "display_name", "handle", "region", "is_staff", "is_active")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups", "region")
    list_select_related = ("region",)
    search_fields = ("email", "display_name", "handle")
    raw_id_fields = ("region",)
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Profiel"),
            {
                "fields": (
                    "display_name",
                    "handle",
                    "bio",
                    "region",
                    "expertise",
                    "avatar",
                    "website",
                    "phone",
                    "contact_visibility",
                    "language",
                )
            },
        ),
        (
            _("Rechten"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Belangrijke data"), {"fields": ("last_login", "date_joined")}),
        # What the member accepted at sign-up; a record of their consent, never edited here.
        (_("Privacy"), {"fields": ("terms_version", "terms_accepted_at")}),
    )
    readonly_fields = ("terms_version", "terms_accepted_at")
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "display_name",
                    "handle",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    def save_model(self, request, obj, form, change):
        if not change and not obj.handle:
            member_assign_handle(user=obj)  # Derived from the name, as at sign-up.
            return
        super().save_model(request, obj, form, change)
