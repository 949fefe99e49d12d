"""The one way a file becomes evidence: stream, hash, inspect, deduplicate, store, attach.

1. ``EvidenceUploadHandler`` streams each uploaded file to a temporary file on disk while hashing it
   (SHA-256) and counting its size; past ``EVIDENCE_MAX_UPLOAD_MB`` it stops writing and marks the
   file oversize (the rest of the body is read and dropped, so memory stays flat whatever the size).
2. ``attach_upload`` refuses what is not acceptable (``UploadRefused`` with a message for the user):
   a bad file name, an empty or oversize file, and whatever ``kks_portal.lib.files.inspection`` finds (type by
   content from the allow-list, extension agreeing, polyglots, bombs, encrypted or broken files).
3. The same bytes already stored for the kabupaten are linked, not stored again (and reported).
4. Otherwise a ``pending`` blob row is committed first (the intent), the bytes are streamed to
   storage under a random name, and one transaction marks the blob ready and creates the
   attachment. If anything fails the file and the pending row are removed at once; if the process
   dies, ``sweep_stale_uploads`` (a periodic Celery task) removes them later. So no file is left
   without a row and no ready row points to a missing file.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import TemporaryUploadedFile, UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from kks_portal.lib.files.errors import UploadRefused
from kks_portal.lib.files.inspection import inspect_upload
from kks_portal.lib.files.names import clean_filename
from regions.models import Region

from .models import Blob, EvidenceFile, random_storage_name
from .selectors import Owner, live

logger = logging.getLogger(__name__)

CHUNK = 256 * 1024


def max_upload_bytes() -> int:
    return settings.EVIDENCE_MAX_UPLOAD_MB * 1024 * 1024


# --- Streaming ----------------------------------------------------------------------------------


class HashedUploadedFile(TemporaryUploadedFile):
    """A temporary upload that knows its SHA-256, and whether it went past the size limit."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sha256: str | None = None
        self.oversize = False
        self.received = 0


