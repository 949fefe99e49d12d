import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from regions.models import Region
from regions.services import WilayahImportError, wilayah_import


class Command(BaseCommand):
    help = (
        "Muat wilayah Kemendagri 2025 (provinsi, kabupaten/kota, kecamatan, desa/kelurahan) dari berkas CSV. "
        "Aman dijalankan ulang: hanya yang baru atau berubah yang ditulis."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=settings.WILAYAH_DATA_DIR,
            help="Folder berisi provinces.csv, regencies.csv, districts.csv, villages.csv (bawaan: %(default)s).",
        )
        parser.add_argument(
            "--province", metavar="KODE", help="Muat satu provinsi saja beserta wilayah di bawahnya, mis. 36."
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="Lewati bila tabel wilayah sudah berisi data (untuk scripts/run)."
        )

    def handle(self, *args, data_dir, province, if_empty, **options):
        if if_empty and Region.objects.exists():
            self.stdout.write(_("Tabel wilayah sudah berisi data: impor dilewati."))
            return
        started = time.monotonic()
        try:
            report = wilayah_import(data_dir=data_dir, province=province)
        except WilayahImportError as exc:
            raise CommandError(_("Impor wilayah gagal, tidak ada yang dimuat. %(error)s") % {"error": exc}) from exc
        seconds = time.monotonic() - started

        for level, counts in report.levels.items():
            line = _("%(level)s: %(created)s baru, %(updated)s diperbarui, %(unchanged)s tetap") % {
                "level": Region.Level(level).label,
                "created": number_format(counts.created, force_grouping=True),
                "updated": number_format(counts.updated, force_grouping=True),
                "unchanged": number_format(counts.unchanged, force_grouping=True),
            }
            if counts.absent:
                line += _(" (%(absent)s di database tidak ada di berkas, dibiarkan)") % {
                    "absent": number_format(counts.absent, force_grouping=True)
                }
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                _("Selesai: %(total)s wilayah (%(created)s baru, %(updated)s diperbarui) dalam %(seconds)s detik.")
                % {
                    "total": number_format(report.total, force_grouping=True),
                    "created": number_format(report.created, force_grouping=True),
                    "updated": number_format(report.updated, force_grouping=True),
                    "seconds": number_format(seconds, decimal_pos=1),
                }
            )
        )
