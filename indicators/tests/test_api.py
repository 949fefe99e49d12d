"""The assessment API under the foundation's scopes: an OPD operator reads and writes only the
entries assigned to their OPD, a verifier of another province sees nothing, and opening an
assessment answers as the service does (404 for anybody but the Bappeda admin, whether or not
they read the kabupaten: ``accounts.access``)."""

import io
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Opd
from indicators.excel.workbook import assessment_export
from indicators.models import Assessment, DataRequest, IndicatorEntry, TitikPantau
from indicators.scoring import assessment_score

from .conftest import entry, option, set_kelembagaan, set_odf, set_scores

pytestmark = pytest.mark.django_db

D = Decimal


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


def labels(response):
    return sorted(f"{e['indicator']['tatanan']['code']}{e['indicator']['number']}" for e in results(response))


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def open_assessment(client, **data):
    return client.post(
        "/api/assessments/", {"kabupaten": "36.04", "cycle": 2030, **data}, content_type="application/json"
    )


def test_anonymous_callers_are_refused_in_the_error_shape(client, assessment):
    error_of(client.get("/api/assessments/"), 401, "not_authenticated")
    error_of(client.get("/api/entries/"), 401, "not_authenticated")


# --- A verifier of another province sees nothing ------------------------------------------------


def test_verifier_of_another_province_sees_nothing_of_serang(client_for, wawan, assessment):
    client = client_for(wawan)
    psr1 = entry(assessment, "PSR", "1")
    TitikPantau.objects.create(assessment=assessment, tatanan=psr1.indicator.tatanan, name="Pasar Baros", kind="pasar")

    assert results(client.get("/api/assessments/")) == []
    error_of(client.get(f"/api/assessments/{assessment.pk}/"), 404, "not_found")
    error_of(client.get(f"/api/assessments/{assessment.pk}/score/"), 404, "not_found")
    assert results(client.get("/api/entries/")) == []
    assert results(client.get(f"/api/entries/?assessment={assessment.pk}")) == []
    error_of(client.get(f"/api/entries/{psr1.pk}/"), 404, "not_found")
    error_of(patch(client, f"/api/entries/{psr1.pk}/", {"value_year1": "99"}), 404, "not_found")
    assert results(client.get("/api/titik-pantau/")) == []
    psr1.refresh_from_db()
    assert psr1.value_year1 == ""


def test_verifier_of_the_province_reads_every_entry_but_cannot_write(client_for, vina, assessment):
    client = client_for(vina)
    psr1 = entry(assessment, "PSR", "1")

    assert [a["id"] for a in results(client.get("/api/assessments/"))] == [assessment.pk]
    assert labels(client.get("/api/entries/")) == ["PDD1", "PDD2", "PSR1", "PSR2"]
    body = client.get(f"/api/entries/{psr1.pk}/").json()
    assert body["can_edit"] is False
    # The service's rule: whoever may not edit an entry is told it does not exist.
    error_of(patch(client, f"/api/entries/{psr1.pk}/", {"value_year1": "99"}), 404, "not_found")
    psr1.refresh_from_db()
    assert psr1.value_year1 == ""


def test_national_verifier_reads_everything(client_for, nadia, assessment):
    client = client_for(nadia)

    assert [a["id"] for a in results(client.get("/api/assessments/"))] == [assessment.pk]
    assert len(results(client.get("/api/entries/"))) == 4


# --- An OPD operator reads and writes only the entries assigned to their OPD ----------------------


def test_opd_operator_lists_exactly_the_entries_assigned_to_their_opd(client_for, oscar, assessment, dinkes_serang):
    client = client_for(oscar)

    assert labels(client.get("/api/entries/")) == ["PSR1", "PSR2"]
    body = results(client.get("/api/entries/"))
    assert {e["assigned_opd"]["short_name"] for e in body} == {"Dinkes"}
    assert all(e["can_edit"] for e in body)
    assert labels(client.get(f"/api/entries/?assigned_opd={dinkes_serang.pk}&tatanan=psr")) == ["PSR1", "PSR2"]
    assert labels(client.get("/api/entries/?tatanan=PDD")) == []


