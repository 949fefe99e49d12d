from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from demo.scale import (
    ADMIN_USERNAME,
    COUNTRY_KABUPATEN,
    DEFAULT_ACTIVITIES,
    DEFAULT_FILES,
    NATIONAL_USERNAME,
    ScaleSeedError,
    demo_present,
    scale_counts,
    scale_seed,
    username_for,
)
from demo.services import DemoSeedError, demo_seed


class Command(BaseCommand):
    help = (
        "Isi database dengan data nasional untuk pengukuran beban: semua wilayah, lembaga hasil pembentukan "
        f"massal untuk {COUNTRY_KABUPATEN} kabupaten/kota, penilaian 2025, {DEFAULT_ACTIVITIES:,} kegiatan dan "
        f"{DEFAULT_FILES:,} bukti dukung (bawaan), atau ukuran yang dipilih. Sendiri atau di atas data demo. "
        "Menolak berjalan dua kali tanpa --force. Ditolak bila KKS_ENV=production, kecuali dengan --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--kabupaten", type=int, default=None, metavar="N", help="Jumlah kabupaten/kota (bawaan: semua)."
        )
        parser.add_argument(
            "--activities", type=int, default=DEFAULT_ACTIVITIES, metavar="N", help="Jumlah kegiatan (%(default)s)."
        )
        parser.add_argument(
            "--files", type=int, default=DEFAULT_FILES, metavar="N", help="Jumlah bukti dukung (%(default)s)."
        )
        parser.add_argument(
            "--on-demo", action="store_true", help="Buat data demo dulu (seed_demo), lalu data skala di atasnya."
        )
        parser.add_argument("--password", help="Kata sandi pengguna skala (bawaan: kata sandi demo).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Jalankan lagi (menambah kegiatan dan berkas), atau pada KKS_ENV=production.",
        )

    def handle(self, *args, kabupaten, activities, files, on_demo, password, force, **options):
        for name, value in (("--kabupaten", kabupaten), ("--activities", activities), ("--files", files)):
            if value is not None and value < (1 if name == "--kabupaten" else 0):
                raise CommandError(f"{name} harus bilangan positif.")
        try:
            if on_demo:
                self.stdout.write("Data demo (seed_demo) …")
                demo_seed(password=password, force=force, stdout=self.stdout)
            report = scale_seed(
                kabupaten=kabupaten,
                activities=activities,
                files=files,
                password=password,
                force=force,
                stdout=self.stdout,
            )
        except (ScaleSeedError, DemoSeedError, ValidationError) as exc:
            raise CommandError(str(exc)) from exc

        where = "di atas data demo" if report.on_demo or demo_present() else "tanpa data demo"
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"Data skala siap ({where}): {len(report.kabupaten):,} kabupaten/kota dalam {report.seconds:.1f} s."
            )
        )
        width = max(len(part.label) for part in report.parts)
        for part in report.parts:
            note = f"  ({part.note})" if part.note else ""
            self.stdout.write(f"  {part.label:<{width}}  {part.made:>10,}  {part.seconds:>8.1f} s{note}")
        self.stdout.write("Isi database sekarang:")
        for label, count in scale_counts().items():
            self.stdout.write(f"  {label:<20} {count:>10,}")
        first = report.kabupaten[0]
        province = first.split(".")[0]
        self.stdout.write(f"\nPengguna (kata sandi: {report.password}), kode wilayah tanpa titik:")
        for username, role in (
            (ADMIN_USERNAME, "Superuser"),
            (username_for("bappeda", first), f"Admin Bappeda {first} (skala.bappeda.<kode>)"),
            (username_for("dinkes", first), f"Operator OPD Dinkes {first} (skala.dinkes.<kode>)"),
            (username_for("pokja", first), f"Sekretaris Pokja desa pertama {first} (skala.pokja.<kode>)"),
            (username_for("verifikator", province), f"Verifikator provinsi {province} (skala.verifikator.<kode>)"),
            (NATIONAL_USERNAME, "Verifikator pusat"),
        ):
            self.stdout.write(f"  {username:<28} {role}")
