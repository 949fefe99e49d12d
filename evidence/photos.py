"""Photos: orientation, EXIF date and position, the two derived copies, and the flags.

``process_blob`` runs once per stored image (Celery task ``evidence.tasks.process_photo``, queued
when an image is attached). It reads the original from the default storage (streamed, it may be
S3), decodes it small (JPEG draft mode: a 4000×3000 photo is decoded at 2000×1500), turns it
upright (EXIF orientation), reads when and where it was taken, and writes a thumbnail (≤ 320 px)
and a copy for the screen (≤ 1600 px) under random names, then the dossier's print copy (≤ 800 px,
made from that copy, under a name of the kabupaten and SHA-256: ``print_copies``), so that a
dossier compile finds it ready. Derived copies carry no EXIF at all (no GPS position leaves the
portal through them). The original is never touched.

Running it again does not redo the copies (it makes a print copy that is missing: a photo
processed before print copies were made here); it recomputes the flags of every attachment of the
blob, which is what an attachment made later (the same photo linked to a second activity) needs.

Flags (``EvidenceFile.Flag``), computed by ``flags_for`` for image attachments:

* ``outside_data_years``: the photo's EXIF year is not a data year of the owner. An assessment's
  requirement or titik pantau has its cycle; an activity, a body or a pembinaan visit has none,
  so it takes **the latest cycle whose data years have begun by the owner's date** (the activity's
  date, the visit's date, for a body's own files the upload date): in 2024, with cycles 2023
  (data 2021–2022) and 2025 (data 2023–2024), that is 2025 → 2023–2024, the years the coming
  round will look at. A date before every cycle takes the earliest cycle. No cycle: no flag.
* ``far_from_kabupaten``: the EXIF position lies farther than the kabupaten's reference point's
  radius (great-circle distance). No reference point, or no position: no flag.
* ``no_date``: a photo (kind ``foto``) without an EXIF date. Scans and screenshots attached under
  other kinds legitimately have none, so they are not flagged for it.
"""

from __future__ import annotations

import io
import logging
import math
import re
import shutil
import tempfile
import warnings
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from kks_portal.lib.files.imaging import strict_decoding
from kks_portal.lib.files.streams import local_path, open_stream
from regions.models import Region
from tatanan.models import Cycle

from .models import IMAGE_TYPES, Blob, EvidenceFile, ReferencePoint, random_storage_name
from .print_copies import print_copy_ensure, print_copy_from_preview, print_copy_name
from .selectors import Owner

logger = logging.getLogger(__name__)

THUMBNAIL_PX = 320
PREVIEW_PX = 1600
PREVIEW_QUALITY = 82
THUMBNAIL_QUALITY = 80
DERIVED_FOLDER = "bukti-turunan"
# Photos without an offset were taken on an Indonesian phone, most likely in WIB.
DEFAULT_PHOTO_TZ = ZoneInfo("Asia/Jakarta")
EARTH_RADIUS_KM = 6371.0088
COPY_CHUNK = 1024 * 1024


class BrokenImage(Exception):
    """The stored bytes cannot be decoded as an image (a permanent condition)."""


@dataclass
class PhotoFacts:
    width: int
    height: int
    taken_at: datetime | None
    latitude: Decimal | None
    longitude: Decimal | None
    thumbnail: bytes
    preview: bytes
    decoded_size: tuple[int, int]  # what the decoder produced (JPEG: scaled down while decoding)


# --- EXIF ---------------------------------------------------------------------------------------

_EXIF_DATE = re.compile(r"^\s*(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})")
_EXIF_OFFSET = re.compile(r"^\s*([+-])(\d{2}):?(\d{2})\s*$")


def _text(value) -> str:
    if isinstance(value, bytes):
        value = value.split(b"\x00", 1)[0].decode("ascii", "replace")
    return str(value or "")


def parse_exif_datetime(value, offset=None) -> datetime | None:
    """``"2024:08:17 09:30:00"`` (+ ``"+08:00"``) → an aware datetime; None for blanks and nonsense
    (``0000:00:00 00:00:00`` is common)."""
    match = _EXIF_DATE.match(_text(value))
    if not match:
        return None
    try:
        naive = datetime(*(int(part) for part in match.groups()))
    except ValueError:
        return None
    if naive.year < 1990:  # camera clocks never set
        return None
    offset_match = _EXIF_OFFSET.match(_text(offset)) if offset else None
    if offset_match:
        sign, hours, minutes = offset_match.groups()
        delta = timedelta(hours=int(hours), minutes=int(minutes))
        if delta <= timedelta(hours=14):
            return naive.replace(tzinfo=dt_timezone(-delta if sign == "-" else delta))
    return naive.replace(tzinfo=DEFAULT_PHOTO_TZ)


