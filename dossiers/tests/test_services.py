"""Compiling: the pipeline's steps, reuse of unchanged chapters, one compile at a time, safe
re-runs, failures that free the assessment, sealing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import Http404
from django.utils import timezone

from dossiers import services, tasks
from dossiers.models import ChapterRender, DossierVersion, SealedVersionError
from dossiers.renderer import chapters
from dossiers.services import dossier_compile, dossier_version_mark_submitted, stale_compiles_resume
from indicators.models import IndicatorEntry


def _fingerprints(version) -> dict[str, str]:
    return {chapter["key"]: chapter["fingerprint"] for chapter in version.manifest["chapters"]}


def test_unchanged_chapters_are_reused_and_one_changed_entry_renders_only_its_tatanan(serang_2025, rina, compile_now):
    first = compile_now(serang_2025, rina)
    assert first.state == "done", first.error
    chapters = len(first.plan)
    assert (first.chapters_rendered, first.chapters_reused) == (chapters, 0)
    renders = set(ChapterRender.objects.values_list("pk", flat=True))
    assert len(renders) == chapters

    second = compile_now(serang_2025, rina)
    assert (second.number, second.state) == (2, "done")
    assert (second.chapters_rendered, second.chapters_reused) == (0, chapters)
    assert set(ChapterRender.objects.values_list("pk", flat=True)) == renders
    assert _fingerprints(second) == _fingerprints(first)
    # The cover carries the version number and date: the PDFs differ, their chapters do not.
    assert second.sha256 != first.sha256
    assert second.manifest_sha256 != first.manifest_sha256

    old_psr = ChapterRender.objects.get(key="tatanan-PSR")
    entry = IndicatorEntry.objects.get(assessment=serang_2025, indicator__tatanan__code="PSR", indicator__number="2")
    entry.self_score = entry.indicator.scale_options.get(value=100)
    entry.explanation = "Semua pasar punya pengelola kebersihan."
    entry.save()
    third = compile_now(serang_2025, rina)
    assert (third.chapters_rendered, third.chapters_reused) == (1, chapters - 1)
    changed = {key for key, value in _fingerprints(third).items() if _fingerprints(second)[key] != value}
    assert changed == {"tatanan-PSR"}
    # The render the third version no longer uses is dropped with its file.
    assert ChapterRender.objects.count() == chapters
    assert not ChapterRender.objects.filter(pk=old_psr.pk).exists()
    assert not default_storage.exists(old_psr.file.name)
    assert all(default_storage.exists(name) for name in ChapterRender.objects.values_list("file", flat=True))


def test_one_compile_per_assessment_at_a_time(serang_2025, rina, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # queued, its workers not started yet
        queued = dossier_compile(assessment=serang_2025, actor=rina)
    assert queued.state == "queued"
    with pytest.raises(ValidationError) as refused:
        dossier_compile(assessment=serang_2025, actor=rina)
    assert refused.value.code == "busy"
    assert "sedang disusun" in refused.value.messages[0]
    assert DossierVersion.objects.count() == 1


def test_a_stale_compile_gives_way_to_a_new_one(serang_2025, rina, django_capture_on_commit_callbacks, settings):
    with django_capture_on_commit_callbacks(execute=False):
        stale = dossier_compile(assessment=serang_2025, actor=rina)
    long_ago = timezone.now() - datetime.timedelta(minutes=settings.DOSSIER_COMPILE_STALE_MINUTES + 1)
    DossierVersion.objects.filter(pk=stale.pk).update(updated_at=long_ago)
    with django_capture_on_commit_callbacks(execute=False):
        fresh = dossier_compile(assessment=serang_2025, actor=rina)
    stale.refresh_from_db()
    assert stale.state == "failed"
    assert "tidak ada kemajuan" in stale.error
    assert (fresh.number, fresh.state) == (2, "queued")


def test_a_stale_compile_is_resumed_and_completes(serang_2025, rina, django_capture_on_commit_callbacks, settings):
    """As when the worker rendering it was killed: the periodic task sends the pipeline again; the
    chapter already done is not rendered twice."""
    with django_capture_on_commit_callbacks(execute=False):
        version = dossier_compile(assessment=serang_2025, actor=rina)
    tasks.render_chapter.apply(args=(version.pk, "profil"))
    long_ago = timezone.now() - datetime.timedelta(minutes=settings.DOSSIER_COMPILE_STALE_MINUTES + 1)
    DossierVersion.objects.filter(pk=version.pk).update(updated_at=long_ago)

    with django_capture_on_commit_callbacks(execute=True):
        assert stale_compiles_resume() == {"resumed": 1, "failed": 0}
    version.refresh_from_db()
    assert version.state == "done", version.error
    assert (version.attempts, version.chapters_rendered) == (2, len(version.plan))
    assert ChapterRender.objects.filter(key="profil").count() == 1


def test_resuming_gives_up_after_three_attempts(serang_2025, rina, django_capture_on_commit_callbacks, settings):
    with django_capture_on_commit_callbacks(execute=False):
        version = dossier_compile(assessment=serang_2025, actor=rina)
    long_ago = timezone.now() - datetime.timedelta(minutes=settings.DOSSIER_COMPILE_STALE_MINUTES + 1)
    DossierVersion.objects.filter(pk=version.pk).update(updated_at=long_ago, attempts=3)
    assert stale_compiles_resume() == {"resumed": 0, "failed": 1}
    version.refresh_from_db()
    assert version.state == "failed"


def test_steps_are_safe_to_run_again(serang_2025, rina, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        version = dossier_compile(assessment=serang_2025, actor=rina)
    # A chapter task delivered twice (its first worker died after rendering) completes once.
    first = tasks.render_chapter.apply(args=(version.pk, "odf")).get()
    again = tasks.render_chapter.apply(args=(version.pk, "odf")).get()
    assert first == again
    version.refresh_from_db()
    assert version.chapter_renders == {"odf": first}
    assert (version.state, version.chapters_rendered) == ("running", 1)
    # The whole pipeline, then the merge once more: nothing changes.
    services.version_pipeline(version).apply()
    version.refresh_from_db()
    assert version.state == "done"
    sha256, name = version.sha256, version.pdf.name
    tasks.merge_version.apply(args=(version.pk,))
    version.refresh_from_db()
    assert (version.sha256, version.pdf.name) == (sha256, name)
    assert DossierVersion.objects.count() == 1


def test_a_failing_chapter_fails_the_version_and_frees_the_assessment(serang_2025, rina, compile_now, monkeypatch):
    def broken(assessment, spec):
        raise RuntimeError("tabel rusak")

    monkeypatch.setitem(chapters.BUILDERS, "odf", broken)
    failed = compile_now(serang_2025, rina)
    assert failed.state == "failed"
    assert "odf: tabel rusak" in failed.error
    monkeypatch.undo()
    retried = compile_now(serang_2025, rina)
    assert (retried.number, retried.state) == (2, "done")


def test_only_the_kabupatens_bappeda_compiles(serang_2025, vina, nadia, oscar):
    for person in (vina, nadia, oscar):  # readers of Serang all the same: 404 (accounts.access)
        with pytest.raises(Http404):
            dossier_compile(assessment=serang_2025, actor=person)
    assert not DossierVersion.objects.exists()


def test_progress_is_recorded(serang_2025, rina, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        version = dossier_compile(assessment=serang_2025, actor=rina)
    assert version.progress == 0
    for spec in version.plan[:3]:
        tasks.render_chapter.apply(args=(version.pk, spec["key"]))
    version.refresh_from_db()
    assert 5 < version.progress < 85
    assert version.started_at is not None


def test_a_submitted_version_is_sealed(serang_2025, rina, compile_now):
    version = compile_now(serang_2025, rina)
    sealed = dossier_version_mark_submitted(version=version, actor=rina)
    assert sealed.submitted
    assert sealed.submitted_by == rina
    with pytest.raises(SealedVersionError):
        dossier_version_mark_submitted(version=sealed, actor=rina)
    sealed.error = "x"
    with pytest.raises(SealedVersionError):
        sealed.save()
    # A new compile makes a new version; the sealed one stays as it was.
    later = compile_now(serang_2025, rina)
    assert later.number == 2
    sealed.refresh_from_db()
    assert sealed.submitted
    assert sealed.sha256 == version.sha256
    assert default_storage.exists(sealed.pdf.name)


def test_a_queued_version_cannot_be_submitted(serang_2025, rina, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        version = dossier_compile(assessment=serang_2025, actor=rina)
    with pytest.raises(ValidationError):
        dossier_version_mark_submitted(version=version, actor=rina)


@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_once_make_one_version(serang_2025, rina):
    """Two requests racing (two threads, two database connections): one queues, one is told to wait."""
    import threading

    from django.db import connection

    barrier = threading.Barrier(2)
    outcomes = []

    def click():
        try:
            barrier.wait()
            dossier_compile(assessment=serang_2025, actor=rina, start=False)
            outcomes.append("queued")
        except ValidationError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["busy", "queued"]
    assert DossierVersion.objects.count() == 1
