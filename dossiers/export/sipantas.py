"""SIPANTAS export: an assessment as the national system asks for it, per indicator.

SIPANTAS (the Kemenkes web form of the Swasti Saba round) takes, per indicator of each tatanan,
the data of both data years, the explanation, the self score and the evidence files per year; the
verifiers' scores follow. It has no bulk upload, so this export gives Bappeda everything to copy,
in one place and in the form's order, as JSON (for scripts), as an Excel workbook (for people: a
sheet per tatanan, the local indicators on their own sheet, the kelembagaan items on theirs, with
status, the text of the chosen option and every layer's notes) and the evidence itself as ZIP
archives (``sipantas_members``): one for the round, folders per tatanan, indicator and data
year, and one per indicator and data year, its files named "PSR-1_2024_01_<name>" so an operator
uploads them straight into that indicator's year.

File links are absolute addresses of the portal's own download views: they open for whoever may
read the file (the scope check stays with the portal), so nothing is made public by the export.
"""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass, field
from urllib.parse import urljoin

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font

from evidence.models import Blob, EvidenceFile
from evidence.selectors import live
from indicators.models import Assessment, IndicatorEntry, KelembagaanEntry
from kks_portal.lib.files.archives import Member

FORMAT_VERSION = 2


@dataclass
class FileLink:
    kind: str
    name: str
    sha256: str
    data_year: int | None
    requirement: str
    url: str


@dataclass
class IndicatorRow:
    tatanan_code: str
    tatanan_name: str
    number: str
    indicator: str
    local: bool
    opd: str
    value_year1: str
    value_year2: str
    target: str
    explanation: str
    self_score: int | None
    provincial_score: int | None
    national_score: int | None
    provincial_note: str
    national_note: str
    evidence_link: str
    files: list[FileLink] = field(default_factory=list)
    status: str = ""
    self_score_text: str = ""
    provincial_score_text: str = ""
    national_score_text: str = ""
    # The ZIP of this indicator's files for each data year that has files: {"2024": url}.
    zips: dict[str, str] = field(default_factory=dict)


@dataclass
class KelembagaanRow:
    component: str
    item: str
    text: str
    self_score: int | None
    self_score_text: str
    note: str
    evidence_link: str = ""
    provincial_note: str = ""
    files: list[FileLink] = field(default_factory=list)


NO_YEAR = "tanpa-tahun"


def _year_label(year: int | None) -> str:
    return str(year) if year else NO_YEAR


def _live_files(assessment: Assessment):
    return (
        live(EvidenceFile.objects.filter(assessment=assessment, requirement__isnull=False))
        .filter(blob__state=Blob.State.READY)
        .select_related("blob", "requirement__indicator__tatanan", "requirement__kelembagaan_item")
        .order_by("requirement__order", "data_year", "uploaded_at", "id")
    )


def sipantas_members(
    assessment: Assessment, *, indicator_id: int | None = None, data_year: int | None = None
) -> list[Member]:
    """The evidence files of ``assessment`` for its ZIP: the whole round in folders
    ("01-KSM/KSM-2/2024/KSM-2_2024_01_<name>", kelembagaan under "00-Kelembagaan"), or, with
    ``indicator_id`` and ``data_year``, one indicator's files of one year, without folders."""
    files = _live_files(assessment)
    if indicator_id is not None:
        files = files.filter(requirement__indicator_id=indicator_id, data_year=data_year)
    members, counters = [], {}
    for evidence in files:
        requirement = evidence.requirement
        year = _year_label(evidence.data_year)
        if requirement.indicator_id:
            indicator = requirement.indicator
            label = f"{indicator.tatanan.code}-{indicator.number}"
            folder = f"{indicator.tatanan.number:02d}-{indicator.tatanan.code}/{label}/{year}"
        else:
            item = requirement.kelembagaan_item
            label = f"{item.component}-{item.item}"
            folder = f"00-Kelembagaan/{label}/{year}"
        counters[folder] = counters.get(folder, 0) + 1
        name = evidence.original_name.replace("/", "_").replace("\\", "_")
        filename = f"{label}_{year}_{counters[folder]:02d}_{name}"
        arcname = filename if indicator_id is not None else f"{folder}/{filename}"
        members.append(Member(arcname=arcname, name=evidence.blob.file.name, storage=evidence.blob.file.storage))
    return members


def sipantas_zip_filename(assessment: Assessment, label: str = "", year: int | None = None) -> str:
    """ "sipantas-36.04-2025-bukti.zip", or "sipantas-36.04-2025-PSR-1-2024.zip" for one indicator's year."""
    base = f"sipantas-{assessment.kabupaten_id}-{assessment.cycle.award_year}"
    return f"{base}-{label}-{_year_label(year)}.zip" if label else f"{base}-bukti.zip"


def sipantas_filename(assessment: Assessment, extension: str) -> str:
    """ "sipantas-36.04-2025.xlsx": the kabupaten's code and the award year."""
    return f"sipantas-{assessment.kabupaten_id}-{assessment.cycle.award_year}.{extension}"


