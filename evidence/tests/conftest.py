"""Fixtures shared by the evidence tests (small and generic; the personas live in the root conftest)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from evidence.models import Activity
from forums.models import Body


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    """Stored files go to a throw-away folder (the default storage follows the setting)."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(root)}},
    }
    return root


@pytest.fixture
def upload_temp_dir(settings, tmp_path) -> Path:
    """Uploads streamed by the evidence handler land in a throw-away folder (to see what is left)."""
    folder = tmp_path / "upload-tmp"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    return folder


@pytest.fixture
def pokja_carenang(wilayah) -> Body:
    """The Pokja of desa Carenang (dewi's body; sari, the kecamatan's secretary, reads it)."""
    body, _created = Body.objects.get_or_create(kind=Body.Kind.POKJA_DESA, region=wilayah["desa_carenang"])
    return body


@pytest.fixture
def activity_carenang(pokja_carenang) -> Activity:
    """An activity of the Carenang Pokja (dewi's)."""
    return Activity.objects.create(
        body=pokja_carenang,
        title="Kerja bakti bersih desa",
        date=datetime.date(2024, 5, 1),
        place="Balai Desa Carenang",
    )
