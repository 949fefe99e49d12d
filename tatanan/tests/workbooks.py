"""Workbooks built in memory for the importer tests, in the layouts seen in the field."""

from __future__ import annotations

import io
import random
from pathlib import Path

import openpyxl
from django.conf import settings

REAL_WORKBOOK = Path(settings.BASE_DIR) / "tatanan" / "data" / "instrumen-kks-2025.xlsx"

HEADER_2025 = ["NO", "INDIKATOR", "DEFINISI OPERASIONAL", "SUMBER DATA ", "BUKTI DUKUNG", "SKALA/ KATEGORI PENILAIAN"]


def to_file(workbook: openpyxl.Workbook, name: str = "instrumen.xlsx") -> io.BytesIO:
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = name
    return buffer


def indicator_row(number, name, scale, bukti="Laporan capaian tahun 2023 dan 2024 yang divalidasi Kepala OPD."):
    return [number, name, f"Definisi {name}.", "Dinas Kesehatan", bukti, scale]


def workbook_2025(sheets: dict[str, tuple[str, list[list]]]) -> openpyxl.Workbook:
    """``{sheet title: (title row, [indicator rows])}`` in the 2025 layout (header on row 5)."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, (heading, rows) in sheets.items():
        sheet = workbook.create_sheet(title)
        sheet["A1"] = "INSTRUMEN PENILAIAN KABUPATEN/KOTA SEHAT (KKS) TAHUN 2025"
        sheet["A2"] = heading
        sheet.merge_cells("A1:F1")
        sheet.merge_cells("A2:F2")
        sheet.append([])
        sheet.append([])
        sheet.append(HEADER_2025)
        sheet.append([f"({i})" for i in range(1, 7)])
        for row in rows:
            sheet.append(row)
    return workbook


SCALE_OK = "1. Nilai 100 jika meningkat\n\n2. Nilai 50 jika tetap\n\n3. Nilai 0 jika menurun"


def workbook_2023_layout() -> openpyxl.Workbook:
    """The older layout: options on sub-rows, criterion in KATEGORI, value in SKALA, two-level
    headers for the self-assessment and the province's verification, merged cells."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Pasar Sehat"
    sheet["A1"] = "INSTRUMEN PENILAIAN KABUPATEN/KOTA SEHAT TAHUN 2023"
    sheet["A2"] = "TATANAN PASAR"
    headers = [
        "No",
        "Indikator",
        "Definisi Operasional (DO)",
        "Sumber Data",
        "Data Dukung",
        "Kategori Penilaian",
        "Skala",
    ]
    for col, text in enumerate(headers, start=1):
        sheet.cell(4, col, text)
        sheet.merge_cells(start_row=4, start_column=col, end_row=5, end_column=col)
    sheet.cell(4, 8, "PENILAIAN MANDIRI")
    sheet.merge_cells("H4:I4")
    sheet.cell(5, 8, "Nilai")
    sheet.cell(5, 9, "Link Bukti Dukung")
    sheet.cell(4, 10, "VERIFIKASI PROVINSI")
    sheet.merge_cells("J4:K4")
    sheet.cell(5, 10, "Nilai")
    sheet.cell(5, 11, "Catatan")

    def indicator(first_row, number, name, bukti, options):
        last_row = first_row + len(options) - 1
        for col, value in enumerate([number, name, f"Definisi {name}", "Dinas Perdagangan", bukti], start=1):
            sheet.cell(first_row, col, value)
            if last_row > first_row:
                sheet.merge_cells(start_row=first_row, start_column=col, end_row=last_row, end_column=col)
        for offset, (criterion, value) in enumerate(options):
            sheet.cell(first_row + offset, 6, criterion)
            sheet.cell(first_row + offset, 7, value)
        # What a kabupaten and its province wrote: the catalogue must ignore it.
        sheet.cell(first_row, 8, options[0][1])
        sheet.cell(first_row, 9, "https://drive.example.org/bukti")
        sheet.cell(first_row, 10, options[-1][1])
        sheet.cell(first_row, 11, "Bukti tahun 2021 belum lengkap")
        return last_row + 1

    row = 6
    row = indicator(
        row,
        1,
        "Persentase pasar yang menerapkan KTR",
        "Laporan tahun 2021 dan 2022 dari Dinas Perdagangan",
        [("Meningkat dan ≥ 50% pada tahun 2022", 100), ("Meningkat namun < 50%", 50), ("Menurun", 0)],
    )
    row = indicator(
        row,
        "2a",
        "Pasar memiliki ruang ASI",
        "Dokumentasi foto ruang ASI",
        [
            ("1. Nilai 100 jika semua pasar", 100),
            ("2. Nilai 75 jika sebagian besar pasar", 75),
            ("3. Nilai 0 jika tidak ada", 0),
        ],
    )
    indicator(
        row,
        "2 b",
        "Pasar memiliki pos kesehatan",
        "Laporan 2 tahun terakhir",
        [("Ada dan berfungsi", 100), ("Tidak ada", 0)],
    )

    kelembagaan = workbook.create_sheet("KELEMBAGAAN")
    kelembagaan.append(
        ["NO", "KOMPONEN", "INDIKATOR", "DEFINISI OPERASIONAL", "SUMBER DATA", "BUKTI DUKUNG", "KATEGORI", "SKALA"]
    )
    kelembagaan.append(
        [1, "Tim Pembina", "SK", "SK Tim Pembina", "Bappeda", "Dokumen SK Tim Pembina", "Ada SK yang berlaku", 100]
    )
    kelembagaan.append([None, None, None, None, None, None, "Tidak ada SK", 0])
    kelembagaan.append(
        [None, None, "Rencana Kerja", "Rencana kerja", "Bappeda", "Rencana kerja tahun 2021 dan 2022", "Lengkap", 100]
    )
    kelembagaan.append([None, None, None, None, None, None, "Tidak ada", 0])
    return workbook


