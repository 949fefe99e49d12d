"""Older rounds, the usulan and the category (issue 13, items 1, 9 and 10; docs/DOMAIN.md "Cycles").

Serang has two kecamatan in these tests (Carenang and Binuang), so coverage is 0, 50 or 100 %.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from indicators.fieldwork.services import assessment_usulan_update
from indicators.models import Assessment
from indicators.scoring import assessment_score
from indicators.services import assessment_open
from regions.tests import factories as rf
from tatanan.models import Cycle, Tatanan

pytestmark = pytest.mark.django_db

OPEN_URL = "/penilaian/"


def usulan_url(assessment):
    return f"/penilaian/{assessment.pk}/usulan/"


def older_tatanan(count):
    return list(Tatanan.objects.filter(tatanan_set__code="2017").order_by("number")[:count])


@pytest.fixture
def round_2019(rina, wilayah):
    """Serang's 2019 round on 4 of the 7 tatanan, registered for Padapa (Banyuasin's case)."""
    return assessment_open(
        kabupaten=wilayah["serang"],
        cycle=Cycle.objects.get(award_year=2019),
        actor=rina,
        tatanan=older_tatanan(4),
        category="padapa",
    )


class TestCountRule:
    def test_without_usulan_coverage_cannot_be_computed_and_the_page_says_what_to_do(self, round_2019):
        score = assessment_score(assessment=round_2019)
        assert score.kecamatan_coverage is None
        assert score.tier is None
        assert score.shows_tier  # a rule by count predicts without indicator scores
        padapa = next(o for o in score.outcomes if o.tier == "padapa")
        assert padapa.failures == ["Kecamatan usulan belum dipilih, sehingga cakupan kecamatan belum dapat dihitung."]

    def test_four_tatanan_and_every_kecamatan_predict_wiwerda_above_the_padapa_registered(
        self, round_2019, rina, wilayah
    ):
        assessment_usulan_update(
            assessment=round_2019, actor=rina, category="padapa", kecamatan=[wilayah["carenang"], wilayah["binuang"]]
        )
        score = assessment_score(assessment=round_2019)
        assert score.kecamatan_coverage == 100
        assert (score.tier, score.category, score.category_reached) == ("wiwerda", "padapa", True)
        wistara = next(o for o in score.outcomes if o.tier == "wistara")
        assert wistara.failures == ["Jumlah tatanan 4, kurang dari minimum 5."]

    def test_half_the_kecamatan_is_below_padapas_51_percent(self, round_2019, rina, wilayah):
        assessment_usulan_update(assessment=round_2019, actor=rina, category="wistara", kecamatan=[wilayah["carenang"]])
        score = assessment_score(assessment=round_2019)
        assert score.kecamatan_coverage == 50
        assert score.tier is None
        assert score.category_reached is False
        padapa = next(o for o in score.outcomes if o.tier == "padapa")
        assert padapa.failures == ["Cakupan kecamatan 50 %, kurang dari minimum 51 %."]

    def test_six_of_seven_tatanan_predict_wistara(self, rina, wilayah):
        assessment = assessment_open(
            kabupaten=wilayah["serang"],
            cycle=Cycle.objects.get(award_year=2019),
            actor=rina,
            tatanan=older_tatanan(6),
        )
        assessment_usulan_update(
            assessment=assessment, actor=rina, category="", kecamatan=[wilayah["carenang"], wilayah["binuang"]]
        )
        assert assessment_score(assessment=assessment).tier == "wistara"


class TestUsulanPage:
    def test_rina_proposes_kecamatan_and_a_category_of_the_cycle(self, client_for, rina, round_2019, wilayah):
        client = client_for(rina)
        page = client.get(usulan_url(round_2019)).content.decode()
        assert 'value="36.04.17"' in page
        assert "Binuang" in page
        assert "Wistara Paripurna" not in page  # not a tier of 2019
        response = client.post(usulan_url(round_2019), {"category": "wiwerda", "kecamatan": ["36.04.17"]})
        assert response.status_code == 302
        round_2019.refresh_from_db()
        assert round_2019.category == "wiwerda"
        assert list(round_2019.proposed_kecamatan.values_list("code", flat=True)) == ["36.04.17"]
        detail = client.get(response["Location"]).content.decode()
        assert "Kategori didaftarkan: Wiwerda" in detail
        assert "Cakupan kecamatan: 50 %" in detail

    def test_a_tier_the_cycle_does_not_have_is_refused_and_the_ticks_stay(self, client_for, rina, round_2019):
        response = client_for(rina).post(
            usulan_url(round_2019), {"category": "wistara_paripurna", "kecamatan": ["36.04.17"]}
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert "Masukkan pilihan yang valid" in page
        tick = page.split('value="36.04.17"', 1)[1].split(">", 1)[0]
        assert "checked" in tick  # what was ticked stays ticked
        round_2019.refresh_from_db()
        assert round_2019.category == "padapa"

    def test_the_service_refuses_a_kecamatan_of_another_kabupaten(self, rina, round_2019, wilayah):
        bogor_kecamatan = rf.region(("32.01.01", "Cibinong"))
        with pytest.raises(ValidationError, match="Bukan kecamatan"):
            assessment_usulan_update(assessment=round_2019, actor=rina, category="", kecamatan=[bogor_kecamatan])


class TestOpenForm:
    def test_a_chosen_cycle_offers_its_own_seven_tatanan_once_and_its_tiers(self, client_for, rina):
        page = client_for(rina).get(OPEN_URL, {"siklus": "2019"}).content.decode()
        ticks = page.count('name="tatanan"')
        assert ticks == 7
        for tatanan in older_tatanan(7):
            assert page.count(f'value="{tatanan.pk}"') == 1
        assert "Wistara Paripurna" not in page
        assert 'data-reload-param="siklus"' in page

    def test_a_cycle_with_every_tatanan_compulsory_asks_for_none(self, client_for, rina):
        page = client_for(rina).get(OPEN_URL, {"siklus": "2025"}).content.decode()
        assert 'name="tatanan"' not in page
        assert "Wistara Paripurna" in page

    def test_tatanan_of_another_set_are_refused_with_a_message(self, client_for, rina, wilayah):
        other = Tatanan.objects.get(tatanan_set__code="2023", code="PSR")
        response = client_for(rina).post(OPEN_URL, {"kabupaten": "36.04", "cycle": 2019, "tatanan": [other.pk]})
        assert response.status_code == 200
        assert "Masukkan pilihan yang valid" in response.content.decode()
        assert not Assessment.objects.exists()

    def test_bappeda_opens_2019_with_six_tatanan_and_a_category(self, client_for, rina, wilayah):
        chosen = older_tatanan(6)
        response = client_for(rina).post(
            OPEN_URL, {"kabupaten": "36.04", "cycle": 2019, "tatanan": [t.pk for t in chosen], "category": "padapa"}
        )
        assert response.status_code == 302
        assessment = Assessment.objects.get()
        assert (assessment.cycle.award_year, assessment.category) == (2019, "padapa")
        assert set(assessment.tatanan.all()) == set(chosen)


class TestHonestGates:
    def test_no_kelembagaan_items_is_not_met(self, rina, wilayah):
        """2027 has no catalogue yet: no item, so the gate is not "Terpenuhi"."""
        assessment = assessment_open(kabupaten=wilayah["serang"], cycle=Cycle.objects.get(award_year=2027), actor=rina)
        score = assessment_score(assessment=assessment)
        assert not score.kelembagaan_met
        assert score.tier is None
        padapa = next(o for o in score.outcomes if o.tier == "padapa")
        assert "Belum ada isian indikator yang dapat dinilai." in padapa.failures
        assert "Syarat kelembagaan belum dapat dinilai: belum ada butir kelembagaan." in padapa.failures

    def test_the_score_page_does_not_say_terpenuhi_for_no_items(self, client_for, rina, wilayah):
        assessment = assessment_open(kabupaten=wilayah["serang"], cycle=Cycle.objects.get(award_year=2027), actor=rina)
        page = client_for(rina).get(f"/penilaian/{assessment.pk}/").content.decode()
        gate = page.split('id="gate"', 1)[1].split("</div>", 1)[0]
        assert "Belum ada butir" in gate
        assert "Terpenuhi" not in gate


class TestApi:
    def test_the_api_opens_with_a_category_and_shows_the_usulan(self, client_for, rina, wilayah):
        client = client_for(rina)
        response = client.post(
            "/api/assessments/",
            {"kabupaten": "36.04", "cycle": 2019, "tatanan": ["PSU", "LLT"], "category": "padapa"},
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
        body = response.json()
        assert (body["category"], body["proposed_kecamatan"]) == ("padapa", [])
        assessment = Assessment.objects.get(pk=body["id"])
        assessment_usulan_update(assessment=assessment, actor=rina, category="padapa", kecamatan=[wilayah["carenang"]])
        assert client.get(f"/api/assessments/{assessment.pk}/").json()["proposed_kecamatan"] == ["36.04.17"]

    def test_a_category_the_cycle_has_not_is_refused_in_the_error_shape(self, client_for, rina, wilayah):
        response = client_for(rina).post(
            "/api/assessments/",
            {"kabupaten": "36.04", "cycle": 2019, "tatanan": ["PSU"], "category": "wistara_paripurna"},
            content_type="application/json",
        )
        assert response.status_code == 400
        assert response.json()["error"]["fields"]["category"] == [
            "Kategori ini tidak ada dalam aturan strata siklus ini."
        ]
        assert not Assessment.objects.exists()


def test_the_odf_share_counts_only_the_usulan(rina, wilayah, round_2019):
    from indicators.models import OdfStatus
    from indicators.selectors import odf_percent

    carenang, binuang = wilayah["carenang"], wilayah["binuang"]
    OdfStatus.objects.create(
        assessment=round_2019, kecamatan=carenang, desa=wilayah["desa_carenang"], declared_odf=True
    )
    OdfStatus.objects.create(
        assessment=round_2019, kecamatan=carenang, desa=wilayah["desa_pamanuk"], declared_odf=False
    )
    OdfStatus.objects.create(assessment=round_2019, kecamatan=binuang, desa_total=4, desa_odf=0)
    assert odf_percent(round_2019) == Decimal("16.67")  # 1 of 6
    assessment_usulan_update(assessment=round_2019, actor=rina, category="", kecamatan=[carenang])
    assert odf_percent(round_2019) == 50  # 1 of Carenang's 2
    assessment_usulan_update(
        assessment=round_2019, actor=rina, category="", kecamatan=[carenang], desa=[wilayah["desa_carenang"]]
    )
    assert odf_percent(round_2019) == 100


def test_a_desa_outside_the_proposed_kecamatan_is_refused_and_the_ticks_stay(client_for, rina, round_2019, wilayah):
    response = client_for(rina).post(
        usulan_url(round_2019),
        {"category": "padapa", "kecamatan": ["36.04.17"], "desa": [wilayah["desa_binuang"].code]},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "tidak berada di kecamatan yang diusulkan" in page
    tick = page.split(f'value="{wilayah["desa_binuang"].code}"', 1)[1].split(">", 1)[0]
    assert "checked" in tick
    assert not round_2019.proposed_desa.exists()


class TestDossierOverUsulan:
    """The dossier and the submission checklist count the usulan only (issue 13 item 3)."""

    @pytest.fixture
    def bodies(self, wilayah):
        from forums.models import Body
        from forums.tests.factories import BodyFactory

        return {
            "kabupaten": BodyFactory(kind=Body.Kind.FORUM_KABKOTA, region=wilayah["serang"]),
            "carenang": BodyFactory(kind=Body.Kind.FORUM_KECAMATAN, region=wilayah["carenang"]),
            "binuang": BodyFactory(kind=Body.Kind.FORUM_KECAMATAN, region=wilayah["binuang"]),
            "pokja_carenang": BodyFactory(kind=Body.Kind.POKJA_DESA, region=wilayah["desa_carenang"]),
            "pokja_pamanuk": BodyFactory(kind=Body.Kind.POKJA_DESA, region=wilayah["desa_pamanuk"]),
        }

    def test_without_usulan_everything_in_the_kabupaten_counts(self, round_2019, bodies):
        from dossiers.renderer.chapters import bodies_of

        assert len(bodies_of(round_2019)) == 5

    def test_proposed_kecamatan_bring_their_bodies_and_activities_only(self, round_2019, rina, wilayah, bodies):
        import datetime

        from dossiers.renderer.chapters import activities_of, bodies_of
        from evidence.tests.factories import ActivityFactory

        for key in ("kabupaten", "carenang", "binuang", "pokja_pamanuk"):
            ActivityFactory(body=bodies[key], date=datetime.date(2018, 8, 17))
        assessment_usulan_update(assessment=round_2019, actor=rina, category="padapa", kecamatan=[wilayah["carenang"]])
        assert set(bodies_of(round_2019)) == {
            bodies["kabupaten"],
            bodies["carenang"],
            bodies["pokja_carenang"],
            bodies["pokja_pamanuk"],
        }
        assert {a.body for a in activities_of(round_2019)} == {
            bodies["kabupaten"],
            bodies["carenang"],
            bodies["pokja_pamanuk"],
        }

        # Proposing desa narrows the Pokja to those desa.
        assessment_usulan_update(
            assessment=round_2019,
            actor=rina,
            category="padapa",
            kecamatan=[wilayah["carenang"]],
            desa=[wilayah["desa_carenang"]],
        )
        assert bodies["pokja_pamanuk"] not in set(bodies_of(round_2019))
        assert bodies["pokja_carenang"] in set(bodies_of(round_2019))
        assert {a.body for a in activities_of(round_2019)} == {bodies["kabupaten"], bodies["carenang"]}

    def test_the_checklist_asks_odf_of_the_proposed_kecamatan_only(self, round_2019, rina, wilayah):
        from dossiers.workflow.services import submission_checklist

        def odf_missing():
            check = next(c for c in submission_checklist(round_2019).checks if c.code == "odf")
            return [str(m) for m in check.missing]

        assert odf_missing() == ["Kecamatan Carenang", "Kecamatan Binuang"]
        assessment_usulan_update(assessment=round_2019, actor=rina, category="padapa", kecamatan=[wilayah["binuang"]])
        assert odf_missing() == ["Kecamatan Binuang"]

    def test_the_profile_chapter_says_what_is_proposed(self, round_2019, rina, wilayah):
        from dossiers.renderer.chapters import _usulan_counts

        assert _usulan_counts(round_2019) is None
        assessment_usulan_update(
            assessment=round_2019,
            actor=rina,
            category="padapa",
            kecamatan=[wilayah["carenang"]],
            desa=[wilayah["desa_carenang"], wilayah["desa_pamanuk"]],
        )
        assert _usulan_counts(round_2019) == {"kecamatan": 1, "desa": 2}

    def test_the_odf_page_lists_the_proposed_kecamatan_and_says_so(self, client, round_2019, rina, wilayah):
        client.force_login(rina)
        url = f"/penilaian/{round_2019.pk}/odf/"
        page = client.get(url).content.decode()
        assert 'data-kecamatan="36.04.18"' in page
        assert "odf-usulan-note" not in page
        assessment_usulan_update(assessment=round_2019, actor=rina, category="padapa", kecamatan=[wilayah["carenang"]])
        page = client.get(url).content.decode()
        assert 'data-kecamatan="36.04.17"' in page
        assert 'data-kecamatan="36.04.18"' not in page
        assert "Hanya kecamatan usulan yang ditampilkan dan dihitung." in page
