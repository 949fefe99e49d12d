"""Reading stored evidence files chunk by chunk, whatever the storage.

``Storage.open`` is not enough for large files on S3: django-storages' ``S3File`` downloads the
whole object into a ``SpooledTemporaryFile`` whose default ``max_memory_size`` of 0 means "never
roll over to disk", i.e. a 200 MB scan would sit in the web process's memory. So for S3 we read
boto3's streaming body directly (a socket read per chunk); for the filesystem we open the path.
"""

from __future__ import annotations

import os
from typing import BinaryIO

from botocore.exceptions import ClientError
from django.core.files.storage import Storage, default_storage
from storages.backends.s3 import S3Storage
from storages.utils import clean_name, safe_join


def is_s3(storage: Storage | None = None) -> bool:
    storage = storage if storage is not None else default_storage
    # default_storage is a lazy object: isinstance sees through it once it is set up.
    return isinstance(storage, S3Storage)


def local_path(name: str, storage: Storage | None = None) -> str | None:
    """The absolute path of a stored file on this machine, or None (S3 and other remote storages)."""
    storage = storage if storage is not None else default_storage
    try:
        return storage.path(name)
    except NotImplementedError:
        return None


def s3_key(name: str, storage: Storage) -> str:
    """The object key the S3 storage uses for ``name`` (its ``location`` prefix included)."""
    return safe_join(storage.location, clean_name(name))


def open_stream(name: str, storage: Storage | None = None) -> BinaryIO:
    """A binary file object for ``name`` that reads from the storage as it is read.

    Raises ``FileNotFoundError`` when the file is not there. The caller closes it.
    """
    return open_sized_stream(name, storage)[0]


def open_sized_stream(name: str, storage: Storage | None = None) -> tuple[BinaryIO, int]:
    """``open_stream`` and the file's size in bytes, learnt in the same round trip."""
    storage = storage if storage is not None else default_storage
    path = local_path(name, storage)
    if path is not None:
        handle = open(path, "rb")  # noqa: SIM115 - the caller closes it (a FileResponse does)
        return handle, os.fstat(handle.fileno()).st_size
    if is_s3(storage):
        try:
            answer = storage.bucket.Object(s3_key(name, storage)).get()
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise FileNotFoundError(name) from error
            raise
        return answer["Body"], int(answer["ContentLength"])
    handle = storage.open(name, "rb")
    return handle, handle.size