def test_opd_operator_fills_in_an_assigned_entry(client_for, oscar, assessment):
    client = client_for(oscar)
    psr1 = entry(assessment, "PSR", "1")

    response = patch(
        client,
        f"/api/entries/{psr1.pk}/",
        {"value_year1": "12", "value_year2": "14,5", "explanation": "Data Dinkes", "self_score_value": 75},
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["value_year1"] == "12"
    assert body["value_year2_number"] == 14.5
    assert body["self_score"]["value"] == 75
    assert body["status"] == IndicatorEntry.Status.DRAF
    psr1.refresh_from_db()
    assert (psr1.value_year1, psr1.value_year1_number, psr1.explanation) == ("12", D(12), "Data Dinkes")
    assert psr1.self_score == option(psr1, 75)
    assert psr1.updated_by == oscar


def test_opd_operator_gets_404_on_an_entry_of_another_opd(client_for, oscar, assessment):
    client = client_for(oscar)
    pdd1 = entry(assessment, "PDD", "1")
    assert pdd1.assigned_opd.short_name == "Disdik"

    error_of(client.get(f"/api/entries/{pdd1.pk}/"), 404, "not_found")
    error_of(patch(client, f"/api/entries/{pdd1.pk}/", {"value_year1": "5"}), 404, "not_found")
    pdd1.refresh_from_db()
    assert pdd1.value_year1 == ""


def test_opd_operator_cannot_reassign_an_entry(client_for, oscar, assessment):
    psr1 = entry(assessment, "PSR", "1")
    disdik = Opd.objects.get(short_name="Disdik")

    error = error_of(patch(client_for(oscar), f"/api/entries/{psr1.pk}/", {"assigned_opd": disdik.pk}), 400, "invalid")
    assert "assigned_opd" in error["fields"]
    psr1.refresh_from_db()
    assert psr1.assigned_opd.short_name == "Dinkes"


def test_bappeda_reassigns_an_entry_and_the_operator_then_sees_it(client_for, rina, oscar, assessment, dinkes_serang):
    pdd1 = entry(assessment, "PDD", "1")

    response = patch(client_for(rina), f"/api/entries/{pdd1.pk}/", {"assigned_opd": dinkes_serang.pk})
    assert response.status_code == 200, response.content
    assert response.json()["assigned_opd"]["id"] == dinkes_serang.pk

    assert labels(client_for(oscar).get("/api/entries/")) == ["PDD1", "PSR1", "PSR2"]


# --- Invalid input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ("option of another indicator", "self_score"),
        ({"self_score": 999_999}, "self_score"),
        ({"self_score_value": 60}, "self_score_value"),
        ({"self_score_value": 101}, "self_score_value"),
        ({"self_score": "tinggi"}, "self_score"),
        ({"status": "hilang"}, "status"),
        ({"provincial_score": None}, "provincial_score"),
        ({"national_note": "bagus"}, "national_note"),
        ({"value_year1": "x" * 501}, "value_year1"),
    ],
)
def test_invalid_entry_changes_answer_400_with_fields(client_for, rina, assessment, payload, field):
    psr1 = entry(assessment, "PSR", "1")
    if payload == "option of another indicator":
        payload = {"self_score": option(entry(assessment, "PDD", "1"), 100).pk}

    error = error_of(patch(client_for(rina), f"/api/entries/{psr1.pk}/", payload), 400, "invalid")

    assert list(error["fields"]) == [field]
    assert error["fields"][field]
    psr1.refresh_from_db()
    assert psr1.self_score is None
    assert psr1.status == IndicatorEntry.Status.KOSONG


def test_self_score_by_option_id_and_cleared_with_null(client_for, rina, assessment):
    client = client_for(rina)
    psr1 = entry(assessment, "PSR", "1")

    response = patch(client, f"/api/entries/{psr1.pk}/", {"self_score": option(psr1, 50).pk, "status": "selesai"})
    assert response.json()["self_score"]["value"] == 50
    assert response.json()["status"] == "selesai"
    assert patch(client, f"/api/entries/{psr1.pk}/", {"self_score": None}).json()["self_score"] is None
    psr1.refresh_from_db()
    assert psr1.self_score is None


