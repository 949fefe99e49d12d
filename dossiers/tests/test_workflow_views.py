"""Pages of the verification workflow: the panel and checklist on the dossier page, submitting,
the review page (scores, notes, comment threads), returning and approving with the berita acara,
the queues, and 404 for whoever does not take part."""

# The workflow fixtures are imported by name, so pytest finds them here.
# ruff: noqa: F811

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from dossiers.models import BeritaAcara, Dossier, DossierComment
from dossiers.tests.workflow_fixtures import finished_version, in_review, ready, score_all, submitted  # noqa: F401
from indicators.models import IndicatorEntry
from kks_portal.lib.files.responses import CSP_PDF_INLINE

pytestmark = pytest.mark.django_db

S = Dossier.Status


def url(name, assessment, **kwargs):
    return reverse(f"dossiers:{name}", kwargs={"pk": assessment.pk, **kwargs})


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_bappeda_sees_the_checklist_and_cannot_submit_an_incomplete_dossier(serang_2025, rina, client_for):
    client = client_for(rina)
    page = client.get(url("detail", serang_2025)).content.decode()
    assert 'id="submit-checklist" data-ok="0"' in page
    assert 'data-check="odf" data-ok="0"' in page
    assert "Kecamatan Binuang" in page
    assert 'data-check="self_scores" data-ok="1"' in page
    assert 'id="submit-button" disabled' in page
    finished_version(serang_2025, actor=rina)
    response = client.post(url("submit", serang_2025), follow=True)
    texts = messages_of(response)
    assert texts[0] == "Dossier belum dapat diajukan. Lengkapi daftar periksa di bawah."
    assert any(t.startswith("Status ODF dilaporkan untuk setiap kecamatan: Kecamatan Binuang") for t in texts)
    assert Dossier.objects.get(assessment=serang_2025).status == S.DRAFT


def test_bappeda_submits_from_the_panel(ready, rina, client_for):
    client = client_for(rina)
    finished_version(ready, actor=rina)
    page = client.get(url("detail", ready)).content.decode()
    assert 'id="submit-checklist" data-ok="1"' in page
    assert re.search(r'id="submit-button"\s*>', page)  # not disabled
    response = client.post(url("submit", ready), {"comment": "Versi pertama."})
    assert response.status_code == 302
    assert response["Location"] == url("detail", ready)
    dossier = Dossier.objects.get(assessment=ready)
    assert dossier.status == S.SUBMITTED
    page = client.get(url("detail", ready)).content.decode()
    assert 'id="workflow-status">Diajukan ke provinsi<' in page
    assert 'data-action="submit"' in page
    assert "Versi pertama." in page
    assert 'id="submit-form"' not in page


def test_other_people_get_404_everywhere(submitted, wawan, oscar, sari, client_for):
    for user in (wawan, oscar, sari):
        client = client_for(user)
        for name in ("review", "submit", "review_open", "return", "approve", "comment", "national_open", "decide"):
            method = client.get if name == "review" else client.post
            assert method(url(name, submitted.assessment)).status_code == 404, (user, name)
    assert client_for(wawan).get(reverse("dossiers:queue")).status_code == 200
    assert client_for(oscar).get(reverse("dossiers:queue")).status_code == 404
    assert Dossier.objects.get(pk=submitted.pk).status == S.SUBMITTED


def test_a_participant_trying_a_step_not_theirs_gets_404(submitted, rina, vina, nadia, client_for):
    assert client_for(rina).post(url("review_open", submitted.assessment)).status_code == 404
    assert client_for(vina).post(url("submit", submitted.assessment)).status_code == 404
    assert client_for(vina).post(url("national_open", submitted.assessment)).status_code == 404
    assert client_for(nadia).post(url("approve", submitted.assessment)).status_code == 404


def test_queues(submitted, vina, wawan, nadia, client_for):
    page = client_for(vina).get(reverse("dossiers:queue")).content.decode()
    assert f'data-assessment="{submitted.assessment_id}"' in page
    assert (
        f'data-assessment="{submitted.assessment_id}"'
        not in client_for(wawan).get(reverse("dossiers:queue")).content.decode()
    )
    national = client_for(nadia).get(reverse("dossiers:queue")).content.decode()
    assert 'id="queue-national"' in national
    assert f'data-assessment="{submitted.assessment_id}"' not in national