def _rational(value) -> float:
    if isinstance(value, tuple) and len(value) == 2:  # (numerator, denominator) of old files
        return value[0] / value[1]
    return float(value)


def dms_to_degrees(dms, ref) -> Decimal | None:
    """EXIF degrees/minutes/seconds and a reference (N/S, E/W) → signed decimal degrees."""
    try:
        parts = [_rational(part) for part in dms]
        if not parts or any(math.isnan(part) or math.isinf(part) for part in parts):
            return None
        parts += [0.0] * (3 - len(parts))
        degrees = parts[0] + parts[1] / 60 + parts[2] / 3600
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if _text(ref).strip().upper()[:1] in ("S", "W"):
        degrees = -degrees
    return Decimal(str(degrees)).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def read_exif(image: Image.Image) -> tuple[datetime | None, Decimal | None, Decimal | None]:
    """When (DateTimeOriginal, else DateTimeDigitized, with OffsetTimeOriginal) and where (GPS)."""
    try:
        exif = image.getexif()
        exif_ifd = exif.get_ifd(ExifTags.IFD.Exif)
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    except Exception:  # a mangled EXIF block is no reason to lose the photo
        logger.info("Unreadable EXIF", exc_info=True)
        return None, None, None
    taken_at = parse_exif_datetime(
        exif_ifd.get(ExifTags.Base.DateTimeOriginal), exif_ifd.get(ExifTags.Base.OffsetTimeOriginal)
    ) or parse_exif_datetime(
        exif_ifd.get(ExifTags.Base.DateTimeDigitized), exif_ifd.get(ExifTags.Base.OffsetTimeDigitized)
    )
    latitude = longitude = None
    if ExifTags.GPS.GPSLatitude in gps and ExifTags.GPS.GPSLongitude in gps:
        latitude = dms_to_degrees(gps[ExifTags.GPS.GPSLatitude], gps.get(ExifTags.GPS.GPSLatitudeRef))
        longitude = dms_to_degrees(gps[ExifTags.GPS.GPSLongitude], gps.get(ExifTags.GPS.GPSLongitudeRef))
        valid = (
            latitude is not None
            and longitude is not None
            and -90 <= latitude <= 90
            and -180 <= longitude <= 180
            # 0°, 0° is what phones write when they had no fix.
            and not (latitude == 0 and longitude == 0)
        )
        if not valid:
            latitude = longitude = None
    return taken_at, latitude, longitude


# --- Derivatives --------------------------------------------------------------------------------


