"""Ship the 2023 and 2025 cycles with their tier rules (docs/DOMAIN.md, "Scores and award tiers").

Both use the 2023 tatanan set. In 2023 the tatanan were still chosen; from 2025 all nine are
compulsory. Tiers, after the kelembagaan gate:

    Padapa             ODF ≥ 80 %   achievement 71–80 %
    Wiwerda            ODF ≥ 90 %   achievement 81–90 %
    Wistara            ODF 100 %    achievement ≥ 91 %
    Wistara Paripurna  ODF 100 %    achievement ≥ 91 % plus extra requirements (2025 only)

Published sources do not say whether "achievement" is each tatanan's minimum or the average of
all; we ship ``minimum`` (the stricter reading, so a readiness dashboard never promises a tier
the plenary may refuse) and it is a setting per rule. Self-assessment windows are unknown and
left empty for an administrator to fill.
"""

from decimal import Decimal

from django.db import migrations

PARIPURNA_EXTRA = (
    "Meraih Wistara pada penilaian sebelumnya; Indeks Pelayanan Standar Pelayanan Minimal (IP-SPM) "
    "memenuhi ketentuan; memiliki inovasi yang telah direplikasi/diadopsi daerah lain."
)

TIERS = [
    # tier, rank, odf_min, score_min, score_max, extra
    ("padapa", 1, Decimal("80"), Decimal("71"), Decimal("80"), ""),
    ("wiwerda", 2, Decimal("90"), Decimal("81"), Decimal("90"), ""),
    ("wistara", 3, Decimal("100"), Decimal("91"), None, ""),
    ("wistara_paripurna", 4, Decimal("100"), Decimal("91"), None, PARIPURNA_EXTRA),
]

CYCLES = [
    {
        "award_year": 2023,
        "first_data_year": 2021,
        "last_data_year": 2022,
        "tatanan_selection": "chosen",
        "guideline_reference": "Instrumen Penilaian Kabupaten/Kota Sehat (KKS) Tahun 2023",
        "tiers": ["padapa", "wiwerda", "wistara"],
    },
    {
        "award_year": 2025,
        "first_data_year": 2023,
        "last_data_year": 2024,
        "tatanan_selection": "all",
        "guideline_reference": "Instrumen Penilaian Kabupaten/Kota Sehat (KKS) Tahun 2025",
        "tiers": ["padapa", "wiwerda", "wistara", "wistara_paripurna"],
    },
]


def ship_cycles(apps, schema_editor):
    Cycle = apps.get_model("tatanan", "Cycle")
    TatananSet = apps.get_model("tatanan", "TatananSet")
    TierRule = apps.get_model("tatanan", "TierRule")
    tatanan_set = TatananSet.objects.get(code="2023")
    for spec in CYCLES:
        spec = dict(spec)
        tiers = spec.pop("tiers")
        cycle, _ = Cycle.objects.update_or_create(
            award_year=spec.pop("award_year"),
            defaults={
                **spec,
                "tatanan_set": tatanan_set,
                "scale_values": [100, 75, 50, 25, 0],
                "correction_window_hours": 48,
            },
        )
        for tier, rank, odf_min, score_min, score_max, extra in TIERS:
            if tier not in tiers:
                continue
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
    TierRule = apps.get_model("tatanan", "TierRule")
    years = [spec["award_year"] for spec in CYCLES]
    TierRule.objects.filter(cycle__award_year__in=years).delete()
    Cycle.objects.filter(award_year__in=years).delete()


class Migration(migrations.Migration):
    dependencies = [("tatanan", "0002_tatanan_sets")]

    operations = [migrations.RunPython(ship_cycles, remove_cycles)]
