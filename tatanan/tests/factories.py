"""The assessment catalogue for tests.

The tatanan sets, the 2023 and 2025 cycles and their tier rules are shipped by the data
migrations (``tatanan/migrations/0002_tatanan_sets.py``, ``0003_cycles_2023_2025.py``): the
factories for them get or create by their unique code, so by default they return the shipped rows
(set ``2023``, Swasti Saba 2025) and create only what a test asks for that is not shipped. A new
cycle or set is made with the real names and codes of the shipped ones.

Indicators and kelembagaan items are what ``import_instrumen`` brings in (``tatanan.importer``):
each comes with the scale options of its cycle (``scale_options=[]`` for none), and an
indicator's tatanan always belongs to its cycle's tatanan set.
"""

from __future__ import annotations

import importlib

import factory

from regions.tests.factories import KabupatenFactory
from tatanan.models import (
    Cycle,
    EvidenceRequirement,
    Indicator,
    KelembagaanItem,
    ScaleOption,
    Tatanan,
    TatananSet,
    TierRule,
)

_SHIPPED_SETS = {
    code: (name, description, tatanan)
    for code, name, description, tatanan in importlib.import_module("tatanan.migrations.0002_tatanan_sets").SETS
}
_TIERS = {
    tier: (rank, odf, low, high, extra)
    for tier, rank, odf, low, high, extra in importlib.import_module("tatanan.migrations.0003_cycles_2023_2025").TIERS
}
SHIPPED_SET = "2023"
SHIPPED_CYCLE = 2025

# What an option of the usual 100/75/50/25/0 scale says, as the 2025 instrument words it in short.
SCALE_WORDING = {
    100: "Memenuhi seluruh kriteria",
    75: "Memenuhi sebagian besar kriteria",
    50: "Memenuhi setengah kriteria",
    25: "Memenuhi sebagian kecil kriteria",
    0: "Tidak memenuhi kriteria",
}

# One real-sounding indicator per tatanan of the 2023 set (DOMAIN.md codes).
INDICATOR_NAMES = {
    "KSM": "Persentase desa/kelurahan yang melaksanakan Sanitasi Total Berbasis Masyarakat (STBM)",
    "PFU": "Persentase rumah tangga dengan akses air minum layak",
    "PDD": "Persentase satuan pendidikan yang melaksanakan Usaha Kesehatan Sekolah (UKS)",
    "PSR": "Persentase pasar rakyat yang memenuhi syarat pasar sehat",
    "KPI": "Persentase kantor pemerintah yang menerapkan Kawasan Tanpa Rokok",
    "PAR": "Persentase destinasi wisata yang menerapkan CHSE (kebersihan, kesehatan, keselamatan, kelestarian)",
    "TLL": "Persentase terminal penumpang yang memenuhi syarat kesehatan",
    "PLS": "Persentase penyandang disabilitas yang mendapat layanan rehabilitasi sosial",
    "BCN": "Tersedianya rencana kontinjensi penanggulangan bencana",
}

KELEMBAGAAN_ITEMS = [
    (component, item) for component in KelembagaanItem.Component.values for item in KelembagaanItem.Item.values
]


def scale_wording(value: int) -> str:
    return SCALE_WORDING.get(value, f"Capaian {value}")


def _tatanan_list(set_code: str) -> list:
    """(code, name, aliases) of the tatanan of a shipped set; a new set gets the 2023 list."""
    return _SHIPPED_SETS.get(set_code, _SHIPPED_SETS[SHIPPED_SET])[2]


class TatananSetFactory(factory.django.DjangoModelFactory):
    """The shipped set ``2023`` unless another code is given."""

    class Meta:
        model = TatananSet
        django_get_or_create = ("code",)

    code = SHIPPED_SET
    name = factory.LazyAttribute(lambda o: _SHIPPED_SETS[o.code][0] if o.code in _SHIPPED_SETS else f"Tatanan {o.code}")
    description = factory.LazyAttribute(lambda o: _SHIPPED_SETS[o.code][1] if o.code in _SHIPPED_SETS else "")