def _fit(size: tuple[int, int], limit: int) -> tuple[int, int]:
    width, height = size
    scale = min(1.0, limit / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _as_rgb(image: Image.Image) -> Image.Image:
    """JPEG has no transparency: transparent parts become white, not black."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB") if image.mode != "RGB" else image


def _jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    # No exif= argument: the copies carry no EXIF (no GPS, no orientation left to apply).
    image.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    return out.getvalue()


def derive(source) -> PhotoFacts:
    """Decode an image from a seekable binary file and make its two copies (``BrokenImage`` if it
    is not a decodable image, or is larger than ``EVIDENCE_MAX_IMAGE_PIXELS``)."""
    try:
        with warnings.catch_warnings(), strict_decoding():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(source)
            width, height = image.size
            if width * height > settings.EVIDENCE_MAX_IMAGE_PIXELS:
                raise BrokenImage(_("Gambar terlalu besar (%(px)s piksel).") % {"px": f"{width * height:,}"})
            taken_at, latitude, longitude = read_exif(image)
            orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
            if image.format == "JPEG":
                # Decode at 1/2, 1/4 or 1/8 of the size when that still covers the preview.
                image.draft("RGB", _fit((width, height), PREVIEW_PX))
            image.load()
            decoded_size = image.size
            # Shrink first, then turn: turning copies the pixels, better 1600 px than 4000.
            image.thumbnail((PREVIEW_PX, PREVIEW_PX), Image.Resampling.LANCZOS)
            ImageOps.exif_transpose(image, in_place=True)
    except BrokenImage:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise BrokenImage(_("Berkas ini tidak dapat dibaca sebagai gambar.")) from error
    except Exception as error:  # truncated data, bad tables …: Pillow raises many kinds
        raise BrokenImage(_("Gambar rusak atau tidak dapat dibaca.")) from error
    if orientation in (5, 6, 7, 8):
        width, height = height, width
    preview = _as_rgb(image)
    thumbnail = preview.copy()
    thumbnail.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX), Image.Resampling.LANCZOS)
    return PhotoFacts(
        width=width,
        height=height,
        taken_at=taken_at,
        latitude=latitude,
        longitude=longitude,
        thumbnail=_jpeg(thumbnail, THUMBNAIL_QUALITY),
        preview=_jpeg(preview, PREVIEW_QUALITY),
        decoded_size=decoded_size,
    )


def _derive_from_storage(name: str) -> PhotoFacts:
    """Pillow needs to seek: a local file is opened where it lies, a remote one is first copied
    to a temporary file on disk in chunks (never whole into memory)."""
    path = local_path(name)
    if path is not None:
        with open(path, "rb") as source:
            return derive(source)
    with (
        tempfile.TemporaryFile(dir=settings.FILE_UPLOAD_TEMP_DIR or None, suffix=".photo") as copy,
        open_stream(name) as stream,
    ):
        shutil.copyfileobj(stream, copy, COPY_CHUNK)
        copy.seek(0)
        return derive(copy)


# --- The task's work ----------------------------------------------------------------------------


def _derivatives_present(blob: Blob) -> bool:
    names = [blob.thumbnail.name, blob.preview.name]
    return all(names) and all(default_storage.exists(name) for name in names)


def _delete_quietly(*names: str) -> None:
    for name in names:
        if not name:
            continue
        try:
            default_storage.delete(name)
        except Exception:
            logger.exception("Could not delete derived image %s", name)


def process_blob(blob_id: int) -> str:
    """Make a stored image's derived copies and read its EXIF (once), then refresh the flags of
    every attachment of it. Never raises for a bad image: the error is kept on the blob.

    Returns what happened: ``processed``, ``flags-refreshed``, ``broken``, ``failed`` (storage
    trouble: the next run tries again), ``missing``, ``not-ready`` or ``not-an-image``."""
    blob = Blob.objects.filter(pk=blob_id).first()
    if blob is None:
        return "missing"
    if blob.state != Blob.State.READY:
        return "not-ready"
    if not blob.is_image:
        flags_refresh(blob)
        return "not-an-image"
    if blob.processed_at is not None and (blob.processing_error or _derivatives_present(blob)):
        if not blob.processing_error:
            _print_copy(blob)
        flags_refresh(blob)
        return "flags-refreshed"

    try:
        facts = _derive_from_storage(blob.file.name)
    except BrokenImage as error:
        Blob.objects.filter(pk=blob.pk).update(processing_error=str(error)[:300], processed_at=timezone.now())
        logger.warning("Blob %s is not a decodable image: %s", blob.pk, error)
        blob.refresh_from_db()
        flags_refresh(blob)
        return "broken"
    except Exception as error:
        # Storage unreachable, original missing …: not the photo's fault. Recorded, not final
        # (processed_at stays empty), so the next run tries again.
        logger.exception("Processing blob %s failed", blob.pk)
        message = _("Foto belum dapat diproses: %(error)s") % {"error": type(error).__name__}
        Blob.objects.filter(pk=blob.pk).update(processing_error=message[:300])
        return "failed"

    old_names = (blob.thumbnail.name, blob.preview.name)
    thumbnail_name = preview_name = ""
    try:
        thumbnail_name = default_storage.save(
            random_storage_name(DERIVED_FOLDER, "jpg"), ContentFile(facts.thumbnail), max_length=200
        )
        preview_name = default_storage.save(
            random_storage_name(DERIVED_FOLDER, "jpg"), ContentFile(facts.preview), max_length=200
        )
        with transaction.atomic():
            # Only if nobody else finished first (two runs for the same blob): else theirs stay.
            won = Blob.objects.filter(pk=blob.pk, thumbnail=old_names[0] or "", preview=old_names[1] or "").update(
                thumbnail=thumbnail_name,
                preview=preview_name,
                width=facts.width,
                height=facts.height,
                taken_at=facts.taken_at,
                latitude=facts.latitude,
                longitude=facts.longitude,
                processed_at=timezone.now(),
                processing_error="",
            )
    except Exception:
        logger.exception("Storing the derived images of blob %s failed", blob.pk)
        _delete_quietly(thumbnail_name, preview_name)
        Blob.objects.filter(pk=blob.pk).update(processing_error=_("Salinan foto belum dapat disimpan.")[:300])
        return "failed"
    if not won:
        _delete_quietly(thumbnail_name, preview_name)
    else:
        _delete_quietly(*old_names)  # copies recorded before whose files had gone (re-made)
    blob.refresh_from_db()
    # From the preview's bytes still in memory when this run's preview is the blob's.
    _print_copy(blob, preview=facts.preview if won else None)
    flags_refresh(blob)
    return "processed" if won else "flags-refreshed"


def _print_copy(blob: Blob, *, preview: bytes | None = None) -> None:
    """Make the blob's print copy for the dossier unless it exists (``print_copies``). Never
    raises: without it the photo is still processed, and a compile makes the copy it misses."""
    name = print_copy_name(blob.kabupaten_id, blob.sha256)
    try:
        if preview is not None:
            if not default_storage.exists(name):
                print_copy_from_preview(name=name, preview=preview)
        else:
            print_copy_ensure(preview=blob.preview.name, name=name)
    except Exception:
        logger.exception("Making the print copy of blob %s failed", blob.pk)


# --- Flags --------------------------------------------------------------------------------------


def haversine_km(lat1, lon1, lat2, lon2) -> float:
    """Great-circle distance between two points in kilometres."""
    phi1, phi2 = math.radians(float(lat1)), math.radians(float(lat2))
    dphi = phi2 - phi1
    dlambda = math.radians(float(lon2) - float(lon1))
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def cycle_for_year(year: int) -> Cycle | None:
    """The latest cycle whose data years have begun by ``year`` (the earliest cycle for a year
    before all of them)."""
    return (
        Cycle.objects.filter(first_data_year__lte=year).order_by("-first_data_year", "-award_year").first()
        or Cycle.objects.order_by("first_data_year", "award_year").first()
    )


def data_years_of(evidence: EvidenceFile) -> list[int]:
    """The data years a photo of this attachment should fall in (see the module's docstring)."""
    owner = Owner.of(evidence)
    if owner.data_years:
        return owner.data_years
    day = owner.reference_date
    if day is None:
        day = timezone.localdate(evidence.uploaded_at) if evidence.uploaded_at else timezone.localdate()
    cycle = cycle_for_year(day.year)
    return cycle.data_years if cycle else []


def flags_for(evidence: EvidenceFile, *, reference: ReferencePoint | None | bool = False) -> list[str]:
    """The ``EvidenceFile.Flag`` codes of an attachment (empty for documents and for images not
    processed yet). ``reference`` may be passed in when checking many files of one kabupaten."""
    blob = evidence.blob
    if not blob.is_image or blob.processed_at is None or blob.processing_error:
        return []
    flags = []
    if blob.taken_at is not None:
        years = data_years_of(evidence)
        if years and timezone.localtime(blob.taken_at).year not in years:
            flags.append(EvidenceFile.Flag.OUTSIDE_DATA_YEARS.value)
    if blob.latitude is not None and blob.longitude is not None:
        if reference is False:
            reference = ReferencePoint.objects.filter(kabupaten_id=blob.kabupaten_id).first()
        if reference is not None and (
            haversine_km(blob.latitude, blob.longitude, reference.latitude, reference.longitude) > reference.radius_km
        ):
            flags.append(EvidenceFile.Flag.FAR_FROM_KABUPATEN.value)
    if blob.taken_at is None and evidence.kind == EvidenceFile.Kind.FOTO:
        flags.append(EvidenceFile.Flag.NO_DATE.value)
    return flags


def _with_owners(files):
    return files.select_related(
        "blob", "activity", "pembinaan_visit", "assessment__cycle", "titik_pantau__assessment__cycle"
    )


def flags_refresh(blob: Blob) -> int:
    """Recompute the flags of every attachment of ``blob``; returns how many changed."""
    reference = ReferencePoint.objects.filter(kabupaten_id=blob.kabupaten_id).first()
    changed = 0
    for evidence in _with_owners(blob.attachments.all()):
        evidence.blob = blob
        flags = flags_for(evidence, reference=reference)
        if flags != evidence.flags:
            EvidenceFile.objects.filter(pk=evidence.pk).update(flags=flags)
            changed += 1
    return changed


def flags_refresh_for_kabupaten(kabupaten: Region) -> int:
    """Recompute the flags of the kabupaten's photos (after its reference point moved)."""
    reference = ReferencePoint.objects.filter(kabupaten=kabupaten).first()
    changed = 0
    images = _with_owners(
        EvidenceFile.objects.filter(
            blob__kabupaten=kabupaten, blob__state=Blob.State.READY, blob__file_type__in=[str(t) for t in IMAGE_TYPES]
        )
    )
    for evidence in images.iterator(chunk_size=500):
        flags = flags_for(evidence, reference=reference)
        if flags != evidence.flags:
            EvidenceFile.objects.filter(pk=evidence.pk).update(flags=flags)
            changed += 1
    return changed


# --- The reference point ------------------------------------------------------------------------


def reference_point_set(*, kabupaten: Region, latitude: Decimal, longitude: Decimal, radius_km: int) -> ReferencePoint:
    """Set where a kabupaten lies and re-check its photos against it."""
    with transaction.atomic():
        point, _created = ReferencePoint.objects.update_or_create(
            kabupaten=kabupaten, defaults={"latitude": latitude, "longitude": longitude, "radius_km": radius_km}
        )
    flags_refresh_for_kabupaten(kabupaten)
    return point
