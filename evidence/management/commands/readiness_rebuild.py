"""Rebuild the readiness roll-up rows (``BodyYearReadiness``) from the activities.

Run once on a database that had activities before the rows existed, and after loading activities
or files round the services (``bulk_create``: ``seed_scale``, restores). Safe while the portal runs:
each body and year is refreshed under the same row lock the services take (``evidence.rollups``;
docs/PERFORMANCE.md, "Readiness roll-ups")."""

import time

from django.core.management.base import BaseCommand, CommandError

from evidence.rollups import REBUILD_CHUNK, rebuild
from regions.models import Region


class Command(BaseCommand):
    help = (
        "Hitung ulang baris rekap kesiapan bukti kegiatan (per lembaga per tahun) dari kegiatan dan berkasnya: "
        "sekali pada basis data lama, dan setelah memuat kegiatan atau berkas tanpa layanan portal."
    )

    def add_arguments(self, parser):
        parser.add_argument("--kabupaten", help="Kode kabupaten/kota (mis. 36.04); bawaan: semua.")
        parser.add_argument(
            "--chunk", type=int, default=REBUILD_CHUNK, help=f"Lembaga per langkah (bawaan {REBUILD_CHUNK})."
        )

    def handle(self, *args, kabupaten=None, chunk=REBUILD_CHUNK, **options):
        if kabupaten and not Region.objects.filter(code=kabupaten, level=Region.Level.KABKOTA).exists():
            raise CommandError(f"Kabupaten/kota {kabupaten} tidak ada.")
        if chunk < 1:
            raise CommandError("--chunk harus 1 atau lebih.")
        started = time.perf_counter()
        written = rebuild(kabupaten_code=kabupaten, chunk=chunk)
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Rekap kesiapan: {written} baris dihitung ulang dalam {elapsed:.1f} s."))
