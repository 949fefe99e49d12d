"""The upload pipeline (``evidence.uploads``): storing with SHA-256, the same bytes stored once per
kabupaten, replacing with history, soft removal, concurrent identical uploads, and what a process
that dies half-way leaves behind (nothing, once the sweeper has run)."""

from __future__ import annotations

import datetime
import hashlib
import os
import re
import subprocess
import sys
import textwrap
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction

from evidence.models import Activity, Blob, EvidenceFile, FileType
from evidence.selectors import Owner, live
from evidence.tests import hostile
from evidence.uploads import (
    HashedUploadedFile,
    UploadRefused,
    attach_upload,
    evidence_remove,
    history_of,
    sweep_stale_uploads,
)
from forums.models import Body

ROOT = Path(__file__).resolve().parents[2]


def stored_files(media_root: Path) -> list[Path]:
    return sorted(path for path in media_root.rglob("*") if path.is_file())


def attach(owner, data: bytes, name="notulen.pdf", kind="notulen", actor=None, **extra):
    return attach_upload(owner=owner, upload=ContentFile(data, name=name), kind=kind, actor=actor, **extra)


def through_handler(data: bytes, name: str):
    """A ``HashedUploadedFile`` as the upload views get it, and the request to close."""
    body, content_type = hostile.multipart_body({"kind": "notulen"}, [("file", name, data)])
    request = hostile.parse_with_evidence_handler(body, content_type)
    return request, request.FILES["file"]


@pytest.fixture
def owner(activity_carenang):
    return Owner(activity=activity_carenang)


@pytest.fixture
def binuang_activity(wilayah):
    body, _created = Body.objects.get_or_create(kind=Body.Kind.FORUM_KECAMATAN, region=wilayah["binuang"])
    return Activity.objects.create(body=body, title="Rapat forum", date=datetime.date(2024, 6, 3))


@pytest.fixture
def bogor_activity(wilayah):
    body, _created = Body.objects.get_or_create(kind=Body.Kind.FORUM_KABKOTA, region=wilayah["bogor"])
    return Activity.objects.create(body=body, title="Rapat forum kabupaten", date=datetime.date(2024, 6, 3))


# --- Storing ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_file_is_stored_under_a_random_name_with_its_sha256(owner, dewi, media_root):
    data = hostile.pdf()
    result = attach(owner, data, name="Notulen Rapat (final).pdf", actor=dewi, title="  Notulen Mei  ")
    evidence = result.evidence
    blob = evidence.blob
    assert result.stored
    assert result.duplicate_of is None
    assert blob.state == Blob.State.READY
    assert blob.sha256 == hashlib.sha256(data).hexdigest()
    assert blob.size == len(data)
    assert blob.file_type == FileType.PDF
    assert blob.kabupaten.code == "36.04"
    assert blob.created_by == dewi
    assert re.fullmatch(r"bukti/[0-9a-f]{2}/[0-9a-f]{32}\.pdf", blob.file.name)
    assert blob.file.name.split("/")[1] == blob.file.name.split("/")[2][:2]
    assert (media_root / blob.file.name).read_bytes() == data
    assert evidence.original_name == "Notulen Rapat (final).pdf"
    assert evidence.title == "Notulen Mei"
    assert evidence.region.code == "36.04.17.2001"
    assert evidence.uploaded_by == dewi
    assert "Notulen" not in blob.file.name


@pytest.mark.django_db
def test_images_keep_their_size(owner, media_root):
    blob = attach(owner, hostile.jpeg_with_exif(), name="foto.jpeg", kind="foto").evidence.blob
    assert (blob.file_type, blob.width, blob.height) == (FileType.JPEG, 640, 480)
    assert blob.file.name.endswith(".jpg")


