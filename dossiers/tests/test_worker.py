"""The real Celery worker compiles a dossier: chapters as separate tasks, then the merge."""

import time

import pytest
from django.core.files.storage import default_storage

from dossiers.models import ChapterRender, DossierVersion
from dossiers.services import dossier_compile
from dossiers.tests.conftest import read_pdf
from evidence.models import Blob

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_worker_compiles_the_dossier(serang_2025, rina, celery_worker):
    try:
        version = dossier_compile(assessment=serang_2025, actor=rina)  # commits, then sends the chord
        seen_progress = set()
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            version.refresh_from_db()
            seen_progress.add(version.progress)
            if not version.is_active:
                break
            time.sleep(0.3)
        assert version.state == "done", version.error or "the worker did not finish within 180 s"
        assert version.chapters_rendered == len(version.plan)
        assert len(seen_progress) > 2  # the status row moved while the worker went
        reader, _data = read_pdf(version)
        assert len(reader.pages) == version.page_count
        assert "Kabupaten Serang" in reader.pages[0].extract_text()
        assert len(reader.attachments) == 2
    finally:
        names = [version.pdf.name for version in DossierVersion.objects.all()]
        names += list(ChapterRender.objects.values_list("file", flat=True))
        for blob in Blob.objects.all():
            names += [blob.file.name, blob.preview.name, blob.thumbnail.name]
        for name in names:
            if name:
                default_storage.delete(name)
