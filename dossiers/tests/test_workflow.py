"""The verification workflow's services: the submission checklist, every transition with its
history row, scores, comment threads, the correction window, the final decision, and two
verifiers acting at once (PostgreSQL)."""

# The workflow fixtures are imported by name, so pytest finds them here.
# ruff: noqa: F811

from __future__ import annotations

import datetime
import hashlib
import io
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from pypdf import PdfReader

from dossiers.models import BeritaAcara, Dossier, DossierComment, DossierEvent, SealedVersionError
from dossiers.tests.workflow_fixtures import (  # noqa: F401 - fixtures
    finished_version,
    in_review,
    ready,
    score_all,
    submitted,
)
from dossiers.workflow.services import (
    ScoreChange,
    SubmissionRefused,
    comment_add,
    correction_open,
    correction_submit,
    dossier_approve,
    dossier_decide,
    dossier_return,
    dossier_submit,
    national_open,
    review_open,
    submission_checklist,
    verification_scores_update,
)
from indicators.models import IndicatorEntry

pytestmark = pytest.mark.django_db

S = Dossier.Status


def failing(checklist) -> dict[str, list[str]]:
    return {check.code: check.missing for check in checklist.failed}


# --- The checklist ----------------------------------------------------------------------------------


def test_checklist_names_what_is_missing(serang_2025):
    missing = failing(submission_checklist(serang_2025))
    assert set(missing) == {"version", "evidence", "kelembagaan_scores", "kelembagaan_bodies", "odf"}
    assert missing["version"] == ["Belum ada versi dossier yang selesai disusun. Susun dossier dulu."]
    assert missing["evidence"] == ["PSR 1: Laporan inspeksi pasar (2024): 0 dari 1 berkas."]
    assert missing["kelembagaan_scores"] == ["Tim Pembina – SK"]
    assert missing["kelembagaan_bodies"] == [
        "Tim Pembina Kabupaten belum punya SK yang berlaku.",
        "Forum Kabupaten Sehat belum dibentuk di portal.",
    ]
    assert missing["odf"] == ["Kecamatan Binuang"]


def test_an_empty_round_cannot_pass_the_checklist(rina, wilayah):
    """A round of a cycle without a catalogue (2027 before its instrument): no entries, no
    kelembagaan items, and the checklist says so instead of passing them."""
    from indicators.services import assessment_open
    from tatanan.models import Cycle

    empty = assessment_open(kabupaten=wilayah["serang"], cycle=Cycle.objects.get(award_year=2027), actor=rina)
    missing = failing(submission_checklist(empty))
    assert [str(m) for m in missing["self_scores"]] == [
        "Belum ada isian indikator: katalog siklus ini belum diimpor atau tidak ada tatanan yang dinilai."
    ]
    assert [str(m) for m in missing["kelembagaan_scores"]] == ["Belum ada butir kelembagaan dalam penilaian ini."]


def test_checklist_wants_self_scores_and_both_years(serang_2025):
    entry = serang_2025.indicator_entries.select_related("indicator").get(
        indicator__tatanan__code="KSM", indicator__number="2"
    )
    IndicatorEntry.objects.filter(pk=entry.pk).update(self_score=None, value_year2="")
    missing = failing(submission_checklist(serang_2025))
    assert missing["self_scores"] == ["KSM 2. Persentase posyandu aktif"]
    assert missing["data_years"] == ["KSM 2. Persentase posyandu aktif (tahun 2024)"]


def test_ready_dossier_passes_every_check(ready, rina):
    version = finished_version(ready, actor=rina)
    checklist = submission_checklist(ready)
    assert checklist.ok, checklist.messages()
    assert checklist.version == version


def test_a_change_after_the_compile_asks_for_a_new_one(ready, rina):
    finished_version(ready, actor=rina)
    entry = ready.indicator_entries.first()
    entry.explanation = "Diperbaiki setelah penyusunan."
    entry.save()
    missing = failing(submission_checklist(ready))
    assert list(missing) == ["version"]
    assert "Data berubah setelah versi 1 disusun (1 isian indikator, 0 berkas bukti)" in missing["version"][0]
    finished_version(ready, actor=rina)
    assert submission_checklist(ready).ok


# --- Submission --------------------------------------------------------------------------------------