@pytest.mark.django_db
def test_the_handler_hashes_while_streaming_and_the_temp_file_is_moved(owner, media_root, upload_temp_dir):
    data = hostile.pdf_big(3 * 1024 * 1024)
    request, upload = through_handler(data, "laporan.pdf")
    try:
        assert isinstance(upload, HashedUploadedFile)
        assert upload.sha256 == hashlib.sha256(data).hexdigest()
        assert Path(upload.temporary_file_path()).parent == upload_temp_dir
        blob = attach_upload(owner=owner, upload=upload, kind="laporan", actor=None).evidence.blob
    finally:
        request.close()
    assert blob.sha256 == hashlib.sha256(data).hexdigest()
    assert (media_root / blob.file.name).read_bytes() == data
    assert list(upload_temp_dir.iterdir()) == []


@pytest.mark.django_db
def test_past_the_limit_the_handler_keeps_nothing(owner, settings, media_root, upload_temp_dir):
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    request, upload = through_handler(hostile.pdf_big(3 * 1024 * 1024), "besar.pdf")
    try:
        assert upload.oversize
        assert upload.sha256 is None
        assert os.path.getsize(upload.temporary_file_path()) == 0  # cut off: nothing more written
        with pytest.raises(UploadRefused) as refused:
            attach_upload(owner=owner, upload=upload, kind="laporan", actor=None)
    finally:
        request.close()
    assert refused.value.code == "too_large"
    assert "besar.pdf lebih besar dari batas 1 MB" in refused.value.message
    assert stored_files(media_root) == []
    assert list(upload_temp_dir.iterdir()) == []


@pytest.mark.django_db
def test_one_bad_file_among_several_does_not_stop_the_others(owner, media_root, upload_temp_dir):
    body, content_type = hostile.multipart_body(
        {"kind": "foto"},
        [("file", "a.jpg", hostile.jpeg()), ("file", "b.jpg", hostile.SVG), ("file", "c.png", hostile.png())],
    )
    request = hostile.parse_with_evidence_handler(body, content_type)
    outcomes = []
    try:
        for upload in request.FILES.getlist("file"):
            try:
                outcomes.append(
                    attach_upload(owner=owner, upload=upload, kind="foto", actor=None).evidence.original_name
                )
            except UploadRefused as refused:
                outcomes.append(refused.code)
    finally:
        request.close()
    assert outcomes == ["a.jpg", "unsupported_type", "c.png"]
    assert len(stored_files(media_root)) == 2


@pytest.mark.django_db
def test_an_unknown_kind_is_refused(owner, media_root):
    with pytest.raises(UploadRefused) as refused:
        attach(owner, hostile.pdf(), kind="rahasia")
    assert refused.value.code == "bad_kind"
    assert stored_files(media_root) == []


# --- The same bytes -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_same_bytes_in_the_kabupaten_are_linked_and_reported(owner, binuang_activity, media_root):
    data = hostile.pdf()
    first = attach(owner, data, name="undangan.pdf", kind="undangan")
    second = attach(Owner(activity=binuang_activity), data, name="undangan-salinan.pdf", kind="undangan")
    assert not second.stored
    assert second.duplicate_of == first.evidence
    assert second.evidence.blob_id == first.evidence.blob_id
    assert second.evidence.original_name == "undangan-salinan.pdf"
    assert second.evidence.activity == binuang_activity
    assert Blob.objects.count() == 1
    assert len(stored_files(media_root)) == 1


@pytest.mark.django_db
def test_the_same_bytes_in_another_kabupaten_are_stored_again(owner, bogor_activity, media_root):
    data = hostile.pdf()
    first = attach(owner, data)
    other = attach(Owner(activity=bogor_activity), data)
    assert other.stored
    assert other.evidence.blob_id != first.evidence.blob_id
    assert {blob.kabupaten.code for blob in Blob.objects.all()} == {"36.04", "32.01"}
    assert {blob.sha256 for blob in Blob.objects.all()} == {hashlib.sha256(data).hexdigest()}
    assert len(stored_files(media_root)) == 2


@pytest.mark.django_db
def test_a_removed_attachment_is_still_named_as_the_earlier_copy(owner, binuang_activity, dewi, media_root):
    data = hostile.pdf()
    first = attach(owner, data)
    evidence_remove(evidence=first.evidence, actor=dewi)
    again = attach(Owner(activity=binuang_activity), data)
    assert again.duplicate_of == first.evidence
    assert len(stored_files(media_root)) == 1


