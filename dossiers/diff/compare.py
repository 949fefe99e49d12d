"""What changed between two versions of a dossier.

A PDF cannot be compared with another in any useful way, so each version keeps, in its
manifest, a compact *snapshot* of the data its chapters show (``dossier_snapshot``, taken when the
version is merged): per indicator its values of both data years, explanation and the three
scores; the kelembagaan entries; the activities, titik pantau and innovations; and what owns each
evidence file (the files themselves, with their blob's SHA-256, are already in the manifest's
``evidence`` list, which is read from the rendered chapters). ``version_diff`` compares two such
versions: which indicators, scores, data values, explanations and evidence files were added,
removed or changed, old → new, grouped by tatanan.

Versions compiled before snapshots existed have none: their comparison says so
(``VersionDiff.available`` is false) instead of guessing.

The snapshot is read from the database at merge time, a few seconds after the chapters were
rendered; the evidence list comes from the chapters themselves, so it is exactly what the PDF
shows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evidence.models import EvidenceFile
from forums.models import Body, PembinaanVisit
from indicators.models import Assessment, IndicatorEntry, Innovation, KelembagaanEntry, TitikPantau
from tatanan.models import EvidenceRequirement, Tatanan

from ..models import DossierVersion
from ..renderer.chapters import activities_of

SNAPSHOT_FORMAT = 1
# How far a replaced file's chain (A replaced by B replaced by C …) is followed to its successor.
REPLACEMENT_HOPS = 5


# --- The snapshot (stored in a version's manifest) ----------------------------------------------------


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _score(option) -> int | None:
    return option.value if option is not None else None


def _indicator_records(assessment: Assessment) -> list[dict]:
    entries = (
        IndicatorEntry.objects.filter(assessment=assessment, indicator__tatanan__in=assessment.tatanan.all())
        .select_related("indicator__tatanan", "self_score", "provincial_score", "national_score")
        .order_by("indicator__tatanan__number", "indicator__is_local", "indicator__order", "indicator_id")
    )
    return [
        {
            "id": e.indicator_id,
            "tatanan": e.indicator.tatanan.code,
            "number": e.indicator.number,
            "name": e.indicator.name,
            "local": e.indicator.is_local,
            "value_year1": e.value_year1,
            "value_year2": e.value_year2,
            "target": e.target,
            "explanation": e.explanation,
            "evidence_link": e.evidence_link,
            "self": _score(e.self_score),
            "provincial": _score(e.provincial_score),
            "national": _score(e.national_score),
        }
        for e in entries
    ]


def _kelembagaan_records(assessment: Assessment) -> list[dict]:
    entries = (
        KelembagaanEntry.objects.filter(assessment=assessment)
        .select_related("item", "self_score")
        .order_by("item__order", "item_id")
    )
    return [
        {
            "id": e.item_id,
            "label": f"{e.item.get_component_display()} – {e.item.get_item_display()}",
            "score": _score(e.self_score),
            "note": e.note,
        }
        for e in entries
    ]


def _activity_records(assessment: Assessment) -> list[dict]:
    activities = (
        activities_of(assessment)
        .select_related("body__region")
        .prefetch_related(Prefetch("tatanan", queryset=Tatanan.objects.order_by("number")))
        .order_by("date", "id")
    )
    return [
        {
            "id": a.pk,
            "title": a.title,
            "date": a.date.isoformat(),
            "place": a.place,
            "body": str(a.body),
            "tatanan": ", ".join(t.code for t in a.tatanan.all()),
            "participant_count": a.participant_count,
            "result": a.result,
            "budget": _plain(a.realised_budget),
        }
        for a in activities
    ]


def _titik_pantau_records(assessment: Assessment) -> list[dict]:
    points = (
        TitikPantau.objects.filter(assessment=assessment)
        .select_related("tatanan", "desa")
        .order_by("tatanan__number", "name", "id")
    )
    return [
        {
            "id": p.pk,
            "tatanan": p.tatanan.code,
            "name": p.name,
            "kind": str(p.get_kind_display()),
            "desa": p.desa.name if p.desa else "",
            "address": p.address,
            "coordinates": f"{p.latitude}, {p.longitude}" if p.latitude is not None else "",
            "description": p.description,
        }
        for p in points
    ]


def _innovation_records(assessment: Assessment) -> list[dict]:
    innovations = Innovation.objects.filter(assessment=assessment).select_related("tatanan").order_by("year", "id")
    return [
        {
            "id": i.pk,
            "tatanan": i.tatanan.code if i.tatanan else "",
            "title": i.title,
            "year": i.year,
            "description": i.description,
            "result": i.result,
        }
        for i in innovations
    ]


def _owner_ids(evidence: list[dict], prefix: str) -> set[int]:
    ids = set()
    for item in evidence:
        kind, _sep, pk = item["owner"].partition(":")
        if kind == prefix and pk.isdigit():
            ids.add(int(pk))
    return ids


def _owners(evidence: list[dict], activities: list[dict], points: list[dict]) -> dict[str, dict]:
    """What owns each evidence file: a label, the section it belongs in (a tatanan code,
    "kelembagaan" or "kegiatan") and the snapshot record it hangs under, if any."""
    owners: dict[str, dict] = {}
    requirements = EvidenceRequirement.objects.filter(pk__in=_owner_ids(evidence, "syarat")).select_related(
        "indicator__tatanan", "kelembagaan_item"
    )
    for requirement in requirements:
        if requirement.indicator_id:
            indicator = requirement.indicator
            owners[f"syarat:{requirement.pk}"] = {
                "label": requirement.description,
                "group": indicator.tatanan.code,
                "record": f"indicator:{indicator.pk}",
            }
        else:
            owners[f"syarat:{requirement.pk}"] = {
                "label": requirement.description,
                "group": "kelembagaan",
                "record": f"kelembagaan:{requirement.kelembagaan_item_id}",
            }
    for body in Body.objects.filter(pk__in=_owner_ids(evidence, "lembaga")).select_related("region"):
        owners[f"lembaga:{body.pk}"] = {"label": str(body), "group": "kelembagaan", "record": ""}
    visits = PembinaanVisit.objects.filter(pk__in=_owner_ids(evidence, "pembinaan")).select_related(
        "visiting_body__region", "target_region"
    )
    for visit in visits:
        label = _("Pembinaan %(visit)s") % {"visit": visit}
        owners[f"pembinaan:{visit.pk}"] = {"label": label, "group": "kelembagaan", "record": ""}
    for activity in activities:
        owners[f"kegiatan:{activity['id']}"] = {
            "label": _label("activity", activity),
            "group": "kegiatan",
            "record": f"activity:{activity['id']}",
        }
    for point in points:
        owners[f"titik_pantau:{point['id']}"] = {
            "label": point["name"],
            "group": point["tatanan"],
            "record": f"titik_pantau:{point['id']}",
        }
    return owners


def dossier_snapshot(assessment: Assessment, *, evidence: list[dict]) -> dict:
    """The compact record of ``assessment``'s data that a version keeps for comparisons.
    ``evidence`` is the version's manifest list of evidence files (its owners get labels here)."""
    with translation.override("id"):
        activities = _activity_records(assessment)
        points = _titik_pantau_records(assessment)
        return {
            "format": SNAPSHOT_FORMAT,
            "data_years": assessment.cycle.data_years,
            "tatanan": [
                {"code": t.code, "number": t.number, "name": t.name} for t in assessment.tatanan.order_by("number")
            ],
            "indicators": _indicator_records(assessment),
            "kelembagaan": _kelembagaan_records(assessment),
            "activities": activities,
            "titik_pantau": points,
            "innovations": _innovation_records(assessment),
            "owners": _owners(evidence, activities, points),
        }


