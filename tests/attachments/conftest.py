import pytest


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    """Attachments of each test in a directory of their own, apart from MEDIA_ROOT."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.PRIVATE_MEDIA_ROOT
