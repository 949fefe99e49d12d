"""The chapters of a dossier and the plain data each one is rendered from.

A chapter is rendered from a context of plain values (strings, numbers, dates, lists, dicts: no
model instances), so that the SHA-256 of that context (its *fingerprint*, with the templates'
own digest) says exactly whether the chapter would come out the same: an unchanged fingerprint
means the cached render is reused. Photos enter the context as the storage names of their
downscaled copy and of its print copy (``evidence.print_copies``), so a new copy changes the
fingerprint too.

Chapters (keys in brackets):
  1 Profil Umum [profil] · 2 Kelembagaan, in parts: self-assessment and bodies [kelembagaan], work
  plans [kelembagaan-rencana, -rencana-<n>], pembinaan [kelembagaan-pembinaan] · 3 Pendanaan [pendanaan] ·
  4 Stop BABS (ODF) [odf] · 5 Capaian per Tatanan, one chapter per tatanan [tatanan-<KODE>] ·
  6 Kegiatan, one chapter per kecamatan with activities and one for the kabupaten's own bodies
  [kegiatan-<kode wilayah>], rendered in parts of 12 to 36 activities [kegiatan-<kode>-<n>
  from the second part on] · 7 Titik Pantau [titik-pantau] · 8 Inovasi [inovasi] · 9 Lampiran [lampiran].
Scores that sum the whole assessment (tatanan %, predicted tier) are not in any chapter but on the
summary page built with the table of contents at merge time, so that changing one indicator
entry re-renders only its tatanan chapter.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import translation

from evidence.models import IMAGE_TYPES, Activity, Blob, EvidenceFile, FileType
from evidence.print_copies import print_copy_name
from forums.models import Body, PembinaanVisit, WorkPlan, WorkPlanItem
from indicators.fieldwork.services import odf_rows_by_kecamatan
from indicators.models import Assessment, IndicatorEntry, Innovation, KelembagaanEntry, TitikPantau
from indicators.scoring import LAYERS, assessment_score
from indicators.selectors import odf_percent, usulan_of, usulan_region_q
from regions.models import Region
from regions.words import kabkota_word, village_word

from .html import PortalURLFetcher, template_to_pdf
from .photos import print_copies_ensure

# Bump when the renderer changes what it makes of the same data (templates are digested apart).
RENDERER_VERSION = "1"
TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates" / "dossiers" / "pdf"


@dataclass(frozen=True)
class ChapterSpec:
    """One chapter in a dossier's plan (stored as a dict on the version)."""

    key: str
    title: str
    number: str
    group: str = ""  # "tatanan" or "kegiatan": chapters shown under one heading
    group_title: str = ""
    # A long chapter is rendered in parts, each a task of its own and cached on its own; a part
    # after the first continues the chapter: no heading, no line in the contents, no bookmark.
    part: int = 1
    # The rows a part shows (the ids of a kegiatan part's activities), fixed when the plan is made.
    rows: tuple[int, ...] = ()

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class ChapterData:
    template: str
    context: dict
    evidence: list[dict] = field(default_factory=list)
    attachments: list[dict] = field(default_factory=list)
    # The photos the chapter shows (items of ``evidence``): their print copies are made before it
    # is rendered (see ``photos``).
    photos: list[dict] = field(default_factory=list)


GROUP_TITLES = {"tatanan": "Capaian per Tatanan", "kegiatan": "Kegiatan"}


# --- Plan -------------------------------------------------------------------------------------------


def _in_kabupaten(kabupaten_code: str, field_name: str) -> Q:
    return Q(**{field_name: kabupaten_code}) | Q(**{f"{field_name}__startswith": kabupaten_code + "."})


def activity_window(assessment: Assessment) -> tuple[datetime.date, datetime.date]:
    """Activities from the first data year up to the end of the award year belong in the dossier."""
    cycle = assessment.cycle
    return datetime.date(cycle.first_data_year, 1, 1), datetime.date(cycle.award_year, 12, 31)


def activities_of(assessment: Assessment) -> QuerySet[Activity]:
    start, end = activity_window(assessment)
    return Activity.objects.filter(
        usulan_region_q(assessment, "body__region__code"),
        deleted_at__isnull=True,
        date__gte=start,
        date__lte=end,
    )


def bodies_of(assessment: Assessment) -> QuerySet[Body]:
    return Body.objects.filter(usulan_region_q(assessment, "region__code"))


