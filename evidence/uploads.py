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

``receive_files`` is the one upload service the web form (``evidence.views``) and the API
(``evidence.api``) call: it owns the rules of a request (the kinds the owner takes, one for every
file or one per file, the title, the file replaced, checked once) and of each file (its own kind,
already attached here: not linked again) and answers one ``UploadOutcome`` per file; the views only turn outcomes into messages or JSON.
The refusal rule of one file is ``kks_portal.lib.files.checks.check_file``, shared with the forums'
SK scans and secretariat photos.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import time
import unicodedata
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
from kks_portal.lib.files.checks import CheckedFile
from kks_portal.lib.files.checks import check_file as check_uploaded_file
from kks_portal.lib.files.errors import UploadRefused
from kks_portal.lib.url_ids import parse_id
from regions.models import Region

from .models import Blob, EvidenceFile, random_storage_name
from .print_copies import print_copy_name, print_copy_owner
from .rollups import refresh_activities
from .selectors import OWNER_KINDS, Owner, files_visible_to, live

logger = logging.getLogger(__name__)

CHUNK = 256 * 1024
MB = 1024 * 1024
TITLE_MAX = EvidenceFile._meta.get_field("title").max_length
KIND_LABELS = dict(EvidenceFile.Kind.choices)


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


# --- Checking one file --------------------------------------------------------------------------


def check_file(upload) -> CheckedFile:
    """``kks_portal.lib.files.checks.check_file`` with the evidence size limit."""
    return check_uploaded_file(upload, max_bytes=max_upload_bytes())


# --- The rules of an upload -----------------------------------------------------------------------


def check_kind(owner: Owner, kind: str) -> None:
    """``kind`` must be one of the evidence kinds ``owner`` takes (``evidence.selectors.OWNER_KINDS``)."""
    if kind not in owner.evidence_kinds:
        raise UploadRefused(
            "bad_kind",
            _("Pilih jenis bukti yang diterima di sini: %(kinds)s.")
            % {"kinds": ", ".join(str(KIND_LABELS[value]).lower() for value in owner.evidence_kinds)},
        )


def replaceable(owner: Owner, replaces) -> EvidenceFile:
    """The file ``replaces`` names (a file or its id as sent) if it is a current file of ``owner``;
    ``UploadRefused`` otherwise. The one check of what may be replaced."""
    pk = replaces.pk if isinstance(replaces, EvidenceFile) else parse_id(replaces)
    found = owner.files().filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise UploadRefused("bad_replace", _("Berkas yang akan diganti tidak ditemukan di sini."))
    if not found.is_current:
        raise UploadRefused("bad_replace", _("Berkas itu sudah dihapus atau sudah diganti."))
    return found


def title_for(title: str, replaces: EvidenceFile | None) -> str:
    """The title a new attachment gets: the one given (trimmed), or the title of the file it
    replaces; a title longer than the field is refused, never cut."""
    title = (title or "").strip()
    if len(title) > TITLE_MAX:
        raise UploadRefused(
            "title_too_long",
            _("Keterangan paling panjang %(limit)s karakter; yang dikirim %(length)s karakter.")
            % {"limit": TITLE_MAX, "length": len(title)},
        )
    if not title and replaces is not None:
        return replaces.title  # a new version keeps the description of the one it replaces
    return title


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


def attach_upload(
    *,
    owner: Owner,
    upload: UploadedFile,
    kind: str,
    actor: User | None,
    title: str = "",
    replaces: EvidenceFile | None = None,
) -> AttachResult:
    """Make one ``upload`` an evidence file of ``owner`` (or refuse it with ``UploadRefused``), by
    the same rules as ``receive_files`` save "already attached here" (the same bytes given twice
    are linked twice): for callers holding one file (the demo, imports)."""
    check_kind(owner, kind)
    if replaces is not None:
        replaces = replaceable(owner, replaces)
    title = title_for(title, replaces)
    return _attach(owner, upload, check_file(upload), kind=kind, title=title, actor=actor, replaces=replaces)


