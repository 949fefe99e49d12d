"""Print copies: the photos a dossier embeds.

A dossier shows a photo 8 cm wide and at most 6 cm tall. The ≤ 1600 px copy that the photo
pipeline makes for the screen (``Blob.preview``) is about 0.5 MB: 2,000 of them would make a
1 GB PDF. The dossier embeds a *print copy* instead: at most ``PRINT_PX`` px on its long side
(250 dpi at 8 cm) at JPEG quality ``PRINT_QUALITY``: about 100 kB, a fifth of the preview.

A print copy is made from the preview (already upright and without EXIF), decoded at half size by
JPEG draft mode (a 1600 px preview comes out at 800 px: no resampling), so making one costs some
25 ms (the preview is a progressive JPEG, slower to decode) and a few MB of memory. It is made once,
by the chapter task that first needs it, and kept in the default storage under a name derived
from the kabupaten, the blob's SHA-256 and the two settings (``print_copy_name``): every later
compile, on every worker, finds it there, and a photo attached twice has one copy. The name goes
into the chapter's data, so changing the settings re-renders the chapters with photos.

Two workers making the same copy at once write the same bytes; on local disk each writes a
temporary file and renames it into place (a reader never sees half a file), on S3 a PUT is
atomic and the second one's renamed copy is dropped.
"""

from __future__ import annotations

import io
import logging
import os
import tempfile

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, UnidentifiedImageError

logger = logging.getLogger(__name__)

PRINT_PX = 800
PRINT_QUALITY = 65
# Under the derived images' folder, the only one the renderer's URL fetcher reads media from.
PRINT_FOLDER = "bukti-turunan/cetak"


def print_copy_name(kabupaten_code: str, sha256: str) -> str:
    """Where the print copy of a kabupaten's photo with this SHA-256 is kept."""
    return f"{PRINT_FOLDER}/{kabupaten_code}/{sha256[:2]}/{sha256}-{PRINT_PX}q{PRINT_QUALITY}.jpg"


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


def _store(name: str, data: bytes) -> None:
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


def print_copy_ensure(*, preview: str, name: str) -> bool:
    """Make the print copy ``name`` from the stored preview ``preview`` unless it exists.
    False when it cannot be made (the preview is gone or does not decode): the photo is then
    named, not shown. Other storage errors propagate: the task fails rather than cache a chapter
    without photos it could have shown."""
    if default_storage.exists(name):
        return True
    if not preview or not default_storage.exists(preview):
        logger.warning("dossier print copy %s: preview %r is missing", name, preview)
        return False
    with default_storage.open(preview, "rb") as source:
        raw = source.read()  # a ≤ 1600 px JPEG: well under a megabyte
    try:
        data = make_print_copy(io.BytesIO(raw))
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        # Pillow reports broken image data as OSError/ValueError/SyntaxError.
        logger.warning("dossier print copy %s: preview %s cannot be decoded: %s", name, preview, error)
        return False
    _store(name, data)
    return True


def print_copies_ensure(photos: list[dict]) -> int:
    """Make the print copies of the photos of a chapter's data (``evidence_item`` dicts) that are
    missing; a photo whose copy cannot be made loses its ``print`` name (shown as not available).
    Returns how many copies were made or found."""
    ready = 0
    for photo in photos:
        if not photo.get("print"):
            continue
        if print_copy_ensure(preview=photo.get("preview", ""), name=photo["print"]):
            ready += 1
        else:
            photo["print"] = ""
    return ready
