"""The end of the demo round: every requirement documented, the kelembagaan scored, the dossier
compiled and submitted to the province (and, for the second kabupaten, returned by it).

Everything goes through the services a kabupaten and a verifier use (``attach_upload``,
``decree_add``, ``kelembagaan_entries_update``, ``data_request_assign``, ``dossier_compile``,
``dossier_submit``, ``review_open``, ``dossier_return``), so the demo passes the same
``submission_checklist`` as a real round (docs/DOMAIN.md). The compile is the same pipeline the
Celery workers run, run here in this process (``version_run_inline``), as ``compile_dossier`` does.

Idempotent: a dossier that has left the draft status is never touched again, and within a draft
only what is missing is added (a requirement × year with fewer files than it asks, an item
without a self score), so a second run changes nothing and a user's edits survive.
"""

from __future__ import annotations

import datetime
import textwrap
import time
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q

from accounts.models import Opd, User
from dossiers.models import Dossier, DossierVersion
from dossiers.services import dossier_compile, version_run_inline
from dossiers.workflow.services import dossier_return, dossier_submit, review_open, submission_checklist
from evidence.completeness import requirement_file_counts
from evidence.models import Blob
from evidence.photos import process_blob
from evidence.selectors import Owner, requirement_years
from evidence.uploads import attach_upload
from forums.models import Body
from forums.services import decree_add
from indicators.fieldwork.services import kelembagaan_entries_update
from indicators.models import Assessment, DataRequest, IndicatorEntry
from indicators.requests.selectors import today
from indicators.requests.services import data_request_assign
from indicators.services import indicator_entry_update
from kks_portal.lib.files.types import IMAGE_TYPES
from tatanan.models import EvidenceRequirement

from .round import SERANG_CENTRE, demo_pdf, demo_photo

# Requirements whose text asks for pictures get a photo; every other one a PDF.
PHOTO_WORDS = ("foto", "dokumentasi")
# The photos of requirements: small (the screen copy and the dossier's print copy are made from it).
PHOTO_SIZE = (640, 480)
KELEMBAGAAN_NOTE = "Dinilai mandiri oleh Bappeda dari SK dan laporan kegiatan lembaga (data demo)."


class BytesCache:
    """Each distinct demo file is generated once per run and its bytes reused: a second
    kabupaten gets the same documents (stored again for it: a blob belongs to one kabupaten)."""

    def __init__(self):
        self._files: dict[tuple, bytes] = {}

    def pdf(self, requirement: EvidenceRequirement, year: int | None, copy: int) -> bytes:
        key = ("pdf", requirement.pk, year, copy)
        if key not in self._files:
            owner = requirement.indicator or requirement.kelembagaan_item
            lines = [
                f"Tahun data: {year}" if year else "Tidak terikat tahun data",
                f"Dokumen {copy + 1} dari {requirement.count}",
                "",
                *textwrap.wrap(f"Untuk: {owner}", 90)[:4],
                "",
                *textwrap.wrap(f"Dokumen yang diminta: {requirement.description}", 90)[:8],
                "",
                "Dokumen contoh data demo portal KKS.",
            ]
            self._files[key] = demo_pdf(f"Bukti dukung {requirement.pk}: {requirement.description}", lines=lines)
        return self._files[key]

    def photo(self, requirement: EvidenceRequirement, year: int | None, copy: int) -> bytes:
        key = ("foto", requirement.pk, year, copy)
        if key not in self._files:
            taken = datetime.datetime(year or 2024, 3 + (requirement.pk + copy) % 9, 10 + copy % 15, 9, 30)
            self._files[key] = demo_photo(
                f"Dokumentasi {requirement.pk} {year or ''} {copy + 1}",
                taken=taken,
                position=SERANG_CENTRE,
                size=PHOTO_SIZE,
            )
        return self._files[key]


def _wants_photo(requirement: EvidenceRequirement) -> bool:
    text = requirement.description.lower()
    return any(word in text for word in PHOTO_WORDS)


