"""Data requests for titik pantau and kelembagaan documents (README "Permintaan data").

Bappeda (rina) asks Dinkes (oscar) for the titik pantau of a tatanan and the Forum Kecamatan
Sehat Carenang (secretary sari) for its documents; each sees what is asked on their own page,
fills it, and the request stops being outstanding; overdue ones are reminded by e-mail."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from accounts.tests.factories import OpdFactory
from forums.models import Body, WorkPlan
from forums.tests.factories import BodyFactory, DecreeFactory, SecretariatFactory, WorkPlanFactory
from indicators.fieldwork.services import titik_pantau_create
from indicators.models import DataRequest, TitikPantau
from indicators.requests.selectors import (
    other_requests_progress,
    outstanding_entries,
    outstanding_of,
    overdue_data_requests,
)
from indicators.requests.services import data_request_assign, data_request_documents, data_request_titik_pantau
from indicators.tasks import remind_overdue
from tatanan.models import Tatanan

from .conftest import entry


def in_days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def tatanan(code):
    return Tatanan.objects.get(tatanan_set__code="UJI", code=code)


def base(assessment):
    return f"/penilaian/{assessment.pk}"


@pytest.fixture
def pasar_request(rina, assessment, dinkes_serang):
    """Dinkes is asked for 2 markets (kind pasar) of the Pasar tatanan, within a week."""
    return data_request_titik_pantau(
        assessment=assessment,
        opd=dinkes_serang,
        tatanan=[tatanan("PSR")],
        point_kinds=["pasar"],
        points_min=2,
        deadline=in_days(7),
        message="Mohon data pasar rakyat.",
        actor=rina,
    )


@pytest.fixture
def forum_carenang(wilayah):
    return BodyFactory(kind=Body.Kind.FORUM_KECAMATAN, region=wilayah["carenang"])


@pytest.fixture
def documents_request(rina, assessment, wilayah, forum_carenang):
    (data_request,) = data_request_documents(
        assessment=assessment,
        regions=[wilayah["carenang"]],
        documents=["sk", "rencana_kerja", "sekretariat"],
        deadline=in_days(7),
        message="Untuk dossier.",
        actor=rina,
    )
    return data_request


def complete_point(assessment, wilayah, name="Pasar Carenang", **fields):
    values = {
        "desa": wilayah["desa_carenang"],
        "address": "Jl. Pasar No. 1",
        "latitude": Decimal("-6.1"),
        "longitude": Decimal("106.2"),
    }
    values.update(fields)
    return TitikPantau.objects.create(assessment=assessment, tatanan=tatanan("PSR"), name=name, kind="pasar", **values)


def texts(data_request):
    return [item.text for item in outstanding_of([data_request])[data_request.pk]]


class TestTitikPantauRequestService:
    def test_rina_asks_dinkes_and_asking_again_replaces_it(self, rina, assessment, dinkes_serang, pasar_request):
        assert pasar_request.kind == DataRequest.Kind.TITIK_PANTAU
        assert list(pasar_request.tatanan.values_list("code", flat=True)) == ["PSR"]
        assert pasar_request.point_kinds == ["pasar"]
        assert pasar_request.points_min == 2
        again = data_request_titik_pantau(
            assessment=assessment,
            opd=dinkes_serang,
            tatanan=[tatanan("PSR"), tatanan("PDD")],
            deadline=in_days(10),
            actor=rina,
        )
        assert again.pk == pasar_request.pk
        assert set(again.tatanan.values_list("code", flat=True)) == {"PSR", "PDD"}
        assert again.point_kinds == []
        assert again.deadline == in_days(10)
        assert again.message == "Mohon data pasar rakyat."  # kept when not given

    def test_an_entry_request_of_the_same_opd_stays_apart(self, rina, assessment, dinkes_serang, pasar_request):
        assert DataRequest.objects.filter(assessment=assessment, opd=dinkes_serang).count() == 1
        data_request_assign(
            assessment=assessment,
            opd=dinkes_serang,
            entries=[entry(assessment, "PSR", "1")],
            deadline=in_days(3),
            actor=rina,
        )
        kinds = set(DataRequest.objects.filter(opd=dinkes_serang).values_list("kind", flat=True))
        assert kinds == {"isian", "titik_pantau"}

    def test_every_mistake_is_reported_at_once_and_nothing_is_saved(self, rina, assessment, wilayah):
        bogor_dinkes = OpdFactory(kabupaten=wilayah["bogor"], short_name="Dinkes")
        with pytest.raises(ValidationError) as error:
            data_request_titik_pantau(
                assessment=assessment,
                opd=bogor_dinkes,
                tatanan=[],
                point_kinds=["kapal"],
                points_min=0,
                deadline=in_days(-1),
                actor=rina,
            )
        assert set(error.value.message_dict) == {"opd", "tatanan", "point_kinds", "points_min", "deadline"}
        assert not DataRequest.objects.exists()

    @pytest.mark.parametrize("persona", ["oscar", "sari", "vina", "nadia"])
    def test_only_the_bappeda_admin_asks(self, request, persona, assessment, dinkes_serang, wilayah):
        actor = request.getfixturevalue(persona)
        with pytest.raises(Http404):
            data_request_titik_pantau(
                assessment=assessment, opd=dinkes_serang, tatanan=[tatanan("PSR")], deadline=in_days(3), actor=actor
            )
        with pytest.raises(Http404):
            data_request_documents(
                assessment=assessment, regions=[wilayah["carenang"]], documents=["sk"], deadline=in_days(3), actor=actor
            )


class TestTitikPantauOutstanding:
    def test_outstanding_follows_the_real_points(self, rina, oscar, assessment, wilayah, pasar_request):
        assert texts(pasar_request) == ["PSR – Pasar Sehat: 2 titik pantau lagi"]
        assert outstanding_of([pasar_request])[pasar_request.pk][0].count == 2
        # A school does not count for a request of markets; a market without coordinates counts but is incomplete.
        TitikPantau.objects.create(assessment=assessment, tatanan=tatanan("PSR"), name="SD 1", kind="sekolah")
        titik_pantau_create(
            assessment=assessment, actor=oscar, tatanan=tatanan("PSR"), name="Pasar Kragilan", kind="pasar"
        )
        assert texts(pasar_request) == [
            "PSR – Pasar Sehat: 1 titik pantau lagi",
            "Pasar Kragilan (PSR): desa, alamat, koordinat belum diisi",
        ]
        complete_point(assessment, wilayah)
        point = TitikPantau.objects.get(name="Pasar Kragilan")
        point.desa, point.address = wilayah["desa_carenang"], "Jl. Kragilan"
        point.latitude, point.longitude = Decimal("-6.05"), Decimal("106.3")
        point.save()
        assert texts(pasar_request) == []
        (row,) = other_requests_progress(assessment)
        assert row.outstanding == 0
        assert not row.overdue

    def test_overdue_only_while_something_is_outstanding(self, assessment, wilayah, pasar_request):
        DataRequest.objects.filter(pk=pasar_request.pk).update(deadline=in_days(-2))
        assert [r.pk for r in overdue_data_requests(assessment=assessment)] == [pasar_request.pk]
        complete_point(assessment, wilayah, "Pasar A")
        complete_point(assessment, wilayah, "Pasar B")
        assert overdue_data_requests(assessment=assessment) == []


def _ask_opds(rina, assessment, wilayah, n):
    """``n`` OPDs each asked for an entry and for the titik pantau of Pasar."""
    entries = [entry(assessment, code, number) for code in ("PSR", "PDD") for number in ("1", "2")]
    for i in range(n):
        opd = OpdFactory(kabupaten=wilayah["serang"], name=f"Dinas Uji {i}", short_name=f"Uji{i}")
        data_request_assign(assessment=assessment, opd=opd, entries=[entries[i]], deadline=in_days(7), actor=rina)
        data_request_titik_pantau(
            assessment=assessment, opd=opd, tatanan=[tatanan("PSR")], deadline=in_days(7), actor=rina
        )
    return list(
        DataRequest.objects.filter(assessment=assessment).select_related("assessment").prefetch_related("tatanan")
    )


@pytest.mark.parametrize("opds", [1, 4])
def test_what_many_requests_wait_for_is_read_in_the_same_queries(
    rina, assessment, wilayah, django_assert_num_queries, opds
):
    """``outstanding_of`` read each entries request's entries and each titik pantau's village word
    on its own (the API's list and the requests page grew by a query or two a request); now the
    entries of every request at once and the word once per kabupaten/kota (docs/PERFORMANCE.md)."""
    TitikPantau.objects.create(assessment=assessment, tatanan=tatanan("PSR"), name="Pasar Baros", kind="pasar")
    requests = _ask_opds(rina, assessment, wilayah, opds)
    # The entries, the titik pantau, the kabupaten and its desa kinds (the village word).
    with django_assert_num_queries(4):
        outstanding = outstanding_of(requests)
    for data_request in requests:
        if data_request.kind == DataRequest.Kind.ENTRIES:  # what the one request's own query reads
            asked = outstanding_entries(data_request).order_by("indicator__tatanan__number", "indicator__order")
            expected = [f"{e.indicator.tatanan.code} {e.indicator.number}. {e.indicator.name}" for e in asked]
        else:
            expected = ["Pasar Baros (PSR): desa, alamat, koordinat belum diisi"]
        assert [item.text for item in outstanding[data_request.pk]] == expected
    entries_requests = [r for r in requests if r.kind == DataRequest.Kind.ENTRIES]
    assert len([r for r in entries_requests if outstanding[r.pk]]) == opds  # not vacuous: each OPD its entry


class TestOperatorFillsTitikPantau:
    def test_oscar_sees_the_request_on_his_todo_list_with_links(self, client_for, oscar, assessment, pasar_request):
        html = client_for(oscar).get("/penilaian/tugas/").content.decode()
        assert 'id="titik-pantau-requests"' in html
        assert "PSR – Pasar Sehat: 2 titik pantau lagi" in html
        assert f"{base(assessment)}/titik-pantau/tambah/?tatanan=PSR" in html
        assert "Mohon data pasar rakyat." in html

    def test_oscar_adds_a_market_from_the_page(self, client_for, oscar, assessment, wilayah, pasar_request):
        client = client_for(oscar)
        page = client.get(f"{base(assessment)}/titik-pantau/tambah/?tatanan=PSR")
        assert page.status_code == 200
        assert [t.code for t in page.context["form"].fields["tatanan"].queryset] == ["PSR"]
        assert [k for k, _label in page.context["form"].fields["kind"].choices] == ["pasar"]
        response = client.post(
            f"{base(assessment)}/titik-pantau/tambah/",
            {
                "tatanan": tatanan("PSR").pk,
                "name": "Pasar Carenang",
                "kind": "pasar",
                "desa": wilayah["desa_carenang"].code,
                "address": "Jl. Raya Carenang",
                "latitude": "-6.1",
                "longitude": "106.2",
            },
        )
        assert response.status_code == 302
        point = TitikPantau.objects.get(name="Pasar Carenang")
        assert point.created_by == oscar
        assert texts(pasar_request) == ["PSR – Pasar Sehat: 1 titik pantau lagi"]

    def test_a_tatanan_not_asked_is_refused_with_a_message_and_nothing_saved(
        self, client_for, oscar, assessment, pasar_request
    ):
        response = client_for(oscar).post(
            f"{base(assessment)}/titik-pantau/tambah/",
            {"tatanan": tatanan("PDD").pk, "name": "SD Carenang", "kind": "pasar"},
        )
        assert response.status_code == 200
        assert "tidak diminta dari OPD Anda" in response.content.decode()
        assert not TitikPantau.objects.exists()

    def test_oscar_edits_points_in_scope_deletes_only_his_own(
        self, client_for, oscar, rina, assessment, wilayah, pasar_request
    ):
        by_bappeda = complete_point(assessment, wilayah, "Pasar Bappeda", created_by=rina)
        school = TitikPantau.objects.create(assessment=assessment, tatanan=tatanan("PSR"), name="SD 1", kind="sekolah")
        client = client_for(oscar)
        assert client.get(f"{base(assessment)}/titik-pantau/{by_bappeda.pk}/").status_code == 200
        assert client.get(f"{base(assessment)}/titik-pantau/{school.pk}/").status_code == 404  # kind not asked
        assert client.post(f"{base(assessment)}/titik-pantau/{by_bappeda.pk}/hapus/").status_code == 404
        assert TitikPantau.objects.filter(pk=by_bappeda.pk).exists()
        own = titik_pantau_create(
            assessment=assessment, actor=oscar, tatanan=tatanan("PSR"), name="Pasar O", kind="pasar"
        )
        assert client.post(f"{base(assessment)}/titik-pantau/{own.pk}/hapus/").status_code == 302
        assert not TitikPantau.objects.filter(pk=own.pk).exists()

    def test_without_a_request_oscar_still_only_reads(self, client_for, oscar, assessment, wilayah):
        point = complete_point(assessment, wilayah)
        client = client_for(oscar)
        assert client.get(f"{base(assessment)}/titik-pantau/").status_code == 200
        assert client.get(f"{base(assessment)}/titik-pantau/tambah/").status_code == 404
        assert client.get(f"{base(assessment)}/titik-pantau/{point.pk}/").status_code == 404
        with pytest.raises(Http404):
            titik_pantau_create(assessment=assessment, actor=oscar, tatanan=tatanan("PSR"), name="X", kind="pasar")

    def test_the_right_ends_when_the_assessment_closes(self, oscar, assessment, pasar_request):
        assessment.cycle.self_assessment_closes = in_days(-1)
        assessment.cycle.save()
        with pytest.raises(Http404):
            titik_pantau_create(assessment=assessment, actor=oscar, tatanan=tatanan("PSR"), name="X", kind="pasar")


class TestBappedaPages:
    def test_rina_asks_for_titik_pantau_from_the_page(self, client_for, rina, assessment, dinkes_serang):
        client = client_for(rina)
        url = f"{base(assessment)}/permintaan-data/titik-pantau/"
        assert client.get(url).status_code == 200
        response = client.post(
            url,
            {
                "opd": dinkes_serang.pk,
                "tatanan": [tatanan("PDD").pk],
                "point_kinds": ["sekolah"],
                "points_min": "1",
                "deadline": in_days(5).isoformat(),
                "message": "Sekolah sehat",
            },
        )
        assert response.status_code == 302
        data_request = DataRequest.objects.get(kind="titik_pantau")
        assert data_request.point_kinds == ["sekolah"]
        assert data_request.created_by == rina
        page = client.get(url + f"?opd={dinkes_serang.pk}")
        assert 'id="existing-request"' in page.content.decode()
        assert page.context["form"].initial["point_kinds"] == ["sekolah"]

    def test_a_bad_request_comes_back_with_every_message_and_the_ticks(
        self, client_for, rina, assessment, dinkes_serang
    ):
        response = client_for(rina).post(
            f"{base(assessment)}/permintaan-data/titik-pantau/",
            {"opd": dinkes_serang.pk, "point_kinds": ["pasar"], "points_min": "0", "deadline": in_days(-3).isoformat()},
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "Pilih sedikitnya satu tatanan." in html
        assert "sudah lewat" in html
        assert "sedikitnya 1" in html
        assert 'value="pasar"' in html
        assert "checked" in html[html.index('value="pasar"') - 120 :][:200]
        assert not DataRequest.objects.exists()

    def test_the_request_list_shows_how_much_is_outstanding(
        self, client_for, rina, assessment, wilayah, pasar_request, documents_request
    ):
        DataRequest.objects.filter(pk=documents_request.pk).update(deadline=in_days(-1))
        complete_point(assessment, wilayah)
        html = client_for(rina).get(f"{base(assessment)}/permintaan-data/").content.decode()
        title = html[html.index("<title>") : html.index("</title>")]
        assert title == "<title>Permintaan data · Kabupaten Serang · KKS Portal"
        assert html.count('id="other-requests"') == 1
        row = html[html.index(f'data-request="{pasar_request.pk}"') :]
        assert 'data-col="outstanding">1<' in row[: row.index("</tr>")]
        row = html[html.index(f'data-request="{documents_request.pk}"') :]
        row = row[: row.index("</tr>")]
        assert "Forum Kecamatan Sehat Carenang" in row
        assert 'data-col="outstanding">4<' in row  # SK, sekretariat, rencana kerja 2028 and 2029
        assert "data-overdue" in row
        assert 'id="remind-overdue-form"' in html

    def test_rina_cancels_a_request(self, client_for, rina, assessment, pasar_request):
        client = client_for(rina)
        url = f"{base(assessment)}/permintaan-data/minta/{pasar_request.pk}/batalkan/"
        assert client.get(url).status_code == 200
        assert client.post(url).status_code == 302
        assert not DataRequest.objects.exists()

    @pytest.mark.parametrize("persona", ["oscar", "sari", "vina", "wawan"])
    def test_anyone_but_the_bappeda_admin_gets_404(self, request, client_for, persona, assessment, pasar_request):
        client = client_for(request.getfixturevalue(persona))
        assert client.get(f"{base(assessment)}/permintaan-data/titik-pantau/").status_code == 404
        assert client.post(f"{base(assessment)}/permintaan-data/minta/{pasar_request.pk}/ingatkan/").status_code == 404
        assert client.post(f"{base(assessment)}/permintaan-data/minta/{pasar_request.pk}/batalkan/").status_code == 404
        assert client.get("/forum/kelembagaan/36.04/minta-dokumen/").status_code == 404
        assert DataRequest.objects.filter(pk=pasar_request.pk).exists()


class TestKelembagaanDocuments:
    def test_rina_asks_the_forum_from_the_kelembagaan_page(self, client_for, rina, assessment, wilayah, forum_carenang):
        pokja = BodyFactory(kind=Body.Kind.POKJA_DESA, region=wilayah["desa_carenang"])
        client = client_for(rina)
        url = "/forum/kelembagaan/36.04/minta-dokumen/"
        page = client.get(url).content.decode()
        assert 'data-region="36.04.17"' in page
        assert f'data-region="{pokja.region_id}"' in page
        response = client.post(
            url,
            {
                "regions": ["36.04.17", pokja.region_id],
                "documents": ["sk", "rencana_kerja"],
                "deadline": in_days(4).isoformat(),
                "message": "Segera",
            },
        )
        assert response.status_code == 302
        assert response["Location"] == f"/penilaian/{assessment.pk}/permintaan-data/"
        requests = DataRequest.objects.filter(kind="kelembagaan").order_by("region_id")
        assert [(r.region_id, r.documents, r.opd_id) for r in requests] == [
            ("36.04.17", ["sk", "rencana_kerja"], None),
            (pokja.region_id, ["sk", "rencana_kerja"], None),
        ]

    def test_a_bad_request_keeps_the_ticks_and_says_what_is_missing(self, client_for, rina, assessment, forum_carenang):
        response = client_for(rina).post(
            "/forum/kelembagaan/36.04/minta-dokumen/", {"regions": ["36.04.17"], "deadline": ""}
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "Pilih sedikitnya satu dokumen." in html
        assert "Tentukan tenggat." in html
        assert 'value="36.04.17" id="region-36.04.17" checked' in html
        assert not DataRequest.objects.exists()

    def test_a_region_outside_the_kabupaten_is_refused(self, rina, assessment, wilayah):
        with pytest.raises(ValidationError) as error:
            data_request_documents(
                assessment=assessment, regions=[wilayah["bogor"]], documents=["sk"], deadline=in_days(2), actor=rina
            )
        assert "regions" in error.value.message_dict

    def test_documents_stop_being_outstanding_as_they_are_uploaded(self, assessment, forum_carenang, documents_request):
        assert texts(documents_request) == [
            "SK pembentukan yang berlaku, dengan berkas pindaiannya, belum diunggah.",
            "Rencana kerja tahun 2028 dan 2029 belum diajukan.",
            "Alamat dan foto papan nama sekretariat belum lengkap.",
        ]
        DecreeFactory(body=forum_carenang)  # an SK without its scan is not the document
        WorkPlanFactory(body=forum_carenang, year=2028, status=WorkPlan.Status.SUBMITTED)
        WorkPlanFactory(body=forum_carenang, year=2029, status=WorkPlan.Status.DRAFT)
        assert texts(documents_request) == [
            "SK pembentukan yang berlaku, dengan berkas pindaiannya, belum diunggah.",
            "Rencana kerja tahun 2029 belum diajukan.",
            "Alamat dan foto papan nama sekretariat belum lengkap.",
        ]
        DecreeFactory(body=forum_carenang, scanned=True)
        WorkPlan.objects.filter(body=forum_carenang, year=2029).update(status=WorkPlan.Status.APPROVED)
        SecretariatFactory(body=forum_carenang)
        assert texts(documents_request) == []

    def test_a_body_not_set_up_yet_lists_every_document_asked(self, rina, assessment, wilayah):
        (data_request,) = data_request_documents(
            assessment=assessment, regions=[wilayah["binuang"]], documents=["sk"], deadline=in_days(2), actor=rina
        )
        assert texts(data_request) == [
            "SK pembentukan yang berlaku, dengan berkas pindaiannya (lembaga belum dibentuk di portal; minta "
            "admin Bappeda membentuknya)"
        ]

    def test_sari_sees_the_request_on_her_home_with_links(
        self, client_for, sari, tono, assessment, forum_carenang, documents_request
    ):
        html = client_for(sari).get("/forum/beranda/").content.decode()
        assert 'id="home-requests"' in html
        assert "Untuk dossier." in html
        assert f"/forum/lembaga/{forum_carenang.pk}/sk/" in html
        assert f"/forum/lembaga/{forum_carenang.pk}/sekretariat/" in html
        # The secretary of the neighbouring kecamatan was not asked.
        assert 'id="home-requests"' not in client_for(tono).get("/forum/beranda/").content.decode()


class TestReminders:
    def test_overdue_titik_pantau_and_documents_are_reminded_by_email_once_a_day(
        self, oscar, sari, assessment, pasar_request, documents_request, mailoutbox
    ):
        DataRequest.objects.filter(pk__in=[pasar_request.pk, documents_request.pk]).update(deadline=in_days(-1))
        assert remind_overdue.delay().get() == 2
        by_recipient = {m.to[0]: m for m in mailoutbox}
        assert set(by_recipient) == {"oscar@example.org", "sari@example.org"}
        to_oscar = by_recipient["oscar@example.org"]
        assert "titik pantau" in to_oscar.subject
        assert "sudah lewat tenggat" in to_oscar.subject
        assert "PSR – Pasar Sehat: 2 titik pantau lagi" in to_oscar.body
        assert f"/penilaian/{assessment.pk}/titik-pantau/tambah/?tatanan=PSR" in to_oscar.body
        assert "Mohon data pasar rakyat." in to_oscar.body
        assert "/penilaian/tugas/" in to_oscar.body
        to_sari = by_recipient["sari@example.org"]
        assert "Forum Kecamatan Sehat Carenang" in to_sari.subject
        assert "Rencana kerja tahun 2028 dan 2029 belum diajukan." in to_sari.body
        assert "/forum/beranda/" in to_sari.body
        assert remind_overdue.delay().get() == 0  # already reminded today
        assert DataRequest.objects.get(pk=documents_request.pk).reminder_count == 1

    def test_rina_reminds_one_request_and_nothing_goes_when_it_is_fulfilled(
        self,
        client_for,
        rina,
        oscar,
        assessment,
        wilayah,
        pasar_request,
        mailoutbox,
        django_capture_on_commit_callbacks,
    ):
        url = f"{base(assessment)}/permintaan-data/minta/{pasar_request.pk}/ingatkan/"
        with django_capture_on_commit_callbacks(execute=True):
            assert client_for(rina).post(url).status_code == 302
        assert [m.to for m in mailoutbox] == [["oscar@example.org"]]
        assert "belum lengkap" in mailoutbox[0].subject
        complete_point(assessment, wilayah, "Pasar A")
        complete_point(assessment, wilayah, "Pasar B")
        with django_capture_on_commit_callbacks(execute=True):
            client_for(rina).post(url)
        assert len(mailoutbox) == 1
        assert DataRequest.objects.get(pk=pasar_request.pk).reminder_count == 1