def test_submission_refused_with_the_list_changes_nothing(serang_2025, rina):
    finished_version(serang_2025, actor=rina)
    with pytest.raises(SubmissionRefused) as refused:
        dossier_submit(assessment=serang_2025, actor=rina)
    text = " ".join(refused.value.messages)
    assert "Dossier belum dapat diajukan" in text
    assert "Status ODF dilaporkan untuk setiap kecamatan: Kecamatan Binuang" in text
    dossier = Dossier.objects.get(assessment=serang_2025)
    assert dossier.status == S.DRAFT
    assert not dossier.versions.filter(submitted=True).exists()
    assert not DossierEvent.objects.exists()


def test_submission_seals_the_version_and_records_the_step(ready, rina):
    version = finished_version(ready, actor=rina)
    event = dossier_submit(assessment=ready, actor=rina, comment="Mohon diverifikasi.")
    dossier = Dossier.objects.get(assessment=ready)
    version.refresh_from_db()
    assert (dossier.status, dossier.submitted_version, dossier.status_changed_by) == (S.SUBMITTED, version, rina)
    assert version.submitted
    assert version.submitted_by == rina
    assert (event.action, event.from_status, event.to_status) == ("submit", S.DRAFT, S.SUBMITTED)
    assert (event.actor, event.version, event.comment) == (rina, version, "Mohon diverifikasi.")
    with pytest.raises(SealedVersionError):
        version.delete()


def test_only_the_kabupaten_bappeda_submits(ready, vina, rina):
    finished_version(ready, actor=rina)
    with pytest.raises(PermissionDenied):
        dossier_submit(assessment=ready, actor=vina)
    assert not DossierEvent.objects.exists()


def test_a_submitted_dossier_is_not_submitted_twice(submitted, rina):
    finished_version(submitted.assessment, actor=rina)
    with pytest.raises(ValidationError, match="Diajukan ke provinsi"):
        dossier_submit(assessment=submitted.assessment, actor=rina)
    assert submitted.events.count() == 1


# --- The provincial review ------------------------------------------------------------------------


def test_a_verifier_of_another_province_can_do_nothing(submitted, wawan):
    with pytest.raises(PermissionDenied):
        review_open(dossier=submitted, actor=wawan)
    review_open(dossier=submitted, actor=_root())
    submitted.refresh_from_db()
    with pytest.raises(PermissionDenied):
        dossier_return(dossier=submitted, actor=wawan, reason="Bukti pasar kurang lengkap.")
    with pytest.raises(PermissionDenied):
        dossier_approve(dossier=submitted, actor=wawan)
    with pytest.raises(PermissionDenied):
        comment_add(dossier=submitted, actor=wawan, body="Halo")
    assert submitted.events.count() == 2


def _root():
    from accounts.tests.factories import UserFactory

    user = UserFactory(username="root-wf")
    user.is_superuser = True
    user.save()
    return user


def test_scores_only_from_the_indicators_own_scale_all_or_nothing(in_review, vina):
    entries = list(in_review.assessment.indicator_entries.select_related("indicator").order_by("pk"))
    first, second = entries[0], entries[1]
    good = first.indicator.scale_options.get(value=75)
    foreign = second.indicator.scale_options.get(value=50)
    with pytest.raises(ValidationError) as error:
        verification_scores_update(
            dossier=in_review,
            actor=vina,
            changes=[ScoreChange(first.pk, good.pk, "Cukup."), ScoreChange(first.pk, foreign.pk, "")],
        )
    assert "nilai harus salah satu opsi skala indikator ini" in error.value.messages[0]
    first.refresh_from_db()
    assert first.provincial_score is None
    updated_at = first.updated_at
    assert (
        verification_scores_update(dossier=in_review, actor=vina, changes=[ScoreChange(first.pk, good.pk, "Cukup.")])
        == 1
    )
    first.refresh_from_db()
    assert (first.provincial_score, first.provincial_note) == (good, "Cukup.")
    assert first.updated_at == updated_at  # the verifier's score is no change to the kabupaten's data
    assert first.national_score is None


