"""A small demo-like dossier world: Kabupaten Serang's 2025 assessment (the shipped cycle and
tatanan set) on two tatanan with two indicators each, its bodies with an SK, a work plan and
an activity with photos and minutes, a titik pantau and evidence files (photos with and without
a downscaled copy, PDFs). Small on purpose: every compile runs WeasyPrint for real."""

from __future__ import annotations

import datetime
import hashlib
import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image
from pypdf import PdfWriter

from evidence.models import Activity, Blob, EvidenceFile, FileType
from forums.models import Body, Decree, Member, Secretariat, WorkPlan, WorkPlanItem
from indicators.models import IndicatorEntry, OdfStatus, TitikPantau
from indicators.services import assessment_open
from tatanan.models import Cycle, EvidenceRequirement, Indicator, KelembagaanItem, ScaleOption, Tatanan

SCALE = [100, 75, 50, 25, 0]


@pytest.fixture(autouse=True)
def _private_media(request, settings, tmp_path):
    """Stored files (evidence, chapters, dossiers) land in a throw-away folder, except for the
    worker test: the worker process reads the configured media folder, so that test uses it (and
    removes what it wrote)."""
    settings.KKS_BASE_URL = "https://kks.example.id/"
    if "celery_worker" in request.fixturenames:
        return
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


