"""``manage.py import_instrumen PATH --cycle 2025 [--dry-run]``: import the official instrument.

Prints the summary, the notes and every row that could not be read. Exits non-zero when nothing
was imported (the file could not be read, a row could not be parsed, or a dry run found
problems), so scripts and CI can rely on the exit code.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tatanan.importer import instrument_import
from tatanan.models import Cycle
from tatanan.reporting import report_to_command


class Command(BaseCommand):
    help = "Impor instrumen penilaian KKS (.xlsx) ke katalog sebuah siklus."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Berkas .xlsx instrumen penilaian")
        parser.add_argument("--cycle", type=int, required=True, help="Tahun penghargaan siklus, mis. 2025")
        parser.add_argument("--dry-run", action="store_true", help="Periksa dan laporkan tanpa menyimpan")
        parser.add_argument("--rows", action="store_true", help="Tampilkan semua baris, bukan hanya yang bermasalah")

    def handle(self, *args, path, cycle, dry_run, rows, **options):
        try:
            cycle_obj = Cycle.objects.get(award_year=cycle)
        except Cycle.DoesNotExist:
            known = ", ".join(str(y) for y in Cycle.objects.values_list("award_year", flat=True))
            raise CommandError(f"Siklus {cycle} tidak ada. Siklus yang ada: {known or '-'}.") from None
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"Berkas {path} tidak ditemukan.")

        report = instrument_import(cycle=cycle_obj, file=file, dry_run=dry_run)

        report_to_command(report, command=self, all_rows=rows, dry_run=dry_run)
