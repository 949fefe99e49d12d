"""Assessments and their answers for tests, in the shape ``indicators.services.assessment_open``
leaves them: an assessment of one kabupaten/kota for one cycle (Swasti Saba 2025 by default) that
assesses every tatanan of the cycle's set, with an empty entry for each indicator of those
tatanan and each kelembagaan item of the cycle that exist when it is made.

Everything an answer points at stays inside its assessment: an entry's indicator is of the
assessment's cycle and on one of its tatanan, a score is an option of that indicator, an ODF
status names a kecamatan and desa of the assessment's kabupaten, a data request an OPD of it.
``IndicatorEntryFactory`` and ``KelembagaanEntryFactory`` fill the entry the assessment already
has for their indicator or item rather than make a second one.
"""

from __future__ import annotations

import datetime

import factory
from django.db.models import Q

from accounts.tests.factories import OpdFactory
from indicators.models import (
    Assessment,
    DataRequest,
    IndicatorEntry,
    Innovation,
    KelembagaanEntry,
    OdfStatus,
    TitikPantau,
)
from regions.tests.factories import DesaFactory, KabupatenFactory, KecamatanFactory
from tatanan.models import Indicator, KelembagaanItem, Tatanan
from tatanan.tests.factories import CycleFactory, IndicatorFactory, KelembagaanItemFactory


class AssessmentFactory(factory.django.DjangoModelFactory):
    """``tatanan=[…]`` names the assessed tatanan (default: all of the cycle's set);
    ``entries=False`` leaves out the empty entries."""

    class Meta:
        model = Assessment
        skip_postgeneration_save = True

    kabupaten = factory.SubFactory(KabupatenFactory)
    cycle = factory.SubFactory(CycleFactory)
    created_by = None

    @factory.post_generation
    def tatanan(obj, create, extracted, **kwargs):
        if not create:
            return
        chosen = list(extracted) if extracted else Tatanan.objects.filter(tatanan_set=obj.cycle.tatanan_set_id)
        obj.tatanan.add(*chosen)

    @factory.post_generation
    def entries(obj, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        indicators = Indicator.objects.filter(cycle=obj.cycle, tatanan__in=obj.tatanan.all()).filter(
            Q(is_local=False) | Q(owner_kabupaten=obj.kabupaten)
        )
        IndicatorEntry.objects.bulk_create(
            IndicatorEntry(assessment=obj, indicator=indicator) for indicator in indicators
        )
        KelembagaanEntry.objects.bulk_create(
            KelembagaanEntry(assessment=obj, item=item) for item in KelembagaanItem.objects.filter(cycle=obj.cycle)
        )


def _assessed_tatanan(assessment: Assessment) -> Tatanan | None:
    return assessment.tatanan.order_by("number").first()


class _FillsExisting(factory.django.DjangoModelFactory):
    """Updates the entry the assessment was opened with (same assessment and indicator/item)."""

    class Meta:
        abstract = True

    _owner_field = ""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        lookup = {"assessment": kwargs.pop("assessment"), cls._owner_field: kwargs.pop(cls._owner_field)}
        entry, created = model_class.objects.get_or_create(**lookup, defaults=kwargs)
        if not created:
            for field, value in kwargs.items():
                setattr(entry, field, value)
            entry.save()
        return entry


class IndicatorEntryFactory(_FillsExisting):
    """The answer to an indicator of the assessment's cycle, on its first assessed tatanan by
    default. ``filled=True`` gives data for both years and the self score 75 (status draf)."""

    class Meta:
        model = IndicatorEntry

    _owner_field = "indicator"

    class Params:
        filled = factory.Trait(
            value_year1="12 pasar",
            value_year1_number=12,
            value_year2="15 pasar",
            value_year2_number=15,
            explanation="Data dari Dinas Perindustrian dan Perdagangan.",
            self_score=factory.LazyAttribute(lambda o: o.indicator.scale_options.filter(value=75).first()),
            status=IndicatorEntry.Status.DRAF,
        )

    assessment = factory.SubFactory(AssessmentFactory)
    indicator = factory.SubFactory(
        IndicatorFactory,
        cycle=factory.SelfAttribute("..assessment.cycle"),
        tatanan=factory.LazyAttribute(lambda o: _assessed_tatanan(o.factory_parent.assessment)),
    )
    status = IndicatorEntry.Status.KOSONG


class KelembagaanEntryFactory(_FillsExisting):
    """The self score of a kelembagaan item of the assessment's cycle (empty by default)."""

    class Meta:
        model = KelembagaanEntry

    _owner_field = "item"

    assessment = factory.SubFactory(AssessmentFactory)
    item = factory.SubFactory(KelembagaanItemFactory, cycle=factory.SelfAttribute("..assessment.cycle"))
    self_score = None
    note = ""


class OdfStatusFactory(factory.django.DjangoModelFactory):
    """A desa of the assessment's kabupaten declared Stop BABS. ``counted=True`` gives the other
    shape: totals for a whole kecamatan (no desa)."""

    class Meta:
        model = OdfStatus

    class Params:
        counted = factory.Trait(desa=None, declared_odf=False, desa_total=12, desa_odf=9)

    assessment = factory.SubFactory(AssessmentFactory)
    kecamatan = factory.SubFactory(KecamatanFactory, parent=factory.SelfAttribute("..assessment.kabupaten"))
    desa = factory.SubFactory(DesaFactory, parent=factory.SelfAttribute("..kecamatan"))
    declared_odf = True
    desa_total = None
    desa_odf = None


class DataRequestFactory(factory.django.DjangoModelFactory):
    """Bappeda asks an OPD of the assessment's kabupaten (Dinkes by default) for its data."""

    class Meta:
        model = DataRequest

    assessment = factory.SubFactory(AssessmentFactory)
    opd = factory.SubFactory(OpdFactory, kabupaten=factory.SelfAttribute("..assessment.kabupaten"))
    deadline = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=14))
    message = "Mohon lengkapi data indikator yang menjadi tanggung jawab OPD Bapak/Ibu."
    created_by = None


