"""National data of a chosen size, for load and scale measurements (``manage.py seed_scale``).

The default is the country of issue 14: every Kemendagri region, the bodies of the bulk setup for
all 514 kabupaten/kota (about 99,000), their 2025 assessments opened and filled (about 70,000
entries), 200,000 activities and 1,030,000 evidence rows. Smaller sizes take the first N
kabupaten/kota (the demo's first, when the demo data is there) and spread activities and files over
them in the same proportions.

What is cheap goes through the project's services, the same as real data: regions
(``wilayah_import``), OPDs (``opd_create``), users and roles (``user_create``, ``role_assign``),
bodies (``body_bulk_setup``), assessments with their entries and ODF (``assessment_open`` and the
demo's filling, ``demo.round.round_open_and_fill``), each tatanan's entries asked of its OPD
(``data_request_assign``, as the demo's ``DEMO_TASKS``), the stored files (``check_file`` decides the
type, the bytes go to the default storage under a random name, photos get their derivatives and
EXIF from the real pipeline ``evidence.photos.process_blob``). What the services would take hours
for is written with ``bulk_create``, keeping their invariants: activities with the fields
``activity_create`` checks (title, a past date, place, participants, budget, one tatanan of the
catalogue), evidence rows of a kind the owner takes, each on a ready blob of the owner's
kabupaten, never the same blob twice on one owner, the owner's region, photo flags from
``flags_for``; requirement evidence on the (requirement, data year) pairs ``requirement_years``
gives. Files are a small pool of shared blobs per kabupaten: the point is row counts, not bytes.
Then the readiness roll-up rows are rebuilt (``evidence.rollups.rebuild``, as ``manage.py
readiness_rebuild``) and the planner statistics refreshed (``ANALYZE``).

One user per role is made (or reused) with a known password, like the demo: per kabupaten/kota a
Bappeda admin ``skala.bappeda.<kode>``, an OPD operator of its Dinkes ``skala.dinkes.<kode>`` and the
secretary of its first desa's Pokja ``skala.pokja.<kode>``; per province a verifier
``skala.verifikator.<kode>``; the national verifier ``skala.verifikator.pusat``; the superuser
``skala.admin`` (codes without dots: ``skala.bappeda.3604``). A second run is refused unless
``force``: then what exists is kept and more activities and files are added.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.db.models import Model, Q
from django.utils import timezone

from accounts.models import Opd, Role, RoleAssignment, User
from accounts.services import opd_create, role_assign, user_create
from evidence.models import Activity, Blob, EvidenceFile, random_storage_name
from evidence.photos import flags_for, process_blob
from evidence.rollups import rebuild as readiness_rebuild
from evidence.selectors import requirement_years
from evidence.uploads import check_file
from forums.models import Body
from forums.services import body_bulk_setup
from indicators.models import Assessment, DataRequest, IndicatorEntry
from indicators.requests.services import data_request_assign
from regions.models import Region
from regions.services import wilayah_import
from tatanan.models import Cycle, EvidenceRequirement, Tatanan

from .round import DEMO_CYCLE, demo_pdf, demo_photo, round_open_and_fill
from .services import DEFAULT_PASSWORD, DEMO_USERS, KABUPATEN_CODE, RETURNED_CODE, SERANG_OPDS
from .submission import DEMO_TASKS

COUNTRY_KABUPATEN = 514
DEFAULT_ACTIVITIES = 200_000
DEFAULT_FILES = 1_030_000
# Of the files, this share answers the assessments' evidence requirements; the rest are the
# activities' papers and photos (issue 14: 1,000,000 of them for 200,000 activities).
REQUIREMENT_SHARE = Decimal("0.03")
PREFIX = "skala"
ADMIN_USERNAME = f"{PREFIX}.admin"
NATIONAL_USERNAME = f"{PREFIX}.verifikator.pusat"
BATCH = 2000

# How many activities a body records, relative to a Pokja desa: the kabupaten's Forum and Tim
# Pembina meet most, the kecamatan's less, a desa's Pokja least.
KIND_WEIGHTS = {
    Body.Kind.FORUM_KABKOTA: 30,
    Body.Kind.TIM_PEMBINA_KABKOTA: 15,
    Body.Kind.FORUM_KECAMATAN: 4,
    Body.Kind.TIM_PEMBINA_KECAMATAN: 2,
    Body.Kind.POKJA_DESA: 1,
}
TITLES = (
    "Rapat koordinasi triwulan",
    "Gerakan bersih lingkungan",
    "Sosialisasi perilaku hidup bersih dan sehat",
    "Pemantauan jentik nyamuk",
    "Kerja bakti saluran air",
    "Penyuluhan gizi balita",
    "Lomba desa sehat",
    "Pelatihan kader kesehatan",
    "Musyawarah rencana kerja forum",
    "Penanaman pohon dan taman",
)
RESULTS = (
    "Kesepakatan jadwal kegiatan dan pembagian tugas.",
    "Lingkungan bersih; sampah dipilah dan diangkut.",
    "Peserta memahami materi; tindak lanjut disepakati.",
)
# Every tenth activity still lacks its notulen, so readiness pages show both.
COMPLETE_KINDS = (EvidenceFile.Kind.UNDANGAN, EvidenceFile.Kind.DAFTAR_HADIR, EvidenceFile.Kind.NOTULEN)
INCOMPLETE_KINDS = (EvidenceFile.Kind.UNDANGAN, EvidenceFile.Kind.DAFTAR_HADIR)
FIRST_DAY = datetime.date(2023, 1, 2)
LAST_DAY = datetime.date(2025, 6, 30)
PHOTO_TAKEN = datetime.datetime(2024, 5, 14, 9, 30)
PHOTO_SIZE = (320, 240)


class ScaleSeedError(Exception):
    """The data cannot be made here (production, a second run, the instrument missing)."""


@dataclass
class Part:
    label: str
    made: int
    seconds: float
    note: str = ""


@dataclass
class ScaleReport:
    kabupaten: list[str]
    on_demo: bool
    password: str
    parts: list[Part] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return sum(part.seconds for part in self.parts)


def username_for(role: str, code: str) -> str:
    """``skala.bappeda.3604``: the persona of a role in a region (codes without dots)."""
    return f"{PREFIX}.{role}.{code.replace('.', '')}"


def already_seeded() -> bool:
    return User.objects.filter(username__iexact=ADMIN_USERNAME).exists()


def demo_present() -> bool:
    """The demo data is there (its users, ``demo.services.DEMO_USERS``)."""
    return User.objects.filter(username__in=[spec.username for spec in DEMO_USERS if spec.role]).exists()


def spread(total: int, weights: list[int]) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainders; sums exactly to ``total``)."""
    whole = sum(weights)
    if not weights or whole <= 0:
        return [0] * len(weights)
    exact = [total * weight / whole for weight in weights]
    shares = [int(value) for value in exact]
    left = total - sum(shares)
    for index in sorted(range(len(weights)), key=lambda i: (shares[i] - exact[i], i))[:left]:
        shares[index] += 1
    return shares


