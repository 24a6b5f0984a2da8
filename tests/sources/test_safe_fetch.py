"""The fetcher refuses every address that is not the public internet, and every answer that is
not a small, quick HTML page. Nothing here reaches the internet: refused addresses are refused
before any connection, and the rest is served by the local `page_server`."""

from __future__ import annotations

import time

import pytest

from sources import safe_fetch
from sources.safe_fetch import FetchRefused
from tests.sources.conftest import Route, page

HOSTILE = [
    # loopback, private, link-local and metadata addresses
    ("http://127.0.0.1/", "address"),
    ("http://127.0.0.2/", "address"),
    ("http://localhost/", "host"),
    ("http://10.0.0.1/", "address"),
    ("http://10.255.255.255/admin", "address"),
    ("http://172.16.0.1/", "address"),
    ("http://172.31.255.254/", "address"),
    ("http://192.168.1.1/", "address"),
    ("http://169.254.169.254/latest/meta-data/", "address"),
    ("http://100.64.0.1/", "address"),
    ("http://0.0.0.0/", "address"),
    ("http://[::1]/", "address"),
    ("http://[::]/", "address"),
    ("http://[::ffff:127.0.0.1]/", "address"),
    ("http://[::ffff:7f00:1]/", "address"),
    ("http://[::ffff:169.254.169.254]/", "address"),
    ("http://[64:ff9b::a00:1]/", "address"),
    ("http://[2002:7f00:1::]/", "address"),
    ("http://[fd00::1]/", "address"),
    ("http://[fe80::1]/", "address"),
    ("http://224.0.0.1/", "address"),
    ("http://255.255.255.255/", "address"),
    # other spellings of an IP address
    ("http://2130706433/", "ip_spelling"),
    ("http://0x7f000001/", "ip_spelling"),
    ("http://0177.0.0.1/", "ip_spelling"),
    ("http://0x7f.0.0.1/", "ip_spelling"),
    ("http://127.1/", "ip_spelling"),
    ("http://0/", "ip_spelling"),
    ("http://017700000001/", "ip_spelling"),
    # ports, schemes, credentials, names of the local network
    ("http://example.org:8080/", "port"),
    ("https://example.org:80/", "port"),
    ("http://example.org:443/", "port"),
    ("http://example.org:22/", "port"),
    ("https://93.184.216.34:8443/", "port"),
    ("file:///etc/passwd", "scheme"),
    ("ftp://example.org/file", "scheme"),
    ("gopher://example.org:70/_GET", "scheme"),
    ("dict://example.org:11211/stat", "scheme"),
    ("javascript:alert(1)", "scheme"),
    ("//example.org/", "scheme"),
    ("http://user:pass@example.org/", "credentials"),
    ("http://intranet/", "host"),
    ("http:///path", "host"),
]


@pytest.fixture
def no_dns(monkeypatch):
    """Names in the hostile table that get as far as a lookup fail the test: every refusal
    above happens before DNS, except for public names, which resolve to a public address."""

    def resolve(host, port):
        return ["93.184.216.34"]

    monkeypatch.setattr(safe_fetch, "resolve", resolve)


@pytest.mark.parametrize(("url", "code"), HOSTILE)
def test_hostile_urls_are_refused(url, code, no_dns, monkeypatch):
    connected = []
    monkeypatch.setattr(safe_fetch, "_pool", lambda *args: connected.append(args))
    with pytest.raises(FetchRefused) as refused:
        safe_fetch.fetch(url)
    assert refused.value.code == code
    assert connected == []


@pytest.mark.parametrize(("url", "code"), HOSTILE)
def test_hostile_urls_stay_refused_with_the_test_server_open(url, code, no_dns, page_server):
    with pytest.raises(FetchRefused) as refused:
        safe_fetch.vet(url)
    assert refused.value.code == code


def test_the_test_door_admits_only_its_own_port_and_plain_http(page_server):
    assert safe_fetch.vet(page_server.url("/")).address == "127.0.0.1"
    for url in (
        f"http://127.0.0.1:{page_server.port + 1}/",
        f"https://127.0.0.1:{page_server.port}/",
        f"http://localhost:{page_server.port}/",
        f"http://[::1]:{page_server.port}/",
        f"http://2130706433:{page_server.port}/",
    ):
        with pytest.raises(FetchRefused):
            safe_fetch.vet(url)


def test_the_test_door_never_admits_a_non_loopback_address(settings):
    settings.SOURCES_FETCH_TEST_SERVER = "10.0.0.1:80"
    with pytest.raises(FetchRefused):
        safe_fetch.vet("http://10.0.0.1/")


@pytest.mark.parametrize(
    "addresses",
    [
        ["10.0.0.5"],
        ["127.0.0.1"],
        ["169.254.169.254"],
        ["::ffff:10.0.0.5"],
        ["fd12::1"],
        ["93.184.216.34", "192.168.0.10"],  # one private among public ones is enough
    ],
)
def test_a_name_that_resolves_to_a_private_address_is_refused(monkeypatch, addresses):
    monkeypatch.setattr(safe_fetch, "resolve", lambda host, port: addresses)
    with pytest.raises(FetchRefused) as refused:
        safe_fetch.fetch("https://innocent.example.org/")
    assert refused.value.code == "address"