def test_a_retired_option_is_refused_unless_it_is_the_verifiers_own_score(in_review, vina):
    """A scale option kept only for the scores that hold it (docs/DOMAIN.md, "Re-importing the
    instrument") is neither offered nor accepted for another entry; the entry holding it keeps it."""
    from dossiers.workflow.forms import ScoresForm

    entries = list(in_review.assessment.indicator_entries.select_related("indicator").order_by("pk"))
    first, second = entries[0], entries[1]
    kept = first.indicator.scale_options.get(value=75)
    kept_second = second.indicator.scale_options.get(value=75)
    verification_scores_update(dossier=in_review, actor=vina, changes=[ScoreChange(first.pk, kept.pk, "")])
    type(kept).objects.filter(pk__in=[kept.pk, kept_second.pk]).update(retired=True)

    with pytest.raises(ValidationError) as error:
        verification_scores_update(dossier=in_review, actor=vina, changes=[ScoreChange(second.pk, kept_second.pk, "")])
    assert "tidak berlaku lagi" in error.value.messages[0]
    second.refresh_from_db()
    assert second.provincial_score is None
    # The entry that holds it keeps it, and may keep it with a new note.
    verification_scores_update(dossier=in_review, actor=vina, changes=[ScoreChange(first.pk, kept.pk, "Tetap.")])
    first.refresh_from_db()
    assert (first.provincial_score_id, first.provincial_note) == (kept.pk, "Tetap.")

    form = ScoresForm(entries=[first, second], layer="provincial")
    first_choices = dict(form.fields[f"score-{first.pk}"].choices)
    assert "(tidak berlaku lagi)" in str(first_choices[kept.pk])
    assert kept_second.pk not in dict(form.fields[f"score-{second.pk}"].choices)


def test_scores_are_refused_outside_the_review(submitted, vina, nadia):
    entry = submitted.assessment.indicator_entries.select_related("indicator").first()
    option = entry.indicator.scale_options.first()
    with pytest.raises(ValidationError, match="Status dossier sudah berubah"):
        verification_scores_update(dossier=submitted, actor=vina, changes=[ScoreChange(entry.pk, option.pk)])
    with pytest.raises(PermissionDenied):
        verification_scores_update(dossier=submitted, actor=_stranger(), changes=[ScoreChange(entry.pk, option.pk)])


def _stranger():
    from accounts.tests.factories import UserFactory

    return UserFactory(username="orang-lain")


def test_return_needs_a_reason_and_resubmission_a_new_version(in_review, vina, rina):
    with pytest.raises(ValidationError) as error:
        dossier_return(dossier=in_review, actor=vina, reason="  kurang ")
    assert error.value.message_dict == {"reason": ["Tuliskan alasannya, sedikitnya 10 karakter."]}
    event = dossier_return(dossier=in_review, actor=vina, reason="Bukti pasar 2024 belum terbaca.")
    assert (event.from_status, event.to_status, event.actor, event.comment) == (
        S.PROVINCE_REVIEW,
        S.RETURNED,
        vina,
        "Bukti pasar 2024 belum terbaca.",
    )
    with pytest.raises(SubmissionRefused) as refused:
        dossier_submit(assessment=in_review.assessment, actor=rina)
    assert failing(refused.value.checklist) == {
        "version": ["Versi 1 sudah pernah diajukan. Susun versi baru setelah perbaikan."]
    }
    second = finished_version(in_review.assessment, actor=rina)
    dossier_submit(assessment=in_review.assessment, actor=rina)
    in_review.refresh_from_db()
    assert (in_review.status, in_review.submitted_version) == (S.SUBMITTED, second)
    assert list(in_review.events.values_list("action", flat=True)) == ["submit", "open_review", "return", "submit"]


