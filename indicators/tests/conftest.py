"""A small hand-built catalogue (two tatanan, two indicators each, one kelembagaan item) with
the 2023–2025 tier rules, so that expected percentages can be worked out by hand."""

from decimal import Decimal

import pytest

from accounts.tests.factories import OpdFactory
from indicators.models import IndicatorEntry, KelembagaanEntry, OdfStatus
from indicators.services import assessment_open
from tatanan.models import Cycle, Indicator, KelembagaanItem, ScaleOption, Tatanan, TatananSet, TierRule

SCALE = [100, 75, 50, 25, 0]


@pytest.fixture
def small_cycle(db):
    tatanan_set = TatananSet.objects.create(code="UJI", name="Himpunan uji")
    pasar = Tatanan.objects.create(tatanan_set=tatanan_set, code="PSR", number=1, name="Pasar Sehat")
    sekolah = Tatanan.objects.create(tatanan_set=tatanan_set, code="PDD", number=2, name="Pendidikan")
    cycle = Cycle.objects.create(award_year=2030, first_data_year=2028, last_data_year=2029, tatanan_set=tatanan_set)
    for tatanan, prefix, opd in ((pasar, "P", "Disperindag, Dinkes"), (sekolah, "S", "Disdik")):
        for n in (1, 2):
            indicator = Indicator.objects.create(
                cycle=cycle, tatanan=tatanan, number=str(n), order=n, name=f"Indikator {prefix}{n}", responsible_opd=opd
            )
            for order, value in enumerate(SCALE):
                ScaleOption.objects.create(indicator=indicator, value=value, order=order, description=f"nilai {value}")
    item = KelembagaanItem.objects.create(cycle=cycle, component="tim_pembina", item="sk")
    ScaleOption.objects.create(kelembagaan_item=item, value=100, order=0, description="ada SK")
    ScaleOption.objects.create(kelembagaan_item=item, value=0, order=1, description="tidak ada")
    for rank, tier, odf, low, high in (
        (1, "padapa", 80, 71, 80),
        (2, "wiwerda", 90, 81, 90),
        (3, "wistara", 100, 91, None),
    ):
        TierRule.objects.create(
            cycle=cycle,
            tier=tier,
            rank=rank,
            odf_min_percent=Decimal(odf),
            score_min=Decimal(low),
            score_max=Decimal(high) if high else None,
        )
    return cycle


@pytest.fixture
def assessment(small_cycle, rina, dinkes_serang, wilayah):
    OpdFactory(kabupaten=wilayah["serang"], name="Dinas Pendidikan", short_name="Disdik")
    return assessment_open(kabupaten=wilayah["serang"], cycle=small_cycle, actor=rina)


def entry(assessment, code, number):
    return IndicatorEntry.objects.get(assessment=assessment, indicator__tatanan__code=code, indicator__number=number)


def option(entry, value):
    return entry.indicator.scale_options.get(value=value)


def set_scores(assessment, scores, *, layer="self_score", years=True):
    """``scores`` like {"PSR1": 75, "PDD2": None}. A self score comes with data for both data
    years (as a kabupaten fills them in; every tier needs both), unless ``years`` is False."""
    for key, value in scores.items():
        e = entry(assessment, key[:3], key[3:])
        setattr(e, layer, option(e, value) if value is not None else None)
        if years and layer == "self_score":
            e.value_year1 = e.value_year1 or "1"
            e.value_year2 = e.value_year2 or "1"
        e.save()


def set_kelembagaan(assessment, value):
    for k in KelembagaanEntry.objects.filter(assessment=assessment):
        k.self_score = k.item.scale_options.get(value=value)
        k.save()


def set_odf(assessment, wilayah, *, total, odf):
    OdfStatus.objects.update_or_create(
        assessment=assessment,
        kecamatan=wilayah["carenang"],
        desa=None,
        defaults={"desa_total": total, "desa_odf": odf},
    )