@contextlib.contextmanager
def given_timestamps(*fields) -> Iterator[None]:
    """Let ``bulk_create`` keep the ``auto_now_add`` values we set (dates spread over the years)."""
    saved = [(f, f.auto_now_add) for f in fields]
    for f, _value in saved:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f, value in saved:
            f.auto_now_add = value


def _timed(report: ScaleReport, label: str, say: Callable[[str], None], step: Callable[[], tuple[int, str]]) -> None:
    say(f"… {label}")
    started = time.perf_counter()
    made, note = step()
    part = Part(label, made, time.perf_counter() - started, note)
    report.parts.append(part)
    say(f"   {label}: {made:,} in {part.seconds:.1f} s{f' ({note})' if note else ''}")


# --- Choosing the kabupaten/kota -------------------------------------------------------------------


def _regions_ensure(count: int | None) -> tuple[int, str]:
    """Load the whole country when fewer kabupaten/kota are there than asked for (idempotent)."""
    have = Region.objects.filter(level=Region.Level.KABKOTA).count()
    if have >= (count or COUNTRY_KABUPATEN) and Region.objects.filter(level=Region.Level.DESA).exists():
        return 0, f"{Region.objects.count():,} already loaded"
    report = wilayah_import(data_dir=settings.WILAYAH_DATA_DIR)
    return report.created, f"{report.total:,} in the Kemendagri files"


