"""The evidence API: activities (CRUD, filters, scope), uploads streamed to disk with one result
per file, evidence files (list, detail, soft delete, history), completeness and readiness."""

from __future__ import annotations

import datetime
import hashlib
import io
import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image
from pypdf import PdfWriter

from evidence.models import Activity, Blob, EvidenceFile
from evidence.tests import readiness_world
from evidence.tests.blobs import photo_bytes
from evidence.tests.readiness_world import YEARS, activity, attach, complete_activity, requirement
from evidence.uploads import HashedUploadedFile
from forums.models import Body, PembinaanVisit
from indicators.models import TitikPantau
from tatanan.models import Tatanan

pytestmark = pytest.mark.django_db

bodies = readiness_world.bodies
evidence_cycle = readiness_world.evidence_cycle
evidence_assessment = readiness_world.evidence_assessment


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Stored evidence lands in a folder of its own, so that tests can see every file written."""
    folder = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(folder)}},
    }
    return folder


def stored_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def pdf(marker: str = "") -> bytes:
    """A one-page PDF that readers open; ``marker`` (its title) makes its bytes and hash differ."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": f"Bukti {marker}"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def noise_png(width=1000, height=1000) -> bytes:
    """A valid PNG of random pixels: it does not compress, so it is about 3 MB."""
    out = io.BytesIO()
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(out, "PNG", compress_level=0)
    return out.getvalue()


def upload(client, url, files, kind="laporan", **fields):
    """POST ``files`` ([(name, bytes, content type)]) as the repeated ``file`` field."""
    data = {"file": [SimpleUploadedFile(name, content, content_type) for name, content, content_type in files]}
    return client.post(url, {**data, "kind": kind, **fields})


