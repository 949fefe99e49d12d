"""The forum API: bodies, SK, members, secretariat, work plans and pembinaan, scoped per caller."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from PIL import Image

from demo.round import demo_pdf
from forums.models import Body, Decree, Member, PembinaanVisit, Secretariat, WorkPlan, WorkPlanItem
from tatanan.models import Tatanan

pytestmark = pytest.mark.django_db


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "white").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


@pytest.fixture
def ksm(db):
    return Tatanan.objects.get(tatanan_set__code="2023", code="KSM")


def error_of(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["status"] == status
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def ids(response):
    return {row["id"] for row in results(response)}


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


@pytest.fixture
def carenang(forum_carenang, ksm):
    """Carenang's forum with a member, an SK, a secretariat and a work plan with an activity."""
    member = Member.objects.create(body=forum_carenang, name="Ibu Ketua", position=Member.Position.KETUA)
    decree = Decree.objects.create(
        body=forum_carenang, number="SK 1/2024", date="2024-01-02", signer="Camat Carenang", valid_from="2024-01-02"
    )
    Secretariat.objects.create(body=forum_carenang, address="Jl. Raya Carenang 1")
    plan = WorkPlan.objects.create(body=forum_carenang, year=2025)
    item = WorkPlanItem.objects.create(work_plan=plan, tatanan=ksm, activity="Penyuluhan")
    return {"body": forum_carenang, "member": member, "decree": decree, "plan": plan, "item": item}


def test_anonymous_callers_are_refused_in_the_error_shape(client, forum_carenang):
    error_of(client.get("/api/bodies/"), 401, "not_authenticated")
    error_of(client.get(f"/api/bodies/{forum_carenang.pk}/"), 401, "not_authenticated")
    error_of(client.get("/api/work-plans/"), 401, "not_authenticated")


def test_tono_reaches_nothing_of_carenang(client_for, tono, carenang, forum_binuang):
    client = client_for(tono)
    body, plan = carenang["body"], carenang["plan"]

    assert ids(client.get("/api/bodies/")) == {forum_binuang.pk}
    assert ids(client.get("/api/work-plans/")) == set()
    for url in (
        f"/api/bodies/{body.pk}/",
        f"/api/bodies/{body.pk}/members/",
        f"/api/bodies/{body.pk}/decrees/",
        f"/api/bodies/{body.pk}/secretariat/",
        f"/api/work-plans/{plan.pk}/",
    ):
        error_of(client.get(url), 404, "not_found")

    error_of(post(client, f"/api/bodies/{body.pk}/members/", {"name": "Penyusup"}), 404, "not_found")
    error_of(patch(client, f"/api/members/{carenang['member'].pk}/", {"active": False}), 404, "not_found")
    error_of(
        post(
            client,
            f"/api/bodies/{body.pk}/decrees/",
            {"number": "SK palsu", "date": "2025-01-01", "signer": "X", "valid_from": "2025-01-01"},
        ),
        404,
        "not_found",
    )
    error_of(post(client, "/api/work-plans/", {"body": body.pk, "year": 2026}), 404, "not_found")
    error_of(post(client, f"/api/work-plans/{plan.pk}/submit/"), 404, "not_found")
    error_of(patch(client, f"/api/work-plan-items/{carenang['item'].pk}/", {"activity": "X"}), 404, "not_found")
    error_of(client.delete(f"/api/work-plan-items/{carenang['item'].pk}/"), 404, "not_found")

    assert list(body.members.values_list("name", "active")) == [("Ibu Ketua", True)]
    assert body.decrees.count() == 1
    assert WorkPlan.objects.get(pk=plan.pk).status == WorkPlan.Status.DRAFT
    assert WorkPlanItem.objects.get(pk=carenang["item"].pk).activity == "Penyuluhan"


def test_sari_edits_carenangs_forum(client_for, sari, carenang):
    client = client_for(sari)
    body = carenang["body"]

    detail = client.get(f"/api/bodies/{body.pk}/").json()
    assert detail["can_edit"] is True
    assert detail["current_decree"]["number"] == "SK 1/2024"
    assert detail["member_count"] == 1
    assert detail["secretariat"]["address"] == "Jl. Raya Carenang 1"
    assert detail["kelembagaan"]["has_sk"] is True

    decree = {"number": "SK 2/2025", "date": "2025-02-01", "signer": "Camat Carenang", "valid_from": "2025-02-01"}
    # A file that only starts like a PDF is refused by the same inspection as evidence uploads.
    fake = SimpleUploadedFile("sk.pdf", b"%PDF-1.4 SK", content_type="application/pdf")
    error = error_of(client.post(f"/api/bodies/{body.pk}/decrees/", {**decree, "file": fake}), 400, "invalid")
    assert "rusak atau tidak lengkap" in error["fields"]["file"][0]
    assert not Decree.objects.filter(body=body, number="SK 2/2025").exists()
    scan = SimpleUploadedFile("sk.pdf", demo_pdf("SK 2/2025"), content_type="application/pdf")
    response = client.post(f"/api/bodies/{body.pk}/decrees/", {**decree, "file": scan})
    assert response.status_code == 201, response.content
    assert response.json()["has_file"] is True
    history = client.get(f"/api/bodies/{body.pk}/decrees/").json()
    assert [(d["number"], d["is_current"]) for d in history] == [("SK 2/2025", True), ("SK 1/2024", False)]

    response = post(client, f"/api/bodies/{body.pk}/members/", {"name": "Pak Sekretaris", "position": "sekretaris"})
    assert response.status_code == 201, response.content
    new = response.json()["id"]
    assert patch(client, f"/api/members/{new}/", {"phone": "0812"}).json()["phone"] == "0812"
    assert patch(client, f"/api/members/{new}/", {"active": False}).json()["active"] is False
    assert Member.objects.filter(pk=new, active=False).exists()  # deactivated, not deleted
    error_of(patch(client, f"/api/members/{new}/", {"position": "raja"}), 400, "invalid")

    form = {"address": "Jl. Baru 2", "room": "Aula", "name_board_photo": SimpleUploadedFile("papan.png", png())}
    response = client.put(
        f"/api/bodies/{body.pk}/secretariat/", encode_multipart(BOUNDARY, form), content_type=MULTIPART_CONTENT
    )
    assert response.status_code == 200, response.content
    assert response.json()["address"] == "Jl. Baru 2"
    assert response.json()["has_name_board_photo"] is True

    response = post(client, "/api/work-plans/", {"body": body.pk, "year": 2026})
    assert response.status_code == 201, response.content
    error_of(post(client, "/api/work-plans/", {"body": body.pk, "year": 2026}), 400, "invalid")


