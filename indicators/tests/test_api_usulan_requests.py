"""The API of two features that were page-only (issue 13, items 3 and 8): the usulan and category
of an assessment (``/api/assessments/<id>/usulan/``, the service ``assessment_usulan_update``), and
the data requests for titik pantau and kelembagaan documents (``/api/data-requests/titik-pantau/``
and ``…/kelembagaan/``, the services ``data_request_titik_pantau`` and ``data_request_documents``),
read with what each still waits for by whom they are addressed to.

rina (Bappeda Serang) writes; oscar (Dinkes Serang) and vina (verifier, Banten) read the
assessment but their writes find nothing (404), as wawan (Jawa Barat) and the secretaries find
nothing. sari is the secretary of Carenang's Forum, dewi of the Pokja of Desa Carenang, tono of
Binuang's Forum."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import OpdFactory
from forums.models import Body
from forums.tests.factories import BodyFactory
from indicators.models import Assessment, DataRequest, TitikPantau
from indicators.requests.services import data_request_assign
from regions.tests import factories as rf
from tatanan.models import Tatanan

from .conftest import entry
from .test_api import error_of, results

pytestmark = pytest.mark.django_db


def in_days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def put(client, url, data):
    return client.put(url, data, content_type="application/json")


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def usulan_url(assessment):
    return f"/api/assessments/{assessment.pk}/usulan/"


@pytest.fixture
def cibinong(wilayah):
    """A kecamatan of Kabupaten Bogor, and a desa in it."""
    kecamatan = rf.region(("32.01.01", "Cibinong"))
    rf.region(("32.01.01.2001", "Pondok Rajeg"))
    return kecamatan


def usulan_of(assessment):
    assessment = Assessment.objects.get(pk=assessment.pk)
    return (
        assessment.category,
        sorted(assessment.proposed_kecamatan.values_list("code", flat=True)),
        sorted(assessment.proposed_desa.values_list("code", flat=True)),
    )


# --- Usulan and category --------------------------------------------------------------------------


class TestUsulan:
    def test_rina_sets_the_category_and_the_usulan_and_readers_read_it(
        self, client_for, rina, oscar, vina, assessment, wilayah
    ):
        data = {"category": "wiwerda", "kecamatan": ["36.04.17"], "desa": [" 36.04.17.2001"]}
        response = put(client_for(rina), usulan_url(assessment), data)

        assert response.status_code == 200, response.content
        body = response.json()
        assert (body["category"], body["kecamatan"], body["desa"]) == ("wiwerda", ["36.04.17"], ["36.04.17.2001"])
        assert body["categories"] == ["padapa", "wiwerda", "wistara"]
        assert (body["kecamatan_coverage"], body["can_edit"]) == (50, True)  # one of Serang's two kecamatan
        assert usulan_of(assessment) == ("wiwerda", ["36.04.17"], ["36.04.17.2001"])

        body = client_for(vina).get(usulan_url(assessment)).json()
        assert (body["category"], body["kecamatan"], body["desa"], body["can_edit"]) == (
            "wiwerda",
            ["36.04.17"],
            ["36.04.17.2001"],
            False,
        )
        detail = client_for(oscar).get(f"/api/assessments/{assessment.pk}/").json()
        assert (detail["category"], detail["proposed_kecamatan"], detail["proposed_desa"]) == (
            "wiwerda",
            ["36.04.17"],
            ["36.04.17.2001"],
        )

    def test_a_put_replaces_the_whole_usulan(self, client_for, rina, assessment, wilayah):
        client = client_for(rina)
        put(
            client, usulan_url(assessment), {"category": "padapa", "kecamatan": ["36.04.17"], "desa": ["36.04.17.2001"]}
        )

        response = put(client, usulan_url(assessment), {"category": "", "kecamatan": ["36.04.17", "36.04.18"]})

        assert response.status_code == 200, response.content
        assert usulan_of(assessment) == ("", ["36.04.17", "36.04.18"], [])  # desa left out: all of their desa
        assert response.json()["kecamatan_coverage"] == 100
        put(client, usulan_url(assessment), {"category": "", "kecamatan": []})
        assert usulan_of(assessment) == ("", [], [])
        assert client.get(usulan_url(assessment)).json()["kecamatan_coverage"] is None

    @pytest.mark.parametrize(
        ("data", "field", "message"),
        [
            ({"kecamatan": ["32.01.01"]}, "kecamatan", "Bukan kecamatan Kabupaten Serang: Cibinong."),
            ({"kecamatan": ["36.04.17.2001"]}, "kecamatan", "Bukan kecamatan Kabupaten Serang: Carenang."),
            ({"kecamatan": ["36.04.99"]}, "kecamatan", "Kode wilayah tidak dikenal: 36.04.99."),
            (
                {"kecamatan": ["36.04.17"], "desa": ["36.04.18.2001"]},
                "desa",
                "Desa/kelurahan berikut tidak berada di kecamatan yang diusulkan: Binuang. "
                "Centang kecamatannya juga, atau hapus centang desanya.",
            ),
            (
                {"kecamatan": ["36.04.17"], "desa": ["32.01.01.2001"]},
                "desa",
                "Desa/kelurahan berikut tidak berada di kecamatan yang diusulkan: Pondok Rajeg. "
                "Centang kecamatannya juga, atau hapus centang desanya.",
            ),
            (
                {"category": "emas"},
                "category",
                "Kategori tidak dikenal: emas. Pilih padapa, wiwerda, wistara atau wistara_paripurna, atau kosongkan.",
            ),
            (
                {"category": "wistara_paripurna"},  # a tier, but not one of this cycle's
                "category",
                "Kategori ini tidak ada dalam aturan strata siklus ini.",
            ),
            ({"kecamatan": "36.04.17"}, "kecamatan", None),  # not a list
            ({"proposed_kecamatan": ["36.04.17"]}, "proposed_kecamatan", "Kolom ini tidak dapat diubah di sini."),
        ],
    )
    def test_mistakes_answer_400_in_indonesian_and_change_nothing(
        self, client_for, rina, assessment, cibinong, data, field, message
    ):
        before = usulan_of(assessment)

        error = error_of(
            put(client_for(rina), usulan_url(assessment), {"category": "", "kecamatan": [], **data}), 400, "invalid"
        )

        assert list(error["fields"]) == [field]
        if message is not None:
            assert error["fields"][field] == [message]
        assert usulan_of(assessment) == before

    def test_category_and_kecamatan_are_required(self, client_for, rina, assessment):
        error = error_of(put(client_for(rina), usulan_url(assessment), {}), 400, "invalid")
        assert set(error["fields"]) == {"category", "kecamatan"}

    def test_only_the_bappeda_admin_writes_and_outsiders_find_nothing(
        self, client_for, oscar, vina, wawan, sari, nadia, assessment, wilayah
    ):
        data = {"category": "padapa", "kecamatan": ["36.04.17"]}
        for user in (oscar, vina, nadia):
            assert client_for(user).get(usulan_url(assessment)).status_code == 200
            error_of(put(client_for(user), usulan_url(assessment), data), 404, "not_found")
            # Refused before the body is judged: no 400 telling what would have been accepted.
            error_of(put(client_for(user), usulan_url(assessment), {"kecamatan": "x"}), 404, "not_found")
        for user in (wawan, sari):
            error_of(client_for(user).get(usulan_url(assessment)), 404, "not_found")
            error_of(put(client_for(user), usulan_url(assessment), data), 404, "not_found")
        assert usulan_of(assessment) == ("", [], [])

    def test_the_superuser_sets_it_too(self, client_for, root_user, assessment, wilayah):
        response = put(
            client_for(root_user), usulan_url(assessment), {"category": "wistara", "kecamatan": ["36.04.18"]}
        )
        assert response.status_code == 200, response.content
        assert usulan_of(assessment) == ("wistara", ["36.04.18"], [])


# --- Titik pantau requests ------------------------------------------------------------------------------


def ask_points(client, on, to, **data):
    """Ask ``to`` (an OPD) for titik pantau in ``on`` (an assessment); ``data`` overrides any key."""
    payload = {"assessment": on.pk, "opd": to.pk, "tatanan": ["psr"], "deadline": str(in_days(7)), **data}
    return post(client, "/api/data-requests/titik-pantau/", payload)


class TestTitikPantauRequest:
    def test_rina_asks_dinkes_and_asking_again_replaces_it(self, client_for, rina, assessment, dinkes_serang):
        client = client_for(rina)
        response = ask_points(
            client, assessment, dinkes_serang, point_kinds=["pasar"], points_min=2, message="Mohon data pasar rakyat."
        )

        assert response.status_code == 201, response.content
        body = response.json()
        assert (body["kind"], body["opd"]["short_name"], body["region"]) == ("titik_pantau", "Dinkes", None)
        assert (body["tatanan"], body["point_kinds"], body["points_min"]) == (["PSR"], ["pasar"], 2)
        assert body["message"] == "Mohon data pasar rakyat."
        assert [(o["text"], o["count"]) for o in body["outstanding"]] == [("PSR – Pasar Sehat: 2 titik pantau lagi", 2)]
        assert body["outstanding"][0]["url"] == f"/penilaian/{assessment.pk}/titik-pantau/tambah/?tatanan=PSR"
        assert (body["outstanding_count"], body["overdue"]) == (2, False)
        data_request = DataRequest.objects.get()
        assert (data_request.kind, data_request.created_by) == (DataRequest.Kind.TITIK_PANTAU, rina)

        again = ask_points(client, assessment, dinkes_serang, tatanan=["PSR", "PDD"], deadline=str(in_days(10)))

        assert again.status_code == 200, again.content
        assert again.json()["id"] == data_request.pk
        assert (again.json()["tatanan"], again.json()["point_kinds"]) == (["PSR", "PDD"], [])
        assert again.json()["message"] == "Mohon data pasar rakyat."  # kept when left out
        assert DataRequest.objects.count() == 1

    @pytest.mark.parametrize(
        ("data", "field", "message"),
        [
            ({"tatanan": ["XYZ"]}, "tatanan", "Tatanan tidak dikenal dalam siklus ini: XYZ"),
            ({"tatanan": ["PDD"]}, "tatanan", "Pilih tatanan yang dinilai dalam penilaian ini."),  # not assessed
            ({"tatanan": []}, "tatanan", "Pilih sedikitnya satu tatanan."),
            ({"point_kinds": ["kapal", "pasar"]}, "point_kinds", "Jenis titik pantau tidak dikenal: kapal."),
            ({"points_min": 0}, "points_min", "Jumlah titik pantau per tatanan harus antara 1 dan 50."),
            ({"points_min": 51}, "points_min", "Jumlah titik pantau per tatanan harus antara 1 dan 50."),
            (
                {"deadline": "2020-01-01"},
                "deadline",
                "Tenggat 01-01-2020 sudah lewat. Pilih hari ini atau tanggal sesudahnya.",
            ),
            ({"opd": 999_999}, "opd", "Tidak ditemukan atau di luar wilayah Anda."),
            ({"entries": [1]}, "entries", "Kolom ini tidak dapat diubah di sini."),
        ],
    )
    def test_mistakes_answer_400_in_indonesian_and_write_nothing(
        self, client_for, rina, assessment, dinkes_serang, data, field, message
    ):
        assessment.tatanan.remove(Tatanan.objects.get(tatanan_set__code="UJI", code="PDD"))

        error = error_of(ask_points(client_for(rina), assessment, dinkes_serang, **data), 400, "invalid")

        assert error["fields"] == {field: [message]}
        assert not DataRequest.objects.exists()

    def test_the_service_reports_every_mistake_at_once(self, client_for, rina, assessment, dinkes_serang):
        data = {"tatanan": [], "point_kinds": ["kapal"], "points_min": 0, "deadline": "2020-01-01"}
        error = error_of(ask_points(client_for(rina), assessment, dinkes_serang, **data), 400, "invalid")
        assert set(error["fields"]) == {"tatanan", "point_kinds", "points_min", "deadline"}

    def test_an_opd_of_another_kabupaten_is_refused(self, client_for, root_user, assessment, wilayah):
        dinkes_bogor = OpdFactory(kabupaten=wilayah["bogor"], short_name="Dinkes")
        error = error_of(ask_points(client_for(root_user), assessment, dinkes_bogor), 400, "invalid")
        assert list(error["fields"]) == ["opd"]
        assert not DataRequest.objects.exists()

    def test_only_the_bappeda_admin_asks(self, client_for, oscar, vina, wawan, sari, nadia, assessment, dinkes_serang):
        for user in (oscar, vina, wawan, sari, nadia):
            error_of(ask_points(client_for(user), assessment, dinkes_serang), 404, "not_found")
            error_of(ask_points(client_for(user), assessment, dinkes_serang, tatanan=["XYZ"]), 404, "not_found")
        error_of(ask_points(client_for(oscar), assessment, dinkes_serang, assessment=10**9), 404, "not_found")
        assert not DataRequest.objects.exists()

    def test_a_missing_assessment_is_400(self, client_for, rina, assessment, dinkes_serang):
        payload = {"opd": dinkes_serang.pk, "tatanan": ["PSR"], "deadline": str(in_days(7))}
        error = error_of(post(client_for(rina), "/api/data-requests/titik-pantau/", payload), 400, "invalid")
        assert "assessment" in error["fields"]


# --- Kelembagaan document requests ----------------------------------------------------------------------


@pytest.fixture
def forum_carenang(wilayah):
    return BodyFactory(kind=Body.Kind.FORUM_KECAMATAN, region=wilayah["carenang"])


def ask_documents(client, assessment, regions, **data):
    payload = {
        "assessment": assessment.pk,
        "regions": regions,
        "documents": ["sk", "rencana_kerja"],
        "deadline": str(in_days(7)),
        **data,
    }
    return post(client, "/api/data-requests/kelembagaan/", payload)


class TestDocumentRequest:
    def test_rina_asks_two_forums_and_asking_again_replaces_them(self, client_for, rina, assessment, forum_carenang):
        client = client_for(rina)
        response = ask_documents(client, assessment, ["36.04.17", "36.04.17.2001"], message="Untuk dossier.")

        assert response.status_code == 201, response.content
        body = {row["region"]: row for row in response.json()}
        assert set(body) == {"36.04.17", "36.04.17.2001"}
        carenang = body["36.04.17"]
        assert (carenang["kind"], carenang["opd"], carenang["documents"]) == (
            "kelembagaan",
            None,
            ["sk", "rencana_kerja"],
        )
        assert [o["text"] for o in carenang["outstanding"]] == [
            "SK pembentukan yang berlaku, dengan berkas pindaiannya, belum diunggah.",
            "Rencana kerja tahun 2028 dan 2029 belum diajukan.",
        ]
        assert carenang["outstanding_count"] == 3  # one SK, two years of work plans
        # The Pokja of Desa Carenang is not set up in the portal: every document asked is outstanding.
        assert len(body["36.04.17.2001"]["outstanding"]) == 2
        assert DataRequest.objects.filter(kind=DataRequest.Kind.KELEMBAGAAN, created_by=rina).count() == 2

        again = ask_documents(client, assessment, ["36.04.17"], documents=["sekretariat"])

        assert again.status_code == 200, again.content
        assert [(row["id"], row["documents"]) for row in again.json()] == [(carenang["id"], ["sekretariat"])]
        assert DataRequest.objects.count() == 2

    @pytest.mark.parametrize(
        ("regions", "data", "field", "message"),
        [
            (["32.01"], {}, "regions", "Lembaga berikut bukan Forum/Pokja Kabupaten Serang: Kabupaten Bogor."),
            (["36.04.17", "36"], {}, "regions", "Lembaga berikut bukan Forum/Pokja Kabupaten Serang: Banten."),
            (["36.04.99"], {}, "regions", "Kode wilayah tidak dikenal: 36.04.99."),
            ([], {}, "regions", "Pilih sedikitnya satu lembaga."),
            (["36.04.17"], {"documents": ["ktp"]}, "documents", "Dokumen yang dipilih tidak dikenal."),
            (["36.04.17"], {"documents": []}, "documents", "Pilih sedikitnya satu dokumen."),
            (["36.04.17"], {"deadline": ""}, "deadline", None),
            (["36.04.17"], {"opd": 1}, "opd", "Kolom ini tidak dapat diubah di sini."),
        ],
    )
    def test_mistakes_answer_400_in_indonesian_and_write_nothing(
        self, client_for, rina, assessment, regions, data, field, message
    ):
        error = error_of(ask_documents(client_for(rina), assessment, regions, **data), 400, "invalid")

        assert list(error["fields"]) == [field]
        if message is not None:
            assert error["fields"][field] == [message]
        assert not DataRequest.objects.exists()

    def test_only_the_bappeda_admin_asks(self, client_for, oscar, vina, wawan, sari, dewi, assessment, wilayah):
        for user in (oscar, vina, wawan, sari, dewi):
            error_of(ask_documents(client_for(user), assessment, ["36.04.17"]), 404, "not_found")
            error_of(ask_documents(client_for(user), assessment, ["32.01"]), 404, "not_found")
        assert not DataRequest.objects.exists()


# --- What is addressed to whom -------------------------------------------------------------------------


@pytest.fixture
def requests_of_every_kind(client_for, rina, assessment, dinkes_serang, forum_carenang):
    """Dinkes is asked for PSR 1 and for two markets; Carenang's Forum and Desa Carenang's Pokja
    for their SK."""
    data_request_assign(
        assessment=assessment,
        opd=dinkes_serang,
        entries=[entry(assessment, "PSR", "1")],
        deadline=in_days(3),
        actor=rina,
    )
    assert ask_points(client_for(rina), assessment, dinkes_serang, points_min=2).status_code == 201
    response = ask_documents(client_for(rina), assessment, ["36.04.17", "36.04.17.2001"], documents=["sk"])
    assert response.status_code == 201
    return {row["region"]: row["id"] for row in response.json()}


def listed(client):
    return sorted(
        (row["kind"], row["opd"]["short_name"] if row["opd"] else row["region"], row["outstanding_count"])
        for row in results(client.get("/api/data-requests/"))
    )


class TestAddressedRequests:
    def test_each_reads_what_is_asked_of_them_with_what_is_outstanding(
        self, client_for, rina, oscar, sari, dewi, tono, vina, root_user, requests_of_every_kind
    ):
        # PSR 1 of the small catalogue's PSR entries is Dinkes' (it also got the others when the round opened).
        oscar_rows = listed(client_for(oscar))
        assert [row[:2] for row in oscar_rows] == [("isian", "Dinkes"), ("titik_pantau", "Dinkes")]
        assert ("titik_pantau", "Dinkes", 2) in oscar_rows
        assert listed(client_for(sari)) == [("kelembagaan", "36.04.17", 1)]
        assert listed(client_for(dewi)) == [("kelembagaan", "36.04.17.2001", 1)]
        assert listed(client_for(tono)) == []
        assert listed(client_for(vina)) == []
        assert len(listed(client_for(rina))) == len(listed(client_for(root_user))) == 4

        (row,) = results(client_for(sari).get("/api/data-requests/"))
        assert row["outstanding"] == [
            {
                "text": "SK pembentukan yang berlaku, dengan berkas pindaiannya, belum diunggah.",
                "url": reverse("forums:decree_list", args=[Body.objects.get(region_id="36.04.17").pk]),
                "count": 1,
            }
        ]
        assert client_for(sari).get(f"/api/data-requests/{row['id']}/").json()["outstanding_count"] == 1
        assert results(client_for(sari).get("/api/data-requests/?kind=isian")) == []

    def test_the_secretaries_only_read(
        self, client_for, sari, tono, dewi, assessment, dinkes_serang, requests_of_every_kind
    ):
        carenang = requests_of_every_kind["36.04.17"]
        error_of(client_for(tono).get(f"/api/data-requests/{carenang}/"), 404, "not_found")
        error_of(client_for(dewi).get(f"/api/data-requests/{carenang}/"), 404, "not_found")
        error_of(client_for(sari).post(f"/api/data-requests/{carenang}/remind/"), 404, "not_found")
        error_of(ask_documents(client_for(sari), assessment, ["36.04.17"]), 404, "not_found")
        titik_pantau = DataRequest.objects.get(kind=DataRequest.Kind.TITIK_PANTAU).pk
        error_of(client_for(sari).get(f"/api/data-requests/{titik_pantau}/"), 404, "not_found")

    def test_the_outstanding_follows_the_data_and_overdue_needs_something_outstanding(
        self, client_for, oscar, assessment, wilayah, requests_of_every_kind
    ):
        points = DataRequest.objects.get(kind=DataRequest.Kind.TITIK_PANTAU)
        DataRequest.objects.filter(pk=points.pk).update(deadline=in_days(-1))
        url = f"/api/data-requests/{points.pk}/"
        body = client_for(oscar).get(url).json()
        assert (body["outstanding_count"], body["overdue"]) == (2, True)

        psr = Tatanan.objects.get(tatanan_set__code="UJI", code="PSR")
        for name in ("Pasar Carenang", "Pasar Pamanuk"):
            TitikPantau.objects.create(
                assessment=assessment,
                tatanan=psr,
                name=name,
                kind="pasar",
                desa=wilayah["desa_carenang"],
                address="Jl. Pasar",
                latitude=Decimal("-6.1"),
                longitude=Decimal("106.2"),
            )

        body = client_for(oscar).get(url).json()
        assert (body["outstanding"], body["outstanding_count"], body["overdue"]) == ([], 0, False)