def test_entries_cannot_be_replaced_or_deleted(client_for, rina, assessment):
    psr1 = entry(assessment, "PSR", "1")
    client = client_for(rina)

    error_of(client.put(f"/api/entries/{psr1.pk}/", {}, content_type="application/json"), 405, "method_not_allowed")
    error_of(client.delete(f"/api/entries/{psr1.pk}/"), 405, "method_not_allowed")


# --- Opening an assessment -----------------------------------------------------------------------


def test_bappeda_admin_opens_an_assessment(client_for, rina, small_cycle, dinkes_serang):
    response = open_assessment(client_for(rina))

    assert response.status_code == 201, response.content
    body = response.json()
    assessment = Assessment.objects.get(kabupaten="36.04", cycle=small_cycle)
    assert body["id"] == assessment.pk
    assert body["kabupaten"]["code"] == "36.04"
    assert body["cycle"] == 2030
    assert [t["code"] for t in body["tatanan"]] == ["PSR", "PDD"]
    assert body["summary"]["entries"]["total"] == 4
    assert body["summary"]["entries"]["kosong"] == 4
    assert body["summary"]["kelembagaan"] == {"total": 1, "self_scored": 0}
    assert body["can_administer"] is True
    assert assessment.created_by == rina
    # Opening again completes it (nothing new) and says so with 200.
    assert open_assessment(client_for(rina)).status_code == 200
    assert Assessment.objects.count() == 1


@pytest.mark.parametrize(
    ("persona", "status", "code"),
    [
        ("sari", 404, "not_found"),  # Serang lies outside a kecamatan secretary's scope
        ("wawan", 404, "not_found"),  # another province
        ("oscar", 404, "not_found"),  # in scope, but not the Bappeda admin: 404 all the same
        ("vina", 404, "not_found"),
    ],
)
def test_only_the_bappeda_admin_opens_an_assessment(request, client_for, persona, status, code, small_cycle):
    error_of(open_assessment(client_for(request.getfixturevalue(persona))), status, code)

    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kabupaten": "36.99"}, "kabupaten"),
        ({"cycle": 1999}, "cycle"),
        ({"tatanan": ["XYZ"]}, "tatanan"),
        ({"cycle": "dua ribu"}, "cycle"),
    ],
)
def test_opening_with_invalid_data_answers_400_with_fields(client_for, rina, small_cycle, payload, field):
    error = error_of(open_assessment(client_for(rina), **payload), 400, "invalid")

    assert list(error["fields"]) == [field]
    assert not Assessment.objects.exists()


def test_every_unknown_code_of_an_opening_is_named_at_once(client_for, rina, small_cycle):
    # The serializer turns the codes into objects, so a bad kabupaten and a bad cycle are both reported.
    error = error_of(open_assessment(client_for(rina), kabupaten="36.99", cycle=1999), 400, "invalid")

    assert error["fields"] == {
        "kabupaten": ["Kode wilayah tidak dikenal."],
        "cycle": ["Siklus penilaian tidak dikenal."],
    }


def test_every_unknown_tatanan_of_an_opening_is_named_in_one_message(client_for, rina, small_cycle):
    error = error_of(open_assessment(client_for(rina), tatanan=["psr", "xyz", " abc "]), 400, "invalid")

    assert error["fields"] == {"tatanan": ["Tatanan tidak dikenal dalam siklus ini: ABC, XYZ"]}


def test_a_kecamatan_is_no_kabupaten(client_for, root_user, small_cycle, wilayah):
    error = error_of(open_assessment(client_for(root_user), kabupaten="36.04.17"), 400, "invalid")

    assert error["fields"]["non_field_errors"]


# --- Reading assessments ---------------------------------------------------------------------------


