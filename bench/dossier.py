"""Compile the dossier of a large synthetic kabupaten with real Celery workers, next to a naive baseline.

    .venv/bin/python bench/dossier.py                 # 30 kecamatan, 300 desa, 1,000 activities, 2,000 photos
    .venv/bin/python bench/dossier.py --small         # 3 kecamatan, 30 desa, 100 activities, 200 photos
    .venv/bin/python bench/dossier.py --smoke         # 1 kecamatan, 3 desa, 12 activities (the suite's run)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/9 \\
        .venv/bin/python bench/dossier.py

It never touches a real database or media folder: everything goes to a temporary KKS_VAR_DIR, the
database is a SQLite file there (or, with a PostgreSQL DATABASE_URL, a database ``kks_bench_<pid>``
created on that server and dropped at the end), the broker is the embedded filesystem broker of
that folder (or REDIS_URL's Redis: give it a database number nobody else uses).

1. **Setup** (not timed): a synthetic kabupaten (code 99.01) with its kecamatan and desa, every body
   (``body_bulk_setup``) with SKs, members, secretariats, approved work plans and pembinaan visits;
   the real 2025 instrument (``tatanan/data/instrumen-kks-2025.xlsx``: 136 indicators, their
   evidence requirements) imported and the assessment filled (values, explanations, self scores,
   ODF, titik pantau, kelembagaan); a scanned-looking evidence PDF for every requirement (and data
   year), an SK scan for every forum, a notulen PDF and two 4000×3000 photos for every activity.
   The photos are a handful of distinct Pillow-drawn JPEGs (about 4.3 MB, like a phone's) whose
   EXIF (date, place, description) differs per photo, so that every photo is its own blob; their
   ≤ 1600 px previews and ≤ 800 px print copies are made by the real pipeline
   (``evidence.photos.process_blob``, the photo task run at upload) in parallel processes.
2. **Compile**: a real ``celery -A kks_portal worker --concurrency=N`` (prefork, N=2 by default)
   runs the chapter tasks and the merge; this process queues the compile as the web page does
   (``dossier_compile``) and waits for it. Printed: wall time, peak memory of this process, of the
   worker's parent and of each pool process (VmHWM from /proc, sampled throughout, so short-lived
   children count too), pages, PDF size, chapters rendered, the chapters' render time per page,
   and the print copies the compile had to make with their share of the worker's CPU time (none
   for photos uploaded now; ``--without-print-copies`` deletes them first, as for photos uploaded
   before the photo task made them).
3. **Rebuild after one activity changed**: one activity that realises a work-plan item gets a new
   title and result (``activity_update``), and the dossier is compiled again.
4. **Naive baseline**: the same content as ONE WeasyPrint call over one HTML document (cover,
   contents with ``target-counter`` page numbers, summary, every chapter) showing the full-size
   4000×3000 originals, page numbers by CSS counters, the evidence PDFs as WeasyPrint attachments,
   in a subprocess with its own peak memory; stopped when it passes ``--baseline-minutes`` or
   ``--baseline-max-mb``, and then the figures at the stop are printed, with its time per page
   beside the chunked render's (WeasyPrint on the same pages, one call against one per chapter).

Targets on a 2-core machine (issue 14, item 6): compile ≤ 45 s and ≥ 6× faster than the naive render,
≤ 400 MB per process, PDF < 300 MB, rebuild ≤ 15 s. Figures and the machine: docs/PERFORMANCE.md,
"Dossier compile".
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import hashlib
import io
import json
import logging
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
MB = 1024 * 1024

TARGET_SECONDS = 45
TARGET_RATIO = 6
TARGET_PROCESS_MB = 400
TARGET_PDF_MB = 300
TARGET_REBUILD_SECONDS = 15

KABUPATEN = "99.01"
PROVINCE = "99"
CENTRE = (Decimal("-6.200000"), Decimal("106.500000"))
PHOTO_SIZE = (4000, 3000)
DISTINCT_PHOTOS = 6
DISTINCT_SCANS = 4


@dataclass(frozen=True)
class Size:
    kecamatan: int
    desa_per_kecamatan: int
    activities: int
    photos_per_activity: int

    @property
    def photos(self) -> int:
        return self.activities * self.photos_per_activity


FULL = Size(kecamatan=30, desa_per_kecamatan=10, activities=1000, photos_per_activity=2)
SMALL = Size(kecamatan=3, desa_per_kecamatan=10, activities=100, photos_per_activity=2)
# The suite's run (dossiers/tests/test_bench.py): every step and figure, at the least cost.
SMOKE = Size(kecamatan=1, desa_per_kecamatan=3, activities=12, photos_per_activity=1)


def size_of(args) -> Size:
    return SMOKE if args.smoke else SMALL if args.small else FULL


def size_flags(args) -> list[str]:
    return ["--smoke"] if args.smoke else ["--small"] if args.small else []


# --- /proc ---------------------------------------------------------------------------------------------


def proc_status(pid: int) -> dict[str, int]:
    values = {}
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return values
    for line in text.splitlines():
        key, _sep, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values


TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used (/proc/<pid>/stat), 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def reset_peak(pid: int) -> None:
    """VmHWM back to the current RSS (Linux ≥ 4.0, own processes)."""
    with contextlib.suppress(OSError):
        Path(f"/proc/{pid}/clear_refs").write_text("5")


class PeakSampler(threading.Thread):
    """Every 0.2 s: VmHWM of each watched process and of its children (the prefork pool), kept per
    pid, so that a pool process that ends early still counts."""

    def __init__(self, roots: dict[str, int], with_children: tuple[str, ...] = ("worker",)):
        super().__init__(daemon=True)
        self.roots = roots
        self.with_children = with_children
        self.peaks: dict[int, int] = {}  # pid → kB
        self.names: dict[int, str] = {}
        self.cpu_first: dict[int, float] = {}  # pid → CPU seconds when first seen
        self.cpu_last: dict[int, float] = {}
        self.done = threading.Event()

    def sample(self) -> None:
        for name, pid in self.roots.items():
            children = sorted(children_of(pid)) if name in self.with_children else []
            for index, current in enumerate([pid, *children]):
                status = proc_status(current)
                if not status:
                    continue
                label = (f"{name} (parent)" if children else name) if index == 0 else f"{name} pool process"
                self.names.setdefault(current, label)
                self.peaks[current] = max(self.peaks.get(current, 0), status.get("VmHWM", 0), status.get("VmRSS", 0))
                used = cpu_seconds(current)
                self.cpu_first.setdefault(current, used)
                self.cpu_last[current] = max(self.cpu_last.get(current, 0.0), used)

    def run(self):
        while not self.done.is_set():
            self.sample()
            self.done.wait(0.2)

    def stop(self) -> list[tuple[str, int, float]]:
        self.done.set()
        self.join()
        self.sample()
        return [(self.names[pid], pid, kb / 1024) for pid, kb in self.peaks.items()]

    def cpu(self, name: str) -> float:
        """CPU seconds the processes of ``name`` used while watched."""
        return sum(
            self.cpu_last[pid] - self.cpu_first[pid] for pid, label in self.names.items() if label.startswith(name)
        )


# --- Synthetic files -----------------------------------------------------------------------------------


def photo_base(seed: int) -> bytes:
    """A 4000×3000 JPEG with the detail of a phone photo (about 4.3 MB at quality 90): soft colour
    fields, a few hundred shapes with edges, texture at three scales."""
    from PIL import Image, ImageChops, ImageDraw, ImageFilter

    width, height = PHOTO_SIZE
    rnd = random.Random(seed)
    small = Image.new("RGB", (8, 6))
    small.putdata([(rnd.randrange(30, 220), rnd.randrange(40, 200), rnd.randrange(30, 180)) for _ in range(48)])
    image = small.resize(PHOTO_SIZE, Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(image)
    for _ in range(250):
        x, y = rnd.randrange(width), rnd.randrange(height)
        w, h = rnd.randrange(20, 600), rnd.randrange(20, 500)
        colour = (rnd.randrange(256), rnd.randrange(256), rnd.randrange(256))
        (draw.ellipse if rnd.random() < 0.5 else draw.rectangle)([x, y, x + w, y + h], fill=colour)
    image = image.filter(ImageFilter.GaussianBlur(2))
    for scale, amount in ((250, 0.7), (1000, 0.44), (4000, 0.2)):
        noise = Image.effect_noise((scale, scale * 3 // 4), 60).resize(PHOTO_SIZE, Image.Resampling.BICUBIC)
        image = Image.blend(image, ImageChops.overlay(image, Image.merge("RGB", (noise, noise, noise))), amount)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def with_exif(jpeg: bytes, *, taken: datetime.datetime, position: tuple[float, float], description: str) -> bytes:
    """``jpeg`` with an EXIF segment (date, GPS, description) spliced in after its JFIF header:
    different bytes, same pixels, no re-encoding."""
    from PIL import Image

    exif = Image.Exif()
    exif[0x010E] = description  # ImageDescription
    exif[0x010F] = "KKS Bench"  # Make
    exif[0x0132] = taken.strftime("%Y:%m:%d %H:%M:%S")
    exif.get_ifd(0x8769)[0x9003] = taken.strftime("%Y:%m:%d %H:%M:%S")  # DateTimeOriginal

    def dms(value: float):
        value = abs(value)
        degrees = int(value)
        minutes = int((value - degrees) * 60)
        return (float(degrees), float(minutes), round(((value - degrees) * 60 - minutes) * 60, 2))

    gps = exif.get_ifd(0x8825)
    lat, lon = position
    gps[1], gps[2] = ("S" if lat < 0 else "N"), dms(lat)
    gps[3], gps[4] = ("W" if lon < 0 else "E"), dms(lon)
    payload = exif.tobytes()  # b"Exif\0\0" + TIFF
    segment = b"\xff\xe1" + (len(payload) + 2).to_bytes(2, "big") + payload
    position_after = 2
    if jpeg[2:4] == b"\xff\xe0":  # APP0 (JFIF) stays first
        position_after = 4 + int.from_bytes(jpeg[4:6], "big")
    return jpeg[:position_after] + segment + jpeg[position_after:]


def scan_image(seed: int) -> bytes:
    """A grey A4 page at 100 dpi that looks scanned: lines of 'text', a stamp, paper noise."""
    from PIL import Image, ImageChops, ImageDraw, ImageFilter

    rnd = random.Random(seed)
    page = Image.new("L", (827, 1169), 246)
    draw = ImageDraw.Draw(page)
    y = 90
    while y < 1080:
        x = 80
        while x < 740:
            word = rnd.randrange(18, 70)
            draw.rectangle([x, y, min(x + word, 750), y + 9], fill=rnd.randrange(20, 70))
            x += word + rnd.randrange(6, 12)
        y += rnd.choice((22, 22, 22, 40))
    draw.ellipse([520, 900, 680, 1060], outline=90, width=6)
    page = page.filter(ImageFilter.GaussianBlur(0.8))
    page = ImageChops.multiply(page, Image.effect_noise(page.size, 14).point(lambda v: min(255, v + 200)))
    out = io.BytesIO()
    page.save(out, "JPEG", quality=60)
    return out.getvalue()


def pdf_document(title: str, scans: list[bytes]) -> bytes:
    """A PDF with one page per scan (a grey JPEG over the page) and a line of text naming it, or
    one page of text when there are no scans (a typed notulen)."""
    text = title.replace("\\", "").replace("(", "").replace(")", "")[:90]
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]  # pages filled in below
    font = 3
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    kids = []
    pages = scans or [None]
    for index, scan in enumerate(pages):
        lines = [f"BT /F1 11 Tf 56 800 Td ({text} - halaman {index + 1}) Tj ET"]
        resources = f"/Font << /F1 {font} 0 R >>"
        if scan is None:
            for row in range(30):
                lines.append(f"BT /F1 10 Tf 56 {760 - row * 20} Td (Butir {row + 1}: {text[:60]}) Tj ET")
        else:
            image_number = len(objects) + 1
            objects.append(
                b"<< /Type /XObject /Subtype /Image /Width 827 /Height 1169 /ColorSpace /DeviceGray "
                b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n" % len(scan) + scan + b"\nendstream"
            )
            resources += f" /XObject << /Im{index} {image_number} 0 R >>"
            lines.insert(0, f"q 595 0 0 842 0 0 cm /Im{index} Do Q")
        stream = "\n".join(lines).encode("latin-1", "replace")
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        content = len(objects)
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {content} 0 R "
            f"/Resources << {resources} >> >>".encode()
        )
        kids.append(len(objects))
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode()
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


# --- Setup (a subprocess of its own: its memory is not the compile's) ----------------------------------

SYLLABLES = ["su", "ka", "ma", "ja", "ra", "ya", "sa", "ri", "wa", "ti", "nu", "ba", "de", "lo", "go", "pa", "ci", "an"]


def place_name(rnd: random.Random) -> str:
    return "".join(rnd.choice(SYLLABLES) for _ in range(rnd.randrange(2, 4))).capitalize()


# Pool work (forked after Django is set up; each process opens its own database connection).
_BASES: dict[int, bytes] = {}


def _pool_make_base(args) -> str:
    index, folder = args
    path = Path(folder) / f"base-{index}.jpg"
    path.write_bytes(photo_base(1000 + index))
    return str(path)


def _pool_store_photo(args) -> tuple[int, str, str, int]:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from evidence.models import random_storage_name

    index, base_path, taken_iso, lat, lon, description = args
    if base_path not in _BASES:
        _BASES[base_path] = Path(base_path).read_bytes()
    data = with_exif(
        _BASES[base_path],
        taken=datetime.datetime.fromisoformat(taken_iso),
        position=(lat, lon),
        description=description,
    )
    name = default_storage.save(random_storage_name("bukti", "jpg"), ContentFile(data), max_length=200)
    return index, name, hashlib.sha256(data).hexdigest(), len(data)


def _pool_process(blob_id: int) -> str:
    from evidence.photos import process_blob

    return process_blob(blob_id)


def _pool_init() -> None:
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        connection.close()


def setup_world(size: Size, processes: int, work_dir: Path) -> dict:
    """Build the synthetic kabupaten; returns what the driver needs (ids and counts).

    The steps run in this order and share one seeded ``rnd``: the world is the same on every run."""
    rnd = random.Random(2025)
    started = time.perf_counter()
    log = lambda message: print(f"  [{time.perf_counter() - started:6.1f} s] {message}", flush=True)  # noqa: E731

    kabupaten, kecamatan, desa, admin = _setup_regions(rnd, size, log)
    cycle, assessment, tatanan, indicator_count = _setup_assessment(rnd, size, kabupaten, kecamatan, desa, admin, log)
    bodies, forums, plan_items = _setup_bodies(rnd, kabupaten, cycle, tatanan, desa, admin, log)
    pdfs = _PdfBlobs(rnd, kabupaten)
    files = _setup_evidence_pdfs(rnd, pdfs, cycle, assessment, kabupaten, forums)
    activities = _setup_activities(rnd, size, bodies, plan_items, tatanan, pdfs, files, log)
    photo_blobs, photo_bytes = _setup_photos(rnd, size, processes, work_dir, kabupaten, activities, pdfs, files, log)
    made, preview_bytes, printed = _setup_previews(processes, photo_blobs, log)
    # A work-plan-realising activity in the middle of the list: the rebuild edits it.
    realising = [a for a in activities if a.work_plan_item_id]
    changed = realising[len(realising) // 2]
    return {
        "assessment": assessment.pk,
        "admin": admin.pk,
        "changed_activity": changed.pk,
        "activities": len(activities),
        "photos": made,
        "photo_mb": photo_bytes / MB,
        "preview_mb": preview_bytes / MB,
        "print_copies": printed,
        "evidence_pdfs": len(pdfs.blobs),
        "evidence_pdf_mb": sum(b.size for b in pdfs.blobs) / MB,
        "indicators": indicator_count,
        "kecamatan": len(kecamatan),
        "desa": len(desa),
        "bodies": len(bodies),
    }


def _setup_regions(rnd: random.Random, size: Size, log) -> tuple:
    """The province, the kabupaten with its kecamatan and desa, its reference point, admin and OPDs.
    Returns (kabupaten, kecamatan, desa, admin)."""
    from accounts.models import Opd, Role, RoleAssignment, User
    from evidence.models import ReferencePoint
    from regions.models import Region

    province = Region.objects.create(code=PROVINCE, name="Provinsi Bench", level=1, kind=Region.Kind.PROVINSI)
    kabupaten = Region.objects.create(
        code=KABUPATEN, name="Kabupaten Bench Sehat", level=2, kind=Region.Kind.KABUPATEN, parent=province
    )
    kecamatan, desa = [], []
    for k in range(1, size.kecamatan + 1):
        kec = Region(
            code=f"{KABUPATEN}.{k:02d}", name=place_name(rnd), level=3, kind=Region.Kind.KECAMATAN, parent=kabupaten
        )
        kecamatan.append(kec)
        for d in range(1, size.desa_per_kecamatan + 1):
            desa.append(
                Region(code=f"{kec.code}.{2000 + d}", name=place_name(rnd), level=4, kind=Region.Kind.DESA, parent=kec)
            )
    Region.objects.bulk_create(kecamatan + desa, batch_size=500)
    ReferencePoint.objects.create(kabupaten=kabupaten, latitude=CENTRE[0], longitude=CENTRE[1], radius_km=80)
    admin = User.objects.create_user(username="bench-admin", password="bench-only-password")
    RoleAssignment.objects.create(user=admin, role=Role.BAPPEDA_ADMIN, region=kabupaten)
    for short, name in (("Dinkes", "Dinas Kesehatan"), ("DLH", "Dinas Lingkungan Hidup"), ("Bappeda", "Bappeda")):
        Opd.objects.create(kabupaten=kabupaten, short_name=short, name=name)
    log(f"regions: {len(kecamatan)} kecamatan, {len(desa)} desa")
    return kabupaten, kecamatan, desa, admin


def _setup_assessment(rnd: random.Random, size: Size, kabupaten, kecamatan: list, desa: list, admin, log) -> tuple:
    """The real 2025 instrument imported and the kabupaten's assessment filled in.
    Returns (cycle, assessment, the cycle's tatanan, number of indicator entries)."""
    from indicators.models import OdfStatus
    from indicators.services import assessment_open
    from tatanan.importer import instrument_import
    from tatanan.models import Cycle, Tatanan

    cycle = Cycle.objects.get(award_year=2025)
    report = instrument_import(cycle=cycle, file=ROOT / "tatanan" / "data" / "instrumen-kks-2025.xlsx")
    if not report.ok:
        raise SystemExit("the 2025 instrument did not import")
    assessment = assessment_open(kabupaten=kabupaten, cycle=cycle, actor=admin)
    indicator_count = _fill_indicator_entries(rnd, size, cycle, assessment)
    kelembagaan_count = _fill_kelembagaan_entries(cycle, assessment)
    OdfStatus.objects.bulk_create(
        OdfStatus(
            assessment=assessment,
            kecamatan=kec,
            desa_total=size.desa_per_kecamatan,
            desa_odf=size.desa_per_kecamatan - rnd.randrange(0, 2),
        )
        for kec in kecamatan
    )
    tatanan = list(Tatanan.objects.filter(tatanan_set=cycle.tatanan_set).order_by("number"))
    point_count = _add_titik_pantau(rnd, assessment, tatanan, desa)
    log(f"assessment: {indicator_count} indicators, {kelembagaan_count} kelembagaan items, {point_count} titik pantau")
    return cycle, assessment, tatanan, indicator_count


def _fill_indicator_entries(rnd: random.Random, size: Size, cycle, assessment) -> int:
    """Values, target, explanation, a self score and the status SELESAI on every indicator entry."""
    from indicators.models import IndicatorEntry
    from tatanan.models import ScaleOption

    options: dict[int, list] = {}
    for option in ScaleOption.objects.filter(indicator__cycle=cycle).order_by("order"):
        options.setdefault(option.indicator_id, []).append(option)
    entries = list(assessment.indicator_entries.select_related("indicator"))
    for entry in entries:
        choices = options.get(entry.indicator_id) or [None]
        first = rnd.randrange(40, 95)
        entry.value_year1, entry.value_year1_number = str(first), Decimal(first)
        entry.value_year2, entry.value_year2_number = str(first + 2), Decimal(first + 2)
        entry.target = "100"
        entry.explanation = (
            f"Capaian indikator {entry.indicator.number} dihitung dari laporan tahunan OPD penanggung jawab "
            f"dan rekapitulasi {size.kecamatan} kecamatan. Tahun kedua naik karena pembinaan rutin Tim Pembina "
            "dan Forum, serta dukungan anggaran desa untuk kegiatan masyarakat. Data pendukung terlampir."
        )
        entry.self_score = choices[0 if rnd.random() < 0.7 else min(1, len(choices) - 1)]
        entry.status = IndicatorEntry.Status.SELESAI
    IndicatorEntry.objects.bulk_update(
        entries,
        ["value_year1", "value_year1_number", "value_year2", "value_year2_number", "target", "explanation"]
        + ["self_score", "status"],
        batch_size=200,
    )
    return len(entries)


def _fill_kelembagaan_entries(cycle, assessment) -> int:
    """The first scale option and a note on every kelembagaan entry."""
    from indicators.models import KelembagaanEntry
    from tatanan.models import ScaleOption

    k_entries = list(KelembagaanEntry.objects.filter(assessment=assessment).select_related("item"))
    k_options: dict[int, list] = {}
    for option in ScaleOption.objects.filter(kelembagaan_item__cycle=cycle).order_by("order"):
        k_options.setdefault(option.kelembagaan_item_id, []).append(option)
    for entry in k_entries:
        entry.self_score = (k_options.get(entry.item_id) or [None])[0]
        entry.note = "Terpenuhi; dokumen terlampir."
    KelembagaanEntry.objects.bulk_update(k_entries, ["self_score", "note"])
    return len(k_entries)


def _add_titik_pantau(rnd: random.Random, assessment, tatanan: list, desa: list) -> int:
    """Three titik pantau per tatanan, in random desa near the centre."""
    from indicators.models import TitikPantau

    points = []
    for t in tatanan:
        for n in range(3):
            place = rnd.choice(desa)
            points.append(
                TitikPantau(
                    assessment=assessment,
                    tatanan=t,
                    name=f"{t.name.split()[0]} {place.name} {n + 1}",
                    kind=rnd.choice(TitikPantau.Kind.values),
                    desa=place,
                    address=f"Jl. {place_name(rnd)} No. {rnd.randrange(1, 99)}",
                    latitude=CENTRE[0] + Decimal(rnd.randrange(-300, 300)) / 1000,
                    longitude=CENTRE[1] + Decimal(rnd.randrange(-300, 300)) / 1000,
                    description="Dipantau setiap triwulan oleh Pokja dan puskesmas.",
                )
            )
    TitikPantau.objects.bulk_create(points)
    return len(points)


def _setup_bodies(rnd: random.Random, kabupaten, cycle, tatanan: list, desa: list, admin, log) -> tuple:
    """Every body with an SK and members; secretariats and approved work plans for the forums;
    pembinaan visits. Returns (bodies, forums, {forum pk: its work-plan items})."""
    from forums.models import Body, Decree, Member, Secretariat
    from forums.services import body_bulk_setup

    body_bulk_setup(kabupaten=kabupaten, actor=admin)
    bodies = list(Body.objects.filter(region__code__startswith=KABUPATEN).select_related("region"))
    Decree.objects.bulk_create(
        Decree(
            body=body,
            number=f"100.3.3.2/Kep.{rnd.randrange(10, 400)}-Huk/2023",
            date=datetime.date(2023, 2, 6),
            signer=f"Pejabat {body.region.name}",
            valid_from=datetime.date(2023, 2, 6),
        )
        for body in bodies
    )
    members = []
    for body in bodies:
        for position in (Member.Position.KETUA, Member.Position.SEKRETARIS, Member.Position.ANGGOTA):
            members.append(Member(body=body, name=f"{place_name(rnd)} {place_name(rnd)}", position=position))
    Member.objects.bulk_create(members, batch_size=500)
    forums = [b for b in bodies if b.kind in (Body.Kind.FORUM_KABKOTA, Body.Kind.FORUM_KECAMATAN)]
    Secretariat.objects.bulk_create(
        Secretariat(body=body, address=f"Kantor {body.region.name}", room="Ruang rapat", has_name_board=True)
        for body in forums
    )
    plan_items = _add_work_plans(rnd, forums, cycle, tatanan)
    visits = _add_pembinaan_visits(rnd, bodies, desa)
    log(
        f"bodies: {len(bodies)} with SKs and {len(members)} members; {len(forums) * 2} work plans; {len(visits)} visits"
    )
    return bodies, forums, plan_items


def _add_work_plans(rnd: random.Random, forums: list, cycle, tatanan: list) -> dict[int, list]:
    """An approved work plan of four items per forum and data year; returns {forum pk: items}."""
    from forums.models import WorkPlan, WorkPlanItem

    plan_items: dict[int, list] = {}
    for body in forums:
        for year in cycle.data_years:
            plan = WorkPlan.objects.create(body=body, year=year, status=WorkPlan.Status.APPROVED)
            items = WorkPlanItem.objects.bulk_create(
                WorkPlanItem(
                    work_plan=plan,
                    tatanan=tatanan[(n + year) % len(tatanan)],
                    activity=activity,
                    target="4 kali setahun",
                    schedule="Maret–Desember",
                    budget=Decimal(rnd.randrange(5, 80) * 250_000),
                    person_in_charge="Sekretaris",
                    order=n,
                )
                for n, activity in enumerate(
                    (
                        "Rapat koordinasi triwulanan forum",
                        "Gerakan bersih lingkungan dan pemantauan jentik",
                        "Penyuluhan perilaku hidup bersih dan sehat",
                        "Lomba desa sehat tingkat kecamatan",
                    )
                )
            )
            plan_items.setdefault(body.pk, []).extend(items)
    return plan_items


def _add_pembinaan_visits(rnd: random.Random, bodies: list, desa: list) -> list:
    """Two visits by every Tim Pembina Kecamatan to desa of its kecamatan."""
    from forums.models import Body, PembinaanVisit

    tim_kecamatan = [b for b in bodies if b.kind == Body.Kind.TIM_PEMBINA_KECAMATAN]
    visits = []
    for body in tim_kecamatan:
        for n in range(2):
            target = rnd.choice([d for d in desa if d.parent_id == body.region_id])
            visits.append(
                PembinaanVisit(
                    visiting_body=body,
                    target_region=target,
                    date=datetime.date(2023 + n, rnd.randrange(1, 13), rnd.randrange(1, 28)),
                    place=f"Balai Desa {target.name}",
                    findings="Sekretariat Pokja belum tertata; notulen rapat belum lengkap.",
                    follow_ups="Pendampingan penyusunan rencana kerja dan arsip.",
                )
            )
    PembinaanVisit.objects.bulk_create(visits)
    return visits


class _PdfBlobs:
    """Scanned-looking PDF blobs of the kabupaten, their files written, the rows not yet saved (``blobs``)."""

    def __init__(self, rnd: random.Random, kabupaten):
        self.rnd = rnd
        self.kabupaten = kabupaten
        self.scans = [scan_image(seed) for seed in range(DISTINCT_SCANS)]
        self.blobs: list = []

    def make(self, title: str, pages: int):
        from django.core.files.base import ContentFile

        from evidence.models import Blob, FileType

        data = pdf_document(title, [self.scans[self.rnd.randrange(DISTINCT_SCANS)] for _ in range(pages)])
        blob = Blob(
            kabupaten=self.kabupaten,
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            file_type=FileType.PDF,
            state=Blob.State.READY,
        )
        blob.file.save("x.pdf", ContentFile(data), save=False)
        self.blobs.append(blob)
        return blob


def _setup_evidence_pdfs(rnd: random.Random, pdfs: _PdfBlobs, cycle, assessment, kabupaten, forums: list) -> list:
    """Evidence PDFs: one per requirement (and data year), an SK scan per forum. Returns the
    EvidenceFile rows, not yet saved."""
    from evidence.models import EvidenceFile
    from tatanan.models import EvidenceRequirement

    files = []
    requirements = list(EvidenceRequirement.objects.filter(indicator__cycle=cycle).select_related("indicator")) + list(
        EvidenceRequirement.objects.filter(kelembagaan_item__cycle=cycle)
    )
    for requirement in requirements:
        years = (
            cycle.data_years
            if requirement.year_scope == EvidenceRequirement.YearScope.EACH
            else [requirement.data_year or cycle.data_years[-1]]
        )
        for year in years:
            blob = pdfs.make(
                f"Bukti {requirement.pk} tahun {year}: {requirement.description[:50]}", rnd.randrange(1, 4)
            )
            files.append(
                EvidenceFile(
                    blob=blob,
                    kind=EvidenceFile.Kind.LAPORAN,
                    original_name=f"bukti-{requirement.pk}-{year}.pdf",
                    region=kabupaten,
                    requirement=requirement,
                    assessment=assessment,
                    data_year=year,
                )
            )
    for body in forums:
        blob = pdfs.make(f"SK {body}", 2)
        files.append(
            EvidenceFile(
                blob=blob,
                kind=EvidenceFile.Kind.SK,
                original_name=f"sk-{body.region_id}.pdf",
                region=body.region,
                body=body,
            )
        )
    return files


def _setup_activities(
    rnd: random.Random, size: Size, bodies: list, plan_items: dict, tatanan: list, pdfs: _PdfBlobs, files: list, log
) -> list:
    """Activities: a few of the kabupaten's, four per Forum Kecamatan (realising its work plan), the
    rest spread over the Pokja Desa; each with its tatanan and a notulen PDF (added to ``files``)."""
    from evidence.models import Activity, EvidenceFile
    from forums.models import Body

    by_kind: dict[str, list] = {}
    for body in bodies:
        by_kind.setdefault(body.kind, []).append(body)
    owners = (by_kind[Body.Kind.FORUM_KABKOTA] * (size.activities // 50)) + by_kind[Body.Kind.FORUM_KECAMATAN] * 4
    pokja = by_kind[Body.Kind.POKJA_DESA]
    owners += [pokja[i % len(pokja)] for i in range(max(0, size.activities - len(owners)))]
    owners = owners[: size.activities]
    titles = (
        "Rapat koordinasi {body}",
        "Kerja bakti lingkungan di {place}",
        "Penyuluhan PHBS bagi warga {place}",
        "Pemantauan jentik nyamuk di {place}",
        "Pelatihan kader kesehatan {place}",
        "Lomba kebersihan lingkungan {place}",
    )
    activities = []
    for index, body in enumerate(owners):
        date = datetime.date(2023, 1, 1) + datetime.timedelta(days=rnd.randrange(0, 729))
        items = plan_items.get(body.pk, [])
        activities.append(
            Activity(
                body=body,
                title=rnd.choice(titles).format(body=body, place=body.region.name) + f" ({index + 1})",
                date=date,
                place=f"Balai {body.region.name}",
                work_plan_item=items[index % len(items)] if items else None,
                participants="Anggota forum, kader posyandu, perangkat desa, tokoh masyarakat",
                participant_count=rnd.randrange(12, 80),
                result=(
                    "Kegiatan berjalan sesuai rencana. Peserta menyepakati jadwal tindak lanjut dan pembagian "
                    "tugas; hasil pemantauan dicatat dalam notulen dan dilaporkan ke forum kecamatan."
                ),
                realised_budget=Decimal(rnd.randrange(0, 40) * 100_000),
            )
        )
    Activity.objects.bulk_create(activities, batch_size=500)
    through = Activity.tatanan.through
    through.objects.bulk_create(
        [through(activity_id=a.pk, tatanan_id=tatanan[i % len(tatanan)].pk) for i, a in enumerate(activities)],
        batch_size=500,
    )
    for activity in activities:
        blob = pdfs.make(f"Notulen {activity.title}", 0)
        files.append(
            EvidenceFile(
                blob=blob,
                kind=EvidenceFile.Kind.NOTULEN,
                original_name=f"notulen-{activity.pk}.pdf",
                region=activity.body.region,
                activity=activity,
            )
        )
    log(
        f"{len(activities)} activities; {len(pdfs.blobs)} evidence PDFs ({sum(b.size for b in pdfs.blobs) / MB:.1f} MB)"
    )
    return activities


def _setup_photos(
    rnd: random.Random,
    size: Size,
    processes: int,
    work_dir: Path,
    kabupaten,
    activities: list,
    pdfs: _PdfBlobs,
    files: list,
    log,
) -> tuple[list, int]:
    """Photos: distinct bases, then one file per photo (its own EXIF), written in parallel; then every
    blob (the PDFs' too) and every file saved. Returns ([(blob, activity, index)] of the photos, their bytes)."""
    import multiprocessing

    from django.db import connections, transaction

    from evidence.models import Blob, EvidenceFile, FileType

    connections.close_all()
    context = multiprocessing.get_context("fork")
    base_dir = work_dir / "bases"
    base_dir.mkdir(parents=True, exist_ok=True)
    with context.Pool(processes, initializer=_pool_init) as pool:
        bases = pool.map(_pool_make_base, [(i, str(base_dir)) for i in range(DISTINCT_PHOTOS)])
        jobs = []
        for index in range(size.photos):
            activity = activities[index // size.photos_per_activity]
            taken = datetime.datetime.combine(activity.date, datetime.time(8, 0)) + datetime.timedelta(
                minutes=index % 600
            )
            jobs.append(
                (
                    index,
                    bases[index % len(bases)],
                    taken.isoformat(),
                    float(CENTRE[0]) + rnd.uniform(-0.2, 0.2),
                    float(CENTRE[1]) + rnd.uniform(-0.2, 0.2),
                    f"Foto kegiatan {activity.pk} nomor {index}",
                )
            )
        stored = sorted(pool.map(_pool_store_photo, jobs, chunksize=20))
    photo_bytes = sum(size_ for _i, _name, _sha, size_ in stored)
    log(f"{len(stored)} photos of {PHOTO_SIZE[0]}×{PHOTO_SIZE[1]} stored ({photo_bytes / MB:,.0f} MB)")
    photo_blobs = []
    for index, name, sha, size_ in stored:
        activity = activities[index // size.photos_per_activity]
        blob = Blob(kabupaten=kabupaten, sha256=sha, size=size_, file_type=FileType.JPEG, state=Blob.State.READY)
        blob.file.name = name
        photo_blobs.append((blob, activity, index))
    with transaction.atomic():
        Blob.objects.bulk_create(pdfs.blobs + [blob for blob, _a, _i in photo_blobs], batch_size=500)
        files += [
            EvidenceFile(
                blob=blob,
                kind=EvidenceFile.Kind.FOTO,
                title=f"Dokumentasi {activity.title[:60]}",
                original_name=f"IMG_{20230000 + index}.jpg",
                region=activity.body.region,
                activity=activity,
            )
            for blob, activity, index in photo_blobs
        ]
        EvidenceFile.objects.bulk_create(files, batch_size=500)
    return photo_blobs, photo_bytes


def _setup_previews(processes: int, photo_blobs: list, log) -> tuple[int, int, int]:
    """Previews and print copies by the real photo pipeline, in parallel processes. Returns
    (previews made, their bytes, print copies made)."""
    import multiprocessing

    from django.db import connections

    from evidence.models import Blob, FileType

    connections.close_all()
    context = multiprocessing.get_context("fork")
    with context.Pool(processes, initializer=_pool_init) as pool:
        outcomes = pool.map(_pool_process, [blob.pk for blob, _a, _i in photo_blobs], chunksize=10)
    made = Blob.objects.filter(file_type=FileType.JPEG).exclude(preview="").count()
    preview_bytes = sum(
        Path(blob.preview.path).stat().st_size
        for blob in Blob.objects.filter(file_type=FileType.JPEG).exclude(preview="")
    )
    printed = print_folder()
    log(
        f"previews: {made} made by process_blob ({preview_bytes / MB:,.0f} MB, "
        f"{preview_bytes / max(made, 1) / 1024:.0f} kB each), and {len(printed)} print copies "
        f"({sum(size for size, _t in printed.values()) / MB:,.0f} MB); outcomes {sorted(set(outcomes))}"
    )
    return made, preview_bytes, len(printed)


def print_folder() -> dict[str, tuple[int, int]]:
    """The print copies stored now (``evidence.print_copies``): name → (size, modification time in ns)."""
    from django.conf import settings

    from evidence.print_copies import PRINT_FOLDER

    root = Path(settings.MEDIA_ROOT) / PRINT_FOLDER
    found = {}
    for path in root.rglob("*.jpg"):
        stat = path.stat()
        found[str(path.relative_to(root))] = (stat.st_size, stat.st_mtime_ns)
    return found


def print_copy_cpu(sample: int = 20) -> float:
    """CPU seconds one print copy costs on this machine: made (not stored) from ``sample`` previews."""
    from django.core.files.storage import default_storage

    from evidence.models import Blob, FileType
    from evidence.print_copies import make_print_copy

    names = list(Blob.objects.filter(file_type=FileType.JPEG).exclude(preview="").values_list("preview", flat=True))
    previews = []
    for name in names[:sample]:
        with default_storage.open(name, "rb") as source:
            previews.append(source.read())
    if not previews:
        return 0.0
    started = time.process_time()
    for data in previews:
        make_print_copy(io.BytesIO(data))
    return (time.process_time() - started) / len(previews)


# --- The naive baseline (a subprocess) -------------------------------------------------------------------


NAIVE_CSS = """
@page { @bottom-right { content: "Halaman " counter(page) " dari " counter(pages); font-size: 7.5pt; } }
.toc td.page a::after { content: target-counter(attr(href), page); }
section.chapter, #daftar-isi, #ringkasan { break-before: page; }
"""


def _body_of(html: str) -> str:
    match = re.search(r"<body[^>]*>(.*)</body>", html, re.DOTALL)
    return match.group(1) if match else html


def naive_baseline(version_id: int, output: Path) -> None:
    """One WeasyPrint call over the whole dossier with the full-size originals."""
    from django.template.loader import render_to_string
    from django.utils import translation
    from weasyprint import HTML, Attachment

    from dossiers.models import DossierVersion
    from dossiers.renderer.chapters import ChapterSpec, chapter_context, kabupaten_context, summary_context
    from dossiers.renderer.html import static_base_url
    from evidence.models import IMAGE_TYPES, Blob

    started = time.perf_counter()

    def say(message):
        print(f"naive: {message} at {time.perf_counter() - started:.1f} s", flush=True)

    version = DossierVersion.objects.select_related("dossier__assessment").get(pk=version_id)
    assessment = version.dossier.assessment
    # Every name a chapter may show a photo under → the original upload's path.
    originals = {}
    for blob in Blob.objects.filter(file_type__in=[str(t) for t in IMAGE_TYPES]).exclude(preview=""):
        originals[blob.preview.name] = Path(blob.file.path).as_uri()
        originals[blob.sha256] = Path(blob.file.path).as_uri()
    bodies, attachments = [], []
    with translation.override("id"):
        context = kabupaten_context(assessment)
        cover = render_to_string(
            "dossiers/pdf/cover.html",
            {
                **context,
                "version": {"number": version.number, "created_at": version.created_at},
                "verify_url": "",
                "qr_svg": "",
                "manifest_sha256": "",
            },
        )
        bodies.append(_body_of(cover))
        entries = [{"key": "ringkasan", "number": "", "title": "Ringkasan Capaian", "page": "", "css": "chapter"}]
        specs = [ChapterSpec(**spec) for spec in version.plan]
        entries += [
            {"key": f"bab-{s.key}", "number": s.number, "title": s.title, "page": "", "css": "chapter"} for s in specs
        ]
        front = render_to_string(
            "dossiers/pdf/front.html",
            {**context, "entries": entries, "summary": summary_context(assessment), "generated_at": version.created_at},
        )
        bodies.append(_body_of(front).replace('href="kks-bab:', 'href="#'))
        for spec in specs:
            data = chapter_context(assessment, spec)
            html = render_to_string(data.template, data.context)
            attachments += data.attachments
            bodies.append(_body_of(html))
    html = "\n".join(bodies)

    def original(match):
        name = match.group(1)
        uri = originals.get(name)
        if uri is None:  # a print copy named after the blob's SHA-256
            found = re.search(r"[0-9a-f]{64}", name)
            uri = originals.get(found.group(0)) if found else None
        return f'src="{uri or ""}"'

    html, photos = re.subn(r'src="kks-media:([^"]+)"', original, html)
    style = render_to_string("dossiers/pdf/_style.css") + NAIVE_CSS
    document = f'<!doctype html><html lang="id"><head><meta charset="utf-8"><style>{style}</style></head><body>{html}</body></html>'
    blobs = Blob.objects.in_bulk([a["blob_id"] for a in attachments])
    files = [
        Attachment(filename=blobs[a["blob_id"]].file.path, name=a["name"]) for a in attachments if a["blob_id"] in blobs
    ]
    say(f"one HTML document of {len(document) / MB:.1f} MB with {photos} full-size photos and {len(files)} attachments")
    rendered = HTML(string=document, base_url=static_base_url()).render()
    laid_out = time.perf_counter() - started
    say(f"laid out {len(rendered.pages)} pages")
    rendered.write_pdf(output, attachments=files)
    status = proc_status(os.getpid())
    print(
        json.dumps(
            {
                "pages": len(rendered.pages),
                "size": output.stat().st_size,
                "seconds": time.perf_counter() - started,
                "layout_seconds": laid_out,
                "peak_mb": status.get("VmHWM", 0) / 1024,
            }
        ),
        flush=True,
    )


def run_naive(env: dict, version_id: int, var_dir: Path, minutes: float, max_mb: int) -> dict:
    """Run the baseline in a subprocess, watching its memory; stop it at the limits."""
    output = var_dir / "naive.pdf"
    log = open(var_dir / "naive.log", "w+")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [PYTHON, __file__, "--phase", "naive", "--version", str(version_id), "--output", str(output)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    started = time.perf_counter()
    peak_kb, stopped = 0, None
    while process.poll() is None:
        status = proc_status(process.pid)
        peak_kb = max(peak_kb, status.get("VmHWM", 0), status.get("VmRSS", 0))
        elapsed = time.perf_counter() - started
        if peak_kb / 1024 > max_mb:
            stopped = f"its memory passed {max_mb:,} MB"
        elif elapsed > minutes * 60:
            stopped = f"it passed {minutes:g} min"
        if stopped:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            break
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    log.seek(0)
    text = log.read()
    log.close()
    result = {"seconds": seconds, "peak_mb": peak_kb / 1024, "stopped": stopped, "progress": ""}
    progress = [line for line in text.splitlines() if line.startswith("naive: ")]
    result["progress"] = progress[-1].removeprefix("naive: ") if progress else "not started"
    if stopped is None:
        last = text.strip().splitlines()[-1] if text.strip() else ""
        try:
            figures = json.loads(last)
        except ValueError:
            raise SystemExit(f"the naive baseline failed:\n{text[-3000:]}") from None
        result.update(pages=figures["pages"], size_mb=figures["size"] / MB, layout_seconds=figures["layout_seconds"])
        result["peak_mb"] = max(result["peak_mb"], figures["peak_mb"])
    elif output.exists():
        result["size_mb"] = output.stat().st_size / MB
    output.unlink(missing_ok=True)
    return result


# --- The driver ------------------------------------------------------------------------------------------


def run_manage(env: dict, *args: str) -> str:
    done = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def start_worker(env: dict, var_dir: Path, concurrency: int) -> subprocess.Popen:
    log = open(var_dir / "worker.log", "w+")  # noqa: SIM115 - lives as long as the worker
    return subprocess.Popen(
        [
            PYTHON,
            "-m",
            "celery",
            "-A",
            "kks_portal",
            "worker",
            f"--concurrency={concurrency}",
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
            "-n",
            f"bench-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_for_worker(worker: subprocess.Popen, var_dir: Path, timeout: float = 90) -> None:
    from kks_portal.tasks import ping

    result = ping.delay()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise SystemExit(f"the Celery worker exited:\n{(var_dir / 'worker.log').read_text()[-3000:]}")
        if result.ready():
            return
        time.sleep(0.2)
    raise SystemExit(f"the Celery worker did not answer:\n{(var_dir / 'worker.log').read_text()[-3000:]}")


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


def compile_once(assessment_id: int, admin_id: int, watched: dict[str, int], timeout: float = 1800) -> dict:
    """Queue a compile as the web page does and wait for it; figures of the run."""
    from django.db import connection

    from accounts.models import User
    from dossiers.models import ChapterRender, DossierVersion
    from dossiers.services import dossier_compile
    from indicators.models import Assessment

    for pid in [watched["web/driver"], watched["worker"], *children_of(watched["worker"])]:
        reset_peak(pid)
    prints_before = print_folder()
    sampler = PeakSampler(watched)
    sampler.start()
    started = time.perf_counter()
    version = dossier_compile(assessment=Assessment.objects.get(pk=assessment_id), actor=User.objects.get(pk=admin_id))
    state = version.state
    while time.perf_counter() - started < timeout:
        state = DossierVersion.objects.filter(pk=version.pk).values_list("state", flat=True).get()
        if state in (DossierVersion.State.DONE, DossierVersion.State.FAILED):
            break
        time.sleep(0.1)
    seconds = time.perf_counter() - started
    peaks = sampler.stop()
    worker_cpu = sampler.cpu("worker")
    version.refresh_from_db()
    connection.close()
    if version.state != DossierVersion.State.DONE:
        raise SystemExit(f"compile {version.number} ended {version.state}: {version.error}")
    prints_after = print_folder()
    renders = ChapterRender.objects.filter(pk__in=list(version.chapter_renders.values()))
    fresh = [r for r in renders if r.created_at >= version.created_at]
    last_chapter = max((r.created_at for r in fresh), default=version.started_at or version.created_at)
    return {
        "version": version.pk,
        "number": version.number,
        "seconds": seconds,
        "pages": version.page_count,
        "size_mb": version.size / MB,
        "chapters": len(version.plan),
        "rendered": version.chapters_rendered,
        "reused": version.chapters_reused,
        "rendered_keys": sorted(r.key for r in fresh),
        "render_seconds": sum(r.render_seconds for r in fresh),
        "rendered_pages": sum(r.pages for r in fresh),
        # Made (or made again) by the chapter tasks: photos without a copy from the photo task.
        "print_copies_made": sum(1 for name, seen in prints_after.items() if prints_before.get(name) != seen),
        "print_copies": len(prints_after),
        "longest_render": max((r.render_seconds for r in fresh), default=0.0),
        "merge_seconds": (version.finished_at - last_chapter).total_seconds(),
        "slowest": [(r.key, r.render_seconds, r.pages) for r in sorted(fresh, key=lambda r: -r.render_seconds)[:4]],
        "peaks": peaks,
        "worker_cpu": worker_cpu,
    }


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT MET"


def print_compile(label: str, figures: dict, *, target_seconds: float, copy_cpu: float) -> None:
    print(f"\n{label}")
    print(
        f"  compile wall time     {figures['seconds']:8.1f} s      target ≤ {target_seconds:g} s: "
        f"{verdict(figures['seconds'] <= target_seconds)}"
    )
    print(
        f"  chapters rendered     {figures['rendered']:8d}        of {figures['chapters']} "
        f"({figures['reused']} reused); render time {figures['render_seconds']:.1f} s summed, longest "
        f"{figures['longest_render']:.1f} s; merge {figures['merge_seconds']:.1f} s"
    )
    if figures["rendered_keys"] and figures["rendered"] <= 6:
        print(f"  re-rendered           {', '.join(figures['rendered_keys'])}")
    slowest = ", ".join(f"{key} {seconds:.1f} s ({pages} p.)" for key, seconds, pages in figures["slowest"])
    print(f"  slowest chapters      {slowest}")
    if figures["rendered_pages"]:
        print(
            f"  render time per page  {figures['render_seconds'] / figures['rendered_pages']:8.3f} s      "
            f"(chapter tasks, summed over their {figures['rendered_pages']:,} pages; wall time of the compile "
            f"{figures['seconds'] / max(figures['pages'], 1):.3f} s per page of the PDF)"
        )
    made = figures["print_copies_made"]
    share = made * copy_cpu / figures["worker_cpu"] if figures["worker_cpu"] else 0.0
    print(
        f"  print copies made     {made:8,d}        of {figures['print_copies']:,} stored; ≈ {made * copy_cpu:.1f} s "
        f"of worker CPU, {share:.1%} of it (one copy costs {copy_cpu * 1000:.0f} ms here; the photo task "
        "makes them at upload)"
    )
    print(
        f"  worker CPU time       {figures['worker_cpu']:8.1f} s      (all worker processes; on {os.cpu_count()} idle "
        f"cores at best {figures['worker_cpu'] / os.cpu_count():.1f} s of wall time)"
    )
    print(f"  pages                 {figures['pages']:8,d}")
    print(
        f"  PDF size              {figures['size_mb']:8.1f} MB     target < {TARGET_PDF_MB} MB: "
        f"{verdict(figures['size_mb'] < TARGET_PDF_MB)}"
    )
    for name, pid, mb in sorted(figures["peaks"], key=lambda p: (p[0], p[1])):
        print(
            f"  peak memory {name + ' ' + str(pid):<24} {mb:6.0f} MB   target ≤ {TARGET_PROCESS_MB} MB: "
            f"{verdict(mb <= TARGET_PROCESS_MB)}"
        )


def print_summary(world: dict, first: dict, rebuild: dict, naive: dict | None, copy_cpu: float) -> None:
    """The figures of the run beside their targets (issue 14, item 6)."""
    ours_peak = max(mb for _n, _p, mb in first["peaks"])
    print(f"\nSummary (load average now {load_average()}: other work on this machine slows every figure)")
    print(
        f"  data                  {world['kecamatan']} kecamatan, {world['desa']} desa, {world['bodies']} bodies, "
        f"{world['activities']:,} activities, {world['photos']:,} photos ({world['photo_mb']:,.0f} MB of "
        f"originals, {world['preview_mb']:,.0f} MB of ≤ 1600 px previews), {world['indicators']} indicators, "
        f"{world['evidence_pdfs']:,} evidence PDFs ({world['evidence_pdf_mb']:.1f} MB)"
    )
    print(
        f"  compile               {first['seconds']:7.1f} s  (target ≤ {TARGET_SECONDS} s: "
        f"{verdict(first['seconds'] <= TARGET_SECONDS)})"
    )
    print(
        f"  peak memory           {ours_peak:7.0f} MB (largest process; target ≤ {TARGET_PROCESS_MB} MB: "
        f"{verdict(ours_peak <= TARGET_PROCESS_MB)})"
    )
    print(f"  pages                 {first['pages']:7,d}")
    print(
        f"  PDF size              {first['size_mb']:7.1f} MB (target < {TARGET_PDF_MB} MB: "
        f"{verdict(first['size_mb'] < TARGET_PDF_MB)})"
    )
    print(f"  chapters rendered     {first['rendered']:7d}")
    per_page = first["render_seconds"] / max(first["rendered_pages"], 1)
    print(
        f"  time per page         {per_page:7.3f} s  (chapter renders summed over their pages; wall time "
        f"{first['seconds'] / max(first['pages'], 1):.3f} s per page of the PDF)"
    )
    copies_share = first["print_copies_made"] * copy_cpu / first["worker_cpu"] if first["worker_cpu"] else 0.0
    print(
        f"  print copies          {first['print_copies_made']:7,d} made by the compile, {copies_share:.1%} of the "
        f"worker CPU time ({first['worker_cpu']:.1f} s); {world.get('print_copies', 0):,} made at upload by the "
        "photo task"
    )
    print(
        f"  rebuild               {rebuild['seconds']:7.1f} s  (target ≤ {TARGET_REBUILD_SECONDS} s: "
        f"{verdict(rebuild['seconds'] <= TARGET_REBUILD_SECONDS)}); chapters re-rendered {rebuild['rendered']}"
    )
    if naive is not None:
        if naive["stopped"]:
            print(
                f"  naive baseline        STOPPED after {naive['seconds']:.1f} s because {naive['stopped']}: "
                f"peak memory {naive['peak_mb']:,.0f} MB, last step: {naive['progress']}"
            )
            prefix = "≥ "
        else:
            print(
                f"  naive baseline        {naive['seconds']:7.1f} s, peak memory {naive['peak_mb']:,.0f} MB, "
                f"{naive['pages']:,} pages, PDF {naive['size_mb']:,.1f} MB"
            )
            prefix = ""
        # WeasyPrint on the same pages in one call; stopped early, it had at least our pages ahead.
        naive_pages = naive.get("pages") or first["pages"]
        naive_per_page = naive["seconds"] / max(naive_pages, 1)
        layout = (
            f"; layout alone {naive['layout_seconds'] / max(naive_pages, 1):.3f} s"
            if naive.get("layout_seconds")
            else ""
        )
        print(
            f"  naive time per page   {prefix}{naive_per_page:.3f} s  (one WeasyPrint call over {naive_pages:,} "
            f"pages{layout}; ours {per_page:.3f} s in chapter renders, "
            f"{first['seconds'] / max(first['pages'], 1):.3f} s of compile wall time)"
        )
        ratio = naive["seconds"] / first["seconds"]
        print(
            f"  ratio naive/ours      time {prefix}{ratio:.1f}×, "
            f"peak memory {prefix}{naive['peak_mb'] / ours_peak:.1f}×"
            + (f", PDF size {naive['size_mb'] / first['size_mb']:.1f}×" if naive.get("pages") else "")
            + f" (time target ≥ {TARGET_RATIO}×: {verdict(ratio >= TARGET_RATIO)})"
        )


def create_postgres_database(url: str) -> tuple[str, str]:
    """A database ``kks_bench_<pid>`` on the server of ``url``; returns (its URL, its name)."""
    import psycopg2
    from psycopg2 import sql

    name = f"kks_bench_{os.getpid()}"
    connection = psycopg2.connect(url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    connection.close()
    head, _sep, _db = url.rpartition("/")
    return f"{head}/{name}", name


def drop_postgres_database(url: str, name: str) -> None:
    import psycopg2
    from psycopg2 import sql

    connection = psycopg2.connect(url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
    connection.close()


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def forget_compiles() -> None:
    """A kept world compiled again from cold: no versions, no cached chapters. The print copies
    stay: the photo task made them at upload (``--without-print-copies`` deletes them)."""
    from django.conf import settings

    from dossiers.models import ChapterRender, Dossier, DossierVersion

    ChapterRender.objects.all().delete()
    DossierVersion.objects.all().delete()
    Dossier.objects.all().delete()
    for folder in ("dossier", "dossier-bab"):
        shutil.rmtree(Path(settings.MEDIA_ROOT) / folder, ignore_errors=True)


def driver(args) -> int:
    size = size_of(args)
    reuse = Path(args.reuse).resolve() if args.reuse else None
    if reuse is not None and not (reuse / "world.json").is_file():
        raise SystemExit(f"{reuse} holds no world kept by --keep")
    var_dir = reuse or Path(tempfile.mkdtemp(prefix="kks-bench-dossier-"))
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "KKS_ENV")}
    for key in [key for key in env if key.startswith("S3_") or key in ("MEDIA_ROOT", "FILE_UPLOAD_TEMP_DIR")]:
        del env[key]
    env.pop("CELERY_FILESYSTEM_DIR", None)
    env.update(
        KKS_VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="kks_portal.settings",
        DEBUG="false",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    server_url = os.environ.get("DATABASE_URL", "")
    pg_name = None
    worker = None
    try:
        if server_url.startswith("postgres") and reuse is None:
            env["DATABASE_URL"], pg_name = create_postgres_database(server_url)
        database = f"PostgreSQL {pg_name}" if pg_name else f"SQLite in {var_dir}"
        broker = "Redis" if env.get("REDIS_URL") else "the filesystem broker"
        print(
            f"Synthetic kabupaten: {size.kecamatan} kecamatan, {size.kecamatan * size.desa_per_kecamatan} desa, "
            f"{size.activities:,} activities, {size.photos:,} photos of {PHOTO_SIZE[0]}×{PHOTO_SIZE[1]}; "
            f"{database}; {broker}; {args.concurrency} worker processes on {os.cpu_count()} cores; "
            f"load average {load_average()}",
            flush=True,
        )
        if reuse is None:
            print("Migrating …", flush=True)
            run_manage(env, "migrate", "--no-input", "-v", "0")
            print("Setting up (not timed) …", flush=True)
            setup = subprocess.Popen(
                [PYTHON, __file__, "--phase", "setup", "--processes", str(args.concurrency)] + size_flags(args),
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                text=True,
            )
            lines = []
            for line in setup.stdout:  # progress as it comes; the last line is the world
                lines.append(line.rstrip("\n"))
                if not line.startswith("{"):
                    print(line, end="", flush=True)
            if setup.wait():
                raise SystemExit("setup failed")
            world = json.loads(lines[-1])
            (var_dir / "world.json").write_text(json.dumps(world))
        else:
            print(f"Reusing the world kept in {var_dir}", flush=True)
            world = json.loads((var_dir / "world.json").read_text())

        os.environ.clear()
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.conf import settings

        from kks_portal.celery import app

        app.conf.task_always_eager = False
        settings.CELERY_TASK_ALWAYS_EAGER = False
        logging.getLogger("kombu").setLevel(logging.ERROR)
        if reuse is not None:
            forget_compiles()
        if args.without_print_copies:
            # As for photos uploaded before the photo task made print copies: the compile makes them.
            shutil.rmtree(Path(settings.MEDIA_ROOT) / "bukti-turunan" / "cetak", ignore_errors=True)
        copy_cpu = print_copy_cpu()

        worker = start_worker(env, var_dir, args.concurrency)
        wait_for_worker(worker, var_dir)
        watched = {"web/driver": os.getpid(), "worker": worker.pid}

        first = compile_once(world["assessment"], world["admin"], watched)
        print_compile("Compile (nothing cached)", first, target_seconds=TARGET_SECONDS, copy_cpu=copy_cpu)

        from accounts.models import User
        from evidence.models import Activity
        from evidence.services import activity_update

        activity = Activity.objects.get(pk=world["changed_activity"])
        activity_update(
            activity=activity,
            actor=User.objects.get(pk=world["admin"]),
            title=activity.title + " (diperbarui)",
            result=activity.result + " Notulen dilengkapi.",
        )
        rebuild = compile_once(world["assessment"], world["admin"], watched)
        print_compile(
            f"Rebuild after one activity changed (activity {activity.pk}, realising a work-plan item)",
            rebuild,
            target_seconds=TARGET_REBUILD_SECONDS,
            copy_cpu=copy_cpu,
        )
        stop_worker(worker)

        naive = None
        if not args.no_baseline:
            print(
                f"\nNaive baseline: one WeasyPrint call over the same content with the full-size photos "
                f"(stopped after {args.baseline_minutes:g} min or {args.baseline_max_mb:,} MB) …",
                flush=True,
            )
            naive = run_naive(env, first["version"], var_dir, args.baseline_minutes, args.baseline_max_mb)

        print_summary(world, first, rebuild, naive, copy_cpu)
        return 0
    finally:
        if worker is not None:
            stop_worker(worker)
        if pg_name:
            drop_postgres_database(server_url, pg_name)
        if args.keep or reuse is not None:
            print(f"(kept {var_dir}: --reuse it to compile the same world again)")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help="3 kecamatan, 100 activities, 200 photos")
    parser.add_argument("--smoke", action="store_true", help="1 kecamatan, 12 activities, 12 photos (the suite's run)")
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--baseline-minutes", type=float, default=15)
    parser.add_argument("--baseline-max-mb", type=int, default=6144)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument(
        "--without-print-copies",
        action="store_true",
        help="delete the print copies the photo task made before compiling (photos uploaded before it made them)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (SQLite only)")
    parser.add_argument("--reuse", metavar="DIR", help="compile again the world a --keep run left in DIR")
    # Internal: the subprocesses.
    parser.add_argument("--phase", choices=["setup", "naive"], help=argparse.SUPPRESS)
    parser.add_argument("--processes", type=int, default=2, help=argparse.SUPPRESS)
    parser.add_argument("--version", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase is None:
        return driver(args)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    if args.phase == "setup":
        from django.conf import settings

        world = setup_world(size_of(args), args.processes, Path(settings.VAR_DIR))
        print(json.dumps(world), flush=True)
    else:
        naive_baseline(args.version, Path(args.output))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
