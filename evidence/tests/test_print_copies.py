"""The dossier's print copies, made by the photo task at upload (``evidence.print_copies``): once,
from the preview, kept by the sweep while their blob is ready, and filled for older photos by
``manage.py print_copies``. (The real worker doing it after an upload, and a compile then making
none: ``dossiers/tests/test_worker.py``.)"""

from __future__ import annotations

import io
import os
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image

from evidence import photos
from evidence.models import Blob
from evidence.photos import process_blob
from evidence.print_copies import PRINT_FOLDER, PRINT_PX, print_copy_name, print_copy_owner
from evidence.selectors import Owner
from evidence.tests.blobs import attach, photo_bytes, store_blob
from evidence.uploads import sweep_stale_uploads

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo(wilayah, activity_carenang, media_root):
    """A 2400 × 1800 photo of Serang attached to an activity, not processed yet."""
    blob = store_blob(wilayah["serang"], photo_bytes((2400, 1800)))
    attach(blob, Owner(activity=activity_carenang))
    return blob


def _open(name: str) -> Image.Image:
    with default_storage.open(name, "rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


def _mtime(name: str) -> int:
    return os.stat(default_storage.path(name)).st_mtime_ns


def test_the_photo_task_makes_the_print_copy_from_the_preview(photo):
    assert process_blob(photo.pk) == "processed"

    name = print_copy_name("36.04", photo.sha256)
    assert default_storage.exists(name)
    copy = _open(name)
    assert copy.format == "JPEG"
    assert copy.size == (PRINT_PX, PRINT_PX * 3 // 4)  # from the 1600 × 1200 preview
    assert not copy.getexif()
    assert not copy.info.get("progressive")  # what every PDF reader and printer decodes
    # Nothing but the copy in its folder (no temporary file left).
    assert os.listdir(os.path.dirname(default_storage.path(name))) == [os.path.basename(name)]


def test_running_the_task_again_keeps_the_copy_and_makes_a_missing_one(photo):
    process_blob(photo.pk)
    name = print_copy_name("36.04", photo.sha256)
    made_at = _mtime(name)

    assert process_blob(photo.pk) == "flags-refreshed"
    assert _mtime(name) == made_at

    # A photo processed before the task made print copies: the next run (a second attachment) makes it.
    default_storage.delete(name)
    assert process_blob(photo.pk) == "flags-refreshed"
    assert _open(name).size == (PRINT_PX, PRINT_PX * 3 // 4)


def test_a_print_copy_that_cannot_be_stored_does_not_fail_the_photo(photo, monkeypatch):
    def broken(**kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(photos, "print_copy_from_preview", broken)
    assert process_blob(photo.pk) == "processed"
    photo.refresh_from_db()
    assert photo.processed_at is not None
    assert photo.processing_error == ""
    assert default_storage.exists(photo.preview.name)
    assert not default_storage.exists(print_copy_name("36.04", photo.sha256))


def test_a_broken_image_gets_no_print_copy(wilayah, activity_carenang, media_root):
    blob = store_blob(wilayah["serang"], b"\xff\xd8\xff\xe0 not a jpeg at all")
    attach(blob, Owner(activity=activity_carenang))
    assert process_blob(blob.pk) == "broken"
    assert not default_storage.exists(print_copy_name("36.04", blob.sha256))


def test_print_copy_names_tell_their_blob():
    name = print_copy_name("36.04", "ab" * 32)
    assert print_copy_owner(name) == ("36.04", "ab" * 32)
    assert print_copy_owner(f"{PRINT_FOLDER}/36.04/ab/{'ab' * 32}-1200q80.jpg") == ("36.04", "ab" * 32)
    assert print_copy_owner("bukti-turunan/ab/0123.jpg") is None
    assert print_copy_owner(f"{PRINT_FOLDER}/36.04/ab/.cetak-x.part") is None


def test_the_sweep_keeps_the_print_copies_of_ready_blobs_only(photo, settings):
    """A print copy is named by no column of its blob's row: the sweep of orphan files must know
    it, or every copy older than EVIDENCE_STALE_UPLOAD_MINUTES would go and each compile make it again."""
    process_blob(photo.pk)
    kept = print_copy_name("36.04", photo.sha256)
    orphan = print_copy_name("36.04", "f" * 64)  # its blob is gone
    other_kabupaten = print_copy_name("32.01", photo.sha256)  # the same bytes, but no blob of Bogor
    old_settings = f"{PRINT_FOLDER}/36.04/{photo.sha256[:2]}/{photo.sha256}-1200q80.jpg"
    for name in (orphan, other_kabupaten, old_settings):
        default_storage.save(name, ContentFile(b"\xff\xd8salinan"))

    sweep_stale_uploads(older_than=timedelta(0))

    assert default_storage.exists(kept)
    assert default_storage.exists(photo.preview.name)
    assert not default_storage.exists(orphan)
    assert not default_storage.exists(other_kabupaten)
    assert not default_storage.exists(old_settings)


def test_the_command_fills_the_copies_photos_uploaded_before_lack(wilayah, activity_carenang, media_root):
    made = []
    for size in ((2400, 1800), (1000, 800)):
        blob = store_blob(wilayah["serang"], photo_bytes(size))
        attach(blob, Owner(activity=activity_carenang))
        process_blob(blob.pk)
        made.append(blob)
    # As uploaded before this change: previews, no print copies.
    for blob in made:
        default_storage.delete(print_copy_name("36.04", blob.sha256))
    waiting = store_blob(wilayah["serang"], photo_bytes((600, 400), taken="2024:01:02 03:04:05"))
    lost = made[1]
    Blob.objects.filter(pk=lost.pk).update(preview="bukti-turunan/00/hilang.jpg")
    out = io.StringIO()

    call_command("print_copies", "--kabupaten", "36.04", stdout=out)

    assert "1 dibuat, 0 sudah ada, 1 gagal" in out.getvalue()
    assert "1 foto belum diproses" in out.getvalue()
    assert _open(print_copy_name("36.04", made[0].sha256)).size == (PRINT_PX, PRINT_PX * 3 // 4)
    assert not default_storage.exists(print_copy_name("36.04", waiting.sha256))

    again = io.StringIO()
    call_command("print_copies", stdout=again)
    assert "0 dibuat, 1 sudah ada, 1 gagal" in again.getvalue()


def test_the_command_refuses_an_unknown_kabupaten(media_root, wilayah):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="99.99"):
        call_command("print_copies", "--kabupaten", "99.99")
