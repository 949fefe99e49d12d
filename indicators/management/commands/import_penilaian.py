"""``manage.py import_penilaian FILE --kabupaten 36.04 --cycle 2025 [--user rina] [--dry-run]``:
read a filled self-assessment workbook back into the assessment — opening the round first, with
the tatanan whose sheets the file holds, when it is not open yet (``--category`` sets the
category registered for).

The writes go through the same services as the upload page, on behalf of ``--user`` (a Bappeda
admin of the kabupaten or a superuser); without it, the first active superuser, since whoever
runs manage.py already holds the keys. Prints the notes and every row that was not read, and
exits non-zero when nothing was imported.
"""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from accounts.models import User
from indicators.excel.workbook import assessment_import_opening
from regions.models import Region
from tatanan.models import Cycle
from tatanan.reporting import report_to_command


class Command(BaseCommand):
    help = "Impor berkas penilaian mandiri (.xlsx) yang sudah diisi ke penilaian sebuah kabupaten/kota."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Berkas .xlsx penilaian mandiri")
        parser.add_argument("--kabupaten", required=True, help="Kode Kemendagri kabupaten/kota, mis. 36.04")
        parser.add_argument("--cycle", type=int, required=True, help="Tahun penghargaan siklus, mis. 2025")
        parser.add_argument("--user", help="Nama pengguna yang tercatat sebagai pengubah (admin Bappeda)")
        parser.add_argument(
            "--category", default="", help="Kategori yang didaftarkan bila penilaian dibuka dari berkas ini"
        )
        parser.add_argument("--dry-run", action="store_true", help="Periksa dan laporkan tanpa menyimpan")
        parser.add_argument("--rows", action="store_true", help="Tampilkan semua baris, bukan hanya yang bermasalah")

    def handle(self, *args, path, kabupaten, cycle, user, category, dry_run, rows, **options):
        region = Region.objects.filter(code=kabupaten, level=Region.Level.KABKOTA).first()
        if region is None:
            raise CommandError(f"Kabupaten/kota {kabupaten} tidak ada.")
        cycle_obj = Cycle.objects.filter(award_year=cycle).first()
        if cycle_obj is None:
            raise CommandError(f"Siklus {cycle} tidak ada.")
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"Berkas {path} tidak ditemukan.")
        if user:
            actor = User.objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(f"Pengguna {user} tidak ada atau tidak aktif.")
        else:
            actor = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
            if actor is None:
                raise CommandError("Tidak ada superuser aktif; sebutkan --user.")

        try:
            report, _assessment = assessment_import_opening(
                kabupaten=region, cycle=cycle_obj, file=file, actor=actor, dry_run=dry_run, category=category
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        except (Http404, PermissionDenied):
            raise CommandError(f"{actor.username} bukan admin Bappeda {kabupaten}.") from None

        report_to_command(report, command=self, all_rows=rows, dry_run=dry_run)
