"""The field-work API under an assessment: ODF per kecamatan, kelembagaan scores, the chosen
tatanan and local indicators. Readers of the assessment read, its Bappeda admin writes through
``indicators.fieldwork.services``; oscar (OPD operator) and vina (verifier) read, and their writes
find nothing (404, ``accounts.access``), as wawan (another province) and sari (a kecamatan secretary) find nothing (404)."""

from decimal import Decimal

import pytest

from indicators.models import IndicatorEntry, KelembagaanEntry, OdfStatus
from indicators.scoring import assessment_score
from tatanan.models import Cycle, Indicator, Tatanan

from .conftest import set_scores
from .test_api import error_of, patch

pytestmark = pytest.mark.django_db

D = Decimal


def put(client, url, data):
    return client.put(url, data, content_type="application/json")


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def base(assessment):
    return f"/api/assessments/{assessment.pk}/"


# --- ODF ------------------------------------------------------------------------------------------


class TestOdf:
    def test_overview_per_kecamatan_with_the_kabupaten_percent(self, client_for, vina, rina, assessment, wilayah):
        client = client_for(rina)
        assert put(client, base(assessment) + "odf/36.04.17/", {"odf_desa": ["36.04.17.2001"]}).status_code == 200
        assert put(client, base(assessment) + "odf/36.04.18/", {"desa_total": 1, "desa_odf": 1}).status_code == 200

        body = client_for(vina).get(base(assessment) + "odf/").json()
        rows = {row["kecamatan"]["code"]: row for row in body["kecamatan"]}
        assert set(rows) == {"36.04.17", "36.04.18"}
        assert (rows["36.04.17"]["mode"], rows["36.04.17"]["total"], rows["36.04.17"]["odf"]) == ("desa", 2, 1)
        assert rows["36.04.17"]["percent"] == 50
        assert rows["36.04.17"]["desa_count"] == 2
        assert (rows["36.04.18"]["mode"], rows["36.04.18"]["percent"]) == ("jumlah", 100)
        # (1 + 1) of 3 desa/kelurahan.
        assert D(str(body["odf_percent"])) == D("66.67") == assessment_score(assessment=assessment).odf

    def test_a_kecamatan_not_reported_yet(self, client_for, oscar, assessment, wilayah):
        body = client_for(oscar).get(base(assessment) + "odf/36.04.17/").json()
        assert (body["mode"], body["total"], body["odf"], body["percent"], body["odf_percent"]) == (
            None,
            None,
            None,
            None,
            None,
        )
        assert [(d["code"], d["declared_odf"]) for d in body["desa"]] == [
            ("36.04.17.2001", False),
            ("36.04.17.2002", False),
        ]

    def test_counts_replace_the_checklist_and_back(self, client_for, rina, assessment, wilayah):
        client = client_for(rina)
        url = base(assessment) + "odf/36.04.17/"
        body = put(client, url, {"odf_desa": ["36.04.17.2001", "36.04.17.2002"]}).json()
        assert body["mode"] == "desa"
        assert [d["declared_odf"] for d in body["desa"]] == [True, True]
        body = put(client, url, {"desa_total": 2, "desa_odf": 1}).json()
        assert (body["mode"], body["total"], body["odf"], body["odf_percent"]) == ("jumlah", 2, 1, 50)
        assert not OdfStatus.objects.filter(assessment=assessment, desa__isnull=False).exists()

    def test_the_services_rules_come_back_in_the_error_shape(self, client_for, rina, assessment, wilayah):
        client = client_for(rina)
        url = base(assessment) + "odf/36.04.17/"
        error = error_of(put(client, url, {"desa_total": 5, "desa_odf": 1}), 400, "invalid")
        assert "melebihi" in error["fields"]["desa_total"][0]
        error = error_of(put(client, url, {"desa_total": 2, "desa_odf": 3}), 400, "invalid")
        assert list(error["fields"]) == ["desa_odf"]
        error = error_of(put(client, url, {"odf_desa": ["36.04.18.2001"]}), 400, "invalid")
        assert "36.04.18.2001" in error["fields"]["non_field_errors"][0]
        error_of(put(client, url, {"desa_total": 2}), 400, "invalid")
        error_of(put(client, url, {"desa_total": 2, "desa_odf": 1, "odf_desa": []}), 400, "invalid")
        error_of(put(client, url, {"desa_total": 2, "desa_odf": 1, "kabupaten": "x"}), 400, "invalid")
        assert not OdfStatus.objects.exists()

    def test_a_kecamatan_of_another_kabupaten_is_not_found(self, client_for, rina, assessment, wilayah):
        error_of(client_for(rina).get(base(assessment) + "odf/32.01.01/"), 404, "not_found")
        error_of(
            put(client_for(rina), base(assessment) + "odf/32.01/", {"desa_total": 0, "desa_odf": 0}), 404, "not_found"
        )

    def test_readers_are_refused_writes_and_others_find_nothing(
        self, client_for, oscar, vina, wawan, sari, assessment, wilayah
    ):
        url = base(assessment) + "odf/36.04.17/"
        for user in (oscar, vina):
            error_of(put(client_for(user), url, {"desa_total": 2, "desa_odf": 2}), 404, "not_found")
            error_of(put(client_for(user), url, {"desa_total": -1}), 404, "not_found")  # refused first
        for user in (wawan, sari):
            error_of(client_for(user).get(base(assessment) + "odf/"), 404, "not_found")
            error_of(client_for(user).get(url), 404, "not_found")
            error_of(put(client_for(user), url, {"desa_total": 2, "desa_odf": 2}), 404, "not_found")
        assert not OdfStatus.objects.exists()


