"""Members in the Wagtail admin (/cms/users/): a name and a handle instead of first/last name.

Wagtail's own user forms ask for a first and a last name and leave `handle` empty, so the
second user created there broke the unique constraint on the handle. Here an admin types the
name others see; the handle is derived from it the same way as at sign-up.
"""

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.account import AvatarPreferencesForm
from wagtail.admin.ui.tables import Column
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import IndexView, UserViewSet

from .avatars import AvatarFormField
from .models import User
from .services import member_assign_handle
from .suspension import is_suspended, suspension_until_text


class MemberUserCreationForm(UserCreationForm):
    first_name = None
    last_name = None

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["email", "display_name", "is_superuser", "groups"]

    def save(self, commit=True):
        user = super().save(commit=False)
        if commit:
            member_assign_handle(user=user)
            self.save_m2m()
        return user


class MemberUserEditForm(UserEditForm):
    first_name = None
    last_name = None

    class Meta(UserEditForm.Meta):
        model = User
        fields = [
            "email",
            "display_name",
            "handle",
            "avatar",
            "is_active",
            "is_superuser",
            "groups",
        ]

    def clean_handle(self) -> str:
        # Mentions and lookups are lowercase, as in the member's own profile form.
        return self.cleaned_data["handle"].lower()


def _suspension_cell(user: User) -> str:
    # Read from the row already listed: no query per member.
    return suspension_until_text(user) if is_suspended(user) else ""


class MemberUserIndexView(IndexView):
    """The users listing also says who is suspended, and until when (Moderatie → Schorsingen
    is where librarians suspend and lift)."""

    @cached_property
    def columns(self):
        return [
            *super().columns,
            Column("suspension", label=_("Geschorst"), accessor=_suspension_cell, width="15%"),
        ]


class MemberUserViewSet(UserViewSet):
    index_view_class = MemberUserIndexView

    def get_form_class(self, for_update=False):
        return MemberUserEditForm if for_update else MemberUserCreationForm


class MemberAvatarPreferencesForm(AvatarPreferencesForm):
    """Wagtail's own profile picture (/cms/account/) goes through the same checks as the
    member's: Wagtail's form decodes any upload whole and keeps a small JPEG's EXIF."""

    avatar = AvatarFormField(
        label=AvatarPreferencesForm.base_fields["avatar"].label, required=False
    )

    def clean_avatar(self):
        return self.cleaned_data.get("avatar") or self._original_avatar