# --- The comparison ------------------------------------------------------------------------------------------


@dataclass
class FieldChange:
    field: str
    label: str
    old: object
    new: object


@dataclass
class FileChange:
    status: str  # added, removed, replaced
    id: int
    kind: str
    kind_label: str
    name: str
    sha256: str
    data_year: int | None
    owner: str = ""  # what the file belongs to, e.g. the requirement of an indicator
    old_id: int | None = None
    old_name: str = ""
    old_sha256: str = ""


@dataclass
class RecordDiff:
    """One thing that changed: an indicator, a kelembagaan item, an activity, a titik pantau, an
    innovation, or another owner of evidence files (a body, a pembinaan visit)."""

    kind: str  # indicator, kelembagaan, activity, titik_pantau, innovation, owner
    key: str
    label: str
    status: str  # added, removed, changed, files (only its evidence files changed)
    changes: list[FieldChange] = field(default_factory=list)
    files: list[FileChange] = field(default_factory=list)

    @property
    def score_changes(self) -> list[FieldChange]:
        return [c for c in self.changes if c.field in SCORE_FIELDS]


@dataclass
class Section:
    key: str  # a tatanan code, or kelembagaan, kegiatan, inovasi
    title: str
    records: list[RecordDiff] = field(default_factory=list)


@dataclass
class VersionRef:
    number: int
    created_at: datetime.datetime
    submitted: bool
    has_snapshot: bool


