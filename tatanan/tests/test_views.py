import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tatanan import forms
from tatanan.models import Indicator, Tatanan

from .workbooks import SCALE_OK, indicator_row, to_file, workbook_2025

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(path_or_bytes, name="instrumen-kks-2025.xlsx"):
    content = path_or_bytes.read_bytes() if hasattr(path_or_bytes, "read_bytes") else path_or_bytes
    return SimpleUploadedFile(name, content, content_type=XLSX)


class TestUploadPermission:
    url = "/tatanan/impor/"

    def test_anonymous_is_sent_to_login(self, client, db):
        response = client.get(self.url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    @pytest.mark.parametrize("persona", ["sari", "rina", "vina", "nadia"])
    def test_everyone_but_superusers_gets_404(self, request, client_for, persona, cycle_2025, real_workbook):
        client = client_for(request.getfixturevalue(persona))

        assert client.get(self.url).status_code == 404
        response = client.post(self.url, {"cycle": cycle_2025.pk, "file": upload(real_workbook)})
        assert response.status_code == 404
        assert not Indicator.objects.exists()

    def test_superuser_sees_the_form(self, client_for, root_user, cycle_2025):
        response = client_for(root_user).get(self.url)

        assert response.status_code == 200
        assert b'id="instrument-upload-form"' in response.content
        assert b'name="file"' in response.content


class TestUpload:
    url = "/tatanan/impor/"

    def test_root_uploads_the_official_workbook_and_sees_the_report(
        self, client_for, root_user, cycle_2025, real_workbook
    ):
        response = client_for(root_user).post(self.url, {"cycle": cycle_2025.pk, "file": upload(real_workbook)})

        assert response.status_code == 200
        report = response.context["report"]
        assert report.imported
        assert report.count("created") == 152
        html = response.content.decode()
        assert 'id="import-report"' in html
        assert "Impor selesai. 152 dibuat" in html
        assert html.count('data-status="created"') == 152
        assert Indicator.objects.filter(cycle=cycle_2025).count() == 136

    def test_dry_run_from_the_page(self, client_for, root_user, cycle_2025, real_workbook):
        response = client_for(root_user).post(
            self.url, {"cycle": cycle_2025.pk, "file": upload(real_workbook), "dry_run": "on"}
        )

        assert "Uji coba selesai" in response.content.decode()
        assert not Indicator.objects.exists()

    def test_report_shows_the_row_that_could_not_be_read(self, client_for, root_user, cycle_2025):
        workbook = workbook_2025(
            {"Pasar": ("TATANAN 4: PASAR", [indicator_row(1, "KTR", SCALE_OK), indicator_row(2, "K3", "Baik")])}
        )

        response = client_for(root_user).post(
            self.url, {"cycle": cycle_2025.pk, "file": upload(to_file(workbook).getvalue())}
        )

        html = response.content.decode()
        assert "Tidak ada yang diimpor" in html
        assert 'data-status="error"' in html
        assert "Skala tidak dikenali" in html
        assert not Indicator.objects.exists()

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("instrumen.csv", b"NO;INDIKATOR\n", "berakhiran .xlsx"),
            ("instrumen.xlsx", b"bukan buku kerja", "tidak dapat dibuka sebagai buku kerja"),
        ],
    )
    def test_rejects_files_that_are_not_workbooks(self, client_for, root_user, cycle_2025, name, content, message):
        response = client_for(root_user).post(self.url, {"cycle": cycle_2025.pk, "file": upload(content, name)})

        assert response.status_code == 200
        assert response.context["report"] is None
        assert message in str(response.context["form"].errors["file"])

    def test_rejects_files_over_the_limit(self, client_for, root_user, cycle_2025, real_workbook, monkeypatch):
        monkeypatch.setattr(forms, "INSTRUMENT_MAX_BYTES", 1024)

        response = client_for(root_user).post(self.url, {"cycle": cycle_2025.pk, "file": upload(real_workbook)})

        assert "terlalu besar" in str(response.context["form"].errors["file"])
        assert not Indicator.objects.exists()


class TestCatalogue:
    def test_anonymous_is_sent_to_login(self, client, db):
        assert client.get("/tatanan/").status_code == 302

    def test_cycle_list(self, client_for, sari, catalogue_2025):
        response = client_for(sari).get("/tatanan/")

        html = response.content.decode()
        assert response.status_code == 200
        assert 'data-year="2025"' in html
        assert 'data-year="2023"' in html
        assert "136 indikator" in html
        assert 'id="import-link"' not in html

    def test_superuser_gets_the_import_link(self, client_for, root_user, catalogue_2025):
        assert 'id="import-link"' in client_for(root_user).get("/tatanan/").content.decode()

    def test_cycle_detail_lists_tatanan_with_counts(self, client_for, sari, catalogue_2025):
        response = client_for(sari).get("/tatanan/2025/")

        tatanan = list(response.context["tatanan_list"])
        assert [(t.code, t.indicator_count) for t in tatanan] == [
            ("KSM", 29),
            ("PFU", 22),
            ("PDD", 11),
            ("PSR", 13),
            ("KPI", 11),
            ("PAR", 12),
            ("TLL", 11),
            ("PLS", 13),
            ("BCN", 14),
        ]
        assert [rule.tier for rule in response.context["tier_rules"]] == [
            "padapa",
            "wiwerda",
            "wistara",
            "wistara_paripurna",
        ]
        assert "16 butir" in response.content.decode()

    def test_tatanan_detail_shows_indicators_scales_and_evidence(
        self, client_for, sari, catalogue_2025, django_assert_max_num_queries
    ):
        client = client_for(sari)
        with django_assert_max_num_queries(12):
            response = client.get("/tatanan/2025/ksm/")

        html = response.content.decode()
        assert response.status_code == 200
        assert html.count('class="card mb-2 shadow-sm indicator"') == 29
        assert "Jumlah Kematian Ibu" in html
        assert 'class="badge text-bg-success align-self-start scale-value">75<' in html
        assert "Aplikasi MPDN tahun 2023 dan 2024" in html

    def test_kelembagaan_page(self, client_for, vina, catalogue_2025):
        response = client_for(vina).get("/tatanan/2025/kelembagaan/")

        html = response.content.decode()
        assert html.count('class="card mb-2 shadow-sm kelembagaan-item"') == 16
        # The component is named as in docs/GLOSSARY.md; the instrument's own text (data) may differ.
        assert '<h2 class="h5 mt-3">Forum Kecamatan Sehat</h2>' in html

    @pytest.mark.parametrize("url", ["/tatanan/2099/", "/tatanan/2025/xyz/", "/tatanan/2099/kelembagaan/"])
    def test_unknown_cycle_or_tatanan_is_404(self, client_for, sari, cycle_2025, url):
        assert client_for(sari).get(url).status_code == 404

    def test_local_indicators_follow_the_access_scope(self, client_for, rina, wawan, catalogue_2025, wilayah):
        Indicator.objects.create(
            cycle=catalogue_2025,
            tatanan=Tatanan.objects.get(tatanan_set__code="2023", code="PLS"),
            number="14",
            order=99,
            name="Tidak ada gelandangan dan pengemis di tempat umum",
            is_local=True,
            owner_kabupaten=wilayah["serang"],
        )

        assert "gelandangan" in client_for(rina).get("/tatanan/2025/pls/").content.decode()
        assert "gelandangan" not in client_for(wawan).get("/tatanan/2025/pls/").content.decode()