def test_sari_does_not_edit_the_desa_pokja_below_her(client_for, sari, pokja_carenang):
    client = client_for(sari)
    assert client.get(f"/api/bodies/{pokja_carenang.pk}/").json()["can_edit"] is False
    error_of(post(client, f"/api/bodies/{pokja_carenang.pk}/members/", {"name": "X"}), 404, "not_found")
    assert not pokja_carenang.members.exists()


def test_dewi_submits_sari_approves_a_second_approval_is_refused(client_for, dewi, sari, pokja_carenang, ksm):
    client = client_for(dewi)
    response = post(client, "/api/work-plans/", {"body": pokja_carenang.pk, "year": 2025})
    assert response.status_code == 201, response.content
    plan = response.json()["id"]
    response = post(client, f"/api/work-plans/{plan}/items/", {"tatanan": ksm.pk, "activity": "Kerja bakti"})
    assert response.status_code == 201, response.content
    item = response.json()["id"]
    assert patch(client, f"/api/work-plan-items/{item}/", {"budget": "500000"}).json()["budget"] == 500000
    error_of(post(client, f"/api/work-plans/{plan}/approve/"), 404, "not_found")  # not her own to decide
    response = post(client, f"/api/work-plans/{plan}/submit/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "submitted"
    error_of(patch(client, f"/api/work-plan-items/{item}/", {"activity": "Lain"}), 400, "invalid")

    client = client_for(sari)
    assert ids(client.get("/api/work-plans/?status=submitted")) == {plan}
    error_of(post(client, f"/api/work-plans/{plan}/return/", {"reason": ""}), 400, "invalid")
    response = post(client, f"/api/work-plans/{plan}/approve/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved"
    error = error_of(post(client, f"/api/work-plans/{plan}/approve/"), 400, "invalid")
    assert "non_field_errors" in error["fields"]
    assert WorkPlan.objects.get(pk=plan).status == WorkPlan.Status.APPROVED


def test_rina_reads_every_body_of_serang_wawan_none(client_for, rina, wawan, forum_carenang, forum_binuang):
    pokja = Body.objects.create(kind=Body.Kind.POKJA_DESA, region=forum_carenang.region.children.first())
    serang = {forum_carenang.pk, forum_binuang.pk, pokja.pk}
    client = client_for(rina)
    assert ids(client.get("/api/bodies/")) == serang
    assert ids(client.get("/api/bodies/?kind=pokja_desa")) == {pokja.pk}
    assert ids(client.get(f"/api/bodies/?region={forum_carenang.region_id}")) == {forum_carenang.pk, pokja.pk}
    assert client.get(f"/api/bodies/{forum_binuang.pk}/").json()["can_edit"] is True

    client = client_for(wawan)
    assert ids(client.get("/api/bodies/")) == set()
    error_of(client.get(f"/api/bodies/{forum_carenang.pk}/"), 404, "not_found")


def test_pembinaan_recorded_by_bappeda_read_in_scope(client_for, rina, tono, wilayah):
    client = client_for(rina)
    response = post(
        client,
        "/api/pembinaan/",
        {"team_region": "36.04", "target_region": wilayah["carenang"].code, "date": "2025-03-01", "findings": "A"},
    )
    assert response.status_code == 201, response.content
    visit = response.json()["id"]
    assert ids(client.get("/api/pembinaan/")) == {visit}
    assert patch(client, f"/api/pembinaan/{visit}/", {"findings": "B"}).json()["findings"] == "B"

    client = client_for(tono)
    assert ids(client.get("/api/pembinaan/")) == set()
    error_of(client.get(f"/api/pembinaan/{visit}/"), 404, "not_found")
    error_of(patch(client, f"/api/pembinaan/{visit}/", {"findings": "C"}), 404, "not_found")
    assert PembinaanVisit.objects.get(pk=visit).findings == "B"
