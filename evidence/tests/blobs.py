"""Real image and document bytes for the photo, download and S3 tests, and stored blobs made from
them without the upload pipeline (the pipeline's own tests go through ``attach_upload``)."""

from __future__ import annotations

import hashlib
import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import ExifTags, Image

from evidence.models import Blob, EvidenceFile, FileType, random_storage_name
from evidence.selectors import Owner
from regions.models import Region, kabupaten_code_of

EXTENSIONS = {FileType.JPEG: "jpg", FileType.PNG: "png", FileType.WEBP: "webp", FileType.PDF: "pdf"}

# A small PDF that real readers open (one empty A4 page).
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def dms(value: float) -> tuple[float, float, float]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round((value - degrees - minutes / 60) * 3600, 4)
    return (float(degrees), float(minutes), seconds)


def photo_bytes(
    size=(400, 300),
    *,
    fmt="JPEG",
    orientation: int | None = None,
    taken: str | None = "2024:08:17 09:30:00",
    offset: str | None = None,
    gps: tuple[float, float] | None = None,
    quality=90,
    mode="RGB",
) -> bytes:
    """An image whose left half is red and right half blue (so orientation shows), with the
    EXIF asked for."""
    width, height = size
    image = Image.new(mode, size, (0, 0, 255) if mode == "RGB" else (0, 0, 255, 255))
    image.paste((255, 0, 0) if mode == "RGB" else (255, 0, 0, 255), (0, 0, width // 2, height))
    exif = Image.Exif()
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    if taken or offset:
        ifd = exif.get_ifd(ExifTags.IFD.Exif)
        if taken:
            ifd[ExifTags.Base.DateTimeOriginal] = taken
        if offset:
            ifd[ExifTags.Base.OffsetTimeOriginal] = offset
    if gps:
        lat, lon = gps
        ifd = exif.get_ifd(ExifTags.IFD.GPSInfo)
        ifd[ExifTags.GPS.GPSLatitudeRef] = "S" if lat < 0 else "N"
        ifd[ExifTags.GPS.GPSLatitude] = dms(lat)
        ifd[ExifTags.GPS.GPSLongitudeRef] = "W" if lon < 0 else "E"
        ifd[ExifTags.GPS.GPSLongitude] = dms(lon)
    out = io.BytesIO()
    options = {"quality": quality} if fmt in ("JPEG", "WEBP") else {}
    if orientation or taken or offset or gps:
        options["exif"] = exif
    image.save(out, fmt, **options)
    return out.getvalue()


def store_blob(kabupaten: Region | str, data: bytes, file_type=FileType.JPEG, **fields) -> Blob:
    """A ready blob of ``data`` in the default storage (as the pipeline leaves it)."""
    code = kabupaten if isinstance(kabupaten, str) else kabupaten.code
    kabupaten = Region.objects.get(code=kabupaten_code_of(code))
    name = default_storage.save(random_storage_name("bukti", EXTENSIONS[file_type]), ContentFile(data))
    return Blob.objects.create(
        kabupaten=kabupaten,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        file_type=file_type,
        file=name,
        state=Blob.State.READY,
        **fields,
    )


def attach(blob: Blob, owner: Owner, *, kind=EvidenceFile.Kind.FOTO, name="foto kegiatan.jpg", actor=None):
    return EvidenceFile.objects.create(blob=blob, kind=kind, original_name=name, uploaded_by=actor, **owner.fields())
