import io

import openpyxl
import pytest

from forums.member_import import member_import
from forums.models import Member
from forums.tests.factories import MemberFactory
from tatanan.models import Tatanan, TatananSet


@pytest.fixture
def tatanan_2023(db):
    tatanan_set = TatananSet.objects.get_or_create(code="2023", defaults={"name": "2023"})[0]
    return {
        code: Tatanan.objects.get_or_create(tatanan_set=tatanan_set, code=code, defaults={"number": n, "name": name})[0]
        for n, (code, name) in enumerate(
            [("KSM", "Kehidupan Masyarakat Sehat Mandiri"), ("PSR", "Pasar"), ("PDD", "Satuan Pendidikan")], start=1
        )
    }


def workbook(rows, title="Anggota") -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "anggota.xlsx"
    return buffer


# A header that drifted: a title above it, different case, spacing and wording.
HEADER = ["No.", " Nama Lengkap ", "JABATAN", "Asal / Unsur", "Tatanan yang dikoordinasi", "No. HP/WA", "E-mail"]


@pytest.mark.django_db
def test_import_creates_members_row_by_row(forum_carenang, sari, tatanan_2023):
    file = workbook(
        [
            ["SUSUNAN PENGURUS FORUM KECAMATAN SEHAT CARENANG"],
            [],
            HEADER,
            [1, "H. Ahmad Fauzi", "Ketua", "Pemerintah", "", 81234567890, "ahmad@example.id"],
            [2, "Siti Aminah", "Sekretaris", "tokoh masyarakat", "KSM", "0812-1111", ""],
            [3, "Budi Santoso", "Koordinator Tatanan Pasar", "Swasta", "psr, Satuan Pendidikan", "", ""],
            [None, None, None, None, None, None, None],
            [4, "Rahmat", "anggota", "Media", "", "", ""],
        ]
    )
    report = member_import(body=forum_carenang, actor=sari, file=file)

    assert report.ok, (report.problems, [r.message for r in report.error_rows])
    assert report.imported
    assert [(r.rows[0], r.status) for r in report.rows] == [
        (4, "created"),
        (5, "created"),
        (6, "created"),
        (8, "created"),
    ]
    ahmad = Member.objects.get(body=forum_carenang, name="H. Ahmad Fauzi")
    assert (ahmad.position, ahmad.origin, ahmad.phone, ahmad.email) == (
        "ketua",
        "pemerintah",
        "81234567890",
        "ahmad@example.id",
    )
    budi = Member.objects.get(name="Budi Santoso")
    assert budi.position == Member.Position.KOORDINATOR_TATANAN
    assert {t.code for t in budi.tatanan.all()} == {"PSR", "PDD"}
    assert Member.objects.get(name="Siti Aminah").origin == Member.Origin.MASYARAKAT


@pytest.mark.django_db
def test_one_bad_row_saves_nothing_and_says_why(forum_carenang, sari, tatanan_2023):
    file = workbook(
        [
            HEADER,
            [1, "Ahmad", "Ketua", "Pemerintah", "", "", ""],
            [2, "Siti", "Pelindung", "Alien", "XYZ", "", "bukan-email"],
            [3, "", "Anggota", "Media", "", "", ""],
        ]
    )
    report = member_import(body=forum_carenang, actor=sari, file=file)

    assert not report.ok
    assert not report.imported
    assert not Member.objects.exists()
    bad = {r.rows[0]: r.message for r in report.error_rows}
    assert set(bad) == {3, 4}
    assert "JABATAN “Pelindung” tidak dikenal" in bad[3]
    assert "ASAL/UNSUR “Alien” tidak dikenal" in bad[3]
    assert "TATANAN “XYZ” tidak dikenal" in bad[3]
    assert "EMAIL “bukan-email” tidak sah" in bad[3]
    assert "NAMA kosong" in bad[4]


@pytest.mark.django_db
def test_reimport_updates_by_name_and_dry_run_saves_nothing(forum_carenang, sari, tatanan_2023):
    MemberFactory(body=forum_carenang, name="Ahmad", position="anggota", origin="pemerintah")
    rows = [HEADER, [1, "ahmad", "Ketua", "Pemerintah", "", "", ""], [2, "Siti", "Bendahara", "Swasta", "", "", ""]]

    trial = member_import(body=forum_carenang, actor=sari, file=workbook(rows), dry_run=True)
    assert trial.ok
    assert not trial.imported
    assert [r.status for r in trial.rows] == ["valid", "valid"]
    assert Member.objects.count() == 1

    report = member_import(body=forum_carenang, actor=sari, file=workbook(rows))
    assert [r.status for r in report.rows] == ["updated", "created"]
    assert Member.objects.get(body=forum_carenang, name__iexact="ahmad").position == "ketua"
    assert Member.objects.count() == 2

    again = member_import(body=forum_carenang, actor=sari, file=workbook(rows))
    assert [r.status for r in again.rows] == ["unchanged", "unchanged"]


@pytest.mark.django_db
def test_missing_header_and_unreadable_file(forum_carenang, sari):
    report = member_import(body=forum_carenang, actor=sari, file=workbook([["Daftar hadir"], ["x", "y"]]))
    assert report.problems
    assert "NAMA dan JABATAN" in report.problems[0]

    not_excel = io.BytesIO(b"plain text")
    not_excel.name = "anggota.xlsx"
    report = member_import(body=forum_carenang, actor=sari, file=not_excel)
    assert report.problems
    assert "tidak dapat dibaca" in report.problems[0]
