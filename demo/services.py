"""Demo data: Kabupaten Serang (36.04, Banten) with its OPDs and one user per role, and Kota
Cilegon (36.72) whose dossier the province returned.

Everything is built on the real Kemendagri codes loaded by ``manage.py import_wilayah`` and
written through ``accounts.services``, so the demo obeys the same rules as real data (a
secretary sits on a kabupaten, kecamatan or desa; an OPD operator belongs to an OPD of the
kabupaten; ...). Running it again changes nothing except putting the demo users back in the
state the printed table promises: active, with the announced password.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.management import call_command, get_commands
from django.db import transaction

from accounts.models import Opd, Role, User
from accounts.services import opd_create, role_assign, user_create
from evidence.models import ReferencePoint
from forums.services import body_bulk_setup
from regions.models import Region

from .round import demo_cycle, demo_round_seed, round_open_and_fill
from .submission import BytesCache, demo_round_complete, dossier_return_by_province

# Printed by the command and by README: a demo is only useful if people can log in to it.
DEFAULT_PASSWORD = "kks-demo-2025"
# Where scripts/run serves the portal (it passes KKS_HOST/KKS_PORT on).
LOGIN_URL = f"http://{os.environ.get('KKS_HOST', '127.0.0.1')}:{os.environ.get('KKS_PORT', '8000')}/"

PROVINCE_CODE = "36"  # Banten
KABUPATEN_CODE = "36.04"  # Kabupaten Serang
# The second demo kabupaten: its dossier was submitted and returned by the province.
RETURNED_CODE = "36.72"  # Kota Cilegon
SUBMIT_COMMENT = "Dokumen penilaian KKS 2025 kami ajukan untuk diverifikasi. Terima kasih."
RETURN_REASON = (
    "Bukti dukung tatanan Pasar (PSR) tahun 2024 belum memuat laporan pengawasan pasar, dan nilai mandiri "
    "kelembagaan Forum Kecamatan belum sesuai dengan kegiatan yang terdokumentasi. Mohon dilengkapi dan "
    "diajukan kembali."
)


@dataclass(frozen=True)
class DemoOpd:
    short_name: str
    name: str


# The perangkat daerah that own the indicator data of the nine tatanan (KSM … BCN).
SERANG_OPDS = [
    DemoOpd("Bappeda", "Badan Perencanaan Pembangunan Daerah"),
    DemoOpd("Dinkes", "Dinas Kesehatan"),
    DemoOpd("DLH", "Dinas Lingkungan Hidup"),
    DemoOpd("Dinas PUPR", "Dinas Pekerjaan Umum dan Penataan Ruang"),
    DemoOpd("Disperkim", "Dinas Perumahan Rakyat dan Kawasan Permukiman"),
    DemoOpd("Dishub", "Dinas Perhubungan"),
    DemoOpd("Disdikbud", "Dinas Pendidikan dan Kebudayaan"),
    DemoOpd("Dinsos", "Dinas Sosial"),
    DemoOpd("Disperindag", "Dinas Perindustrian dan Perdagangan"),
    DemoOpd("Dispar", "Dinas Pariwisata, Pemuda dan Olahraga"),
    DemoOpd("DPMD", "Dinas Pemberdayaan Masyarakat dan Desa"),
    DemoOpd("DKP", "Dinas Ketahanan Pangan"),
    DemoOpd("Diskominfosatik", "Dinas Komunikasi, Informatika, Sandi dan Statistik"),
    DemoOpd("BPBD", "Badan Penanggulangan Bencana Daerah"),
    DemoOpd("Satpol PP", "Satuan Polisi Pamong Praja"),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: str | None  # None: the superuser, who needs no role
    region_code: str | None = None
    opd_short_name: str | None = None
    serves: str = ""  # the body the person works for, shown in the table


DEMO_USERS = [
    DemoUser("admin", "Hendra Gunawan", None, serves="Administrator portal"),
    DemoUser("bappeda.serang", "Rina Wulandari", Role.BAPPEDA_ADMIN, "36.04", serves="Bappeda Kabupaten Serang"),
    DemoUser("bappeda.cilegon", "Agus Salim", Role.BAPPEDA_ADMIN, RETURNED_CODE, serves="Bappeda Kota Cilegon"),
    DemoUser("dinkes.serang", "Dedi Supriadi", Role.OPD_OPERATOR, "36.04", "Dinkes", serves="Dinkes Kabupaten Serang"),
    DemoUser("dlh.serang", "Yuni Rahmawati", Role.OPD_OPERATOR, "36.04", "DLH", serves="DLH Kabupaten Serang"),
    DemoUser("forum.serang", "Ahmad Fauzi", Role.SECRETARY, "36.04", serves="Forum Kabupaten Sehat Serang"),
    DemoUser("fks.carenang", "Sari Handayani", Role.SECRETARY, "36.04.17", serves="Forum Kecamatan Sehat Carenang"),
    DemoUser("fks.binuang", "Tono Suhendar", Role.SECRETARY, "36.04.18", serves="Forum Kecamatan Sehat Binuang"),
    DemoUser("pokja.carenang", "Dewi Anggraeni", Role.SECRETARY, "36.04.17.2001", serves="Pokja Desa Sehat Carenang"),
    DemoUser(
        "verifikator.banten", "Vina Oktaviani", Role.PROVINCE_VERIFIER, "36", serves="Tim Pembina Provinsi Banten"
    ),
    DemoUser(
        "verifikator.jabar", "Wawan Hermawan", Role.PROVINCE_VERIFIER, "32", serves="Tim Pembina Provinsi Jawa Barat"
    ),
    DemoUser("verifikator.pusat", "Nadia Putri Rahayu", Role.NATIONAL_VERIFIER, serves="Tim Pembina Pusat"),
]


@dataclass(frozen=True)
class DemoAccount:
    """One line of the table the command prints."""

    username: str
    password: str
    full_name: str
    role: str
    wilayah: str
    created: bool


class DemoSeedError(Exception):
    """The demo cannot be built here (production, or the regions cannot be loaded)."""


def demo_required_region_codes() -> list[str]:
    codes = {KABUPATEN_CODE} | {u.region_code for u in DEMO_USERS if u.region_code}
    return sorted(codes)


def _wilayah_ensure(*, stdout=None) -> dict[str, Region]:
    """Return the demo's regions, loading their provinces with ``import_wilayah`` when absent."""
    codes = demo_required_region_codes()
    regions = Region.objects.in_bulk(codes)
    missing = [code for code in codes if code not in regions]
    if missing:
        if "import_wilayah" not in get_commands():
            raise DemoSeedError(
                f"Wilayah {', '.join(missing)} belum ada dan perintah import_wilayah tidak tersedia: "
                "muat data wilayah Kemendagri dulu."
            )
        for province in sorted({code.split(".")[0] for code in missing}):
            call_command("import_wilayah", province=province, stdout=stdout)
        regions = Region.objects.in_bulk(codes)
        still_missing = [code for code in codes if code not in regions]
        if still_missing:
            raise DemoSeedError(f"Wilayah {', '.join(still_missing)} tidak ada di data Kemendagri yang dimuat.")
    return regions


