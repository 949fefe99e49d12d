import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.http import Http404
from PIL import Image

from evidence.tests.hostile import EXE
from forums.models import Body, Decree, Secretariat
from forums.selectors import bodies_visible_to, body_for_secretary, can_edit_body, default_signer
from forums.services import body_bulk_setup, decree_add, decree_scan_validate, photo_validate, secretariat_update
from regions.models import Region


def png_bytes(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 120, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.django_db
class TestBulkSetupOnRealSerang:
    @pytest.fixture
    def serang(self, db):
        call_command("import_wilayah", province="36", stdout=io.StringIO())
        return Region.objects.get(code="36.04")

    def test_creates_every_body_of_the_kabupaten_once(self, serang, rina):
        counts = body_bulk_setup(kabupaten=serang, actor=rina)

        assert counts[Body.Kind.TIM_PEMBINA_KABKOTA] == 1
        assert counts[Body.Kind.FORUM_KABKOTA] == 1
        assert counts[Body.Kind.TIM_PEMBINA_KECAMATAN] == 29
        assert counts[Body.Kind.FORUM_KECAMATAN] == 29
        assert counts[Body.Kind.POKJA_DESA] == 326
        assert counts["created"] == 386
        assert Body.objects.count() == 386
        assert Body.objects.get(kind=Body.Kind.FORUM_KECAMATAN, region="36.04.17").name == (
            "Forum Kecamatan Sehat Carenang"
        )
        assert Body.objects.get(kind=Body.Kind.FORUM_KABKOTA, region="36.04").name == "Forum Kabupaten Sehat Serang"

        again = body_bulk_setup(kabupaten=serang, actor=rina)
        assert again["created"] == 0
        assert again["existing"] == 386
        assert Body.objects.count() == 386

    def test_a_body_made_by_hand_is_kept(self, serang, rina):
        Body.objects.create(kind=Body.Kind.FORUM_KECAMATAN, region_id="36.04.17", name="FKKS Carenang")
        counts = body_bulk_setup(kabupaten=serang, actor=rina)
        assert counts[Body.Kind.FORUM_KECAMATAN] == 28
        assert Body.objects.get(kind=Body.Kind.FORUM_KECAMATAN, region="36.04.17").name == "FKKS Carenang"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["sari", "vina", "wawan", "oscar"])
def test_only_bappeda_of_the_kabupaten_sets_up_bodies(request, wilayah, persona):
    with pytest.raises(Http404):  # readers of Serang (vina, oscar) as the others (accounts.access)
        body_bulk_setup(kabupaten=wilayah["serang"], actor=request.getfixturevalue(persona))
    assert not Body.objects.exists()


@pytest.mark.django_db
def test_superuser_sets_up_bodies(wilayah, root_user):
    counts = body_bulk_setup(kabupaten=wilayah["serang"], actor=root_user)
    # The fixture regions: 2 kecamatan (Carenang, Binuang) and 3 desa.
    assert counts["created"] == 2 + 4 + 3


@pytest.mark.django_db
def test_new_sk_keeps_the_old_one_as_history(forum_carenang, sari):
    first = decree_add(
        body=forum_carenang,
        actor=sari,
        number="400/12/2019",
        date=datetime.date(2019, 3, 1),
        signer="Camat Carenang",
        valid_from=datetime.date(2019, 3, 1),
    )
    second = decree_add(
        body=forum_carenang,
        actor=sari,
        number="400/7/2024",
        date=datetime.date(2024, 2, 5),
        signer="Camat Carenang",
        valid_from=datetime.date(2024, 2, 5),
        valid_until=datetime.date(2027, 2, 5),
    )
    first.refresh_from_db()
    assert not first.is_current
    assert second.is_current
    assert forum_carenang.current_decree == second
    assert list(forum_carenang.decrees.order_by("date").values_list("number", flat=True)) == [
        "400/12/2019",
        "400/7/2024",
    ]


@pytest.mark.django_db
def test_sk_validity_must_not_end_before_it_starts(forum_carenang, sari):
    with pytest.raises(ValidationError) as error:
        decree_add(
            body=forum_carenang,
            actor=sari,
            number="1",
            date=datetime.date(2024, 1, 1),
            signer="Camat Carenang",
            valid_from=datetime.date(2024, 1, 1),
            valid_until=datetime.date(2023, 1, 1),
        )
    assert "valid_until" in error.value.message_dict
    assert not Decree.objects.exists()


