"""The bodies of the programme and what they have, for tests.

A body's region is at the level of its kind (a Forum Kecamatan Sehat in a real kecamatan, a
Pokja in a real desa, …), an SK is signed by the head of that region, a pembinaan visit goes
from a Tim Pembina to a kecamatan inside its kabupaten. Files are small real documents and photos
(``pdf_bytes``, ``jpeg_bytes``, also used by the evidence and dossier factories) written to the
default storage under the models' random names.
"""

from __future__ import annotations

import datetime
import io

import factory
from django.core.files.base import ContentFile
from PIL import Image
from pypdf import PdfWriter

from forums.models import Body, Decree, Member, PembinaanVisit, Secretariat, WorkPlan, WorkPlanItem
from regions.models import Region
from regions.tests.factories import DesaFactory, KabupatenFactory, KecamatanFactory
from tatanan.tests.factories import TatananFactory

# --- Files ----------------------------------------------------------------------------------


def pdf_bytes(title: str = "Dokumen", pages: int = 1) -> bytes:
    """A real PDF (blank A4 pages) whose title makes its bytes, and so its SHA-256, differ."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def jpeg_bytes(size=(320, 240), colour=(30, 120, 60)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="JPEG", quality=80)
    return out.getvalue()


def pdf_file(title: str) -> ContentFile:
    return ContentFile(pdf_bytes(title), name="dokumen.pdf")


def jpeg_file(colour=(30, 120, 60)) -> ContentFile:
    return ContentFile(jpeg_bytes(colour=colour), name="foto.jpg")


# --- Bodies ---------------------------------------------------------------------------------

_REGION_FACTORY = {
    Region.Level.KABKOTA: KabupatenFactory,
    Region.Level.KECAMATAN: KecamatanFactory,
    Region.Level.DESA: DesaFactory,
}


def head_of(region: Region) -> str:
    """Who signs a body's SK: "Bupati Serang", "Camat Carenang", "Kepala Desa Carenang"."""
    if region.kind == Region.Kind.KABUPATEN:
        return "Bupati " + region.name.removeprefix("Kabupaten ")
    if region.kind == Region.Kind.KOTA:
        return "Wali Kota " + region.name.removeprefix("Kota ")
    if region.kind == Region.Kind.KECAMATAN:
        return f"Camat {region.name}"
    if region.kind == Region.Kind.KELURAHAN:
        return f"Lurah {region.name}"
    return f"Kepala Desa {region.name}"


class BodyFactory(factory.django.DjangoModelFactory):
    """A Forum Kecamatan Sehat by default, in a new real region of the kind's level; the name
    follows from kind and region (``Body.save``)."""

    class Meta:
        model = Body
        django_get_or_create = ("kind", "region")

    kind = Body.Kind.FORUM_KECAMATAN
    region = factory.LazyAttribute(lambda o: _REGION_FACTORY[Body.LEVEL_OF_KIND[o.kind]]())


class DecreeFactory(factory.django.DjangoModelFactory):
    """The current SK of a body, signed by the head of its region. As ``forums.services.decree_add``
    does, a new current SK makes the body's earlier one history. No scan unless ``scanned=True``
    (or ``file=…``)."""

    class Meta:
        model = Decree

    class Params:
        scanned = factory.Trait(file=factory.LazyAttribute(lambda o: pdf_file(f"SK {o.number}")))

    body = factory.SubFactory(BodyFactory)
    number = factory.Sequence(lambda n: f"400/{n}/2024")
    date = datetime.date(2024, 1, 15)
    signer = factory.LazyAttribute(lambda o: head_of(o.body.region))
    valid_from = datetime.date(2024, 1, 15)
    is_current = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if kwargs.get("is_current", True):
            Decree.objects.filter(body=kwargs["body"], is_current=True).update(is_current=False)
        return super()._create(model_class, *args, **kwargs)


MEMBER_NAMES = [
    "Siti Rahmawati",
    "Ahmad Fauzi",
    "Dewi Lestari",
    "Budi Santoso",
    "Nur Aini",
    "Agus Salim",
    "Rina Marlina",
    "Hendra Gunawan",
]


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    body = factory.SubFactory(BodyFactory)
    name = factory.Sequence(lambda n: MEMBER_NAMES[n % len(MEMBER_NAMES)])
    position = Member.Position.ANGGOTA
    origin = Member.Origin.MASYARAKAT
    order = factory.Sequence(lambda n: n)


class SecretariatFactory(factory.django.DjangoModelFactory):
    """The office of a body, with photos of its name board and organisation chart."""

    class Meta:
        model = Secretariat

    body = factory.SubFactory(BodyFactory)
    address = factory.LazyAttribute(lambda o: f"Jl. Raya {o.body.region.name} No. 1, {o.body.region.name}")
    room = "Ruang Sekretariat Forum"
    has_name_board = True
    name_board_photo = factory.LazyFunction(lambda: jpeg_file((200, 40, 40)))
    org_chart_photo = factory.LazyFunction(lambda: jpeg_file((40, 40, 200)))


class WorkPlanFactory(factory.django.DjangoModelFactory):
    """A body's draft rencana kerja for 2024."""

    class Meta:
        model = WorkPlan

    body = factory.SubFactory(BodyFactory)
    year = 2024
    status = WorkPlan.Status.DRAFT


class WorkPlanItemFactory(factory.django.DjangoModelFactory):
    """An activity of a work plan on a tatanan of the shipped 2023 set, funded by APBD (a Pokja's
    by APBDes/Dana Desa)."""

    class Meta:
        model = WorkPlanItem

    work_plan = factory.SubFactory(WorkPlanFactory)
    tatanan = factory.SubFactory(TatananFactory)
    indicator = None
    activity = factory.LazyAttribute(lambda o: f"Sosialisasi tatanan {o.tatanan.name} kepada masyarakat")
    target = "100 peserta"
    schedule = "Maret–Mei"
    budget = 5_000_000
    funding_source = factory.LazyAttribute(
        lambda o: (
            WorkPlanItem.FundingSource.APBDES_DANA_DESA
            if o.work_plan.body.kind == Body.Kind.POKJA_DESA
            else WorkPlanItem.FundingSource.APBD
        )
    )
    person_in_charge = "Sekretaris Forum"
    order = factory.Sequence(lambda n: n)


class PembinaanVisitFactory(factory.django.DjangoModelFactory):
    """A Tim Pembina Kabupaten's visit to one of the kabupaten's kecamatan."""

    class Meta:
        model = PembinaanVisit

    visiting_body = factory.SubFactory(BodyFactory, kind=Body.Kind.TIM_PEMBINA_KABKOTA)
    target_region = factory.SubFactory(KecamatanFactory, parent=factory.SelfAttribute("..visiting_body.region"))
    rt_rw = "RT 03/RW 02"
    date = datetime.date(2024, 8, 20)
    place = factory.LazyAttribute(lambda o: f"Aula Kantor Kecamatan {o.target_region.name}")
    participants = "Camat, Kepala Puskesmas, Forum Kecamatan Sehat, kader"
    findings = "Jamban sehat belum merata di dua RT."
    follow_ups = "Pendampingan pemicuan STBM bulan depan."