def visits_of(assessment: Assessment) -> QuerySet[PembinaanVisit]:
    start, end = activity_window(assessment)
    return PembinaanVisit.objects.filter(
        usulan_region_q(assessment, "visiting_body__region__code"), date__gte=start, date__lte=end
    )


def activity_region_code(body_region_code: str, kabupaten_code: str) -> str:
    """Activities are grouped per kecamatan (desa bodies go with their kecamatan); the kabupaten's
    own bodies make a group of their own."""
    if body_region_code == kabupaten_code:
        return kabupaten_code
    return ".".join(body_region_code.split(".")[:3])


# A kegiatan chapter (the activities of one kecamatan, in date order) is rendered in parts, so that
# its parts render in parallel and a changed activity re-renders only its part; so are the work
# plans of chapter 2. A part ends after a row whose id hashes to 0 modulo SPREAD once it holds MIN
# rows, or at MAX: where parts end depends on the rows there, not on positions, so a new or
# removed row changes the part it falls in (and seldom the next one), not every part after it.
PART_MIN = 12
PART_SPREAD = 12
PART_MAX = 36
PLAN_PART_MIN = 8
PLAN_PART_SPREAD = 8
PLAN_PART_MAX = 24


def _ends_part(salt: str, pk: int, spread: int) -> bool:
    digest = hashlib.sha256(f"{salt}:{pk}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % spread == 0


def row_parts(ids: list[int], *, salt: str, least: int, spread: int, most: int) -> list[list[int]]:
    """Split ids (in the order shown) into parts of ``least`` to ``most`` rows (see ``PART_MIN``)."""
    parts: list[list[int]] = []
    current: list[int] = []
    for pk in ids:
        current.append(pk)
        if len(current) >= most or (len(current) >= least and _ends_part(salt, pk, spread)):
            parts.append(current)
            current = []
    if current:
        parts.append(current)
    return parts or [[]]


def activity_parts(ids: list[int]) -> list[list[int]]:
    """The parts of a kegiatan chapter: activity ids in date order, split."""
    return row_parts(ids, salt="kegiatan", least=PART_MIN, spread=PART_SPREAD, most=PART_MAX)


def chapter_plan(assessment: Assessment) -> list[ChapterSpec]:
    """The chapters of ``assessment``'s dossier, in order."""
    specs = [ChapterSpec("profil", "Profil Umum", "1")]
    plan_parts = row_parts(
        list(work_plans_of(assessment).values_list("pk", flat=True)),
        salt="rencana",
        least=PLAN_PART_MIN,
        spread=PLAN_PART_SPREAD,
        most=PLAN_PART_MAX,
    )
    kelembagaan = [("kelembagaan", ())]
    kelembagaan += [
        ("kelembagaan-rencana" if n == 1 else f"kelembagaan-rencana-{n}", tuple(rows))
        for n, rows in enumerate(plan_parts, start=1)
    ]
    kelembagaan.append(("kelembagaan-pembinaan", ()))
    for part, (key, rows) in enumerate(kelembagaan, start=1):
        specs.append(ChapterSpec(key, "Kelembagaan", "2", part=part, rows=rows))
    specs += [
        ChapterSpec("pendanaan", "Pendanaan", "3"),
        ChapterSpec("odf", "Stop Buang Air Besar Sembarangan (ODF)", "4"),
    ]
    for index, tatanan in enumerate(assessment.tatanan.order_by("number"), start=1):
        specs.append(
            ChapterSpec(
                f"tatanan-{tatanan.code}",
                f"Tatanan {tatanan.name}",
                f"5.{index}",
                "tatanan",
                GROUP_TITLES["tatanan"],
            )
        )
    kabupaten = assessment.kabupaten
    by_region: dict[str, list[int]] = {}
    for pk, region_code in activities_of(assessment).order_by("date", "id").values_list("pk", "body__region_id"):
        by_region.setdefault(activity_region_code(region_code, kabupaten.code), []).append(pk)
    codes = sorted(by_region)
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    if not codes:
        specs.append(ChapterSpec(f"kegiatan-{kabupaten.code}", "Kegiatan", "6"))
    for index, code in enumerate(codes, start=1):
        title = names.get(code, code) if code == kabupaten.code else f"Kecamatan {names.get(code, code)}"
        for part, rows in enumerate(activity_parts(by_region[code]), start=1):
            specs.append(
                ChapterSpec(
                    f"kegiatan-{code}" if part == 1 else f"kegiatan-{code}-{part}",
                    title,
                    f"6.{index}",
                    "kegiatan",
                    GROUP_TITLES["kegiatan"],
                    part=part,
                    rows=tuple(rows),
                )
            )
    specs.append(ChapterSpec("titik-pantau", "Titik Pantau", "7"))
    specs.append(ChapterSpec("inovasi", "Inovasi", "8"))
    specs.append(ChapterSpec("lampiran", "Lampiran Bukti Dukung", "9"))
    return specs


# --- Fingerprints -------------------------------------------------------------------------------------


def _encode(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"not plain data: {type(value).__name__}")


def canonical_json(data) -> bytes:
    return json.dumps(data, default=_encode, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


@cache
def templates_digest() -> str:
    """SHA-256 over the PDF templates, so that a changed template invalidates cached chapters."""
    digest = hashlib.sha256()
    for path in sorted(TEMPLATE_DIR.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(TEMPLATE_DIR).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def fingerprint(spec: ChapterSpec, data: ChapterData) -> str:
    payload = {
        "renderer": RENDERER_VERSION,
        "templates": templates_digest(),
        "spec": spec.as_dict(),
        "template": data.template,
        "context": data.context,
        "attachments": data.attachments,
    }
    return hashlib.sha256(canonical_json(payload)).hexdigest()


# --- Evidence --------------------------------------------------------------------------------------------


def current_files() -> QuerySet[EvidenceFile]:
    """Evidence files as they stand: not removed, not replaced, their bytes stored."""
    return EvidenceFile.objects.filter(
        deleted_at__isnull=True, replaced_by__isnull=True, blob__state=Blob.State.READY
    ).select_related("blob")


def evidence_item(file: EvidenceFile, owner: str) -> dict:
    blob = file.blob
    is_image = blob.file_type in IMAGE_TYPES
    return {
        "id": file.pk,
        "kind": file.kind,
        "kind_label": str(file.get_kind_display()),
        "title": file.title,
        "original_name": file.original_name,
        "data_year": file.data_year,
        "owner": owner,
        "blob_id": blob.pk,
        "sha256": blob.sha256,
        "size": blob.size,
        "file_type": blob.file_type,
        "is_image": is_image,
        "preview": blob.preview.name if is_image and blob.preview else "",
        # Only the print copy (made from the ≤ 1600 px preview at upload, see ``evidence.print_copies``)
        # is ever embedded; without a preview the photo is named, not shown.
        "print": print_copy_name(blob.kabupaten_id, blob.sha256) if is_image and blob.preview else "",
        "taken_at": blob.taken_at,
        "flags": list(file.flag_labels),
    }


def _files_by(queryset: QuerySet[EvidenceFile], owner_field: str) -> dict[int, list[EvidenceFile]]:
    grouped: dict[int, list[EvidenceFile]] = {}
    for file in queryset.order_by("kind", "uploaded_at", "id"):
        grouped.setdefault(getattr(file, owner_field), []).append(file)
    return grouped


def manifest_entry(item: dict) -> dict:
    """What the version's manifest keeps of an evidence file."""
    keys = ("id", "kind", "original_name", "sha256", "size", "file_type", "owner", "data_year")
    return {key: item[key] for key in keys}


def all_evidence_pdfs(assessment: Assessment) -> QuerySet[EvidenceFile]:
    """Every evidence PDF any chapter of the dossier lists."""
    return current_files().filter(
        Q(assessment=assessment, requirement__isnull=False)
        | Q(titik_pantau__assessment=assessment)
        | Q(activity__in=activities_of(assessment))
        | Q(body__in=bodies_of(assessment))
        | Q(pembinaan_visit__in=visits_of(assessment)),
        blob__file_type=FileType.PDF,
    )


def attachment_plan(files: list[EvidenceFile], *, limit_bytes: int) -> tuple[list[dict], list[dict]]:
    """The evidence PDFs to embed (each blob once, in order, while the total stays within
    ``limit_bytes``) and those left out for size."""
    attached, left_out, seen, total = [], [], set(), 0
    for file in files:
        blob = file.blob
        if blob.sha256 in seen:
            continue
        seen.add(blob.sha256)
        entry = {
            "blob_id": blob.pk,
            "sha256": blob.sha256,
            "size": blob.size,
            "name": f"{len(seen):04d}-{file.original_name or blob.sha256[:12] + '.pdf'}"[:120],
            "original_name": file.original_name,
            "evidence_id": file.pk,
            "kind_label": str(file.get_kind_display()),
        }
        if total + blob.size <= limit_bytes:
            total += blob.size
            attached.append(entry)
        else:
            left_out.append(entry)
    return attached, left_out


# --- Chapter contexts -------------------------------------------------------------------------------------


def kabupaten_context(assessment: Assessment) -> dict:
    kabupaten = assessment.kabupaten
    province = kabupaten.parent
    cycle = assessment.cycle
    return {
        # The words for this region, "kota" and "kelurahan" for a kota (docs/GLOSSARY.md, "One region,
        # its own words"); plain strings, so the chapters' fingerprints follow them.
        "kabupaten": {
            "code": kabupaten.code,
            "name": kabupaten.name,
            "kabkota_word": kabkota_word(kabupaten),
            "village_word": village_word(kabupaten),
        },
        "province": {"code": province.code, "name": province.name} if province else None,
        "cycle": {
            "award_year": cycle.award_year,
            "data_years": cycle.data_years,
            "guideline": cycle.guideline_reference,
        },
    }


def _profil(assessment: Assessment, spec: ChapterSpec) -> ChapterData:
    kabupaten = assessment.kabupaten
    below = Region.objects.filter(code__startswith=kabupaten.code + ".")
    kinds = dict(below.order_by().values_list("kind").annotate(n=Count("code")).values_list("kind", "n"))
    tatanan = [
        {
            "number": t.number,
            "code": t.code,
            "name": t.name,
            "indicators": t.n,
        }
        for t in assessment.tatanan.annotate(
            n=Count("indicators__entries", filter=Q(indicators__entries__assessment=assessment))
        ).order_by("number")
    ]
    bodies = dict(bodies_of(assessment).order_by().values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    return ChapterData(
        "dossiers/pdf/chapter_profil.html",
        {
            **kabupaten_context(assessment),
            "regions": {
                "kecamatan": kinds.get(Region.Kind.KECAMATAN, 0),
                "desa": kinds.get(Region.Kind.DESA, 0),
                "kelurahan": kinds.get(Region.Kind.KELURAHAN, 0),
            },
            "usulan": _usulan_counts(assessment),
            "opds": list(kabupaten.opds.order_by("short_name").values("short_name", "name")),
            "tatanan": tatanan,
            "bodies": [
                {"label": str(label), "count": bodies.get(kind, 0)} for kind, label in Body.kind_choices_in(kabupaten)
            ],
            "titik_pantau": assessment.titik_pantau.count(),
        },
    )


def _usulan_counts(assessment: Assessment) -> dict | None:
    """How many kecamatan and desa/kelurahan the round proposes (None: none, everything counts)."""
    kecamatan, desa = usulan_of(assessment)
    if not kecamatan and not desa:
        return None
    return {"kecamatan": len(kecamatan | {code.rsplit(".", 1)[0] for code in desa}), "desa": len(desa)}


def _decree(body: Body) -> dict | None:
    decree = next((d for d in body.decrees.all() if d.is_current), None)
    if decree is None:
        return None
    return {
        "number": decree.number,
        "date": decree.date,
        "signer": decree.signer,
        "valid_from": decree.valid_from,
        "valid_until": decree.valid_until,
    }


def _kelembagaan(assessment: Assessment, spec: ChapterSpec) -> ChapterData:
    """Chapter 2 in parts: the kelembagaan self-assessment and the bodies [kelembagaan], the work
    plans with what realised them [kelembagaan-rencana, -rencana-<n>] (an activity's title, date
    or budget changes only these), the pembinaan visits [kelembagaan-pembinaan]."""
    section = spec.key.removeprefix("kelembagaan").removeprefix("-").split("-")[0] or "lembaga"
    build = {"lembaga": _kelembagaan_bodies, "rencana": _kelembagaan_plans, "pembinaan": _kelembagaan_visits}
    data = build[section](assessment, spec)
    data.context = {**kabupaten_context(assessment), **data.context, "section": section}
    return data


def _kelembagaan_bodies(assessment: Assessment, spec: ChapterSpec) -> ChapterData:
    bodies = list(
        bodies_of(assessment)
        .select_related("region", "secretariat")
        .prefetch_related("decrees")
        .annotate(active_members=Count("members", filter=Q(members__active=True)))
        .order_by("region_id", "kind")
    )
    body_files = _files_by(current_files().filter(body__in=[b.pk for b in bodies]), "body_id")
    evidence = []
    body_rows = []
    for body in bodies:
        files = [evidence_item(f, f"lembaga:{body.pk}") for f in body_files.get(body.pk, [])]
        evidence.extend(files)
        secretariat = getattr(body, "secretariat", None)
        body_rows.append(
            {
                "name": str(body),
                "kind": str(body.get_kind_display()),
                "region": body.region.name,
                "decree": _decree(body),
                "members": body.active_members,
                "secretariat": (
                    {"address": secretariat.address, "room": secretariat.room, "name_board": secretariat.has_name_board}
                    if secretariat
                    else None
                ),
                "files": files,
            }
        )
    entries = [
        {
            "component": str(entry.item.get_component_display()),
            "item": str(entry.item.get_item_display()),
            "score": entry.self_score.value if entry.self_score else None,
            "note": entry.note,
        }
        for entry in KelembagaanEntry.objects.filter(assessment=assessment).select_related("item", "self_score")
    ]
    requirement_files = [
        evidence_item(f, f"syarat:{f.requirement_id}")
        for f in current_files()
        .filter(assessment=assessment, requirement__kelembagaan_item__isnull=False)
        .order_by("requirement__kelembagaan_item__order", "data_year", "id")
    ]
    evidence.extend(requirement_files)
    return ChapterData(
        "dossiers/pdf/chapter_kelembagaan.html",
        {"entries": entries, "bodies": body_rows, "requirement_files": requirement_files},
        evidence=evidence,
    )


def work_plans_of(assessment: Assessment) -> QuerySet[WorkPlan]:
    """The work plans of the data years, a kabupaten's first, then kecamatan and desa by code."""
    return WorkPlan.objects.filter(
        usulan_region_q(assessment, "body__region__code"), year__in=assessment.cycle.data_years
    ).order_by("body__region_id", "body__kind", "year", "id")


def _kelembagaan_plans(assessment: Assessment, spec: ChapterSpec) -> ChapterData:
    plans = work_plans_of(assessment).select_related("body__region")
    if spec.rows:  # a part: the plans the chapter plan put in it
        plans = plans.filter(pk__in=spec.rows)
    plans = list(plans)
    items = list(
        WorkPlanItem.objects.filter(work_plan__in=[p.pk for p in plans])
        .select_related("tatanan", "indicator")
        .order_by("work_plan_id", "order", "id")
    )
    realised: dict[int, list[dict]] = {}
    for activity in Activity.objects.filter(work_plan_item__in=[i.pk for i in items], deleted_at__isnull=True).order_by(
        "date", "id"
    ):
        realised.setdefault(activity.work_plan_item_id, []).append(
            {"title": activity.title, "date": activity.date, "budget": activity.realised_budget}
        )
    items_by_plan: dict[int, list[dict]] = {}
    for item in items:
        items_by_plan.setdefault(item.work_plan_id, []).append(
            {
                "tatanan": item.tatanan.code,
                "indicator": item.indicator.number if item.indicator else "",
                "activity": item.activity,
                "target": item.target,
                "schedule": item.schedule,
                "budget": item.budget,
                "funding": str(item.get_funding_source_display()),
                "person": item.person_in_charge,
                "realised": realised.get(item.pk, []),
            }
        )
    plan_rows = [
        {
            "body": str(plan.body),
            "year": plan.year,
            "status": str(plan.get_status_display()),
            "items": items_by_plan.get(plan.pk, []),
            "total": sum((i["budget"] for i in items_by_plan.get(plan.pk, [])), Decimal(0)),
        }
        for plan in plans
    ]
    return ChapterData(
        "dossiers/pdf/chapter_kelembagaan.html",
        {"plans": plan_rows, "first_of_section": spec.key == "kelembagaan-rencana"},
    )


def _kelembagaan_visits(assessment: Assessment, spec: ChapterSpec) -> ChapterData:
    visits = list(visits_of(assessment).select_related("visiting_body", "target_region").order_by("date", "id"))
    visit_files = _files_by(current_files().filter(pembinaan_visit__in=[v.pk for v in visits]), "pembinaan_visit_id")
    evidence, visit_rows = [], []
    for visit in visits:
        files = [evidence_item(f, f"pembinaan:{visit.pk}") for f in visit_files.get(visit.pk, [])]
        evidence.extend(files)
        visit_rows.append(
            {
                "team": str(visit.visiting_body),
                "target": visit.target_region.name,
                "rt_rw": visit.rt_rw,
                "date": visit.date,
                "findings": visit.findings,
                "follow_ups": visit.follow_ups,
                "files": files,
            }
        )
    return ChapterData("dossiers/pdf/chapter_kelembagaan.html", {"visits": visit_rows}, evidence=evidence)


LEVEL_LABELS = {2: "Kabupaten/Kota", 3: "Kecamatan", 4: "Desa/Kelurahan"}


def _pendanaan(assessment: Assessment, spec: ChapterSpec) -> ChapterData:
    years = assessment.cycle.data_years
    sources = list(WorkPlanItem.FundingSource.choices)
    sums = (
        WorkPlanItem.objects.filter(work_plan__body__in=bodies_of(assessment), work_plan__year__in=years)
        .order_by()
        .values_list("work_plan__year", "funding_source", "work_plan__body__region__level")
        .annotate(total=Sum("budget"))
    )
    by_source: dict[tuple[str, int], Decimal] = {}
    by_level: dict[tuple[int, int], Decimal] = {}
    for year, source, level, total in sums:
        by_source[(source, year)] = by_source.get((source, year), Decimal(0)) + total
        by_level[(level, year)] = by_level.get((level, year), Decimal(0)) + total
    rows = [
        {"label": str(label), "amounts": [by_source.get((value, y), Decimal(0)) for y in years]}
        for value, label in sources
    ]
    level_rows = [
        {"label": label, "amounts": [by_level.get((level, y), Decimal(0)) for y in years]}
        for level, label in LEVEL_LABELS.items()
    ]
    totals = [sum((r["amounts"][i] for r in rows), Decimal(0)) for i in range(len(years))]
    realised = dict(
        activities_of(assessment)
        .order_by()
        .values_list("date__year")
        .annotate(total=Sum("realised_budget"))
        .values_list("date__year", "total")
    )
    return ChapterData(
        "dossiers/pdf/chapter_pendanaan.html",
        {
            **kabupaten_context(assessment),
            "years": years,
            "rows": rows,
            "level_rows": level_rows,
            "totals": totals,
            "realised": [{"year": year, "total": realised[year]} for year in sorted(realised)],
        },
    )


def _odf(assessment: Assessment, spec: ChapterSpec) -> ChapterData:
    rows = []
    for row in odf_rows_by_kecamatan(assessment):
        total, odf = row["total"], row["odf"]
        rows.append(
            {
                "kecamatan": row["kecamatan"].name,
                "mode": {"desa": "per desa", "jumlah": "jumlah"}.get(row["mode"], ""),
                "desa_count": row["desa_count"],
                "total": total,
                "odf": odf,
                "percent": (Decimal(odf) * 100 / Decimal(total)).quantize(Decimal("0.01")) if total else None,
            }
        )
    return ChapterData(
        "dossiers/pdf/chapter_odf.html",
        {**kabupaten_context(assessment), "rows": rows, "percent": odf_percent(assessment)},
    )


def _tatanan(assessment: Assessment, spec: ChapterSpec) -> ChapterData:
    code = spec.key.removeprefix("tatanan-")
    tatanan = assessment.tatanan.get(code=code)
    entries = list(
        IndicatorEntry.objects.filter(assessment=assessment, indicator__tatanan=tatanan)
        .select_related("indicator", "self_score", "provincial_score", "national_score", "assigned_opd")
        .order_by("indicator__is_local", "indicator__order", "indicator_id")
    )
    files = (
        current_files()
        .filter(assessment=assessment, requirement__indicator__tatanan=tatanan)
        .select_related("requirement__indicator")
        .order_by("requirement__indicator__order", "requirement__order", "data_year", "id")
    )
    by_indicator: dict[int, list[dict]] = {}
    evidence = []
    for file in files:
        item = {**evidence_item(file, f"syarat:{file.requirement_id}"), "requirement": file.requirement.description}
        by_indicator.setdefault(file.requirement.indicator_id, []).append(item)
        evidence.append(item)

    def layer_percent(score_field: str):
        """The tatanan % in one layer; None ("–" on the page, not "0 %") while nobody scored it."""
        official = [e for e in entries if not e.indicator.is_local]
        weight = sum((e.indicator.weight for e in official), Decimal(0))
        if not weight or not any(getattr(e, score_field) for e in official):
            return None
        total = sum(
            (Decimal(getattr(e, score_field).value) * e.indicator.weight for e in official if getattr(e, score_field)),
            Decimal(0),
        )
        return (total / weight).quantize(Decimal("0.01"))

    rows = [
        {
            "number": e.indicator.number,
            "name": e.indicator.name,
            "local": e.indicator.is_local,
            "value_year1": e.value_year1,
            "value_year2": e.value_year2,
            "target": e.target,
            "self": e.self_score.value if e.self_score else None,
            "provincial": e.provincial_score.value if e.provincial_score else None,
            "national": e.national_score.value if e.national_score else None,
            "explanation": e.explanation,
            "provincial_note": e.provincial_note,
            "national_note": e.national_note,
            "opd": e.assigned_opd.short_name if e.assigned_opd else "",
            "evidence_link": e.evidence_link,
            "files": by_indicator.get(e.indicator_id, []),
        }
        for e in entries
    ]
    return ChapterData(
        "dossiers/pdf/chapter_tatanan.html",
        {
            **kabupaten_context(assessment),
            "tatanan": {"code": tatanan.code, "number": tatanan.number, "name": tatanan.name},
            "rows": rows,
            "percent": {
                "self": layer_percent("self_score"),
                "provincial": layer_percent("provincial_score"),
                "national": layer_percent("national_score"),
            },
            "evidence_count": len(evidence),
        },
        evidence=evidence,
    )


def _kegiatan(assessment: Assessment, spec: ChapterSpec) -> ChapterData:
    code = spec.key.removeprefix("kegiatan-").split("-")[0]
    kabupaten_code = assessment.kabupaten_id
    activities = activities_of(assessment)
    if spec.rows:  # a part: the activities the plan put in it
        activities = activities.filter(pk__in=spec.rows)
    elif code == kabupaten_code:
        activities = activities.filter(body__region_id=kabupaten_code)
    else:
        activities = activities.filter(_in_kabupaten(code, "body__region__code"))
    activities = list(
        activities.select_related("body__region", "work_plan_item__work_plan")
        .prefetch_related("tatanan")
        .order_by("date", "id")
    )
    files = _files_by(current_files().filter(activity__in=[a.pk for a in activities]), "activity_id")
    evidence, rows = [], []
    for activity in activities:
        items = [evidence_item(f, f"kegiatan:{activity.pk}") for f in files.get(activity.pk, [])]
        evidence.extend(items)
        plan_item = activity.work_plan_item
        rows.append(
            {
                "title": activity.title,
                "date": activity.date,
                "place": activity.place,
                "body": str(activity.body),
                "tatanan": sorted(t.code for t in activity.tatanan.all()),
                "participants": activity.participants,
                "participant_count": activity.participant_count,
                "result": activity.result,
                "budget": activity.realised_budget,
                "plan_item": (
                    {"activity": plan_item.activity, "year": plan_item.work_plan.year} if plan_item else None
                ),
                "photos": [i for i in items if i["is_image"]],
                "documents": [i for i in items if not i["is_image"]],
            }
        )
    return ChapterData(
        "dossiers/pdf/chapter_kegiatan.html",
        {**kabupaten_context(assessment), "activities": rows},
        evidence=evidence,
        photos=[photo for row in rows for photo in row["photos"]],
    )


def _titik_pantau(assessment: Assessment, spec: ChapterSpec) -> ChapterData:
    points = list(
        TitikPantau.objects.filter(assessment=assessment)
        .select_related("tatanan", "desa__parent")
        .order_by("tatanan__number", "name", "id")
    )
    files = _files_by(current_files().filter(titik_pantau__in=[p.pk for p in points]), "titik_pantau_id")
    evidence, rows = [], []
    for point in points:
        items = [evidence_item(f, f"titik_pantau:{point.pk}") for f in files.get(point.pk, [])]
        evidence.extend(items)
        rows.append(
            {
                "tatanan": f"{point.tatanan.code} – {point.tatanan.name}",
                "name": point.name,
                "kind": str(point.get_kind_display()),
                "desa": point.desa.name if point.desa else "",
                "kecamatan": point.desa.parent.name if point.desa and point.desa.parent else "",
                "address": point.address,
                "latitude": point.latitude,
                "longitude": point.longitude,
                "description": point.description,
                "photos": [i for i in items if i["is_image"]],
                "documents": [i for i in items if not i["is_image"]],
            }
        )
    return ChapterData(
        "dossiers/pdf/chapter_titik_pantau.html",
        {**kabupaten_context(assessment), "points": rows},
        evidence=evidence,
        photos=[photo for row in rows for photo in row["photos"]],
    )


def _inovasi(assessment: Assessment, spec: ChapterSpec) -> ChapterData:
    innovations = Innovation.objects.filter(assessment=assessment).select_related("tatanan")
    rows = [
        {
            "title": i.title,
            "year": i.year,
            "tatanan": f"{i.tatanan.code} – {i.tatanan.name}" if i.tatanan else "",
            "description": i.description,
            "result": i.result,
        }
        for i in innovations.order_by("-year", "tatanan__number", "title", "id")
    ]
    return ChapterData("dossiers/pdf/chapter_inovasi.html", {**kabupaten_context(assessment), "innovations": rows})


def _lampiran(assessment: Assessment, spec: ChapterSpec) -> ChapterData:
    files = list(all_evidence_pdfs(assessment).order_by("uploaded_at", "id"))
    limit = settings.DOSSIER_ATTACHMENTS_MAX_MB * 1024 * 1024
    attached, left_out = attachment_plan(files, limit_bytes=limit)
    return ChapterData(
        "dossiers/pdf/chapter_lampiran.html",
        {
            **kabupaten_context(assessment),
            "attached": attached,
            "left_out": left_out,
            "limit_mb": settings.DOSSIER_ATTACHMENTS_MAX_MB,
        },
        attachments=attached,
    )


BUILDERS = {
    "profil": _profil,
    "kelembagaan": _kelembagaan,
    "pendanaan": _pendanaan,
    "odf": _odf,
    "tatanan": _tatanan,
    "kegiatan": _kegiatan,
    "titik": _titik_pantau,
    "inovasi": _inovasi,
    "lampiran": _lampiran,
}


def chapter_context(assessment: Assessment, spec: ChapterSpec) -> ChapterData:
    """The data ``spec``'s chapter is rendered from, read now."""
    builder = BUILDERS[spec.key.split("-", 1)[0]]
    with translation.override("id"):
        data = builder(assessment, spec)
    data.context = {**data.context, "chapter": spec.as_dict()}
    return data


def chapter_pdf(data: ChapterData, *, fetcher: PortalURLFetcher | None = None) -> bytes:
    """The chapter's PDF: the print copies of its photos made where missing, then WeasyPrint."""
    print_copies_ensure(data.photos)
    return template_to_pdf(data.template, data.context, fetcher=fetcher, chapter=True)


# --- Front matter -------------------------------------------------------------------------------------------


def summary_context(assessment: Assessment) -> dict:
    """The figures of the summary page (all three layers), read now.

    A figure nobody has scored yet is None, shown as "–" (``persen``), never "0 %": a tatanan no
    indicator of which is scored in that layer, and the average and lowest of a layer (provinsi,
    pusat before their verification) in which nothing is scored at all. Once a layer has scores,
    an unscored indicator counts as 0 (DOMAIN.md, "Scores and award tiers")."""
    scores = {layer: assessment_score(assessment=assessment, layer=layer) for layer in LAYERS}
    rows: dict[str, dict] = {}
    for layer, score in scores.items():
        for tatanan in score.tatanan:
            row = rows.setdefault(tatanan.code, {"code": tatanan.code, "name": tatanan.name})
            row[layer] = tatanan.percent if tatanan.scored else None
    own = scores["self"]
    return {
        "tatanan": list(rows.values()),
        "overall": {layer: score.overall if score.scored else None for layer, score in scores.items()},
        "minimum": {layer: score.minimum if score.scored else None for layer, score in scores.items()},
        "odf": own.odf,
        "kelembagaan_met": own.kelembagaan_met,
        "kelembagaan_missing": own.kelembagaan_missing,
        "missing_year1": own.missing_year1,
        "missing_year2": own.missing_year2,
        "tier_label": own.tier_label or "",
    }
