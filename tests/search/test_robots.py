"""robots.txt keeps crawlers out of search results and suggestions, in every language, and
lets them read the rest of the site."""

from urllib.robotparser import RobotFileParser

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def robots(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    parser = RobotFileParser()
    parser.parse(response.content.decode().splitlines())
    return parser


@pytest.mark.parametrize(
    "path",
    [
        "/zoeken/",
        "/zoeken/?q=zonnepanelen&pagina=2",
        "/zoeken/suggesties/?q=zon",
        "/en/zoeken/?q=solar",
        "/en/zoeken/suggesties/?q=sol",
    ],
)
def test_search_is_closed_to_crawlers(robots, path):
    assert not robots.can_fetch("AnyBot", path)


@pytest.mark.parametrize(
    "path", ["/", "/gemeenschappen/", "/wie-weet-wat/", "/tags/zonnepanelen/", "/en/"]
)
def test_the_rest_of_the_site_is_open(robots, path):
    assert robots.can_fetch("AnyBot", path)