# --- Kelembagaan ------------------------------------------------------------------------------------


class TestKelembagaan:
    def test_readers_read_the_entries_with_their_scale(self, client_for, oscar, assessment):
        body = client_for(oscar).get(base(assessment) + "kelembagaan/").json()
        assert len(body) == 1
        assert body[0]["item"]["component"] == "tim_pembina"
        assert body[0]["self_score"] is None
        assert sorted(o["value"] for o in body[0]["options"]) == [0, 100]

    def test_rina_scores_by_value_or_id_and_the_gate_opens(self, client_for, rina, assessment, wilayah):
        set_scores(assessment, {"PSR1": 100, "PSR2": 100, "PDD1": 100, "PDD2": 100})
        OdfStatus.objects.create(assessment=assessment, kecamatan=wilayah["carenang"], desa_total=2, desa_odf=2)
        assert assessment_score(assessment=assessment).tier is None
        k = KelembagaanEntry.objects.get(assessment=assessment)
        client = client_for(rina)
        response = patch(
            client,
            base(assessment) + "kelembagaan/",
            {"entries": [{"id": k.pk, "self_score_value": 100, "note": "SK"}]},
        )
        assert response.status_code == 200, response.content
        assert response.json()[0]["self_score"]["value"] == 100
        assert response.json()[0]["note"] == "SK"
        assert assessment_score(assessment=assessment).tier == "wistara"

        low = k.item.scale_options.get(value=0)
        body = patch(
            client, base(assessment) + "kelembagaan/", {"entries": [{"id": k.pk, "self_score": low.pk}]}
        ).json()
        assert (body[0]["self_score"]["value"], body[0]["note"]) == (0, "SK")  # the note kept
        body = patch(client, base(assessment) + "kelembagaan/", {"entries": [{"id": k.pk, "self_score": None}]}).json()
        assert body[0]["self_score"] is None

    def test_invalid_changes_save_nothing(self, client_for, rina, assessment):
        k = KelembagaanEntry.objects.get(assessment=assessment)
        psr_option = IndicatorEntry.objects.filter(assessment=assessment).first().indicator.scale_options.first()
        client = client_for(rina)
        url = base(assessment) + "kelembagaan/"
        error_of(patch(client, url, {"entries": [{"id": k.pk, "self_score_value": 50}]}), 400, "invalid")
        error_of(patch(client, url, {"entries": [{"id": k.pk, "self_score": psr_option.pk}]}), 400, "invalid")
        error_of(patch(client, url, {"entries": [{"id": k.pk, "self_score": 999999}]}), 400, "invalid")
        error_of(patch(client, url, {"entries": [{"id": 999999, "note": "x"}]}), 400, "invalid")
        error = error_of(patch(client, url, {"entries": [{"id": k.pk, "status": "x"}]}), 400, "invalid")
        assert "status" in str(error["fields"])
        error_of(patch(client, url, {"entries": []}), 400, "invalid")
        k.refresh_from_db()
        assert (k.self_score, k.note) == (None, "")

    def test_readers_are_refused_writes_and_others_find_nothing(self, client_for, oscar, vina, wawan, sari, assessment):
        k = KelembagaanEntry.objects.get(assessment=assessment)
        url = base(assessment) + "kelembagaan/"
        data = {"entries": [{"id": k.pk, "self_score_value": 100}]}
        for user in (oscar, vina):
            error_of(patch(client_for(user), url, data), 404, "not_found")
        for user in (wawan, sari):
            error_of(client_for(user).get(url), 404, "not_found")
            error_of(patch(client_for(user), url, data), 404, "not_found")
        k.refresh_from_db()
        assert k.self_score is None


