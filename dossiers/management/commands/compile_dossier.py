import os
import shutil
import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from dossiers.renderer.formatting import ukuran
from dossiers.services import dossier_compile, version_run_inline
from indicators.models import Assessment
from regions.models import Region
from tatanan.models import Cycle


def _writable_target(path: Path) -> Path:
    """The output path, checked before any work is done (a compile takes a while)."""
    path = path.expanduser()
    if path.exists() and path.is_dir():
        raise CommandError(f"{path} adalah folder; berikan nama berkas, mis. {path / 'dossier.pdf'}.")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise CommandError(f"Folder {parent} tidak ada.")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise CommandError(f"Tidak dapat menulis ke {path}: periksa izin berkas/folder.")
    return path


class Command(BaseCommand):
    help = (
        "Susun dossier (dokumen penilaian) sebuah kabupaten/kota untuk satu siklus dengan pipeline yang sama "
        "seperti tombol 'Susun dossier', dijalankan di proses ini, lalu tulis PDF-nya. Versi baru tercatat di portal; "
        "bab yang datanya tidak berubah dipakai ulang."
    )

    def add_arguments(self, parser):
        parser.add_argument("--kabupaten", required=True, help="Kode Kemendagri kabupaten/kota, mis. 36.04.")
        parser.add_argument("--cycle", required=True, type=int, help="Tahun penghargaan, mis. 2025.")
        parser.add_argument("--output", required=True, help="Berkas PDF yang ditulis.")

    def handle(self, *args, kabupaten, cycle, output, **options):
        target = _writable_target(Path(output))
        region = Region.objects.filter(code=kabupaten.strip()).first()
        if region is None:
            raise CommandError(f"Kabupaten/kota dengan kode {kabupaten} tidak ada.")
        if region.level != Region.Level.KABKOTA:
            raise CommandError(f"{region} bukan kabupaten/kota.")
        cycle_row = Cycle.objects.filter(award_year=cycle).first()
        if cycle_row is None:
            raise CommandError(f"Siklus Swasti Saba {cycle} tidak ada.")
        assessment = Assessment.objects.filter(kabupaten=region, cycle=cycle_row).first()
        if assessment is None:
            raise CommandError(f"{region.name} belum membuka penilaian Swasti Saba {cycle}.")

        started = time.monotonic()
        try:
            version = dossier_compile(assessment=assessment, actor=None, start=False)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"Menyusun versi {version.number} ({len(version.plan)} bab)…")
        version = version_run_inline(version)
        if not version.is_done:
            raise CommandError(f"Versi {version.number} gagal disusun: {version.error}")
        try:
            with version.pdf.open("rb") as source, open(target, "wb") as destination:
                shutil.copyfileobj(source, destination, 1024 * 1024)
        except OSError as exc:
            raise CommandError(f"Tidak dapat menulis ke {target}: {exc.strerror or exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Versi {version.number} selesai dalam {time.monotonic() - started:.1f} detik: "
                f"{version.page_count} halaman, {ukuran(version.size)}, "
                f"{version.chapters_rendered} bab dirender, {version.chapters_reused} dipakai ulang."
            )
        )
        self.stdout.write(f"SHA-256: {version.sha256}")
        self.stdout.write(f"Ditulis ke {target}")