def _opds_ensure(*, kabupaten: Region) -> dict[str, Opd]:
    existing = {opd.short_name.lower(): opd for opd in Opd.objects.filter(kabupaten=kabupaten)}
    opds = {}
    for spec in SERANG_OPDS:
        opd = existing.get(spec.short_name.lower())
        if opd is None:
            opd = opd_create(kabupaten=kabupaten, name=spec.name, short_name=spec.short_name)
        opds[spec.short_name] = opd
    return opds


# Where Kabupaten Serang lies (near Serang city), and how far its photos may be taken from there.
SERANG_REFERENCE_POINT = {"latitude": Decimal("-6.12"), "longitude": Decimal("106.15"), "radius_km": 60}


def _reference_point_ensure(*, kabupaten: Region) -> None:
    """The kabupaten's reference point for the far-away photo flag; a point Bappeda has moved
    since is left as it is."""
    ReferencePoint.objects.get_or_create(kabupaten=kabupaten, defaults=SERANG_REFERENCE_POINT)


def _describe_role(spec: DemoUser) -> str:
    if spec.role is None:
        return "Superuser"
    label = str(Role(spec.role).label)
    return f"{label} ({spec.serves})" if spec.serves else label


def _describe_wilayah(region: Region | None, spec: DemoUser) -> str:
    if region is not None:
        return str(region)
    return "Semua wilayah" if spec.role is None else "Nasional"