class TitikPantauFactory(factory.django.DjangoModelFactory):
    """A market in a desa of the assessment's kabupaten, on the Pasar tatanan when assessed."""

    class Meta:
        model = TitikPantau

    assessment = factory.SubFactory(AssessmentFactory)
    tatanan = factory.LazyAttribute(
        lambda o: o.assessment.tatanan.filter(code="PSR").first() or _assessed_tatanan(o.assessment)
    )
    desa = factory.SubFactory(
        DesaFactory,
        parent=factory.SubFactory(KecamatanFactory, parent=factory.SelfAttribute("...assessment.kabupaten")),
    )
    name = factory.LazyAttribute(lambda o: f"Pasar {o.desa.name}")
    kind = TitikPantau.Kind.PASAR
    address = factory.LazyAttribute(lambda o: f"Jl. Raya {o.desa.name}")
    description = "Pasar rakyat yang dibina menjadi pasar sehat."


class InnovationFactory(factory.django.DjangoModelFactory):
    """An innovation of the kabupaten in the last data year, on its first assessed tatanan."""

    class Meta:
        model = Innovation

    assessment = factory.SubFactory(AssessmentFactory)
    tatanan = factory.LazyAttribute(lambda o: _assessed_tatanan(o.assessment))
    title = factory.Sequence(lambda n: f"Gerakan Jumat Bersih Pasar {n + 1}")
    description = "Pedagang dan pengelola pasar membersihkan los, saluran dan tempat sampah setiap Jumat pagi."
    year = factory.LazyAttribute(lambda o: o.assessment.cycle.last_data_year)
    result = "Keluhan sampah pasar turun; pasar lolos inspeksi kesehatan lingkungan."
