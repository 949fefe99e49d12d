from indicators.models import Assessment

from .conftest import entry, option, set_kelembagaan, set_odf, set_scores


def detail_url(assessment):
    return f"/penilaian/{assessment.pk}/"


def edit_url(e):
    return f"/penilaian/{e.assessment_id}/isian/{e.pk}/"


class TestScope:
    def test_anonymous_is_sent_to_login(self, client, assessment):
        assert client.get(detail_url(assessment)).status_code == 302

    def test_wawan_of_another_province_gets_404(self, client_for, wawan, assessment):
        client = client_for(wawan)
        assert client.get(detail_url(assessment)).status_code == 404
        assert client.get(edit_url(entry(assessment, "PSR", "1"))).status_code == 404
        assert b"data-kabupaten" not in client.get("/penilaian/").content

    def test_vina_sees_the_serang_assessment_but_cannot_edit(self, client_for, vina, assessment):
        client = client_for(vina)
        assert b'data-kabupaten="36.04"' in client.get("/penilaian/").content
        assert client.get(detail_url(assessment)).status_code == 200
        assert client.get(edit_url(entry(assessment, "PSR", "1"))).status_code == 404

    def test_oscar_sees_the_same_entries_on_the_page_and_in_the_api(self, client_for, oscar, vina, assessment):
        # One rule (``indicators.selectors.entries_visible_to``): an OPD operator reads exactly the
        # entries assigned to their OPD, here the Pasar ones (Dinkes); a verifier reads them all.
        for user, expected in ((oscar, {"PSR1", "PSR2"}), (vina, {"PSR1", "PSR2", "PDD1", "PDD2"})):
            client = client_for(user)
            page = client.get(detail_url(assessment))
            on_page = {f"{e.indicator.tatanan.code}{e.indicator.number}" for e in page.context["entries"]}
            api = client.get(f"/api/entries/?assessment={assessment.pk}&page_size=100").json()["results"]
            assert on_page == expected
            assert {e["id"] for e in api} == {e.pk for e in page.context["entries"]}

    def test_oscar_does_not_open_an_entry_of_another_opd_on_the_page(self, client_for, oscar, assessment):
        other = entry(assessment, "PDD", "1")
        response = client_for(oscar).get(detail_url(assessment))
        assert edit_url(other) not in response.content.decode()


class TestDetail:
    def test_shows_percentages_odf_gate_tier_and_what_if(self, client_for, rina, assessment, wilayah):
        set_scores(assessment, {"PSR1": 100, "PSR2": 75, "PDD1": 75, "PDD2": 75})
        set_kelembagaan(assessment, 100)
        set_odf(assessment, wilayah, total=10, odf=9)
        response = client_for(rina).get(detail_url(assessment))
        assert response.status_code == 200
        html = response.content.decode()
        assert 'data-width-percent="87.50"' in html
        assert "81,25 %" in html
        assert "90,00 %" in html
        assert "Padapa" in html
        assert 'id="what-if"' in html
        assert "Wiwerda" in html

    def test_provincial_layer(self, client_for, rina, assessment):
        response = client_for(rina).get(detail_url(assessment) + "?lapisan=provincial")
        assert response.context["score"].layer == "provincial"


class TestEntryEdit:
    def test_oscar_edits_a_dinkes_entry(self, client_for, oscar, assessment):
        e = entry(assessment, "PSR", "1")
        client = client_for(oscar)
        assert client.get(edit_url(e)).status_code == 200
        response = client.post(
            edit_url(e), {"value_year1": "10", "value_year2": "12", "self_score": option(e, 75).pk, "status": "selesai"}
        )
        assert response.status_code == 302
        e.refresh_from_db()
        assert e.self_score.value == 75
        assert e.status == "selesai"

    def test_oscar_gets_404_on_entries_of_another_opd(self, client_for, oscar, assessment):
        e = entry(assessment, "PDD", "1")
        client = client_for(oscar)
        assert client.get(edit_url(e)).status_code == 404
        assert client.post(edit_url(e), {"status": "draf"}).status_code == 404

    def test_a_score_of_another_indicator_is_refused_with_a_message(self, client_for, rina, assessment):
        e, other = entry(assessment, "PSR", "1"), entry(assessment, "PSR", "2")
        response = client_for(rina).post(edit_url(e), {"self_score": option(other, 100).pk, "status": "draf"})
        assert response.status_code == 200
        assert "Nilai harus salah satu opsi skala indikator ini." in response.content.decode()
        e.refresh_from_db()
        assert e.self_score is None


class TestOpen:
    def test_rina_opens_an_assessment_from_the_list(self, client_for, rina, small_cycle, wilayah):
        response = client_for(rina).post("/penilaian/", {"kabupaten": "36.04", "cycle": small_cycle.award_year})
        assessment = Assessment.objects.get()
        assert response.status_code == 302
        assert response["Location"] == detail_url(assessment)
        assert assessment.indicator_entries.count() == 4

    def test_a_chosen_cycle_without_tatanan_shows_an_error(self, client_for, rina, small_cycle, wilayah):
        small_cycle.tatanan_selection = "chosen"
        small_cycle.save()
        response = client_for(rina).post("/penilaian/", {"kabupaten": "36.04", "cycle": small_cycle.award_year})
        assert response.status_code == 200
        assert "Pilih sedikitnya satu tatanan." in response.content.decode()
        assert not Assessment.objects.exists()

    def test_others_cannot_open(self, client_for, oscar, small_cycle, wilayah):
        client = client_for(oscar)
        assert b"assessment-open-form" not in client.get("/penilaian/").content
        assert client.post("/penilaian/", {"kabupaten": "36.04", "cycle": small_cycle.award_year}).status_code == 404


def test_the_assessment_list_is_paged_in_its_order(client_for, nadia, assessment, monkeypatch):
    """A national verifier reads every kabupaten/kota's assessment: a page at a time, newest cycle
    first then by code, every assessment on exactly one page."""
    from indicators import views
    from indicators.tests.factories import AssessmentFactory

    others = [AssessmentFactory(cycle=assessment.cycle, entries=False) for _ in range(4)]
    monkeypatch.setattr(views, "ASSESSMENT_PAGE_SIZE", 2)
    client = client_for(nadia)
    shown = []
    for number in (1, 2, 3):
        response = client.get("/penilaian/", {"halaman": number})
        assert response.context["page"].paginator.num_pages == 3
        shown += [a.pk for a in response.context["assessments"]]
    assert sorted(shown) == sorted([assessment.pk, *(a.pk for a in others)])
    assert shown == list(Assessment.objects.values_list("pk", flat=True))
    assert "?halaman=2" in client.get("/penilaian/").content.decode()
