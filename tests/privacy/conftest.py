from __future__ import annotations

import io
import zipfile

import pytest


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    """Private files of each test in a directory of its own, apart from MEDIA_ROOT."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.PRIVATE_MEDIA_ROOT


def open_zip(export) -> zipfile.ZipFile:
    with export.file.open("rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


def zip_text(archive: zipfile.ZipFile) -> str:
    """Everything in the zip as one text, to look for what must not be there."""
    return "\n".join(
        archive.read(name).decode("utf-8", errors="replace") for name in archive.namelist()
    )