def test_assessment_detail_has_a_summary(client_for, rina, assessment, wilayah):
    set_scores(assessment, {"PSR1": 100, "PDD1": 50})
    set_odf(assessment, wilayah, total=10, odf=9)
    psr = entry(assessment, "PSR", "1").indicator.tatanan
    TitikPantau.objects.create(assessment=assessment, tatanan=psr, name="Pasar Baros", kind="pasar")

    body = client_for(rina).get(f"/api/assessments/{assessment.pk}/").json()

    assert body["summary"] == {
        "entries": {"total": 4, "kosong": 4, "draf": 0, "selesai": 0, "self_scored": 2, "unassigned": 0},
        "kelembagaan": {"total": 1, "self_scored": 0},
        "odf_percent": 90.0,
        "titik_pantau": 1,
    }


def test_assessments_filtered_by_cycle(client_for, rina, assessment):
    client = client_for(rina)

    assert len(results(client.get("/api/assessments/?cycle=2030"))) == 1
    assert results(client.get("/api/assessments/?cycle=2025")) == []


# --- Scores --------------------------------------------------------------------------------------


def test_score_matches_assessment_score(client_for, vina, assessment, wilayah):
    # PSR (100 + 75) / 2 = 87.5 %, PDD (100 + 50) / 2 = 75 %: overall 81.25, minimum 75.
    set_scores(assessment, {"PSR1": 100, "PSR2": 75, "PDD1": 100, "PDD2": 50})
    set_kelembagaan(assessment, 100)
    set_odf(assessment, wilayah, total=10, odf=9)

    body = client_for(vina).get(f"/api/assessments/{assessment.pk}/score/").json()
    expected = assessment_score(assessment=assessment, layer="self")

    assert body["layer"] == "self"
    assert [(t["code"], D(str(t["percent"]))) for t in body["tatanan"]] == [("PSR", D("87.5")), ("PDD", D(75))]
    assert [(t["code"], D(str(t["percent"]))) for t in body["tatanan"]] == [
        (t.code, t.percent) for t in expected.tatanan
    ]
    assert D(str(body["overall"])) == expected.overall == D("81.25")
    assert D(str(body["minimum"])) == expected.minimum == D(75)
    assert D(str(body["odf"])) == expected.odf == D(90)
    assert body["kelembagaan_met"] is expected.kelembagaan_met is True
    assert body["tier"] == expected.tier == "padapa"
    assert [(o["tier"], o["reached"], o["failures"]) for o in body["outcomes"]] == [
        (o.tier, o.reached, o.failures) for o in expected.outcomes
    ]
    assert [o["tier"] for o in body["failed_outcomes"]] == ["wistara", "wiwerda"]
    assert body["what_if"]["target_tier"] == expected.what_if.target_tier == "wiwerda"
    assert [(i["indicator_id"], i["from_value"], i["to_value"]) for i in body["what_if"]["improvements"]] == [
        (i.indicator_id, i.from_value, i.to_value) for i in expected.what_if.improvements
    ]
    assert body["what_if"]["improvements"]


def test_score_layers_and_an_unknown_layer(client_for, rina, assessment):
    set_scores(assessment, {"PSR1": 100})
    set_scores(assessment, {"PSR1": 50}, layer="provincial_score")
    client = client_for(rina)

    assert client.get(f"/api/assessments/{assessment.pk}/score/?layer=provincial").json()["tatanan"][0]["percent"] == 25
    national = client.get(f"/api/assessments/{assessment.pk}/score/?layer=national").json()
    assert national["overall"] == 0
    assert national["tier"] is None
    error = error_of(client.get(f"/api/assessments/{assessment.pk}/score/?layer=bupati"), 400, "invalid")
    assert list(error["fields"]) == ["layer"]


# --- Titik pantau and data requests -----------------------------------------------------------------


def test_titik_pantau_are_read_in_scope(client_for, vina, oscar, assessment, wilayah):
    psr = entry(assessment, "PSR", "1").indicator.tatanan
    TitikPantau.objects.create(
        assessment=assessment,
        tatanan=psr,
        name="Pasar Baros",
        kind="pasar",
        desa=wilayah["desa_carenang"],
        latitude=D("-6.1"),
        longitude=D("106.2"),
    )

    body = results(client_for(vina).get(f"/api/titik-pantau/?assessment={assessment.pk}&kind=pasar"))
    assert [(p["name"], p["tatanan"]["code"], p["desa"]["code"], p["latitude"]) for p in body] == [
        ("Pasar Baros", "PSR", "36.04.17.2001", -6.1)
    ]
    assert len(results(client_for(oscar).get("/api/titik-pantau/?tatanan=psr"))) == 1