def requirements_document(*, assessment: Assessment, actor: User, files: BytesCache) -> int:
    """Attach to every evidence requirement of the assessment (its indicators' and its kelembagaan
    items') as many distinct files as it asks for each year it asks, where files are lacking.
    Returns the number of files attached."""
    cycle = assessment.cycle
    requirements = list(
        EvidenceRequirement.objects.filter(
            Q(indicator__cycle=cycle, indicator__owner_kabupaten__isnull=True)
            | Q(indicator__cycle=cycle, indicator__owner_kabupaten=assessment.kabupaten)
            | Q(kelembagaan_item__cycle=cycle)
        )
        .select_related("indicator__tatanan", "kelembagaan_item")
        .order_by("pk")
    )
    have = requirement_file_counts(assessment, [r.pk for r in requirements])
    attached = 0
    for requirement in requirements:
        photo = _wants_photo(requirement)
        for year in requirement_years(requirement, assessment):
            for copy in range(have.get((requirement.pk, year), 0), requirement.count):
                if photo:
                    data, name, mime = files.photo(requirement, year, copy), "foto", "image/jpeg"
                else:
                    data, name, mime = files.pdf(requirement, year, copy), "dokumen", "application/pdf"
                extension = "jpg" if photo else "pdf"
                attach_upload(
                    owner=Owner(requirement=requirement, assessment=assessment, data_year=year),
                    upload=SimpleUploadedFile(
                        f"{name}-{requirement.pk}-{year or 'umum'}-{copy + 1}.{extension}", data, mime
                    ),
                    kind="foto" if photo else "laporan",
                    title=requirement.description[:120],
                    actor=actor,
                )
                attached += 1
    return attached


def photos_process(kabupaten_code: str) -> None:
    """Make the screen and print copies of the kabupaten's photos now (the Celery task's service,
    idempotent), so that the dossier compiled next shows them even with no worker running."""
    for blob_id in Blob.objects.filter(
        kabupaten_id=kabupaten_code, state=Blob.State.READY, processed_at__isnull=True, file_type__in=IMAGE_TYPES
    ).values_list("pk", flat=True):
        process_blob(blob_id)


def kabupaten_sks_ensure(*, assessment: Assessment, actor: User, signer: str) -> None:
    """The kabupaten's Tim Pembina and Forum each with an SK in force (with its scan)."""
    for kind in (Body.Kind.TIM_PEMBINA_KABKOTA, Body.Kind.FORUM_KABKOTA):
        body = Body.objects.filter(region_id=assessment.kabupaten_id, kind=kind).first()
        if body is None or body.decrees.exists():
            continue
        number = f"100.3.3.2/Kep.{41 if kind == Body.Kind.TIM_PEMBINA_KABKOTA else 42}-Huk/2023"
        decree_add(
            body=body,
            actor=actor,
            number=number,
            date=datetime.date(2023, 1, 16),
            signer=signer,
            valid_from=datetime.date(2023, 1, 16),
            file=SimpleUploadedFile(
                "sk.pdf", demo_pdf(f"Keputusan {signer} Nomor {number} tentang {body.name}"), "application/pdf"
            ),
        )


def kelembagaan_score(*, assessment: Assessment, actor: User) -> int:
    """Bappeda's self score of the kelembagaan items still without one: the top option (every
    tier needs every item at its top value, docs/DOMAIN.md); the province verifies it. Items
    already scored keep their score."""
    entries = list(
        assessment.kelembagaan_entries.filter(self_score__isnull=True)
        .select_related("item")
        .prefetch_related("item__scale_options")
    )
    changes = []
    for entry in entries:
        options = sorted(entry.item.scale_options.all(), key=lambda option: option.value)
        if options:
            changes.append((entry, options[-1], KELEMBAGAAN_NOTE))
    return kelembagaan_entries_update(assessment=assessment, actor=actor, changes=changes) if changes else 0


# --- OPD tasks ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoTask:
    """Bappeda's data request to one OPD: the tatanan it owns, when it is due (days from the
    seed's day; negative: the deadline has passed), and how many of its indicators it has not
    returned yet."""

    opd: str
    tatanan: str
    due_in_days: int
    open_entries: int
    message: str


DEMO_TASKS = [
    DemoTask("Dinkes", "KSM", 14, 3, "Mohon data KSM 2023–2024 dilengkapi beserta bukti dukungnya."),
    DemoTask("DLH", "KPI", -5, 2, "Mohon data perkantoran dan perindustrian segera dikirim; tenggat sudah lewat."),
    DemoTask("Disperkim", "PFU", 10, 0, "Data permukiman dan fasilitas umum."),
    DemoTask("Disdikbud", "PDD", 10, 0, "Data satuan pendidikan."),
    DemoTask("Disperindag", "PSR", 10, 0, "Data pasar."),
    DemoTask("Dispar", "PAR", 10, 0, "Data pariwisata."),
    DemoTask("Dishub", "TLL", 10, 0, "Data transportasi dan tertib lalu lintas."),
    DemoTask("Dinsos", "PLS", 10, 0, "Data perlindungan sosial."),
    DemoTask("BPBD", "BCN", 10, 0, "Data pencegahan dan penanganan bencana."),
]


