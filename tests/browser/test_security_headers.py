"""The Content-Security-Policy in Chromium: the site's pages and the admins load and work
without a single violation in the console."""

import pytest
from django.test import Client

from tests.browser.site import site_from_migrations
from tests.communities.factories import CommunityFactory, MembershipFactory, UserFactory
from tests.knowledge.factories import ContributionFactory
from tests.meetups.factories import MeetupFactory
from tests.mfa import admin_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Records violations from the moment a document starts; devtools adds it, so the policy of
# the page does not apply to this script itself.
_LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}`);
});
"""


@pytest.fixture(autouse=True)
def _site_from_migrations():
    """The home page, roles and content pages, as the data migrations make them (browser tests
    run in transactions that are flushed afterwards)."""
    site_from_migrations()


def _watched_page(browser, live_server, session_cookie: str | None = None):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="nl-NL"
    )
    context.set_default_timeout(15_000)
    if session_cookie:
        context.add_cookies(
            [{"name": "sessionid", "value": session_cookie, "url": live_server.url}]
        )
    context.add_init_script(_LISTEN)
    page = context.new_page()
    page.console_csp = []
    page.on(
        "console",
        lambda m: "Content Security Policy" in m.text and page.console_csp.append(m.text),
    )
    return page


def _violations(page, path: str) -> list[str]:
    page.goto(path)
    page.wait_for_load_state("networkidle")
    return page.console_csp + page.evaluate("window.__violations")


def _assert_clean(page, paths) -> None:
    found = {}
    for path in paths:
        page.console_csp.clear()
        violations = _violations(page, path)
        if violations:
            found[path] = violations
    assert found == {}


def test_the_site_loads_without_csp_violations(browser, live_server):
    from knowledge.models import HomePage

    community = CommunityFactory()
    member = MembershipFactory(community=community).user
    contribution = ContributionFactory(community=community, author=member)
    meetup = MeetupFactory(community=community)
    paths = [
        "/",
        HomePage.objects.get().url,
        contribution.get_absolute_url(),
        meetup.get_absolute_url(),
        "/accounts/login/",
        "/themas/",
    ]

    anonymous = _watched_page(browser, live_server)
    _assert_clean(anonymous, paths)

    client = Client()
    client.force_login(member)
    logged_in = _watched_page(browser, live_server, client.cookies["sessionid"].value)
    _assert_clean(logged_in, [*paths[:4], "/instellingen/profiel/"])
    anonymous.context.close()
    logged_in.context.close()


def test_the_admins_load_and_edit_without_csp_violations(browser, live_server):
    from knowledge.models import ArticleIndexPage, HomePage

    admin = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    admin_login(client, admin)
    page = _watched_page(browser, live_server, client.cookies["sessionid"].value)
    home = HomePage.objects.get()
    index = ArticleIndexPage.objects.first()

    _assert_clean(
        page,
        [
            "/cms/",
            "/cms/pages/",
            f"/cms/pages/add/knowledge/articlepage/{index.pk}/",
            "/cms/snippets/communities/community/",
            "/cms/users/",
            f"/cms/users/edit/{admin.pk}/",
            "/cms/images/multiple/add/",
            "/django-admin/",
            f"/django-admin/communities/user/{admin.pk}/change/",
        ],
    )

    # The page editor at work: open the block chooser of the StreamField.
    page.console_csp.clear()
    assert _violations(page, f"/cms/pages/{home.pk}/edit/") == []
    page.locator("button[data-streamfield-action='ADD'], .c-sf-add-button").first.click()
    page.wait_for_timeout(500)
    assert page.console_csp + page.evaluate("window.__violations") == []
    page.context.close()