def _sha256(upload) -> str:
    return getattr(upload, "sha256", None) or _sha256_of(upload)


def _attach(owner, upload, checked: CheckedFile, *, kind, title, actor, replaces) -> AttachResult:
    """Store (or link) a file that passed ``check_file`` under rules already checked."""
    name, size, inspection = checked.name, checked.size, checked.inspection
    sha256 = _sha256(upload)
    kabupaten = _kabupaten(owner)

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
        if not updated:  # replaced or removed by someone else since ``replaceable`` looked
            raise UploadRefused("bad_replace", _("Berkas itu sudah dihapus atau sudah diganti."))
    if evidence.activity_id is not None:  # the activity's readiness rows (evidence.rollups)
        refresh_activities([evidence.activity_id])
    return evidence


def _after_attach(evidence: EvidenceFile) -> None:
    if evidence.blob.is_image:
        # Imported here: evidence.tasks imports this module (its sweep task calls it back).
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


# --- The upload service -------------------------------------------------------------------------

STORED, DUPLICATE, ALREADY, REFUSED = "stored", "duplicate", "already", "refused"


def display_name(name) -> str:
    """The uploader's name of a file, safe to show (the pipeline refuses the dangerous ones)."""
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else "\ufffd" for ch in str(name or ""))
    text = text.strip() or _("(tanpa nama)")
    return text if len(text) <= 120 else text[:118] + "…"


@dataclass
class UploadOutcome:
    """What became of one file of an upload.

    ``status``: ``stored`` (a new attachment; ``replaced`` set when it replaces one),
    ``duplicate`` (a new attachment of bytes already stored in the kabupaten: linked, not stored
    again; ``duplicate_of`` is the earlier attachment, ``duplicate_visible`` whether the uploader
    may read it), ``already`` (the same bytes are attached here as that kind already: nothing
    added; ``evidence`` is that attachment) or ``refused`` (``code`` and ``message``).
    ``message`` is the sentence for the uploader, in Indonesian."""

    name: str
    status: str
    message: str
    evidence: EvidenceFile | None = None
    replaced: EvidenceFile | None = None
    duplicate_of: EvidenceFile | None = None
    duplicate_visible: bool = False
    code: str = ""

    @property
    def accepted(self) -> bool:
        return self.status != REFUSED


