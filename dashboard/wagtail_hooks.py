"""The activity dashboard in the Wagtail admin: a panel on the home page, a page and a menu item."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from . import selectors, views


class WeekNewsPanel(Component):
    """What is new this week and what waits for a decision: the first panel a librarian sees."""

    name = "week_news"
    order = 40  # Before the activity numbers: the things a librarian acts on come first.
    template_name = "dashboard/week_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        return {"news": selectors.week_news_for(self.user)}


class ActivityPanel(Component):
    """The last 30 days at a glance, for the librarian's own communities."""

    name = "activity"
    order = 50  # Above Wagtail's own panels: this is what a librarian opens the admin for.
    template_name = "dashboard/home_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        overview = selectors.activity_overview(self.user)
        _pending, pending_count = selectors.membership_list_pending_for(self.user, limit=1)
        return {
            "counts": overview.total.windows[min(selectors.WINDOWS)],
            "days": min(selectors.WINDOWS),
            "community_count": len(overview.communities),
            "pending_count": pending_count,
            "dossier_count": selectors.dossier_count_to_review(),
            "metric_labels": views.METRIC_LABELS,
        }


class ActivityMenuItem(MenuItem):
    def is_shown(self, request):
        return selectors.user_can_see_dashboard(request.user)


@hooks.register("register_admin_urls")
def register_activity_urls():
    return [
        path("activiteit/", views.ActivityView.as_view(), name="dashboard_activity"),
        path("activiteit/export.csv", views.activity_csv, name="dashboard_activity_csv"),
        path("hulp/", views.HelpView.as_view(), name="dashboard_help"),
        path("impact/", views.impact_report, name="dashboard_impact"),
    ]


@hooks.register("register_admin_menu_item")
def register_activity_menu_item():
    return ActivityMenuItem(
        _("Activiteit"),
        reverse("dashboard_activity"),
        name="activiteit",
        icon_name="pick",
        order=150,
    )


@hooks.register("construct_homepage_panels")
def add_activity_panel(request, panels):
    if selectors.user_can_see_dashboard(request.user):
        panels.append(WeekNewsPanel(request.user))
        panels.append(ActivityPanel(request.user))


# Wagtail's Help menu links to its English Editor Guide and release notes on guide.wagtail.org:
# English, and a page of a third party. Our own Dutch guide takes their place.
ENGLISH_HELP_ITEMS = ("editor-guide", "whats-new-in-wagtail-")


@hooks.register("register_help_menu_item")
def register_dutch_guide_menu_item():
    return MenuItem(
        _("Handleiding voor bibliothecarissen"),
        reverse("dashboard_help"),
        name="handleiding",
        icon_name="help",
        order=900,
    )


@hooks.register("construct_help_menu")
def remove_english_help(request, menu_items):
    menu_items[:] = [
        item for item in menu_items if not str(item.name).startswith(ENGLISH_HELP_ITEMS)
    ]
