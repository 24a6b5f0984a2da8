"""Titles from the catalogue (sources/catalogue.py): SRU with Dublin Core, Open Library, and
failing soft. A local server stands in for both catalogues."""

from __future__ import annotations

import json
import uuid

import pytest

from sources import catalogue
from tests.sources.conftest import Route

SRU = b"""<?xml version="1.0" encoding="UTF-8"?>
<srw:searchRetrieveResponse xmlns:srw="http://www.loc.gov/zing/srw/"
    xmlns:dc="http://purl.org/dc/elements/1.1/">
  <srw:numberOfRecords>2</srw:numberOfRecords>
  <srw:records>
    <srw:record><srw:recordData><srw_dc:dc xmlns:srw_dc="info:srw/schema/1/dc-schema">
      <dc:title>Zelf je huis isoleren</dc:title><dc:creator>Jansen, Anne</dc:creator>
      <dc:date>2019</dc:date><dc:identifier>PPN12345</dc:identifier>
    </srw_dc:dc></srw:recordData></srw:record>
    <srw:record><srw:recordData><srw_dc:dc xmlns:srw_dc="info:srw/schema/1/dc-schema">
      <dc:title>Zonder kenmerk</dc:title>
    </srw_dc:dc></srw:recordData></srw:record>
  </srw:records>
</srw:searchRetrieveResponse>"""

OPENLIBRARY = {
    "docs": [
        {
            "key": "/works/OL1W",
            "title": "Insulation basics",
            "author_name": ["A. Author", "B. Author"],
            "first_publish_year": 2001,
        },
        {"key": "javascript:alert(1)", "title": "Geen echte sleutel"},
    ]
}


@pytest.fixture
def term():
    return f"isoleren {uuid.uuid4().hex[:8]}"  # a fresh cache entry for each test


@pytest.fixture
def sru(settings, page_server):
    settings.CATALOGUE_PROVIDER = "sru"
    settings.CATALOGUE_SRU_URL = page_server.url("/sru")
    settings.CATALOGUE_SRU_EXTRA = "x-collection=NGVN"
    settings.CATALOGUE_TITLE_URL = "https://www.bibliotheek.nl/catalogus/titel.{id}.html"
    settings.CATALOGUE_OPENLIBRARY_URL = page_server.url("/ol")
    settings.CATALOGUE_TIMEOUT = 0.5
    return page_server


def test_sru_titles_with_their_catalogue_links(sru, term):
    sru.routes["/sru"] = Route(SRU, content_type="text/xml")
    (title,) = catalogue.catalogue_search(term)
    assert (title.title, title.creator, title.year, title.identifier) == (
        "Zelf je huis isoleren",
        "Jansen, Anne",
        "2019",
        "PPN12345",
    )
    assert title.url == "https://www.bibliotheek.nl/catalogus/titel.PPN12345.html"
    (request,) = sru.requests
    assert "operation=searchRetrieve" in request and "x-collection=NGVN" in request
    assert "recordSchema=dc" in request


def test_answers_are_cached(sru, term):
    sru.routes["/sru"] = Route(SRU, content_type="text/xml")
    first = catalogue.catalogue_search(term)
    assert catalogue.catalogue_search(f"  {term.upper()} ") == first
    assert len(sru.requests) == 1


def test_open_library_when_sru_fails(sru, term):
    sru.routes["/sru"] = Route(b"kapot", status=500)
    sru.routes["/ol/search.json"] = Route(
        json.dumps(OPENLIBRARY).encode(), content_type="application/json"
    )
    (title,) = catalogue.catalogue_search(term)
    assert (title.provider, title.title, title.creator, title.year) == (
        "openlibrary",
        "Insulation basics",
        "A. Author, B. Author",
        "2001",
    )
    assert title.url == sru.url("/ol/works/OL1W")


def test_a_slow_catalogue_gives_no_titles_and_is_asked_again(sru, settings, term):
    settings.CATALOGUE_FALLBACK_OPENLIBRARY = False
    sru.routes["/sru"] = Route(SRU, content_type="text/xml", delay=1.5)
    assert catalogue.catalogue_search(term) == []
    sru.routes["/sru"] = Route(SRU, content_type="text/xml")
    assert len(catalogue.catalogue_search(term)) == 1


def test_xml_with_entities_is_refused(sru, settings, term):
    settings.CATALOGUE_FALLBACK_OPENLIBRARY = False
    sru.routes["/sru"] = Route(
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<record><title>&x;</title><identifier>1</identifier></record>",
        content_type="text/xml",
    )
    assert catalogue.catalogue_search(term) == []


def test_no_provider_asks_nobody(settings, page_server, term):
    settings.CATALOGUE_PROVIDER = ""
    assert catalogue.catalogue_search(term) == []
    assert page_server.requests == []
