"""Print copies: the photos a dossier embeds, made by the photo pipeline when a photo is uploaded.

A dossier shows a photo 8 cm wide and at most 6 cm tall. The ≤ 1600 px copy that the photo
pipeline makes for the screen (``Blob.preview``) is about 0.5 MB: 2,000 of them would make a
1 GB PDF. The dossier embeds a *print copy* instead: at most ``PRINT_PX`` px on its long side
(250 dpi at 8 cm) at JPEG quality ``PRINT_QUALITY``: about 100 kB, a fifth of the preview.

A print copy is made from the preview (already upright and without EXIF), decoded at half size by
JPEG draft mode (a 1600 px preview comes out at 800 px: no resampling); making one costs some
25 ms of CPU and a few MB of memory. The photo task (``evidence.photos.process_blob``) makes it
right after the preview, from the preview's bytes still in memory, so a dossier compile finds every
copy ready (docs/PERFORMANCE.md, "Dossier compile"). It is kept in the default storage under a
name derived from the kabupaten, the blob's SHA-256 and the two settings (``print_copy_name``):
every compile, on every worker, finds it there, and a photo attached twice has one copy. A photo
uploaded before copies were made at upload gets its copy from the compile's chapter task
(``print_copy_ensure``, the fallback) or from ``manage.py print_copies``. The name goes into the
dossier chapter's data, so changing the settings re-renders the chapters with photos.

A print copy is not named by its blob's row: the sweep of orphan files
(``evidence.uploads.sweep_orphan_files``) keeps it while a ready blob of its kabupaten and SHA-256
exists (``print_copy_owner``) and deletes it with the rest once none does.

Two workers making the same copy at once write the same bytes; on local disk each writes a
temporary file and renames it into place (a reader never sees half a file), on S3 a PUT is
atomic and the second one's renamed copy is dropped.
"""

from __future__ import annotations

import io
import logging
import os
import re
import tempfile
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, UnidentifiedImageError

from .models import IMAGE_TYPES, Blob

logger = logging.getLogger(__name__)

PRINT_PX = 800
PRINT_QUALITY = 65
# Under the derived images' folder, the only one the dossier renderer's URL fetcher reads media from.
PRINT_FOLDER = "bukti-turunan/cetak"
# What ``print_copy_name`` makes, with the settings of the day or of an earlier day.
_NAME = re.compile(
    rf"^{re.escape(PRINT_FOLDER)}/(?P<kabupaten>[0-9.]+)/[0-9a-f]{{2}}/(?P<sha256>[0-9a-f]{{64}})-\d+q\d+\.jpg$"
)


def print_copy_name(kabupaten_code: str, sha256: str) -> str:
    """Where the print copy of a kabupaten's photo with this SHA-256 is kept."""
    return f"{PRINT_FOLDER}/{kabupaten_code}/{sha256[:2]}/{sha256}-{PRINT_PX}q{PRINT_QUALITY}.jpg"


def print_copy_owner(name: str) -> tuple[str, str] | None:
    """(kabupaten code, SHA-256) of a stored print copy's name, whatever settings made it; None for
    any other name."""
    match = _NAME.match(name)
    return (match["kabupaten"], match["sha256"]) if match else None


def _fit(size: tuple[int, int], limit: int) -> tuple[int, int]:
    width, height = size
    scale = min(1.0, limit / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def make_print_copy(source) -> bytes:
    """JPEG bytes of the print copy of the image in ``source`` (a binary file)."""
    with Image.open(source) as image:
        if image.format == "JPEG":
            # Decode at 1/2, 1/4 … of the size when that still covers the print copy.
            image.draft("RGB", _fit(image.size, PRINT_PX))
        image.load()
        copy = image.convert("RGB") if image.mode != "RGB" else image.copy()
    copy.thumbnail((PRINT_PX, PRINT_PX), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # Baseline (not progressive) JPEG: what every PDF reader and printer decodes.
    copy.save(out, "JPEG", quality=PRINT_QUALITY, optimize=True)
    return out.getvalue()


def print_copy_store(name: str, data: bytes) -> None:
    """Put a print copy's bytes in place under ``name`` (whole or not at all)."""
    try:
        path = default_storage.path(name)
    except NotImplementedError:  # remote storage (S3): a PUT is atomic
        saved = default_storage.save(name, ContentFile(data), max_length=200)
        if saved != name:  # another worker stored it first; its copy has the same bytes
            default_storage.delete(saved)
        return
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".cetak-", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, settings.FILE_UPLOAD_PERMISSIONS or 0o644)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def print_copy_from_preview(*, name: str, preview: bytes) -> bool:
    """Make and store the print copy ``name`` from a preview's bytes (the photo task's, still in
    memory). False when they do not decode."""
    try:
        data = make_print_copy(io.BytesIO(preview))
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        # Pillow reports broken image data as OSError/ValueError/SyntaxError.
        logger.warning("print copy %s: the preview cannot be decoded: %s", name, error)
        return False
    print_copy_store(name, data)
    return True


def print_copy_ensure(*, preview: str, name: str) -> bool:
    """Make the print copy ``name`` from the stored preview ``preview`` unless it exists (the
    fallback for photos uploaded before copies were made at upload). False when it cannot be
    made (the preview is gone or does not decode): the photo is then named, not shown. Other
    storage errors propagate: the dossier's task fails rather than cache a chapter without photos
    it could have shown."""
    if default_storage.exists(name):
        return True
    if not preview or not default_storage.exists(preview):
        logger.warning("print copy %s: preview %r is missing", name, preview)
        return False
    with default_storage.open(preview, "rb") as source:
        raw = source.read()  # a ≤ 1600 px JPEG: well under a megabyte
    return print_copy_from_preview(name=name, preview=raw)


@dataclass
class FillReport:
    present: int = 0  # already there
    made: int = 0
    failed: int = 0  # the preview is gone or does not decode
    unprocessed: int = 0  # no preview yet: the photo task makes all three copies


def print_copies_fill(*, kabupaten_code: str | None = None) -> FillReport:
    """Make the missing print copies of the stored photos (of one kabupaten, or all): the photos
    uploaded before the photo task made them (``manage.py print_copies``)."""
    report = FillReport()
    photos = Blob.objects.filter(state=Blob.State.READY, file_type__in=[str(t) for t in IMAGE_TYPES])
    if kabupaten_code:
        photos = photos.filter(kabupaten_id=kabupaten_code)
    rows = photos.filter(processing_error="").order_by("pk").values_list("kabupaten_id", "sha256", "preview")
    for code, sha256, preview in rows.iterator(chunk_size=1000):
        if not preview:
            report.unprocessed += 1
            continue
        name = print_copy_name(code, sha256)
        if default_storage.exists(name):
            report.present += 1
        elif print_copy_ensure(preview=preview, name=name):
            report.made += 1
        else:
            report.failed += 1
    return report
