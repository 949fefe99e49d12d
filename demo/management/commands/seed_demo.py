from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from demo.services import DEFAULT_PASSWORD, LOGIN_URL, DemoSeedError, demo_seed


class Command(BaseCommand):
    help = (
        "Buat data demo: Kabupaten Serang (36.04, Banten) dengan OPD-nya dan satu pengguna per peran. "
        "Aman dijalankan ulang; kata sandi pengguna demo disetel ulang setiap kali. "
        "Ditolak bila KKS_ENV=production, kecuali dengan --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help=f"Kata sandi semua pengguna demo (bawaan: {DEFAULT_PASSWORD}).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Jalankan juga pada KKS_ENV=production (pengguna dengan kata sandi yang diketahui umum!).",
        )

    def handle(self, *args, password, force, **options):
        try:
            accounts = demo_seed(password=password, force=force, stdout=self.stdout)
        except (DemoSeedError, ValidationError) as exc:
            raise CommandError(str(exc)) from exc

        header = ("Nama pengguna", "Kata sandi", "Peran", "Wilayah")
        rows = [(a.username, a.password, a.role, a.wilayah) for a in accounts]
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

        def line(cells):
            return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()

        created = sum(a.created for a in accounts)
        self.stdout.write(
            self.style.SUCCESS(f"Data demo siap: {created} pengguna baru, {len(accounts) - created} sudah ada.")
        )
        self.stdout.write(line(header))
        self.stdout.write(line(["-" * width for width in widths]))
        for row in rows:
            self.stdout.write(line(row))
        self.stdout.write(f"\nMasuk di {LOGIN_URL}")
