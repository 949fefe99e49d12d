"""A small kabupaten for the completeness, readiness and API tests.

Kabupaten Serang with its two kecamatan of the personas (Carenang: desa Carenang and Pamanuk;
Binuang: desa Binuang), a two-tatanan catalogue for award 2022 (data years 2020–2021) whose
indicators ask for evidence, and helpers that attach files as rows (``attach``) when a test is
about counting, not about uploading; like the services, they refresh the readiness rows.
"""

from __future__ import annotations

import datetime
import hashlib
import itertools

import pytest

from accounts.tests.factories import OpdFactory
from evidence.models import Activity, Blob, EvidenceFile
from evidence.rollups import refresh_activities
from forums.models import Body
from indicators.services import assessment_open
from tatanan.models import Cycle, EvidenceRequirement, Indicator, KelembagaanItem, ScaleOption, Tatanan, TatananSet

YEARS = [2020, 2021]
_numbers = itertools.count(1)


def blob(kabupaten, *, content: bytes | None = None, file_type="pdf") -> Blob:
    """A stored file's row (no bytes on disk: these tests count rows)."""
    content = content if content is not None else f"berkas {next(_numbers)}".encode()
    return Blob.objects.create(
        kabupaten=kabupaten,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        file_type=file_type,
        file=f"bukti/uji/{hashlib.sha256(content).hexdigest()}.{file_type}",
        state=Blob.State.READY,
    )


def attach(*, kind: str, region, same_as: EvidenceFile | None = None, **owner) -> EvidenceFile:
    """A live attachment of ``kind`` to ``owner`` (``activity=…``, ``requirement=…, assessment=…,
    data_year=…``); ``same_as`` reuses another attachment's bytes."""
    kabupaten_code = ".".join(region.code.split(".")[:2])
    stored = same_as.blob if same_as is not None else blob(region.__class__.objects.get(code=kabupaten_code))
    made = EvidenceFile.objects.create(blob=stored, kind=kind, original_name=f"{kind}.pdf", region=region, **owner)
    if made.activity_id is not None:  # what the upload service does (evidence.rollups)
        refresh_activities([made.activity_id])
    return made


def activity(body: Body, *, date=datetime.date(2020, 5, 2), kinds=(), title=None) -> Activity:
    """An activity of ``body`` with one live file of each of ``kinds``."""
    made = Activity.objects.create(body=body, title=title or f"Rapat {next(_numbers)}", date=date)
    refresh_activities([made.pk])  # what activity_create does (evidence.rollups)
    for kind in kinds:
        attach(kind=kind, region=body.region, activity=made)
    return made


ALL_KINDS = tuple(Activity.REQUIRED_KINDS)


def complete_activity(body: Body, year: int, **options) -> Activity:
    return activity(body, date=datetime.date(year, 6, 1), kinds=ALL_KINDS, **options)


@pytest.fixture
def bodies(wilayah):
    """Forum Kabupaten, both Forum Kecamatan, the Pokja of desa Carenang and of desa Binuang
    (Pamanuk has none), and the Tim Pembina Kecamatan Carenang."""
    make = Body.objects.create
    return {
        "forum_serang": make(kind=Body.Kind.FORUM_KABKOTA, region=wilayah["serang"]),
        "forum_carenang": make(kind=Body.Kind.FORUM_KECAMATAN, region=wilayah["carenang"]),
        "forum_binuang": make(kind=Body.Kind.FORUM_KECAMATAN, region=wilayah["binuang"]),
        "pokja_carenang": make(kind=Body.Kind.POKJA_DESA, region=wilayah["desa_carenang"]),
        "pokja_binuang": make(kind=Body.Kind.POKJA_DESA, region=wilayah["desa_binuang"]),
        "tim_carenang": make(kind=Body.Kind.TIM_PEMBINA_KECAMATAN, region=wilayah["carenang"]),
    }


@pytest.fixture
def evidence_cycle(db):
    """PSR (two indicators) and PDD (one indicator), data years 2020–2021.

    PSR 1 (Dinkes): a report for each data year, two screenshots for 2021.
    PSR 2 (Dinkes): a signed statement, not bound to a year.
    PDD 1 (Disdik): a report for each data year.
    PDD 2 (nobody): no requirement at all.
    Kelembagaan Tim Pembina SK: the SK scan, not bound to a year."""
    tatanan_set = TatananSet.objects.create(code="BUKTI", name="Himpunan uji bukti")
    psr = Tatanan.objects.create(tatanan_set=tatanan_set, code="PSR", number=1, name="Pasar")
    pdd = Tatanan.objects.create(tatanan_set=tatanan_set, code="PDD", number=2, name="Satuan Pendidikan")
    cycle = Cycle.objects.create(award_year=2022, first_data_year=2020, last_data_year=2021, tatanan_set=tatanan_set)

    def indicator(tatanan, number, opd):
        made = Indicator.objects.create(
            cycle=cycle,
            tatanan=tatanan,
            number=number,
            order=int(number),
            name=f"Indikator {tatanan.code} {number}",
            responsible_opd=opd,
        )
        ScaleOption.objects.create(indicator=made, value=100, order=0, description="ada")
        ScaleOption.objects.create(indicator=made, value=0, order=1, description="tidak")
        return made

    psr1, psr2 = indicator(psr, "1", "Dinkes"), indicator(psr, "2", "Dinkes")
    pdd1, _pdd2 = indicator(pdd, "1", "Disdik"), indicator(pdd, "2", "")
    each, year, none = (
        EvidenceRequirement.YearScope.EACH,
        EvidenceRequirement.YearScope.YEAR,
        EvidenceRequirement.YearScope.NONE,
    )
    EvidenceRequirement.objects.create(indicator=psr1, description="Laporan pasar sehat", year_scope=each, order=1)
    EvidenceRequirement.objects.create(
        indicator=psr1, description="Tangkapan layar aplikasi", year_scope=year, data_year=2021, count=2, order=2
    )
    EvidenceRequirement.objects.create(indicator=psr2, description="Surat pernyataan", year_scope=none, order=1)
    EvidenceRequirement.objects.create(indicator=pdd1, description="Laporan sekolah sehat", year_scope=each, order=1)
    item = KelembagaanItem.objects.create(cycle=cycle, component="tim_pembina", item="sk")
    ScaleOption.objects.create(kelembagaan_item=item, value=100, order=0, description="ada SK")
    EvidenceRequirement.objects.create(kelembagaan_item=item, description="SK Tim Pembina", year_scope=none)
    return cycle


@pytest.fixture
def evidence_assessment(evidence_cycle, rina, dinkes_serang, wilayah):
    OpdFactory(kabupaten=wilayah["serang"], name="Dinas Pendidikan", short_name="Disdik")
    return assessment_open(kabupaten=wilayah["serang"], cycle=evidence_cycle, actor=rina)


def requirement(cycle, code: str, number: str, order: int = 1) -> EvidenceRequirement:
    return EvidenceRequirement.objects.get(
        indicator__cycle=cycle, indicator__tatanan__code=code, indicator__number=number, order=order
    )


def attach_requirement(assessment, req: EvidenceRequirement, year: int | None, *, kind="laporan", **options):
    return attach(
        kind=kind, region=assessment.kabupaten, requirement=req, assessment=assessment, data_year=year, **options
    )
