"""English in tests, before the lead has translated a new string.

New Dutch msgids reach kenniscloud/locale/en only when the lead merges the helpers'
translations, so a test that checks a page is *translated* at display time (and not stored in
English) gives the English catalog the entries it needs, for that test only:

    def test_x(english, client):
        english({"Verwijderd lid": "Deleted member"})
        english({("%(count)s dag", 0): "%(count)s day", ("%(count)s dag", 1): "%(count)s days"})
"""

from __future__ import annotations

import pytest
from django.utils.translation import trans_real


@pytest.fixture
def english(monkeypatch):
    def add(entries: dict) -> None:
        catalog = trans_real.translation("en")._catalog._catalogs[0]
        for msgid, text in entries.items():
            monkeypatch.setitem(catalog, msgid, text)

    return add
