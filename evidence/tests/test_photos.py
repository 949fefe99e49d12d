"""Photo processing: orientation, EXIF date and GPS, the derived copies made once, the flags,
and the real Celery worker doing it after an image is attached."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import subprocess
import sys
import textwrap
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from PIL import ExifTags, Image

from evidence.models import Activity, Blob, EvidenceFile, FileType, ReferencePoint
from evidence.photos import (
    cycle_for_year,
    derive,
    dms_to_degrees,
    flags_for,
    haversine_km,
    parse_exif_datetime,
    process_blob,
    reference_point_set,
)
from evidence.print_copies import PRINT_PX, print_copy_name
from evidence.selectors import Owner
from evidence.tests.blobs import attach, photo_bytes, store_blob
from forums.models import Body, PembinaanVisit
from indicators.models import Assessment, TitikPantau
from tatanan.models import Cycle, Tatanan

ROOT = Path(__file__).resolve().parents[2]
SERANG_CENTRE = (-6.12, 106.15)
CARENANG = (-6.08, 106.32)  # about 20 km from the centre
BANDUNG = (-6.9175, 107.6191)  # about 185 km away
FLAG = EvidenceFile.Flag


@pytest.fixture(autouse=True)
def _media(request, settings, tmp_path):
    """Files in a throw-away folder, except for the worker test: the worker process reads the
    configured media folder, so that test uses it (and removes what it wrote)."""
    if "celery_worker" in request.fixturenames:
        return
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


@pytest.fixture
def forum(wilayah):
    body, _ = Body.objects.get_or_create(kind=Body.Kind.FORUM_KECAMATAN, region=wilayah["carenang"])
    return body


def activity_on(forum, day: datetime.date) -> Activity:
    return Activity.objects.create(body=forum, title=f"Kerja bakti {day}", date=day)


def stored_files() -> set[str]:
    found = set()

    def walk(folder):
        folders, files = default_storage.listdir(folder)
        found.update(f"{folder}/{name}".lstrip("/") for name in files)
        for sub in folders:
            walk(f"{folder}/{sub}".lstrip("/"))

    walk("")
    return found


def open_stored(name) -> Image.Image:
    with default_storage.open(name, "rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
        return image


# --- Reading EXIF ---------------------------------------------------------------------------------


def test_exif_dates_take_the_stated_offset_or_western_indonesian_time():
    with_offset = parse_exif_datetime("2024:08:17 09:30:00", "+08:00")
    without = parse_exif_datetime("2024:08:17 09:30:00")

    assert with_offset.utcoffset() == datetime.timedelta(hours=8)
    assert without.utcoffset() == datetime.timedelta(hours=7)  # Asia/Jakarta
    assert with_offset.astimezone(datetime.UTC) == datetime.datetime(2024, 8, 17, 1, 30, tzinfo=datetime.UTC)
    assert parse_exif_datetime("0000:00:00 00:00:00") is None
    assert parse_exif_datetime("2024:13:45 99:00:00") is None
    assert parse_exif_datetime(b"2023:01:02 03:04:05\x00") == datetime.datetime(
        2023, 1, 2, 3, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=7))
    )


def test_gps_degrees_minutes_seconds_become_signed_decimal_degrees():
    assert dms_to_degrees((6.0, 7.0, 12.0), "S") == Decimal("-6.120000")
    assert dms_to_degrees((106.0, 9.0, 0.0), "E") == Decimal("106.150000")
    assert dms_to_degrees(((74, 1), (0, 1), (2160, 100)), "W") == Decimal("-74.006000")
    assert dms_to_degrees((6.0, 7.0, 12.0), b"N\x00") == Decimal("6.120000")


def test_distance_between_serang_and_bandung():
    assert 180 < haversine_km(*SERANG_CENTRE, *BANDUNG) < 195
    assert haversine_km(*SERANG_CENTRE, *SERANG_CENTRE) == 0


# --- Processing -----------------------------------------------------------------------------------


def test_a_phone_photo_is_turned_upright_dated_located_and_copied_three_times(wilayah, forum):
    data = photo_bytes((400, 300), orientation=6, taken="2024:08:17 09:30:00", offset="+08:00", gps=CARENANG)
    blob = store_blob(wilayah["serang"], data, width=400, height=300)
    attach(blob, Owner(activity=activity_on(forum, datetime.date(2024, 8, 17))))
    before = stored_files()

    assert process_blob(blob.pk) == "processed"

    blob.refresh_from_db()
    assert (blob.width, blob.height) == (300, 400)  # portrait once upright
    assert blob.taken_at == datetime.datetime(2024, 8, 17, 1, 30, tzinfo=datetime.UTC)
    assert blob.latitude == Decimal("-6.080000")
    assert blob.longitude == Decimal("106.320000")
    assert blob.processed_at is not None
    assert blob.processing_error == ""
    assert blob.thumbnail.name.startswith("bukti-turunan/")
    assert blob.thumbnail.name.endswith(".jpg")
    assert blob.preview.name.startswith("bukti-turunan/")
    assert blob.preview.name != blob.thumbnail.name
    # The dossier's print copy too, named by the kabupaten and the SHA-256 (evidence.print_copies).
    printed = print_copy_name("36.04", blob.sha256)
    assert stored_files() - before == {blob.thumbnail.name, blob.preview.name, printed}

    for name, limit in ((blob.thumbnail.name, 320), (blob.preview.name, 1600), (printed, PRINT_PX)):
        copy = open_stored(name)
        assert copy.format == "JPEG"
        assert copy.width < copy.height <= limit
        # Orientation 6 means "rotate 90° clockwise to view": the red left half is now on top.
        top, bottom = copy.getpixel((copy.width // 2, 5)), copy.getpixel((copy.width // 2, copy.height - 5))
        assert (top[0] > 200, top[2] < 60) == (True, True), top
        assert (bottom[2] > 200, bottom[0] < 60) == (True, True), bottom
        exif = copy.getexif()
        assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
        assert ExifTags.Base.Orientation not in exif
    # The original is kept as uploaded, EXIF and all.
    with default_storage.open(blob.file.name, "rb") as original:
        assert hashlib.sha256(original.read()).hexdigest() == blob.sha256


def test_a_second_run_makes_no_new_copies_but_refreshes_the_flags(wilayah, forum):
    blob = store_blob(wilayah["serang"], photo_bytes(taken="2022:05:01 10:00:00"))
    evidence = attach(blob, Owner(activity=activity_on(forum, datetime.date(2024, 5, 1))))
    assert process_blob(blob.pk) == "processed"
    blob.refresh_from_db()
    names, files = (blob.thumbnail.name, blob.preview.name), stored_files()
    evidence.refresh_from_db()
    assert evidence.flags == [FLAG.OUTSIDE_DATA_YEARS]
    # The same photo attached later to a 2022 activity (the pipeline links, and queues the task again).
    later = attach(blob, Owner(activity=activity_on(forum, datetime.date(2022, 5, 1))))
    EvidenceFile.objects.filter(pk=evidence.pk).update(flags=[])

    assert process_blob(blob.pk) == "flags-refreshed"

    blob.refresh_from_db()
    assert (blob.thumbnail.name, blob.preview.name) == names
    assert stored_files() == files
    evidence.refresh_from_db()
    later.refresh_from_db()
    assert evidence.flags == [FLAG.OUTSIDE_DATA_YEARS]  # 2024 activity: 2023–2024
    assert later.flags == []  # 2022 activity: cycle 2023, data years 2021–2022


def test_copies_whose_files_went_missing_are_made_again(wilayah):
    blob = store_blob(wilayah["serang"], photo_bytes())
    process_blob(blob.pk)
    blob.refresh_from_db()
    default_storage.delete(blob.preview.name)
    old = (blob.thumbnail.name, blob.preview.name)

    assert process_blob(blob.pk) == "processed"

    blob.refresh_from_db()
    assert default_storage.exists(blob.thumbnail.name)
    assert default_storage.exists(blob.preview.name)
    assert blob.thumbnail.name not in old
    assert not default_storage.exists(old[0])  # the stale copy went with its record


def test_a_large_photo_is_shrunk_to_1600_pixels(wilayah):
    blob = store_blob(wilayah["serang"], photo_bytes((4000, 3000), quality=70))

    process_blob(blob.pk)

    blob.refresh_from_db()
    assert (blob.width, blob.height) == (4000, 3000)
    assert open_stored(blob.preview.name).size == (1600, 1200)
    assert open_stored(blob.thumbnail.name).size == (320, 240)


def test_a_4000_by_3000_jpeg_is_decoded_at_half_size(wilayah):
    facts = derive(io.BytesIO(photo_bytes((4000, 3000), quality=60, orientation=6)))

    assert facts.decoded_size == (2000, 1500)  # JPEG draft mode: still covers the 1600 px copy
    assert (facts.width, facts.height) == (3000, 4000)


def test_processing_a_big_photo_keeps_memory_low(tmp_path):
    """Measured in a fresh process (VmHWM, the peak resident memory): processing a 6000×4500
    photo adds far less than decoding it in full would (Pillow keeps RGB in 4 bytes a pixel:
    105 000 kB for the pixels alone)."""
    path = tmp_path / "besar.jpg"
    path.write_bytes(photo_bytes((6000, 4500), quality=60))
    code = textwrap.dedent(
        f"""
        import json
        import django
        django.setup()
        from evidence.photos import derive

        def peak_kb():
            with open("/proc/self/status") as status:
                return int(status.read().split("VmHWM:")[1].split()[0])

        before = peak_kb()
        with open({str(path)!r}, "rb") as source:
            facts = derive(source)
        print(json.dumps({{"added_kb": peak_kb() - before, "decoded": facts.decoded_size}}))
        """
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kks_portal.settings"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    assert measured["decoded"] == [3000, 2250]
    assert measured["added_kb"] < 65_000, measured


def test_a_transparent_png_without_exif_gets_a_white_background_and_no_date(wilayah, forum):
    blob = store_blob(wilayah["serang"], photo_bytes((200, 100), fmt="PNG", taken=None, mode="RGBA"), FileType.PNG)
    image = Image.open(io.BytesIO(photo_bytes((200, 100), fmt="PNG", taken=None, mode="RGBA")))
    assert image.mode == "RGBA"
    photo = attach(blob, Owner(activity=activity_on(forum, datetime.date(2024, 1, 5))))
    screenshot = attach(
        blob, Owner(activity=activity_on(forum, datetime.date(2024, 1, 6))), kind=EvidenceFile.Kind.TANGKAPAN_LAYAR
    )

    assert process_blob(blob.pk) == "processed"

    blob.refresh_from_db()
    assert blob.taken_at is None
    assert blob.latitude is None
    assert open_stored(blob.preview.name).mode == "RGB"
    photo.refresh_from_db()
    screenshot.refresh_from_db()
    assert photo.flags == [FLAG.NO_DATE]
    assert screenshot.flags == []  # screenshots and scans have no camera date


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"\xff\xd8\xff\xe0" + b"\x00" * 64, id="jpeg-header-then-nothing"),
        pytest.param(photo_bytes((800, 600))[:900], id="truncated-jpeg"),
        pytest.param(b"<svg xmlns='http://www.w3.org/2000/svg'/>", id="svg-under-a-jpeg-name"),
    ],
)
def test_a_broken_image_is_recorded_and_never_raises(wilayah, forum, data):
    blob = store_blob(wilayah["serang"], data)
    evidence = attach(blob, Owner(activity=activity_on(forum, datetime.date(2024, 1, 5))))
    files = stored_files()

    assert process_blob(blob.pk) == "broken"

    blob.refresh_from_db()
    assert blob.processing_error
    assert blob.processed_at is not None
    assert not blob.thumbnail
    assert not blob.preview
    assert stored_files() == files  # no copies, the original kept
    evidence.refresh_from_db()
    assert evidence.flags == []
    assert process_blob(blob.pk) == "flags-refreshed"  # not tried again


def test_a_missing_original_is_retried_later(wilayah):
    blob = store_blob(wilayah["serang"], photo_bytes())
    data = default_storage.open(blob.file.name, "rb").read()
    default_storage.delete(blob.file.name)

    assert process_blob(blob.pk) == "failed"

    blob.refresh_from_db()
    assert blob.processing_error
    assert blob.processed_at is None
    default_storage.save(blob.file.name, io.BytesIO(data))
    assert process_blob(blob.pk) == "processed"
    blob.refresh_from_db()
    assert blob.processing_error == ""


def test_documents_pending_and_missing_blobs_are_left_alone(wilayah):
    document = store_blob(wilayah["serang"], b"%PDF-1.4\n%%EOF\n", FileType.PDF)
    pending = store_blob(wilayah["serang"], photo_bytes())
    Blob.objects.filter(pk=pending.pk).update(state=Blob.State.PENDING)

    assert process_blob(document.pk) == "not-an-image"
    assert process_blob(pending.pk) == "not-ready"
    assert process_blob(987654) == "missing"
    document.refresh_from_db()
    assert not document.thumbnail
    assert document.processed_at is None


# --- Flags ----------------------------------------------------------------------------------------


def processed_photo(kabupaten, *, taken="2024:03:01 08:00:00", gps=None) -> Blob:
    blob = store_blob(kabupaten, photo_bytes(taken=taken, gps=gps))
    process_blob(blob.pk)
    blob.refresh_from_db()
    return blob


def test_the_latest_cycle_begun_by_a_year_gives_the_data_years(db):
    # The shipped cycles: 2017 (data 2015–2016) … 2025 (data 2023–2024) and 2027 (data 2025–2026),
    # so a photo of 2025 or 2026 falls in 2027's data years, not outside them.
    assert cycle_for_year(2024).award_year == 2025
    assert cycle_for_year(2026).award_year == 2027
    assert cycle_for_year(2025).data_years == [2025, 2026]
    assert cycle_for_year(2022).award_year == 2023
    assert cycle_for_year(2018).award_year == 2019
    assert cycle_for_year(2010).award_year == 2017  # before every cycle: the earliest


def test_activity_photos_outside_the_data_years_are_flagged(wilayah, forum):
    activity = activity_on(forum, datetime.date(2024, 3, 1))
    old = attach(processed_photo(wilayah["serang"], taken="2021:03:01 08:00:00"), Owner(activity=activity))
    good = attach(processed_photo(wilayah["serang"], taken="2023:12:31 23:00:00"), Owner(activity=activity))

    assert flags_for(old) == [FLAG.OUTSIDE_DATA_YEARS]
    assert flags_for(good) == []


def test_far_photos_are_flagged_against_the_reference_point(wilayah, forum):
    owner = Owner(activity=activity_on(forum, datetime.date(2024, 3, 1)))
    near = attach(processed_photo(wilayah["serang"], gps=CARENANG), owner)
    far = attach(processed_photo(wilayah["serang"], gps=BANDUNG), owner)
    assert flags_for(far) == []  # no reference point yet: nothing to measure against

    ReferencePoint.objects.create(kabupaten=wilayah["serang"], latitude=-6.12, longitude=106.15, radius_km=60)

    assert flags_for(near) == []
    assert flags_for(far) == [FLAG.FAR_FROM_KABUPATEN]


def test_moving_the_reference_point_rechecks_the_kabupatens_photos(wilayah, forum):
    far = attach(
        processed_photo(wilayah["serang"], gps=BANDUNG), Owner(activity=activity_on(forum, datetime.date(2024, 3, 1)))
    )
    assert far.flags == [] or EvidenceFile.objects.get(pk=far.pk).flags == []

    reference_point_set(
        kabupaten=wilayah["serang"], latitude=Decimal("-6.12"), longitude=Decimal("106.15"), radius_km=60
    )
    far.refresh_from_db()
    assert far.flags == [FLAG.FAR_FROM_KABUPATEN]

    reference_point_set(
        kabupaten=wilayah["serang"], latitude=Decimal("-6.12"), longitude=Decimal("106.15"), radius_km=250
    )
    far.refresh_from_db()
    assert far.flags == []


def test_processing_flags_every_attachment_of_the_photo(wilayah, forum):
    ReferencePoint.objects.create(kabupaten=wilayah["serang"], latitude=-6.12, longitude=106.15, radius_km=60)
    blob = store_blob(wilayah["serang"], photo_bytes(taken="2022:06:01 08:00:00", gps=BANDUNG))
    in_2024 = attach(blob, Owner(activity=activity_on(forum, datetime.date(2024, 6, 1))))
    in_2022 = attach(blob, Owner(activity=activity_on(forum, datetime.date(2022, 6, 1))))
    assert (in_2024.flags, in_2022.flags) == ([], [])  # nothing known before processing

    process_blob(blob.pk)

    in_2024.refresh_from_db()
    in_2022.refresh_from_db()
    assert in_2024.flags == [FLAG.OUTSIDE_DATA_YEARS, FLAG.FAR_FROM_KABUPATEN]
    assert in_2022.flags == [FLAG.FAR_FROM_KABUPATEN]
    assert in_2024.flag_labels == ["Tanggal foto di luar tahun data", "Foto diambil jauh di luar kabupaten/kota"]


def test_titik_pantau_photos_follow_their_assessments_cycle(wilayah, root_user):
    tatanan_set = Cycle.objects.get(award_year=2025).tatanan_set
    cycle = Cycle.objects.create(award_year=2031, first_data_year=2029, last_data_year=2030, tatanan_set=tatanan_set)
    assessment = Assessment.objects.create(kabupaten=wilayah["serang"], cycle=cycle, created_by=root_user)
    point = TitikPantau.objects.create(
        assessment=assessment,
        tatanan=Tatanan.objects.filter(tatanan_set=tatanan_set).first(),
        name="Pasar",
        kind="pasar",
    )
    evidence = attach(processed_photo(wilayah["serang"], taken="2024:03:01 08:00:00"), Owner(titik_pantau=point))

    assert flags_for(evidence) == [FLAG.OUTSIDE_DATA_YEARS]  # 2029–2030, not the activity rule


def test_body_and_visit_photos_use_their_dates(wilayah, forum):
    team, _ = Body.objects.get_or_create(kind=Body.Kind.TIM_PEMBINA_KABKOTA, region=wilayah["serang"])
    visit = PembinaanVisit.objects.create(
        visiting_body=team, target_region=wilayah["carenang"], date=datetime.date(2022, 2, 2)
    )
    photo_2022 = processed_photo(wilayah["serang"], taken="2022:02:02 10:00:00")
    on_visit = attach(photo_2022, Owner(pembinaan_visit=visit))
    on_body = attach(photo_2022, Owner(body=forum))
    EvidenceFile.objects.filter(pk=on_body.pk).update(uploaded_at=datetime.datetime(2024, 7, 1, tzinfo=datetime.UTC))
    on_body.refresh_from_db()

    assert flags_for(on_visit) == []  # visit in 2022: cycle 2023, data years 2021–2022
    assert flags_for(on_body) == [FLAG.OUTSIDE_DATA_YEARS]  # uploaded in 2024: 2023–2024


def test_an_upload_through_the_pipeline_is_processed_and_flagged(
    wilayah, forum, sari, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from evidence.uploads import attach_upload

    ReferencePoint.objects.create(kabupaten=wilayah["serang"], latitude=-6.12, longitude=106.15, radius_km=60)
    data = photo_bytes((800, 600), orientation=6, taken="2021:07:01 09:00:00", gps=BANDUNG)
    upload = SimpleUploadedFile("IMG_0001.jpg", data, content_type="image/jpeg")

    with django_capture_on_commit_callbacks(execute=True):
        result = attach_upload(
            owner=Owner(activity=activity_on(forum, datetime.date(2024, 7, 1))), upload=upload, kind="foto", actor=sari
        )

    evidence = EvidenceFile.objects.select_related("blob").get(pk=result.evidence.pk)
    assert evidence.blob.processed_at is not None
    assert (evidence.blob.width, evidence.blob.height) == (600, 800)
    assert evidence.flags == [FLAG.OUTSIDE_DATA_YEARS, FLAG.FAR_FROM_KABUPATEN]


# --- The real worker ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_worker_makes_the_copies_after_an_image_is_attached(wilayah, forum, celery_worker, shipped_catalogue):
    from evidence.uploads import _after_attach

    data = photo_bytes((1200, 900), orientation=6, gps=CARENANG)
    blob = store_blob(wilayah["serang"], data)
    written = [blob.file.name]
    try:
        with transaction.atomic():
            evidence = attach(blob, Owner(activity=activity_on(forum, datetime.date(2024, 8, 17))))
            _after_attach(evidence)  # queues evidence.tasks.process_photo when the transaction commits
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            blob.refresh_from_db()
            if blob.processed_at is not None or blob.processing_error:
                break
            time.sleep(0.3)
        written += [blob.thumbnail.name, blob.preview.name]
        assert blob.processing_error == ""
        assert blob.processed_at is not None, "the worker did not process the photo within 60 s"
        assert (blob.width, blob.height) == (900, 1200)
        assert open_stored(blob.thumbnail.name).size == (240, 320)
        assert open_stored(blob.preview.name).size == (900, 1200)
    finally:
        for name in written:
            if name:
                default_storage.delete(name)


# --- The reference point page ---------------------------------------------------------------------


def reference_url(code="36.04"):
    return reverse("evidence:reference_point", kwargs={"code": code})


def test_bappeda_sets_the_reference_point_and_photos_are_rechecked(client, rina, wilayah, forum):
    far = attach(
        processed_photo(wilayah["serang"], gps=BANDUNG), Owner(activity=activity_on(forum, datetime.date(2024, 3, 1)))
    )
    client.force_login(rina)
    page = client.get(reference_url())
    assert page.status_code == 200
    assert "Belum ada titik acuan" in page.content.decode()

    response = client.post(reference_url(), {"latitude": "-6,12", "longitude": "106.15", "radius_km": "60"})

    assert response.status_code == 302
    assert response["Location"] == reference_url()
    point = ReferencePoint.objects.get(kabupaten=wilayah["serang"])
    assert (point.latitude, point.longitude, point.radius_km) == (Decimal("-6.12"), Decimal("106.15"), 60)
    far.refresh_from_db()
    assert far.flags == [FLAG.FAR_FROM_KABUPATEN]
    shown = client.get(reference_url()).content.decode()
    assert "Titik acuan sekarang: -6,120000, 106,150000 dengan radius 60 km." in shown
    assert 'value="-6.12"' in shown


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"latitude": "", "longitude": "", "radius_km": ""}, "Isi lintang titik acuan."),
        ({"latitude": "-6,12", "longitude": "", "radius_km": "60"}, "Isi bujur titik acuan."),
        ({"latitude": "-6,12", "longitude": "106,15", "radius_km": ""}, "Isi radius dalam kilometer."),
        (
            {"latitude": "enam", "longitude": "106,15", "radius_km": "60"},
            "Tulis angka desimal dalam derajat, mis. -6,12.",
        ),
        ({"latitude": "-6,1,2", "longitude": "106,15", "radius_km": "60"}, "Tulis angka desimal dalam derajat"),
        ({"latitude": "NaN", "longitude": "106,15", "radius_km": "60"}, "Tulis angka desimal dalam derajat"),
        ({"latitude": "-96", "longitude": "106,15", "radius_km": "60"}, "Lintang harus antara -90 dan 90 derajat."),
        ({"latitude": "-6,12", "longitude": "206", "radius_km": "60"}, "Bujur harus antara -180 dan 180 derajat."),
        ({"latitude": "-6,12", "longitude": "106,15", "radius_km": "0"}, "Radius paling kecil 1 km."),
        ({"latitude": "-6,12", "longitude": "106,15", "radius_km": "5000"}, "Radius paling besar 2000 km."),
        ({"latitude": "-6,12", "longitude": "106,15", "radius_km": "6,5"}, "Radius harus bilangan bulat"),
        ({"latitude": "106,15", "longitude": "-6,12", "radius_km": "60"}, "Lintang dan bujur tampaknya tertukar"),
        ({"latitude": "48,85", "longitude": "2,35", "radius_km": "60"}, "Titik itu berada di luar wilayah Indonesia."),
    ],
)
def test_bad_reference_points_are_refused_in_indonesian(client, rina, wilayah, data, message):
    client.force_login(rina)

    response = client.post(reference_url(), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ReferencePoint.objects.exists()


def test_many_decimals_are_rounded_to_six(client, rina, wilayah):
    client.force_login(rina)

    client.post(reference_url(), {"latitude": "-6.1234567", "longitude": "106.1500004", "radius_km": "45"})

    point = ReferencePoint.objects.get()
    assert (point.latitude, point.longitude) == (Decimal("-6.123457"), Decimal("106.150000"))


@pytest.mark.parametrize("persona", ["oscar", "sari", "tono", "dewi", "vina", "wawan", "nadia"])
def test_only_bappeda_of_the_kabupaten_reaches_the_page(request, client, wilayah, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reference_url()).status_code == 404
    assert client.post(reference_url(), {"latitude": "-6", "longitude": "106", "radius_km": "9"}).status_code == 404
    assert not ReferencePoint.objects.exists()


def test_bappeda_of_serang_cannot_set_bogor_nor_a_kecamatan(client, rina, wilayah):
    client.force_login(rina)

    assert client.get(reference_url("32.01")).status_code == 404
    assert client.get(reference_url("36.04.17")).status_code == 404
    assert client.get(reference_url("99.99")).status_code == 404


def test_the_superuser_sets_any_kabupaten_and_visitors_log_in_first(client, root_user, wilayah):
    assert client.get(reference_url()).status_code == 302
    client.force_login(root_user)

    assert client.get(reference_url("32.01")).status_code == 200
