"""Activities and evidence files for tests, in the shape ``evidence.uploads.attach_upload`` leaves
them: a ready blob whose bytes (a real PDF or JPEG) are in the default storage under a random
name, kept once per kabupaten; an evidence file attached to exactly one owner, scoped to the
owner's region, whose blob belongs to the kabupaten that region lies in.

The owner is an activity unless a trait names another: ``EvidenceFileFactory(on_body=True)``,
``on_requirement=True`` (with its assessment and first data year), ``on_titik_pantau=True`` or
``on_visit=True``. Like the services, they refresh the readiness rows of the activity
(``evidence.rollups``).
"""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal

import factory
from django.core.files.base import ContentFile

from evidence.models import Activity, Blob, BodyYearReadiness, EvidenceFile, FileType, ReferencePoint
from evidence.rollups import refresh_activities
from forums.tests.factories import BodyFactory, PembinaanVisitFactory, jpeg_bytes, pdf_bytes
from indicators.tests.factories import AssessmentFactory, IndicatorEntryFactory, TitikPantauFactory
from regions.models import Region
from regions.tests.factories import KabupatenFactory
from tatanan.tests.factories import EvidenceRequirementFactory

EXTENSIONS = {FileType.PDF: "pdf", FileType.JPEG: "jpg"}


def kabupaten_of(region: Region) -> Region:
    """The kabupaten/kota ``region`` lies in (itself at that level)."""
    code = ".".join(region.code.split(".")[:2])
    return region if region.code == code else Region.objects.get(code=code)


