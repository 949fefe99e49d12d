"""Ship every cycle the programme has run since 2017, and the next one (docs/DOMAIN.md, "Cycles").

* 2017, 2019 and 2021 use the 7-tatanan set of that practice (code ``2017``), chosen by the
  kabupaten/kota, and tier by the number of tatanan run and the kecamatan covered (method
  ``count``): Padapa 2 tatanan, Wiwerda 3, Wistara 5. Sources give Padapa's coverage as 51–60 % of
  the kecamatan; for Wiwerda and Wistara they give none, and we ship 61 % and 71 % (each tier asks
  more than the one below it). Coverage is the share of the kabupaten/kota's kecamatan in the
  round's usulan. The kelembagaan gate of these rounds has no items in the portal's catalogue (no
  instrument of those years ships), so their rules do not require it.
* 2027 repeats 2025 (the 2023 set, all nine compulsory, score rules with Wistara Paripurna) on data
  years 2025–2026 until its own technical guideline is published.

Every value is data: a superuser edits a rule in the admin, or adds the next cycle from the
previous one on the catalogue page. Re-running this migration's function updates in place.
"""

from decimal import Decimal

from django.db import migrations

COUNT_TIERS = [
    # tier, rank, tatanan minimum, kecamatan coverage minimum (%), maximum (%)
    ("padapa", 1, 2, Decimal("51"), Decimal("60")),
    ("wiwerda", 2, 3, Decimal("61"), None),
    ("wistara", 3, 5, Decimal("71"), None),
]

PARIPURNA_EXTRA = (
    "Meraih Wistara pada penilaian sebelumnya; Indeks Pelayanan Standar Pelayanan Minimal (IP-SPM) "
    "memenuhi ketentuan; memiliki inovasi yang telah direplikasi/diadopsi daerah lain."
)

SCORE_TIERS = [
    # tier, rank, odf_min, score_min, score_max, extra
    ("padapa", 1, Decimal("80"), Decimal("71"), Decimal("80"), ""),
    ("wiwerda", 2, Decimal("90"), Decimal("81"), Decimal("90"), ""),
    ("wistara", 3, Decimal("100"), Decimal("91"), None, ""),
    ("wistara_paripurna", 4, Decimal("100"), Decimal("91"), None, PARIPURNA_EXTRA),
]

OLD_GUIDELINE = "Penilaian Kabupaten/Kota Sehat %s (7 tatanan dipilih; strata menurut jumlah tatanan dan cakupan kecamatan)"

COUNT_CYCLES = [2017, 2019, 2021]


def ship_cycles(apps, schema_editor):
    Cycle = apps.get_model("tatanan", "Cycle")
    TatananSet = apps.get_model("tatanan", "TatananSet")
    TierRule = apps.get_model("tatanan", "TierRule")
    older = TatananSet.objects.get(code="2017")
    for year in COUNT_CYCLES:
        cycle, _ = Cycle.objects.update_or_create(
            award_year=year,
            defaults={
                "first_data_year": year - 2,
                "last_data_year": year - 1,
                "tatanan_set": older,
                "tatanan_selection": "chosen",
                "guideline_reference": OLD_GUIDELINE % year,
                "scale_values": [100, 75, 50, 25, 0],
                "correction_window_hours": 48,
            },
        )
        for tier, rank, count, coverage_min, coverage_max in COUNT_TIERS:
            TierRule.objects.update_or_create(
                cycle=cycle,
                tier=tier,
                defaults={
                    "rank": rank,
                    "method": "count",
                    "odf_min_percent": None,
                    "score_min": None,
                    "score_max": None,
                    "aggregation": "minimum",
                    "min_tatanan_count": count,
                    "kecamatan_coverage_min_percent": coverage_min,
                    "kecamatan_coverage_max_percent": coverage_max,
                    "requires_kelembagaan": False,
                    "extra_requirements": "",
                },
            )
    cycle, _ = Cycle.objects.update_or_create(
        award_year=2027,
        defaults={
            "first_data_year": 2025,
            "last_data_year": 2026,
            "tatanan_set": TatananSet.objects.get(code="2023"),
            "tatanan_selection": "all",
            "guideline_reference": "Aturan 2025 dipakai sampai petunjuk teknis penilaian 2027 terbit",
            "scale_values": [100, 75, 50, 25, 0],
            "correction_window_hours": 48,
        },
    )
    for tier, rank, odf_min, score_min, score_max, extra in SCORE_TIERS:
        TierRule.objects.update_or_create(
            cycle=cycle,
            tier=tier,
            defaults={
                "rank": rank,
                "method": "score",
                "odf_min_percent": odf_min,
                "score_min": score_min,
                "score_max": score_max,
                "aggregation": "minimum",
                "requires_kelembagaan": True,
                "extra_requirements": extra,
            },
        )


def remove_cycles(apps, schema_editor):
    Cycle = apps.get_model("tatanan", "Cycle")
    years = [*COUNT_CYCLES, 2027]
    # Only cycles nobody has used yet go; an assessment keeps its cycle (PROTECT).
    for cycle in Cycle.objects.filter(award_year__in=years):
        if not cycle.assessments.exists() and not cycle.indicators.exists():
            cycle.delete()


class Migration(migrations.Migration):
    dependencies = [("tatanan", "0004_kelembagaan_component_forum_kecamatan_sehat")]

    operations = [migrations.RunPython(ship_cycles, remove_cycles)]
