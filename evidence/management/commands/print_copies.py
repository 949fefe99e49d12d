"""``manage.py print_copies``: make the dossier's print copies of photos uploaded before the photo
task made them (``evidence.print_copies``; docs/PERFORMANCE.md, "Dossier compile")."""

import time

from django.core.management.base import BaseCommand, CommandError

from evidence.print_copies import print_copies_fill
from regions.models import Region


class Command(BaseCommand):
    help = (
        "Buat salinan cetak (≤ 800 px) foto bukti yang belum punya, agar penyusunan dossier tidak membuatnya. "
        "Foto yang diunggah sekarang sudah dibuatkan saat diproses; perintah ini untuk foto lama. "
        "Aman dijalankan berulang: salinan yang sudah ada dilewati."
    )

    def add_arguments(self, parser):
        parser.add_argument("--kabupaten", help="Hanya foto kabupaten/kota ini (kode Kemendagri, mis. 36.04).")

    def handle(self, *args, kabupaten=None, **options):
        code = (kabupaten or "").strip() or None
        if code is not None and not Region.objects.filter(code=code, level=Region.Level.KABKOTA).exists():
            raise CommandError(f"Kabupaten/kota dengan kode {code} tidak ada.")
        started = time.monotonic()
        report = print_copies_fill(kabupaten_code=code)
        self.stdout.write(
            f"Salinan cetak: {report.made} dibuat, {report.present} sudah ada, {report.failed} gagal "
            f"(salinan 1600 px hilang atau rusak), {report.unprocessed} foto belum diproses; "
            f"{time.monotonic() - started:.1f} detik."
        )
