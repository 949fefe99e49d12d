"""``manage.py import_instrumen PATH --cycle 2025 [--dry-run]``: import the official instrument.

Prints the summary, the notes and every row that could not be read. Exits non-zero when nothing
was imported (the file could not be read, a row could not be parsed, or a dry run found
problems), so scripts and CI can rely on the exit code.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tatanan.importer import Status, instrument_import
from tatanan.models import Cycle


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

        for note in report.notes:
            self.stdout.write(f"  · {note}")
        for row in report.rows:
            if rows or row.status in (Status.ERROR, Status.SKIPPED):
                line = f"  [{row.status_label}] {row.sheet} baris {row.row_label}: {row.subject}"
                if row.message:
                    line += f" — {row.message}"
                self.stdout.write(self.style.ERROR(line) if row.status == Status.ERROR else line)
        for problem in report.problems:
            self.stderr.write(self.style.ERROR(f"  ✗ {problem}"))
        if report.imported or (dry_run and report.ok):
            self.stdout.write(self.style.SUCCESS(report.summary()))
            return
        raise CommandError(report.summary())