class EvidenceUploadHandler(FileUploadHandler):
    """Every file to disk (never to memory), hashed on the way, cut off past the size limit."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.file = HashedUploadedFile(self.file_name, self.content_type, 0, self.charset, self.content_type_extra)
        self.digest = hashlib.sha256()
        self.limit = max_upload_bytes()

    def receive_data_chunk(self, raw_data, start):
        self.file.received += len(raw_data)
        if self.file.oversize:
            return None
        if self.file.received > self.limit:
            # Keep reading (the other files of the request still count) but keep nothing.
            self.file.oversize = True
            self.file.file.truncate(0)
            return None
        self.digest.update(raw_data)
        self.file.write(raw_data)
        return None

    def file_complete(self, file_size):
        self.file.seek(0)
        self.file.size = self.file.received
        if not self.file.oversize:
            self.file.sha256 = self.digest.hexdigest()
        return self.file


def use_evidence_upload_handler(request) -> None:
    """Install the streaming handler; call before ``request.POST`` / ``request.FILES`` are read
    (the view must be ``csrf_exempt`` outside and ``csrf_protect`` inside, as Django documents)."""
    request.upload_handlers = [EvidenceUploadHandler(request)]


# --- Hashing files that did not come through the handler ---------------------------------------


def _sha256_of(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks(CHUNK) if hasattr(upload, "chunks") else iter(lambda: upload.read(CHUNK), b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _size_of(upload) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, os.SEEK_END)
        size = upload.tell()
        upload.seek(0)
    return size


# --- Attaching ----------------------------------------------------------------------------------


@dataclass
class AttachResult:
    evidence: EvidenceFile
    # The earlier attachment of the same bytes in the kabupaten, when the file was linked, not stored.
    duplicate_of: EvidenceFile | None = None

    @property
    def stored(self) -> bool:
        return self.duplicate_of is None


def _kabupaten(owner: Owner) -> Region:
    return Region.objects.get(code=owner.kabupaten_code)


def _check_replaceable(owner: Owner, replaces: EvidenceFile | None) -> None:
    if replaces is None:
        return
    if not owner.files().filter(pk=replaces.pk).exists():
        raise UploadRefused("bad_replace", _("Berkas yang diganti bukan milik tempat ini."))
    if not replaces.is_current:
        raise UploadRefused("bad_replace", _("Berkas itu sudah dihapus atau sudah diganti."))


def attach_upload(
    *,
    owner: Owner,
    upload: UploadedFile,
    kind: str,
    actor: User | None,
    title: str = "",
    replaces: EvidenceFile | None = None,
) -> AttachResult:
    """Make ``upload`` an evidence file of ``owner`` (or refuse it with ``UploadRefused``)."""
    if kind not in EvidenceFile.Kind.values:
        raise UploadRefused("bad_kind", _("Jenis bukti tidak dikenal."))
    name = clean_filename(getattr(upload, "name", ""))
    size = _size_of(upload)
    if getattr(upload, "oversize", False) or size > max_upload_bytes():
        raise UploadRefused(
            "too_large",
            _("Berkas %(name)s lebih besar dari batas %(limit)s MB.")
            % {"name": name, "limit": settings.EVIDENCE_MAX_UPLOAD_MB},
        )
    if size == 0:
        raise UploadRefused("empty", _("Berkas %(name)s kosong.") % {"name": name})
    _check_replaceable(owner, replaces)
    inspection = inspect_upload(upload, name)
    sha256 = getattr(upload, "sha256", None) or _sha256_of(upload)
    kabupaten = _kabupaten(owner)
    title = (title or "").strip()[:300]

    existing = Blob.objects.filter(kabupaten=kabupaten, sha256=sha256, state=Blob.State.READY).first()
    if existing is not None:
        return _link(owner, existing, kind=kind, name=name, title=title, actor=actor, replaces=replaces)

    blob = Blob.objects.create(
        kabupaten=kabupaten,
        sha256=sha256,
        size=size,
        file_type=inspection.file_type,
        file=random_storage_name("bukti", inspection.extension),
        width=inspection.width,
        height=inspection.height,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    try:
        upload.seek(0)
        _crash_point("before_store")
        stored_name = default_storage.save(blob.file.name, upload, max_length=200)
        if stored_name != blob.file.name:
            # The storage chose another name: the intent row must name the file really written.
            blob.file.name = stored_name
            Blob.objects.filter(pk=blob.pk).update(file=stored_name)
        _crash_point("after_store")
        with transaction.atomic():
            Blob.objects.filter(pk=blob.pk).update(file=stored_name, state=Blob.State.READY)
            blob.state = Blob.State.READY
            evidence = _create_attachment(
                owner, blob, kind=kind, name=name, title=title, actor=actor, replaces=replaces
            )
    except IntegrityError:
        # Someone stored the same bytes for the kabupaten a moment ago: use theirs.
        blob.state = Blob.State.PENDING  # the transaction that made it ready was rolled back
        _discard(blob)
        existing = Blob.objects.filter(kabupaten=kabupaten, sha256=sha256, state=Blob.State.READY).first()
        if existing is None:  # not that race: a real integrity problem
            raise
        return _link(owner, existing, kind=kind, name=name, title=title, actor=actor, replaces=replaces)
    except BaseException:
        blob.state = Blob.State.PENDING
        _discard(blob)
        raise
    _after_attach(evidence)
    return AttachResult(evidence)


def _link(owner, blob, *, kind, name, title, actor, replaces) -> AttachResult:
    earlier = live(blob.attachments.all()).order_by("uploaded_at", "id").first() or (
        blob.attachments.order_by("uploaded_at", "id").first()
    )
    with transaction.atomic():
        evidence = _create_attachment(owner, blob, kind=kind, name=name, title=title, actor=actor, replaces=replaces)
    _after_attach(evidence)
    return AttachResult(evidence, duplicate_of=earlier)


def _create_attachment(owner, blob, *, kind, name, title, actor, replaces) -> EvidenceFile:
    evidence = EvidenceFile.objects.create(
        blob=blob,
        kind=kind,
        title=title,
        original_name=name,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
        **owner.fields(),
    )
    if replaces is not None:
        updated = EvidenceFile.objects.filter(pk=replaces.pk, deleted_at__isnull=True, replaced_by__isnull=True).update(
            replaced_by=evidence, replaced_at=timezone.now()
        )
        if not updated:
            raise UploadRefused("bad_replace", _("Berkas itu sudah dihapus atau sudah diganti."))
    return evidence


def _after_attach(evidence: EvidenceFile) -> None:
    if evidence.blob.is_image:
        from .tasks import process_photo

        blob_id = evidence.blob_id
        transaction.on_commit(lambda: process_photo.delay(blob_id))


def _discard(blob: Blob) -> None:
    """Remove a pending blob's file (if written) and its row; never raises."""
    try:
        if blob.file.name and default_storage.exists(blob.file.name):
            default_storage.delete(blob.file.name)
    except Exception:  # the sweeper retries what fails here
        logger.exception("Could not delete %s", blob.file.name)
    Blob.objects.filter(pk=blob.pk, state=Blob.State.PENDING).delete()


