"""Every app's part of a data export, registered with `privacy.registry` when the app loads.

They live here rather than in the apps themselves: privacy leans on communities, knowledge,
meetups, notifications and moderation, never the other way (DESIGN.md). One module per app;
third-party and admin relations that stay out are in `excluded.py`, each with its reason.
"""

from . import (  # noqa: F401
    attachments,
    communities,
    excluded,
    knowledge,
    meetups,
    moderation,
    notifications,
)
