"""SIPANTAS export: an assessment as the national system asks for it, per indicator.

SIPANTAS (the Kemenkes web form of the Swasti Saba round) takes, per indicator of each tatanan,
the data of both data years, the explanation, the self score and the links to the evidence; the
verifiers' scores follow. It has no bulk upload, so this export gives Bappeda everything to copy,
in one place and in the form's order, as JSON (for scripts) and as an Excel workbook (for people).

File links are absolute addresses of the portal's own download view: they open for whoever may
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
from indicators.models import Assessment, IndicatorEntry

FORMAT_VERSION = 1


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


def sipantas_filename(assessment: Assessment, extension: str) -> str:
    """ "sipantas-36.04-2025.xlsx": the kabupaten's code and the award year."""
    return f"sipantas-{assessment.kabupaten_id}-{assessment.cycle.award_year}.{extension}"


def _url(path: str, base_url: str | None) -> str:
    return urljoin(base_url or settings.KKS_BASE_URL, path)


def sipantas_rows(assessment: Assessment, *, base_url: str | None = None) -> list[IndicatorRow]:
    """One row per indicator entry of ``assessment``, in the instrument's order (few queries)."""
    files = (
        live(EvidenceFile.objects.filter(assessment=assessment, requirement__indicator__isnull=False))
        .filter(blob__state=Blob.State.READY)
        .select_related("blob", "requirement")
        .order_by("requirement__order", "data_year", "uploaded_at", "id")
    )
    by_indicator: dict[int, list[EvidenceFile]] = {}
    for evidence in files:
        by_indicator.setdefault(evidence.requirement.indicator_id, []).append(evidence)
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
]


def _cell(value):
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)[:32000]
    return value


def sipantas_workbook(assessment: Assessment, *, base_url: str | None = None) -> bytes:
    """The export as an .xlsx: one sheet per tatanan, one row per indicator, files one per line."""
    cycle = assessment.cycle
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    sheets = {}
    for row in sipantas_rows(assessment, base_url=base_url):
        sheet = sheets.get(row.tatanan_code)
        if sheet is None:
            sheet = workbook.create_sheet(title=row.tatanan_code[:31])
            sheet.append([f"SIPANTAS – {assessment.kabupaten.name} – Swasti Saba {cycle.award_year}"])
            sheet.append([row.tatanan_name])
            sheet.append([title.format(y1=cycle.first_data_year, y2=cycle.last_data_year) for title, _width in COLUMNS])
            for index, (_title, width) in enumerate(COLUMNS, start=1):
                sheet.cell(row=3, column=index).font = bold
                sheet.column_dimensions[sheet.cell(row=3, column=index).column_letter].width = width
            sheet["A1"].font = bold
            sheet.freeze_panes = "C4"
            sheets[row.tatanan_code] = sheet
        files = "\n".join(
            f"[{f.kind}{' ' + str(f.data_year) if f.data_year else ''}] {f.name} – {f.url} (SHA-256 {f.sha256})"
            for f in row.files
        )
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
                    files,
                )
            ]
        )
        for cell in sheet[sheet.max_row]:
            cell.alignment = wrap
    if not sheets:
        workbook.create_sheet(title="SIPANTAS").append(["Belum ada isian indikator."])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