def opd_tasks_assign(*, assessment: Assessment, bappeda: User, operators: dict[str, User]) -> int:
    """Bappeda assigns each tatanan's indicators to its OPD with a deadline and a message; the
    OPDs with demo operators left some of them as drafts (not returned yet), one past its
    deadline. Only when the assessment has no data request yet. Returns the requests made."""
    if DataRequest.objects.filter(assessment=assessment).exists():
        return 0
    opds = {opd.short_name: opd for opd in Opd.objects.filter(kabupaten_id=assessment.kabupaten_id)}
    made = 0
    for task in DEMO_TASKS:
        opd = opds.get(task.opd)
        entries = list(
            assessment.indicator_entries.filter(indicator__tatanan__code=task.tatanan, indicator__is_local=False)
            .select_related("indicator")
            .order_by("indicator__order", "indicator_id")
        )
        if opd is None or not entries:
            continue
        due = today() + datetime.timedelta(days=max(task.due_in_days, 0))
        request = data_request_assign(
            assessment=assessment, opd=opd, entries=entries, deadline=due, actor=bappeda, message=task.message
        )
        if task.due_in_days < 0:
            # A new deadline may not lie in the past (``deadline_check``); this one was set
            # earlier and has passed since: the demo dates it back.
            DataRequest.objects.filter(pk=request.pk).update(deadline=today() + datetime.timedelta(task.due_in_days))
        operator = operators.get(task.opd)
        drafts = [e.pk for e in entries[-task.open_entries :]] if task.open_entries else []
        for entry in assessment.indicator_entries.filter(pk__in=drafts).select_related("assessment", "indicator"):
            # The operator saved a draft and has not returned it (``selesai``) yet.
            indicator_entry_update(entry=entry, actor=operator or bappeda, status=IndicatorEntry.Status.DRAF)
        made += 1
    return made


# --- The dossier --------------------------------------------------------------------------------


def _dossier(assessment: Assessment) -> Dossier | None:
    return Dossier.objects.filter(assessment=assessment).first()


def still_draft(assessment: Assessment) -> bool:
    """Whether the demo may still work on this assessment: its dossier was never submitted."""
    dossier = _dossier(assessment)
    return dossier is None or (dossier.status == Dossier.Status.DRAFT and dossier.submitted_version_id is None)


def dossier_compile_and_submit(*, assessment: Assessment, bappeda: User, comment: str, stdout=None) -> bool:
    """Compile the dossier in this process (unless a finished, unsubmitted version of the current
    data is there) and submit it. False (with the reason written) when the checklist fails."""
    checklist = submission_checklist(assessment)
    if not all(check.ok for check in checklist.checks if check.code != "version"):
        if stdout is not None:
            stdout.write(
                f"Dossier {assessment.kabupaten} belum lengkap, tidak diajukan: " + " | ".join(checklist.messages())
            )
        return False
    if not checklist.ok:
        started = time.monotonic()
        version = dossier_compile(assessment=assessment, actor=bappeda, start=False)
        version = version_run_inline(version)
        if version.state != DossierVersion.State.DONE:
            if stdout is not None:
                stdout.write(f"Dossier {assessment.kabupaten} gagal disusun: {version.error}")
            return False
        if stdout is not None:
            stdout.write(
                f"{assessment.kabupaten.name}: dossier versi {version.number} disusun "
                f"({version.page_count} halaman, {time.monotonic() - started:.0f} detik)."
            )
    dossier_submit(assessment=assessment, actor=bappeda, comment=comment)
    return True


def dossier_return_by_province(*, assessment: Assessment, verifier: User, reason: str) -> None:
    """The province verifier opens the review of the submitted dossier and returns it."""
    dossier = _dossier(assessment)
    if dossier is None or dossier.status not in (Dossier.Status.SUBMITTED, Dossier.Status.PROVINCE_REVIEW):
        return
    with transaction.atomic():
        if dossier.status == Dossier.Status.SUBMITTED:
            review_open(dossier=dossier, actor=verifier)
            dossier.refresh_from_db()
        dossier_return(dossier=dossier, actor=verifier, reason=reason)


def demo_round_complete(
    *,
    assessment: Assessment,
    bappeda: User,
    files: BytesCache,
    signer: str,
    comment: str,
    operators: dict[str, User] | None = None,
    stdout=None,
) -> bool:
    """Complete ``assessment``'s round as its Bappeda would and submit the dossier. Nothing is
    done once the dossier has been submitted (whatever happened to it since), nor before the
    instrument is imported (no indicators: nothing to document). True when it was submitted now."""
    if not assessment.indicator_entries.exists() or not still_draft(assessment):
        return False
    with transaction.atomic():
        if operators is not None:
            opd_tasks_assign(assessment=assessment, bappeda=bappeda, operators=operators)
        kabupaten_sks_ensure(assessment=assessment, actor=bappeda, signer=signer)
        kelembagaan_score(assessment=assessment, actor=bappeda)
    requirements_document(assessment=assessment, actor=bappeda, files=files)
    photos_process(assessment.kabupaten_id)
    return dossier_compile_and_submit(assessment=assessment, bappeda=bappeda, comment=comment, stdout=stdout)