# --- Replacing and removing ---------------------------------------------------------------------


@pytest.mark.django_db
def test_replacing_keeps_the_history(owner, dewi, media_root):
    first = attach(owner, hostile.pdf(content=b"BT (versi 1) Tj ET"), name="v1.pdf", actor=dewi).evidence
    second = attach(owner, hostile.pdf(content=b"BT (versi 2) Tj ET"), name="v2.pdf", actor=dewi, replaces=first)
    third = attach(
        owner, hostile.pdf(content=b"BT (versi 3) Tj ET"), name="v3.pdf", actor=dewi, replaces=second.evidence
    )
    first.refresh_from_db()
    assert first.replaced_by == second.evidence
    assert first.replaced_at is not None
    assert not first.is_current
    assert history_of(third.evidence) == [second.evidence, first]
    assert history_of(first) == []
    assert list(live(owner.files())) == [third.evidence]
    assert owner.files().count() == 3
    # Every version's file is kept.
    assert len(stored_files(media_root)) == 3


@pytest.mark.django_db
def test_a_refused_replacement_leaves_the_current_file_current(owner, media_root):
    current = attach(owner, hostile.pdf(), name="notulen.pdf").evidence
    with pytest.raises(UploadRefused) as refused:
        attach(owner, hostile.pdf_encrypted(""), name="notulen-baru.pdf", replaces=current)
    assert refused.value.code == "encrypted"
    current.refresh_from_db()
    assert current.is_current
    assert list(live(owner.files())) == [current]
    assert Blob.objects.count() == 1
    assert len(stored_files(media_root)) == 1


@pytest.mark.django_db
def test_only_a_current_file_of_the_same_owner_can_be_replaced(owner, binuang_activity, dewi, media_root):
    current = attach(owner, hostile.pdf(), name="a.pdf").evidence
    elsewhere = attach(Owner(activity=binuang_activity), hostile.jpeg(), name="b.jpg", kind="foto").evidence
    with pytest.raises(UploadRefused) as refused:
        attach(owner, hostile.png(), name="c.png", kind="foto", replaces=elsewhere)
    assert refused.value.code == "bad_replace"
    evidence_remove(evidence=current, actor=dewi)
    with pytest.raises(UploadRefused) as refused:
        attach(owner, hostile.png(), name="c.png", kind="foto", replaces=current)
    assert refused.value.code == "bad_replace"
    assert "sudah dihapus" in refused.value.message
    assert Blob.objects.count() == 2


@pytest.mark.django_db
def test_removing_is_a_soft_delete_with_who_and_when(owner, dewi, sari, media_root):
    evidence = attach(owner, hostile.pdf()).evidence
    evidence_remove(evidence=evidence, actor=dewi)
    evidence_remove(evidence=evidence, actor=sari)  # a second removal changes nothing
    evidence.refresh_from_db()
    assert evidence.deleted_by == dewi
    assert evidence.deleted_at is not None
    assert not evidence.is_current
    assert list(live(owner.files())) == []
    assert EvidenceFile.objects.filter(pk=evidence.pk).exists()
    assert (media_root / evidence.blob.file.name).exists()


# --- Concurrency (PostgreSQL) -------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_identical_uploads_store_the_bytes_once(wilayah, media_root):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serialises them)")
    carenang = Activity.objects.create(
        body=Body.objects.create(kind=Body.Kind.POKJA_DESA, region=wilayah["desa_carenang"]),
        title="Kerja bakti",
        date=datetime.date(2024, 5, 1),
    )
    binuang = Activity.objects.create(
        body=Body.objects.create(kind=Body.Kind.FORUM_KECAMATAN, region=wilayah["binuang"]),
        title="Rapat",
        date=datetime.date(2024, 5, 2),
    )
    for round_number in range(4):
        data = hostile.pdf(content=b"BT (putaran %d) Tj ET" % round_number)
        barrier = threading.Barrier(2)
        results, errors = [], []

        def upload(activity, data=data, barrier=barrier, results=results, errors=errors):
            from django.db import connections

            try:
                barrier.wait()
                results.append(attach(Owner(activity=activity), data, kind="undangan"))
            except Exception as exc:  # reported below
                errors.append(exc)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=upload, args=(activity,)) for activity in (carenang, binuang)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert sorted(result.stored for result in results) == [False, True]
        sha = hashlib.sha256(data).hexdigest()
        assert Blob.objects.filter(sha256=sha).count() == 1
        assert Blob.objects.get(sha256=sha).state == Blob.State.READY
        assert EvidenceFile.objects.filter(blob__sha256=sha).count() == 2
    assert len(stored_files(media_root)) == 4
    assert not Blob.objects.filter(state=Blob.State.PENDING).exists()