class UploadsRefused(Exception):
    """An upload refused as a whole, before any file is judged: ``problems`` maps the field
    (``file``, ``kind``, ``title``, ``replaces``) to what is wrong with it."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(" ".join(problems.values()))
        self.problems = problems


def receive_files(
    owner: Owner, uploads: list, *, kind, title: str = "", replaces=None, actor: User | None
) -> list[UploadOutcome]:
    """Attach each of ``uploads`` to ``owner``: the one upload service of the web form and the API.

    ``kind`` is one kind for every file (a string, or a list of one as a repeated form field
    gives it), or a list of one kind per file, in the order of the files: a phone sends an
    activity's undangan, daftar hadir, notulen and foto in one pass (docs/DOMAIN.md, "kegiatan").

    The request's rules first (``UploadsRefused`` with every problem): at least one file, a kind
    the owner takes (with one kind per file, a file whose own kind is missing or not taken is
    refused on its own instead, code ``bad_kind``, so the others still arrive), as many kinds as
    files when more than one is given, a title within the field (refused, never cut),
    ``replaces`` (a file or its id as sent) a current file of this owner and then with a single
    file. A new version without a title keeps the title of the one it replaces. Then each file on
    its own, one outcome each."""
    kinds = [str(value or "").strip() for value in ([kind] if isinstance(kind, str | None) else list(kind))]
    per_file = len(kinds) > 1
    problems: dict[str, str] = {}
    if not uploads:
        problems["file"] = _("Pilih minimal satu berkas untuk diunggah.")
    if per_file and uploads and len(kinds) != len(uploads):
        problems["kind"] = _(
            "Kirim satu jenis bukti untuk semua berkas, atau satu jenis untuk tiap berkas "
            "(%(files)s berkas, %(kinds)s jenis)."
        ) % {"files": len(uploads), "kinds": len(kinds)}
    elif not per_file:
        try:
            check_kind(owner, kinds[0] if kinds else "")
        except UploadRefused as refused:
            problems["kind"] = refused.message
    replaced = None
    if replaces not in (None, ""):
        try:
            replaced = replaceable(owner, replaces)
        except UploadRefused as refused:
            problems["replaces"] = refused.message
        else:
            if len(uploads) > 1:
                problems["replaces"] = _("Satu berkas hanya dapat diganti dengan satu berkas.")
    try:
        title = title_for(title, replaced)
    except UploadRefused as refused:
        problems["title"] = refused.message
    if problems:
        raise UploadsRefused(problems)
    if not per_file:
        kinds = kinds * len(uploads)
    return [
        _receive_one(owner, upload, kind=file_kind, title=title, replaces=replaced, actor=actor)
        for upload, file_kind in zip(uploads, kinds, strict=True)
    ]


def _receive_one(owner: Owner, upload, *, kind: str, title: str, replaces, actor) -> UploadOutcome:
    name = display_name(getattr(upload, "name", ""))
    try:
        check_kind(owner, kind)  # checked for the whole request already, unless one kind per file
        kind_label = str(KIND_LABELS[kind]).lower()
        checked = check_file(upload)
        here = live(owner.files()).filter(blob__sha256=_sha256(upload), blob__state=Blob.State.READY, kind=kind)
        if replaces is not None:
            here = here.exclude(pk=replaces.pk)
        already = here.order_by("uploaded_at", "id").first()
        if already is not None:
            return UploadOutcome(
                name,
                ALREADY,
                _("%(name)s sudah ada di sini sebagai %(kind)s; tidak ditambahkan lagi.")
                % {"name": name, "kind": kind_label},
                evidence=already,
            )
        result = _attach(owner, upload, checked, kind=kind, title=title, actor=actor, replaces=replaces)
    except UploadRefused as refused:
        return UploadOutcome(name, REFUSED, refused.message, code=refused.code)
    if result.stored:
        if replaces is not None:
            message = _("%(name)s menggantikan %(old)s.") % {"name": name, "old": replaces.original_name}
        else:
            message = _("%(name)s tersimpan sebagai %(kind)s.") % {"name": name, "kind": kind_label}
        return UploadOutcome(name, STORED, message, evidence=result.evidence, replaced=replaces)
    earlier = result.duplicate_of
    visible = earlier is not None and actor is not None and files_visible_to(actor).filter(pk=earlier.pk).exists()
    if visible:
        message = _(
            "%(name)s sama persis dengan %(earlier)s yang sudah ada di %(where)s; ditautkan tanpa disimpan ulang."
        ) % {"name": name, "earlier": earlier.original_name, "where": Owner.of(earlier).label}
    else:
        message = _(
            "%(name)s sama persis dengan berkas yang sudah pernah diunggah di kabupaten/kota ini; "
            "ditautkan tanpa disimpan ulang."
        ) % {"name": name}
    return UploadOutcome(
        name,
        DUPLICATE,
        message,
        evidence=result.evidence,
        replaced=replaces,
        duplicate_of=earlier,
        duplicate_visible=visible,
    )


# --- Removing and replacing ---------------------------------------------------------------------


def evidence_remove(*, evidence: EvidenceFile, actor: User) -> EvidenceFile:
    """Soft delete: the file stays (history, dossiers already sealed) but no longer counts."""
    if evidence.deleted_at is None:
        with transaction.atomic():
            evidence.deleted_at = timezone.now()
            evidence.deleted_by = actor
            evidence.save(update_fields=["deleted_at", "deleted_by"])
            if evidence.activity_id is not None:
                refresh_activities([evidence.activity_id])
    return evidence


def history_of(evidence: EvidenceFile) -> list[EvidenceFile]:
    """The attachments this one replaced, newest first (following ``replaced_by`` backwards), in
    one query whatever the depth, as ``histories_of`` (the API's history of a file made one
    query per version; docs/PERFORMANCE.md)."""
    return _chains(_replaced_files(_files_of_owner_of(evidence)), [evidence])[evidence.pk]


def histories_of(owner: Owner, files: list[EvidenceFile]) -> dict[int, list[EvidenceFile]]:
    """``history_of`` of each of ``files`` (the current files of ``owner``), by file id, in one
    query whatever the number of files and the depth of their histories: a file only ever
    replaces a current file of its own owner (``replaceable``), so the owner's replaced files
    hold every chain (docs/PERFORMANCE.md, "Fixed causes")."""
    return _chains(_replaced_files(owner.files()), files)


def _files_of_owner_of(evidence: EvidenceFile):
    """Every attachment of the owner of ``evidence`` (history included), named by the ids on the
    row: the owner itself is not loaded."""
    for owner_kind in OWNER_KINDS:
        if getattr(evidence, f"{owner_kind.name}_id") is not None:
            lookups = {}
            for field in owner_kind.fields:
                column = EvidenceFile._meta.get_field(field).attname
                value = getattr(evidence, column)
                lookups[column if value is not None else f"{column}__isnull"] = value if value is not None else True
            return EvidenceFile.objects.filter(**lookups)
    raise ValueError(f"Evidence file {evidence.pk} has no owner.")


def _replaced_files(files):
    return files.filter(replaced_by__isnull=False).select_related("blob", "uploaded_by")


def _chains(replaced, files: list[EvidenceFile]) -> dict[int, list[EvidenceFile]]:
    """The chain of each of ``files`` back through ``replaced`` (rows replaced by another), by
    file id, newest first."""
    predecessor: dict[int, EvidenceFile] = {}
    for row in replaced.order_by("-uploaded_at", "-id"):  # the order one ``first()`` per step took
        predecessor.setdefault(row.replaced_by_id, row)
    histories = {}
    for evidence in files:
        chain, seen, current = [], {evidence.pk}, evidence
        while (previous := predecessor.get(current.pk)) is not None and previous.pk not in seen:
            chain.append(previous)
            seen.add(previous.pk)
            current = previous
        histories[evidence.pk] = chain
    return histories


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
    preview) and that are not the print copy of a ready blob (``print_copies``). The pending row
    normally names a file being written; when the caller's own transaction rolled that row back
    with it (an upload inside ``transaction.atomic``) and the process died, only this sweep finds
    the file. Returns how many files were deleted."""
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


def _print_copies_of_ready_blobs(names: list[str]) -> set[str]:
    """The names among ``names`` that are the print copy of a ready blob under today's settings (a
    print copy is named by its blob's kabupaten and SHA-256, not by a column of its row:
    ``print_copies``); a copy made under other settings is no longer embedded, and goes."""
    owners = {name: owner for name in names if (owner := print_copy_owner(name)) is not None}
    if not owners:
        return set()
    ready = set(
        Blob.objects.filter(state=Blob.State.READY, sha256__in={sha for _code, sha in owners.values()}).values_list(
            "kabupaten_id", "sha256"
        )
    )
    return {name for name, owner in owners.items() if owner in ready and name == print_copy_name(*owner)}


def _delete_unnamed(names: list[str], cutoff) -> int:
    known = set()
    for row in Blob.objects.filter(Q(file__in=names) | Q(thumbnail__in=names) | Q(preview__in=names)).values_list(
        "file", "thumbnail", "preview"
    ):
        known.update(row)
    known.update(_print_copies_of_ready_blobs(names))
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
