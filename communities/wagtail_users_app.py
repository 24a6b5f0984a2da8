"""Wagtail's users app with our member forms (INSTALLED_APPS names this instead of
`wagtail.users`). Kept apart from communities/apps.py so that Django still finds the
communities app's own config there."""

from wagtail.users.apps import WagtailUsersAppConfig


class MemberUsersConfig(WagtailUsersAppConfig):
    user_viewset = "communities.wagtail_users.MemberUserViewSet"