def error_of(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["error"]["status"] == status
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    data = response.json()
    return {row["id"] for row in (data["results"] if isinstance(data, dict) else data)}


def json_post(client, url, data):
    return client.post(url, data, content_type="application/json")


def json_patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


# --- Activities -------------------------------------------------------------------------------------


def test_a_secretary_records_an_activity_of_her_forum(client_for, sari, bodies):
    forum = bodies["forum_carenang"]
    response = json_post(
        client_for(sari),
        "/api/activities/",
        {"body": forum.pk, "title": "Rapat koordinasi", "date": "2025-03-12", "place": "Aula kecamatan"},
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["body"] == forum.pk
    assert data["title"] == "Rapat koordinasi"
    assert data["is_complete"] is False
    assert data["missing_kinds"] == ["undangan", "daftar_hadir", "notulen", "foto"]
    assert Activity.objects.get(pk=data["id"]).created_by == sari


def test_nobody_records_for_a_body_they_do_not_edit(client, sari, tono, dewi, vina, bodies):
    forum = bodies["forum_carenang"]
    for user in (tono, dewi, vina):
        client.force_login(user)
        response = json_post(client, "/api/activities/", {"body": forum.pk, "title": "Rapat", "date": "2025-03-12"})
        error_of(response, 404, "not_found")
    assert not Activity.objects.exists()
    client.logout()
    assert (
        json_post(client, "/api/activities/", {"body": forum.pk, "title": "x", "date": "2025-03-12"}).status_code == 401
    )


def test_bad_activity_data_is_answered_field_by_field(client_for, sari, bodies):
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    response = json_post(
        client_for(sari), "/api/activities/", {"body": bodies["forum_carenang"].pk, "title": " ", "date": future}
    )
    body = error_of(response, 400, "invalid")
    assert set(body["error"]["fields"]) >= {"title"}
    response = json_post(
        client_for(sari), "/api/activities/", {"body": bodies["forum_carenang"].pk, "title": "Rapat", "date": future}
    )
    fields = error_of(response, 400, "invalid")["error"]["fields"]
    assert "setelah hari ini" in fields["date"][0]


def test_activities_are_listed_within_the_scope_and_filtered(client_for, sari, tono, rina, bodies):
    carenang = complete_activity(bodies["forum_carenang"], 2020, title="Kerja bakti")
    desa = activity(bodies["pokja_carenang"], date=datetime.date(2021, 1, 5), kinds=("undangan",))
    binuang = activity(bodies["forum_binuang"], date=datetime.date(2021, 2, 1))
    assert ids(client_for(sari).get("/api/activities/")) == {carenang.pk, desa.pk}
    assert ids(client_for(tono).get("/api/activities/")) == {binuang.pk}
    client = client_for(rina)
    assert ids(client.get("/api/activities/")) == {carenang.pk, desa.pk, binuang.pk}
    assert ids(client.get(f"/api/activities/?body={bodies['forum_binuang'].pk}")) == {binuang.pk}
    assert ids(client.get("/api/activities/?complete=true")) == {carenang.pk}
    assert ids(client.get("/api/activities/?complete=false")) == {desa.pk, binuang.pk}
    assert ids(client.get("/api/activities/?date_from=2021-01-01&date_to=2021-01-31")) == {desa.pk}
    assert ids(client.get("/api/activities/?region=36.04.17")) == {carenang.pk, desa.pk}
    carenang.tatanan.add(Tatanan.objects.get(tatanan_set__code="2023", code="PSR"))
    assert ids(client.get("/api/activities/?tatanan=psr")) == {carenang.pk}
    assert client_for(tono).get(f"/api/activities/{carenang.pk}/").status_code == 404


def test_listing_activities_costs_few_queries(client_for, rina, bodies, django_assert_max_num_queries):
    for n in range(20):
        complete_activity(bodies["forum_carenang"], 2020, title=f"Rapat {n}")
    client = client_for(rina)
    client.get("/api/activities/")
    with django_assert_max_num_queries(8):
        response = client.get("/api/activities/")
    assert response.json()["count"] == 20
    assert all(row["is_complete"] for row in response.json()["results"])


def test_an_activity_is_changed_by_its_editors_and_removed_softly(client, sari, tono, vina, bodies):
    made = activity(bodies["forum_carenang"], title="Rapat")
    url = f"/api/activities/{made.pk}/"
    for user in (tono, vina):
        client.force_login(user)
        error_of(json_patch(client, url, {"title": "Diubah"}), 404, "not_found")
        assert client.delete(url).status_code == 404
    client.force_login(sari)
    response = json_patch(client, url, {"title": "Rapat pleno", "participant_count": 25})
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Rapat pleno"
    made.refresh_from_db()
    assert (made.title, made.participant_count) == ("Rapat pleno", 25)
    other = bodies["forum_binuang"].pk
    assert "body" in error_of(json_patch(client, url, {"body": other}), 400, "invalid")["error"]["fields"]

    assert client.delete(url).status_code == 204
    made.refresh_from_db()
    assert made.deleted_at is not None
    assert made.deleted_by == sari
    assert client.get(url).status_code == 404
    assert made.pk not in ids(client.get("/api/activities/"))


# --- Uploads ------------------------------------------------------------------------------------------


def test_a_secretary_uploads_the_four_kinds_and_the_activity_becomes_complete(client_for, sari, bodies, media):
    made = activity(bodies["forum_carenang"], date=datetime.date(2021, 3, 1))
    client = client_for(sari)
    url = f"/api/activities/{made.pk}/files/"
    for kind, name, content, ctype in (
        ("undangan", "undangan.pdf", pdf("u"), "application/pdf"),
        ("daftar_hadir", "daftar hadir.pdf", pdf("dh"), "application/pdf"),
        ("notulen", "notulen.pdf", pdf("n"), "application/pdf"),
    ):
        response = upload(client, url, [(name, content, ctype)], kind=kind)
        assert response.status_code == 201, response.content
        assert response.json()["results"][0]["status"] == "stored"
    assert client.get(f"/api/activities/{made.pk}/completeness/").json() == {
        "complete": False,
        "missing_kinds": ["foto"],
        "counts": {"undangan": 1, "daftar_hadir": 1, "notulen": 1, "foto": 0},
    }
    response = upload(
        client,
        url,
        [("rapat-1.jpg", photo_bytes(), "image/jpeg"), ("rapat-2.jpg", photo_bytes((300, 200)), "image/jpeg")],
        kind="foto",
        title="Suasana rapat",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["stored"], data["duplicates"], data["refused"]) == (2, 0, 0)
    assert {r["file"]["original_name"] for r in data["results"]} == {"rapat-1.jpg", "rapat-2.jpg"}
    assert data["results"][0]["file"]["title"] == "Suasana rapat"
    assert client.get(f"/api/activities/{made.pk}/completeness/").json()["complete"] is True
    assert client.get(f"/api/activities/{made.pk}/").json()["is_complete"] is True
    listed = client.get(f"/api/activities/{made.pk}/files/").json()
    assert len(listed) == 5
    assert all(row["download_url"] == reverse("evidence:file_download", args=[row["id"]]) for row in listed)
    # Every stored blob has its file, and nothing else was written.
    assert len(stored_files(media)) == Blob.objects.count() == 5


def test_a_large_upload_streams_through_the_evidence_handler(client_for, sari, bodies, media, settings):
    made = activity(bodies["forum_carenang"])
    content = noise_png()
    assert len(content) > 2_500_000  # past FILE_UPLOAD_MAX_MEMORY_SIZE: Django's own handler would also use disk
    response = upload(
        client_for(sari), f"/api/activities/{made.pk}/files/", [("besar.png", content, "image/png")], kind="foto"
    )
    assert response.status_code == 201, response.content
    received = response.wsgi_request.FILES.getlist("file")
    assert len(received) == 1
    assert isinstance(received[0], HashedUploadedFile)
    assert received[0].sha256 == hashlib.sha256(content).hexdigest()
    # On disk, in the upload folder (removed again when the request ended).
    path = Path(received[0].temporary_file_path())
    assert path.parent == Path(settings.FILE_UPLOAD_TEMP_DIR)
    assert not path.exists()
    assert response.json()["results"][0]["file"]["sha256"] == hashlib.sha256(content).hexdigest()


def test_the_handler_is_in_place_before_the_csrf_check_reads_the_body(sari, bodies, settings):
    """With session authentication DRF checks CSRF, which reads ``request.POST``: the upload must
    already be going through the evidence handler then."""
    made = activity(bodies["forum_carenang"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(sari)
    token = "k" * 32
    client.cookies[settings.CSRF_COOKIE_NAME] = token
    url = f"/api/activities/{made.pk}/files/"
    refused = upload(client, url, [("u.pdf", pdf("csrf"), "application/pdf")], kind="undangan")
    assert refused.status_code == 403  # no token sent: CSRF is really checked
    response = upload(
        client, url, [("u.pdf", pdf("csrf"), "application/pdf")], kind="undangan", csrfmiddlewaretoken=token
    )
    assert response.status_code == 201, response.content
    assert isinstance(response.wsgi_request.FILES["file"], HashedUploadedFile)


def test_token_clients_upload_too(client, sari, bodies):
    from rest_framework.authtoken.models import Token

    made = activity(bodies["forum_carenang"])
    token = Token.objects.create(user=sari)
    response = client.post(
        f"/api/activities/{made.pk}/files/",
        {"file": SimpleUploadedFile("n.pdf", pdf("token"), "application/pdf"), "kind": "notulen"},
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert response.status_code == 201, response.content
    assert isinstance(response.wsgi_request.FILES["file"], HashedUploadedFile)


def test_each_file_gets_its_own_answer(client_for, sari, bodies, media):
    made = activity(bodies["forum_carenang"])
    response = upload(
        client_for(sari),
        f"/api/activities/{made.pk}/files/",
        [
            ("notulen.pdf", pdf("ok"), "application/pdf"),
            ("foto.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg"),
            ("kosong.pdf", b"", "application/pdf"),
        ],
        kind="notulen",
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["stored"], data["duplicates"], data["refused"]) == (1, 0, 2)
    by_name = {r["name"]: r for r in data["results"]}
    assert by_name["notulen.pdf"]["status"] == "stored"
    assert by_name["foto.jpg"]["status"] == "refused"
    assert by_name["foto.jpg"]["code"] == "unsupported_type"
    assert by_name["foto.jpg"]["message"]
    assert by_name["kosong.pdf"]["code"] == "empty"
    assert EvidenceFile.objects.count() == Blob.objects.count() == len(stored_files(media)) == 1


def test_when_every_file_is_refused_the_answer_is_the_error_shape(client_for, sari, bodies, media):
    made = activity(bodies["forum_carenang"])
    response = upload(
        client_for(sari),
        f"/api/activities/{made.pk}/files/",
        [("notulen.pdf", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "application/pdf")],
        kind="notulen",
    )
    body = error_of(response, 400, "upload_refused")
    assert body["results"] == [
        {"name": "notulen.pdf", "status": "refused", "code": "unsupported_type", "message": body["error"]["message"]}
    ]
    assert body["error"]["fields"]["file"] == [f"notulen.pdf: {body['error']['message']}"]
    assert (body["stored"], body["duplicates"], body["refused"]) == (0, 0, 1)
    assert not EvidenceFile.objects.exists()
    assert not Blob.objects.exists()
    assert stored_files(media) == []


def test_an_oversize_file_is_refused_and_nothing_is_kept(client_for, sari, bodies, media, settings):
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    made = activity(bodies["forum_carenang"])
    response = upload(
        client_for(sari),
        f"/api/activities/{made.pk}/files/",
        [("besar.png", noise_png(800, 600), "image/png")],
        kind="foto",
    )
    body = error_of(response, 400, "upload_refused")
    assert body["results"][0]["code"] == "too_large"
    assert "1 MB" in body["results"][0]["message"]
    assert not Blob.objects.exists()
    assert stored_files(media) == []
    received = response.wsgi_request.FILES["file"]
    assert received.oversize
    assert received.size > 1024 * 1024


def test_the_same_bytes_are_linked_not_stored_twice(client_for, sari, tono, bodies, media):
    first = activity(bodies["forum_carenang"], title="Rapat pertama")
    second = activity(bodies["forum_carenang"], title="Rapat kedua")
    client = client_for(sari)
    content = pdf("sama")
    stored = upload(client, f"/api/activities/{first.pk}/files/", [("a.pdf", content, "application/pdf")]).json()
    response = upload(client, f"/api/activities/{second.pk}/files/", [("b.pdf", content, "application/pdf")])
    assert response.status_code == 201
    result = response.json()["results"][0]
    assert result["status"] == "duplicate"
    assert result["duplicate_of"]["id"] == stored["results"][0]["file"]["id"]
    assert "Rapat pertama" in result["duplicate_of"]["owner"]
    assert len(stored_files(media)) == Blob.objects.count() == 1
    # Binuang's secretary sending the same bytes learns nothing of Carenang's file.
    other = activity(bodies["forum_binuang"])
    result = upload(
        client_for(tono), f"/api/activities/{other.pk}/files/", [("c.pdf", content, "application/pdf")]
    ).json()
    assert result["results"][0]["status"] == "duplicate"
    assert result["results"][0]["duplicate_of"] == {"id": None, "in_scope": False}


def test_a_file_is_replaced_and_keeps_its_history(client_for, sari, bodies):
    made = activity(bodies["forum_carenang"])
    client = client_for(sari)
    url = f"/api/activities/{made.pk}/files/"
    old = upload(client, url, [("notulen.pdf", pdf("v1"), "application/pdf")], kind="notulen").json()["results"][0][
        "file"
    ]
    response = upload(
        client, url, [("notulen-revisi.pdf", pdf("v2"), "application/pdf")], kind="notulen", replaces=old["id"]
    )
    assert response.status_code == 201, response.content
    new = response.json()["results"][0]["file"]
    assert [row["id"] for row in client.get(f"/api/evidence-files/{new['id']}/history/").json()] == [old["id"]]
    assert client.get(f"/api/evidence-files/{old['id']}/").json()["replaced_by"] == new["id"]
    assert [row["id"] for row in client.get(url).json()] == [new["id"]]
    assert {row["id"] for row in client.get(url + "?all=true").json()} == {old["id"], new["id"]}
    # A replaced file cannot be replaced again, nor can several files replace one.
    again = upload(client, url, [("x.pdf", pdf("v3"), "application/pdf")], kind="notulen", replaces=old["id"])
    assert "replaces" in error_of(again, 400, "invalid")["error"]["fields"]
    two = upload(
        client,
        url,
        [("x.pdf", pdf("v4"), "application/pdf"), ("y.pdf", pdf("v5"), "application/pdf")],
        kind="notulen",
        replaces=new["id"],
    )
    assert "replaces" in error_of(two, 400, "invalid")["error"]["fields"]


def test_bad_upload_requests(client_for, sari, bodies):
    made = activity(bodies["forum_carenang"])
    client = client_for(sari)
    url = f"/api/activities/{made.pk}/files/"
    assert "file" in error_of(client.post(url, {"kind": "notulen"}), 400, "invalid")["error"]["fields"]
    response = upload(client, url, [("n.pdf", pdf("k"), "application/pdf")], kind="rahasia")
    assert "kind" in error_of(response, 400, "invalid")["error"]["fields"]
    error_of(json_post(client, url, {"kind": "notulen"}), 415, "unsupported_media_type")
    assert not EvidenceFile.objects.exists()


def test_only_those_who_may_attach_upload(client, tono, dewi, vina, rina, bodies, media):
    made = activity(bodies["forum_carenang"])
    url = f"/api/activities/{made.pk}/files/"
    for user in (tono, dewi, vina):
        client.force_login(user)
        error_of(
            upload(client, url, [("n.pdf", pdf(user.username), "application/pdf")], kind="notulen"), 404, "not_found"
        )
    client.force_login(vina)
    assert client.get(url).status_code == 200  # the verifier reads
    client.force_login(rina)
    assert upload(client, url, [("n.pdf", pdf("rina"), "application/pdf")], kind="notulen").status_code == 201
    assert EvidenceFile.objects.count() == 1
    assert len(stored_files(media)) == 1


def test_uploads_to_a_body_a_pembinaan_visit_and_a_titik_pantau(client_for, sari, rina, bodies, evidence_assessment):
    response = upload(
        client_for(sari),
        f"/api/bodies/{bodies['forum_carenang'].pk}/files/",
        [("sk.pdf", pdf("sk"), "application/pdf")],
        kind="sk",
    )
    assert response.status_code == 201, response.content
    assert EvidenceFile.objects.get(kind="sk").body == bodies["forum_carenang"]

    team = Body.objects.create(kind=Body.Kind.TIM_PEMBINA_KABKOTA, region=evidence_assessment.kabupaten)
    visit = PembinaanVisit.objects.create(
        visiting_body=team, target_region=bodies["forum_carenang"].region, date="2020-05-01"
    )
    response = upload(
        client_for(rina), f"/api/pembinaan/{visit.pk}/files/", [("bina.jpg", photo_bytes(), "image/jpeg")], kind="foto"
    )
    assert response.status_code == 201, response.content
    assert client_for(sari).get(f"/api/pembinaan/{visit.pk}/files/").status_code == 200
    error_of(
        upload(client_for(sari), f"/api/pembinaan/{visit.pk}/files/", [("b.pdf", pdf("b"), "application/pdf")]),
        404,
        "not_found",
    )

    point = TitikPantau.objects.create(
        assessment=evidence_assessment, tatanan=evidence_assessment.tatanan.first(), name="Pasar Baros", kind="pasar"
    )
    response = upload(
        client_for(rina),
        f"/api/titik-pantau/{point.pk}/files/",
        [("pasar.jpg", photo_bytes((320, 240)), "image/jpeg")],
        kind="foto",
    )
    assert response.status_code == 201, response.content
    assert client_for(sari).get(f"/api/titik-pantau/{point.pk}/files/").status_code == 404


def test_requirement_uploads_follow_the_indicator_s_opd(client, oscar, vina, rina, evidence_assessment):
    a, cycle = evidence_assessment, evidence_assessment.cycle
    psr1, pdd1, statement = (
        requirement(cycle, "PSR", "1"),
        requirement(cycle, "PDD", "1"),
        requirement(cycle, "PSR", "2"),
    )
    url = f"/api/assessments/{a.pk}/requirements/{psr1.pk}/years/2020/files/"
    client.force_login(oscar)
    response = upload(client, url, [("laporan 2020.pdf", pdf("psr"), "application/pdf")])
    assert response.status_code == 201, response.content
    stored = EvidenceFile.objects.get()
    assert (stored.requirement, stored.assessment, stored.data_year, stored.region_id) == (psr1, a, 2020, "36.04")
    # Not a year this requirement asks; not Dinkes's indicator; not Dinkes's to read either.
    assert client.get(f"/api/assessments/{a.pk}/requirements/{psr1.pk}/years/2019/files/").status_code == 404
    assert client.get(f"/api/assessments/{a.pk}/requirements/{pdd1.pk}/years/2020/files/").status_code == 404
    # Year 0: a requirement not bound to a year.
    response = upload(
        client,
        f"/api/assessments/{a.pk}/requirements/{statement.pk}/years/0/files/",
        [("sp.pdf", pdf("sp"), "application/pdf")],
        kind="surat_pernyataan",
    )
    assert response.status_code == 201, response.content
    assert EvidenceFile.objects.get(kind="surat_pernyataan").data_year is None
    client.force_login(vina)
    assert len(client.get(url).json()) == 1
    error_of(upload(client, url, [("v.pdf", pdf("v"), "application/pdf")]), 404, "not_found")
    client.force_login(rina)
    assert (
        upload(
            client,
            f"/api/assessments/{a.pk}/requirements/{pdd1.pk}/years/2021/files/",
            [("d.pdf", pdf("d"), "application/pdf")],
        ).status_code
        == 201
    )


# --- Evidence files -----------------------------------------------------------------------------------


def test_evidence_files_are_listed_in_scope_with_filters(client_for, sari, tono, rina, bodies, evidence_assessment):
    carenang = activity(bodies["forum_carenang"], kinds=("undangan", "foto"))
    binuang = activity(bodies["forum_binuang"], kinds=("notulen",))
    report = attach(
        kind="laporan",
        region=evidence_assessment.kabupaten,
        requirement=requirement(evidence_assessment.cycle, "PSR", "1"),
        assessment=evidence_assessment,
        data_year=2020,
    )
    carenang_files = set(carenang.files.values_list("pk", flat=True))
    assert ids(client_for(sari).get("/api/evidence-files/")) == carenang_files
    assert ids(client_for(tono).get("/api/evidence-files/")) == set(binuang.files.values_list("pk", flat=True))
    client = client_for(rina)
    assert report.pk in ids(client.get("/api/evidence-files/"))
    assert ids(client.get(f"/api/evidence-files/?activity={carenang.pk}&kind=foto")) == {
        carenang.files.get(kind="foto").pk
    }
    assert ids(client.get(f"/api/evidence-files/?assessment={evidence_assessment.pk}&data_year=2020")) == {report.pk}
    assert ids(client.get("/api/evidence-files/?region=36.04.18")) == set(binuang.files.values_list("pk", flat=True))
    photo = carenang.files.get(kind="foto")
    assert client_for(tono).get(f"/api/evidence-files/{photo.pk}/").status_code == 404
    assert client_for(sari).get(f"/api/evidence-files/{photo.pk}/").json()["kind"] == "foto"


def test_removing_a_file_is_soft_and_only_for_those_who_may_attach(client, sari, tono, vina, bodies):
    made = activity(bodies["forum_carenang"], kinds=("foto", "notulen"))
    photo = made.files.get(kind="foto")
    url = f"/api/evidence-files/{photo.pk}/"
    for user in (tono, vina):
        client.force_login(user)
        assert client.delete(url).status_code == 404
    photo.refresh_from_db()
    assert photo.deleted_at is None
    client.force_login(sari)
    assert client.delete(url).status_code == 204
    photo.refresh_from_db()
    assert photo.deleted_at is not None
    assert photo.deleted_by == sari
    assert client.get(url).json()["deleted_at"]
    assert ids(client.get("/api/evidence-files/?deleted=true")) == {photo.pk}
    assert ids(client.get("/api/evidence-files/?current=true")) == {made.files.get(kind="notulen").pk}
    assert client.get(f"/api/activities/{made.pk}/completeness/").json()["counts"]["foto"] == 0


# --- Readiness ----------------------------------------------------------------------------------------


def test_assessment_readiness(client, rina, oscar, wawan, sari, evidence_assessment, bodies):
    for year in YEARS:
        complete_activity(bodies["forum_carenang"], year)
    client.force_login(rina)
    response = client.get(f"/api/assessments/{evidence_assessment.pk}/readiness/")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["years"] == [2020, 2021]
    assert (data["bodies"]["done"], data["bodies"]["total"]) == (1, 6)
    assert data["indicators"]["total"] == 4
    assert data["kelembagaan"]["total"] == 1
    assert [g["key"] for g in data["per_tatanan"]] == ["PSR", "PDD"]
    carenang = next(row for row in data["kecamatan"] if row["region"] == "36.04.17")
    assert carenang["forum"]["ready"] is True
    assert carenang["missing"] == ["Pokja belum siap: Carenang, Pamanuk."]
    client.force_login(oscar)
    data = client.get(f"/api/assessments/{evidence_assessment.pk}/readiness/").json()
    assert data["indicators"]["total"] == 2
    assert data["kelembagaan"] is None
    for user in (wawan, sari):
        client.force_login(user)
        error_of(client.get(f"/api/assessments/{evidence_assessment.pk}/readiness/"), 404, "not_found")


def test_kecamatan_and_body_readiness(client, tono, sari, evidence_assessment, bodies):
    complete_activity(bodies["pokja_binuang"], 2020)
    client.force_login(tono)
    data = client.get(f"/api/assessments/{evidence_assessment.pk}/readiness/kecamatan/36.04.18/").json()
    assert data["desa"][0]["pokja"]["per_year"] == [
        {"year": 2020, "total": 1, "complete": 1},
        {"year": 2021, "total": 0, "complete": 0},
    ]
    error_of(client.get(f"/api/assessments/{evidence_assessment.pk}/readiness/kecamatan/36.04.17/"), 404, "not_found")
    pokja = bodies["pokja_binuang"]
    data = client.get(f"/api/bodies/{pokja.pk}/readiness/?cycle=2022").json()
    assert (data["ready"], data["missing"]) == (False, ["Belum ada kegiatan yang buktinya lengkap pada tahun 2021."])
    assert (
        "cycle"
        in error_of(client.get(f"/api/bodies/{pokja.pk}/readiness/?cycle=1999"), 400, "invalid")["error"]["fields"]
    )
    client.force_login(sari)
    error_of(client.get(f"/api/bodies/{pokja.pk}/readiness/"), 404, "not_found")


# --- The hostile corpus, through the API ------------------------------------------------------------


@pytest.fixture
def corpus_limits(settings):
    from evidence.tests.hostile import CORPUS_SETTINGS

    for key, value in CORPUS_SETTINGS.items():
        setattr(settings, key, value)


def _expected(case) -> tuple[str, str]:
    from evidence.tests.hostile import MULTIPART_EXPECT

    return MULTIPART_EXPECT.get(case[0], (case[3], case[4]))


def _case_ids():
    from evidence.tests.hostile import CASES

    return [case[0] for case in CASES]


@pytest.mark.parametrize("case_id", _case_ids())
def test_each_hostile_file_is_refused_through_the_api(case_id, client_for, sari, bodies, media, corpus_limits):
    from evidence.tests.hostile import CASES, content_of, multipart_body

    case = next(c for c in CASES if c[0] == case_id)
    made = activity(bodies["forum_carenang"])
    body, content_type = multipart_body({"kind": "notulen"}, [("file", case[1], content_of(case))])
    response = client_for(sari).generic("POST", f"/api/activities/{made.pk}/files/", body, content_type=content_type)
    refused = error_of(response, 400, "upload_refused")
    code, fragment = _expected(case)
    result = refused["results"][0]
    assert (result["status"], result["code"]) == ("refused", code), result
    assert fragment in result["message"]
    assert refused["error"]["message"] == result["message"]
    assert not EvidenceFile.objects.exists()
    assert not Blob.objects.exists()
    assert stored_files(media) == []


def test_the_whole_corpus_in_one_request_stores_nothing(
    client_for, sari, bodies, media, corpus_limits, upload_temp_dir
):
    from evidence.tests.hostile import CASES, content_of, multipart_body

    made = activity(bodies["forum_carenang"])
    body, content_type = multipart_body({"kind": "lainnya"}, [("file", case[1], content_of(case)) for case in CASES])
    response = client_for(sari).generic("POST", f"/api/activities/{made.pk}/files/", body, content_type=content_type)
    refused = error_of(response, 400, "upload_refused")
    assert refused["refused"] == len(CASES) == len(refused["results"])
    assert [r["code"] for r in refused["results"]] == [_expected(case)[0] for case in CASES]
    assert len(refused["error"]["fields"]["file"]) == len(CASES)
    assert not EvidenceFile.objects.exists()
    assert not Blob.objects.exists()
    assert stored_files(media) == []
    # The streamed temporary files went with the request.
    assert list(upload_temp_dir.iterdir()) == []


def test_good_files_beside_hostile_ones_are_stored(client_for, sari, bodies, media, corpus_limits):
    from evidence.tests.hostile import CASES, GOOD, content_of, multipart_body

    made = activity(bodies["forum_carenang"])
    hostile = [case for case in CASES if case[0] in ("empty", "oversize")] + CASES[10:14]
    files = [("file", case[1], content_of(case)) for case in GOOD + hostile]
    body, content_type = multipart_body({"kind": "lainnya"}, files)
    response = client_for(sari).generic("POST", f"/api/activities/{made.pk}/files/", body, content_type=content_type)
    assert response.status_code == 200, response.content
    data = response.json()
    # Good files with the same bytes (two plain JPEGs under two names) are attached once: the
    # second is "already" here, as on the web form (the API used to link it a second time).
    distinct = len({hashlib.sha256(content_of(case)).hexdigest() for case in GOOD})
    assert data["already"] == len(GOOD) - distinct > 0
    assert (data["stored"] + data["duplicates"] + data["already"], data["refused"]) == (len(GOOD), len(hostile))
    assert [r["status"] != "refused" for r in data["results"]] == [True] * len(GOOD) + [False] * len(hostile)
    assert EvidenceFile.objects.count() == distinct
    assert len(stored_files(media)) == Blob.objects.count() == data["stored"]
