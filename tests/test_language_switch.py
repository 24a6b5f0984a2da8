"""The language switch links to this page in the other language; after a refused POST it links
to the page the form was on, not to the address the form was posted to."""

from __future__ import annotations

from django.test import RequestFactory
from django.utils import translation

from kenniscloud.common.templatetags.language_tags import language_links


def _links(request) -> dict[str, str]:
    with translation.override("nl"):
        return {link["code"]: link["url"] for link in language_links({"request": request})}


def test_a_page_links_to_itself_in_each_language():
    request = RequestFactory().get("/themas/?pagina=2")
    assert _links(request) == {"nl": "/themas/?pagina=2", "en": "/en/themas/?pagina=2"}


def test_after_a_refused_post_the_switch_leads_to_the_form_page():
    request = RequestFactory().post(
        "/gemeenschappen/buurt/verlaten/", HTTP_REFERER="http://testserver/themas/?pagina=2"
    )
    assert _links(request)["en"] == "/en/themas/?pagina=2"


def test_a_referer_of_another_site_is_not_followed():
    request = RequestFactory().post("/themas/", HTTP_REFERER="https://elders.example/themas/x/")
    assert _links(request)["en"] == "/en/themas/"