@dataclass
class VersionDiff:
    old: VersionRef
    new: VersionRef
    available: bool
    sections: list[Section] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def missing_snapshot(self) -> list[int]:
        return [ref.number for ref in (self.old, self.new) if not ref.has_snapshot]

    @property
    def unchanged(self) -> bool:
        return self.available and not self.sections


SCORE_FIELDS = ("self", "provincial", "national")
KIND_LABELS = {
    "indicator": gettext_lazy("Indikator"),
    "kelembagaan": gettext_lazy("Kelembagaan"),
    "activity": gettext_lazy("Kegiatan"),
    "titik_pantau": gettext_lazy("Titik pantau"),
    "innovation": gettext_lazy("Inovasi"),
    "owner": gettext_lazy("Bukti dukung"),
}


def _fields(kind: str, data_years: list[int]) -> list[tuple[str, str]]:
    """The compared fields of a kind of record and their labels, in the order they are shown."""
    first, last = (data_years[0], data_years[-1]) if data_years else ("1", "2")
    fields = {
        "indicator": [
            ("name", _("Nama indikator")),
            ("value_year1", _("Data tahun %(year)s") % {"year": first}),
            ("value_year2", _("Data tahun %(year)s") % {"year": last}),
            ("target", _("Target")),
            ("explanation", _("Penjelasan")),
            ("evidence_link", _("Tautan bukti dukung")),
            ("self", _("Nilai mandiri")),
            ("provincial", _("Nilai provinsi")),
            ("national", _("Nilai pusat")),
        ],
        "kelembagaan": [("score", _("Nilai mandiri")), ("note", _("Catatan"))],
        "activity": [
            ("title", _("Judul")),
            ("date", _("Tanggal")),
            ("place", _("Tempat")),
            ("body", _("Lembaga")),
            ("tatanan", _("Tatanan")),
            ("participant_count", _("Jumlah peserta")),
            ("result", _("Hasil")),
            ("budget", _("Realisasi anggaran")),
        ],
        "titik_pantau": [
            ("name", _("Nama")),
            ("kind", _("Jenis")),
            ("tatanan", _("Tatanan")),
            ("desa", _("Desa/kelurahan")),
            ("address", _("Alamat")),
            ("coordinates", _("Koordinat")),
            ("description", _("Keterangan")),
        ],
        "innovation": [
            ("title", _("Judul")),
            ("tatanan", _("Tatanan")),
            ("year", _("Tahun")),
            ("description", _("Uraian")),
            ("result", _("Hasil/dampak")),
        ],
    }
    return fields[kind]