def _url(path: str, base_url: str | None) -> str:
    return urljoin(base_url or settings.KKS_BASE_URL, path)


def sipantas_rows(assessment: Assessment, *, base_url: str | None = None) -> list[IndicatorRow]:
    """One row per indicator entry of ``assessment``, in the instrument's order (few queries)."""
    files = _live_files(assessment).filter(requirement__indicator__isnull=False)
    by_indicator: dict[int, list[EvidenceFile]] = {}
    for evidence in files:
        by_indicator.setdefault(evidence.requirement.indicator_id, []).append(evidence)

    def zips(entry) -> dict[str, str]:
        years = sorted({f.data_year for f in by_indicator.get(entry.indicator_id, [])}, key=lambda y: y or 0)
        return {
            _year_label(year): _url(
                reverse("dossiers:sipantas_entry_zip", args=[assessment.pk, entry.pk, year or 0]), base_url
            )
            for year in years
        }

    entries = (
        IndicatorEntry.objects.filter(assessment=assessment)
        .select_related("indicator__tatanan", "self_score", "provincial_score", "national_score", "assigned_opd")
        .prefetch_related(Prefetch("indicator__evidence_requirements"))
        .order_by("indicator__tatanan__number", "indicator__order", "indicator_id")
    )
    rows = []
    for entry in entries:
        indicator = entry.indicator
        rows.append(
            IndicatorRow(
                tatanan_code=indicator.tatanan.code,
                tatanan_name=indicator.tatanan.name,
                number=indicator.number,
                indicator=indicator.name,
                local=indicator.is_local,
                opd=entry.assigned_opd.short_name if entry.assigned_opd_id else "",
                value_year1=entry.value_year1,
                value_year2=entry.value_year2,
                target=entry.target,
                explanation=entry.explanation,
                self_score=entry.self_score.value if entry.self_score_id else None,
                provincial_score=entry.provincial_score.value if entry.provincial_score_id else None,
                national_score=entry.national_score.value if entry.national_score_id else None,
                provincial_note=entry.provincial_note,
                national_note=entry.national_note,
                evidence_link=entry.evidence_link,
                status=str(entry.get_status_display()),
                self_score_text=entry.self_score.description if entry.self_score_id else "",
                provincial_score_text=entry.provincial_score.description if entry.provincial_score_id else "",
                national_score_text=entry.national_score.description if entry.national_score_id else "",
                zips=zips(entry),
                files=[
                    FileLink(
                        kind=evidence.kind,
                        name=evidence.original_name,
                        sha256=evidence.blob.sha256,
                        data_year=evidence.data_year,
                        requirement=evidence.requirement.description,
                        url=_url(reverse("evidence:file_download", args=[evidence.pk]), base_url),
                    )
                    for evidence in by_indicator.get(indicator.pk, [])
                ],
            )
        )
    return rows


def _file_link(evidence, base_url) -> FileLink:
    return FileLink(
        kind=evidence.kind,
        name=evidence.original_name,
        sha256=evidence.blob.sha256,
        data_year=evidence.data_year,
        requirement=evidence.requirement.description,
        url=_url(reverse("evidence:file_download", args=[evidence.pk]), base_url),
    )


def sipantas_kelembagaan(assessment: Assessment, *, base_url: str | None = None) -> list[KelembagaanRow]:
    """One row per kelembagaan item of ``assessment``: its self score and option, note and files."""
    files: dict[int, list[EvidenceFile]] = {}
    for evidence in _live_files(assessment).filter(requirement__kelembagaan_item__isnull=False):
        files.setdefault(evidence.requirement.kelembagaan_item_id, []).append(evidence)
    entries = (
        KelembagaanEntry.objects.filter(assessment=assessment)
        .select_related("item", "self_score")
        .order_by("item__order", "item_id")
    )
    return [
        KelembagaanRow(
            component=str(entry.item.get_component_display()),
            item=str(entry.item.get_item_display()),
            text=entry.item.text,
            self_score=entry.self_score.value if entry.self_score_id else None,
            self_score_text=entry.self_score.description if entry.self_score_id else "",
            note=entry.note,
            evidence_link=entry.evidence_link,
            provincial_note=entry.provincial_note,
            files=[_file_link(evidence, base_url) for evidence in files.get(entry.item_id, [])],
        )
        for entry in entries
    ]


def sipantas_json(assessment: Assessment, *, base_url: str | None = None) -> dict:
    """The export as a JSON-ready dict: the assessment's identity, then every indicator."""
    cycle = assessment.cycle
    return {
        "format": "kks-portal/sipantas",
        "version": FORMAT_VERSION,
        "kabupaten": {"code": assessment.kabupaten_id, "name": assessment.kabupaten.name},
        "cycle": cycle.award_year,
        "data_years": [cycle.first_data_year, cycle.last_data_year],
        "indicators": [asdict(row) for row in sipantas_rows(assessment, base_url=base_url)],
        "kelembagaan": [asdict(row) for row in sipantas_kelembagaan(assessment, base_url=base_url)],
        "evidence_zip": _url(reverse("dossiers:sipantas_zip", args=[assessment.pk]), base_url),
    }


