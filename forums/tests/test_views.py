import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from forums.models import Body, Decree, Member, Secretariat
from forums.tests.factories import DecreeFactory, MemberFactory
from kks_portal.lib.files.responses import CSP_SANDBOXED

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


def png(name="papan.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 120, 60)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def member_data(**extra):
    return {"name": "Siti Aminah", "position": "sekretaris", "origin": "masyarakat", "phone": "0812", **extra}


class TestSecretaryEditsOnlyTheirOwnBody:
    def test_sari_edits_carenang(self, client_for, sari, forum_carenang):
        client = client_for(sari)
        assert client.get(reverse("forums:body_detail", args=[forum_carenang.pk])).status_code == 200
        response = client.post(reverse("forums:member_add", args=[forum_carenang.pk]), member_data())
        assert response.status_code == 302
        assert forum_carenang.members.get().name == "Siti Aminah"

    def test_sari_gets_404_on_binuang(self, client_for, sari, forum_binuang):
        client = client_for(sari)
        assert client.get(reverse("forums:body_detail", args=[forum_binuang.pk])).status_code == 404
        response = client.post(reverse("forums:member_add", args=[forum_binuang.pk]), member_data())
        assert response.status_code == 404
        assert client.get(reverse("forums:secretariat_edit", args=[forum_binuang.pk])).status_code == 404
        assert not Member.objects.exists()

    def test_tono_gets_404_on_carenang(self, client_for, tono, forum_carenang, forum_binuang):
        client = client_for(tono)
        assert client.get(reverse("forums:body_detail", args=[forum_carenang.pk])).status_code == 404
        response = client.post(
            reverse("forums:decree_list", args=[forum_carenang.pk]),
            {"number": "1", "date": "2024-01-01", "signer": "Camat", "valid_from": "2024-01-01"},
        )
        assert response.status_code == 404
        assert client.get(reverse("forums:body_detail", args=[forum_binuang.pk])).status_code == 200
        assert not Decree.objects.exists()

    def test_sari_reads_but_does_not_edit_the_desa_pokja(self, client_for, sari, pokja_carenang):
        client = client_for(sari)
        page = client.get(reverse("forums:body_detail", args=[pokja_carenang.pk]))
        assert page.status_code == 200
        assert b'id="add-member"' not in page.content
        assert client.get(reverse("forums:member_add", args=[pokja_carenang.pk])).status_code == 404

    def test_secretary_lands_on_their_home_with_their_body(self, client_for, dewi, pokja_carenang):
        client = client_for(dewi)
        response = client.get(reverse("forums:home"))
        assert response.url == reverse("forums:secretary_home")
        assert pokja_carenang.name in client.get(response.url).content.decode()


class TestBappedaAndVerifiers:
    def test_rina_edits_every_body_of_serang(self, client_for, rina, forum_binuang, tim_pembina_carenang):
        client = client_for(rina)
        for body in (forum_binuang, tim_pembina_carenang):
            response = client.post(reverse("forums:member_add", args=[body.pk]), member_data(position="ketua"))
            assert response.status_code == 302
        assert Member.objects.count() == 2

    def test_vina_reads_without_edit_buttons(self, client_for, vina, forum_carenang):
        client = client_for(vina)
        page = client.get(reverse("forums:body_detail", args=[forum_carenang.pk]))
        assert page.status_code == 200
        assert b'id="add-member"' not in page.content
        assert client.get(reverse("forums:member_add", args=[forum_carenang.pk])).status_code == 404

    def test_wawan_gets_404(self, client_for, wawan, forum_carenang):
        assert client_for(wawan).get(reverse("forums:body_detail", args=[forum_carenang.pk])).status_code == 404

    def test_list_with_filter_and_counts(self, client_for, rina, forum_carenang, forum_binuang, pokja_carenang):
        client = client_for(rina)
        page = client.get(reverse("forums:body_list"), {"kecamatan": "36.04.17"})
        assert list(page.context["bodies"]) == [forum_carenang, pokja_carenang]
        page = client.get(reverse("forums:body_list"), {"kind": Body.Kind.FORUM_KECAMATAN})
        assert set(page.context["bodies"]) == {forum_carenang, forum_binuang}
        assert b"bulk-setup-36.04" in page.content

    def test_bulk_setup_button(self, client_for, rina, wilayah):
        response = client_for(rina).post(reverse("forums:body_bulk_setup"), {"kabupaten": "36.04"})
        assert response.status_code == 302
        assert Body.objects.filter(kind=Body.Kind.POKJA_DESA).count() == 3

    @pytest.mark.parametrize("persona", ["sari", "vina"])
    def test_bulk_setup_is_404_for_others(self, request, client_for, wilayah, persona):
        client = client_for(request.getfixturevalue(persona))
        assert client.post(reverse("forums:body_bulk_setup"), {"kabupaten": "36.04"}).status_code == 404
        assert not Body.objects.exists()


def pdf_scan() -> bytes:
    """A one-page PDF that readers open (the SK form inspects the content)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class TestSk:
    def test_new_sk_moves_the_old_one_to_history(self, client_for, sari, forum_carenang):
        old = DecreeFactory(body=forum_carenang, number="400/1/2019")
        scan = SimpleUploadedFile("SK Forum.pdf", pdf_scan(), content_type="application/pdf")
        response = client_for(sari).post(
            reverse("forums:decree_list", args=[forum_carenang.pk]),
            {
                "number": "400/9/2024",
                "date": "2024-03-01",
                "signer": "Camat Carenang",
                "valid_from": "2024-03-01",
                "valid_until": "2027-03-01",
                "file": scan,
            },
        )
        assert response.status_code == 302
        old.refresh_from_db()
        new = forum_carenang.decrees.get(is_current=True)
        assert not old.is_current
        assert new.number == "400/9/2024"
        assert new.file.name.startswith("sk/")
        assert "Forum" not in new.file.name
        history = client_for(sari).get(reverse("forums:decree_list", args=[forum_carenang.pk]))
        assert [d.number for d in history.context["decrees"]] == ["400/9/2024", "400/1/2019"]

    def test_scan_is_served_only_in_scope(self, client_for, sari, tono, forum_carenang):
        decree = DecreeFactory(body=forum_carenang, file=SimpleUploadedFile("sk.pdf", b"%PDF-1.4 scan"))
        url = reverse("forums:decree_file", args=[forum_carenang.pk, decree.pk])
        response = client_for(sari).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.4 scan"
        assert f'filename="SK-{decree.number.replace("/", "-")}.pdf"' in response["Content-Disposition"]
        assert client_for(tono).get(url).status_code == 404

    def test_scan_is_a_sandboxed_attachment_never_sniffed(self, client_for, sari, forum_carenang):
        decree = DecreeFactory(body=forum_carenang, file=SimpleUploadedFile("sk.pdf", b"%PDF-1.4 scan"))
        response = client_for(sari).get(reverse("forums:decree_file", args=[forum_carenang.pk, decree.pk]))
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment; ")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == CSP_SANDBOXED
        assert response["Cache-Control"] == "private, no-store"

    def test_scan_must_be_pdf_or_photo(self, client_for, sari, forum_carenang):
        data = {"number": "1", "date": "2024-01-01", "signer": "Camat", "valid_from": "2024-01-01"}
        data["file"] = SimpleUploadedFile("sk.exe", b"MZ")
        response = client_for(sari).post(reverse("forums:decree_list", args=[forum_carenang.pk]), data)
        assert "harus berupa PDF atau foto (JPG, PNG, WebP)" in response.context["form"].errors["file"][0]
        assert not Decree.objects.exists()

    def test_validity_error_is_shown_on_the_form(self, client_for, sari, forum_carenang):
        response = client_for(sari).post(
            reverse("forums:decree_list", args=[forum_carenang.pk]),
            {
                "number": "1",
                "date": "2024-01-01",
                "signer": "Camat",
                "valid_from": "2024-01-01",
                "valid_until": "2023-01-01",
            },
        )
        assert response.status_code == 200
        assert "valid_until" in response.context["form"].errors


class TestMembersAndSecretariat:
    def test_edit_and_deactivate_member(self, client_for, sari, forum_carenang):
        member = MemberFactory(body=forum_carenang, name="Budi")
        client = client_for(sari)
        response = client.post(
            reverse("forums:member_edit", args=[forum_carenang.pk, member.pk]), member_data(name="Budi S.")
        )
        assert response.status_code == 302
        client.post(reverse("forums:member_toggle_active", args=[forum_carenang.pk, member.pk]))
        member.refresh_from_db()
        assert member.name == "Budi S."
        assert not member.active

    def test_member_of_another_body_is_404(self, client_for, sari, forum_carenang, forum_binuang):
        other = MemberFactory(body=forum_binuang)
        url = reverse("forums:member_edit", args=[forum_carenang.pk, other.pk])
        assert client_for(sari).get(url).status_code == 404

    def test_secretariat_with_photos(self, client_for, sari, tono, forum_carenang):
        client = client_for(sari)
        response = client.post(
            reverse("forums:secretariat_edit", args=[forum_carenang.pk]),
            {
                "address": "Jl. Raya Carenang 1",
                "room": "Aula kantor camat",
                "has_name_board": "on",
                "name_board_photo": png(),
            },
        )
        assert response.status_code == 302
        secretariat = Secretariat.objects.get(body=forum_carenang)
        assert secretariat.has_name_board
        assert secretariat.name_board_photo.name.startswith("sekretariat/")
        photo_url = reverse("forums:name_board_photo", args=[forum_carenang.pk])
        photo = client.get(photo_url)
        assert photo.status_code == 200
        assert client.get(photo_url, HTTP_IF_NONE_MATCH=photo["ETag"]).status_code == 304
        assert client_for(tono).get(photo_url).status_code == 404
        # Shown in the body's page, as the type inspected at upload, with no way to run anything.
        assert photo["Content-Type"] == "image/png"
        assert photo["Content-Disposition"].startswith("inline; ")
        assert photo["X-Content-Type-Options"] == "nosniff"
        assert photo["Content-Security-Policy"] == CSP_SANDBOXED

    def test_secretariat_rejects_a_non_image(self, client_for, sari, forum_carenang):
        fake = SimpleUploadedFile("papan.jpg", b"MZ\x90\x00 an executable", content_type="image/jpeg")
        response = client_for(sari).post(
            reverse("forums:secretariat_edit", args=[forum_carenang.pk]), {"address": "Jl. X", "name_board_photo": fake}
        )
        assert response.status_code == 200
        errors = response.context["form"].errors["name_board_photo"]
        assert "bukan foto yang dapat dibaca" in errors[0]
        assert not Secretariat.objects.exists()

    def test_member_import_page_shows_the_report(self, client_for, rina, forum_carenang):
        book = openpyxl.Workbook()
        book.active.append(["NAMA", "JABATAN", "ASAL/UNSUR"])
        book.active.append(["Ahmad", "Ketua", "Pemerintah"])
        buffer = io.BytesIO()
        book.save(buffer)
        upload = SimpleUploadedFile("anggota.xlsx", buffer.getvalue())
        response = client_for(rina).post(reverse("forums:member_import", args=[forum_carenang.pk]), {"file": upload})
        assert response.status_code == 200
        assert b'id="import-rows"' in response.content
        assert forum_carenang.members.get().name == "Ahmad"


def test_template_sheet_imports_cleanly(client_for, sari, forum_carenang):
    client = client_for(sari)
    response = client.get(reverse("forums:member_import_template", args=[forum_carenang.pk]))
    assert response.status_code == 200
    upload = SimpleUploadedFile("contoh.xlsx", response.content)
    page = client.post(reverse("forums:member_import", args=[forum_carenang.pk]), {"file": upload, "dry_run": "on"})
    report = page.context["report"]
    assert [row.status for row in report.rows] == ["valid"]


def test_secretary_without_a_body_is_told_to_ask_bappeda(client_for, tono):
    page = client_for(tono).get(reverse("forums:body_list"))
    assert b'id="no-own-body"' in page.content