def test_verifier_reviews_scores_and_comments(submitted, vina, rina, client_for):
    client = client_for(vina)
    assessment = submitted.assessment
    page = client.get(url("review", assessment)).content.decode()
    assert 'id="review-open-button"' in page
    assert 'id="scores-form"' not in page
    response = client.post(url("review_open", assessment))
    assert response.status_code == 302
    page = client.get(url("review", assessment) + "?tatanan=PSR").content.decode()
    assert 'id="scores-form"' in page
    assert 'data-tatanan="PSR"' in page
    entry = assessment.indicator_entries.select_related("indicator").get(
        indicator__tatanan__code="PSR", indicator__number="1"
    )
    other = assessment.indicator_entries.get(indicator__tatanan__code="PSR", indicator__number="2")
    assert 'href="/bukti/berkas/' in page  # the evidence of PSR 1, downloadable by scope
    assert "Laporan inspeksi pasar" in page

    option = entry.indicator.scale_options.get(value=50)
    foreign = assessment.indicator_entries.get(
        indicator__tatanan__code="KSM", indicator__number="1"
    ).indicator.scale_options.first()
    bad = {f"score-{entry.pk}": option.pk, f"note-{entry.pk}": "Bukti 2024 buram.", f"score-{other.pk}": foreign.pk}
    response = client.post(url("review", assessment) + "?tatanan=PSR", bad)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Pilih salah satu opsi skala indikator ini." in body
    assert "Bukti 2024 buram." in body  # nothing typed is lost
    assert "Nilai belum disimpan. Periksa isian yang ditandai." in messages_of(response)
    assert IndicatorEntry.objects.get(pk=entry.pk).provincial_score is None

    good = {f"score-{entry.pk}": option.pk, f"note-{entry.pk}": "Bukti 2024 buram.", f"score-{other.pk}": ""}
    response = client.post(url("review", assessment) + "?tatanan=PSR", good)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.provincial_score, entry.provincial_note) == (option, "Bukti 2024 buram.")

    response = client.post(
        url("comment", assessment),
        {
            "entry": entry.pk,
            "body": "Unggah laporan 2024 yang terbaca.",
            "next": url("review", assessment) + "?tatanan=PSR",
        },
    )
    thread = DossierComment.objects.get()
    assert response["Location"] == url("review", assessment) + f"?tatanan=PSR#komentar-{thread.pk}"
    response = client_for(rina).post(url("comment", assessment), {"parent": thread.pk, "body": "Sudah diunggah ulang."})
    assert response.status_code == 302
    page = client_for(rina).get(url("review", assessment) + "?tatanan=PSR").content.decode()
    assert "Unggah laporan 2024 yang terbaca." in page
    assert "Sudah diunggah ulang." in page
    assert 'class="new-thread-form"' not in page  # Bappeda answers, it does not open threads

    response = client.post(url("comment", assessment), {"entry": entry.pk, "body": "   "})
    assert response.status_code == 400
    assert "Komentar belum dikirim: Komentar tidak boleh kosong." in messages_of(response)
    assert DossierComment.objects.count() == 2


def test_return_without_reason_keeps_what_was_typed(in_review, vina, client_for):
    client = client_for(vina)
    response = client.post(url("return", in_review.assessment), {"return-reason": "kurang"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Tuliskan alasannya, sedikitnya 10 karakter." in body
    assert ">kurang</textarea>" in body
    response = client.post(url("return", in_review.assessment), {"return-reason": "Bukti pasar 2024 belum ada."})
    assert response.status_code == 302
    assert Dossier.objects.get(pk=in_review.pk).status == S.RETURNED


def test_approve_makes_the_berita_acara_downloadable_by_scope(in_review, vina, rina, wawan, nadia, client_for):
    client = client_for(vina)
    response = client.post(url("approve", in_review.assessment), {"approve-comment": ""})
    assert response.status_code == 400
    assert any("4 indikator belum dinilai" in t for t in messages_of(response))
    score_all(in_review, vina)
    response = client.post(url("approve", in_review.assessment), {"approve-comment": "Lengkap."})
    assert response.status_code == 302
    record = BeritaAcara.objects.get()
    download = url("berita_acara", in_review.assessment, ba_pk=record.pk)
    page = client_for(rina).get(url("detail", in_review.assessment)).content.decode()
    assert download in page
    assert record.number in page
    for user in (rina, vina, nadia):
        response = client_for(user).get(download)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Security-Policy"] == CSP_PDF_INLINE
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client_for(wawan).get(download).status_code == 404


def test_national_decision_form_refuses_bad_input(in_review, vina, nadia, client_for):
    score_all(in_review, vina)
    client_for(vina).post(url("approve", in_review.assessment), {})
    client = client_for(nadia)
    assert client.post(url("national_open", in_review.assessment)).status_code == 302
    response = client.post(
        url("decide", in_review.assessment), {"decision-outcome": "awarded", "decision-comment": "x"}
    )
    assert response.status_code == 400
    assert "Pilih strata penghargaan." in response.content.decode()
    response = client.post(
        url("decide", in_review.assessment), {"decision-outcome": "not_awarded", "decision-comment": ""}
    )
    assert response.status_code == 400
    assert "Tuliskan alasannya, sedikitnya 10 karakter." in response.content.decode()
    response = client.post(url("correction_open", in_review.assessment), {"correction-reason": ""})
    assert response.status_code == 400
    assert "Alasan wajib diisi." in response.content.decode()
    assert Dossier.objects.get(pk=in_review.pk).status == S.NATIONAL_REVIEW
