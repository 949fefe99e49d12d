"""Writes of the dossier app: compiling a version (the steps the Celery pipeline runs) and sealing.

A compile is a ``DossierVersion`` row (the status row of the job) and a Celery chord: one task
per chapter, in parallel on as many workers as there are, then one merge task. Every step is
safe to run again: a chapter task re-delivered after its worker died (``acks_late``) finds its
chapter recorded or the render cached and completes; a merge that finds its version finished
does nothing. One compile per assessment at a time (a row lock here and a partial unique index
in the database); a compile that made no progress for ``DOSSIER_COMPILE_STALE_MINUTES`` is taken
as dead and failed when the next one is asked for.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import logging
import tempfile
import time
from functools import partial

import segno
from celery import chord, group
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from pypdf import PdfReader

from accounts.access import require_kabupaten_admin
from accounts.models import User
from evidence.models import Blob
from indicators.models import Assessment

from .diff.compare import dossier_snapshot
from .models import ChapterRender, Dossier, DossierVersion, SealedVersionError, dossier_upload_to
from .renderer.chapters import (
    ChapterSpec,
    canonical_json,
    chapter_context,
    chapter_pdf,
    chapter_plan,
    fingerprint,
    kabupaten_context,
    manifest_entry,
    summary_context,
)
from .renderer.merge import Attachment, MergeChapter, dossier_merge

logger = logging.getLogger(__name__)

MANIFEST_FORMAT = 1
ACTIVE = DossierVersion.ACTIVE_STATES
CHUNK = 1024 * 1024


def _busy() -> ValidationError:
    return ValidationError(_("Dossier sedang disusun. Tunggu sampai selesai sebelum menyusun lagi."), code="busy")


# --- Starting a compile ---------------------------------------------------------------------------------


def _fail_stale(dossier: Dossier) -> int:
    """Fail active versions that made no progress for too long (their worker is gone)."""
    now = timezone.now()
    limit = now - datetime.timedelta(minutes=settings.DOSSIER_COMPILE_STALE_MINUTES)
    return DossierVersion.objects.filter(dossier=dossier, state__in=ACTIVE, updated_at__lt=limit).update(
        state=DossierVersion.State.FAILED,
        error=_("Dihentikan: tidak ada kemajuan selama %(minutes)s menit.")
        % {"minutes": settings.DOSSIER_COMPILE_STALE_MINUTES},
        finished_at=now,
        updated_at=now,
    )


@transaction.atomic
def dossier_compile(*, assessment: Assessment, actor: User | None, start: bool = True) -> DossierVersion:
    """Queue a new version of ``assessment``'s dossier and (after commit) launch its pipeline.

    ``actor`` must be the kabupaten's Bappeda admin or a superuser; ``None`` is the operator at
    the command line. Refused (``ValidationError`` with code ``busy``) while another compile of
    the same assessment is queued or running. ``start=False`` leaves launching to the caller
    (the command runs the same pipeline in its own process).
    """
    if actor is not None:
        require_kabupaten_admin(actor, assessment.kabupaten_id)
    Dossier.objects.get_or_create(assessment=assessment)
    dossier = Dossier.objects.select_for_update().get(assessment=assessment)
    _fail_stale(dossier)
    if dossier.versions.filter(state__in=ACTIVE).exists():
        raise _busy()
    number = (dossier.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    with translation.override("id"):
        plan = [spec.as_dict() for spec in chapter_plan(assessment)]
    try:
        with transaction.atomic():
            version = DossierVersion.objects.create(dossier=dossier, number=number, created_by=actor, plan=plan)
    except IntegrityError as exc:  # another request got there between our check and insert
        raise _busy() from exc
    if start:
        transaction.on_commit(partial(version_pipeline_start, version.pk))
    return version


def version_pipeline(version: DossierVersion):
    """The Celery chord of a version: every chapter, then the merge.

    The chapters are sent longest first (by the time their last render took; chapters never
    rendered first of all), so that the workers do not end on one long chapter while the other
    waits. ``interval``: how often a result backend without native chords (the development
    file backend) checks whether the chapters are done."""
    # Imported here: dossiers.tasks imports this module (its tasks call these services back).
    from . import tasks

    took = dict(
        ChapterRender.objects.filter(assessment_id=version.dossier.assessment_id)
        .order_by("key", "created_at")
        .values_list("key", "render_seconds")
    )
    keys = sorted((spec["key"] for spec in version.plan), key=lambda key: -took.get(key, float("inf")))
    header = group(tasks.render_chapter.si(version.pk, key) for key in keys)
    return chord(header, tasks.merge_version.si(version.pk)).set(interval=0.25)


def version_pipeline_start(version_id: int) -> None:
    """Send the pipeline to the workers. A broker that cannot be reached fails the version (and
    so frees the assessment for the next compile) instead of leaving it queued."""
    version = DossierVersion.objects.get(pk=version_id)
    try:
        version_pipeline(version).apply_async()
    except Exception as exc:  # the broker, or (eager, in tests) a task's own failure
        logger.exception("dossier version %s: pipeline failed to run", version_id)
        version_fail(version_id=version_id, error=_("Penyusunan gagal dijalankan: %(error)s") % {"error": exc})


def version_run_inline(version: DossierVersion) -> DossierVersion:
    """Run the same pipeline in this process (the command line), chapters one after another."""
    try:
        version_pipeline(version).apply()
    except Exception as exc:
        logger.exception("dossier version %s failed", version.pk)
        version_fail(version_id=version.pk, error=str(exc))
    version.refresh_from_db()
    return version


MAX_ATTEMPTS = 3


def stale_compiles_resume() -> dict[str, int]:
    """Send the pipeline of every compile that made no progress for
    ``DOSSIER_COMPILE_STALE_MINUTES`` again (its worker died with the message, or the broker lost
    it); after ``MAX_ATTEMPTS`` sends it is failed. Every step skips what is already done, so a
    resumed compile renders only the chapters still missing. Run by the periodic task."""
    now = timezone.now()
    limit = now - datetime.timedelta(minutes=settings.DOSSIER_COMPILE_STALE_MINUTES)
    counts = {"resumed": 0, "failed": 0}
    for version in DossierVersion.objects.filter(state__in=ACTIVE, updated_at__lt=limit).order_by("pk"):
        if version.attempts >= MAX_ATTEMPTS:
            version_fail(version_id=version.pk, error=_("Penyusunan terhenti %(n)s kali.") % {"n": version.attempts})
            counts["failed"] += 1
            continue
        # The filter on updated_at makes two resumers race harmlessly: one of them wins.
        claimed = DossierVersion.objects.filter(pk=version.pk, state__in=ACTIVE, updated_at__lt=limit).update(
            attempts=F("attempts") + 1, updated_at=now
        )
        if claimed:
            transaction.on_commit(partial(version_pipeline_start, version.pk))
            counts["resumed"] += 1
    return counts


# --- The job's status row -------------------------------------------------------------------------------


def version_fail(*, version_id: int, error: str) -> None:
    now = timezone.now()
    DossierVersion.objects.filter(pk=version_id, state__in=ACTIVE).update(
        state=DossierVersion.State.FAILED, error=str(error)[:2000], finished_at=now, updated_at=now
    )


def _progress(version_id: int, value: int) -> None:
    DossierVersion.objects.filter(pk=version_id, state__in=ACTIVE).update(progress=value, updated_at=timezone.now())


def _mark_running(version_id: int) -> None:
    now = timezone.now()
    DossierVersion.objects.filter(pk=version_id, state=DossierVersion.State.QUEUED).update(
        state=DossierVersion.State.RUNNING, started_at=now, progress=2, updated_at=now
    )


def _load(version_id: int) -> DossierVersion:
    return DossierVersion.objects.select_related(
        "dossier__assessment__kabupaten__parent", "dossier__assessment__cycle"
    ).get(pk=version_id)


# --- Chapters -------------------------------------------------------------------------------------------------


def chapter_render_ensure(*, assessment: Assessment, spec: ChapterSpec) -> tuple[ChapterRender, bool]:
    """The chapter as ``assessment``'s data stands now: the cached render when its fingerprint
    is known (and its file still there), else a fresh one. Returns (render, reused)."""
    data = chapter_context(assessment, spec)
    key_fingerprint = fingerprint(spec, data)
    cached = ChapterRender.objects.filter(assessment=assessment, key=spec.key, fingerprint=key_fingerprint).first()
    if cached is not None:
        if default_storage.exists(cached.file.name):
            return cached, True
        cached.delete()
    started = time.monotonic()
    pdf = chapter_pdf(data)
    render = ChapterRender(
        assessment=assessment,
        key=spec.key,
        title=spec.title,
        fingerprint=key_fingerprint,
        sha256=hashlib.sha256(pdf).hexdigest(),
        pages=len(PdfReader(io.BytesIO(pdf)).pages),
        size=len(pdf),
        evidence=[manifest_entry(item) for item in data.evidence],
        attachments=data.attachments,
        render_seconds=round(time.monotonic() - started, 3),
    )
    render.file.save("bab.pdf", ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            render.save()
    except IntegrityError:  # the same chapter rendered meanwhile by a re-delivered task
        default_storage.delete(render.file.name)
        return ChapterRender.objects.get(assessment=assessment, key=spec.key, fingerprint=key_fingerprint), True
    return render, False


def _record_chapter(version_id: int, key: str, render: ChapterRender, reused: bool) -> None:
    with transaction.atomic():
        version = DossierVersion.objects.select_for_update().get(pk=version_id)
        if not version.is_active or key in version.chapter_renders:
            return
        version.chapter_renders = {**version.chapter_renders, key: render.pk}
        if reused:
            version.chapters_reused += 1
        else:
            version.chapters_rendered += 1
        done, total = len(version.chapter_renders), max(len(version.plan), 1)
        version.progress = max(version.progress, 5 + 80 * done // total)
        version.state = DossierVersion.State.RUNNING
        version.started_at = version.started_at or timezone.now()
        version.save(
            update_fields=[
                "chapter_renders",
                "chapters_reused",
                "chapters_rendered",
                "progress",
                "state",
                "started_at",
                "updated_at",
            ]
        )


def version_chapter_render(*, version_id: int, key: str) -> int | None:
    """One chapter of a version (a chapter task). Returns the ChapterRender id, or None when the
    version is no longer being compiled."""
    version = _load(version_id)
    if not version.is_active:
        return None
    if key in version.chapter_renders:  # a re-delivered task: the chapter is already in
        return version.chapter_renders[key]
    spec_data = next((spec for spec in version.plan if spec["key"] == key), None)
    if spec_data is None:
        raise ValueError(f"chapter {key!r} is not in the plan of version {version_id}")
    _mark_running(version_id)
    render, reused = chapter_render_ensure(assessment=version.dossier.assessment, spec=ChapterSpec(**spec_data))
    _record_chapter(version_id, key, render, reused)
    return render.pk


# --- Merging ---------------------------------------------------------------------------------------------------


def verification_url(code: str) -> str:
    """The public page that confirms a version, as an absolute URL (printed on the cover)."""
    return settings.KKS_BASE_URL.rstrip("/") + reverse("dossiers:verify_code", kwargs={"code": code})


def _manifest(version: DossierVersion, renders: list[ChapterRender], attachments: list[dict]) -> dict:
    assessment = version.dossier.assessment
    evidence, seen = [], set()
    for render in renders:
        for item in render.evidence:
            if item["id"] not in seen:
                seen.add(item["id"])
                evidence.append(item)
    return {
        "format": MANIFEST_FORMAT,
        "assessment": assessment.pk,
        "version": version.number,
        "created_at": version.created_at.isoformat(),
        **kabupaten_context(assessment),
        "chapters": [
            {
                "key": render.key,
                "title": render.title,
                "fingerprint": render.fingerprint,
                "sha256": render.sha256,
                "pages": render.pages,
            }
            for render in renders
        ],
        "evidence": evidence,
        "attachments": [
            {"name": a["name"], "sha256": a["sha256"], "size": a["size"], "evidence_id": a["evidence_id"]}
            for a in attachments
        ],
        # What the chapters show, compactly, for comparing versions (dossiers.diff.compare).
        "snapshot": dossier_snapshot(assessment, evidence=evidence),
    }


def _sha256_of(handle) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    handle.seek(0)
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    handle.seek(0)
    return digest.hexdigest(), size


def version_merge(*, version_id: int) -> DossierVersion:
    """Assemble the version's PDF from its chapters and seal its content (the merge task)."""
    version = _load(version_id)
    if not version.is_active:
        return version
    missing = [spec["key"] for spec in version.plan if spec["key"] not in version.chapter_renders]
    if missing:
        raise RuntimeError(f"chapters not ready: {', '.join(missing)}")
    found = ChapterRender.objects.in_bulk(list(version.chapter_renders.values()))
    renders = [found[version.chapter_renders[spec["key"]]] for spec in version.plan]
    assessment = version.dossier.assessment
    attachments = [a for render in renders for a in render.attachments]
    manifest = _manifest(version, renders, attachments)
    manifest_sha256 = hashlib.sha256(canonical_json(manifest)).hexdigest()
    _progress(version_id, 87)

    context = kabupaten_context(assessment)
    url = verification_url(manifest_sha256)
    cover_context = {
        **context,
        "version": {"number": version.number, "created_at": version.created_at},
        "verify_url": url,
        "qr_svg": segno.make(url, error="m").svg_inline(scale=4, border=2),
        "manifest_sha256": manifest_sha256,
    }
    front_context = {**context, "summary": summary_context(assessment), "generated_at": version.created_at}
    chapters = [
        MergeChapter(
            key=spec["key"],
            title=spec["title"],
            number=spec["number"],
            group=spec["group"],
            group_title=spec["group_title"],
            file_name=render.file.name,
            pages=render.pages,
            part=spec.get("part", 1),
        )
        for spec, render in zip(version.plan, renders, strict=True)
    ]
    blobs = Blob.objects.in_bulk([a["blob_id"] for a in attachments])
    files = [Attachment(a["name"], blobs[a["blob_id"]].file.name) for a in attachments if a["blob_id"] in blobs]
    with translation.override("id"):
        title = _("Dokumen Penilaian KKS – %(kabupaten)s – Swasti Saba %(year)s – Versi %(number)s") % {
            "kabupaten": assessment.kabupaten.name,
            "year": assessment.cycle.award_year,
            "number": version.number,
        }
        footer = title.replace(" – ", " · ")
    with tempfile.NamedTemporaryFile(suffix=".pdf", dir=settings.FILE_UPLOAD_TEMP_DIR) as output:
        with translation.override("id"):
            result = dossier_merge(
                cover_context=cover_context,
                front_context=front_context,
                chapters=chapters,
                attachments=files,
                footer_text=footer,
                metadata={"Title": title, "Author": assessment.kabupaten.name, "Creator": "KKS Portal"},
                output=output,
            )
        output.flush()
        _progress(version_id, 95)
        sha256, size = _sha256_of(output)
        name = default_storage.save(dossier_upload_to(None, "dossier.pdf"), File(output))

    with transaction.atomic():
        locked = DossierVersion.objects.select_for_update().get(pk=version_id)
        if not locked.is_active:  # failed as stale meanwhile, or finished by a twin: keep what is there
            transaction.on_commit(partial(default_storage.delete, name))
            return locked
        locked.pdf.name = name
        locked.sha256 = sha256
        locked.manifest_sha256 = manifest_sha256
        locked.manifest = manifest
        locked.page_count = result.page_count
        locked.size = size
        locked.state = DossierVersion.State.DONE
        locked.progress = 100
        locked.finished_at = timezone.now()
        locked.save()
    keep = [render.pk for render in renders]
    transaction.on_commit(partial(chapter_renders_prune, assessment_id=assessment.pk, keep_ids=keep))
    return locked


