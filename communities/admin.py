"""The Django admin (/django-admin/): members and the raw data behind the Wagtail screens."""

from functools import partial

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from .models import Branch, Community, Library, Membership, Region, Theme, User
from .selectors import library_scope_filter
from .services import member_assign_handle


class LibraryScopedAdmin(admin.ModelAdmin):
    """The same per-library rule as the Wagtail admin: a librarian sees their libraries' rows."""

    library_lookup = "library"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs.filter(library_scope_filter(request.user, self.library_lookup))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Community:
            kwargs["queryset"] = Community.objects.filter(library_scope_filter(request.user))
        elif db_field.related_model is Library:
            kwargs["queryset"] = Library.objects.filter(library_scope_filter(request.user, "pk"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


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
    )
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


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Library)
class LibraryAdmin(LibraryScopedAdmin):
    library_lookup = "pk"
    list_display = ("name", "contact_email", "website")
    search_fields = ("name", "contact_email")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("librarians",)

    def get_readonly_fields(self, request, obj=None):
        if request.user.has_perm("communities.assign_librarians"):
            return ()
        return ("librarians",)


@admin.register(Branch)
class BranchAdmin(LibraryScopedAdmin):
    list_display = ("name", "library", "city", "region")
    list_filter = ("library", "region")
    list_select_related = ("library", "region")
    search_fields = ("name", "city", "street")
    raw_id_fields = ("library", "region")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("title", "sort_order", "featured")
    list_editable = ("sort_order", "featured")
    search_fields = ("title",)
    raw_id_fields = ("image",)
    prepopulated_fields = {"slug": ("title",)}


@admin.register(Community)
class CommunityAdmin(LibraryScopedAdmin):
    list_display = ("title", "visibility", "library", "region", "created_at")
    list_filter = ("visibility", "library", "region", "themes")
    list_select_related = ("library", "region")
    search_fields = ("title", "description")
    raw_id_fields = ("library", "region", "parent")
    filter_horizontal = ("themes",)
    prepopulated_fields = {"slug": ("title",)}


@admin.register(Membership)
class MembershipAdmin(LibraryScopedAdmin):
    library_lookup = "community__library"
    list_display = ("user", "community", "role", "state", "created_at", "activated_at")
    list_filter = ("role", "state")
    list_select_related = ("user", "community")
    search_fields = ("user__email", "user__display_name", "community__title")
    raw_id_fields = ("user", "community")
    date_hierarchy = "created_at"
