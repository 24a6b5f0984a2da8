"""The parts of a data export, one small registry: each app's part says which of its relations
to the user it exports, and the relations it leaves out say why.

`uncovered_relations()` lists every relation to the user model (foreign key, one-to-one or
many-to-many, of every installed model, third-party ones too) that no part exports and no
exclusion explains; tests/privacy/test_registry.py fails while that list is not empty, so a new
model with a user field cannot be forgotten silently.

A relation is named "app_label.Model.field" after the model that declares the field (a Wagtail
page's `owner` is "wagtailcore.Page.owner", not one name per page type).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection); the same
# rule as the attendee list (meetups/organiser_views.py).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportArchive:
    """The zip a part writes into. Paths are fixed names inside the zip; CSV files are for Excel
    in the Netherlands (UTF-8 with a BOM, `;` between fields), like the attendee list."""

    def __init__(self, zip_file: zipfile.ZipFile, *, now: dt.datetime) -> None:
        self._zip = zip_file
        self._date_time = timezone.localtime(now).timetuple()[:6]
        self.paths: list[str] = []

    def _info(self, path: str) -> zipfile.ZipInfo:
        if path in self.paths:
            raise ValueError(f"{path} is already in the export")
        self.paths.append(path)
        info = zipfile.ZipInfo(path, date_time=self._date_time)
        info.compress_type = zipfile.ZIP_DEFLATED
        return info

    def write_text(self, path: str, text: str) -> None:
        self._zip.writestr(self._info(path), text.encode())

    def write_json(self, path: str, data) -> None:
        text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        self.write_text(path, text + "\n")

    def write_csv(self, path: str, header: list[str], rows: Iterable[Iterable]) -> None:
        buffer = io.StringIO()
        buffer.write("\ufeff")
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([_cell(value) for value in row])
        self.write_text(path, buffer.getvalue())

    def write_file(self, path: str, source) -> None:
        """Copy an open binary file (an upload) into the zip, in chunks."""
        with self._zip.open(self._info(path), "w") as target:
            while chunk := source.read(1024 * 1024):
                target.write(chunk)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


Writer = Callable[[object, ExportArchive], None]


@dataclass(frozen=True)
class ExportPart:
    key: str
    covers: tuple[str, ...]
    write: Writer


_parts: dict[str, ExportPart] = {}
_exclusions: dict[str, str] = {}


def register(key: str, *, covers: Iterable[str] = ()) -> Callable[[Writer], Writer]:
    """Decorator: `write(member, archive)` adds this part to every export."""

    def decorate(write: Writer) -> Writer:
        if key in _parts:
            raise ValueError(f"export part {key} is registered twice")
        _parts[key] = ExportPart(key=key, covers=tuple(covers), write=write)
        return write

    return decorate


def exclude(relation: str, reason: str) -> None:
    """Leave a relation to the user out of the export, for a reason a reviewer can judge."""
    if not reason.strip():
        raise ValueError(f"excluding {relation} needs a reason")
    if relation in _exclusions:
        raise ValueError(f"{relation} is excluded twice")
    _exclusions[relation] = reason


def parts() -> list[ExportPart]:
    return list(_parts.values())


def exclusions() -> dict[str, str]:
    return dict(_exclusions)


def user_relations() -> set[str]:
    """Every field of every installed model that points at the user model."""
    user_model = get_user_model()
    found = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                field.is_relation
                and field.concrete
                and (field.many_to_one or field.one_to_one or field.many_to_many)
                and field.related_model is user_model
                # A child page's `owner` is its Page's: named once, after the declaring model.
                and field.model is model
            ):
                found.add(f"{model._meta.label}.{field.name}")
    return found


def covered_relations() -> set[str]:
    return {relation for part in _parts.values() for relation in part.covers}


def uncovered_relations() -> set[str]:
    return user_relations() - covered_relations() - set(_exclusions)


def unknown_names() -> set[str]:
    """Covered or excluded names that are no relation to the user (a renamed field, a typo)."""
    return (covered_relations() | set(_exclusions)) - user_relations()
