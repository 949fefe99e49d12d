"""The production storage, S3 through django-storages, against a real S3-compatible HTTP server.

moto's server (``moto_server``, from PyPI) runs as a separate process for the session; every
test gets a bucket of its own and the default storage is switched to ``S3Storage`` pointing at
it. Django's ``setting_changed`` handler for ``STORAGES`` empties ``storages._storages`` and
resets the lazy ``default_storage``, so the code under test really writes to the bucket.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import socket
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

import boto3
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from evidence.models import Blob, EvidenceFile, random_storage_name
from evidence.photos import process_blob
from evidence.print_copies import print_copy_name
from evidence.selectors import Owner
from evidence.tests.blobs import attach, photo_bytes, store_blob
from evidence.uploads import _discard, attach_upload, sweep_stale_uploads
from forums.models import Body
from kks_portal.lib.files.errors import UploadRefused
from kks_portal.lib.files.streams import is_s3

ROOT = Path(__file__).resolve().parents[2]
ACCESS_KEY = "kks-uji"
SECRET_KEY = "kks-uji-rahasia"
REGION = "us-east-1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """A moto S3 server process on a free port; yields its endpoint URL."""
    port = _free_port()
    executable = Path(sys.executable).with_name("moto_server")
    command = [str(executable)] if executable.exists() else [sys.executable, "-m", "moto.server"]
    log = open(tmp_path_factory.mktemp("moto") / "moto.log", "w+")  # noqa: SIM115 - lives as long as the server
    process = subprocess.Popen([*command, "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=subprocess.STDOUT)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"moto_server exited:\n{log.read()}")
            try:
                with urlopen(endpoint + "/", timeout=1):
                    break
            except URLError:
                if time.monotonic() > deadline:
                    raise RuntimeError("moto_server did not answer within 30 s") from None
                time.sleep(0.1)
            except OSError:
                time.sleep(0.1)
        yield endpoint
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture
def s3_client(s3_server):
    return boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name=REGION,
    )


@pytest.fixture
def bucket(s3_client, s3_server, settings, tmp_path):
    """A fresh bucket, made the default storage (as the production profile configures it)."""
    name = f"kks-uji-{uuid.uuid4().hex[:12]}"
    s3_client.create_bucket(Bucket=name)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": name,
                "endpoint_url": s3_server,
                "access_key": ACCESS_KEY,
                "secret_key": SECRET_KEY,
                "region_name": REGION,
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
    }
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    assert is_s3(default_storage), "default_storage was not rebuilt from the overridden STORAGES"
    return name


def keys(s3_client, bucket) -> list[str]:
    answer = s3_client.list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in answer.get("Contents", []))


def read_object(s3_client, bucket, key) -> bytes:
    return s3_client.get_object(Bucket=bucket, Key=key)["Body"].read()


@pytest.fixture
def carenang_forum(wilayah):
    body, _ = Body.objects.get_or_create(kind=Body.Kind.FORUM_KECAMATAN, region=wilayah["carenang"])
    return body


def upload_of(data: bytes, name: str, content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


# --- Storing, reading, processing -----------------------------------------------------------------


def test_an_upload_is_stored_as_one_private_object_under_bukti(s3_client, bucket, carenang_forum, sari):
    data = photo_bytes((640, 480), gps=(-6.08, 106.32))

    result = attach_upload(
        owner=Owner(body=carenang_forum), upload=upload_of(data, "foto sekretariat.jpg"), kind="foto", actor=sari
    )

    blob = result.evidence.blob
    assert blob.state == Blob.State.READY
    assert keys(s3_client, bucket) == [blob.file.name]
    assert blob.file.name.startswith("bukti/")
    assert "sekretariat" not in blob.file.name  # random names, never the uploader's
    assert read_object(s3_client, bucket, blob.file.name) == data
    assert hashlib.sha256(data).hexdigest() == blob.sha256
    grants = s3_client.get_object_acl(Bucket=bucket, Key=blob.file.name)["Grants"]
    assert all("AllUsers" not in json.dumps(grant) for grant in grants)


def test_the_same_bytes_again_add_no_object(s3_client, bucket, carenang_forum, sari):
    data = photo_bytes((320, 240))
    first = attach_upload(owner=Owner(body=carenang_forum), upload=upload_of(data, "a.jpg"), kind="foto", actor=sari)

    again = attach_upload(owner=Owner(body=carenang_forum), upload=upload_of(data, "b.jpg"), kind="foto", actor=sari)

    assert again.duplicate_of == first.evidence
    assert keys(s3_client, bucket) == [first.evidence.blob.file.name]


def test_a_refused_upload_leaves_no_object_and_no_row(s3_client, bucket, carenang_forum, sari):
    html = b"<html><script>alert(1)</script></html>"

    with pytest.raises(UploadRefused):
        attach_upload(owner=Owner(body=carenang_forum), upload=upload_of(html, "foto.jpg"), kind="foto", actor=sari)

    assert keys(s3_client, bucket) == []
    assert not Blob.objects.exists()
    assert not EvidenceFile.objects.exists()


def test_discard_removes_a_pending_blobs_object(s3_client, bucket, wilayah):
    name = default_storage.save(random_storage_name("bukti", "jpg"), io.BytesIO(b"half an upload"))
    blob = Blob.objects.create(kabupaten=wilayah["serang"], sha256="0" * 64, size=14, file_type="jpeg", file=name)
    assert keys(s3_client, bucket) == [name]

    _discard(blob)

    assert keys(s3_client, bucket) == []
    assert not Blob.objects.filter(pk=blob.pk).exists()


def test_the_sweep_removes_what_a_dead_upload_left_in_the_bucket(s3_client, bucket, wilayah):
    stale = Blob.objects.create(
        kabupaten=wilayah["serang"], sha256="1" * 64, size=5, file_type="jpeg", file=random_storage_name("bukti", "jpg")
    )
    default_storage.save(stale.file.name, io.BytesIO(b"stale"))
    Blob.objects.filter(pk=stale.pk).update(created_at=stale.created_at - datetime.timedelta(hours=3))
    fresh = store_blob(wilayah["serang"], photo_bytes((10, 10)))

    assert sweep_stale_uploads() == 1

    assert keys(s3_client, bucket) == [fresh.file.name]
    assert not Blob.objects.filter(pk=stale.pk).exists()


def test_the_download_view_streams_the_object_back(client, rina, s3_client, bucket, carenang_forum, settings):
    data = os.urandom(3 * 1024 * 1024 + 17)
    blob = store_blob(carenang_forum.region.code, data)
    evidence = attach(blob, Owner(body=carenang_forum), name="besar.jpg")
    settings.DOWNLOAD_ACCEL = "nginx"  # needs local files: with S3 Django streams anyway
    client.force_login(rina)

    response = client.get(reverse("evidence:file_download", kwargs={"pk": evidence.pk}))

    assert response.status_code == 200
    assert response.streaming
    assert "X-Accel-Redirect" not in response
    assert response["Content-Length"] == str(len(data))
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == data


def test_a_missing_object_is_a_404(client, rina, s3_client, bucket, carenang_forum):
    blob = store_blob(carenang_forum.region.code, b"gone soon")
    evidence = attach(blob, Owner(body=carenang_forum))
    s3_client.delete_object(Bucket=bucket, Key=blob.file.name)
    client.force_login(rina)

    assert client.get(reverse("evidence:file_download", kwargs={"pk": evidence.pk})).status_code == 404


def test_photo_processing_reads_and_writes_the_bucket(client, rina, s3_client, bucket, carenang_forum):
    data = photo_bytes((2000, 1500), orientation=6, gps=(-6.08, 106.32))
    blob = store_blob(carenang_forum.region.code, data)
    evidence = attach(blob, Owner(body=carenang_forum))

    assert process_blob(blob.pk) == "processed"

    blob.refresh_from_db()
    printed = print_copy_name(blob.kabupaten_id, blob.sha256)  # the dossier's, made at upload
    assert keys(s3_client, bucket) == sorted([blob.file.name, blob.thumbnail.name, blob.preview.name, printed])
    assert blob.thumbnail.name.startswith("bukti-turunan/")
    assert read_object(s3_client, bucket, blob.file.name) == data
    preview = Image.open(io.BytesIO(read_object(s3_client, bucket, blob.preview.name)))
    assert preview.size == (1200, 1600)
    assert Image.open(io.BytesIO(read_object(s3_client, bucket, printed))).size == (600, 800)
    assert process_blob(blob.pk) == "flags-refreshed"
    assert len(keys(s3_client, bucket)) == 4
    client.force_login(rina)
    thumbnail = client.get(reverse("evidence:file_thumbnail", kwargs={"pk": evidence.pk}))
    assert b"".join(thumbnail.streaming_content) == read_object(s3_client, bucket, blob.thumbnail.name)


# --- A process dying mid-upload -------------------------------------------------------------------


def _database_url(db: dict) -> str:
    """The test database as a URL for a child process (SQLite file or PostgreSQL)."""
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or ""
    auth = f"{user}:{db['PASSWORD']}@" if db.get("PASSWORD") else (f"{user}@" if user else "")
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_a_process_dying_after_the_write_leaves_an_object_the_sweep_removes(
    s3_server, s3_client, bucket, carenang_forum, tmp_path
):
    """``attach_upload`` runs in a child process that dies right after the bytes reached the
    bucket (before the blob is marked ready): the pending row and the object are what a dead
    web worker leaves, and the sweep removes both."""
    from django.db import connection

    script = textwrap.dedent(
        f"""
        import django
        django.setup()
        from django.core.files.uploadedfile import SimpleUploadedFile
        from evidence.selectors import Owner
        from evidence.tests.blobs import photo_bytes
        from evidence.uploads import attach_upload
        from forums.models import Body

        body = Body.objects.get(pk={carenang_forum.pk})
        upload = SimpleUploadedFile("foto.jpg", photo_bytes((300, 200)), content_type="image/jpeg")
        attach_upload(owner=Owner(body=body), upload=upload, kind="foto", actor=None)
        """
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kks_portal.settings",
        "DATABASE_URL": _database_url(connection.settings_dict),
        "S3_BUCKET_NAME": bucket,
        "S3_ENDPOINT_URL": s3_server,
        "S3_ACCESS_KEY_ID": ACCESS_KEY,
        "S3_SECRET_ACCESS_KEY": SECRET_KEY,
        "S3_REGION": REGION,
        "FILE_UPLOAD_TEMP_DIR": str(tmp_path),
        "KKS_TEST_DIE_AT": "after_store",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)

    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )

    assert result.returncode == 70, result.stderr
    pending = Blob.objects.get()
    assert pending.state == Blob.State.PENDING
    assert keys(s3_client, bucket) == [pending.file.name]
    assert not EvidenceFile.objects.exists()

    assert sweep_stale_uploads(older_than=datetime.timedelta(0)) == 1

    assert keys(s3_client, bucket) == []
    assert not Blob.objects.exists()


# --- The production profile -----------------------------------------------------------------------


def test_the_production_profile_writes_and_reads_through_s3(s3_server, s3_client, tmp_path):
    """With KKS_ENV=production and the S3 variables, the default storage is an ``S3Storage``
    that really talks to the server (private objects, no overwriting)."""
    from kks_portal.tests.test_settings import production_env, run_python

    bucket = f"kks-prod-{uuid.uuid4().hex[:12]}"
    s3_client.create_bucket(Bucket=bucket)
    env = {
        **production_env(),
        "S3_BUCKET_NAME": bucket,
        "S3_ENDPOINT_URL": s3_server,
        "S3_ACCESS_KEY_ID": ACCESS_KEY,
        "S3_SECRET_ACCESS_KEY": SECRET_KEY,
        "S3_REGION": REGION,
    }
    code = textwrap.dedent(
        """
        import io, json
        import django
        django.setup()
        from django.core.files.storage import default_storage
        first = default_storage.save("bukti/ab/uji.txt", io.BytesIO(b"isi pertama"))
        second = default_storage.save("bukti/ab/uji.txt", io.BytesIO(b"isi kedua"))
        with default_storage.open(first, "rb") as handle:
            content = handle.read().decode()
        print(json.dumps({
            "storage": f"{type(default_storage._wrapped).__module__}.{type(default_storage._wrapped).__name__}",
            "names": [first, second],
            "content": content,
            "acl": default_storage.default_acl,
            "signed": "Signature" in default_storage.url(first) or "X-Amz-Signature" in default_storage.url(first),
        }))
        """
    )

    result = run_python(["-c", code], env, tmp_path)

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["storage"] == "storages.backends.s3.S3Storage"
    assert values["names"][0] == "bukti/ab/uji.txt"
    assert values["names"][1] != values["names"][0]  # file_overwrite off: a second name
    assert values["content"] == "isi pertama"
    assert values["acl"] == "private"
    assert values["signed"] is True
    assert keys(s3_client, bucket) == sorted(values["names"])
