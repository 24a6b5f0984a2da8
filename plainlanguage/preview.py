"""The readability check without JavaScript: a form's "Controleer de leesbaarheid" button.

The button (templates/plainlanguage/advice.html) sends the form with `leesbaarheid`; the view
then shows the form again with the advice instead of saving (knowledge.views).
"""

from __future__ import annotations

from django.forms.utils import ErrorDict

from .analysis import Advice
from .selectors import advice_for_markdown

BUTTON = "leesbaarheid"


def readability_preview(request, form, field: str = "body") -> Advice | None:
    """The advice on `field` as sent, when the member pressed the check button; else None.

    The form is shown again as typed but without its errors: it was not sent to be saved, so
    "Titel is verplicht" would answer a question nobody asked.
    """
    if request.method != "POST" or BUTTON not in request.POST:
        return None
    form._errors = ErrorDict(renderer=form.renderer)  # no validation on a check
    return advice_for_markdown(request.POST.get(field, "")[: form.fields[field].max_length or None])