# --- A process dying half-way -------------------------------------------------------------------

CRASH_SCRIPT = textwrap.dedent(
    """
    import sys

    import django

    django.setup()
    from evidence.models import Activity
    from evidence.selectors import Owner
    from evidence.tests.hostile import multipart_body, parse_with_evidence_handler, pdf
    from evidence.uploads import attach_upload

    body, content_type = multipart_body({}, [("file", "notulen.pdf", pdf())])
    request = parse_with_evidence_handler(body, content_type)
    owner = Owner(activity=Activity.objects.get(pk=int(sys.argv[1])))
    attach_upload(owner=owner, upload=request.FILES["file"], kind="notulen", actor=None)
    print("survived")
    """
)


def subprocess_env(media_root: Path, upload_temp_dir: Path, **extra) -> dict:
    """The environment of a child process that works on this test's database and folders."""
    db = connection.settings_dict
    env = {key: value for key, value in os.environ.items() if not key.startswith("S3_")}
    if db["ENGINE"].endswith("sqlite3"):
        env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    else:
        user = db.get("USER") or ""
        auth = f"{user}:{db.get('PASSWORD')}@" if db.get("PASSWORD") else (f"{user}@" if user else "")
        env["DATABASE_URL"] = f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
    env.update(
        DJANGO_SETTINGS_MODULE="kks_portal.settings",
        MEDIA_ROOT=str(media_root),
        FILE_UPLOAD_TEMP_DIR=str(upload_temp_dir),
        **extra,
    )
    return env


def run_until_death(where: str, activity, media_root, upload_temp_dir) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", CRASH_SCRIPT, str(activity.pk)],
        cwd=ROOT,
        env=subprocess_env(media_root, upload_temp_dir, KKS_TEST_DIE_AT=where),
        capture_output=True,
        text=True,
        timeout=120,
    )


def assert_consistent() -> None:
    """No file without its row, no ready row without its file."""
    for blob in Blob.objects.all():
        assert default_storage.exists(blob.file.name), blob


@pytest.mark.django_db(transaction=True)
def test_a_process_dying_before_the_file_is_stored(activity_carenang, media_root, upload_temp_dir):
    died = run_until_death("before_store", activity_carenang, media_root, upload_temp_dir)
    assert died.returncode == 70, died.stderr
    assert "survived" not in died.stdout
    # What the dead process left: its intent (a pending row), no stored file, the streamed temp file.
    assert list(Blob.objects.values_list("state", flat=True)) == [Blob.State.PENDING]
    assert not EvidenceFile.objects.exists()
    assert stored_files(media_root) == []
    assert [path.name.split(".upload")[1] for path in upload_temp_dir.iterdir()] == [".pdf"]

    assert sweep_stale_uploads() == 0  # too young for the hourly sweep
    assert sweep_stale_uploads(older_than=timedelta(0)) == 1
    assert not Blob.objects.exists()
    assert stored_files(media_root) == []
    assert list(upload_temp_dir.iterdir()) == []
    assert_consistent()


@pytest.mark.django_db(transaction=True)
def test_a_process_dying_after_the_file_is_stored(activity_carenang, media_root, upload_temp_dir):
    died = run_until_death("after_store", activity_carenang, media_root, upload_temp_dir)
    assert died.returncode == 70, died.stderr
    blob = Blob.objects.get()
    assert blob.state == Blob.State.PENDING
    assert not EvidenceFile.objects.exists()
    # The file is there, named by the pending row (and moved, not copied, from the temp folder).
    assert stored_files(media_root) == [media_root / blob.file.name]
    assert list(upload_temp_dir.iterdir()) == []

    assert sweep_stale_uploads(older_than=timedelta(0)) == 1
    assert not Blob.objects.exists()
    assert stored_files(media_root) == []
    assert_consistent()
    # The portal goes on: the same upload, done again, is stored normally.
    again = attach(Owner(activity=activity_carenang), hostile.pdf())
    assert again.stored
    assert_consistent()