def test_approval_wants_every_provincial_score_then_makes_the_berita_acara(in_review, vina):
    with pytest.raises(ValidationError, match="4 indikator belum dinilai"):
        dossier_approve(dossier=in_review, actor=vina)
    assert score_all(in_review, vina) == 4
    event = dossier_approve(dossier=in_review, actor=vina, comment="Lengkap.")
    in_review.refresh_from_db()
    assert in_review.status == S.PROVINCE_APPROVED
    record = BeritaAcara.objects.get()
    assert (record.event, record.version, record.created_by) == (event, in_review.submitted_version, vina)
    assert record.number == "BA-36.04/2025/01" == event.data["number"]
    with record.pdf.open("rb") as handle:
        data = handle.read()
    assert hashlib.sha256(data).hexdigest() == record.sha256
    assert len(data) == record.size
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "BERITA ACARA VERIFIKASI PROVINSI" in text
    assert "Kabupaten Serang" in text
    assert "Swasti Saba 2025" in text
    assert in_review.submitted_version.sha256[:32] in text.replace("\n", "")
    assert "Vina Banten" in text
    flat = " ".join(text.split())
    assert "KSM – Kehidupan Masyarakat Sehat Mandiri 2 2 87,5 % 87,5 %" in flat
    assert "Strata menurut nilai provinsi Padapa" in flat
    # Self scores were 100 (KSM 1) and 75 (the rest): the province scored the same.
    tatanan = {t["code"]: t for t in record.data["tatanan"]}
    assert (tatanan["KSM"]["provincial"], tatanan["PSR"]["provincial"]) == ("87.50", "75.00")
    with pytest.raises(ValidationError, match="Disetujui provinsi"):
        dossier_approve(dossier=in_review, actor=vina)
    assert BeritaAcara.objects.count() == 1


# --- Comments ---------------------------------------------------------------------------------------------


def test_threads_keep_their_history(in_review, vina, rina):
    entry = in_review.assessment.indicator_entries.order_by("pk").first()
    root = comment_add(dossier=in_review, actor=vina, body="Data 2024 tidak cocok dengan bukti.", entry=entry)
    answer = comment_add(dossier=in_review, actor=rina, body="Sudah kami unggah ulang.", parent=root)
    again = comment_add(dossier=in_review, actor=vina, body="Terima kasih, sudah sesuai.", parent=answer)
    assert (root.side, answer.side, again.side) == ("province", "kabupaten", "province")
    assert answer.parent == root
    assert again.parent == root
    assert again.entry == entry
    assert again.version == in_review.submitted_version
    with pytest.raises(ValidationError, match="pilih komentar yang dibalas"):
        comment_add(dossier=in_review, actor=rina, body="Komentar baru dari Bappeda.")
    root.body = "diubah"
    with pytest.raises(SealedVersionError):
        root.save()
    with pytest.raises(SealedVersionError):
        DossierComment.objects.filter(pk=root.pk).update(body="diubah")
    assert DossierComment.objects.get(pk=root.pk).body == "Data 2024 tidak cocok dengan bukti."


def test_chapter_comments_name_a_chapter_of_the_version(in_review, vina):
    comment = comment_add(dossier=in_review, actor=vina, body="Profil belum memuat peta.", chapter_key="profil")
    assert comment.chapter_title == "1 Profil Umum"
    with pytest.raises(ValidationError) as error:
        comment_add(dossier=in_review, actor=vina, body="Bab apa ini?", chapter_key="tidak-ada")
    assert error.value.message_dict == {"chapter": ["Bab ini tidak ada di versi yang diverifikasi."]}
    with pytest.raises(ValidationError) as error:
        comment_add(dossier=in_review, actor=vina, body="   ")
    assert error.value.message_dict == {"body": ["Komentar tidak boleh kosong."]}


# --- The national level ---------------------------------------------------------------------------------


@pytest.fixture
def approved(in_review, vina):
    score_all(in_review, vina)
    dossier_approve(dossier=in_review, actor=vina)
    in_review.refresh_from_db()
    return in_review


