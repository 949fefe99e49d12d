"""Ship the three lists of tatanan the programme has used, keyed by stable codes.

* ``2005``: the 9 tatanan of the 2005 joint regulation (Permendagri 34/2005 with Permenkes
  1138/Menkes/PB/VIII/2005); each kabupaten/kota chose some.
* ``2017``: the 7 tatanan of the 2017–2021 rounds (the 2005 list without pertambangan and
  hutan), still chosen.
* ``2023``: the 9 tatanan from 2023 onward, all compulsory from 2025, with the codes of docs/DOMAIN.md.

Codes of the older sets are ours (no official codes exist); a code shared between sets (KSM,
PAR) names the closest successor. Aliases are the names instrument workbooks use for a tatanan
(sheet names are cut at 31 characters and shortened), one per line; the importer matches sheets
with them. Re-running this migration's function updates names and aliases in place.
"""

from django.db import migrations

SETS = [
    (
        "2005",
        "Tatanan 2005 (9 tatanan, dipilih)",
        "Peraturan Bersama Mendagri dan Menkes 2005; kabupaten/kota memilih tatanan yang dijalankan.",
        [
            ("PSU", "Kawasan Permukiman, Sarana dan Prasarana Umum", ["permukiman", "sarana dan prasarana umum", "sarana prasarana umum"]),
            ("LLT", "Kawasan Sarana Lalu Lintas Tertib dan Pelayanan Transportasi", ["lalu lintas", "transportasi", "lalin"]),
            ("TBG", "Kawasan Pertambangan Sehat", ["pertambangan", "tambang"]),
            ("HTN", "Kawasan Hutan Sehat", ["hutan", "kehutanan"]),
            ("IKP", "Kawasan Industri dan Perkantoran Sehat", ["industri", "perkantoran", "industri dan perkantoran"]),
            ("PAR", "Kawasan Pariwisata Sehat", ["pariwisata", "wisata"]),
            ("PGZ", "Ketahanan Pangan dan Gizi", ["pangan", "gizi", "pangan dan gizi"]),
            ("KSM", "Kehidupan Masyarakat Sehat yang Mandiri", ["masyarakat sehat mandiri", "sehat mandiri", "masyarakat sehat yang mandiri"]),
            ("KSS", "Kehidupan Sosial yang Sehat", ["kehidupan sosial", "sosial sehat", "sosial yang sehat"]),
        ],
    ),
    (
        "2017",
        "Tatanan 2017–2021 (7 tatanan, dipilih)",
        "Praktik penilaian 2017, 2019 dan 2021: tatanan 2005 tanpa pertambangan dan hutan; masih dipilih.",
        [
            ("PSU", "Kawasan Permukiman, Sarana dan Prasarana Umum", ["permukiman", "sarana dan prasarana umum", "sarana prasarana umum"]),
            ("LLT", "Kawasan Sarana Lalu Lintas Tertib dan Pelayanan Transportasi", ["lalu lintas", "transportasi", "lalin"]),
            ("IKP", "Kawasan Industri dan Perkantoran Sehat", ["industri", "perkantoran", "industri dan perkantoran"]),
            ("PAR", "Kawasan Pariwisata Sehat", ["pariwisata", "wisata"]),
            ("PGZ", "Ketahanan Pangan dan Gizi", ["pangan", "gizi", "pangan dan gizi"]),
            ("KSM", "Kehidupan Masyarakat Sehat yang Mandiri", ["masyarakat sehat mandiri", "sehat mandiri", "masyarakat sehat yang mandiri"]),
            ("KSS", "Kehidupan Sosial yang Sehat", ["kehidupan sosial", "sosial sehat", "sosial yang sehat"]),
        ],
    ),
    (
        "2023",
        "Tatanan 2023 (9 tatanan)",
        "Sejak penilaian 2023; semua wajib sejak 2025, sama untuk kabupaten dan kota.",
        [
            ("KSM", "Kehidupan Masyarakat Sehat Mandiri", ["masyarakat sehat mandiri", "sehat mandiri", "masyarakat sehat yang mandiri"]),
            ("PFU", "Permukiman dan Fasilitas Umum", ["permukiman", "perkim", "fasilitas umum", "permukiman dan sarana prasarana umum"]),
            ("PDD", "Satuan Pendidikan", ["pendidikan", "sekolah"]),
            ("PSR", "Pasar", ["pasar", "pasar sehat"]),
            ("KPI", "Perkantoran dan Perindustrian", ["perkantoran", "perindustrian", "industri", "perkantoran dan industri"]),
            ("PAR", "Pariwisata", ["pariwisata", "wisata"]),
            ("TLL", "Transportasi dan Tertib Lalu Lintas", ["transportasi", "lalu lintas", "lalin", "tertib lalu lintas jalan"]),
            ("PLS", "Perlindungan Sosial", ["perlindungan sosial", "linsos"]),
            ("BCN", "Pencegahan dan Penanganan Bencana", ["bencana", "penanggulangan bencana", "penanggulangan", "kebencanaan"]),
        ],
    ),
]


def ship_sets(apps, schema_editor):
    TatananSet = apps.get_model("tatanan", "TatananSet")
    Tatanan = apps.get_model("tatanan", "Tatanan")
    for code, name, description, tatanan in SETS:
        tatanan_set, _ = TatananSet.objects.update_or_create(
            code=code, defaults={"name": name, "description": description}
        )
        for number, (tatanan_code, tatanan_name, aliases) in enumerate(tatanan, start=1):
            Tatanan.objects.update_or_create(
                tatanan_set=tatanan_set,
                code=tatanan_code,
                defaults={"number": number, "name": tatanan_name, "aliases": "\n".join(aliases)},
            )


def remove_sets(apps, schema_editor):
    TatananSet = apps.get_model("tatanan", "TatananSet")
    Tatanan = apps.get_model("tatanan", "Tatanan")
    codes = [code for code, *_rest in SETS]
    Tatanan.objects.filter(tatanan_set__code__in=codes).delete()
    TatananSet.objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("tatanan", "0001_initial")]

    operations = [migrations.RunPython(ship_sets, remove_sets)]
