"""A ZIP archive of stored files, made while it is sent (``zip_stream``).

Evidence of a whole round is hundreds of megabytes: it is never held in memory nor written to a
temporary file. ``zipfile`` writes to any object with ``write``; on a stream that cannot seek it
puts each member's sizes and CRC in a data descriptor after the member, which every unzip tool
reads. Each stored file is read chunk by chunk (``streams.open_stream``: S3 too), and what the
archive wrote so far is handed to the response after every chunk. Members are stored, not
deflated: PDFs and JPEGs do not shrink, and storing costs no CPU.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.core.files.storage import Storage

from .streams import open_stream

CHUNK = 256 * 1024


@dataclass(frozen=True)
class Member:
    """One file of the archive: its path inside it and where its bytes are stored."""

    arcname: str
    name: str
    storage: Storage | None = None


class _Pipe:
    """What ``zipfile`` writes, kept until the generator takes it (no seeking, no reading)."""

    def __init__(self):
        self.parts: list[bytes] = []
        self.position = 0

    def write(self, data) -> int:
        data = bytes(data)
        self.parts.append(data)
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def zip_stream(members: Iterable[Member]) -> Iterator[bytes]:
    """The bytes of a ZIP holding ``members``, yielded as they are made. A member whose file is
    missing from the storage is left out (the archive stays valid)."""
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, mode="w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for member in members:
            try:
                source = open_stream(member.name, member.storage)
            except FileNotFoundError:
                continue
            try:
                with archive.open(member.arcname, mode="w", force_zip64=True) as target:
                    while chunk := source.read(CHUNK):
                        target.write(chunk)
                        yield pipe.take()
            finally:
                source.close()  # a file, or S3's streaming body
            yield pipe.take()
    yield pipe.take()
