"""The dossier API: the dossier and its versions, compiling (Bappeda; 403 for other readers, 409
while busy), polling a version, its PDF, the comparison and the SIPANTAS export; 404 outside."""

import hashlib

import pytest

from dossiers.models import DossierVersion
from dossiers.tests.test_diff import entry, version_now


def api(assessment, rest=""):
    return f"/api/dossiers/{assessment.pk}/{rest}"


@pytest.fixture
def compiled(serang_2025, rina, compile_now):
    return compile_now(serang_2025, rina)


def test_the_dossier_with_its_versions(compiled, serang_2025, client_for, vina, rina):
    data = client_for(vina).get(api(serang_2025)).json()
    assert data["assessment"] == serang_2025.pk
    assert (data["kabupaten"]["code"], data["cycle"]) == ("36.04", 2025)
    assert (data["status"], data["status_label"], data["submitted_version"]) == ("draft", "Draf", None)
    assert data["can_compile"] is False
    [version] = data["versions"]
    assert (version["number"], version["state"], version["active"], version["progress"]) == (1, "done", False, 100)
    assert (version["sha256"], version["page_count"], version["size"]) == (
        compiled.sha256,
        compiled.page_count,
        compiled.size,
    )
    assert version["chapters_total"] == version["chapters_done"] == len(compiled.plan)
    assert version["status_url"] == api(serang_2025, "versions/1/")
    assert version["download_url"] == api(serang_2025, "versions/1/pdf/")
    assert client_for(rina).get(api(serang_2025)).json()["can_compile"] is True


def test_a_dossier_never_compiled_is_a_draft_without_versions(serang_2025, client_for, nadia):
    data = client_for(nadia).get(api(serang_2025)).json()
    assert (data["status"], data["versions"]) == ("draft", [])


def test_bappeda_compiles_polls_and_downloads(serang_2025, client_for, rina, django_capture_on_commit_callbacks):
    client = client_for(rina)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(api(serang_2025, "compile/"))
    assert started.status_code == 202
    assert (started.json()["number"], started.json()["state"], started.json()["active"]) == (1, "queued", True)
    status = client.get(started.json()["status_url"]).json()
    assert (status["state"], status["progress"], status["active"]) == ("done", 100, False)
    pdf = client.get(status["download_url"])
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith('attachment; filename="dossier-kks-36.04-2025-v1.pdf"')
    assert hashlib.sha256(b"".join(pdf.streaming_content)).hexdigest() == status["sha256"]


def test_a_second_compile_while_one_runs_is_409(serang_2025, client_for, rina, django_capture_on_commit_callbacks):
    client = client_for(rina)
    with django_capture_on_commit_callbacks(execute=False):  # the workers have not started yet
        assert client.post(api(serang_2025, "compile/")).status_code == 202
    busy = client.post(api(serang_2025, "compile/"))
    assert busy.status_code == 409
    assert busy.json() == {
        "error": {
            "status": 409,
            "code": "busy",
            "message": "Dossier sedang disusun. Tunggu sampai selesai sebelum menyusun lagi.",
        }
    }
    assert DossierVersion.objects.count() == 1
    status = client.get(api(serang_2025, "versions/1/")).json()
    assert (status["state"], status["active"], status["download_url"]) == ("queued", True, None)
    assert client.get(api(serang_2025, "versions/1/pdf/")).status_code == 404


def test_verifiers_read_but_do_not_compile(serang_2025, client_for, vina, nadia):
    """A write the reader may not make answers 404, as the workflow's do (accounts/access.py)."""
    for verifier in (vina, nadia):
        assert client_for(verifier).get(api(serang_2025)).status_code == 200
        refused = client_for(verifier).post(api(serang_2025, "compile/"))
        assert refused.status_code == 404
        assert refused.json()["error"]["code"] == "not_found"
    assert not DossierVersion.objects.exists()


def test_outside_the_scope_nothing_exists(compiled, serang_2025, client_for, client, wawan, oscar, sari):
    for person in (wawan, oscar, sari):
        for rest in ("", "versions/1/", "versions/1/pdf/", "diff/", "sipantas/"):
            response = client_for(person).get(api(serang_2025, rest))
            assert response.status_code == 404, rest
            assert response.json()["error"]["code"] == "not_found"
        assert client_for(person).post(api(serang_2025, "compile/")).status_code == 404
    assert DossierVersion.objects.count() == 1
    client.logout()
    assert client.get(api(serang_2025)).status_code == 401


def test_an_unknown_version_is_404(compiled, serang_2025, client_for, rina):
    assert client_for(rina).get(api(serang_2025, "versions/7/")).status_code == 404


def test_the_diff_as_json(serang_2025, client_for, vina):
    client = client_for(vina)
    empty = client.get(api(serang_2025, "diff/")).json()
    assert (empty["old"], empty["new"], empty["available"], empty["sections"]) == (None, None, False, [])
    version_now(serang_2025, submitted=True)
    psr1 = entry(serang_2025, "PSR", "1")
    psr1.value_year1 = "80"
    psr1.save()
    version_now(serang_2025)
    data = client.get(api(serang_2025, "diff/")).json()
    assert (data["old"]["number"], data["old"]["submitted"], data["new"]["number"]) == (1, True, 2)
    assert data["available"] is True
    assert data["counts"]["indicators_changed"] == 1
    [section] = data["sections"]
    assert (section["key"], section["title"]) == ("PSR", "PSR – Pasar")
    [record] = section["records"]
    assert (record["kind"], record["status"], record["key"]) == (
        "indicator",
        "changed",
        f"indicator:{psr1.indicator_id}",
    )
    assert record["changes"] == [{"field": "value_year1", "label": "Data tahun 2023", "old": "72", "new": "80"}]
    bad = client.get(api(serang_2025, "diff/"), {"dari": "5", "ke": "x"})
    assert bad.status_code == 400
    assert bad.json()["error"]["fields"] == {
        "ke": ["Nomor versi harus berupa angka, mis. 2."],
        "dari": ["Versi 5 tidak ada atau belum selesai disusun."],
    }


def test_versions_without_snapshot_are_reported(serang_2025, client_for, vina):
    version_now(serang_2025, snapshot=False)
    version_now(serang_2025)
    data = client_for(vina).get(api(serang_2025, "diff/")).json()
    assert (data["available"], data["missing_snapshot"], data["new"]["has_snapshot"]) == (False, [1], True)


def test_the_sipantas_export_as_json(serang_2025, client_for, nadia):
    response = client_for(nadia).get(api(serang_2025, "sipantas/"))
    assert response.status_code == 200
    data = response.json()
    assert (data["format"], data["kabupaten"]["code"], data["cycle"]) == ("kks-portal/sipantas", "36.04", 2025)
    assert [(row["tatanan_code"], row["number"]) for row in data["indicators"]] == [
        ("KSM", "1"),
        ("KSM", "2"),
        ("PSR", "1"),
        ("PSR", "2"),
    ]


def test_the_schema_documents_the_dossier_api(client, sari):
    client.force_login(sari)
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    for path in (
        "/api/dossiers/{id}/",
        "/api/dossiers/{id}/compile/",
        "/api/dossiers/{id}/versions/{number}/",
        "/api/dossiers/{id}/versions/{number}/pdf/",
        "/api/dossiers/{id}/diff/",
        "/api/dossiers/{id}/sipantas/",
    ):
        assert path in paths, path
    assert "409" in paths["/api/dossiers/{id}/compile/"]["post"]["responses"]
