"""Issue 12, item 3: a verifier never loses a score. On a tatanan tab the comment boxes belong to
the scores form, so "Kirim komentar" and "Balas" send the scores typed on the tab with the comment
and the server saves both in one transaction (``review_save``); a refusal (an empty comment, a
bad score) saves nothing and the page comes back with everything typed. "Setujui" stays
secondary and disabled until every indicator has the verifier's score."""

# The workflow fixtures are imported by name, so pytest finds them here.
# ruff: noqa: F811

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dossiers.models import DossierComment
from dossiers.tests.workflow_fixtures import in_review, ready, score_all, submitted  # noqa: F401
from dossiers.workflow.services import CommentDraft, ScoreChange, review_save
from indicators.models import IndicatorEntry

pytestmark = pytest.mark.django_db


def review_url(assessment, tab="PSR") -> str:
    return reverse("dossiers:review", kwargs={"pk": assessment.pk}) + f"?tatanan={tab}"


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def psr(assessment):
    entries = assessment.indicator_entries.select_related("indicator").filter(indicator__tatanan__code="PSR")
    first, second = entries.get(indicator__number="1"), entries.get(indicator__number="2")
    return first, second, first.indicator.scale_options.get(value=50), second.indicator.scale_options.get(value=25)


def typed(first, second, option1, option2, **extra) -> dict:
    """What the verifier has on the PSR tab: two scores, a note, and the extra boxes and button."""
    return {
        f"score-{first.pk}": option1.pk,
        f"note-{first.pk}": "Bukti 2024 buram.",
        f"score-{second.pk}": option2.pk,
        f"note-{second.pk}": "",
        **extra,
    }


# --- The service -----------------------------------------------------------------------------------------


def test_review_save_keeps_scores_and_comment_together(in_review, vina):
    first, second, option1, _option2 = psr(in_review.assessment)
    changed, created = review_save(
        dossier=in_review,
        actor=vina,
        changes=[ScoreChange(first.pk, option1.pk, "Cukup.")],
        comment=CommentDraft(body="Unggah laporan 2024.", entry=first),
    )
    assert changed == 1
    assert (created.entry, created.body, created.side) == (first, "Unggah laporan 2024.", "province")
    first.refresh_from_db()
    assert (first.provincial_score, first.provincial_note) == (option1, "Cukup.")


def test_a_refused_comment_saves_no_score_either(in_review, vina):
    first, _second, option1, _option2 = psr(in_review.assessment)
    with pytest.raises(ValidationError) as refused:
        review_save(
            dossier=in_review,
            actor=vina,
            changes=[ScoreChange(first.pk, option1.pk, "Cukup.")],
            comment=CommentDraft(body="   ", entry=first),
        )
    assert "Komentar tidak boleh kosong." in refused.value.messages
    first.refresh_from_db()
    assert first.provincial_score is None  # all or nothing: the page comes back with both
    assert not DossierComment.objects.exists()


# --- The page, without JavaScript ------------------------------------------------------------------------


def test_the_comment_boxes_of_a_tab_belong_to_the_scores_form(in_review, vina, client_for):
    first, *_ = psr(in_review.assessment)
    page = client_for(vina).get(review_url(in_review.assessment)).content.decode()
    box = re.search(rf'<textarea name="comment-entry-{first.pk}"[^>]*>', page)[0]
    assert 'form="scores-form"' in box
    assert "required" not in box  # an empty box must not block "Simpan nilai"
    assert f'name="send_comment" value="entry-{first.pk}"' in page
    assert "Mengirim komentar di tab ini juga menyimpan nilai yang sudah Anda pilih." in page


def test_sending_a_comment_saves_the_scores_typed(in_review, vina, client_for):
    assessment = in_review.assessment
    first, second, option1, option2 = psr(assessment)
    data = typed(
        first,
        second,
        option1,
        option2,
        **{f"comment-entry-{first.pk}": "Unggah laporan 2024 yang terbaca.", "send_comment": f"entry-{first.pk}"},
    )
    response = client_for(vina).post(review_url(assessment), data)
    thread = DossierComment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == review_url(assessment) + f"#komentar-{thread.pk}"
    assert (thread.entry_id, thread.body) == (first.pk, "Unggah laporan 2024 yang terbaca.")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.provincial_score, first.provincial_note) == (option1, "Bukti 2024 buram.")
    assert second.provincial_score == option2
    page = client_for(vina).get(review_url(assessment)).content.decode()
    assert re.search(rf'<option value="{option1.pk}" selected>', page)
    assert "Komentar dikirim dan nilai PSR disimpan (2 indikator berubah)." in page

    # A reply from the tab: the scores changed since go with it.
    other = first.indicator.scale_options.get(value=75)
    data = typed(
        first,
        second,
        other,
        option2,
        **{f"comment-reply-{thread.pk}": "Sudah cukup jelas.", "send_comment": f"reply-{thread.pk}"},
    )
    response = client_for(vina).post(review_url(assessment), data)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#komentar-{thread.pk}")
    reply = DossierComment.objects.get(parent=thread)
    assert reply.body == "Sudah cukup jelas."
    assert IndicatorEntry.objects.get(pk=first.pk).provincial_score == other