def _choose(count: int | None, *, on_demo: bool) -> list[Region]:
    """The first ``count`` kabupaten/kota that have kecamatan and desa (on the demo, the demo's
    two first), all by default."""
    with_desa = Region.objects.filter(level=Region.Level.KABKOTA, children__children__isnull=False).distinct()
    regions = list(with_desa.order_by("code"))
    first = [r for r in regions if on_demo and r.code in (KABUPATEN_CODE, RETURNED_CODE)]
    ordered = first + [r for r in regions if r not in first]
    return ordered[:count] if count else ordered


# --- People ---------------------------------------------------------------------------------------


def _user(username: str, full_name: str, password_hash: str, *, role=None, region=None, opd=None) -> User:
    user = User.objects.filter(username__iexact=username).first()
    if user is None:
        user = user_create(username=username, password=None, email=f"{username}@kks-skala.example", full_name=full_name)
    user.password = password_hash
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    if role is not None:
        role_assign(user=user, role=role, region=region, opd=opd)
    return user


def _people(kabupaten: list[Region], password: str) -> tuple[int, dict[str, User], str]:
    """OPDs of every kabupaten (the demo's list, so entries find their OPD) and one user per role."""
    password_hash = make_password(password)  # one hash for all: a million rounds per user would take minutes
    admin = _user(ADMIN_USERNAME, "Admin Data Skala", password_hash)
    if not admin.is_superuser:
        admin.is_superuser = admin.is_staff = True
        admin.save(update_fields=["is_superuser", "is_staff"])
    users = {"admin": admin}
    users["national"] = _user(
        NATIONAL_USERNAME, "Verifikator Pusat (skala)", password_hash, role=Role.NATIONAL_VERIFIER
    )
    made_opds = 0
    provinces = Region.objects.in_bulk({k.parent_id for k in kabupaten})
    for code, province in sorted(provinces.items()):
        users[f"province:{code}"] = _user(
            username_for("verifikator", code),
            f"Verifikator {province.name}",
            password_hash,
            role=Role.PROVINCE_VERIFIER,
            region=province,
        )
    for region in kabupaten:
        with transaction.atomic():
            have = {opd.short_name.lower(): opd for opd in Opd.objects.filter(kabupaten=region)}
            for spec in SERANG_OPDS:
                if spec.short_name.lower() not in have:
                    have[spec.short_name.lower()] = opd_create(
                        kabupaten=region, name=spec.name, short_name=spec.short_name
                    )
                    made_opds += 1
            users[f"bappeda:{region.code}"] = _user(
                username_for("bappeda", region.code),
                f"Bappeda {region.name}",
                password_hash,
                role=Role.BAPPEDA_ADMIN,
                region=region,
            )
            users[f"dinkes:{region.code}"] = _user(
                username_for("dinkes", region.code),
                f"Dinkes {region.name}",
                password_hash,
                role=Role.OPD_OPERATOR,
                region=region,
                opd=have["dinkes"],
            )
            desa = Region.objects.filter(code__startswith=region.code + ".", level=Region.Level.DESA).order_by("code")
            first_desa = desa.first()
            users[f"pokja:{region.code}"] = _user(
                username_for("pokja", region.code),
                f"Sekretaris Pokja {first_desa.name}",
                password_hash,
                role=Role.SECRETARY,
                region=first_desa,
            )
    return made_opds, users, f"{len(users) - 1:,} users with a role and the superuser {ADMIN_USERNAME}"


# --- Bodies and assessments -----------------------------------------------------------------------