def test_photo_validate_accepts_a_png():
    photo_validate(SimpleUploadedFile("papan.png", png_bytes(), content_type="image/png"))


def test_photo_validate_rejects_a_pdf_named_jpg():
    fake = SimpleUploadedFile("papan.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="berisi PDF, tetapi akhiran namanya .jpg"):
        photo_validate(fake)


def test_photo_validate_rejects_a_gif():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="GIF")
    with pytest.raises(ValidationError, match="bukan foto yang dapat dibaca"):
        photo_validate(SimpleUploadedFile("x.gif", buffer.getvalue()))


def test_photo_validate_rejects_over_10_mb():
    big = SimpleUploadedFile("big.png", png_bytes() + b"\0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError, match="10 MB"):
        photo_validate(big)


@pytest.mark.django_db
def test_secretariat_photo_gets_a_random_private_name(forum_carenang, sari, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    secretariat = secretariat_update(
        body=forum_carenang,
        actor=sari,
        address="Jl. Raya Carenang No. 1",
        name_board_photo=SimpleUploadedFile("Papan Nama Forum.png", png_bytes()),
    )
    assert secretariat.name_board_photo.name.startswith("sekretariat/")
    assert "Papan" not in secretariat.name_board_photo.name
    assert Secretariat.objects.get(body=forum_carenang).address == "Jl. Raya Carenang No. 1"


@pytest.mark.django_db
class TestScope:
    def test_secretary_finds_their_own_body(self, sari, dewi, tono, forum_carenang, pokja_carenang, forum_binuang):
        assert body_for_secretary(sari) == forum_carenang
        assert body_for_secretary(dewi) == pokja_carenang
        assert body_for_secretary(tono) == forum_binuang

    def test_visible_bodies(self, rina, sari, tono, vina, wawan, forum_carenang, pokja_carenang, forum_binuang):
        assert set(bodies_visible_to(rina)) == {forum_carenang, pokja_carenang, forum_binuang}
        assert set(bodies_visible_to(vina)) == {forum_carenang, pokja_carenang, forum_binuang}
        assert set(bodies_visible_to(sari)) == {forum_carenang, pokja_carenang}
        assert set(bodies_visible_to(tono)) == {forum_binuang}
        assert not bodies_visible_to(wawan).exists()

    def test_editing_rights(self, rina, sari, dewi, vina, forum_carenang, pokja_carenang, tim_pembina_carenang):
        assert can_edit_body(rina, forum_carenang)
        assert can_edit_body(rina, tim_pembina_carenang)
        assert can_edit_body(sari, forum_carenang)
        assert not can_edit_body(sari, pokja_carenang)  # the desa's own secretary keeps it
        assert not can_edit_body(sari, tim_pembina_carenang)  # run by the Camat and Bappeda
        assert can_edit_body(dewi, pokja_carenang)
        assert not can_edit_body(vina, forum_carenang)


@pytest.mark.django_db
def test_default_signer(forum_carenang, pokja_carenang, wilayah):
    forum_kab = Body.objects.create(kind=Body.Kind.FORUM_KABKOTA, region=wilayah["serang"])
    assert default_signer(forum_kab) == "Bupati Serang"
    assert default_signer(forum_carenang) == "Camat Carenang"
    assert default_signer(pokja_carenang) == "Kepala Desa Carenang"


def test_sk_scans_and_photos_are_refused_by_the_rules_of_every_upload():
    """``decree_scan_validate`` and ``photo_validate`` go through ``kks_portal.lib.files.checks.check_file``:
    what it refuses in evidence (an empty file, a program renamed .pdf, a name with control characters) they
    refuse too, with its message."""
    for validate in (decree_scan_validate, photo_validate):
        with pytest.raises(ValidationError, match="kosong"):
            validate(SimpleUploadedFile("kosong.pdf", b""))
        with pytest.raises(ValidationError):
            validate(SimpleUploadedFile("sk.pdf", EXE))
        with pytest.raises(ValidationError, match="karakter kendali"):
            validate(SimpleUploadedFile("sk\x07.png", png_bytes()))
