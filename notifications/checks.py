"""A wrong DIGEST_WEEKDAY stops the site at start-up instead of silently never sending."""

from django.conf import settings
from django.core.checks import Error, register

from .periods import parse_weekday


@register()
def digest_weekday_check(app_configs, **kwargs):
    try:
        parse_weekday(settings.DIGEST_WEEKDAY)
    except ValueError:
        return [
            Error(
                f"DIGEST_WEEKDAY={settings.DIGEST_WEEKDAY!r} is not a weekday.",
                hint="Use monday … sunday, maandag … zondag, or 1-7 (1 is Monday).",
                id="notifications.E001",
            )
        ]
    return []
