"""Innovations of an assessment: the service's rules, the Bappeda pages and the API."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from indicators.innovations.services import innovation_create, innovation_delete, innovation_update
from indicators.models import Innovation
from tatanan.models import Tatanan, TatananSet


def psr(assessment):
    return assessment.tatanan.get(code="PSR")


@pytest.fixture
def innovation(assessment, rina):
    return innovation_create(
        assessment=assessment,
        actor=rina,
        title="Bank Sampah Pasar",
        description="Pedagang menabung sampah plastik.",
        year=2028,
        tatanan=psr(assessment),
        result="Sampah plastik pasar turun 40 %.",
    )


# --- Service -----------------------------------------------------------------------------------


def test_bappeda_adds_an_innovation(innovation, rina):
    stored = Innovation.objects.get()
    assert (stored.title, stored.year, stored.tatanan.code) == ("Bank Sampah Pasar", 2028, "PSR")
    assert stored.created_by == rina


def test_an_innovation_needs_a_title_a_description_and_a_year_in_range(assessment, rina):
    with pytest.raises(ValidationError) as error:
        innovation_create(assessment=assessment, actor=rina, title="  ", description="", year=2031)
    messages = error.value.message_dict
    assert messages["title"] == ["Isi judul inovasi."]
    assert messages["description"] == ["Uraikan inovasinya."]
    assert messages["year"] == ["Tahun harus antara 2000 dan 2030."]  # the award year of the cycle is 2030
    assert not Innovation.objects.exists()


def test_the_tatanan_must_be_one_the_assessment_assesses(assessment, rina):
    elsewhere = Tatanan.objects.create(
        tatanan_set=TatananSet.objects.create(code="LAIN", name="Lain"), code="PSR", number=1, name="Pasar lain"
    )
    with pytest.raises(ValidationError) as error:
        innovation_create(assessment=assessment, actor=rina, title="X", description="Y", year=2028, tatanan=elsewhere)
    assert "tatanan" in error.value.message_dict


def test_unknown_fields_are_refused(innovation, rina):
    with pytest.raises(ValidationError, match="Kolom tidak dikenal: assessment"):
        innovation_update(innovation=innovation, actor=rina, assessment=None)


def test_update_changes_only_what_is_given(innovation, rina):
    innovation_update(innovation=innovation, actor=rina, tatanan=None, result="  Dampak baru  ")
    innovation.refresh_from_db()
    assert (innovation.tatanan, innovation.result, innovation.title) == (None, "Dampak baru", "Bank Sampah Pasar")


def test_only_the_kabupatens_bappeda_writes(innovation, vina, oscar, wawan):
    for reader in (vina, oscar):
        with pytest.raises(Http404):
            innovation_update(innovation=innovation, actor=reader, title="Diubah")
    with pytest.raises(Http404):
        innovation_delete(innovation=innovation, actor=wawan)
    innovation.refresh_from_db()
    assert innovation.title == "Bank Sampah Pasar"


# --- Pages -------------------------------------------------------------------------------------


def list_url(assessment):
    return reverse("indicators:innovation_list", kwargs={"pk": assessment.pk})


def test_the_assessment_page_links_to_the_innovations(assessment, client_for, rina):
    page = client_for(rina).get(reverse("indicators:assessment_detail", kwargs={"pk": assessment.pk}))
    assert f'href="{list_url(assessment)}"' in page.content.decode()


def test_bappeda_adds_edits_and_deletes_on_the_pages(assessment, client_for, rina):
    client = client_for(rina)
    response = client.post(
        reverse("indicators:innovation_create", kwargs={"pk": assessment.pk}),
        {"title": "Posyandu Remaja", "tatanan": psr(assessment).pk, "year": "2029", "description": "Kader remaja."},
        follow=True,
    )
    assert "Inovasi Posyandu Remaja ditambahkan." in response.content.decode()
    innovation = Innovation.objects.get()
    page = client.get(list_url(assessment)).content.decode()
    assert "Posyandu Remaja" in page
    assert "Kader remaja." in page

    edit = reverse("indicators:innovation_edit", kwargs={"pk": assessment.pk, "innovation_pk": innovation.pk})
    assert 'value="Posyandu Remaja"' in client.get(edit).content.decode()
    client.post(edit, {"title": "Posyandu Remaja Ceria", "tatanan": "", "year": "2029", "description": "Kader."})
    innovation.refresh_from_db()
    assert (innovation.title, innovation.tatanan) == ("Posyandu Remaja Ceria", None)

    delete = reverse("indicators:innovation_delete", kwargs={"pk": assessment.pk, "innovation_pk": innovation.pk})
    assert "Hapus Posyandu Remaja Ceria?" in client.get(delete).content.decode()
    client.post(delete)
    assert not Innovation.objects.exists()


def test_the_form_shows_the_services_messages(assessment, client_for, rina):
    response = client_for(rina).post(
        reverse("indicators:innovation_create", kwargs={"pk": assessment.pk}),
        {"title": "Inovasi masa depan", "year": "2035", "description": "Uraian"},
    )
    assert response.status_code == 200
    assert "Tahun harus antara 2000 dan 2030." in response.content.decode()
    assert not Innovation.objects.exists()


def test_readers_read_and_do_not_see_the_buttons(innovation, assessment, client_for, vina, oscar):
    for reader in (vina, oscar):
        page = client_for(reader).get(list_url(assessment)).content.decode()
        assert "Bank Sampah Pasar" in page
        assert 'id="add-innovation"' not in page
        create = reverse("indicators:innovation_create", kwargs={"pk": assessment.pk})
        assert client_for(reader).get(create).status_code == 404


def test_others_find_nothing(innovation, assessment, client_for, wawan, sari):
    for person in (wawan, sari):
        assert client_for(person).get(list_url(assessment)).status_code == 404


# --- API -----------------------------------------------------------------------------------------


def test_api_lists_and_filters(innovation, assessment, client_for, vina, wawan):
    data = client_for(vina).get("/api/innovations/", {"assessment": assessment.pk}).json()
    assert [item["title"] for item in data["results"]] == ["Bank Sampah Pasar"]
    assert data["results"][0]["tatanan"]["code"] == "PSR"
    assert client_for(vina).get("/api/innovations/", {"tatanan": "pdd"}).json()["results"] == []
    assert client_for(wawan).get("/api/innovations/").json()["results"] == []
    assert client_for(wawan).get(f"/api/innovations/{innovation.pk}/").status_code == 404


def test_api_create_update_delete(assessment, client_for, rina):
    client = client_for(rina)
    created = client.post(
        "/api/innovations/",
        {
            "assessment": assessment.pk,
            "title": "Kantin Sehat",
            "year": 2029,
            "description": "Kantin.",
            "tatanan": "pdd",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["title"], body["tatanan"]["code"], body["result"]) == ("Kantin Sehat", "PDD", "")
    url = f"/api/innovations/{body['id']}/"
    changed = client.patch(url, {"tatanan": None, "result": "30 sekolah"}, content_type="application/json")
    assert (changed.status_code, changed.json()["tatanan"], changed.json()["result"]) == (200, None, "30 sekolah")
    assert client.delete(url).status_code == 204
    assert not Innovation.objects.exists()


def test_api_errors_come_in_the_one_shape(assessment, innovation, client_for, rina, vina):
    bad = client_for(rina).post(
        "/api/innovations/",
        {"assessment": assessment.pk, "title": "", "year": 1999, "description": "", "tatanan": "XYZ"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert bad.json()["error"]["fields"] == {"tatanan": ["Tatanan tidak dikenal dalam siklus ini: XYZ"]}
    bad = client_for(rina).post(
        "/api/innovations/",
        {"assessment": assessment.pk, "title": "", "year": 1999, "description": ""},
        content_type="application/json",
    )
    fields = bad.json()["error"]["fields"]
    assert set(fields) == {"title", "description", "year"}
    unknown = client_for(rina).patch(
        f"/api/innovations/{innovation.pk}/", {"assessment": 99}, content_type="application/json"
    )
    assert unknown.json()["error"]["fields"] == {"assessment": ["Kolom ini tidak dapat diubah di sini."]}
    refused = client_for(vina).patch(
        f"/api/innovations/{innovation.pk}/", {"title": "Diubah"}, content_type="application/json"
    )
    assert refused.status_code == 404
    assert refused.json()["error"]["code"] == "not_found"


def test_api_reads_a_blank_tatanan_as_none_and_codes_in_any_case(assessment, innovation, client_for, rina):
    url = f"/api/innovations/{innovation.pk}/"
    changed = client_for(rina).patch(url, {"tatanan": " psr "}, content_type="application/json")
    assert (changed.status_code, changed.json()["tatanan"]["code"]) == (200, "PSR")
    changed = client_for(rina).patch(url, {"tatanan": "  "}, content_type="application/json")
    assert (changed.status_code, changed.json()["tatanan"]) == (200, None)
    bad = client_for(rina).patch(url, {"tatanan": ["PSR"]}, content_type="application/json")
    assert list(bad.json()["error"]["fields"]) == ["tatanan"]


def test_api_create_for_an_assessment_out_of_scope_is_404_before_the_body_is_judged(assessment, client_for, wawan):
    response = client_for(wawan).post(
        "/api/innovations/", {"assessment": assessment.pk, "tatanan": "XYZ"}, content_type="application/json"
    )
    assert response.status_code == 404