def test_an_empty_comment_comes_back_with_everything_typed(in_review, vina, client_for):
    assessment = in_review.assessment
    first, second, option1, option2 = psr(assessment)
    data = typed(
        first,
        second,
        option1,
        option2,
        **{
            f"comment-entry-{first.pk}": "   ",
            f"comment-entry-{second.pk}": "Draf untuk PSR 2.",
            "send_comment": f"entry-{first.pk}",
        },
    )
    response = client_for(vina).post(review_url(assessment), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        "Komentar belum dikirim dan nilai belum disimpan. Periksa isian yang ditandai; yang Anda ketik masih ada."
        in messages_of(response)
    )
    assert "Komentar tidak boleh kosong." in page
    assert re.search(rf'<option value="{option1.pk}" selected>', page)
    assert re.search(rf'<option value="{option2.pk}" selected>', page)
    assert "Bukti 2024 buram." in page
    assert ">Draf untuk PSR 2.</textarea>" in page
    assert 'data-unsaved="1"' in page
    assert IndicatorEntry.objects.get(pk=first.pk).provincial_score is None
    assert not DossierComment.objects.exists()


def test_a_bad_score_keeps_the_comment_typed(in_review, vina, client_for):
    assessment = in_review.assessment
    first, second, option1, _option2 = psr(assessment)
    foreign = assessment.indicator_entries.get(indicator__tatanan__code="KSM", indicator__number="1")
    bad = foreign.indicator.scale_options.first()
    data = typed(
        first,
        second,
        option1,
        bad,
        **{f"comment-entry-{first.pk}": "Laporan 2024 buram.", "send_comment": f"entry-{first.pk}"},
    )
    response = client_for(vina).post(review_url(assessment), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Pilih salah satu opsi skala indikator ini." in page
    assert ">Laporan 2024 buram.</textarea>" in page
    assert re.search(rf'<option value="{option1.pk}" selected>', page)
    assert not DossierComment.objects.exists()
    assert IndicatorEntry.objects.get(pk=first.pk).provincial_score is None


def test_other_boxes_still_holding_text_come_back_after_a_comment_is_sent(in_review, vina, client_for):
    assessment = in_review.assessment
    first, second, option1, option2 = psr(assessment)
    data = typed(
        first,
        second,
        option1,
        option2,
        **{
            f"comment-entry-{first.pk}": "Dikirim.",
            f"comment-entry-{second.pk}": "Belum dikirim.",
            "send_comment": f"entry-{first.pk}",
        },
    )
    response = client_for(vina).post(review_url(assessment), data)
    assert response.status_code == 200
    assert ">Belum dikirim.</textarea>" in response.content.decode()
    assert "Komentar lain yang Anda ketik belum dikirim; teksnya masih ada di kotaknya." in messages_of(response)
    assert DossierComment.objects.get().body == "Dikirim."
    assert IndicatorEntry.objects.get(pk=second.pk).provincial_score == option2


def test_a_comment_on_an_indicator_of_another_tab_is_404(in_review, vina, client_for):
    assessment = in_review.assessment
    first, second, option1, option2 = psr(assessment)
    ksm = assessment.indicator_entries.get(indicator__tatanan__code="KSM", indicator__number="1")
    data = typed(
        first, second, option1, option2, **{f"comment-entry-{ksm.pk}": "Salah tab.", "send_comment": f"entry-{ksm.pk}"}
    )
    assert client_for(vina).post(review_url(assessment), data).status_code == 404
    assert IndicatorEntry.objects.get(pk=first.pk).provincial_score is None


def test_a_refused_chapter_comment_comes_back_on_its_tab(in_review, vina, client_for):
    assessment = in_review.assessment
    response = client_for(vina).post(
        reverse("dossiers:comment", kwargs={"pk": assessment.pk}),
        {"chapter": "profil", "body": "  ", "next": review_url(assessment, "bab")},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="bab-profil"' in page
    assert 'id="unsent-comment"' in page


# --- "Setujui" -----------------------------------------------------------------------------------------------


def test_approve_is_secondary_until_every_indicator_is_scored(in_review, vina, client_for):
    assessment = in_review.assessment
    client = client_for(vina)
    page = client.get(review_url(assessment)).content.decode()
    button = re.search(r'<button[^>]*id="approve-button"[^>]*>', page)[0]
    assert "disabled" in button
    assert "btn-outline-secondary" in button
    assert "btn-success" not in button
    assert "0 dari 4 indikator sudah dinilai." in page
    first_unscored = assessment.indicator_entries.get(indicator__tatanan__code="KSM", indicator__number="1")
    assert f'href="?tatanan=KSM#indikator-{first_unscored.pk}" id="approve-first-unscored"' in page
    assert "Ke indikator pertama yang belum dinilai: KSM 1" in page
    # The service still refuses an incomplete approval, whatever the page shows.
    response = client.post(reverse("dossiers:approve", kwargs={"pk": assessment.pk}), {"approve-comment": ""})
    assert response.status_code == 400
    assert any("4 indikator belum dinilai" in t for t in messages_of(response))

    score_all(in_review, vina)
    page = client.get(review_url(assessment)).content.decode()
    button = re.search(r'<button[^>]*id="approve-button"[^>]*>', page)[0]
    assert "btn-success" in button
    assert "disabled" not in button
    assert "4 dari 4 indikator sudah dinilai." in page
    assert 'id="approve-first-unscored"' not in page