def drifted_copy(source: Path = REAL_WORKBOOK, *, seed: int = 7) -> openpyxl.Workbook:
    """The real workbook with its headers drifted: columns shuffled, headers lowercased, spaced out
    and replaced by synonyms, an unknown column added, merged cells gone."""
    synonyms = {
        "NO": "  no. ",
        "KOMPONEN": "komponen",
        "INDIKATOR": "Indikator",
        "DEFINISI OPERASIONAL": "DEFINISI  OPERASIONAL (DO)",
        "SUMBER DATA": "sumber   data",
        "BUKTI DUKUNG": "Bukti Dukung / Data Dukung",
        "SKALA/ KATEGORI PENILAIAN": "kategori penilaian",
    }
    original = openpyxl.load_workbook(source, data_only=True)
    copy = openpyxl.Workbook()
    copy.remove(copy.active)
    rng = random.Random(seed)
    for sheet in original.worksheets:
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        header_index = next(i for i, r in enumerate(rows) if r and r[0] == "NO")
        width = max(i + 1 for i, v in enumerate(rows[header_index]) if v)
        order = list(range(width))
        rng.shuffle(order)
        target = copy.create_sheet(sheet.title)
        for index, row in enumerate(rows):
            row = (row + [None] * width)[:width]
            if index < header_index:
                target.append(row)
                continue
            shuffled = [row[i] for i in order]
            if index == header_index:
                shuffled = [synonyms.get(" ".join(str(v).split()), v) if v else v for v in shuffled]
                shuffled.append("Kolom Bebas")
            elif index == header_index + 1:
                shuffled.append("(99)")  # keep the numbering row a mix, as edited files often are
            target.append(shuffled)
    return copy


# --- A filled 2023-layout workbook as kabupaten and provinces exchange it ---------------------

FIELD_HEADER_2023 = [
    "NO",
    None,  # the tatanan's own name heads the indicator column
    "SKALA",
    "NILAI SELF-ASSESMENT",
    "LINK BUKTI DUKUNG",
    "NILAI VERIFIKASI PROVINSI",
    "CATATAN TIM PEMBINA PROVINSI",
    "DEFINISI OPERASIONAL",
    "KETERSEDIAAN DATA",
    "BUKTI DATA PENDUKUNG",
]

# (number, name, [(option text, value)], self, link, province value, province note, bukti)
FIELD_TATANAN_2023 = {
    "1. Masyarakat": (
        "KEHIDUPAN MASYARAKAT SEHAT MANDIRI",
        [
            (
                1,
                "Persentase desa/kelurahan yang melaksanakan STBM",
                [
                    ("a. Nilai 100 jika ≥ 80% desa/kelurahan", 100),
                    ("b. Nilai 50 jika 50–79% desa/kelurahan", 50),
                    ("c. Nilai 0 jika < 50% desa/kelurahan", 0),
                ],
                100,
                "https://drive.example.org/ksm-1",
                50,
                "Data tahun 2022 belum divalidasi Dinas Kesehatan",
                "Laporan STBM tahun 2021 dan 2022",
            ),
            (
                2,
                "Posyandu aktif",
                [("a. Meningkat dan ≥ 50%", 100), ("b. Meningkat namun < 50%", 75), ("c. Menurun", 0)],
                75,
                "https://drive.example.org/ksm-2",
                75,
                None,
                "Rekap posyandu aktif tahun 2021 dan 2022",
            ),
        ],
    ),
    "4 Pasar": (
        "TATANAN PASAR",
        [
            (
                1,
                "Persentase pasar yang menerapkan KTR",
                [("a. Semua pasar", 100), ("b. Sebagian pasar", 50), ("c. Tidak ada", 0)],
                50,
                None,
                None,
                None,
                "SK KTR pasar",
            ),
        ],
    ),
    "8 Sosial": (
        "PERLINDUNGAN SOSIAL",
        [
            (
                1,
                "Cakupan penyandang disabilitas yang mendapat layanan",
                [("a. Nilai 100 jika meningkat", 100), ("b. Nilai 0 jika menurun", 0)],
                0,
                "https://drive.example.org/pls-1",
                0,
                "Tidak ada data pembanding",
                "Data layanan tahun 2021 dan 2022 dari Dinas Sosial",
            ),
        ],
    ),
}

