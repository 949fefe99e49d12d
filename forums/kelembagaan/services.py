"""Kelembagaan status: which of SK, rencana kerja, anggaran and sekretariat each body has.

* A body has its **SK** when it has a current decree that has not expired (``valid_until`` empty
  or not before today).
* Its **rencana kerja** when it has an approved work plan for every data year of the cycle.
* Its **anggaran** when, for every data year, that approved plan budgets more than Rp 0.
* Its **sekretariat** when a secretariat with an address is recorded.

``body_statuses`` works on any set of bodies in a fixed handful of queries; ``kabupaten_rollup``
adds the per-kecamatan counts (Forum Kecamatan, Tim Pembina Kecamatan, the Pokja of each desa)
and the kabupaten totals. ``kelembagaan_fill_assessment`` turns the roll-up into the self scores
of the 16 kelembagaan items of an assessment.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import require_kabupaten_admin
from indicators.fieldwork.services import kelembagaan_entries_update
from indicators.selectors import usulan_of
from kks_portal.lib.text import and_list
from regions.models import Region
from tatanan.models import Cycle, KelembagaanItem, ScaleOption
from tatanan.selectors import selectable_options

from ..models import Body, Decree, Secretariat, WorkPlan

ITEMS = (
    KelembagaanItem.Item.SK,
    KelembagaanItem.Item.RENCANA_KERJA,
    KelembagaanItem.Item.ANGGARAN,
    KelembagaanItem.Item.SEKRETARIAT,
)
ITEM_LABELS = {
    KelembagaanItem.Item.SK: "SK",
    KelembagaanItem.Item.RENCANA_KERJA: "RK",
    KelembagaanItem.Item.ANGGARAN: "Anggaran",
    KelembagaanItem.Item.SEKRETARIAT: "Sekretariat",
}


@dataclass
class BodyStatus:
    body: Body
    years: list[int]
    has_sk: bool = False
    plan_years: set[int] = field(default_factory=set)
    budget_years: set[int] = field(default_factory=set)
    has_secretariat: bool = False

    @property
    def has_rencana_kerja(self) -> bool:
        return bool(self.years) and all(y in self.plan_years for y in self.years)

    @property
    def has_anggaran(self) -> bool:
        return bool(self.years) and all(y in self.budget_years for y in self.years)

    def has(self, item: str) -> bool:
        return {
            KelembagaanItem.Item.SK: self.has_sk,
            KelembagaanItem.Item.RENCANA_KERJA: self.has_rencana_kerja,
            KelembagaanItem.Item.ANGGARAN: self.has_anggaran,
            KelembagaanItem.Item.SEKRETARIAT: self.has_secretariat,
        }[item]

    def share(self, item: str) -> float:
        """1.0 in place, 0.0 not; for work plan and budget, the share of data years covered."""
        if item == KelembagaanItem.Item.RENCANA_KERJA:
            return len(self.plan_years & set(self.years)) / len(self.years) if self.years else 0.0
        if item == KelembagaanItem.Item.ANGGARAN:
            return len(self.budget_years & set(self.years)) / len(self.years) if self.years else 0.0
        return 1.0 if self.has(item) else 0.0

    @property
    def flags(self) -> list[tuple[str, str, bool]]:
        """(item code, short label, in place) for the four items, in order."""
        return [(item, ITEM_LABELS[item], self.has(item)) for item in ITEMS]

    @property
    def missing(self) -> list[str]:
        return [item for item in ITEMS if not self.has(item)]

    @property
    def complete(self) -> bool:
        return not self.missing


def missing_texts(status: BodyStatus) -> list[str]:
    """What the body lacks, in plain words, for its secretary."""
    years = and_list(status.years)
    texts = {
        KelembagaanItem.Item.SK: _("Belum ada SK yang berlaku."),
        KelembagaanItem.Item.RENCANA_KERJA: _("Rencana kerja tahun %(years)s belum lengkap disetujui.")
        % {"years": years},
        KelembagaanItem.Item.ANGGARAN: _("Anggaran dalam rencana kerja tahun %(years)s belum ada.") % {"years": years},
        KelembagaanItem.Item.SEKRETARIAT: _("Alamat sekretariat belum diisi."),
    }
    return [texts[item] for item in status.missing]


def current_cycle() -> Cycle | None:
    """The cycle being run (its data years are the ones that count): the newest with its official
    catalogue imported, since a cycle added ahead of its instrument (2027) has no round yet; the
    newest cycle when none has one."""
    newest = Cycle.objects.order_by("-award_year")
    return newest.filter(indicators__is_local=False).distinct().first() or newest.first()


def data_years_of(cycle: Cycle | None, today: datetime.date | None = None) -> list[int]:
    if cycle is not None:
        return cycle.data_years
    year = (today or timezone.localdate()).year
    return [year - 2, year - 1]


def body_statuses(bodies: QuerySet[Body], *, years: list[int], today: datetime.date | None = None) -> list[BodyStatus]:
    """The status of every body in ``bodies``: five queries whatever their number."""
    today = today or timezone.localdate()
    statuses = {b.pk: BodyStatus(body=b, years=list(years)) for b in bodies.select_related("region")}
    ids = bodies.values("pk")
    current = Decree.objects.filter(body__in=ids, is_current=True).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )
    for body_id in current.values_list("body_id", flat=True):
        statuses[body_id].has_sk = True
    with_address = Secretariat.objects.filter(body__in=ids).exclude(address="")
    for body_id in with_address.values_list("body_id", flat=True):
        statuses[body_id].has_secretariat = True
    plans = (
        WorkPlan.objects.filter(body__in=ids, status=WorkPlan.Status.APPROVED, year__in=years)
        .annotate(total=Sum("items__budget"))
        .values_list("body_id", "year", "total")
    )
    for body_id, year, total in plans:
        statuses[body_id].plan_years.add(year)
        if total and total > 0:
            statuses[body_id].budget_years.add(year)
    return list(statuses.values())


@dataclass
class Count:
    done: int
    total: int

    @property
    def complete(self) -> bool:
        return self.done >= self.total

    def __str__(self):
        return f"{self.done}/{self.total}"


@dataclass
class KecamatanRow:
    region: Region
    forum: BodyStatus | None
    tim_pembina: BodyStatus | None
    desa_count: int
    pokja: list[BodyStatus]

    @property
    def pokja_counts(self) -> list[tuple[str, str, Count]]:
        return [
            (item, ITEM_LABELS[item], Count(sum(1 for s in self.pokja if s.has(item)), self.desa_count))
            for item in ITEMS
        ]

    @property
    def lacking(self) -> bool:
        if self.forum is None or not self.forum.complete or self.tim_pembina is None or not self.tim_pembina.complete:
            return True
        return any(not c.complete for _item, _label, c in self.pokja_counts)


@dataclass
class KabupatenRollup:
    kabupaten: Region
    years: list[int]
    tim_pembina: BodyStatus | None
    forum: BodyStatus | None
    kecamatan: list[KecamatanRow]
    # True when restricted to a round's usulan (``for_usulan``): the notes say "usulan".
    usulan: bool = False

    def for_usulan(self, kecamatan: set[str], desa: set[str]) -> KabupatenRollup:
        """The rollup over the proposed kecamatan and, when desa are proposed, their Pokja only
        (the 2025 scales count "SK sesuai usulan"); itself when nothing is proposed."""
        if not kecamatan and not desa:
            return self
        wanted = kecamatan | {code.rsplit(".", 1)[0] for code in desa}
        rows = []
        for row in self.kecamatan:
            if row.region.code not in wanted:
                continue
            if desa:
                in_row = {code for code in desa if code.startswith(row.region.code + ".")}
                pokja = [s for s in row.pokja if s.body.region_id in in_row]
                row = KecamatanRow(row.region, row.forum, row.tim_pembina, len(in_row), pokja)
            rows.append(row)
        return KabupatenRollup(self.kabupaten, self.years, self.tim_pembina, self.forum, rows, usulan=True)

    @property
    def desa_count(self) -> int:
        return sum(r.desa_count for r in self.kecamatan)

    def count(self, kind: str, item: str) -> Count:
        """How many kecamatan (Forum/Tim Pembina Kecamatan) or desa (Pokja) have ``item``."""
        if kind == Body.Kind.POKJA_DESA:
            done = sum(1 for r in self.kecamatan for s in r.pokja if s.has(item))
            return Count(done, self.desa_count)
        attr = "forum" if kind == Body.Kind.FORUM_KECAMATAN else "tim_pembina"
        done = sum(1 for r in self.kecamatan if getattr(r, attr) is not None and getattr(r, attr).has(item))
        return Count(done, len(self.kecamatan))

    def totals(self, kind: str) -> list[tuple[str, str, Count]]:
        return [(item, ITEM_LABELS[item], self.count(kind, item)) for item in ITEMS]

    @property
    def forum_kecamatan_totals(self):
        return self.totals(Body.Kind.FORUM_KECAMATAN)

    @property
    def tim_pembina_kecamatan_totals(self):
        return self.totals(Body.Kind.TIM_PEMBINA_KECAMATAN)

    @property
    def pokja_totals(self):
        return self.totals(Body.Kind.POKJA_DESA)


def _below(code: str, field: str = "code") -> Q:
    return Q(**{field: code}) | Q(**{f"{field}__startswith": code + "."})


def kabupaten_rollup(kabupaten: Region, *, years: list[int], today: datetime.date | None = None) -> KabupatenRollup:
    """Every body of ``kabupaten`` and its kecamatan and desa, with counts per kecamatan."""
    bodies = Body.objects.filter(_below(kabupaten.code, "region__code"))
    statuses = body_statuses(bodies, years=years, today=today)
    by_region_kind = {(s.body.region_id, s.body.kind): s for s in statuses}
    pokja_by_kecamatan = defaultdict(list)
    for s in statuses:
        if s.body.kind == Body.Kind.POKJA_DESA:
            pokja_by_kecamatan[s.body.region.parent_id].append(s)
    desa_counts = defaultdict(int)
    for parent_id in Region.objects.filter(level=Region.Level.DESA, code__startswith=kabupaten.code + ".").values_list(
        "parent_id", flat=True
    ):
        desa_counts[parent_id] += 1
    rows = [
        KecamatanRow(
            region=kec,
            forum=by_region_kind.get((kec.code, Body.Kind.FORUM_KECAMATAN)),
            tim_pembina=by_region_kind.get((kec.code, Body.Kind.TIM_PEMBINA_KECAMATAN)),
            desa_count=desa_counts[kec.code],
            pokja=pokja_by_kecamatan[kec.code],
        )
        for kec in Region.objects.filter(level=Region.Level.KECAMATAN, parent=kabupaten).order_by("name")
    ]
    return KabupatenRollup(
        kabupaten=kabupaten,
        years=list(years),
        tim_pembina=by_region_kind.get((kabupaten.code, Body.Kind.TIM_PEMBINA_KABKOTA)),
        forum=by_region_kind.get((kabupaten.code, Body.Kind.FORUM_KABKOTA)),
        kecamatan=rows,
    )


def body_status(body: Body, *, years: list[int], today: datetime.date | None = None) -> BodyStatus:
    return body_statuses(Body.objects.filter(pk=body.pk), years=years, today=today)[0]


# --- Filling the assessment -------------------------------------------------------------------


def pick_option(options: list[ScaleOption], share: float) -> ScaleOption | None:
    """All in place → the top option; none → the lowest; partial → the middle option nearest
    the share (or the lowest when the scale has no middle option)."""
    if not options:
        return None
    ordered = sorted(options, key=lambda o: o.value)
    if share >= 1:
        return ordered[-1]
    middle = ordered[1:-1]
    if share <= 0 or not middle:
        return ordered[0]
    return min(middle, key=lambda o: abs(o.value - share * 100))


def component_figure(rollup: KabupatenRollup, component: str, item: str) -> tuple[float, str]:
    """The share (0–1) of ``item`` in place for ``component`` and the note explaining it."""
    years = and_list(rollup.years)
    what = {
        KelembagaanItem.Item.SK: _("SK berlaku"),
        KelembagaanItem.Item.RENCANA_KERJA: _("Rencana kerja disetujui %(years)s") % {"years": years},
        KelembagaanItem.Item.ANGGARAN: _("Anggaran %(years)s") % {"years": years},
        KelembagaanItem.Item.SEKRETARIAT: _("Sekretariat beralamat"),
    }[item]
    if component in (KelembagaanItem.Component.TIM_PEMBINA, KelembagaanItem.Component.FORUM_KABKOTA):
        status = rollup.tim_pembina if component == KelembagaanItem.Component.TIM_PEMBINA else rollup.forum
        if status is None:
            return 0.0, _("%(what)s: lembaga belum dibentuk di portal.") % {"what": what}
        share = status.share(item)
        if item in (KelembagaanItem.Item.RENCANA_KERJA, KelembagaanItem.Item.ANGGARAN):
            covered = status.plan_years if item == KelembagaanItem.Item.RENCANA_KERJA else status.budget_years
            done = len(covered & set(rollup.years))
            return share, _("%(what)s: %(done)s dari %(total)s tahun (%(body)s).") % {
                "what": what,
                "done": done,
                "total": len(rollup.years),
                "body": status.body,
            }
        return share, _("%(what)s: %(answer)s (%(body)s).") % {
            "what": what,
            "answer": _("ya") if share >= 1 else _("belum"),
            "body": status.body,
        }
    kind = Body.Kind.FORUM_KECAMATAN if component == KelembagaanItem.Component.FORUM_KECAMATAN else Body.Kind.POKJA_DESA
    count = rollup.count(kind, item)
    if rollup.usulan:
        noun = _("Forum Kecamatan usulan") if kind == Body.Kind.FORUM_KECAMATAN else _("Pokja usulan")
    else:
        noun = _("Forum Kecamatan") if kind == Body.Kind.FORUM_KECAMATAN else _("Pokja")
    share = count.done / count.total if count.total else 0.0
    return share, _("%(what)s: %(done)s dari %(total)s %(noun)s.") % {
        "what": what,
        "done": count.done,
        "total": count.total,
        "noun": noun,
    }


@transaction.atomic
def kelembagaan_fill_assessment(*, assessment, actor, today: datetime.date | None = None) -> int:
    """Score every kelembagaan item of ``assessment`` from the bodies' status, over the round's
    usulan when it has one (the proposed kecamatan and desa only); returns the number of entries
    changed (0 on a second run with nothing new). Only the kabupaten's Bappeda admin."""
    require_kabupaten_admin(actor, assessment.kabupaten_id)
    rollup = kabupaten_rollup(assessment.kabupaten, years=assessment.cycle.data_years, today=today)
    rollup = rollup.for_usulan(*usulan_of(assessment))
    entries = assessment.kelembagaan_entries.select_related("item").prefetch_related("item__scale_options")
    changes = []
    for entry in entries:
        share, note = component_figure(rollup, entry.item.component, entry.item.item)
        options = selectable_options(entry.item, entry.self_score_id)
        changes.append((entry, pick_option(options, share), note))
    return kelembagaan_entries_update(assessment=assessment, actor=actor, changes=changes)