class TatananFactory(factory.django.DjangoModelFactory):
    """The next tatanan of the set (KSM, PFU, PDD, … for set 2023), with its real name: a shipped
    one is returned, in a new set it is created."""

    class Meta:
        model = Tatanan
        django_get_or_create = ("tatanan_set", "code")

    class Params:
        index = factory.LazyAttributeSequence(lambda o, n: n % len(_tatanan_list(o.tatanan_set.code)))
        spec = factory.LazyAttribute(lambda o: _tatanan_list(o.tatanan_set.code)[o.index])

    tatanan_set = factory.SubFactory(TatananSetFactory)
    code = factory.LazyAttribute(lambda o: o.spec[0])
    number = factory.LazyAttribute(lambda o: o.index + 1)
    name = factory.LazyAttribute(lambda o: o.spec[1])
    aliases = factory.LazyAttribute(lambda o: "\n".join(o.spec[2]))


class CycleFactory(factory.django.DjangoModelFactory):
    """Swasti Saba 2025 (shipped) unless another award year is given; a new cycle takes the two
    years before it as data years and the 2023 tatanan set."""

    class Meta:
        model = Cycle
        django_get_or_create = ("award_year",)

    award_year = SHIPPED_CYCLE
    first_data_year = factory.LazyAttribute(lambda o: o.award_year - 2)
    last_data_year = factory.LazyAttribute(lambda o: o.award_year - 1)
    guideline_reference = factory.LazyAttribute(
        lambda o: f"Instrumen Penilaian Kabupaten/Kota Sehat (KKS) Tahun {o.award_year}"
    )
    tatanan_set = factory.SubFactory(TatananSetFactory)
    tatanan_selection = Cycle.TatananSelection.ALL


class TierRuleFactory(factory.django.DjangoModelFactory):
    """A tier rule with the shipped thresholds of its tier (Padapa by default); the shipped cycles
    already have theirs, which are returned."""

    class Meta:
        model = TierRule
        django_get_or_create = ("cycle", "tier")

    cycle = factory.SubFactory(CycleFactory)
    tier = TierRule.Tier.PADAPA
    rank = factory.LazyAttribute(lambda o: _TIERS[o.tier][0])
    method = TierRule.Method.SCORE
    odf_min_percent = factory.LazyAttribute(lambda o: _TIERS[o.tier][1])
    score_min = factory.LazyAttribute(lambda o: _TIERS[o.tier][2])
    score_max = factory.LazyAttribute(lambda o: _TIERS[o.tier][3])
    aggregation = TierRule.Aggregation.MINIMUM
    requires_kelembagaan = True
    extra_requirements = factory.LazyAttribute(lambda o: _TIERS[o.tier][4])


def _add_scale(owner_field: str, obj, create: bool, extracted) -> None:
    """The options ``extracted`` names (values), by default the cycle's scale; none if the owner
    has some already (a get-or-created row)."""
    if not create:
        return
    values = obj.cycle.scale_values if extracted is None else list(extracted)
    if obj.scale_options.exists():
        return
    ScaleOption.objects.bulk_create(
        ScaleOption(**{owner_field: obj}, value=value, description=scale_wording(value), order=order)
        for order, value in enumerate(values)
    )


class IndicatorFactory(factory.django.DjangoModelFactory):
    """An indicator of the cycle (2025 by default) on a tatanan of the cycle's set, with one scale
    option per value of the cycle's scale (``scale_options=[100, 0]`` for others, ``[]`` for none).
    ``local=True`` makes it a local indicator of a kabupaten (``owner_kabupaten``)."""

    class Meta:
        model = Indicator
        skip_postgeneration_save = True

    class Params:
        local = factory.Trait(
            is_local=True,
            owner_kabupaten=factory.SubFactory(KabupatenFactory),
            number=factory.Sequence(lambda n: f"L{n + 1}"),
        )

    cycle = factory.SubFactory(CycleFactory)
    tatanan = factory.SubFactory(TatananFactory, tatanan_set=factory.SelfAttribute("..cycle.tatanan_set"))
    number = factory.Sequence(lambda n: str(n + 1))
    order = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(
        lambda o: INDICATOR_NAMES.get(o.tatanan.code, f"Capaian tatanan {o.tatanan.name.lower()}")
    )
    definisi_operasional = factory.LazyAttribute(lambda o: f"{o.name}, dihitung per tahun data.")
    sumber_data = "Laporan OPD penanggung jawab"
    bukti_dukung = "SK, laporan kegiatan, foto kegiatan"
    scale_text = factory.LazyAttribute(lambda o: "\n".join(f"{v}: {scale_wording(v)}" for v in o.cycle.scale_values))
    responsible_opd = "Dinkes"
    is_local = False
    owner_kabupaten = None

    @factory.post_generation
    def scale_options(obj, create, extracted, **kwargs):
        _add_scale("indicator", obj, create, extracted)