def _bodies(kabupaten: list[Region], admin: User, say) -> tuple[int, str]:
    made = existing = 0
    for index, region in enumerate(kabupaten, start=1):
        counts = body_bulk_setup(kabupaten=region, actor=admin)
        made, existing = made + counts["created"], existing + counts["existing"]
        _progress(say, index, len(kabupaten), "kabupaten/kota")
    return made, f"{existing:,} already there"


def _assessments(kabupaten: list[Region], users: dict[str, User], cycle: Cycle, say) -> tuple[int, str]:
    before = IndicatorEntry.objects.filter(assessment__cycle=cycle).count()
    requests = 0
    for index, region in enumerate(kabupaten, start=1):
        assessment = round_open_and_fill(kabupaten=region, cycle=cycle, admin=users["admin"])
        requests += data_requests_assign(assessment, users[f"bappeda:{region.code}"])
        _progress(say, index, len(kabupaten), "assessments")
    after = IndicatorEntry.objects.filter(assessment__cycle=cycle).count()
    return after - before, (
        f"{len(kabupaten):,} assessments of {cycle.award_year}, {after:,} entries in all; {requests:,} data requests"
    )


def data_requests_assign(assessment: Assessment, bappeda: User) -> int:
    """Each tatanan's entries asked of its OPD, as the demo's Bappeda does (``DEMO_TASKS``), so the
    OPD operators have their to-do list; only when the assessment has no data request yet."""
    if DataRequest.objects.filter(assessment=assessment).exists():
        return 0
    opds = {opd.short_name: opd for opd in Opd.objects.filter(kabupaten_id=assessment.kabupaten_id)}
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    made = 0
    for task in DEMO_TASKS:
        entries = list(
            assessment.indicator_entries.filter(indicator__tatanan__code=task.tatanan, indicator__is_local=False)
        )
        if task.opd in opds and entries:
            data_request_assign(
                assessment=assessment,
                opd=opds[task.opd],
                entries=entries,
                deadline=deadline,
                actor=bappeda,
                message=task.message,
            )
            made += 1
    return made


