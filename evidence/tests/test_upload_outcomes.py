"""One table of upload cases, each sent through both upload paths: the web page's upload view
(the widget's request, answered in JSON) and the API. Both go through the one upload service
(``evidence.uploads.receive_files``), so each row must end the same way on both: the same status
per file (or the same refusal of the whole request, with the same message) and the same files in
the database.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter

from evidence.models import Activity, Blob, EvidenceFile
from evidence.selectors import OWNER_FIELDS, OWNER_KINDS, Owner
from evidence.tests.hostile import EXE
from evidence.uploads import attach_upload

pytestmark = pytest.mark.django_db


def pdf_bytes(marker: str) -> bytes:
    """A one-page PDF; ``marker`` makes its bytes differ."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": f"Bukti {marker}"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


A, B, C = pdf_bytes("A"), pdf_bytes("B"), pdf_bytes("C")


@dataclass
class World:
    """Dewi's activity (where every case uploads), another activity of her Pokja, and the files
    a case put there beforehand (by name)."""

    activity: Activity
    other: Activity
    dewi: object
    files: dict[str, EvidenceFile] = field(default_factory=dict)

    def attach(self, name: str, content: bytes, *, kind="notulen", title="", on=None) -> EvidenceFile:
        owner = Owner(activity=on or self.activity)
        made = attach_upload(
            owner=owner, upload=SimpleUploadedFile(name, content), kind=kind, actor=self.dewi, title=title
        ).evidence
        self.files[name] = made
        return made


@dataclass(frozen=True)
class Case:
    id: str
    files: list[tuple[str, bytes]]
    # The form fields besides the files; a callable gets the world (to name a file set up before).
    fields: Callable[[World], dict] = lambda world: {}
    setup: Callable[[World], None] = lambda world: None
    # Per file "stored", "duplicate", "already" or "refused"; or the whole request refused:
    # ("invalid", field, a part of the message).
    outcome: tuple = ()
    code: str = ""  # the refusal code of a refused file
    # What the activity then has: (original name, kind, title, current?) for each file.
    database: set = frozenset()


def _existing(world):
    world.attach("notulen-draf.pdf", A, title="Notulen rapat Maret")