@pytest.mark.django_db(transaction=True)
def test_a_process_that_does_not_die_stores_normally(activity_carenang, media_root, upload_temp_dir):
    """The crash script itself works (so the two tests above test the crash, not a broken script)."""
    lived = subprocess.run(
        [sys.executable, "-c", CRASH_SCRIPT, str(activity_carenang.pk)],
        cwd=ROOT,
        env=subprocess_env(media_root, upload_temp_dir),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert lived.returncode == 0, lived.stderr
    assert "survived" in lived.stdout
    blob = Blob.objects.get()
    assert blob.state == Blob.State.READY
    assert EvidenceFile.objects.get().blob == blob
    assert stored_files(media_root) == [media_root / blob.file.name]
    assert sweep_stale_uploads(older_than=timedelta(0)) == 0
    assert stored_files(media_root) == [media_root / blob.file.name]


# --- The sweeper --------------------------------------------------------------------------------


def _age(path: Path, minutes: int) -> None:
    then = time.time() - minutes * 60
    os.utime(path, (then, then))


@pytest.mark.django_db
def test_the_sweeper_removes_stale_temp_uploads_only(settings, upload_temp_dir, media_root):
    settings.EVIDENCE_STALE_UPLOAD_MINUTES = 60
    stale = upload_temp_dir / "tmpa1b2c3.upload.pdf"
    fresh = upload_temp_dir / "tmpd4e5f6.upload.jpg"
    unrelated = upload_temp_dir / "catatan.txt"
    for path in (stale, fresh, unrelated):
        path.write_bytes(b"sisa unggahan")
    _age(stale, 120)
    _age(unrelated, 120)
    sweep_stale_uploads()
    assert not stale.exists()
    assert fresh.exists()
    assert unrelated.exists()


@pytest.mark.django_db
def test_the_sweeper_removes_old_pending_blobs_but_not_young_ones(owner, settings, media_root):
    settings.EVIDENCE_STALE_UPLOAD_MINUTES = 60
    kept = attach(owner, hostile.pdf()).evidence.blob
    young = Blob.objects.create(
        kabupaten=kept.kabupaten, sha256="a" * 64, size=1, file_type="pdf", file="bukti/aa/x.pdf"
    )
    old = Blob.objects.create(kabupaten=kept.kabupaten, sha256="b" * 64, size=1, file_type="pdf", file="bukti/bb/y.pdf")
    default_storage.save(old.file.name, ContentFile(b"setengah"))
    Blob.objects.filter(pk=old.pk).update(created_at=old.created_at - timedelta(hours=2))
    assert sweep_stale_uploads() == 1
    assert set(Blob.objects.values_list("pk", flat=True)) == {kept.pk, young.pk}
    assert not default_storage.exists("bukti/bb/y.pdf")
    assert default_storage.exists(kept.file.name)


@pytest.mark.django_db
def test_a_file_whose_intent_was_rolled_back_is_swept(owner, media_root):
    """An upload inside the caller's transaction that is then rolled back takes its pending row
    with it; the file stays until the sweeper (which compares files with rows) removes it."""

    class Abort(Exception):
        pass

    try:
        with transaction.atomic():
            attach(owner, hostile.pdf())
            raise Abort
    except Abort:
        pass
    assert not Blob.objects.exists()
    [orphan] = stored_files(media_root)
    kept = attach(owner, hostile.pdf(content=b"BT (lain) Tj ET")).evidence.blob
    assert sweep_stale_uploads() == 0
    assert orphan.exists()  # young: perhaps still being written
    sweep_stale_uploads(older_than=timedelta(0))
    assert not orphan.exists()
    assert stored_files(media_root) == [media_root / kept.file.name]