def chapter_renders_prune(*, assessment_id: int, keep_ids: list[int]) -> int:
    """Drop cached chapters the latest version did not use (and their files)."""
    stale = ChapterRender.objects.filter(assessment_id=assessment_id).exclude(pk__in=keep_ids)
    names = list(stale.values_list("file", flat=True))
    count, _deleted = stale.delete()
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:  # gone already; nothing refers to it any more
            logger.warning("dossier chapter file %s could not be removed", name)
    return count


# --- Sealing ------------------------------------------------------------------------------------------------------


@transaction.atomic
def dossier_version_mark_submitted(*, version: DossierVersion, actor: User | None) -> DossierVersion:
    """Seal ``version`` as the one submitted for verification (the workflow decides when): from
    now on nothing about it changes. Only a finished version can be sealed, and only once."""
    locked = DossierVersion.objects.select_for_update().get(pk=version.pk)
    if locked.submitted:
        raise SealedVersionError(_("Versi ini sudah diajukan."))
    if not locked.is_done:
        raise ValidationError(_("Hanya versi yang sudah selesai disusun yang dapat diajukan."))
    locked.submitted = True
    locked.submitted_at = timezone.now()
    locked.submitted_by = actor
    locked.save(update_fields=["submitted", "submitted_at", "submitted_by", "updated_at"])
    return locked