def demo_seed(*, password: str | None = None, force: bool = False, stdout=None) -> list[DemoAccount]:
    """Build the demo kabupaten and its users; safe to run again.

    Every run sets the demo users' password to ``password`` (or ``DEFAULT_PASSWORD``) and
    re-activates them, so the returned table is always true, even after someone played with
    the accounts. Refuses when ``KKS_ENV=production`` unless ``force`` is given: demo users
    with a published password must never appear on a real portal by accident.
    """
    if getattr(settings, "PRODUCTION", False) and not force:
        raise DemoSeedError("KKS_ENV=production: data demo tidak dibuat (pakai --force bila memang disengaja).")
    password = password or DEFAULT_PASSWORD
    regions = _wilayah_ensure(stdout=stdout)

    accounts = []
    with transaction.atomic():
        opds = _opds_ensure(kabupaten=regions[KABUPATEN_CODE])
        _reference_point_ensure(kabupaten=regions[KABUPATEN_CODE])
        for spec in DEMO_USERS:
            region = regions[spec.region_code] if spec.region_code else None
            opd = opds[spec.opd_short_name] if spec.opd_short_name else None
            user = User.objects.filter(username__iexact=spec.username).first()
            created = user is None
            if created:
                user = user_create(
                    username=spec.username,
                    password=password,
                    email=f"{spec.username}@kks-demo.example",
                    full_name=spec.full_name,
                )
            else:
                # Only when it differs: a new hash would log the demo users out on every run.
                if not user.check_password(password):
                    user.set_password(password)
                user.is_active = True
            if spec.role is None:
                user.is_superuser = user.is_staff = True
            user.save()
            if spec.role is not None:
                role_assign(user=user, role=spec.role, region=region, opd=opd)
            accounts.append(
                DemoAccount(
                    username=user.username,
                    password=password,
                    full_name=user.get_full_name(),
                    role=_describe_role(spec),
                    wilayah=_describe_wilayah(region, spec),
                    created=created,
                )
            )
        # The kabupaten's bodies (Tim Pembina, Forum, each Forum Kecamatan and Pokja), so every
        # demo secretary has a body to keep. Idempotent, like the rest.
        admin = User.objects.get(username__iexact=DEMO_USERS[0].username)
        body_bulk_setup(kabupaten=regions[KABUPATEN_CODE], actor=admin)
        body_bulk_setup(kabupaten=regions[RETURNED_CODE], actor=admin)
    _rounds_seed(regions=regions, admin=admin, stdout=stdout)
    return accounts


def _rounds_seed(*, regions: dict[str, Region], admin: User, stdout=None) -> None:
    """The 2025 round (when the instrument is imported): Serang's complete, documented and
    submitted, so the Banten verifier has it in her queue; Cilegon's submitted and returned with
    a reason. Each step leaves alone what exists (``demo.submission``)."""
    cycle = demo_cycle(stdout)
    if cycle is None:
        return
    users = {u.username: u for u in User.objects.filter(username__in=[spec.username for spec in DEMO_USERS])}
    files = BytesCache()
    serang = demo_round_seed(kabupaten=regions[KABUPATEN_CODE], admin=admin, stdout=stdout)
    demo_round_complete(
        assessment=serang,
        bappeda=users["bappeda.serang"],
        files=files,
        signer="Bupati Serang",
        comment=SUBMIT_COMMENT,
        operators={spec.opd_short_name: users[spec.username] for spec in DEMO_USERS if spec.opd_short_name},
        stdout=stdout,
    )
    if not serang.indicator_entries.exists():
        return  # the instrument is not imported yet: nothing to fill
    cilegon = round_open_and_fill(kabupaten=regions[RETURNED_CODE], cycle=cycle, admin=admin)
    submitted = demo_round_complete(
        assessment=cilegon,
        bappeda=users["bappeda.cilegon"],
        files=files,
        signer="Wali Kota Cilegon",
        comment=SUBMIT_COMMENT,
        stdout=stdout,
    )
    if submitted:
        dossier_return_by_province(assessment=cilegon, verifier=users["verifikator.banten"], reason=RETURN_REASON)
