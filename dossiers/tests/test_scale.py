"""What keeps a large dossier fast and small: print copies of the photos, made once and cached in
storage; kegiatan chapters in parts that render apart and are reused apart; chapters sent to the
workers longest first. (bench/dossier.py measures them at the size of a large kabupaten.)"""

from __future__ import annotations

import datetime
import io
import os

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from dossiers.renderer import chapters
from dossiers.renderer.chapters import PART_MAX, PART_MIN, activity_parts, chapter_context, chapter_plan
from dossiers.renderer.photos import print_copies_ensure
from dossiers.services import version_pipeline
from dossiers.tests.conftest import attach, jpeg, make_blob, read_pdf
from evidence.models import Activity, FileType
from evidence.print_copies import PRINT_PX, print_copy_ensure, print_copy_name
from forums.models import Body

# --- Print copies ------------------------------------------------------------------------------------


def _stored_jpeg(name: str, width: int, height: int) -> str:
    from django.core.files.base import ContentFile

    return default_storage.save(name, ContentFile(jpeg(width, height)))


def test_a_print_copy_is_made_once_from_the_preview():
    preview = _stored_jpeg("bukti-turunan/ab/preview.jpg", 1600, 1200)
    name = print_copy_name("36.04", "a" * 64)
    assert name.startswith("bukti-turunan/cetak/36.04/aa/")

    assert print_copy_ensure(preview=preview, name=name) is True
    with default_storage.open(name, "rb") as handle:
        copy = Image.open(io.BytesIO(handle.read()))
    assert copy.format == "JPEG"
    assert copy.size == (PRINT_PX, PRINT_PX * 3 // 4)
    assert not copy.getexif()

    # Found, not made again: the preview is no longer needed.
    made_at = os.stat(default_storage.path(name)).st_mtime_ns
    default_storage.delete(preview)
    assert print_copy_ensure(preview=preview, name=name) is True
    assert os.stat(default_storage.path(name)).st_mtime_ns == made_at
    # No temporary file is left beside it.
    assert os.listdir(os.path.dirname(default_storage.path(name))) == [os.path.basename(name)]


def test_a_small_preview_keeps_its_size():
    preview = _stored_jpeg("bukti-turunan/cd/kecil.jpg", 320, 240)
    name = print_copy_name("36.04", "c" * 64)
    assert print_copy_ensure(preview=preview, name=name)
    with default_storage.open(name, "rb") as handle:
        assert Image.open(io.BytesIO(handle.read())).size == (320, 240)


def test_a_photo_whose_preview_is_gone_is_named_not_shown():
    photos = [
        {"preview": "bukti-turunan/00/hilang.jpg", "print": print_copy_name("36.04", "b" * 64)},
        {"preview": "", "print": ""},
    ]
    assert print_copies_ensure(photos) == 0
    assert [photo["print"] for photo in photos] == ["", ""]
    assert not default_storage.exists(print_copy_name("36.04", "b" * 64))


def test_the_dossier_embeds_print_copies_of_large_photos(serang_2025, rina, compile_now):
    activity = Activity.objects.get(title="Kerja bakti Pasar Carenang")
    big = make_blob(serang_2025.kabupaten, jpeg(900, 700, (90, 90, 20)), FileType.JPEG, preview=jpeg(1600, 1200))
    attach(big, region=activity.body.region, kind="foto", original_name="besar.jpg", activity=activity)

    version = compile_now(serang_2025, rina)
    assert version.state == "done", version.error
    reader, _data = read_pdf(version)
    sizes = {image.image.size for page in reader.pages for image in page.images}
    assert (PRINT_PX, PRINT_PX * 3 // 4) in sizes  # the 1600 × 1200 preview, printed at PRINT_PX
    assert not {(1600, 1200), (900, 700)} & sizes
    assert default_storage.exists(print_copy_name(big.kabupaten_id, big.sha256))


# --- Kegiatan chapters in parts ------------------------------------------------------------------------


def test_parts_hold_between_min_and_max_activities_in_order():
    ids = list(range(1, 1001))
    parts = activity_parts(ids)
    assert [pk for part in parts for pk in part] == ids
    assert all(len(part) <= PART_MAX for part in parts)
    assert all(len(part) >= PART_MIN for part in parts[:-1])
    assert 1000 / PART_MAX <= len(parts) <= 1000 / PART_MIN


def test_an_activity_added_in_the_middle_changes_the_part_it_falls_in_not_the_later_ones():
    ids = list(range(1, 601))
    before = activity_parts(ids)
    after = activity_parts([*ids[:300], 5000, *ids[300:]])
    changed = [part for part in after if part not in before]
    assert 5000 in changed[0]
    assert len(changed) <= 2
    # Every part after the new activity's neighbourhood is the same as before.
    assert after[-5:] == before[-5:]


def test_no_activities_make_one_empty_part():
    assert activity_parts([]) == [[]]


@pytest.fixture
def carenang_activities(serang_2025, monkeypatch):
    """Seven more activities of the Carenang forum, and parts of two or three activities."""
    monkeypatch.setattr(chapters, "PART_MIN", 2)
    monkeypatch.setattr(chapters, "PART_MAX", 3)
    forum = Body.objects.get(kind=Body.Kind.FORUM_KECAMATAN, region__code="36.04.17")
    made = [
        Activity.objects.create(
            body=forum,
            title=f"Penyuluhan PHBS putaran {n}",
            date=datetime.date(2024, 1, 1) + datetime.timedelta(days=20 * n),
            result="Warga sepakat menjaga kebersihan.",
        )
        for n in range(1, 8)
    ]
    return made


def test_a_kecamatan_with_many_activities_is_planned_in_parts(serang_2025, carenang_activities):
    specs = [spec for spec in chapter_plan(serang_2025) if spec.key.startswith("kegiatan-")]
    assert len(specs) >= 3
    assert specs[0].key == "kegiatan-36.04.17"
    assert [spec.key for spec in specs[1:]] == [f"kegiatan-36.04.17-{n}" for n in range(2, len(specs) + 1)]
    assert {(spec.number, spec.title) for spec in specs} == {("6.1", "Kecamatan Carenang")}
    assert [spec.part for spec in specs] == list(range(1, len(specs) + 1))
    # Every activity in exactly one part, in date order, each part showing only its own.
    in_order = list(Activity.objects.filter(body__region__code="36.04.17").order_by("date", "id"))
    assert [pk for spec in specs for pk in spec.rows] == [a.pk for a in in_order]
    for spec in specs:
        data = chapter_context(serang_2025, spec)
        assert [row["title"] for row in data.context["activities"]] == [a.title for a in in_order if a.pk in spec.rows]


def test_parts_read_as_one_chapter_and_a_changed_activity_renders_only_its_part(
    serang_2025, rina, carenang_activities, compile_now
):
    first = compile_now(serang_2025, rina)
    assert first.state == "done", first.error
    parts = [spec for spec in first.plan if spec["key"].startswith("kegiatan-")]
    assert len(parts) >= 3
    reader, _data = read_pdf(first)
    texts = [page.extract_text() for page in reader.pages]
    contents = texts[1]
    assert contents.count("Kecamatan Carenang") == 1  # one line in the table of contents
    # One bookmark for the kecamatan, at its first part.
    from dossiers.tests.test_dossier_pdf import _outline

    kecamatan = [(level, title) for level, title, _page in _outline(reader) if "Carenang" in title]
    assert kecamatan == [(1, "6.1 Kecamatan Carenang")]
    # The heading once (the first part); every page of the chapter keeps its running title.
    body = "\n".join(texts[2:])
    assert body.count("6. KEGIATAN") == 1  # the group heading (upper case in print)
    assert all(title.title in body for title in carenang_activities)

    changed = carenang_activities[4]
    changed.result = "Warga sepakat menjaga kebersihan; jadwal ronda dibuat."
    changed.save()
    second = compile_now(serang_2025, rina)
    assert second.state == "done", second.error
    assert second.chapters_rendered == 1
    assert second.chapters_reused == len(second.plan) - 1
    rendered = set(second.chapter_renders.items()) - set(first.chapter_renders.items())
    [(key, _render)] = rendered
    assert changed.pk in next(spec["rows"] for spec in second.plan if spec["key"] == key)


# --- Sending the chapters -------------------------------------------------------------------------------


def test_chapters_are_sent_longest_first(serang_2025, rina, compile_now):
    version = compile_now(serang_2025, rina)
    from dossiers.models import ChapterRender

    renders = ChapterRender.objects.filter(pk__in=version.chapter_renders.values())
    renders.filter(key="lampiran").update(render_seconds=30)
    renders.filter(key="tatanan-PSR").update(render_seconds=20)
    renders.exclude(key__in=["lampiran", "tatanan-PSR"]).update(render_seconds=1)
    renders.filter(key="profil").delete()  # never rendered (as far as the cache knows): first
    pipeline = version_pipeline(version)
    keys = [task.args[1] for task in pipeline.tasks]
    assert keys[:3] == ["profil", "lampiran", "tatanan-PSR"]
    assert sorted(keys) == sorted(spec["key"] for spec in version.plan)


# --- Kelembagaan in parts --------------------------------------------------------------------------------


def test_an_activity_realising_a_work_plan_re_renders_the_work_plans_not_the_bodies(serang_2025, rina, compile_now):
    first = compile_now(serang_2025, rina)
    assert [spec["key"] for spec in first.plan if spec["number"] == "2"] == [
        "kelembagaan",
        "kelembagaan-rencana",
        "kelembagaan-pembinaan",
    ]
    reader, _data = read_pdf(first)
    text = "\n".join(page.extract_text() for page in reader.pages)
    for heading in ("Penilaian mandiri kelembagaan", "Rencana kerja dan realisasi", "Pembinaan"):
        assert text.count(heading) == 1, heading

    activity = Activity.objects.get(title="Kerja bakti Pasar Carenang")
    assert activity.work_plan_item_id
    activity.title = "Kerja bakti Pasar Carenang dan saluran"
    activity.save()
    second = compile_now(serang_2025, rina)
    assert second.state == "done", second.error
    changed = {key for key, render in second.chapter_renders.items() if first.chapter_renders[key] != render}
    assert changed == {"kelembagaan-rencana", "kegiatan-36.04.17"}
    reader, _data = read_pdf(second)
    assert "Kerja bakti Pasar Carenang dan saluran" in "\n".join(page.extract_text() for page in reader.pages)


def test_many_work_plans_are_planned_in_parts(serang_2025, monkeypatch):
    from forums.models import WorkPlan

    monkeypatch.setattr(chapters, "PLAN_PART_MIN", 1)
    monkeypatch.setattr(chapters, "PLAN_PART_MAX", 1)
    forum = Body.objects.get(kind=Body.Kind.FORUM_KECAMATAN, region__code="36.04.17")
    WorkPlan.objects.create(body=forum, year=2024, status=WorkPlan.Status.APPROVED)
    specs = [spec for spec in chapter_plan(serang_2025) if spec.key.startswith("kelembagaan-rencana")]
    assert [spec.key for spec in specs] == ["kelembagaan-rencana", "kelembagaan-rencana-2"]
    assert [spec.part for spec in specs] == [2, 3]
    years = [chapter_context(serang_2025, spec).context["plans"][0]["year"] for spec in specs]
    assert years == [2023, 2024]
