"""Password rules with messages in our own words, and a Dutch list of common passwords.

Django's validators speak formal Dutch ("Uw wachtwoord …") or English ("The password is too
similar to …"); ours say the same in the informal "je" of the rest of the site. The common
password check also knows Dutch favourites such as "welkom" and "wachtwoord", with or without
digits or a year after them ("welkom123", "Wachtwoord2024!").
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from django.contrib.auth import password_validation as django_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

DUTCH_LIST = Path(__file__).resolve().parent / "data" / "common-passwords-nl.txt"
# Digits, punctuation and spaces around a word add little: "welkom123!" is guessed as fast as
# "welkom".
_DECORATION = re.compile(r"^[\d\W_]+|[\d\W_]+$")


@cache
def _dutch_passwords() -> frozenset[str]:
    lines = DUTCH_LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


class MinimumLengthValidator(django_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return ngettext(
            "Je wachtwoord is te kort. Gebruik minstens %(min_length)d teken.",
            "Je wachtwoord is te kort. Gebruik minstens %(min_length)d tekens.",
            self.min_length,
        )

    def get_help_text(self) -> str:
        return ngettext(
            "Gebruik minstens %(min_length)d teken.",
            "Gebruik minstens %(min_length)d tekens.",
            self.min_length,
        ) % {"min_length": self.min_length}


class UserAttributeSimilarityValidator(django_validation.UserAttributeSimilarityValidator):
    """Compared with the name, the handle and the email address of the member."""

    def __init__(self, user_attributes=("display_name", "handle", "email"), max_similarity=0.7):
        super().__init__(user_attributes=user_attributes, max_similarity=max_similarity)

    def get_error_message(self) -> str:
        return _("Je wachtwoord lijkt te veel op je %(verbose_name)s.")

    def get_help_text(self) -> str:
        return _("Je wachtwoord mag niet te veel lijken op je naam of e-mailadres.")


class CommonPasswordValidator(django_validation.CommonPasswordValidator):
    """Django's list of 20 000 common passwords plus our Dutch list, also with digits or
    punctuation before or after the word."""

    def validate(self, password: str, user=None) -> None:
        word = password.lower().strip()
        candidates = {word, _DECORATION.sub("", word)} - {""}
        if candidates & (self.passwords | _dutch_passwords()):
            raise ValidationError(self.get_error_message(), code="password_too_common")

    def get_error_message(self) -> str:
        return _(
            "Dit wachtwoord is te makkelijk te raden: veel mensen gebruiken het. Kies iets "
            "wat alleen jij weet, bijvoorbeeld een zin van een paar woorden."
        )

    def get_help_text(self) -> str:
        return _("Kies geen wachtwoord dat veel mensen gebruiken, zoals welkom123.")


class NumericPasswordValidator(django_validation.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return _("Je wachtwoord bestaat alleen uit cijfers. Gebruik ook letters.")

    def get_help_text(self) -> str:
        return _("Gebruik niet alleen cijfers.")
