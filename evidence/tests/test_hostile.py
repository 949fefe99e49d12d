"""The hostile corpus (``evidence/tests/hostile.py``): every file refused, file by file, with the right
code and message, through ``attach_upload`` and through a real multipart request parsed by the
``EvidenceUploadHandler``; and nothing left behind: no stored file, no row, no temporary file."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from evidence.models import Blob, EvidenceFile
from evidence.selectors import Owner
from evidence.tests.hostile import (
    CASES,
    CORPUS_SETTINGS,
    GOOD,
    MULTIPART_EXPECT,
    content_of,
    multipart_body,
    parse_with_evidence_handler,
)
from evidence.uploads import HashedUploadedFile, attach_upload
from kks_portal.lib.files.errors import UploadRefused

pytestmark = pytest.mark.django_db

CASE_IDS = [case[0] for case in CASES]


@pytest.fixture
def corpus(settings, media_root, upload_temp_dir, activity_carenang):
    for key, value in CORPUS_SETTINGS.items():
        setattr(settings, key, value)
    return Owner(activity=activity_carenang)


def leftovers(media_root, upload_temp_dir) -> dict:
    return {
        "stored files": sorted(str(path) for path in media_root.rglob("*") if path.is_file()),
        "temporary files": sorted(str(path) for path in upload_temp_dir.iterdir()),
        "blobs": list(Blob.objects.values_list("sha256", "state")),
        "attachments": list(EvidenceFile.objects.values_list("original_name", flat=True)),
    }


NOTHING = {"stored files": [], "temporary files": [], "blobs": [], "attachments": []}


def refuse_directly(owner, case, actor) -> UploadRefused:
    """``attach_upload`` with an in-memory file carrying the raw (hostile) name."""
    upload = ContentFile(content_of(case), name=case[1])
    with pytest.raises(UploadRefused) as refused:
        attach_upload(owner=owner, upload=upload, kind="notulen", actor=actor)
    return refused.value


def refuse_through_request(owner, case, actor) -> UploadRefused:
    """The file in a multipart body, parsed by Django with the evidence handler, then attached."""
    body, content_type = multipart_body({"kind": "notulen"}, [("file", case[1], content_of(case))])
    request = parse_with_evidence_handler(body, content_type)
    try:
        upload = request.FILES["file"]
        assert isinstance(upload, HashedUploadedFile)
        with pytest.raises(UploadRefused) as refused:
            attach_upload(owner=owner, upload=upload, kind="notulen", actor=actor)
        return refused.value
    finally:
        request.close()  # what Django does when the response is sent: temporary files go


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_refused_by_attach_upload(case, corpus, media_root, upload_temp_dir):
    _id, _name, _content, code, fragment = case
    refused = refuse_directly(corpus, case, None)
    assert (refused.code, fragment in refused.message) == (code, True), refused.message
    assert leftovers(media_root, upload_temp_dir) == NOTHING


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_refused_through_a_multipart_request(case, corpus, media_root, upload_temp_dir):
    code, fragment = MULTIPART_EXPECT.get(case[0], (case[3], case[4]))
    refused = refuse_through_request(corpus, case, None)
    assert (refused.code, fragment in refused.message) == (code, True), refused.message
    assert leftovers(media_root, upload_temp_dir) == NOTHING


def test_the_whole_corpus_leaves_nothing_behind(corpus, media_root, upload_temp_dir):
    """All of it in a row, both ways, in one database and one media folder."""
    assert len(CASES) >= 40
    codes = {}
    for case in CASES:
        codes[case[0]] = (refuse_directly(corpus, case, None).code, refuse_through_request(corpus, case, None).code)
    assert {name: pair[0] for name, pair in codes.items()} == {case[0]: case[3] for case in CASES}
    assert leftovers(media_root, upload_temp_dir) == NOTHING
    assert not Blob.objects.exists()
    assert not EvidenceFile.objects.exists()


def test_the_corpus_is_deterministic():
    """Another suite (the API's) replays the corpus: the same bytes every time."""
    for case in [*CASES, *GOOD]:
        assert content_of(case) == content_of(case), case[0]


def test_the_names_django_cleans_are_still_refused_for_what_is_left(corpus):
    """Django keeps only the last path component and drops unprintable characters before our code
    sees a multipart file name: what is left must still be refused (and is, by its extension)."""
    for case_id, (code, _fragment) in MULTIPART_EXPECT.items():
        case = next(case for case in CASES if case[0] == case_id)
        body, content_type = multipart_body({}, [("file", case[1], content_of(case))])
        request = parse_with_evidence_handler(body, content_type)
        try:
            name = request.FILES["file"].name
        finally:
            request.close()
        assert "/" not in name
        assert "\\" not in name
        assert "\x00" not in name
        assert refuse_through_request(corpus, case, None).code == code


@pytest.mark.parametrize("case", GOOD, ids=[case[0] for case in GOOD])
def test_good_files_are_accepted_both_ways(case, settings, media_root, upload_temp_dir, activity_carenang):
    _id, name, _content, file_type = case
    owner = Owner(activity=activity_carenang)
    direct = attach_upload(owner=owner, upload=ContentFile(content_of(case), name=name), kind="lainnya", actor=None)
    assert direct.stored
    assert direct.evidence.blob.file_type == file_type
    assert direct.evidence.original_name == name

    body, content_type = multipart_body({}, [("file", name, content_of(case))])
    request = parse_with_evidence_handler(body, content_type)
    try:
        again = attach_upload(owner=owner, upload=request.FILES["file"], kind="lainnya", actor=None)
    finally:
        request.close()
    # The same bytes: linked to the first, not stored twice.
    assert not again.stored
    assert again.duplicate_of == direct.evidence
    assert [path.name for path in media_root.rglob("*") if path.is_file()] == [
        direct.evidence.blob.file.name.split("/")[-1]
    ]
    assert list(upload_temp_dir.iterdir()) == []
