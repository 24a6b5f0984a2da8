"""The site's addresses for blocking a member from a community (hosts)."""

from django.urls import path

from . import block_views

app_name = "moderation_blocks"

urlpatterns = [
    path(
        "gemeenschappen/<slug:slug>/leden/<int:membership_id>/blokkeren/",
        block_views.membership_block,
        name="membership_block",
    ),
    path(
        "gemeenschappen/<slug:slug>/leden/<int:membership_id>/blokkade-opheffen/",
        block_views.membership_unblock,
        name="membership_unblock",
    ),
]