COLUMNS = [
    ("Tatanan", 12),
    ("No", 6),
    ("Indikator", 50),
    ("OPD", 12),
    ("Data tahun {y1}", 18),
    ("Data tahun {y2}", 18),
    ("Target", 14),
    ("Penjelasan", 50),
    ("Nilai mandiri", 10),
    ("Nilai provinsi", 10),
    ("Nilai pusat", 10),
    ("Catatan provinsi", 30),
    ("Tautan bukti dukung", 40),
    ("Berkas bukti dukung", 70),
    ("Status", 10),
    ("Kriteria nilai mandiri", 40),
    ("Catatan pusat", 30),
    ("ZIP bukti dukung per tahun", 60),
]
KELEMBAGAAN_COLUMNS = [
    ("Komponen", 24),
    ("Butir", 16),
    ("Definisi operasional", 50),
    ("Nilai mandiri", 10),
    ("Kriteria nilai mandiri", 40),
    ("Catatan", 40),
    ("Tautan bukti dukung", 40),
    ("Catatan provinsi", 40),
    ("Berkas bukti dukung", 70),
]
LOCAL_SHEET = "Lokal"


def _files_text(files: list[FileLink]) -> str:
    return "\n".join(
        f"[{f.kind}{' ' + str(f.data_year) if f.data_year else ''}] {f.name} – {f.url} (SHA-256 {f.sha256})"
        for f in files
    )


def _header(sheet, title_row: list, columns, bold) -> None:
    sheet.append(title_row)
    for index, (_title, width) in enumerate(columns, start=1):
        sheet.cell(row=sheet.max_row, column=index).font = bold
        sheet.column_dimensions[sheet.cell(row=sheet.max_row, column=index).column_letter].width = width


def _cell(value):
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)[:32000]
    return value


def sipantas_workbook(assessment: Assessment, *, base_url: str | None = None) -> bytes:
    """The export as an .xlsx: one sheet per tatanan and one for the local indicators, one row per
    indicator, files one per line; a sheet for the kelembagaan items."""
    cycle = assessment.cycle
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    sheets = {}
    for row in sipantas_rows(assessment, base_url=base_url):
        key = LOCAL_SHEET if row.local else row.tatanan_code
        sheet = sheets.get(key)
        if sheet is None:
            sheet = workbook.create_sheet(title=key[:31])
            sheet.append([f"SIPANTAS – {assessment.kabupaten.name} – Swasti Saba {cycle.award_year}"])
            sheet.append(["Indikator lokal (tidak dinilai SIPANTAS)" if row.local else row.tatanan_name])
            titles = [title.format(y1=cycle.first_data_year, y2=cycle.last_data_year) for title, _width in COLUMNS]
            _header(sheet, titles, COLUMNS, bold)
            sheet["A1"].font = bold
            sheet.freeze_panes = "C4"
            sheets[key] = sheet
        sheet.append(
            [
                _cell(value)
                for value in (
                    row.tatanan_code,
                    row.number + (" (lokal)" if row.local else ""),
                    row.indicator,
                    row.opd,
                    row.value_year1,
                    row.value_year2,
                    row.target,
                    row.explanation,
                    row.self_score,
                    row.provincial_score,
                    row.national_score,
                    row.provincial_note,
                    row.evidence_link,
                    _files_text(row.files),
                    row.status,
                    row.self_score_text,
                    row.national_note,
                    "\n".join(f"{year}: {url}" for year, url in row.zips.items()),
                )
            ]
        )
        for cell in sheet[sheet.max_row]:
            cell.alignment = wrap
    if LOCAL_SHEET in sheets:
        workbook.move_sheet(sheets[LOCAL_SHEET], offset=len(workbook.sheetnames))
    kelembagaan = sipantas_kelembagaan(assessment, base_url=base_url)
    if kelembagaan:
        sheet = workbook.create_sheet(title="Kelembagaan", index=0)
        sheet.append([f"SIPANTAS – {assessment.kabupaten.name} – Swasti Saba {cycle.award_year}"])
        sheet.append(["Kelembagaan"])
        _header(sheet, [title for title, _width in KELEMBAGAAN_COLUMNS], KELEMBAGAAN_COLUMNS, bold)
        sheet["A1"].font = bold
        for row in kelembagaan:
            sheet.append(
                [
                    _cell(value)
                    for value in (
                        row.component,
                        row.item,
                        row.text,
                        row.self_score,
                        row.self_score_text,
                        row.note,
                        row.evidence_link,
                        row.provincial_note,
                        _files_text(row.files),
                    )
                ]
            )
            for cell in sheet[sheet.max_row]:
                cell.alignment = wrap
    if not workbook.sheetnames:
        workbook.create_sheet(title="SIPANTAS").append(["Belum ada isian indikator."])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