# --- Chosen tatanan ---------------------------------------------------------------------------------


@pytest.fixture
def chosen_cycle(assessment):
    """The assessment's cycle, turned into one where the kabupaten chooses its tatanan."""
    cycle = assessment.cycle
    cycle.tatanan_selection = Cycle.TatananSelection.CHOSEN
    cycle.save()
    return cycle


class TestChosenTatanan:
    def test_read_and_choose(self, client_for, rina, vina, chosen_cycle, assessment):
        url = base(assessment) + "tatanan/"
        body = client_for(vina).get(url).json()
        assert body["selection"] == "chosen"
        assert body["can_choose"] is False
        assert [t["code"] for t in body["available"]] == ["PSR", "PDD"]
        assert client_for(rina).get(url).json()["can_choose"] is True

        body = put(client_for(rina), url, {"tatanan": ["psr"]}).json()
        assert [t["code"] for t in body["tatanan"]] == ["PSR"]
        assert not assessment.indicator_entries.filter(indicator__tatanan__code="PDD").exists()
        body = put(client_for(rina), url, {"tatanan": ["PSR", "PDD"]}).json()
        assert [t["code"] for t in body["tatanan"]] == ["PSR", "PDD"]
        assert assessment.indicator_entries.filter(indicator__tatanan__code="PDD").count() == 2

    def test_a_filled_tatanan_is_not_dropped_and_unknown_codes_are_refused(
        self, client_for, rina, chosen_cycle, assessment
    ):
        set_scores(assessment, {"PDD1": 50})
        url = base(assessment) + "tatanan/"
        error = error_of(put(client_for(rina), url, {"tatanan": ["PSR"]}), 400, "invalid")
        assert "Pendidikan" in error["fields"]["non_field_errors"][0]
        error = error_of(put(client_for(rina), url, {"tatanan": ["PSR", "XYZ"]}), 400, "invalid")
        assert "XYZ" in error["fields"]["tatanan"][0]
        assert assessment.tatanan.count() == 2

    def test_a_code_with_a_nul_character_is_refused_before_any_query(self, client_for, rina, chosen_cycle, assessment):
        # PostgreSQL cannot take NUL in a query: the field refuses it (found by the API fuzzer).
        url = base(assessment) + "tatanan/"
        error = error_of(put(client_for(rina), url, {"tatanan": ["PS\x00R", "PDD"]}), 400, "invalid")
        assert "tatanan" in error["fields"]
        assert assessment.tatanan.count() == 2

    def test_a_cycle_where_every_tatanan_is_compulsory_refuses_a_choice(self, client_for, rina, assessment):
        url = base(assessment) + "tatanan/"
        body = client_for(rina).get(url).json()
        assert (body["selection"], body["can_choose"]) == ("all", False)
        error = error_of(put(client_for(rina), url, {"tatanan": ["PSR"]}), 400, "invalid")
        assert "wajib" in error["fields"]["non_field_errors"][0]

    def test_readers_are_refused_writes_and_others_find_nothing(
        self, client_for, oscar, vina, wawan, sari, chosen_cycle, assessment
    ):
        url = base(assessment) + "tatanan/"
        for user in (oscar, vina):
            error_of(put(client_for(user), url, {"tatanan": ["PSR"]}), 404, "not_found")
        for user in (wawan, sari):
            error_of(client_for(user).get(url), 404, "not_found")
            error_of(put(client_for(user), url, {"tatanan": ["PSR"]}), 404, "not_found")
        assert assessment.tatanan.count() == 2


# --- Local indicators -------------------------------------------------------------------------------


def new_local(client, assessment, **data):
    return post(
        client,
        base(assessment) + "local-indicators/",
        {
            "tatanan": "PSR",
            "number": "L1",
            "name": "Pasar bebas rokok",
            "scale_text": "100 = ada\n0 = tidak ada",
            **data,
        },
    )


