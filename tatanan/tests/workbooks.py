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