def test_data_requests_for_bappeda_and_the_opds_operators_only(
    client_for, rina, oscar, vina, root_user, assessment, dinkes_serang
):
    disdik = Opd.objects.get(short_name="Disdik")
    for opd in (dinkes_serang, disdik):
        DataRequest.objects.create(assessment=assessment, opd=opd, deadline="2030-01-31", created_by=rina)

    def opds(user):
        return sorted(r["opd"]["short_name"] for r in results(client_for(user).get("/api/data-requests/")))

    assert opds(rina) == ["Dinkes", "Disdik"]
    assert opds(root_user) == ["Dinkes", "Disdik"]  # the superuser's empty Q() is everything
    assert opds(oscar) == ["Dinkes"]
    assert opds(vina) == []


def test_evidence_link_is_saved_under_the_entry_rule(client_for, rina, oscar, assessment):
    psr1, pdd1 = entry(assessment, "PSR", "1"), entry(assessment, "PDD", "1")
    link = "https://drive.example/psr1"

    response = patch(client_for(oscar), f"/api/entries/{psr1.pk}/", {"evidence_link": link})
    assert response.status_code == 200, response.content
    assert response.json()["evidence_link"] == link
    error_of(patch(client_for(oscar), f"/api/entries/{pdd1.pk}/", {"evidence_link": link}), 404, "not_found")
    error = error_of(
        patch(client_for(rina), f"/api/entries/{pdd1.pk}/", {"evidence_link": "file:///c:/x"}), 400, "invalid"
    )
    assert list(error["fields"]) == ["evidence_link"]

    psr1.refresh_from_db()
    pdd1.refresh_from_db()
    assert (psr1.evidence_link, psr1.updated_by) == (link, oscar)
    assert pdd1.evidence_link == ""


# --- Titik pantau writes (the fieldwork services) ---------------------------------------------------


def add_point(client, assessment, **data):
    payload = {"assessment": assessment.pk, "tatanan": "psr", "name": "Pasar Baros", "kind": "pasar", **data}
    return client.post("/api/titik-pantau/", payload, content_type="application/json")


def test_bappeda_admin_adds_changes_and_deletes_a_titik_pantau(client_for, rina, assessment, wilayah):
    client = client_for(rina)

    response = add_point(client, assessment, desa="36.04.17.2001", latitude="-6.100000", longitude="106.200000")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["tatanan"]["code"], body["desa"]["code"], body["kind_label"]) == ("PSR", "36.04.17.2001", "Pasar")
    point = TitikPantau.objects.get(pk=body["id"])
    assert point.created_by == rina

    response = patch(client, f"/api/titik-pantau/{point.pk}/", {"name": "Pasar Induk Baros", "desa": ""})
    assert response.status_code == 200, response.content
    point.refresh_from_db()
    assert (point.name, point.desa) == ("Pasar Induk Baros", None)

    assert client.delete(f"/api/titik-pantau/{point.pk}/").status_code == 204
    assert not TitikPantau.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"tatanan": "KSM"}, "tatanan"),  # not assessed
        ({"kind": "mall"}, "kind"),
        ({"desa": "36.04.17"}, "desa"),  # a kecamatan
        ({"desa": "32.01"}, "desa"),  # outside the kabupaten
        ({"desa": "36.04.99.9999"}, "desa"),  # unknown
        ({"latitude": "-6.1"}, "longitude"),  # coordinates come in pairs
        ({"name": ""}, "name"),
        ({"created_by": 1}, "created_by"),
    ],
)
def test_invalid_titik_pantau_answers_400_with_fields(client_for, rina, assessment, wilayah, data, field):
    error = error_of(add_point(client_for(rina), assessment, **data), 400, "invalid")

    assert field in error["fields"]
    assert not TitikPantau.objects.exists()


