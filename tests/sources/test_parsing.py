"""What a page says about itself, read as plain text; and the one test door of the fetcher is
set by no settings module."""

from __future__ import annotations

from pathlib import Path

import pytest

from sources.normalise import first_bare_link, normalise_url
from sources.parsing import preview_from_html, preview_from_oembed

SETTINGS = Path(__file__).resolve().parents[2] / "kenniscloud" / "settings"


def test_no_settings_module_opens_the_test_door():
    for module in SETTINGS.glob("*.py"):
        assert "SOURCES_FETCH_TEST_SERVER" not in module.read_text(), module.name


def test_opengraph_comes_before_json_ld_and_the_title():
    html = """<html><head><title>Titel</title>
    <meta property="og:title" content="OG-titel">
    <script type="application/ld+json">{"@type": "Article", "headline": "LD-titel",
      "description": "LD-beschrijving"}</script></head></html>"""
    preview = preview_from_html(html, url="https://example.org/a")
    assert (preview.title, preview.description, preview.site_name) == (
        "OG-titel",
        "LD-beschrijving",
        "example.org",
    )


def test_an_xhtml_page_and_broken_json_ld():
    html = """<?xml version="1.0" encoding="utf-8"?>
    <html xmlns="http://www.w3.org/1999/xhtml"><head><title>XHTML</title>
    <script type="application/ld+json">{kapot</script></head><body/></html>"""
    assert preview_from_html(html, url="https://example.org/").title == "XHTML"


def test_text_is_cleaned_and_trimmed():
    html = (
        '<meta property="og:title" content="' + "Lang\x07 " * 200 + '">'
        '<meta property="og:description" content="Regel één\n\n   regel twee">'
    )
    preview = preview_from_html(html, url="https://example.org/")
    assert len(preview.title) == 300 and preview.title.endswith("…")
    assert "\x07" not in preview.title
    assert preview.description == "Regel één regel twee"


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        ("/beeld.jpg", "https://example.org/beeld.jpg"),
        ("//cdn.example.org/b.png", "https://cdn.example.org/b.png"),
        ("javascript:alert(1)", ""),
        ("data:image/png;base64,AAAA", ""),
        ("file:///etc/passwd", ""),
    ],
)
def test_only_web_addresses_are_taken_as_the_image(image, expected):
    html = f'<meta property="og:title" content="T"><meta property="og:image" content="{image}">'
    assert preview_from_html(html, url="https://example.org/pagina").image_url == expected


def test_an_oembed_answer_gives_no_html_of_its_own():
    preview = preview_from_oembed(
        b'{"title": "Video", "html": "<script>alert(1)</script>", "thumbnail_url": "x.jpg"}',
        embed_url="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        provider_name="YouTube",
    )
    assert preview.title == "Video"
    assert preview.embed_url == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    assert preview_from_oembed(b"[1, 2]", embed_url="", provider_name="YouTube").is_empty
    assert preview_from_oembed(b"{kapot", embed_url="", provider_name="YouTube").is_empty


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://Example.org", "https://example.org/"),
        ("http://example.org:80/a?b=1&utm_campaign=x&c=2#d", "http://example.org/a?b=1&c=2"),
        ("https://user:pw@example.org/", "https://example.org/"),
        ("https://bücher.example/", "https://xn--bcher-kva.example/"),
        ("https://[2001:db8::1]:8443/", "https://[2001:db8::1]:8443/"),
        ("ftp://example.org/", None),
        ("mailto:iemand@example.org", None),
        ("https://", None),
        ("https://example.org:99999/", None),
    ],
)
def test_normalise_url(url, expected):
    assert normalise_url(url) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Zie https://example.org/a.", "https://example.org/a"),
        ("(https://example.org/a)", "https://example.org/a"),
        (
            "https://nl.wikipedia.org/wiki/Kaas_(zuivel)",
            "https://nl.wikipedia.org/wiki/Kaas_(zuivel)",
        ),
        ("[tekst](https://example.org/a) en verder niets", None),
        ("![foto](https://example.org/a.png) https://example.org/b", "https://example.org/b"),
        ("<https://example.org/c>", "https://example.org/c"),
        ("geen link", None),
    ],
)
def test_first_bare_link(text, expected):
    assert first_bare_link(text) == expected
