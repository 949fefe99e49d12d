"""Field work of an assessment: titik pantau, ODF, kelembagaan, chosen tatanan, local indicators.

rina (Bappeda admin of Kabupaten Serang) does it all; oscar (OPD operator) and vina (province
verifier) read the assessment but may change none of this; sari (kecamatan secretary) does not
read the kabupaten's assessment; wawan (verifier of another province) gets 404 everywhere.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from accounts.models import Role
from accounts.tests.factories import RoleAssignmentFactory, UserFactory
from indicators.fieldwork.forms import TitikPantauForm
from indicators.fieldwork.services import (
    assessment_tatanan_update,
    kelembagaan_entries_update,
    local_indicator_add,
    odf_checklist_set,
    odf_counts_set,
    outside_indonesia,
    titik_pantau_create,
)
from indicators.models import IndicatorEntry, KelembagaanEntry, OdfStatus, TitikPantau
from indicators.scoring import assessment_score
from indicators.selectors import odf_percent
from indicators.services import assessment_open
from regions.tests import factories as rf
from tatanan.models import Cycle, Indicator, KelembagaanItem, ScaleOption, Tatanan
from tatanan.selectors import indicators_visible_to

from .conftest import entry, set_kelembagaan, set_odf, set_scores


def url(assessment, rest=""):
    return f"/penilaian/{assessment.pk}/{rest}"


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def pasar(small_cycle):
    return Tatanan.objects.get(tatanan_set=small_cycle.tatanan_set, code="PSR")


@pytest.fixture
def sekolah(small_cycle):
    return Tatanan.objects.get(tatanan_set=small_cycle.tatanan_set, code="PDD")


@pytest.fixture
def desa_bogor(wilayah):
    return rf.region(("32.01.01.2001", "Cibinong"))


# --- Titik pantau -------------------------------------------------------------------------------


def point_data(tatanan, **extra):
    data = {
        "tatanan": tatanan.pk,
        "name": "Pasar Baros",
        "kind": "pasar",
        "desa": "36.04.17.2002",
        "address": "Jl. Raya Carenang",
        "latitude": "-6.120000",
        "longitude": "106.250000",
        "description": "Pasar desa, dibina Disperindag",
    }
    data.update(extra)
    return data


class TestTitikPantau:
    def test_rina_adds_edits_and_deletes_a_titik_pantau(self, client_for, rina, assessment, pasar, wilayah):
        client = client_for(rina)
        response = client.post(url(assessment, "titik-pantau/tambah/"), point_data(pasar), follow=True)
        point = TitikPantau.objects.get(assessment=assessment)
        assert point.desa == wilayah["desa_pamanuk"]
        assert point.latitude == Decimal("-6.12")
        assert point.created_by == rina
        html = response.content.decode()
        assert 'data-tatanan="PSR"' in html
        assert "Pasar Baros" in html
        assert not any("jauh di luar" in m for m in messages_of(response))

        response = client.post(url(assessment, f"titik-pantau/{point.pk}/"), point_data(pasar, name="Pasar Carenang"))
        assert response.status_code == 302
        point.refresh_from_db()
        assert point.name == "Pasar Carenang"

        assert client.get(url(assessment, f"titik-pantau/{point.pk}/hapus/")).status_code == 200
        assert client.post(url(assessment, f"titik-pantau/{point.pk}/hapus/")).status_code == 302
        assert not TitikPantau.objects.exists()

    def test_the_list_is_grouped_by_assessed_tatanan(self, client_for, rina, assessment, pasar, sekolah):
        titik_pantau_create(assessment=assessment, actor=rina, tatanan=sekolah, name="SDN Carenang 1", kind="sekolah")
        response = client_for(rina).get(url(assessment, "titik-pantau/"))
        groups = {t.code: [p.name for p in points] for t, points in response.context["groups"]}
        assert groups == {"PSR": [], "PDD": ["SDN Carenang 1"]}

    def test_a_desa_outside_the_kabupaten_is_refused_with_a_message(
        self, client_for, rina, assessment, pasar, desa_bogor
    ):
        response = client_for(rina).post(
            url(assessment, "titik-pantau/tambah/"), point_data(pasar, desa=desa_bogor.code)
        )
        assert response.status_code == 200
        # Kabupaten Serang's villages are desa (regions/words.py)
        assert "Desa harus berada di wilayah Kabupaten Serang." in response.content.decode()
        assert not TitikPantau.objects.exists()

    def test_a_kecamatan_is_not_a_desa(self, rina, assessment, pasar, wilayah):
        with pytest.raises(ValidationError) as error:
            titik_pantau_create(
                assessment=assessment, actor=rina, tatanan=pasar, name="X", kind="pasar", desa=wilayah["carenang"]
            )
        assert "desa" in error.value.message_dict

    @pytest.mark.parametrize(
        ("latitude", "longitude", "message"),
        [
            ("95", "106.2", "Lintang harus antara -90 dan 90."),
            ("-6.1", "190", "Bujur harus antara -180 dan 180."),
            ("-6.1", "", "Isi lintang dan bujur bersama-sama."),
        ],
    )
    def test_coordinates_are_validated(self, client_for, rina, assessment, pasar, latitude, longitude, message):
        response = client_for(rina).post(
            url(assessment, "titik-pantau/tambah/"), point_data(pasar, latitude=latitude, longitude=longitude)
        )
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not TitikPantau.objects.exists()

    def test_coordinates_far_outside_indonesia_are_saved_with_a_warning(self, client_for, rina, assessment, pasar):
        # Latitude and longitude swapped: a classic slip.
        response = client_for(rina).post(
            url(assessment, "titik-pantau/tambah/"),
            point_data(pasar, latitude="6.12", longitude="-106.25"),
            follow=True,
        )
        assert TitikPantau.objects.filter(assessment=assessment).exists()
        assert any("jauh di luar wilayah Indonesia" in m for m in messages_of(response))

    def test_the_bounding_box(self):
        assert not outside_indonesia(Decimal("-6.12"), Decimal("106.25"))  # Serang
        assert not outside_indonesia(Decimal("-8.5"), Decimal("140.4"))  # Merauke
        assert outside_indonesia(Decimal("48.85"), Decimal("2.35"))  # Paris
        assert not outside_indonesia(None, None)

    def test_a_tatanan_not_assessed_is_refused(self, rina, assessment, small_cycle):
        other = Tatanan.objects.create(tatanan_set=small_cycle.tatanan_set, code="PAR", number=3, name="Pariwisata")
        with pytest.raises(ValidationError) as error:
            titik_pantau_create(
                assessment=assessment, actor=rina, tatanan=other, name="Pantai", kind="destinasi_wisata"
            )
        assert "tatanan" in error.value.message_dict

    def test_verifiers_in_scope_read_but_do_not_edit(self, client_for, vina, rina, assessment, pasar):
        point = titik_pantau_create(assessment=assessment, actor=rina, tatanan=pasar, name="Pasar Baros", kind="pasar")
        client = client_for(vina)
        response = client.get(url(assessment, "titik-pantau/"))
        assert response.status_code == 200
        assert "Pasar Baros" in response.content.decode()
        assert 'id="add-titik-pantau"' not in response.content.decode()
        assert client.get(url(assessment, "titik-pantau/tambah/")).status_code == 404
        assert client.post(url(assessment, "titik-pantau/tambah/"), point_data(pasar)).status_code == 404
        assert client.post(url(assessment, f"titik-pantau/{point.pk}/hapus/")).status_code == 404
        assert TitikPantau.objects.count() == 1

    def test_oscar_and_sari_cannot_edit(self, client_for, oscar, sari, assessment, pasar):
        assert client_for(oscar).post(url(assessment, "titik-pantau/tambah/"), point_data(pasar)).status_code == 404
        # sari's scope is her kecamatan: the kabupaten's assessment does not exist for her.
        assert client_for(sari).get(url(assessment, "titik-pantau/")).status_code == 404
        assert not TitikPantau.objects.exists()

    def test_wawan_gets_404(self, client_for, wawan, rina, assessment, pasar):
        point = titik_pantau_create(assessment=assessment, actor=rina, tatanan=pasar, name="Pasar Baros", kind="pasar")
        client = client_for(wawan)
        assert client.get(url(assessment, "titik-pantau/")).status_code == 404
        assert client.get(url(assessment, f"titik-pantau/{point.pk}/")).status_code == 404

    def test_services_refuse_other_roles(self, oscar, wawan, assessment, pasar):
        with pytest.raises(Http404):
            titik_pantau_create(assessment=assessment, actor=oscar, tatanan=pasar, name="X", kind="pasar")
        with pytest.raises(Http404):
            titik_pantau_create(assessment=assessment, actor=wawan, tatanan=pasar, name="X", kind="pasar")


# --- ODF ----------------------------------------------------------------------------------------


class TestOdf:
    def test_counts_give_the_odf_percent(self, client_for, rina, assessment, wilayah):
        client = client_for(rina)
        response = client.post(url(assessment, "odf/36.04.17/"), {"desa_total": 2, "desa_odf": 1, "save_counts": "1"})
        assert response.status_code == 302
        assert odf_percent(assessment) == Decimal("50.00")
        response = client.get(url(assessment, "odf/"))
        assert response.context["odf"] == Decimal("50.00")
        rows = {
            r["kecamatan"].code: (r["mode"], r["odf"], r["total"], r["desa_count"]) for r in response.context["rows"]
        }
        assert rows == {"36.04.17": ("jumlah", 1, 2, 2), "36.04.18": (None, None, None, 1)}

    def test_a_total_above_the_real_desa_count_is_refused(self, client_for, rina, assessment):
        response = client_for(rina).post(
            url(assessment, "odf/36.04.17/"), {"desa_total": 3, "desa_odf": 1, "save_counts": "1"}
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "melebihi jumlah desa Kecamatan Carenang menurut data wilayah Kemendagri (2)" in html
        assert not OdfStatus.objects.exists()

    def test_more_odf_than_total_is_refused(self, client_for, rina, assessment):
        response = client_for(rina).post(
            url(assessment, "odf/36.04.17/"), {"desa_total": 1, "desa_odf": 2, "save_counts": "1"}
        )
        assert "Jumlah desa Stop BABS tidak boleh melebihi jumlah desa." in response.content.decode()
        assert not OdfStatus.objects.exists()

    def test_the_checklist_lists_every_desa_and_gives_the_odf_percent(self, client_for, rina, assessment, wilayah):
        client = client_for(rina)
        html = client.get(url(assessment, "odf/36.04.17/?cara=desa")).content.decode()
        assert "Desa Carenang" in html
        assert "Desa Pamanuk" in html
        response = client.post(url(assessment, "odf/36.04.17/"), {"odf_desa": ["36.04.17.2002"], "save_checklist": "1"})
        assert response.status_code == 302
        declared = dict(OdfStatus.objects.filter(assessment=assessment).values_list("desa_id", "declared_odf"))
        assert declared == {"36.04.17.2001": False, "36.04.17.2002": True}
        client.post(url(assessment, "odf/36.04.18/"), {"odf_desa": ["36.04.18.2001"], "save_checklist": "1"})
        assert odf_percent(assessment) == Decimal("66.67")

    def test_counts_and_checklist_replace_each_other(self, rina, assessment, wilayah):
        carenang = wilayah["carenang"]
        odf_checklist_set(assessment=assessment, actor=rina, kecamatan=carenang, odf_desa=["36.04.17.2001"])
        odf_counts_set(assessment=assessment, actor=rina, kecamatan=carenang, desa_total=2, desa_odf=2)
        assert odf_percent(assessment) == Decimal("100.00")
        assert not OdfStatus.objects.filter(desa__isnull=False).exists()
        odf_checklist_set(assessment=assessment, actor=rina, kecamatan=carenang, odf_desa=[])
        assert odf_percent(assessment) == Decimal("0.00")
        assert not OdfStatus.objects.filter(desa__isnull=True).exists()

    def test_a_desa_of_another_kecamatan_is_refused(self, rina, assessment, wilayah):
        with pytest.raises(ValidationError, match="bukan bagian dari Kecamatan Carenang"):
            odf_checklist_set(
                assessment=assessment, actor=rina, kecamatan=wilayah["carenang"], odf_desa=["36.04.18.2001"]
            )

    def test_a_kecamatan_of_another_kabupaten_is_refused(self, client_for, rina, assessment, wilayah):
        bogor_kecamatan = rf.region(("32.01.01", "Cibinong"))
        assert client_for(rina).get(url(assessment, "odf/32.01.01/")).status_code == 404
        with pytest.raises(ValidationError, match="Kabupaten Serang"):
            odf_counts_set(assessment=assessment, actor=rina, kecamatan=bogor_kecamatan, desa_total=0, desa_odf=0)

    def test_only_the_bappeda_admin(self, client_for, oscar, vina, sari, wawan, assessment):
        for user in (oscar, vina, sari, wawan):
            client = client_for(user)
            assert client.get(url(assessment, "odf/")).status_code == 404
            response = client.post(
                url(assessment, "odf/36.04.17/"), {"desa_total": 2, "desa_odf": 2, "save_counts": "1"}
            )
            assert response.status_code == 404
        assert not OdfStatus.objects.exists()
        with pytest.raises(Http404):
            odf_counts_set(assessment=assessment, actor=oscar, kecamatan=assessment.kabupaten, desa_total=0, desa_odf=0)


# --- Kelembagaan --------------------------------------------------------------------------------


@pytest.fixture
def second_item(small_cycle, assessment):
    item = KelembagaanItem.objects.create(cycle=small_cycle, component="forum_kabkota", item="sk", order=1)
    for order, value in enumerate((100, 50, 0)):
        ScaleOption.objects.create(kelembagaan_item=item, value=value, order=order, description=f"nilai {value}")
    KelembagaanEntry.objects.create(assessment=assessment, item=item)
    return item


def kelembagaan_post(assessment, values):
    """Form-set data: ``values`` maps each entry to (option or None, note)."""
    entries = list(KelembagaanEntry.objects.filter(assessment=assessment).order_by("item__order", "item_id"))
    data = {
        "kelembagaan-TOTAL_FORMS": str(len(entries)),
        "kelembagaan-INITIAL_FORMS": str(len(entries)),
        "kelembagaan-MIN_NUM_FORMS": "0",
        "kelembagaan-MAX_NUM_FORMS": "1000",
    }
    for i, e in enumerate(entries):
        chosen, note = values.get(e.pk, (None, ""))
        data[f"kelembagaan-{i}-entry"] = str(e.pk)
        data[f"kelembagaan-{i}-self_score"] = str(chosen.pk) if chosen else ""
        data[f"kelembagaan-{i}-note"] = note
    return data


class TestKelembagaan:
    def test_rina_scores_every_item_and_the_gate_changes_the_tier(
        self, client_for, rina, assessment, wilayah, second_item
    ):
        set_scores(assessment, {"PSR1": 100, "PSR2": 100, "PDD1": 100, "PDD2": 100})
        set_odf(assessment, wilayah, total=2, odf=2)
        before = assessment_score(assessment=assessment)
        assert not before.kelembagaan_met
        assert before.tier is None

        client = client_for(rina)
        page = client.get(url(assessment, "kelembagaan/"))
        assert page.status_code == 200
        assert "Forum Kabupaten/Kota – SK" in page.content.decode()
        entries = list(KelembagaanEntry.objects.filter(assessment=assessment))
        top = {e.pk: (e.item.scale_options.get(value=100), "SK Bupati No. 1/2024") for e in entries}
        response = client.post(url(assessment, "kelembagaan/"), kelembagaan_post(assessment, top))
        assert response.status_code == 302

        after = assessment_score(assessment=assessment)
        assert after.kelembagaan_met
        assert after.tier == "wistara"
        assert set(KelembagaanEntry.objects.values_list("note", flat=True)) == {"SK Bupati No. 1/2024"}

    def test_one_item_short_of_its_top_keeps_the_gate_closed(self, rina, assessment, wilayah, second_item):
        set_scores(assessment, {"PSR1": 100, "PSR2": 100, "PDD1": 100, "PDD2": 100})
        set_odf(assessment, wilayah, total=2, odf=2)
        changes = [
            (e, e.item.scale_options.get(value=100 if e.item_id != second_item.pk else 50), "")
            for e in KelembagaanEntry.objects.filter(assessment=assessment)
        ]
        kelembagaan_entries_update(assessment=assessment, actor=rina, changes=changes)
        score = assessment_score(assessment=assessment)
        assert score.kelembagaan_missing == 1
        assert score.tier is None

    def test_an_option_of_another_item_is_refused_with_a_message(self, client_for, rina, assessment, second_item):
        first = KelembagaanEntry.objects.exclude(item=second_item).get(assessment=assessment)
        foreign = second_item.scale_options.get(value=100)
        response = client_for(rina).post(
            url(assessment, "kelembagaan/"), kelembagaan_post(assessment, {first.pk: (foreign, "")})
        )
        assert response.status_code == 200
        assert "Nilai harus salah satu opsi skala butir ini." in response.content.decode()
        first.refresh_from_db()
        assert first.self_score is None

    def test_the_service_refuses_an_option_of_another_item(self, rina, assessment, second_item):
        first = KelembagaanEntry.objects.exclude(item=second_item).get(assessment=assessment)
        with pytest.raises(ValidationError, match="opsi skala butir ini"):
            kelembagaan_entries_update(
                assessment=assessment, actor=rina, changes=[(first, second_item.scale_options.first(), "")]
            )

    def test_only_the_bappeda_admin(self, client_for, oscar, vina, sari, wawan, assessment):
        set_kelembagaan(assessment, 0)
        top = {e.pk: (e.item.scale_options.get(value=100), "") for e in KelembagaanEntry.objects.all()}
        for user in (oscar, vina, sari, wawan):
            client = client_for(user)
            assert client.get(url(assessment, "kelembagaan/")).status_code == 404
            assert client.post(url(assessment, "kelembagaan/"), kelembagaan_post(assessment, top)).status_code == 404
        assert not assessment_score(assessment=assessment).kelembagaan_met


# --- Chosen tatanan -----------------------------------------------------------------------------


@pytest.fixture
def chosen_assessment(small_cycle, rina, wilayah, pasar):
    small_cycle.tatanan_selection = Cycle.TatananSelection.CHOSEN
    small_cycle.save()
    return assessment_open(kabupaten=wilayah["serang"], cycle=small_cycle, actor=rina, tatanan=[pasar])


class TestChosenTatanan:
    def test_rina_adds_a_tatanan_and_its_entries_are_created(self, client_for, rina, chosen_assessment, pasar, sekolah):
        assert not chosen_assessment.indicator_entries.filter(indicator__tatanan=sekolah).exists()
        response = client_for(rina).post(url(chosen_assessment, "tatanan/"), {"tatanan": [pasar.pk, sekolah.pk]})
        assert response.status_code == 302
        assert set(chosen_assessment.tatanan.values_list("code", flat=True)) == {"PSR", "PDD"}
        assert chosen_assessment.indicator_entries.filter(indicator__tatanan=sekolah).count() == 2

    def test_an_empty_tatanan_can_be_dropped(self, rina, chosen_assessment, pasar, sekolah):
        assessment_tatanan_update(assessment=chosen_assessment, actor=rina, tatanan=[pasar, sekolah])
        assessment_tatanan_update(assessment=chosen_assessment, actor=rina, tatanan=[sekolah])
        assert list(chosen_assessment.tatanan.values_list("code", flat=True)) == ["PDD"]
        assert not chosen_assessment.indicator_entries.filter(indicator__tatanan=pasar).exists()

    def test_a_tatanan_with_filled_entries_is_not_dropped(self, client_for, rina, chosen_assessment, pasar, sekolah):
        assessment_tatanan_update(assessment=chosen_assessment, actor=rina, tatanan=[pasar, sekolah])
        filled = entry(chosen_assessment, "PSR", "1")
        filled.explanation = "Sudah ada 12 pasar sehat"
        filled.save()
        response = client_for(rina).post(url(chosen_assessment, "tatanan/"), {"tatanan": [sekolah.pk]})
        assert response.status_code == 200
        assert "sudah berisi data" in response.content.decode()
        assert "PSR – Pasar Sehat" in response.content.decode()
        assert set(chosen_assessment.tatanan.values_list("code", flat=True)) == {"PSR", "PDD"}
        assert IndicatorEntry.objects.filter(pk=filled.pk).exists()

    def test_a_tatanan_with_titik_pantau_is_not_dropped(self, rina, chosen_assessment, pasar, sekolah):
        assessment_tatanan_update(assessment=chosen_assessment, actor=rina, tatanan=[pasar, sekolah])
        titik_pantau_create(assessment=chosen_assessment, actor=rina, tatanan=pasar, name="Pasar Baros", kind="pasar")
        with pytest.raises(ValidationError, match="sudah berisi data"):
            assessment_tatanan_update(assessment=chosen_assessment, actor=rina, tatanan=[sekolah])

    def test_at_least_one_tatanan(self, client_for, rina, chosen_assessment):
        response = client_for(rina).post(url(chosen_assessment, "tatanan/"), {})
        assert "Pilih sedikitnya satu tatanan." in response.content.decode()

    def test_not_for_a_cycle_where_all_tatanan_are_compulsory(self, client_for, rina, assessment, pasar):
        assert client_for(rina).get(url(assessment, "tatanan/")).status_code == 404
        with pytest.raises(ValidationError):
            assessment_tatanan_update(assessment=assessment, actor=rina, tatanan=[pasar])

    def test_only_the_bappeda_admin(self, client_for, oscar, vina, wawan, chosen_assessment, pasar, sekolah):
        for user in (oscar, vina, wawan):
            response = client_for(user).post(url(chosen_assessment, "tatanan/"), {"tatanan": [pasar.pk, sekolah.pk]})
            assert response.status_code == 404
        assert list(chosen_assessment.tatanan.values_list("code", flat=True)) == ["PSR"]


# --- Local indicators ---------------------------------------------------------------------------


def local_data(tatanan, **extra):
    data = {
        "tatanan": tatanan.pk,
        "number": "L1",
        "name": "Angka partisipasi sekolah",
        "definisi_operasional": "Persentase anak usia sekolah yang bersekolah",
        "target": "≥ 95 %",
        "scale_text": "100 = tercapai\n50 = sebagian\n0 = tidak tercapai",
    }
    data.update(extra)
    return data


class TestLocalIndicators:
    def test_rina_adds_a_local_indicator_shown_as_lokal_beside_the_official_ones(
        self, client_for, rina, assessment, sekolah
    ):
        client = client_for(rina)
        response = client.post(url(assessment, "indikator-lokal/"), local_data(sekolah))
        assert response.status_code == 302
        indicator = Indicator.objects.get(is_local=True)
        assert indicator.owner_kabupaten_id == "36.04"
        assert [o.value for o in indicator.scale_options.all()] == [100, 50, 0]
        assert IndicatorEntry.objects.filter(assessment=assessment, indicator=indicator).exists()
        html = client.get(url(assessment)).content.decode()
        assert "Lokal" in html
        assert "Angka partisipasi sekolah" in html

    def test_a_local_indicator_never_changes_the_official_score(self, rina, assessment, sekolah):
        set_scores(assessment, {"PSR1": 100, "PSR2": 75, "PDD1": 75, "PDD2": 75})
        before = assessment_score(assessment=assessment)
        local = local_indicator_add(
            assessment=assessment, actor=rina, tatanan=sekolah, number="L1", name="IKS", scale_text="100 = a\n0 = b"
        )
        local.self_score = local.indicator.scale_options.get(value=0)
        local.save()
        after = assessment_score(assessment=assessment)
        assert {t.code: t.percent for t in after.tatanan} == {"PSR": Decimal("87.50"), "PDD": Decimal("75.00")}
        assert [(t.code, t.percent, t.indicator_count) for t in after.tatanan] == [
            (t.code, t.percent, t.indicator_count) for t in before.tatanan
        ]
        assert after.overall == before.overall
        assert all("IKS" not in step.label for step in after.what_if.improvements)

    def test_other_kabupaten_never_see_it(self, client_for, rina, wawan, assessment, sekolah, small_cycle, wilayah):
        local_indicator_add(assessment=assessment, actor=rina, tatanan=sekolah, number="L1", name="IKS")
        bogor_admin = UserFactory(username="budi")
        RoleAssignmentFactory(user=bogor_admin, role=Role.BAPPEDA_ADMIN, region=wilayah["bogor"])
        assert not indicators_visible_to(bogor_admin, cycle=small_cycle).filter(is_local=True).exists()
        assert indicators_visible_to(rina, cycle=small_cycle).filter(is_local=True).count() == 1
        assert client_for(bogor_admin).get(url(assessment, "indikator-lokal/")).status_code == 404
        bogor = assessment_open(kabupaten=wilayah["bogor"], cycle=small_cycle, actor=bogor_admin)
        assert not bogor.indicator_entries.filter(indicator__is_local=True).exists()

    def test_an_invalid_scale_value_is_refused_with_a_message(self, client_for, rina, assessment, sekolah):
        response = client_for(rina).post(url(assessment, "indikator-lokal/"), local_data(sekolah, scale_text="30 = x"))
        assert response.status_code == 200
        assert "nilai 30 tidak sah" in response.content.decode()
        assert not Indicator.objects.filter(is_local=True).exists()

    def test_a_number_is_used_once_per_tatanan(self, client_for, rina, assessment, sekolah):
        client = client_for(rina)
        client.post(url(assessment, "indikator-lokal/"), local_data(sekolah))
        response = client.post(url(assessment, "indikator-lokal/"), local_data(sekolah, name="Lain"))
        assert "Nomor L1 sudah dipakai indikator lokal lain." in response.content.decode()

    def test_edit_and_delete(self, client_for, rina, assessment, sekolah):
        client = client_for(rina)
        client.post(url(assessment, "indikator-lokal/"), local_data(sekolah))
        indicator = Indicator.objects.get(is_local=True)
        response = client.post(url(assessment, f"indikator-lokal/{indicator.pk}/"), local_data(sekolah, name="APS SD"))
        assert response.status_code == 302
        indicator.refresh_from_db()
        assert indicator.name == "APS SD"

        local_entry = IndicatorEntry.objects.get(indicator=indicator)
        local_entry.value_year1 = "96"
        local_entry.save()
        response = client.post(url(assessment, f"indikator-lokal/{indicator.pk}/hapus/"), follow=True)
        assert any("sudah diisi" in m for m in messages_of(response))
        assert Indicator.objects.filter(pk=indicator.pk).exists()

        local_entry.value_year1 = ""
        local_entry.save()
        client.post(url(assessment, f"indikator-lokal/{indicator.pk}/hapus/"))
        assert not Indicator.objects.filter(pk=indicator.pk).exists()
        assert not IndicatorEntry.objects.filter(pk=local_entry.pk).exists()

    def test_the_catalogue_refuses_to_delete_one_an_assessment_holds(self, client_for, rina, assessment, sekolah):
        local = local_indicator_add(assessment=assessment, actor=rina, tatanan=sekolah, number="L1", name="IKS")
        client = client_for(rina)
        page = client.get(url(assessment, "indikator-lokal/")).content.decode()
        assert f'href="/tatanan/lokal/{assessment.cycle.award_year}/"' in page
        response = client.post(f"/tatanan/lokal/{assessment.cycle.award_year}/{local.indicator.pk}/hapus/", follow=True)
        assert any("masih dipakai dalam penilaian" in m for m in messages_of(response))
        assert Indicator.objects.filter(pk=local.indicator.pk).exists()

    def test_a_scale_in_use_is_not_replaced(self, client_for, rina, assessment, sekolah):
        local = local_indicator_add(
            assessment=assessment, actor=rina, tatanan=sekolah, number="L1", name="IKS", scale_text="100 = a\n0 = b"
        )
        local.self_score = local.indicator.scale_options.get(value=100)
        local.save()
        response = client_for(rina).post(
            url(assessment, f"indikator-lokal/{local.indicator.pk}/"),
            local_data(sekolah, name="IKS", scale_text="100 = baru"),
        )
        assert "Skala tidak dapat diganti" in response.content.decode()
        assert local.indicator.scale_options.count() == 2

    def test_only_the_bappeda_admin(self, client_for, oscar, vina, sari, wawan, assessment, sekolah):
        for user in (oscar, vina, sari, wawan):
            client = client_for(user)
            assert client.get(url(assessment, "indikator-lokal/")).status_code == 404
            assert client.post(url(assessment, "indikator-lokal/"), local_data(sekolah)).status_code == 404
        assert not Indicator.objects.filter(is_local=True).exists()
        with pytest.raises(Http404):
            local_indicator_add(assessment=assessment, actor=oscar, tatanan=sekolah, number="L1", name="IKS")


def test_the_assessment_page_links_the_field_work(client_for, rina, vina, assessment):
    html = client_for(rina).get(url(assessment)).content.decode()
    for rest in ("titik-pantau/", "odf/", "kelembagaan/", "indikator-lokal/"):
        assert f'href="{url(assessment, rest)}"' in html
    html = client_for(vina).get(url(assessment)).content.decode()
    assert f'href="{url(assessment, "titik-pantau/")}"' in html
    assert f'href="{url(assessment, "odf/")}"' not in html


def test_every_form_page_renders_for_rina(client_for, rina, chosen_assessment, pasar, wilayah):
    point = titik_pantau_create(
        assessment=chosen_assessment, actor=rina, tatanan=pasar, name="Pasar Baros", kind="pasar", desa="36.04.17.2001"
    )
    local = local_indicator_add(assessment=chosen_assessment, actor=rina, tatanan=pasar, number="L1", name="IKS")
    odf_counts_set(assessment=chosen_assessment, actor=rina, kecamatan=wilayah["carenang"], desa_total=2, desa_odf=1)
    client = client_for(rina)
    pages = {
        "titik-pantau/tambah/?tatanan=PSR": 'id="titik-pantau-form"',
        f"titik-pantau/{point.pk}/": 'value="36.04.17.2001" selected',
        "odf/": 'data-kecamatan="36.04.18"',
        "odf/36.04.17/": 'id="odf-counts-form"',
        "odf/36.04.17/?cara=desa": 'id="odf-checklist-form"',
        "kelembagaan/": 'id="kelembagaan-form"',
        "tatanan/": 'id="tatanan-choice-form"',
        "indikator-lokal/": 'id="local-indicators"',
        f"indikator-lokal/{local.indicator.pk}/": 'id="local-indicator-form"',
        f"indikator-lokal/{local.indicator.pk}/hapus/": 'id="confirm-delete"',
    }
    for rest, marker in pages.items():
        response = client.get(url(chosen_assessment, rest))
        assert response.status_code == 200, rest
        assert marker in response.content.decode(), rest
    detail = client.get(url(chosen_assessment)).content.decode()
    assert f'href="{url(chosen_assessment, "tatanan/")}"' in detail
    assert client.get(f"/tatanan/lokal/{chosen_assessment.cycle.award_year}/{local.indicator.pk}/").status_code == 200


def test_a_tatanan_code_in_the_address_preselects_it_when_assessed(assessment):
    assert TitikPantauForm(assessment=assessment, tatanan_code=" pdd ").initial["tatanan"].code == "PDD"
    assert TitikPantauForm(assessment=assessment, tatanan_code="XYZ").initial["tatanan"] is None
    assert "tatanan" not in TitikPantauForm(assessment=assessment).initial
