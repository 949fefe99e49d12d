"""``manage.py export_penilaian --kabupaten 36.04 --cycle 2025 --output FILE``: write the
self-assessment of one kabupaten/kota as an .xlsx workbook in the instrument's layout."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from indicators.excel.workbook import assessment_export, export_filename
from indicators.models import Assessment


def assessment_of(kabupaten: str, cycle: int) -> Assessment:
    try:
        return Assessment.objects.select_related("kabupaten", "cycle").get(
            kabupaten_id=kabupaten, cycle__award_year=cycle
        )
    except Assessment.DoesNotExist:
        raise CommandError(f"Belum ada penilaian {kabupaten} untuk siklus {cycle}.") from None


class Command(BaseCommand):
    help = "Ekspor penilaian mandiri sebuah kabupaten/kota ke berkas .xlsx berformat instrumen."

    def add_arguments(self, parser):
        parser.add_argument("--kabupaten", required=True, help="Kode Kemendagri kabupaten/kota, mis. 36.04")
        parser.add_argument("--cycle", type=int, required=True, help="Tahun penghargaan siklus, mis. 2025")
        parser.add_argument("--output", help="Berkas tujuan (bawaan: penilaian-mandiri-<kode>-<tahun>.xlsx)")

    def handle(self, *args, kabupaten, cycle, output, **options):
        assessment = assessment_of(kabupaten, cycle)
        path = Path(output or export_filename(assessment))
        if not path.parent.is_dir():
            raise CommandError(f"Folder {path.parent} tidak ada.")
        path.write_bytes(assessment_export(assessment=assessment))
        self.stdout.write(self.style.SUCCESS(f"Penilaian {assessment} ditulis ke {path}."))