CASES = [
    Case(
        "new file stored",
        files=[("notulen.pdf", A)],
        fields=lambda world: {"kind": "notulen", "title": "Notulen rapat"},
        outcome=("stored",),
        database={("notulen.pdf", "notulen", "Notulen rapat", True)},
    ),
    Case(
        "same bytes again: already attached, not linked twice",
        files=[("salinan.pdf", A)],
        setup=_existing,
        fields=lambda world: {"kind": "notulen"},
        outcome=("already",),
        database={("notulen-draf.pdf", "notulen", "Notulen rapat Maret", True)},
    ),
    Case(
        "same bytes twice in one request",
        files=[("satu.pdf", B), ("dua.pdf", B)],
        fields=lambda world: {"kind": "notulen"},
        outcome=("stored", "already"),
        database={("satu.pdf", "notulen", "", True)},
    ),
    Case(
        "same bytes as another kind are a new attachment (one scan, two documents)",
        files=[("undangan.pdf", A)],
        setup=_existing,
        fields=lambda world: {"kind": "undangan"},
        outcome=("duplicate",),
        database={
            ("notulen-draf.pdf", "notulen", "Notulen rapat Maret", True),
            ("undangan.pdf", "undangan", "", True),
        },
    ),
    Case(
        "same bytes on another owner of the kabupaten: linked",
        files=[("salinan.pdf", C)],
        setup=lambda world: world.attach("lain.pdf", C, on=world.other),
        fields=lambda world: {"kind": "notulen"},
        outcome=("duplicate",),
        database={("salinan.pdf", "notulen", "", True)},
    ),
    Case(
        "replace keeping the title",
        files=[("notulen-final.pdf", B)],
        setup=_existing,
        fields=lambda world: {"kind": "notulen", "replaces": world.files["notulen-draf.pdf"].pk},
        outcome=("stored",),
        database={
            ("notulen-draf.pdf", "notulen", "Notulen rapat Maret", False),
            ("notulen-final.pdf", "notulen", "Notulen rapat Maret", True),
        },
    ),
    Case(
        "replace with a new title",
        files=[("notulen-final.pdf", B)],
        setup=_existing,
        fields=lambda world: {
            "kind": "notulen",
            "title": "Notulen rapat Maret (final)",
            "replaces": world.files["notulen-draf.pdf"].pk,
        },
        outcome=("stored",),
        database={
            ("notulen-draf.pdf", "notulen", "Notulen rapat Maret", False),
            ("notulen-final.pdf", "notulen", "Notulen rapat Maret (final)", True),
        },
    ),
    Case(
        "title too long: refused, not cut",
        files=[("notulen.pdf", A)],
        fields=lambda world: {"kind": "notulen", "title": "x" * 301},
        outcome=("invalid", "title", "Keterangan paling panjang 300 karakter"),
    ),
    Case(
        "a title of exactly 300 characters is kept whole",
        files=[("notulen.pdf", A)],
        fields=lambda world: {"kind": "notulen", "title": "x" * 300},
        outcome=("stored",),
        database={("notulen.pdf", "notulen", "x" * 300, True)},
    ),
    Case(
        "a kind the owner does not take (an SK on an activity)",
        files=[("sk.pdf", A)],
        fields=lambda world: {"kind": "sk"},
        outcome=("invalid", "kind", "Pilih jenis bukti yang diterima di sini"),
    ),
    Case(
        "an unknown kind",
        files=[("x.pdf", A)],
        fields=lambda world: {"kind": "rahasia"},
        outcome=("invalid", "kind", "Pilih jenis bukti yang diterima di sini"),
    ),
    Case(
        "a program renamed .pdf",
        files=[("laporan.pdf", EXE)],
        fields=lambda world: {"kind": "laporan"},
        outcome=("refused",),
        code="unsupported_type",
    ),
    Case(
        "one good file beside a refused one",
        files=[("laporan.pdf", EXE), ("notulen.pdf", A)],
        fields=lambda world: {"kind": "notulen"},
        outcome=("refused", "stored"),
        code="unsupported_type",
        database={("notulen.pdf", "notulen", "", True)},
    ),
    Case(
        "several files with replaces",
        files=[("a.pdf", B), ("b.pdf", C)],
        setup=_existing,
        fields=lambda world: {"kind": "notulen", "replaces": world.files["notulen-draf.pdf"].pk},
        outcome=("invalid", "replaces", "Satu berkas hanya dapat diganti dengan satu berkas"),
        database={("notulen-draf.pdf", "notulen", "Notulen rapat Maret", True)},
    ),
    Case(
        "replace of another owner's file",
        files=[("notulen-final.pdf", B)],
        setup=lambda world: world.attach("lain.pdf", C, on=world.other),
        fields=lambda world: {"kind": "notulen", "replaces": world.files["lain.pdf"].pk},
        outcome=("invalid", "replaces", "tidak ditemukan di sini"),
    ),
    Case(
        "replace of a file already replaced",
        files=[("notulen-3.pdf", C)],
        setup=lambda world: (
            _existing(world),
            world.files.update(
                v2=attach_upload(
                    owner=Owner(activity=world.activity),
                    upload=SimpleUploadedFile("notulen-2.pdf", B),
                    kind="notulen",
                    actor=world.dewi,
                    replaces=world.files["notulen-draf.pdf"],
                ).evidence
            ),
        ),
        fields=lambda world: {"kind": "notulen", "replaces": world.files["notulen-draf.pdf"].pk},
        outcome=("invalid", "replaces", "sudah dihapus atau sudah diganti"),
        database={
            ("notulen-draf.pdf", "notulen", "Notulen rapat Maret", False),
            ("notulen-2.pdf", "notulen", "Notulen rapat Maret", True),
        },
    ),
    Case(
        "replaces that is no id",
        files=[("notulen.pdf", A)],
        fields=lambda world: {"kind": "notulen", "replaces": "abc"},
        outcome=("invalid", "replaces", "tidak ditemukan di sini"),
    ),
    Case(
        "an empty file",
        files=[("kosong.pdf", b"")],
        fields=lambda world: {"kind": "notulen"},
        outcome=("refused",),
        code="empty",
    ),
    Case(
        "one kind per file: an activity's papers in one request",
        files=[("undangan.pdf", A), ("absen.pdf", B), ("notulen.pdf", C)],
        fields=lambda world: {"kind": ["undangan", "daftar_hadir", "notulen"]},
        outcome=("stored", "stored", "stored"),
        database={
            ("undangan.pdf", "undangan", "", True),
            ("absen.pdf", "daftar_hadir", "", True),
            ("notulen.pdf", "notulen", "", True),
        },
    ),
    Case(
        "one kind per file: a file without its kind or with one not taken is refused on its own",
        files=[("undangan.pdf", A), ("scan.pdf", B), ("sk.pdf", C)],
        fields=lambda world: {"kind": ["undangan", "", "sk"]},
        outcome=("stored", "refused", "refused"),
        code="bad_kind",
        database={("undangan.pdf", "undangan", "", True)},
    ),
    Case(
        "fewer kinds than files, more than one",
        files=[("a.pdf", A), ("b.pdf", B), ("c.pdf", C)],
        fields=lambda world: {"kind": ["undangan", "notulen"]},
        outcome=("invalid", "kind", "satu jenis untuk tiap berkas (3 berkas, 2 jenis)"),
    ),
    Case(
        "no file at all",
        files=[],
        fields=lambda world: {"kind": "notulen"},
        outcome=("invalid", "file", "Pilih minimal satu berkas"),
    ),
]