def _label(kind: str, record: dict) -> str:
    if kind == "indicator":
        local = f" ({_('lokal')})" if record.get("local") else ""
        return f"{record['tatanan']} {record['number']}{local}. {record['name']}"
    if kind == "activity":
        return f"{record['title']} ({record['date']})"
    if kind == "kelembagaan":
        return record["label"]
    if kind == "innovation":
        return record["title"]
    return record["name"]


def _group(kind: str, record: dict) -> str:
    if kind in ("indicator", "titik_pantau"):
        return record["tatanan"]
    return {"kelembagaan": "kelembagaan", "activity": "kegiatan", "innovation": "inovasi"}[kind]


SNAPSHOT_LISTS = {
    "indicator": "indicators",
    "kelembagaan": "kelembagaan",
    "activity": "activities",
    "titik_pantau": "titik_pantau",
    "innovation": "innovations",
}


def _compare_records(old: dict, new: dict, data_years: list[int]) -> dict[str, tuple[str, RecordDiff]]:
    """Every added, removed or changed record, keyed "kind:id", with the section it goes in."""
    found: dict[str, tuple[str, RecordDiff]] = {}
    for kind, name in SNAPSHOT_LISTS.items():
        before = {r["id"]: r for r in old.get(name, [])}
        after = {r["id"]: r for r in new.get(name, [])}
        fields = _fields(kind, data_years)
        for pk in [*after, *(pk for pk in before if pk not in after)]:
            was, now = before.get(pk), after.get(pk)
            record = now or was
            key = f"{kind}:{pk}"
            if was is None:
                diff = RecordDiff(kind, key, _label(kind, now), "added")
            elif now is None:
                diff = RecordDiff(kind, key, _label(kind, was), "removed")
            else:
                changes = [
                    FieldChange(name_, label, was.get(name_), now.get(name_))
                    for name_, label in fields
                    if was.get(name_) != now.get(name_)
                ]
                if not changes:
                    continue
                diff = RecordDiff(kind, key, _label(kind, now), "changed", changes)
            found[key] = (_group(kind, record), diff)
    return found


def _replacements(removed: set[int], added: set[int]) -> dict[int, int]:
    """Removed file id → the added file id that replaced it (following the chain of replacements
    recorded on the evidence files)."""
    pairs: dict[int, int] = {}
    successor_of = _successors(removed) if removed else {}
    frontier = {pk: pk for pk in removed}  # current id in the chain → the removed id it started from
    for _hop in range(REPLACEMENT_HOPS):
        if not frontier:
            break
        following = {}
        for pk in sorted(frontier):
            successor = successor_of.get(pk)
            if successor is None:
                continue
            origin = frontier[pk]
            if successor in added and successor not in pairs.values():
                pairs[origin] = successor
            else:
                following[successor] = origin
        frontier = following
    return pairs


def _successors(removed: set[int]) -> dict[int, int]:
    """File id → the id of the file that replaced it, for every replaced file of the owners of
    ``removed``: in one query whatever the length of the chains (one query per step made the
    comparison's cost grow with the versions between two dossier versions). A file only ever
    replaces a current file of its own owner (``evidence.uploads.replaceable``), so each chain
    lies among them."""
    files = EvidenceFile.objects.filter(pk__in=removed)
    of_requirements = files.filter(requirement_id__isnull=False)
    owned = Q(
        requirement_id__in=of_requirements.values("requirement_id"),
        assessment_id__in=of_requirements.values("assessment_id"),
    )
    for column in ("activity_id", "body_id", "titik_pantau_id", "pembinaan_visit_id"):
        owned |= Q(**{f"{column}__in": files.filter(**{f"{column}__isnull": False}).values(column)})
    replaced = EvidenceFile.objects.filter(owned | Q(pk__in=removed), replaced_by__isnull=False)
    return dict(replaced.values_list("pk", "replaced_by_id"))