class TestLocalIndicators:
    def test_rina_adds_changes_and_removes_one_readers_read_it(self, client_for, rina, vina, oscar, assessment):
        client = client_for(rina)
        response = new_local(client, assessment)
        assert response.status_code == 201, response.content
        body = response.json()
        assert (body["tatanan"]["code"], body["number"], body["name"]) == ("PSR", "L1", "Pasar bebas rokok")
        assert [o["value"] for o in body["scale_options"]] == [100, 0]
        indicator = Indicator.objects.get(pk=body["id"], is_local=True, owner_kabupaten=assessment.kabupaten)
        assert IndicatorEntry.objects.get(pk=body["entry"]).indicator == indicator

        for reader in (vina, oscar):
            listed = client_for(reader).get(base(assessment) + "local-indicators/").json()
            assert [i["id"] for i in listed] == [indicator.pk]
        url = base(assessment) + f"local-indicators/{indicator.pk}/"
        assert client_for(vina).get(url).json()["name"] == "Pasar bebas rokok"
        client = client_for(rina)  # the one test client, signed in as rina again

        body = patch(client, url, {"name": "Pasar tanpa asap rokok", "target": "100 %"}).json()
        assert (body["name"], body["target"], body["number"]) == ("Pasar tanpa asap rokok", "100 %", "L1")
        error_of(patch(client, url, {"tatanan": "PDD"}), 400, "invalid")

        assert client.delete(url).status_code == 204
        assert not Indicator.objects.filter(pk=indicator.pk).exists()
        error_of(client.get(url), 404, "not_found")

    def test_local_indicators_never_change_the_tier(self, client_for, rina, assessment, wilayah):
        set_scores(assessment, {"PSR1": 100, "PSR2": 100, "PDD1": 100, "PDD2": 100})
        before = assessment_score(assessment=assessment)
        assert new_local(client_for(rina), assessment).status_code == 201
        after = assessment_score(assessment=assessment)
        assert (after.tatanan, after.missing_year1) == (before.tatanan, before.missing_year1)

    def test_the_services_rules_come_back_in_the_error_shape(self, client_for, rina, chosen_cycle, assessment):
        client = client_for(rina)
        assert new_local(client, assessment).status_code == 201
        error = error_of(new_local(client, assessment), 400, "invalid")
        assert "L1" in error["fields"]["number"][0]
        error_of(new_local(client, assessment, number="L2", scale_text="60 = separuh"), 400, "invalid")
        error_of(new_local(client, assessment, number="L3", tatanan="XYZ"), 400, "invalid")
        assessment.tatanan.set(Tatanan.objects.filter(code="PSR", tatanan_set=chosen_cycle.tatanan_set))
        error = error_of(new_local(client, assessment, number="L4", tatanan="PDD"), 400, "invalid")
        assert list(error["fields"]) == ["tatanan"]
        # A filled entry keeps its indicator.
        indicator = Indicator.objects.get(is_local=True, number="L1")
        IndicatorEntry.objects.filter(indicator=indicator).update(value_year1="3")
        error_of(client.delete(base(assessment) + f"local-indicators/{indicator.pk}/"), 400, "invalid")
        assert Indicator.objects.filter(pk=indicator.pk).exists()

    def test_readers_are_refused_writes_and_others_find_nothing(
        self, client_for, rina, oscar, vina, wawan, sari, assessment
    ):
        created = new_local(client_for(rina), assessment).json()
        url = base(assessment) + f"local-indicators/{created['id']}/"
        for user in (oscar, vina):
            error_of(new_local(client_for(user), assessment, number="L9"), 404, "not_found")
            error_of(patch(client_for(user), url, {"name": "x"}), 404, "not_found")
            error_of(client_for(user).delete(url), 404, "not_found")
        for user in (wawan, sari):
            error_of(client_for(user).get(base(assessment) + "local-indicators/"), 404, "not_found")
            error_of(client_for(user).get(url), 404, "not_found")
            error_of(new_local(client_for(user), assessment, number="L9"), 404, "not_found")
            error_of(patch(client_for(user), url, {"name": "x"}), 404, "not_found")
            error_of(client_for(user).delete(url), 404, "not_found")
        assert list(Indicator.objects.filter(is_local=True).values_list("number", "name")) == [
            ("L1", "Pasar bebas rokok")
        ]


def test_the_score_api_reports_the_data_years(client_for, vina, assessment):
    set_scores(assessment, {"PSR1": 100, "PSR2": 100}, years=True)
    body = client_for(vina).get(base(assessment) + "score/").json()
    assert (body["reported_both_years"], body["missing_year1"], body["missing_year2"]) == (False, 2, 2)
    assert any("Belum melapor untuk kedua tahun data" in f for o in body["outcomes"] for f in o["failures"])