@dataclass
class Answer:
    http: int
    statuses: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    invalid: tuple[str, str] | None = None  # (field or "", message)


def via_web(client, world: World, files, fields) -> Answer:
    """The upload page's request (what its widget sends), answered in JSON."""
    data = {"files": [SimpleUploadedFile(name, content) for name, content in files], **fields}
    response = client.post(
        reverse("evidence:activity_upload", args=[world.activity.pk]), data, HTTP_ACCEPT="application/json"
    )
    body = response.json()
    if response.status_code == 400 and not body["files"]:
        return Answer(400, invalid=("", body["message"]))
    rows = body["files"]
    return Answer(
        response.status_code,
        statuses=tuple(row["status"] for row in rows),
        codes=tuple(row.get("code", "") for row in rows),
    )


def via_api(client, world: World, files, fields) -> Answer:
    data = {"file": [SimpleUploadedFile(name, content) for name, content in files], **fields}
    response = client.post(f"/api/activities/{world.activity.pk}/files/", data)
    body = response.json()
    if response.status_code == 400 and body["error"]["code"] == "invalid":
        [(name, [message])] = body["error"]["fields"].items()
        return Answer(400, invalid=(name, message))
    results = body["results"]
    return Answer(
        response.status_code,
        statuses=tuple(row["status"] for row in results),
        codes=tuple(row.get("code", "") for row in results),
    )


PATHS = {"web": via_web, "api": via_api}
# What each path answers when every file was accepted, some were, none was.
HTTP = {"web": (200, 200, 400), "api": (201, 200, 400)}


@pytest.fixture
def world(dewi, pokja_carenang, activity_carenang, media_root, upload_temp_dir) -> World:
    other = Activity.objects.create(body=pokja_carenang, title="Rapat lain", date=datetime.date(2024, 6, 1))
    return World(activity=activity_carenang, other=other, dewi=dewi)


def _database(activity: Activity) -> set:
    return {
        (evidence.original_name, evidence.kind, evidence.title, evidence.is_current)
        for evidence in EvidenceFile.objects.filter(activity=activity)
    }


@pytest.mark.parametrize("path", list(PATHS))
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_the_same_upload_ends_the_same_on_both_paths(case, path, world, client_for):
    case.setup(world)
    blobs_before = Blob.objects.count()
    other_before = _database(world.other)
    answer = PATHS[path](client_for(world.dewi), world, case.files, case.fields(world))

    if case.outcome and case.outcome[0] == "invalid":
        _, field_name, message = case.outcome
        assert answer.http == 400
        assert answer.invalid is not None, answer
        assert message in answer.invalid[1]
        if path == "api":
            assert answer.invalid[0] == field_name
        assert Blob.objects.count() == blobs_before  # nothing stored
    else:
        assert answer.invalid is None, answer
        assert answer.statuses == case.outcome
        refused = [code for status, code in zip(answer.statuses, answer.codes, strict=True) if status == "refused"]
        assert set(refused) <= {case.code}
        accepted = sum(status != "refused" for status in answer.statuses)
        all_, some, none = HTTP[path]
        assert answer.http == (all_ if accepted == len(answer.statuses) else some if accepted else none)
    assert _database(world.activity) == set(case.database)
    assert _database(world.other) == other_before


def test_both_paths_refuse_a_request_with_the_same_words(world, client_for):
    """The whole-request refusals are one text, whichever path: the web shows the API's field message."""
    client = client_for(world.dewi)
    for case in CASES:
        if not case.outcome or case.outcome[0] != "invalid":
            continue
        case.setup(world)
        fields = case.fields(world)
        web = via_web(client, world, case.files, fields)
        api = via_api(client, world, case.files, fields)
        assert web.invalid[1] == api.invalid[1], case.id


def test_every_owner_of_an_evidence_file_is_one_kind_in_the_registry():
    """The owner foreign keys of ``EvidenceFile`` and the kinds of ``OWNER_KINDS`` are the same
    set, and each kind's kinds of evidence are real ones."""
    owner_keys = {
        model_field.name
        for model_field in EvidenceFile._meta.get_fields()
        if model_field.is_relation
        and model_field.many_to_one
        and model_field.name not in ("blob", "region")
        and model_field.name not in ("uploaded_by", "deleted_by", "replaced_by")
    }
    assert {owner_kind.name for owner_kind in OWNER_KINDS} | {"assessment"} == owner_keys
    assert set(OWNER_FIELDS) == owner_keys | {"data_year"}
    for owner_kind in OWNER_KINDS:
        assert set(owner_kind.evidence_kinds) <= set(EvidenceFile.Kind.values), owner_kind.name