def jpeg(width=320, height=240, colour=(30, 120, 60)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def pdf_bytes(pages=1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_blob(kabupaten, content: bytes, file_type: str, *, preview: bytes | None = None) -> Blob:
    blob = Blob(
        kabupaten=kabupaten,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        file_type=file_type,
        state=Blob.State.READY,
    )
    blob.file.save(f"x.{'jpg' if file_type == FileType.JPEG else file_type}", ContentFile(content), save=False)
    if preview is not None:
        blob.preview.save("preview.jpg", ContentFile(preview), save=False)
        blob.width, blob.height = 4000, 3000
    blob.save()
    return blob


def attach(blob: Blob, *, region, kind: str, original_name: str, **owner) -> EvidenceFile:
    return EvidenceFile.objects.create(blob=blob, kind=kind, original_name=original_name, region=region, **owner)


def _indicator(cycle, tatanan, number, name):
    indicator = Indicator.objects.create(cycle=cycle, tatanan=tatanan, number=str(number), order=number, name=name)
    for order, value in enumerate(SCALE):
        ScaleOption.objects.create(indicator=indicator, value=value, order=order, description=f"Nilai {value}")
    return indicator


@pytest.fixture
def serang_2025(shipped_catalogue, wilayah, rina, dinkes_serang):
    """Kabupaten Serang's 2025 assessment with a little of everything a dossier shows."""
    serang = wilayah["serang"]
    cycle = Cycle.objects.get(award_year=2025)
    ksm = Tatanan.objects.get(tatanan_set__code="2023", code="KSM")
    psr = Tatanan.objects.get(tatanan_set__code="2023", code="PSR")
    ksm1 = _indicator(cycle, ksm, 1, "Persentase desa/kelurahan Siaga Aktif")
    _indicator(cycle, ksm, 2, "Persentase posyandu aktif")
    psr1 = _indicator(cycle, psr, 1, "Pasar rakyat memenuhi syarat kesehatan")
    _indicator(cycle, psr, 2, "Pasar memiliki pengelola kebersihan")
    requirement = EvidenceRequirement.objects.create(
        indicator=psr1, description="Laporan inspeksi pasar", year_scope="each"
    )
    item = KelembagaanItem.objects.create(cycle=cycle, component="tim_pembina", item="sk")
    ScaleOption.objects.create(kelembagaan_item=item, value=100, order=0, description="Ada SK")
    ScaleOption.objects.create(kelembagaan_item=item, value=0, order=1, description="Tidak ada")

    assessment = assessment_open(kabupaten=serang, cycle=cycle, actor=rina)
    assessment.tatanan.set([ksm, psr])  # two of the nine, to keep the PDFs short
    for entry in IndicatorEntry.objects.filter(assessment=assessment).select_related("indicator"):
        entry.value_year1, entry.value_year2 = "72", "81"
        entry.self_score = entry.indicator.scale_options.get(value=100 if entry.indicator_id == ksm1.pk else 75)
        entry.explanation = f"Data {entry.indicator.name.lower()} dari OPD."
        entry.save()
    OdfStatus.objects.create(assessment=assessment, kecamatan=wilayah["carenang"], desa_total=2, desa_odf=2)

    Body.objects.create(kind=Body.Kind.TIM_PEMBINA_KABKOTA, region=serang)
    forum = Body.objects.create(kind=Body.Kind.FORUM_KECAMATAN, region=wilayah["carenang"])
    Decree.objects.create(
        body=forum,
        number="400/12/Kec.Crn/2024",
        date=datetime.date(2024, 1, 15),
        signer="Camat Carenang",
        valid_from=datetime.date(2024, 1, 15),
    )
    Member.objects.create(body=forum, name="Sari Handayani", position=Member.Position.SEKRETARIS)
    Secretariat.objects.create(body=forum, address="Kantor Kecamatan Carenang", has_name_board=True)
    plan = WorkPlan.objects.create(body=forum, year=2023, status=WorkPlan.Status.APPROVED)
    plan_item = WorkPlanItem.objects.create(
        work_plan=plan, tatanan=psr, activity="Kerja bakti pasar", budget=1_250_000, schedule="Maret"
    )
    WorkPlanItem.objects.create(
        work_plan=plan, tatanan=ksm, activity="Penyuluhan PHBS", budget=500_000, funding_source="swadaya"
    )
    activity = Activity.objects.create(
        body=forum,
        title="Kerja bakti Pasar Carenang",
        date=datetime.date(2023, 3, 18),
        place="Pasar Carenang",
        work_plan_item=plan_item,
        participant_count=45,
        result="Saluran pasar bersih.",
        realised_budget=1_100_000,
    )
    activity.tatanan.set([psr])
    carenang = wilayah["carenang"]
    photo = make_blob(serang, jpeg(640, 480), FileType.JPEG, preview=jpeg(320, 240))
    attach(photo, region=carenang, kind="foto", original_name="kerja-bakti.jpg", activity=activity)
    raw = make_blob(serang, jpeg(600, 400, (200, 40, 40)), FileType.JPEG)  # no downscaled copy yet
    attach(raw, region=carenang, kind="foto", original_name="foto-belum-diproses.jpg", activity=activity)
    minutes = make_blob(serang, pdf_bytes(1), FileType.PDF)
    attach(minutes, region=carenang, kind="notulen", original_name="notulen-kerja-bakti.pdf", activity=activity)
    report = make_blob(serang, pdf_bytes(2), FileType.PDF)
    attach(
        report,
        region=serang,
        kind="laporan",
        original_name="laporan-inspeksi-pasar-2023.pdf",
        requirement=requirement,
        assessment=assessment,
        data_year=2023,
    )
    point = TitikPantau.objects.create(
        assessment=assessment, tatanan=psr, name="Pasar Carenang", kind="pasar", desa=wilayah["desa_carenang"]
    )
    market = make_blob(serang, jpeg(500, 300, (40, 40, 200)), FileType.JPEG, preview=jpeg(250, 150, (40, 40, 200)))
    attach(market, region=serang, kind="foto", original_name="pasar.jpg", titik_pantau=point)
    assessment.refresh_from_db()
    return assessment


@pytest.fixture
def compile_now(django_capture_on_commit_callbacks):
    """``compile_now(assessment, actor)``: compile as the web page does (Celery eager) and return
    the version as it ended."""
    from dossiers.services import dossier_compile

    def run(assessment, actor):
        with django_capture_on_commit_callbacks(execute=True):
            version = dossier_compile(assessment=assessment, actor=actor)
        version.refresh_from_db()
        return version

    return run


def read_pdf(version):
    from pypdf import PdfReader

    with version.pdf.open("rb") as handle:
        data = handle.read()
    return PdfReader(io.BytesIO(data)), data