# (component heading, [(item text, mark, link, province note)])
FIELD_KELEMBAGAAN_2023 = [
    (
        "TIM PEMBINA KABUPATEN/KOTA SEHAT",
        [
            ("SK Tim Pembina", "√", "https://drive.example.org/sk-tp", "SK masih berlaku"),
            ("Rencana Kerja", "√", None, None),
            ("Dukungan Anggaran", "-", None, "Belum ada DPA"),
        ],
    ),
    (
        "FORUM KABUPATEN/KOTA SEHAT",
        [
            ("SK Forum", "√", "https://drive.example.org/sk-forum", None),
            ("Sekretariat", None, None, None),
        ],
    ),
    ("FORUM KOMUNIKASI KECAMATAN SEHAT", [("SK Forum Kecamatan", "√", None, "Baru 3 dari 5 kecamatan")]),
]


def workbook_2023_field() -> openpyxl.Workbook:
    """A filled instrument in the shape provinces exchange for the 2023 round (issue 13 item 5):
    a "Dataumum" sheet; tatanan sheets named loosely ("8 Sosial") whose indicator column is
    headed by the tatanan's name, with the header on row 8 after blank rows, the scale as
    lettered sub-rows with their value in SKALA, the kabupaten's score and link, the province's
    score and notes, then the catalogue columns; a kelembagaan checklist grouped by body."""
    workbook = openpyxl.Workbook()
    data = workbook.active
    data.title = "Dataumum"
    data.append(["DATA UMUM KABUPATEN/KOTA"])
    data.append(["Nama Kabupaten/Kota", "Kota Contoh"])
    data.append(["Jumlah kecamatan", 5])

    for title, (name, indicators) in FIELD_TATANAN_2023.items():
        sheet = workbook.create_sheet(title)
        sheet["A1"] = "INSTRUMEN PENILAIAN KABUPATEN/KOTA SEHAT TAHUN 2023"
        sheet["A3"] = "KABUPATEN/KOTA : KOTA CONTOH"
        sheet["A4"] = "PROVINSI : CONTOH"
        header = list(FIELD_HEADER_2023)
        header[1] = name
        for col, text in enumerate(header, start=1):
            sheet.cell(8, col, text)
        row = 9
        for number, indicator_name, options, own, link, province, note, bukti in indicators:
            first = row
            for col, value in enumerate(
                [number, indicator_name, None, own, link, province, note, f"Definisi {indicator_name}", "Ada", bukti],
                start=1,
            ):
                sheet.cell(first, col, value)
            for text, value in options:
                row += 1
                sheet.cell(row, 2, text)
                sheet.cell(row, 3, value)
            # The answer columns of an indicator are merged down over its options.
            for col in (4, 5, 6, 7, 8, 9, 10):
                sheet.merge_cells(start_row=first, start_column=col, end_row=row, end_column=col)
            row += 2  # a blank row between indicators

    kelembagaan = workbook.create_sheet("Kelembagaan")
    kelembagaan["A1"] = "KELEMBAGAAN KABUPATEN/KOTA SEHAT TAHUN 2023"
    kelembagaan.append([])
    kelembagaan.append([])
    kelembagaan.append(
        ["NO", "KELEMBAGAAN", "ADA (√) / TIDAK ADA (-)", "LAMPIRKAN BUKTI", "CATATAN TIM PEMBINA PROVINSI"]
    )
    for letter, (heading, items) in zip("ABCD", FIELD_KELEMBAGAAN_2023, strict=False):
        kelembagaan.append([letter, heading])
        for number, (text, mark, link, note) in enumerate(items, start=1):
            kelembagaan.append([number, text, mark, link, note])
    return workbook