def test_only_the_bappeda_admin_writes_titik_pantau(client_for, oscar, vina, wawan, assessment):
    psr = entry(assessment, "PSR", "1").indicator.tatanan
    point = TitikPantau.objects.create(assessment=assessment, tatanan=psr, name="Pasar Baros", kind="pasar")

    error_of(add_point(client_for(oscar), assessment), 404, "not_found")
    error_of(patch(client_for(vina), f"/api/titik-pantau/{point.pk}/", {"name": "X"}), 404, "not_found")
    error_of(client_for(vina).delete(f"/api/titik-pantau/{point.pk}/"), 404, "not_found")
    error_of(add_point(client_for(wawan), assessment), 404, "not_found")
    error_of(client_for(wawan).delete(f"/api/titik-pantau/{point.pk}/"), 404, "not_found")
    assert TitikPantau.objects.get().name == "Pasar Baros"


def test_a_titik_pantau_tatanan_is_one_the_assessment_assesses(client_for, rina, assessment, wilayah):
    error = error_of(add_point(client_for(rina), assessment, tatanan="XYZ"), 400, "invalid")
    assert error["fields"] == {"tatanan": ["Pilih salah satu tatanan yang dinilai dalam penilaian ini."]}
    error = error_of(add_point(client_for(rina), assessment, tatanan="   "), 400, "invalid")
    assert list(error["fields"]) == ["tatanan"]

    response = add_point(client_for(rina), assessment, tatanan=" pdd ")
    assert (response.status_code, response.json()["tatanan"]["code"]) == (201, "PDD")


def test_a_reader_who_is_not_the_admin_gets_404_whatever_the_tatanan(client_for, oscar, vina, assessment):
    # The admin rule comes before the body is judged: no 400 that tells a code from another.
    error_of(add_point(client_for(oscar), assessment, tatanan="XYZ"), 404, "not_found")
    psr = entry(assessment, "PSR", "1").indicator.tatanan
    point = TitikPantau.objects.create(assessment=assessment, tatanan=psr, name="Pasar Baros", kind="pasar")
    error_of(patch(client_for(vina), f"/api/titik-pantau/{point.pk}/", {"tatanan": "XYZ"}), 404, "not_found")


# --- Data request writes (the request services) ------------------------------------------------------


def ask(client, assessment, to, asked, **data):
    payload = {
        "assessment": assessment.pk,
        "opd": to.pk,
        "entries": [e.pk for e in asked],
        "deadline": str(date.today() + timedelta(days=7)),
        **data,
    }
    return client.post("/api/data-requests/", payload, content_type="application/json")


def test_bappeda_admin_asks_an_opd_for_data(client_for, rina, oscar, assessment, dinkes_serang):
    pdd1 = entry(assessment, "PDD", "1")

    response = ask(client_for(rina), assessment, dinkes_serang, [pdd1], message="Mohon datanya.")

    assert response.status_code == 201, response.content
    assert response.json()["opd"]["short_name"] == "Dinkes"
    assert response.json()["message"] == "Mohon datanya."
    pdd1.refresh_from_db()
    assert pdd1.assigned_opd == dinkes_serang
    assert "PDD1" in labels(client_for(oscar).get("/api/entries/"))
    # Asking the same OPD again moves the deadline of its one request.
    later = str(date.today() + timedelta(days=14))
    again = ask(client_for(rina), assessment, dinkes_serang, [pdd1], deadline=later)
    assert again.status_code == 200
    assert again.json()["deadline"] == later
    assert DataRequest.objects.get().message == "Mohon datanya."


def test_the_superuser_asks_and_reminds_too(client_for, root_user, assessment, dinkes_serang):
    response = ask(client_for(root_user), assessment, dinkes_serang, [entry(assessment, "PDD", "1")])

    assert response.status_code == 201, response.content
    remind = client_for(root_user).post(f"/api/data-requests/{response.json()['id']}/remind/")
    assert remind.status_code == 202


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"deadline": "2020-01-01"}, "deadline"),
        ({"entries": []}, "entries"),
        ({"entries": [999_999]}, "entries"),
        ({"opd": 999_999}, "opd"),
    ],
)
def test_invalid_data_request_answers_400_with_fields(client_for, rina, assessment, dinkes_serang, data, field):
    asked = [entry(assessment, "PDD", "1")]
    error = error_of(ask(client_for(rina), assessment, dinkes_serang, asked, **data), 400, "invalid")

    assert list(error["fields"]) == [field]
    assert not DataRequest.objects.exists()