def _crash_point(where: str) -> None:
    """Tests simulate a process dying mid-upload: ``KKS_TEST_DIE_AT=after_store`` kills this
    process right there (used only by the crash test, which runs the upload in a subprocess)."""
    if os.environ.get("KKS_TEST_DIE_AT") == where:
        os._exit(70)


# --- Removing and replacing ---------------------------------------------------------------------


def evidence_remove(*, evidence: EvidenceFile, actor: User) -> EvidenceFile:
    """Soft delete: the file stays (history, dossiers already sealed) but no longer counts."""
    if evidence.deleted_at is None:
        evidence.deleted_at = timezone.now()
        evidence.deleted_by = actor
        evidence.save(update_fields=["deleted_at", "deleted_by"])
    return evidence


def history_of(evidence: EvidenceFile) -> list[EvidenceFile]:
    """The attachments this one replaced, newest first (following ``replaced_by`` backwards)."""
    chain, current = [], evidence
    seen = {evidence.pk}
    while True:
        previous = EvidenceFile.objects.select_related("blob", "uploaded_by").filter(replaced_by=current).first()
        if previous is None or previous.pk in seen:
            return chain
        chain.append(previous)
        seen.add(previous.pk)
        current = previous


# --- Sweeping -----------------------------------------------------------------------------------


def sweep_stale_uploads(*, older_than: timedelta | None = None) -> int:
    """Remove what dead uploads left: pending blobs with their files, stored files no blob names,
    and stale temp files. Returns how many pending blobs were removed."""
    age = older_than if older_than is not None else timedelta(minutes=settings.EVIDENCE_STALE_UPLOAD_MINUTES)
    cutoff = timezone.now() - age
    removed = 0
    for blob in Blob.objects.filter(state=Blob.State.PENDING, created_at__lt=cutoff):
        _discard(blob)
        removed += 1
    sweep_orphan_files(cutoff=cutoff)
    temp_dir = Path(settings.FILE_UPLOAD_TEMP_DIR or tempfile.gettempdir())
    if settings.FILE_UPLOAD_TEMP_DIR and temp_dir.is_dir():
        limit = time.time() - age.total_seconds()
        for path in temp_dir.iterdir():
            try:
                if path.is_file() and ".upload" in path.name and path.stat().st_mtime < limit:
                    path.unlink()
            except OSError:
                continue
    return removed


STORED_FOLDERS = ("bukti", "bukti-turunan")


def _stored_names(folder: str):
    """Every file name under ``folder`` of the default storage (any depth)."""
    try:
        directories, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for file_name in files:
        yield f"{folder}/{file_name}"
    for directory in directories:
        yield from _stored_names(f"{folder}/{directory}")


def sweep_orphan_files(*, cutoff) -> int:
    """Delete stored files older than ``cutoff`` that no blob names (as its file, thumbnail or
    preview). The pending row normally names a file being written; when the caller's own
    transaction rolled that row back with it (an upload inside ``transaction.atomic``) and the
    process died, only this sweep finds the file. Returns how many files were deleted."""
    deleted = 0
    for folder in STORED_FOLDERS:
        batch: list[str] = []
        for name in _stored_names(folder):
            batch.append(name)
            if len(batch) == 500:
                deleted += _delete_unnamed(batch, cutoff)
                batch = []
        if batch:
            deleted += _delete_unnamed(batch, cutoff)
    return deleted


def _delete_unnamed(names: list[str], cutoff) -> int:
    known = set()
    for row in Blob.objects.filter(Q(file__in=names) | Q(thumbnail__in=names) | Q(preview__in=names)).values_list(
        "file", "thumbnail", "preview"
    ):
        known.update(row)
    deleted = 0
    for name in names:
        if name in known:
            continue
        try:
            if default_storage.get_modified_time(name) >= cutoff:
                continue  # perhaps being written right now
            default_storage.delete(name)
            deleted += 1
        except (OSError, NotImplementedError):
            logger.warning("Could not sweep %s", name)
    return deleted