class KelembagaanItemFactory(factory.django.DjangoModelFactory):
    """The next kelembagaan item (component × SK/rencana kerja/anggaran/sekretariat) of the cycle,
    scored 100 (ada) or 0 (tidak ada) unless ``scale_options`` says otherwise."""

    class Meta:
        model = KelembagaanItem
        django_get_or_create = ("cycle", "component", "item")
        skip_postgeneration_save = True

    class Params:
        index = factory.Sequence(lambda n: n % len(KELEMBAGAAN_ITEMS))

    cycle = factory.SubFactory(CycleFactory)
    component = factory.LazyAttribute(lambda o: KELEMBAGAAN_ITEMS[o.index][0])
    item = factory.LazyAttribute(lambda o: KELEMBAGAAN_ITEMS[o.index][1])
    order = factory.LazyAttribute(lambda o: o.index + 1)
    text = factory.LazyAttribute(
        lambda o: f"{KelembagaanItem.Item(o.item).label} {KelembagaanItem.Component(o.component).label}"
    )
    sumber_data = "Sekretariat Forum"
    bukti_dukung = factory.LazyAttribute(lambda o: f"Dokumen {KelembagaanItem.Item(o.item).label}")

    @factory.post_generation
    def scale_options(obj, create, extracted, **kwargs):
        if create and not obj.scale_options.exists():
            values = [100, 0] if extracted is None else list(extracted)
            wording = {100: "Ada", 0: "Tidak ada"}
            ScaleOption.objects.bulk_create(
                ScaleOption(kelembagaan_item=obj, value=v, description=wording.get(v, scale_wording(v)), order=i)
                for i, v in enumerate(values)
            )


class ScaleOptionFactory(factory.django.DjangoModelFactory):
    """One more option of an indicator's scale (of a new indicator without options by default)."""

    class Meta:
        model = ScaleOption

    indicator = factory.SubFactory(IndicatorFactory, scale_options=[])
    kelembagaan_item = None
    value = 100
    description = factory.LazyAttribute(lambda o: scale_wording(o.value))
    retired = False
    order = factory.LazyAttribute(
        lambda o: (
            (o.indicator or o.kelembagaan_item).scale_options.count() if (o.indicator or o.kelembagaan_item) else 0
        )
    )


class EvidenceRequirementFactory(factory.django.DjangoModelFactory):
    """A document an indicator asks for, once for each data year (as ``bukti dukung`` texts
    mostly read)."""

    class Meta:
        model = EvidenceRequirement

    indicator = factory.SubFactory(IndicatorFactory)
    kelembagaan_item = None
    description = "Laporan kegiatan beserta foto dan daftar hadir"
    year_scope = EvidenceRequirement.YearScope.EACH
    data_year = None
    count = 1
    order = factory.Sequence(lambda n: n)
    derived = True


def tier_rules(cycle: Cycle, tiers=("padapa", "wiwerda", "wistara")) -> list[TierRule]:
    """The shipped thresholds of ``tiers`` for a new cycle."""
    return [TierRuleFactory(cycle=cycle, tier=tier) for tier in tiers]


def official_catalogue_in(year: int) -> None:
    """Cycle ``year``'s official catalogue is in (one national indicator stands for it): that cycle
    is then the one being run (``forums.kelembagaan.services.current_cycle``)."""
    from tatanan.models import Cycle, Indicator, Tatanan

    cycle = Cycle.objects.get(award_year=year)
    tatanan = Tatanan.objects.filter(tatanan_set=cycle.tatanan_set).order_by("number").first()
    Indicator.objects.get_or_create(cycle=cycle, tatanan=tatanan, number="1", defaults={"name": "Indikator"})