def test_only_the_bappeda_admin_asks_and_reminds(client_for, oscar, vina, wawan, assessment, dinkes_serang):
    psr1 = entry(assessment, "PSR", "1")
    for persona in (oscar, vina, wawan):
        error_of(ask(client_for(persona), assessment, dinkes_serang, [psr1]), 404, "not_found")
    assert not DataRequest.objects.exists()

    data_request = DataRequest.objects.create(assessment=assessment, opd=dinkes_serang, deadline=date.today())
    # Oscar reads his OPD's request but cannot chase himself.
    assert client_for(oscar).get(f"/api/data-requests/{data_request.pk}/").status_code == 200
    error_of(client_for(oscar).post(f"/api/data-requests/{data_request.pk}/remind/"), 404, "not_found")


def test_remind_queues_the_e_mail_to_the_opds_operators(
    client_for, rina, oscar, assessment, dinkes_serang, mailoutbox, django_capture_on_commit_callbacks
):
    oscar.email = "oscar@example.org"
    oscar.save()
    data_request = DataRequest.objects.create(assessment=assessment, opd=dinkes_serang, deadline=date.today())

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(rina).post(f"/api/data-requests/{data_request.pk}/remind/")

    assert response.status_code == 202, response.content
    assert [m.to for m in mailoutbox] == [["oscar@example.org"]]
    data_request.refresh_from_db()
    assert data_request.reminder_count == 1


# --- The Excel workbook (indicators.excel.workbook) ---------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_with(assessment, score):
    """The exported workbook with PSR 1's NILAI MANDIRI set to ``score``."""
    wb = openpyxl.load_workbook(io.BytesIO(assessment_export(assessment=assessment)))
    wb["Tatanan 1 Pasar Sehat"].cell(7, 11).value = score  # as in test_excel_views
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("penilaian-serang.xlsx", buffer.getvalue(), content_type=XLSX)


def test_whoever_reads_the_assessment_downloads_its_workbook(client_for, vina, wawan, assessment):
    response = client_for(vina).get(f"/api/assessments/{assessment.pk}/workbook/")

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith('attachment; filename="penilaian-mandiri-36.04-2030.xlsx"')
    assert openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames[0] == "Kelembagaan"
    error_of(client_for(wawan).get(f"/api/assessments/{assessment.pk}/workbook/"), 404, "not_found")


def test_bappeda_admin_uploads_a_workbook_and_gets_the_report(client_for, rina, assessment):
    url = f"/api/assessments/{assessment.pk}/workbook/"
    client = client_for(rina)

    trial = client.post(url, {"file": workbook_with(assessment, 75), "dry_run": "true"})
    assert trial.status_code == 200, trial.content
    assert (trial.json()["ok"], trial.json()["imported"]) == (True, False)
    assert entry(assessment, "PSR", "1").self_score is None

    body = client.post(url, {"file": workbook_with(assessment, 75)}).json()
    assert (body["ok"], body["imported"], body["counts"]["updated"]) == (True, True, 1)
    assert body["rows"][0]["first_row"] >= 1
    assert entry(assessment, "PSR", "1").self_score.value == 75

    refused = client.post(url, {"file": workbook_with(assessment, 60)}).json()
    assert (refused["ok"], refused["imported"], refused["counts"]["error"]) == (False, False, 1)
    assert entry(assessment, "PSR", "1").self_score.value == 75


def test_workbook_upload_checks_the_file_and_the_role(client_for, rina, oscar, assessment):
    url = f"/api/assessments/{assessment.pk}/workbook/"

    error = error_of(client_for(rina).post(url, {"file": SimpleUploadedFile("data.csv", b"a,b")}), 400, "invalid")
    assert list(error["fields"]) == ["file"]
    error_of(client_for(rina).post(url, {}), 400, "invalid")
    error_of(client_for(oscar).post(url, {"file": workbook_with(assessment, 75)}), 404, "not_found")
    assert entry(assessment, "PSR", "1").self_score is None