def test_the_connection_goes_to_the_vetted_address_with_the_name_as_host(monkeypatch):
    """No second lookup that a DNS server could answer differently (DNS rebinding)."""
    lookups = []
    monkeypatch.setattr(
        safe_fetch, "resolve", lambda host, port: lookups.append(host) or ["93.184.216.34"]
    )
    pools = []

    def pool(target, timeout):
        pools.append(target)
        raise FetchRefused("stop")

    monkeypatch.setattr(safe_fetch, "_pool", pool)
    with pytest.raises(FetchRefused):
        safe_fetch.fetch("https://news.example.org/artikel?id=3")
    assert lookups == ["news.example.org"]
    (target,) = pools
    assert (target.address, target.host, target.port, target.path) == (
        "93.184.216.34",
        "news.example.org",
        443,
        "/artikel?id=3",
    )
    assert safe_fetch._host_header(target) == "news.example.org"


def test_a_page_from_the_local_server(page_server):
    page_server.routes["/"] = Route(page("<title>Hallo</title>"))
    fetched = safe_fetch.fetch(page_server.url("/"))
    assert b"<title>Hallo</title>" in fetched.body
    assert (fetched.content_type, fetched.charset) == ("text/html", "utf-8")


@pytest.mark.parametrize(
    "location", ["http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/", "file:///etc"]
)
def test_a_redirect_is_vetted_again(page_server, location):
    page_server.routes["/weg"] = Route(status=302, headers={"Location": location})
    with pytest.raises(FetchRefused) as refused:
        safe_fetch.fetch(page_server.url("/weg"))
    assert refused.value.code in ("address", "scheme")


def test_a_redirect_to_a_name_that_resolves_privately_is_refused(page_server, monkeypatch):
    monkeypatch.setattr(safe_fetch, "resolve", lambda host, port: ["192.168.1.20"])
    page_server.routes["/weg"] = Route(
        status=301, headers={"Location": "http://router.example.org/"}
    )
    with pytest.raises(FetchRefused) as refused:
        safe_fetch.fetch(page_server.url("/weg"))
    assert refused.value.code == "address"


def test_at_most_three_redirects(page_server):
    for hop in range(4):
        page_server.routes[f"/{hop}"] = Route(status=302, headers={"Location": f"/{hop + 1}"})
    page_server.routes["/4"] = Route(page("<title>Eindelijk</title>"))
    page_server.routes["/3b"] = Route(page("<title>Drie</title>"))
    with pytest.raises(FetchRefused) as refused:
        safe_fetch.fetch(page_server.url("/0"))
    assert refused.value.code == "redirects"
    # Three are followed.
    assert safe_fetch.fetch(page_server.url("/1")).url == page_server.url("/4")


@pytest.mark.parametrize(
    "content_type", ["application/pdf", "image/png", "application/json", "text/plain", ""]
)
def test_only_html_is_taken(page_server, content_type):
    page_server.routes["/ding"] = Route(b"%PDF-1.7", content_type=content_type)
    with pytest.raises(FetchRefused) as refused:
        safe_fetch.fetch(page_server.url("/ding"))
    assert refused.value.code == "content_type"


def test_a_compressed_answer_is_refused(page_server):
    page_server.routes["/gz"] = Route(b"\x1f\x8b...", headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchRefused) as refused:
        safe_fetch.fetch(page_server.url("/gz"))
    assert refused.value.code == "content_encoding"


def test_more_than_a_megabyte_is_refused(page_server):
    page_server.routes["/groot"] = Route(page("", "x" * (1024 * 1024 + 1)))
    with pytest.raises(FetchRefused) as refused:
        safe_fetch.fetch(page_server.url("/groot"))
    assert refused.value.code == "too_large"


def test_the_size_cap_holds_without_a_content_length(page_server, settings):
    settings.SOURCE_FETCH_MAX_BYTES = 1000
    page_server.routes["/stroom"] = Route(page("", "x" * 5000), drip=0.001, piece=500)
    with pytest.raises(FetchRefused) as refused:
        safe_fetch.fetch(page_server.url("/stroom"))
    assert refused.value.code == "too_large"


def test_a_slow_server_runs_into_the_deadline(page_server, settings):
    settings.SOURCE_FETCH_TIMEOUT = 0.5
    page_server.routes["/traag"] = Route(page("<title>Traag</title>"), delay=2)
    started = time.monotonic()
    with pytest.raises(FetchRefused) as refused:
        safe_fetch.fetch(page_server.url("/traag"))
    assert refused.value.code == "timeout"
    assert time.monotonic() - started < 1.5


def test_a_server_that_drips_cannot_stretch_the_deadline(page_server, settings):
    settings.SOURCE_FETCH_TIMEOUT = 0.5
    page_server.routes["/druppel"] = Route(page("<title>Druppel</title>"), drip=0.1, piece=1)
    started = time.monotonic()
    with pytest.raises(FetchRefused) as refused:
        safe_fetch.fetch(page_server.url("/druppel"))
    assert refused.value.code == "timeout"
    assert time.monotonic() - started < 1.5