def _file(item: dict, status: str) -> FileChange:
    return FileChange(
        status=status,
        id=item["id"],
        kind=item["kind"],
        kind_label=str(KIND_OF_FILE.get(item["kind"], item["kind"])),
        name=item["original_name"],
        sha256=item["sha256"],
        data_year=item.get("data_year"),
    )


def _compare_files(old_files: list[dict], new_files: list[dict]) -> list[tuple[str, FileChange]]:
    """Every added, removed or replaced evidence file, with its owner ("syarat:12", …)."""
    before = {f["id"]: f for f in old_files}
    after = {f["id"]: f for f in new_files}
    removed = set(before) - set(after)
    added = set(after) - set(before)
    replaced = _replacements(removed, added)
    changes: list[tuple[str, FileChange]] = []
    for pk, item in after.items():
        old = before.get(pk)
        if old is not None and (old["sha256"], old["original_name"]) == (item["sha256"], item["original_name"]):
            continue
        if old is None and pk in replaced.values():
            continue  # shown with the file it replaced
        if old is None:
            changes.append((item["owner"], _file(item, "added")))
        else:  # the same file with other content: never happens (blobs do not change), but say so
            change = _file(item, "replaced")
            change.old_id, change.old_name, change.old_sha256 = old["id"], old["original_name"], old["sha256"]
            changes.append((item["owner"], change))
    for pk in sorted(removed):
        old = before[pk]
        successor = replaced.get(pk)
        if successor is None:
            changes.append((old["owner"], _file(old, "removed")))
            continue
        change = _file(after[successor], "replaced")
        change.old_id, change.old_name, change.old_sha256 = old["id"], old["original_name"], old["sha256"]
        changes.append((after[successor]["owner"], change))
    return changes


KIND_OF_FILE = dict(EvidenceFile.Kind.choices)
FILE_ORDER = {"replaced": 0, "added": 1, "removed": 2}


def _section_titles(old: dict, new: dict) -> list[tuple[str, str]]:
    tatanan = {t["code"]: t for t in old.get("tatanan", [])}
    tatanan.update({t["code"]: t for t in new.get("tatanan", [])})
    ordered = sorted(tatanan.values(), key=lambda t: (t["number"], t["code"]))
    return [
        *((t["code"], f"{t['code']} – {t['name']}") for t in ordered),
        ("kelembagaan", _("Kelembagaan")),
        ("kegiatan", _("Kegiatan")),
        ("inovasi", _("Inovasi")),
    ]


def _ref(version: DossierVersion) -> VersionRef:
    snapshot = (version.manifest or {}).get("snapshot")
    return VersionRef(version.number, version.created_at, version.submitted, isinstance(snapshot, dict))