def test_national_review_correction_window_and_award(approved, nadia, vina, rina):
    with pytest.raises(PermissionDenied):
        national_open(dossier=approved, actor=vina)
    national_open(dossier=approved, actor=nadia)
    approved.refresh_from_db()
    now = timezone.now()
    event = correction_open(dossier=approved, actor=nadia, reason="Unggah ulang SK Forum yang terbaca.", now=now)
    approved.refresh_from_db()
    assert approved.status == S.NATIONAL_CORRECTION
    assert approved.correction_deadline == now + datetime.timedelta(hours=48)
    assert event.data["hours"] == 48
    with pytest.raises(ValidationError, match="Jendela perbaikan masih terbuka"):
        dossier_decide(dossier=approved, actor=nadia, awarded=False, comment="Tidak memenuhi syarat.")

    corrected = finished_version(approved.assessment, actor=rina)
    event = correction_submit(assessment=approved.assessment, actor=rina, now=now + datetime.timedelta(hours=47))
    approved.refresh_from_db()
    assert (approved.status, approved.submitted_version, event.action) == (
        S.NATIONAL_REVIEW,
        corrected,
        "submit_correction",
    )

    with pytest.raises(ValidationError, match="4 indikator belum dinilai"):
        dossier_decide(dossier=approved, actor=nadia, awarded=True, tier="wiwerda")
    score_all(approved, nadia)
    with pytest.raises(ValidationError) as error:
        dossier_decide(dossier=approved, actor=nadia, awarded=True, tier="emas")
    assert error.value.message_dict == {"tier": ["Pilih strata penghargaan."]}
    event = dossier_decide(dossier=approved, actor=nadia, awarded=True, tier="wiwerda", comment="Selamat.")
    approved.refresh_from_db()
    assert (approved.status, approved.final_tier, event.data) == (S.AWARDED, "wiwerda", {"tier": "wiwerda"})
    entry = approved.assessment.indicator_entries.first()
    assert entry.national_score is not None
    assert entry.provincial_score is not None
    assert list(approved.events.values_list("action", flat=True)) == [
        "submit",
        "open_review",
        "approve",
        "open_national",
        "open_correction",
        "submit_correction",
        "award",
    ]


def test_corrections_after_the_deadline_are_refused(approved, nadia, rina):
    national_open(dossier=approved, actor=nadia)
    now = timezone.now()
    correction_open(dossier=approved, actor=nadia, reason="Lengkapi bukti ODF kecamatan.", now=now)
    finished_version(approved.assessment, actor=rina)
    late = now + datetime.timedelta(hours=48, seconds=1)
    with pytest.raises(ValidationError, match="Jendela perbaikan sudah ditutup"):
        correction_submit(assessment=approved.assessment, actor=rina, now=late)
    approved.refresh_from_db()
    assert approved.status == S.NATIONAL_CORRECTION
    assert not approved.versions.filter(number=2, submitted=True).exists()
    # After the deadline the national level decides on what it has.
    event = dossier_decide(
        dossier=approved, actor=nadia, awarded=False, comment="Perbaikan tidak masuk tepat waktu.", now=late
    )
    assert (event.from_status, event.to_status) == (S.NATIONAL_CORRECTION, S.NOT_AWARDED)


def test_not_awarded_needs_a_reason(approved, nadia):
    national_open(dossier=approved, actor=nadia)
    with pytest.raises(ValidationError) as error:
        dossier_decide(dossier=approved, actor=nadia, awarded=False, comment="")
    assert error.value.message_dict == {"comment": ["Tuliskan alasannya, sedikitnya 10 karakter."]}


# --- Two people at once -------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_verifiers_approving_at_once_make_one_approval(shipped_catalogue, in_review, vina, wilayah):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    from accounts.models import Role
    from accounts.tests.factories import RoleAssignmentFactory, UserFactory

    second = UserFactory(username="vira", full_name="Vira Banten")
    RoleAssignmentFactory(user=second, role=Role.PROVINCE_VERIFIER, region=wilayah["banten"])
    score_all(in_review, vina)
    results = []
    barrier = threading.Barrier(2)

    def approve(actor):
        from django.db import connections

        try:
            barrier.wait()
            dossier_approve(dossier=Dossier.objects.get(pk=in_review.pk), actor=actor)
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(user,)) for user in (vina, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok", "refused"]
    assert DossierEvent.objects.filter(action="approve").count() == 1
    assert BeritaAcara.objects.count() == 1
    for record in BeritaAcara.objects.all():
        record.pdf.delete(save=False)


@pytest.mark.django_db(transaction=True)
def test_two_submissions_at_once_seal_one_version(shipped_catalogue, ready, rina):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    version = finished_version(ready, actor=rina)
    results = []
    barrier = threading.Barrier(2)

    def submit():
        from django.db import connections

        try:
            barrier.wait()
            dossier_submit(assessment=ready, actor=rina)
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok", "refused"]
    assert DossierEvent.objects.filter(action="submit").count() == 1
    version.refresh_from_db()
    assert version.submitted