def _progress(say, index: int, total: int, what: str) -> None:
    step = max(total // 10, 1)
    if total >= 20 and index % step == 0 and index < total:
        say(f"   {index:,} of {total:,} {what}")


# --- Activities -----------------------------------------------------------------------------------


def _day(n: int) -> datetime.date:
    days = (min(LAST_DAY, timezone.localdate()) - FIRST_DAY).days
    return FIRST_DAY + datetime.timedelta(days=(n * 7919) % (days + 1))


def _activities(kabupaten: list[Region], users: dict[str, User], total: int, say) -> tuple[int, str]:
    bodies_of = {region.code: [] for region in kabupaten}
    for body in (
        Body.objects.filter(region__code__regex=_codes_regex(kabupaten))
        .select_related("region")
        .order_by("region_id", "kind")
    ):
        bodies_of[body.region_id[:5]].append(body)
    per_kabupaten = spread(total, [sum(KIND_WEIGHTS[b.kind] for b in bodies_of[r.code]) for r in kabupaten])
    tatanan = list(Tatanan.objects.filter(tatanan_set__cycles__award_year=DEMO_CYCLE).order_by("number"))
    through = Activity.tatanan.through
    start = Activity.objects.count()
    created_at = Activity._meta.get_field("created_at")
    made = 0
    for index, (region, count) in enumerate(zip(kabupaten, per_kabupaten, strict=True), start=1):
        bodies = bodies_of[region.code]
        actor = users[f"bappeda:{region.code}"]
        rows = []
        for body, share in zip(bodies, spread(count, [KIND_WEIGHTS[b.kind] for b in bodies]), strict=True):
            for n in range(share):
                serial = start + made + len(rows)
                date = _day(serial)
                rows.append(
                    Activity(
                        body=body,
                        title=f"{TITLES[serial % len(TITLES)]} {n + 1}",
                        date=date,
                        place=f"Balai {body.region.name}",
                        participants="Anggota forum, kader, perangkat desa",
                        participant_count=15 + serial % 40,
                        result=RESULTS[serial % len(RESULTS)],
                        realised_budget=Decimal(500_000 + (serial % 20) * 250_000),
                        created_by=actor,
                        created_at=timezone.make_aware(datetime.datetime.combine(date, datetime.time(16, 0))),
                    )
                )
        with transaction.atomic(), given_timestamps(created_at):
            created = Activity.objects.bulk_create(rows, batch_size=BATCH)
            if tatanan:
                through.objects.bulk_create(
                    [through(activity_id=a.pk, tatanan_id=tatanan[i % len(tatanan)].pk) for i, a in enumerate(created)],
                    batch_size=BATCH,
                )
        made += len(created)
        _progress(say, index, len(kabupaten), "kabupaten/kota")
    return made, f"over {sum(len(b) for b in bodies_of.values()):,} bodies"


# --- Files ----------------------------------------------------------------------------------------


class BytesOnce:
    """The pool's bytes, made once for every kabupaten (the same bytes are one blob per kabupaten)."""

    def __init__(self):
        self.pdfs = {
            kind: demo_pdf(f"{label} kegiatan (data skala)", lines=["Dokumen contoh untuk pengukuran beban."])
            for kind, label in (
                (EvidenceFile.Kind.UNDANGAN, "Undangan"),
                (EvidenceFile.Kind.DAFTAR_HADIR, "Daftar hadir"),
                (EvidenceFile.Kind.NOTULEN, "Notulen"),
                (EvidenceFile.Kind.LAPORAN, "Laporan"),
            )
        }
        self._photos: list[bytes] = []

    def photo(self, index: int) -> bytes:
        while len(self._photos) <= index:
            self._photos.append(
                demo_photo(f"Foto kegiatan skala {len(self._photos) + 1}", taken=PHOTO_TAKEN, size=PHOTO_SIZE)
            )
        return self._photos[index]


def _store_blob(kabupaten: Region, name: str, data: bytes, actor: User) -> Blob:
    """A ready blob of ``data``, as ``evidence.uploads`` stores one: checked, written under a random
    name, and (an image) given its derivatives and EXIF by the photo pipeline."""
    sha256 = hashlib.sha256(data).hexdigest()
    blob = Blob.objects.filter(kabupaten=kabupaten, sha256=sha256, state=Blob.State.READY).first()
    if blob is None:
        checked = check_file(SimpleUploadedFile(name, data))
        inspection = checked.inspection
        blob = Blob.objects.create(
            kabupaten=kabupaten,
            sha256=sha256,
            size=checked.size,
            file_type=inspection.file_type,
            file=random_storage_name("bukti", inspection.extension),
            width=inspection.width,
            height=inspection.height,
            created_by=actor,
        )
        stored = default_storage.save(blob.file.name, ContentFile(data), max_length=200)
        Blob.objects.filter(pk=blob.pk).update(file=stored, state=Blob.State.READY)
        blob.refresh_from_db()
    if blob.is_image and blob.processed_at is None:
        process_blob(blob.pk)
        blob.refresh_from_db()
    return blob


def _kinds(serial: int, count: int) -> list[str]:
    papers = INCOMPLETE_KINDS if serial % 10 == 9 else COMPLETE_KINDS
    return [*papers, *[EvidenceFile.Kind.FOTO] * max(count - len(papers), 0)][:count]


def _files(kabupaten: list[Region], users: dict[str, User], total: int, cycle: Cycle, say) -> tuple[int, str]:
    requirement_total = int((Decimal(total) * REQUIREMENT_SHARE).to_integral_value())
    activity_total = total - requirement_total
    activities_of = {region.code: [] for region in kabupaten}
    # Activities that have no file yet (a second run with --force gives files to its own only).
    for pk, date, region_code in (
        Activity.objects.filter(
            deleted_at__isnull=True, files__isnull=True, body__region__code__regex=_codes_regex(kabupaten)
        )
        .order_by("id")
        .values_list("id", "date", "body__region_id")
    ):
        activity = Activity(pk=pk, date=date)
        activity.region_code = region_code
        activities_of[region_code[:5]].append(activity)
    per_kabupaten = spread(activity_total, [len(activities_of[r.code]) for r in kabupaten])
    per_requirements = spread(requirement_total, [1] * len(kabupaten))
    pool = BytesOnce()
    blobs = made = owed = 0
    uploaded_at = EvidenceFile._meta.get_field("uploaded_at")
    for index, region in enumerate(kabupaten, start=1):
        actor = users[f"bappeda:{region.code}"]
        activities = activities_of[region.code]
        counts = spread(per_kabupaten[index - 1], [1] * len(activities))
        photos = max([c - len(INCOMPLETE_KINDS) for c in counts] + [1])
        with transaction.atomic():
            papers = {kind: _store_blob(region, f"{kind}.pdf", data, actor) for kind, data in pool.pdfs.items()}
            images = [_store_blob(region, f"foto-{i + 1}.jpg", pool.photo(i), actor) for i in range(photos)]
            blobs += len(papers) + len(images)
            rows = _activity_files(activities, counts, papers, images, actor)
            # A kabupaten whose requirements are all answered already (the demo's) passes its share on.
            wanted = per_requirements[index - 1] + owed
            answers = _requirement_files(region, cycle, wanted, papers[EvidenceFile.Kind.LAPORAN], actor)
            owed = wanted - len(answers)
            rows += answers
            with given_timestamps(uploaded_at):
                EvidenceFile.objects.bulk_create(rows, batch_size=BATCH)
        made += len(rows)
        _progress(say, index, len(kabupaten), "kabupaten/kota")
    short = f" ({owed:,} fewer: no requirement left without a file)" if owed else ""
    return made, (
        f"{activity_total:,} on activities, {requirement_total - owed:,} on requirements{short}; {blobs:,} blobs stored"
    )


def _codes_regex(kabupaten: list[Region]) -> str:
    return r"^(" + "|".join(r.code.replace(".", r"\.") for r in kabupaten) + r")(\.|$)"


def _activity_files(activities, counts, papers, images, actor) -> list[EvidenceFile]:
    flags: dict[tuple[int, int], list[str]] = {}
    rows = []
    for activity, count in zip(activities, counts, strict=True):
        photo = 0
        for kind in _kinds(activity.pk, count):
            if kind == EvidenceFile.Kind.FOTO:
                blob, name = images[photo], f"foto-{photo + 1}.jpg"
                photo += 1
            else:
                blob, name = papers[kind], f"{kind.replace('_', '-')}.pdf"
            row = EvidenceFile(
                blob=blob,
                kind=kind,
                original_name=name,
                region_id=activity.region_code,
                activity=activity,
                uploaded_by=actor,
                uploaded_at=timezone.make_aware(
                    datetime.datetime.combine(activity.date + datetime.timedelta(days=1), datetime.time(10, 0))
                ),
            )
            if blob.is_image:
                key = (blob.pk, activity.date.year)
                if key not in flags:
                    flags[key] = flags_for(row)
                row.flags = flags[key]
            rows.append(row)
    return rows


def _requirement_files(region: Region, cycle: Cycle, count: int, blob: Blob, actor: User) -> list[EvidenceFile]:
    assessment = Assessment.objects.select_related("cycle").get(kabupaten=region, cycle=cycle)
    taken = set(
        EvidenceFile.objects.filter(assessment=assessment, requirement__isnull=False).values_list(
            "requirement_id", "data_year"
        )
    )
    requirements = EvidenceRequirement.objects.filter(
        Q(indicator__cycle=cycle, indicator__owner_kabupaten__isnull=True) | Q(kelembagaan_item__cycle=cycle)
    ).order_by("indicator__tatanan__number", "indicator__order", "order", "id")
    rows = []
    when = timezone.make_aware(datetime.datetime(cycle.last_data_year, 12, 15, 10, 0))
    for requirement in requirements:
        for year in requirement_years(requirement, assessment):
            if len(rows) >= count:
                return rows
            if (requirement.pk, year) in taken:
                continue
            rows.append(
                EvidenceFile(
                    blob=blob,
                    kind=EvidenceFile.Kind.LAPORAN,
                    original_name=f"laporan-{year or 'umum'}.pdf",
                    region=region,
                    requirement=requirement,
                    assessment=assessment,
                    data_year=year,
                    uploaded_by=actor,
                    uploaded_at=when,
                )
            )
    return rows


# --- The whole -----------------------------------------------------------------------------------


def scale_seed(
    *,
    kabupaten: int | None = None,
    activities: int = DEFAULT_ACTIVITIES,
    files: int = DEFAULT_FILES,
    password: str | None = None,
    force: bool = False,
    stdout=None,
) -> ScaleReport:
    """Fill the database with national data of the given size; see the module's docstring."""
    if getattr(settings, "PRODUCTION", False) and not force:
        raise ScaleSeedError("KKS_ENV=production: data skala tidak dibuat (pakai --force bila memang disengaja).")
    if already_seeded() and not force:
        raise ScaleSeedError(
            "Data skala sudah dibuat di database ini. Jalankan dengan --force untuk menambah kegiatan dan berkas lagi "
            "(wilayah, lembaga, penilaian dan pengguna yang ada dibiarkan)."
        )
    cycle = Cycle.objects.filter(award_year=DEMO_CYCLE, indicators__isnull=False).distinct().first()
    if cycle is None:
        raise ScaleSeedError(
            f"Instrumen {DEMO_CYCLE} belum diimpor: jalankan dulu "
            f"manage.py import_instrumen tatanan/data/instrumen-kks-{DEMO_CYCLE}.xlsx --cycle {DEMO_CYCLE}."
        )

    def say(line: str) -> None:
        if stdout is not None:
            stdout.write(line)
            stdout.flush()

    password = password or DEFAULT_PASSWORD
    report = ScaleReport(kabupaten=[], on_demo=demo_present(), password=password)
    _timed(report, "regions (new)", say, lambda: _regions_ensure(kabupaten))
    chosen = _choose(kabupaten, on_demo=report.on_demo)
    if kabupaten and len(chosen) < kabupaten:
        raise ScaleSeedError(f"Hanya {len(chosen)} kabupaten/kota dengan desa yang termuat; diminta {kabupaten}.")
    report.kabupaten = [region.code for region in chosen]
    users: dict[str, User] = {}

    def people():
        made, found, note = _people(chosen, password)
        users.update(found)
        return made, f"OPDs made; {note}"

    _timed(report, "OPDs and users", say, people)
    _timed(report, "bodies (body_bulk_setup)", say, lambda: _bodies(chosen, users["admin"], say))
    _timed(report, "assessment entries", say, lambda: _assessments(chosen, users, cycle, say))
    _timed(report, "activities (bulk)", say, lambda: _activities(chosen, users, activities, say))
    _timed(report, "evidence files (bulk)", say, lambda: _files(chosen, users, files, cycle, say))
    _timed(report, "readiness roll-ups", say, lambda: _readiness(chosen))
    _timed(report, "planner statistics (ANALYZE)", say, _analyze)
    return report


def _analyze() -> tuple[int, str]:
    """Fresh planner statistics: after a million rows written at once, a server whose autovacuum is
    off or behind would otherwise plan every page for empty tables (a scan of every file)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return 0, connection.vendor


def _readiness(kabupaten: list[Region]) -> tuple[int, str]:
    """The readiness rows of the bodies (``evidence.rollups``): the activities and files above were
    made with ``bulk_create``, round the services that keep the rows current."""
    return sum(readiness_rebuild(kabupaten_code=region.code) for region in kabupaten), "body × year rows"


def scale_counts() -> dict[str, int]:
    """What the database holds now, for the closing table."""
    models: dict[str, type[Model]] = {
        "regions": Region,
        "bodies": Body,
        "assessment entries": IndicatorEntry,
        "activities": Activity,
        "evidence files": EvidenceFile,
        "blobs": Blob,
        "users": User,
        "role assignments": RoleAssignment,
    }
    return {label: model.objects.count() for label, model in models.items()}