def version_diff(old_version: DossierVersion, new_version: DossierVersion) -> VersionDiff:
    """What changed from ``old_version`` to ``new_version`` (two finished versions of one dossier)."""
    result = VersionDiff(_ref(old_version), _ref(new_version), available=False)
    if result.missing_snapshot:
        return result
    result.available = True
    old, new = old_version.manifest["snapshot"], new_version.manifest["snapshot"]
    data_years = new.get("data_years") or old.get("data_years") or []
    records = _compare_records(old, new, data_years)

    owners = {**old.get("owners", {}), **new.get("owners", {})}
    owner_records: dict[str, tuple[str, RecordDiff]] = {}
    file_counts = {"added": 0, "removed": 0, "replaced": 0}
    changes = _compare_files(old_version.manifest.get("evidence", []), new_version.manifest.get("evidence", []))
    labels = {
        f"{kind}:{record['id']}": _label(kind, record)
        for snapshot in (old, new)
        for kind, name in SNAPSHOT_LISTS.items()
        for record in snapshot.get(name, [])
    }
    for owner, change in changes:
        file_counts[change.status] += 1
        info = owners.get(owner, {"label": owner, "group": "kelembagaan", "record": ""})
        key = info.get("record") or f"owner:{owner}"
        change.owner = info["label"]
        if key not in records:
            if key not in owner_records:
                kind = key.split(":", 1)[0] if info.get("record") else "owner"
                record = RecordDiff(kind, key, labels.get(key, info["label"]), "files")
                owner_records[key] = (info["group"], record)
            records[key] = owner_records[key]
        records[key][1].files.append(change)

    titles = _section_titles(old, new)
    sections = {key: Section(key, title) for key, title in titles}
    for group, record in records.values():
        record.files.sort(key=lambda f: (FILE_ORDER[f.status], f.name, f.id))
        sections.setdefault(group, Section(group, group)).records.append(record)
    result.sections = [section for section in sections.values() if section.records]

    indicator_diffs = [r for _g, r in records.values() if r.kind == "indicator"]
    result.counts = {
        "indicators_changed": sum(1 for r in indicator_diffs if r.status == "changed"),
        "indicators_added": sum(1 for r in indicator_diffs if r.status == "added"),
        "indicators_removed": sum(1 for r in indicator_diffs if r.status == "removed"),
        "scores_changed": sum(len(r.score_changes) for r in indicator_diffs),
        "files_added": file_counts["added"],
        "files_removed": file_counts["removed"],
        "files_replaced": file_counts["replaced"],
        "records": sum(len(s.records) for s in result.sections),
    }
    return result


# --- Which versions to compare --------------------------------------------------------------------------


def comparable_versions(assessment: Assessment) -> list[DossierVersion]:
    """The finished versions of ``assessment``'s dossier, newest first."""
    return list(
        DossierVersion.objects.filter(dossier__assessment=assessment, state=DossierVersion.State.DONE).order_by(
            "-number"
        )
    )


def default_base(versions: list[DossierVersion], new: DossierVersion) -> DossierVersion | None:
    """What ``new`` is compared with by default: the last version submitted before it (what the
    verifier saw), else the finished version just before it."""
    earlier = [v for v in versions if v.number < new.number]
    return next((v for v in earlier if v.submitted), None) or (earlier[0] if earlier else None)


def _number(value: str | None, name: str, errors: dict) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        errors[name] = [_("Nomor versi harus berupa angka, mis. 2.")]
        return None
    if number < 1:
        errors[name] = [_("Nomor versi harus berupa angka, mis. 2.")]
        return None
    return number


def diff_pair(
    assessment: Assessment, *, dari: str | None = None, ke: str | None = None
) -> tuple[DossierVersion, DossierVersion] | None:
    """The two versions to compare, from the query's ``dari`` and ``ke`` (version numbers; either
    may be left out for the default: the latest finished version, compared with the last one
    submitted before it). None when the dossier has fewer than two finished versions and nothing
    was asked for. Bad numbers raise ``ValidationError`` keyed by parameter."""
    versions = comparable_versions(assessment)
    by_number = {v.number: v for v in versions}
    errors: dict[str, list[str]] = {}
    numbers = {name: _number(value, name, errors) for name, value in (("dari", dari), ("ke", ke))}
    for name, number in numbers.items():
        if number is not None and number not in by_number:
            errors[name] = [_("Versi %(number)s tidak ada atau belum selesai disusun.") % {"number": number}]
    if errors:
        raise ValidationError(errors)
    new = by_number[numbers["ke"]] if numbers["ke"] else (versions[0] if versions else None)
    if new is None:
        if numbers["dari"]:
            raise ValidationError({"ke": [_("Belum ada versi lain untuk dibandingkan.")]})
        return None
    old = by_number[numbers["dari"]] if numbers["dari"] else default_base(versions, new)
    if old is None:
        if numbers["ke"]:
            raise ValidationError({"dari": [_("Tidak ada versi sebelum versi %(number)s.") % {"number": new.number}]})
        return None
    if old.number == new.number:
        raise ValidationError({"ke": [_("Pilih dua versi yang berbeda.")]})
    return old, new
