"""The real Celery worker compiles a dossier: chapters as separate tasks, then the merge; and a
photo uploaded through the upload page gets its print copy from the worker's photo task, so the
compile makes none."""

import hashlib
import io
import os
import time

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from dossiers.models import ChapterRender, DossierVersion
from dossiers.services import dossier_compile
from dossiers.tests.conftest import read_pdf
from evidence.models import Activity, Blob
from evidence.print_copies import PRINT_FOLDER, PRINT_PX, print_copy_name
from evidence.tests.blobs import photo_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def _written_by_the_world() -> list[str]:
    """What the compile world stored in the worker's (configured) media folder."""
    names = [version.pdf.name for version in DossierVersion.objects.all()]
    names += list(ChapterRender.objects.values_list("file", flat=True))
    for blob in Blob.objects.all():
        names += [blob.file.name, blob.preview.name, blob.thumbnail.name]
        names.append(print_copy_name(blob.kabupaten_id, blob.sha256))
    return [name for name in names if name]


def _wait_for(version: DossierVersion, seconds: float = 180) -> set[int]:
    """Poll the version until it ends; the progress values seen on the way."""
    seen_progress = set()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        version.refresh_from_db()
        seen_progress.add(version.progress)
        if not version.is_active:
            break
        time.sleep(0.3)
    return seen_progress


def test_the_worker_compiles_the_dossier(serang_2025, rina, celery_worker):
    try:
        version = dossier_compile(assessment=serang_2025, actor=rina)  # commits, then sends the chord
        seen_progress = _wait_for(version)
        assert version.state == "done", version.error or "the worker did not finish within 180 s"
        assert version.chapters_rendered == len(version.plan)
        assert len(seen_progress) > 2  # the status row moved while the worker went
        reader, _data = read_pdf(version)
        assert len(reader.pages) == version.page_count
        assert "Kabupaten Serang" in reader.pages[0].extract_text()
        assert len(reader.attachments) == 2
    finally:
        for name in _written_by_the_world():
            default_storage.delete(name)


def _print_folder() -> dict[str, int]:
    """Every file under the print copies' folder, with its modification time (ns)."""
    found = {}
    for folder, _dirs, files in os.walk(default_storage.path(PRINT_FOLDER)):
        for file_name in files:
            path = os.path.join(folder, file_name)
            found[path] = os.stat(path).st_mtime_ns
    return found


def test_an_uploaded_photo_has_its_print_copy_before_the_compile_which_makes_none(
    serang_2025, rina, sari, client, celery_worker
):
    """Issue 14, item 6: the print copy is made by the photo pipeline at upload, in the worker's
    photo task, not by the compile; the older photos of the world (stored before, without copies)
    get theirs from ``manage.py print_copies``. Real upload page, real worker, real storage."""
    activity = Activity.objects.get(title="Kerja bakti Pasar Carenang")
    data = photo_bytes((2400, 1800), taken="2023:03:18 08:30:00")
    try:
        client.force_login(sari)
        response = client.post(
            reverse("evidence:activity_upload", args=[activity.pk]),
            {"files": [SimpleUploadedFile("kerja-bakti-2.jpg", data, "image/jpeg")], "kind": ["foto"]},
            HTTP_ACCEPT="application/json",
        )
        assert [row["status"] for row in response.json()["files"]] == ["stored"]
        blob = Blob.objects.get(sha256=hashlib.sha256(data).hexdigest())
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and blob.processed_at is None and not blob.processing_error:
            time.sleep(0.3)
            blob.refresh_from_db()
        assert blob.processed_at is not None, blob.processing_error or "the worker did not process the photo in 60 s"

        # Before any compile, the worker's photo task has made the print copy.
        assert not DossierVersion.objects.exists()
        uploaded = print_copy_name(blob.kabupaten_id, blob.sha256)
        assert default_storage.exists(uploaded)

        out = io.StringIO()
        call_command("print_copies", stdout=out)  # the fixture's photos, stored without copies
        assert "0 gagal" in out.getvalue()
        before = _print_folder()
        assert default_storage.path(uploaded) in before

        version = dossier_compile(assessment=serang_2025, actor=rina)
        _wait_for(version)
        assert version.state == "done", version.error or "the worker did not finish within 180 s"

        # The compile made no print copy and rewrote none.
        assert _print_folder() == before
        reader, _data = read_pdf(version)
        sizes = {image.image.size for page in reader.pages for image in page.images}
        assert (PRINT_PX, PRINT_PX * 3 // 4) in sizes  # the uploaded photo, printed from its copy
    finally:
        for name in _written_by_the_world():
            default_storage.delete(name)
