"""The activity pages, the one upload view of every owner, removal and galleries."""

import datetime
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter

from evidence.models import Activity, Blob, EvidenceFile
from evidence.tests.blobs import photo_bytes
from forums.models import Body, PembinaanVisit, WorkPlan, WorkPlanItem
from indicators.models import TitikPantau
from tatanan.models import Tatanan

JPEG = photo_bytes()
HTML_AS_PDF = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


def pdf_bytes(marker: str = "") -> bytes:
    """A one-page PDF that readers open; ``marker`` (its title) makes different bytes."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": f"Bukti {marker}"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf(name="undangan.pdf", marker=b""):
    return SimpleUploadedFile(name, pdf_bytes(marker.decode()), "application/pdf")


def jpeg(name="foto.jpg"):
    return SimpleUploadedFile(name, JPEG, "image/jpeg")


@pytest.fixture
def pokja(wilayah):
    return Body.objects.create(kind=Body.Kind.POKJA_DESA, region=wilayah["desa_carenang"])


@pytest.fixture
def forum_binuang(wilayah):
    return Body.objects.create(kind=Body.Kind.FORUM_KECAMATAN, region=wilayah["binuang"])


@pytest.fixture
def ksm():
    return Tatanan.objects.get(tatanan_set__code="2023", code="KSM")


@pytest.fixture
def activity(pokja, dewi, ksm):
    made = Activity.objects.create(
        body=pokja, title="Rapat koordinasi Pokja", date=datetime.date(2025, 3, 12), created_by=dewi
    )
    made.tatanan.set([ksm])
    return made


def _upload(client, url, files, *, kind="undangan", as_json=False, **extra):
    data = {"kind": kind, "files": files, **extra}
    headers = {"HTTP_ACCEPT": "application/json"} if as_json else {}
    return client.post(url, data, **headers)


def _messages(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


# --- Activities ---------------------------------------------------------------------------------


def test_the_activity_list_shows_a_badge_per_activity(client_for, dewi, pokja, activity):
    done = Activity.objects.create(body=pokja, title="Kerja bakti", date=datetime.date(2025, 4, 1))
    for kind in Activity.REQUIRED_KINDS:
        _attach_row(done, kind)
    _attach_row(activity, "daftar_hadir")
    response = client_for(dewi).get(reverse("evidence:activity_list", args=[pokja.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lengkap" in html
    assert "Kurang: undangan, notulen, foto" in html
    assert reverse("evidence:activity_add", args=[pokja.pk]) in html
    assert "1 lengkap" in html


def _attach_row(activity, kind, *, name=None):
    from evidence.tests.readiness_world import attach

    evidence = attach(kind=kind, region=activity.body.region, activity=activity)
    if name:
        EvidenceFile.objects.filter(pk=evidence.pk).update(original_name=name)
    return evidence


def test_a_secretary_records_an_activity_through_the_form(client_for, dewi, pokja, ksm):
    plan = WorkPlan.objects.create(body=pokja, year=2025)
    item = WorkPlanItem.objects.create(work_plan=plan, tatanan=ksm, activity="Kerja bakti bulanan", budget=1_000_000)
    response = client_for(dewi).post(
        reverse("evidence:activity_add", args=[pokja.pk]),
        {
            "title": "Kerja bakti Maret",
            "date": "2025-03-02",
            "place": "RT 03",
            "tatanan": [ksm.pk],
            "work_plan_item": item.pk,
            "participants": "Warga RT 03",
            "participant_count": "40",
            "result": "Saluran bersih",
            "realised_budget": "250000",
        },
    )
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("evidence:activity_detail", args=[activity.pk])
    assert activity.work_plan_item == item
    assert activity.realised_budget == 250000
    assert activity.created_by == dewi

    # The work plan shows the item's realisation.
    page = client_for(dewi).get(reverse("forums:work_plan_detail", args=[plan.pk])).content.decode()
    assert "Kerja bakti Maret" in page
    assert "Rp 250.000" in page


def test_bad_activity_input_is_answered_in_indonesian(client_for, dewi, pokja, ksm, forum_binuang):
    foreign = WorkPlanItem.objects.create(
        work_plan=WorkPlan.objects.create(body=forum_binuang, year=2025), tatanan=ksm, activity="Lain"
    )
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    response = client_for(dewi).post(
        reverse("evidence:activity_add", args=[pokja.pk]),
        {"title": "", "date": tomorrow.isoformat(), "realised_budget": "-5", "work_plan_item": foreign.pk},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Judul kegiatan wajib diisi." in html
    assert "Realisasi anggaran tidak boleh negatif." in html
    assert "Kegiatan rencana kerja harus dari rencana kerja lembaga ini." in html
    assert not Activity.objects.exists()

    response = client_for(dewi).post(
        reverse("evidence:activity_add", args=[pokja.pk]), {"title": "Rapat", "date": tomorrow.isoformat()}
    )
    assert "tidak boleh setelah hari ini" in response.content.decode()
    assert not Activity.objects.exists()


def test_edit_and_soft_remove(client_for, dewi, pokja, activity):
    client = client_for(dewi)
    response = client.post(
        reverse("evidence:activity_edit", args=[activity.pk]),
        {"title": "Rapat pleno", "date": "2025-03-12", "realised_budget": "0"},
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Rapat pleno"

    confirm = client.get(reverse("evidence:activity_remove", args=[activity.pk]))
    assert "Hapus kegiatan?" in confirm.content.decode()
    response = client.post(reverse("evidence:activity_remove", args=[activity.pk]))
    assert response["Location"] == reverse("evidence:activity_list", args=[pokja.pk])
    activity.refresh_from_db()
    assert activity.deleted_by == dewi
    assert activity.deleted_at is not None
    assert client.get(reverse("evidence:activity_detail", args=[activity.pk])).status_code == 404
    listing = client.get(reverse("evidence:activity_list", args=[pokja.pk])).content.decode()
    assert "Rapat pleno" not in listing
    assert "1 kegiatan dihapus" in listing


@pytest.mark.parametrize("name", ["activity_detail", "activity_edit", "activity_remove", "activity_upload"])
def test_another_kecamatans_secretary_gets_404(client_for, tono, activity, name):
    client = client_for(tono)
    url = reverse(f"evidence:{name}", args=[activity.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"title": "x", "kind": "undangan", "files": [pdf()]}).status_code == 404
    activity.refresh_from_db()
    assert activity.deleted_at is None
    assert activity.title == "Rapat koordinasi Pokja"
    assert not EvidenceFile.objects.exists()


def test_another_kecamatans_secretary_gets_404_on_the_bodys_pages(client_for, tono, pokja):
    client = client_for(tono)
    for name in ("activity_list", "activity_add", "body_files", "body_upload", "body_gallery"):
        assert client.get(reverse(f"evidence:{name}", args=[pokja.pk])).status_code == 404, name


def test_the_kecamatan_secretary_reads_the_desa_pokja_but_does_not_edit_it(client_for, sari, pokja, activity):
    client = client_for(sari)
    detail = client.get(reverse("evidence:activity_detail", args=[activity.pk]))
    assert detail.status_code == 200
    assert 'id="evidence-upload-form"' not in detail.content.decode()
    assert client.get(reverse("evidence:activity_add", args=[pokja.pk])).status_code == 404
    assert client.get(reverse("evidence:activity_edit", args=[activity.pk])).status_code == 404
    response = _upload(client, reverse("evidence:activity_upload", args=[activity.pk]), [pdf()])
    assert response.status_code == 404
    assert not EvidenceFile.objects.exists()


def test_anonymous_is_sent_to_login_without_anything_stored(client, activity):
    response = _upload(client, reverse("evidence:activity_upload", args=[activity.pk]), [pdf()])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not Blob.objects.exists()


# --- Upload -------------------------------------------------------------------------------------


def test_several_files_at_once_one_refused_the_others_kept(client_for, dewi, activity):
    url = reverse("evidence:activity_upload", args=[activity.pk])
    bad = SimpleUploadedFile("notulen.pdf", HTML_AS_PDF, "application/pdf")
    response = _upload(
        client_for(dewi), url, [pdf("notulen-1.pdf", b"a"), bad, pdf("notulen-2.pdf", b"b")], kind="notulen"
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("evidence:activity_detail", args=[activity.pk]) + "#berkas"
    stored = EvidenceFile.objects.filter(activity=activity)
    assert sorted(stored.values_list("original_name", flat=True)) == ["notulen-1.pdf", "notulen-2.pdf"]
    assert set(stored.values_list("kind", flat=True)) == {"notulen"}
    texts = _messages(response)
    assert sum("tersimpan sebagai notulen" in t for t in texts) == 2
    refused = [t for t in texts if "notulen.pdf" in t and "tersimpan" not in t]
    assert len(refused) == 1
    assert Blob.objects.count() == 2


def test_xhr_gets_a_verdict_per_file(client_for, dewi, activity):
    url = reverse("evidence:activity_upload", args=[activity.pk])
    bad = SimpleUploadedFile("foto.jpg", HTML_AS_PDF, "image/jpeg")
    response = _upload(client_for(dewi), url, [jpeg(), bad], kind="foto", as_json=True, title="Suasana rapat")
    assert response.status_code == 200
    answer = response.json()
    assert answer["accepted"] == 1
    assert answer["refused"] == 1
    good, refused = answer["files"]
    assert good["status"] == "stored"
    assert good["kind"] == "foto"
    assert good["download_url"] == reverse("evidence:file_download", args=[good["id"]])
    assert refused["status"] == "refused"
    assert refused["code"]
    assert refused["message"]
    evidence = EvidenceFile.objects.get(pk=good["id"])
    assert evidence.title == "Suasana rapat"
    assert evidence.uploaded_by == dewi


def test_xhr_with_nothing_acceptable_is_a_400_with_reasons(client_for, dewi, activity):
    url = reverse("evidence:activity_upload", args=[activity.pk])
    response = _upload(client_for(dewi), url, [SimpleUploadedFile("kosong.pdf", b"")], as_json=True)
    assert response.status_code == 400
    assert response.json()["files"][0]["message"] == "Berkas kosong.pdf kosong."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": ""}, "Pilih jenis bukti"),
        ({"kind": "rahasia"}, "Pilih jenis bukti"),
        ({"files": []}, "Pilih minimal satu berkas"),
        ({"replaces": "999999"}, "tidak ditemukan di sini"),
        ({"replaces": "abc"}, "tidak ditemukan di sini"),
    ],
)
def test_bad_requests_are_explained(client_for, dewi, activity, data, message):
    url = reverse("evidence:activity_upload", args=[activity.pk])
    payload = {"kind": "undangan", "files": [pdf()]} | data
    response = client_for(dewi).post(url, payload, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert message in response.json()["message"]
    html = client_for(dewi).post(url, payload)
    assert any(message in t for t in _messages(html))
    assert not EvidenceFile.objects.exists()


def test_a_duplicate_in_the_kabupaten_is_linked_and_named(client_for, dewi, activity, pokja):
    client = client_for(dewi)
    _upload(client, reverse("evidence:activity_upload", args=[activity.pk]), [pdf("undangan-rapat.pdf")])
    other = Activity.objects.create(body=pokja, title="Rapat kedua", date=datetime.date(2025, 4, 2))
    response = _upload(client, reverse("evidence:activity_upload", args=[other.pk]), [pdf("salinan.pdf")], as_json=True)
    row = response.json()["files"][0]
    assert row["status"] == "duplicate"
    assert "undangan-rapat.pdf" in row["message"]
    assert "Rapat koordinasi Pokja" in row["message"]
    assert row["duplicate_of"]["url"] == reverse("evidence:activity_detail", args=[activity.pk])
    assert Blob.objects.count() == 1
    assert EvidenceFile.objects.filter(activity=other, original_name="salinan.pdf").exists()


def test_a_duplicate_from_outside_the_users_scope_is_reported_without_saying_where(
    client_for, dewi, tono, activity, forum_binuang
):
    _upload(client_for(dewi), reverse("evidence:activity_upload", args=[activity.pk]), [pdf("rahasia-carenang.pdf")])
    theirs = Activity.objects.create(body=forum_binuang, title="Rapat Binuang", date=datetime.date(2025, 4, 2))
    response = _upload(
        client_for(tono),
        reverse("evidence:activity_upload", args=[theirs.pk]),
        [pdf("punya-binuang.pdf")],
        as_json=True,
    )
    row = response.json()["files"][0]
    assert row["status"] == "duplicate"
    assert "kabupaten/kota ini" in row["message"]
    assert "rahasia-carenang" not in row["message"]
    assert "Carenang" not in row["message"]
    assert "duplicate_of" not in row


def test_the_same_file_twice_on_the_same_owner_is_not_added_again(client_for, dewi, activity):
    url = reverse("evidence:activity_upload", args=[activity.pk])
    _upload(client_for(dewi), url, [pdf()])
    row = _upload(client_for(dewi), url, [pdf("lagi.pdf")], as_json=True).json()["files"][0]
    assert row["status"] == "already"
    assert EvidenceFile.objects.filter(activity=activity).count() == 1
    # The same bytes as another kind (one scan holding invitation and minutes) are fine.
    row = _upload(client_for(dewi), url, [pdf("lagi.pdf")], kind="notulen", as_json=True).json()["files"][0]
    assert row["status"] == "duplicate"


def test_replace_keeps_the_old_version_downloadable(client_for, dewi, activity):
    client = client_for(dewi)
    url = reverse("evidence:activity_upload", args=[activity.pk])
    _upload(client, url, [pdf("notulen-draf.pdf", b"1")], kind="notulen", title="Notulen rapat Maret")
    old = EvidenceFile.objects.get()
    response = _upload(client, url, [pdf("notulen-final.pdf", b"2")], kind="notulen", replaces=old.pk)
    assert any("menggantikan notulen-draf.pdf" in t for t in _messages(response))
    old.refresh_from_db()
    new = EvidenceFile.objects.exclude(pk=old.pk).get()
    assert old.replaced_by == new
    assert new.title == "Notulen rapat Maret"  # kept from the version it replaces
    page = client.get(reverse("evidence:activity_detail", args=[activity.pk])).content.decode()
    assert "notulen-final.pdf" in page
    assert "menggantikan" in page
    assert reverse("evidence:file_download", args=[old.pk]) in page

    # Replacing it again is refused: it is history now.
    response = _upload(client, url, [pdf("x.pdf", b"3")], kind="notulen", replaces=old.pk, as_json=True)
    assert "sudah dihapus atau sudah diganti" in response.json()["message"]


def test_replacing_another_owners_file_is_refused(client_for, dewi, activity, pokja):
    other = Activity.objects.create(body=pokja, title="Lain", date=datetime.date(2025, 4, 2))
    _upload(client_for(dewi), reverse("evidence:activity_upload", args=[other.pk]), [pdf()])
    theirs = EvidenceFile.objects.get()
    response = _upload(
        client_for(dewi),
        reverse("evidence:activity_upload", args=[activity.pk]),
        [pdf("b.pdf", b"x")],
        replaces=theirs.pk,
        as_json=True,
    )
    assert response.status_code == 400
    theirs.refresh_from_db()
    assert theirs.is_current


def test_a_get_on_the_upload_url_goes_to_the_owners_page(client_for, dewi, activity):
    response = client_for(dewi).get(reverse("evidence:activity_upload", args=[activity.pk]))
    assert response["Location"] == reverse("evidence:activity_detail", args=[activity.pk])


def test_a_removed_activity_takes_no_more_files(client_for, dewi, activity):
    Activity.objects.filter(pk=activity.pk).update(deleted_at=datetime.datetime(2025, 5, 1, tzinfo=datetime.UTC))
    response = _upload(client_for(dewi), reverse("evidence:activity_upload", args=[activity.pk]), [pdf()])
    assert response.status_code == 404


def test_the_activity_becomes_complete_with_its_four_kinds(client_for, dewi, activity):
    client = client_for(dewi)
    url = reverse("evidence:activity_upload", args=[activity.pk])
    for kind, upload in (
        ("undangan", pdf("u.pdf", b"u")),
        ("daftar_hadir", pdf("d.pdf", b"d")),
        ("notulen", pdf("n.pdf", b"n")),
    ):
        _upload(client, url, [upload], kind=kind)
    page = client.get(reverse("evidence:activity_detail", args=[activity.pk])).content.decode()
    assert "Kurang: foto" in page
    _upload(client, url, [jpeg()], kind="foto")
    page = client.get(reverse("evidence:activity_detail", args=[activity.pk])).content.decode()
    assert 'id="activity-badge" data-complete="1"' in page
    assert reverse("evidence:file_thumbnail", args=[EvidenceFile.objects.get(kind="foto").pk]) in page


# --- The other owners ---------------------------------------------------------------------------


def test_body_files_upload_and_remove(client_for, dewi, sari, tono, pokja):
    client = client_for(dewi)
    response = _upload(client, reverse("evidence:body_upload", args=[pokja.pk]), [pdf("sk-pokja.pdf")], kind="sk")
    assert response["Location"] == reverse("evidence:body_files", args=[pokja.pk]) + "#berkas"
    evidence = EvidenceFile.objects.get(body=pokja)
    assert evidence.region_id == pokja.region_id

    assert "sk-pokja.pdf" in client_for(sari).get(reverse("evidence:body_files", args=[pokja.pk])).content.decode()
    remove = reverse("evidence:file_remove", args=[evidence.pk])
    assert client_for(sari).post(remove).status_code == 404
    assert client_for(tono).get(remove).status_code == 404

    assert "Hapus berkas?" in client_for(dewi).get(remove).content.decode()
    response = client_for(dewi).post(remove)
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert evidence.deleted_by == dewi
    assert evidence.deleted_at is not None
    page = client_for(dewi).get(reverse("evidence:body_files", args=[pokja.pk])).content.decode()
    assert "1 berkas dihapus" in page
    assert any("sudah dihapus" in t for t in _messages(client_for(dewi).post(remove)))


@pytest.fixture
def assessment(rina, wilayah):
    from indicators.services import assessment_open
    from tatanan.models import Cycle, EvidenceRequirement, Indicator

    cycle = Cycle.objects.get(award_year=2025)
    ksm = Tatanan.objects.get(tatanan_set__code="2023", code="KSM")
    indicator = Indicator.objects.create(cycle=cycle, tatanan=ksm, number="1", name="Indikator KSM")
    EvidenceRequirement.objects.create(
        indicator=indicator, description="Laporan kegiatan KSM", year_scope=EvidenceRequirement.YearScope.EACH
    )
    return assessment_open(kabupaten=wilayah["serang"], cycle=cycle, actor=rina, tatanan=[ksm])


def test_requirement_files_per_data_year(client_for, rina, dewi, assessment):
    requirement = assessment.cycle.indicators.get().evidence_requirements.get()
    year = assessment.cycle.data_years[0]
    url = reverse("evidence:requirement_upload", args=[assessment.pk, requirement.pk, year])
    response = _upload(client_for(rina), url, [pdf("laporan.pdf")], kind="laporan")
    assert response["Location"].startswith(
        reverse("evidence:requirement_files", args=[assessment.pk, requirement.pk, year])
    )
    evidence = EvidenceFile.objects.get()
    assert (evidence.requirement, evidence.assessment, evidence.data_year) == (requirement, assessment, year)
    # A year the requirement does not ask for does not exist; neither does year 0 (no year) here.
    for bad_year in (1999, 0):
        assert (
            client_for(rina)
            .get(reverse("evidence:requirement_files", args=[assessment.pk, requirement.pk, bad_year]))
            .status_code
            == 404
        )
    # Secretaries do not read the kabupaten's assessment.
    assert (
        client_for(dewi)
        .get(reverse("evidence:requirement_files", args=[assessment.pk, requirement.pk, year]))
        .status_code
        == 404
    )


def test_titik_pantau_and_pembinaan_uploads(client_for, rina, dewi, vina, wilayah, assessment):
    point = TitikPantau.objects.create(
        assessment=assessment,
        tatanan=Tatanan.objects.get(tatanan_set__code="2023", code="KSM"),
        name="Pasar Ciruas",
        kind="pasar",
    )
    team = Body.objects.create(kind=Body.Kind.TIM_PEMBINA_KABKOTA, region=wilayah["serang"])
    visit = PembinaanVisit.objects.create(visiting_body=team, target_region=wilayah["carenang"], date="2025-03-12")
    for name, pk in (("titik_pantau", point.pk), ("pembinaan", visit.pk)):
        upload = reverse(f"evidence:{name}_upload", args=[pk])
        assert _upload(client_for(dewi), upload, [jpeg()], kind="foto").status_code == 404
        assert _upload(client_for(vina), upload, [jpeg()], kind="foto").status_code == 404
        response = _upload(client_for(rina), upload, [pdf(f"{name}.pdf", name.encode())], kind="berita_acara")
        assert response.status_code == 302
        page = client_for(vina).get(reverse(f"evidence:{name}_files", args=[pk])).content.decode()
        assert f"{name}.pdf" in page
        assert 'id="evidence-upload-form"' not in page
    assert EvidenceFile.objects.filter(titik_pantau=point).count() == 1
    assert EvidenceFile.objects.filter(pembinaan_visit=visit).count() == 1
    # The lists link to these pages.
    assert (
        reverse("evidence:titik_pantau_files", args=[point.pk])
        in client_for(rina).get(reverse("indicators:titik_pantau_list", args=[assessment.pk])).content.decode()
    )
    visits = client_for(rina).get(reverse("forums:pembinaan_list")).content.decode()
    assert reverse("evidence:pembinaan_files", args=[visit.pk]) in visits


# --- Galleries ----------------------------------------------------------------------------------


def test_galleries_show_photos_within_scope(client_for, dewi, tono, activity, forum_binuang, ksm):
    _upload(client_for(dewi), reverse("evidence:activity_upload", args=[activity.pk]), [jpeg("rapat.jpg")], kind="foto")
    theirs = Activity.objects.create(body=forum_binuang, title="Rapat Binuang", date=datetime.date(2025, 4, 2))
    theirs.tatanan.set([ksm])
    binuang_photo = SimpleUploadedFile("binuang.png", photo_bytes(fmt="PNG", taken=None), "image/png")
    _upload(client_for(tono), reverse("evidence:activity_upload", args=[theirs.pk]), [binuang_photo], kind="foto")
    mine = EvidenceFile.objects.get(activity=activity)
    other = EvidenceFile.objects.get(activity=theirs)

    body_gallery = client_for(dewi).get(reverse("evidence:body_gallery", args=[activity.body_id])).content.decode()
    assert reverse("evidence:file_preview", args=[mine.pk]) in body_gallery

    tatanan_gallery = client_for(dewi).get(reverse("evidence:tatanan_gallery", args=[ksm.pk])).content.decode()
    assert reverse("evidence:file_thumbnail", args=[mine.pk]) in tatanan_gallery
    assert reverse("evidence:file_thumbnail", args=[other.pk]) not in tatanan_gallery
    tono_gallery = client_for(tono).get(reverse("evidence:tatanan_gallery", args=[ksm.pk])).content.decode()
    assert reverse("evidence:file_thumbnail", args=[other.pk]) in tono_gallery
    assert reverse("evidence:file_thumbnail", args=[mine.pk]) not in tono_gallery


def test_gallery_shows_photo_flags(client_for, dewi, activity):
    _upload(client_for(dewi), reverse("evidence:activity_upload", args=[activity.pk]), [jpeg()], kind="foto")
    EvidenceFile.objects.update(flags=[EvidenceFile.Flag.NO_DATE])
    page = client_for(dewi).get(reverse("evidence:body_gallery", args=[activity.body_id])).content.decode()
    assert "Foto tanpa tanggal EXIF" in page


# --- Entry points in the forum pages -------------------------------------------------------------


def test_the_secretary_home_and_body_page_link_to_the_activities(client_for, dewi, pokja, activity):
    home = client_for(dewi).get(reverse("forums:secretary_home")).content.decode()
    assert reverse("evidence:activity_list", args=[pokja.pk]) in home
    assert "1 kegiatan tercatat" in home
    detail = client_for(dewi).get(reverse("forums:body_detail", args=[pokja.pk])).content.decode()
    assert reverse("evidence:activity_list", args=[pokja.pk]) in detail
    assert reverse("evidence:activity_add", args=[pokja.pk]) in detail


def test_upload_widget_works_without_script(client_for, dewi, activity):
    page = client_for(dewi).get(reverse("evidence:activity_detail", args=[activity.pk])).content.decode()
    upload_url = reverse("evidence:activity_upload", args=[activity.pk])
    assert f'action="{upload_url}"' in page
    assert 'enctype="multipart/form-data"' in page
    assert 'name="files" id="evidence-files-input" multiple' in page
    assert 'capture="environment"' in page
    assert "js/evidence-upload.js" in page
    messages = json.loads(page.split('id="evidence-upload-messages" type="application/json">')[1].split("</script>")[0])
    assert messages["stored"] == "Tersimpan"


def test_an_oversize_file_is_refused_and_the_others_kept(client_for, dewi, activity, settings):
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("besar.pdf", b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 10), "application/pdf")
    response = _upload(
        client_for(dewi),
        reverse("evidence:activity_upload", args=[activity.pk]),
        [big, pdf("kecil.pdf")],
        as_json=True,
    )
    refused, stored = response.json()["files"]
    assert refused["status"] == "refused"
    assert refused["message"] == "Berkas besar.pdf lebih besar dari batas 1 MB."
    assert stored["status"] == "stored"
    assert list(EvidenceFile.objects.values_list("original_name", flat=True)) == ["kecil.pdf"]
