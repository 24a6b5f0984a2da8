"""Wagtail's users app with our member forms (INSTALLED_APPS names this instead of
`wagtail.users`). Kept apart from communities/apps.py so that Django still finds the
communities app's own config there.

Profile pictures uploaded at /cms/account/ get the same checks as every other avatar
(communities/avatars.py)."""

from wagtail.users.apps import WagtailUsersAppConfig


class MemberUsersConfig(WagtailUsersAppConfig):
    user_viewset = "communities.wagtail_users.MemberUserViewSet"

    def ready(self):
        super().ready()
        from wagtail.admin.views.account import AvatarSettingsPanel

        from .wagtail_users import MemberAvatarPreferencesForm

        # Wagtail has no setting for this form; the panel names its class in one attribute.
        AvatarSettingsPanel.form_class = MemberAvatarPreferencesForm
