"""The verification workflow through the API: state, steps, comments and scores, the one error
shape, 404 for whoever has no part in a step, 409 for a step tried at the wrong moment."""

# The workflow fixtures are imported by name, so pytest finds them here.
# ruff: noqa: F811

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from dossiers.models import BeritaAcara, Dossier, DossierComment
from dossiers.tests.workflow_fixtures import finished_version, in_review, ready, score_all, submitted  # noqa: F401

pytestmark = pytest.mark.django_db

S = Dossier.Status


@pytest.fixture
def api():
    def client_for(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return client_for


def base(assessment) -> str:
    return f"/api/dossiers/{assessment.pk}"


def test_bappeda_reads_the_checklist_and_a_refused_submission(serang_2025, rina, api):
    client = api(rina)
    state = client.get(f"{base(serang_2025)}/workflow/").json()
    assert state["status"] == "draft"
    assert state["actions"] == ["submit"]
    checks = {c["code"]: c for c in state["checklist"]}
    assert checks["odf"] == {
        "code": "odf",
        "label": "Status ODF dilaporkan untuk setiap kecamatan",
        "ok": False,
        "missing": ["Kecamatan Binuang"],
    }
    finished_version(serang_2025, actor=rina)
    response = client.post(f"{base(serang_2025)}/workflow/submit/", {}, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "Status ODF dilaporkan untuk setiap kecamatan: Kecamatan Binuang" in error["fields"]["checklist"]


def test_the_whole_province_round_through_the_api(ready, rina, vina, api):
    finished_version(ready, actor=rina)
    response = api(rina).post(f"{base(ready)}/workflow/submit/", {"comment": "Lewat API."}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"
    verifier = api(vina)
    assert verifier.post(f"{base(ready)}/workflow/open-review/", {}, format="json").json()["can_score"] == "provincial"

    entries = list(ready.indicator_entries.order_by("pk"))
    bad = verifier.post(
        f"{base(ready)}/scores/", {"scores": [{"entry": entries[0].pk, "value": 60, "note": ""}]}, format="json"
    )
    assert bad.status_code == 400
    assert bad.json()["error"]["fields"]["scores"] == {
        "0": ["Nilai 60 bukan opsi skala indikator ini (100, 75, 50, 25, 0)."]
    }
    rows = [{"entry": e.pk, "value": 75, "note": "Sesuai."} for e in entries]
    assert verifier.post(f"{base(ready)}/scores/", {"scores": rows}, format="json").json() == {
        "layer": "provincial",
        "changed": 4,
    }

    thread = verifier.post(
        f"{base(ready)}/comments/", {"body": "Bab profil tanpa peta.", "chapter": "profil"}, format="json"
    )
    assert thread.status_code == 201
    assert thread.json()["chapter_title"] == "1 Profil Umum"
    reply = api(rina).post(
        f"{base(ready)}/comments/", {"body": "Peta ditambahkan.", "parent": thread.json()["id"]}, format="json"
    )
    assert reply.status_code == 201
    assert reply.json()["side"] == "kabupaten"
    listed = verifier.get(f"{base(ready)}/comments/").json()
    assert [c["body"] for c in listed] == ["Bab profil tanpa peta.", "Peta ditambahkan."]

    short = verifier.post(f"{base(ready)}/workflow/return/", {"reason": "kurang"}, format="json")
    assert short.status_code == 400
    assert short.json()["error"]["fields"] == {"reason": ["Tuliskan alasannya, sedikitnya 10 karakter."]}
    approved = verifier.post(f"{base(ready)}/workflow/approve/", {"comment": "Lengkap."}, format="json").json()
    assert approved["status"] == "province_approved"
    assert approved["berita_acara"][0]["number"] == BeritaAcara.objects.get().number
    assert approved["berita_acara"][0]["url"].endswith(
        f"/dossier/{ready.pk}/berita-acara/{BeritaAcara.objects.get().pk}/"
    )
    again = verifier.post(f"{base(ready)}/workflow/approve/", {}, format="json")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "conflict"


def test_no_part_in_a_step_is_404(submitted, rina, vina, wawan, nadia, oscar, api):
    assert api(wawan).get(f"{base(submitted.assessment)}/workflow/").status_code == 404
    assert api(oscar).get(f"{base(submitted.assessment)}/workflow/").status_code == 404
    assert api(rina).post(f"{base(submitted.assessment)}/workflow/open-review/", {}, format="json").status_code == 404
    assert api(nadia).post(f"{base(submitted.assessment)}/workflow/open-review/", {}, format="json").status_code == 404
    assert api(vina).post(f"{base(submitted.assessment)}/workflow/submit/", {}, format="json").status_code == 404
    assert api(nadia).post(f"{base(submitted.assessment)}/comments/", {"body": "x"}, format="json").status_code == 404
    response = api(wawan).post(f"{base(submitted.assessment)}/scores/", {"scores": []}, format="json")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert Dossier.objects.get(pk=submitted.pk).status == S.SUBMITTED
    assert not DossierComment.objects.exists()


def test_scores_before_the_review_opens_are_a_conflict(submitted, vina, api):
    entry = submitted.assessment.indicator_entries.first()
    response = api(vina).post(
        f"{base(submitted.assessment)}/scores/", {"scores": [{"entry": entry.pk, "value": 75}]}, format="json"
    )
    assert response.status_code == 409


def test_national_decision_through_the_api(in_review, vina, nadia, api):
    score_all(in_review, vina)
    api(vina).post(f"{base(in_review.assessment)}/workflow/approve/", {}, format="json")
    client = api(nadia)
    assert client.post(f"{base(in_review.assessment)}/workflow/open-national/", {}, format="json").status_code == 200
    missing = client.post(f"{base(in_review.assessment)}/workflow/decide/", {}, format="json")
    assert missing.status_code == 400
    assert "awarded" in missing.json()["error"]["fields"]
    done = client.post(
        f"{base(in_review.assessment)}/workflow/decide/",
        {"awarded": False, "comment": "ODF belum 80 persen."},
        format="json",
    ).json()
    assert (done["status"], done["final_tier"], done["actions"]) == ("not_awarded", "", [])