class BlobFactory(factory.django.DjangoModelFactory):
    """A ready PDF of a kabupaten (each one different bytes); ``photo=True`` for a JPEG photo.
    Bytes the kabupaten already has give back its blob, as the upload pipeline does."""

    class Meta:
        model = Blob

    class Params:
        data = factory.Sequence(lambda n: pdf_bytes(f"Bukti dukung {n + 1}"))
        photo = factory.Trait(
            data=factory.Sequence(lambda n: jpeg_bytes(colour=(n % 256, (n // 256) % 256, 120))),
            file_type=FileType.JPEG,
            width=320,
            height=240,
        )

    kabupaten = factory.SubFactory(KabupatenFactory)
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.data).hexdigest())
    size = factory.LazyAttribute(lambda o: len(o.data))
    file_type = FileType.PDF
    file = factory.LazyAttribute(lambda o: ContentFile(o.data, name=f"berkas.{EXTENSIONS[o.file_type]}"))
    state = Blob.State.READY

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if kwargs.get("state", Blob.State.READY) == Blob.State.READY:
            existing = model_class.objects.filter(
                kabupaten=kwargs["kabupaten"], sha256=kwargs["sha256"], state=Blob.State.READY
            ).first()
            if existing is not None:
                return existing
        return super()._create(model_class, *args, **kwargs)


class ActivityFactory(factory.django.DjangoModelFactory):
    """A coordination meeting of a body (a Forum Kecamatan Sehat by default) in the last data
    year of the 2025 cycle."""

    class Meta:
        model = Activity

    body = factory.SubFactory(BodyFactory)
    title = factory.LazyAttribute(lambda o: f"Rapat koordinasi {o.body}")
    date = datetime.date(2024, 8, 17)
    place = factory.LazyAttribute(lambda o: f"Aula Kantor {o.body.region.get_kind_display()} {o.body.region.name}")
    participants = "Pengurus forum, perangkat kecamatan, Puskesmas, kader"
    participant_count = 25
    result = "Disepakati jadwal kerja bakti dan pemantauan jamban sehat."
    realised_budget = 2_500_000
    work_plan_item = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        made = super()._create(model_class, *args, **kwargs)
        refresh_activities([made.pk])  # what activity_create does (evidence.rollups)
        return made


def _owner_region(o) -> Region:
    """The region of the owner, as ``evidence.selectors.Owner.region`` gives it."""
    if o.activity is not None:
        return o.activity.body.region
    if o.body is not None:
        return o.body.region
    if o.requirement is not None:
        return o.assessment.kabupaten
    if o.titik_pantau is not None:
        return o.titik_pantau.assessment.kabupaten
    return o.pembinaan_visit.target_region


class EvidenceFileFactory(factory.django.DjangoModelFactory):
    """Minutes (a PDF) of an activity by default; see the module for the other owners."""

    class Meta:
        model = EvidenceFile

    class Params:
        on_body = factory.Trait(
            activity=None,
            body=factory.SubFactory(BodyFactory),
            kind=EvidenceFile.Kind.SK,
            original_name="sk-pembentukan.pdf",
        )
        on_requirement = factory.Trait(
            activity=None,
            assessment=factory.SubFactory(AssessmentFactory),
            # An indicator of the assessment's cycle that the assessment has an entry for.
            requirement=factory.SubFactory(
                EvidenceRequirementFactory,
                indicator=factory.LazyAttribute(
                    lambda o: IndicatorEntryFactory(assessment=o.factory_parent.assessment).indicator
                ),
            ),
            data_year=factory.LazyAttribute(lambda o: o.assessment.cycle.first_data_year),
            kind=EvidenceFile.Kind.LAPORAN,
            original_name="laporan-kegiatan.pdf",
        )
        on_titik_pantau = factory.Trait(
            activity=None,
            titik_pantau=factory.SubFactory(TitikPantauFactory),
            kind=EvidenceFile.Kind.BERITA_ACARA,
            original_name="berita-acara-inspeksi.pdf",
        )
        on_visit = factory.Trait(
            activity=None,
            pembinaan_visit=factory.SubFactory(PembinaanVisitFactory),
            kind=EvidenceFile.Kind.LAPORAN,
            original_name="laporan-pembinaan.pdf",
        )

    activity = factory.SubFactory(ActivityFactory)
    body = None
    requirement = None
    assessment = None
    data_year = None
    titik_pantau = None
    pembinaan_visit = None
    region = factory.LazyAttribute(_owner_region)
    blob = factory.SubFactory(
        BlobFactory, kabupaten=factory.LazyAttribute(lambda o: kabupaten_of(o.factory_parent.region))
    )
    kind = EvidenceFile.Kind.NOTULEN
    title = ""
    original_name = "notulen-rapat.pdf"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        made = super()._create(model_class, *args, **kwargs)
        if made.activity_id is not None:  # what the upload service does (evidence.rollups)
            refresh_activities([made.activity_id])
        return made


# Where some kabupaten/kota lie (their seat of government); any other gets Jakarta, a stand-in:
# give ``latitude``/``longitude`` when a test looks at distances.
KNOWN_PLACES = {
    "36.04": (Decimal("-6.115000"), Decimal("106.150000")),  # Kabupaten Serang (Ciruas)
    "32.01": (Decimal("-6.481000"), Decimal("106.854000")),  # Kabupaten Bogor (Cibinong)
    "11.01": (Decimal("3.256000"), Decimal("97.180000")),  # Kabupaten Aceh Selatan (Tapaktuan)
}
DEFAULT_PLACE = (Decimal("-6.200000"), Decimal("106.816000"))  # Jakarta


class ReferencePointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReferencePoint
        django_get_or_create = ("kabupaten",)

    kabupaten = factory.SubFactory(KabupatenFactory)
    latitude = factory.LazyAttribute(lambda o: KNOWN_PLACES.get(o.kabupaten.code, DEFAULT_PLACE)[0])
    longitude = factory.LazyAttribute(lambda o: KNOWN_PLACES.get(o.kabupaten.code, DEFAULT_PLACE)[1])
    radius_km = 60


class BodyYearReadinessFactory(factory.django.DjangoModelFactory):
    """A body's readiness row for one year with nothing recorded yet, as ``evidence.rollups``
    writes it for a body without activities that year (the services keep the real ones current)."""

    class Meta:
        model = BodyYearReadiness
        django_get_or_create = ("body", "year")

    body = factory.SubFactory(BodyFactory)
    year = 2024
    total = 0
    complete = 0
    incomplete = factory.LazyFunction(list)
