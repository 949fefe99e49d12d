"""Completeness of evidence: which activities, bodies and indicators are documented, and what is missing.

Definitions (one assessment fixes the data years, e.g. 2023 and 2024 for the 2025 award):

* A file **counts** when it is live: not removed and not replaced (``selectors.live``).
* An **activity is complete** when it has at least one live file of each kind of
  ``Activity.REQUIRED_KINDS``: undangan, daftar hadir, notulen and foto. Removed activities do not
  count anywhere. ``with_completeness`` annotates a queryset of activities (four correlated
  subqueries in the same query, so a list of activities costs nothing more);
  ``activity_missing_kinds`` names what one activity lacks.
* An activity belongs to the **data year** of its date. Only activities dated in the data years
  count for an assessment; others (last month's meeting in the award year) are not shown here.
* A **body is ready** when, for every data year, it has at least one complete activity in that
  year. What it lacks: each data year without a complete activity, and each incomplete activity
  with its missing kinds. (The kelembagaan status of SK, work plan, budget and secretariat is
  ``forums.kelembagaan``'s; readiness here is about documented activities.)
* A **kecamatan is ready** when its Forum Kecamatan Sehat is ready and every desa/kelurahan of it
  has a ready Pokja. A desa without a Pokja in the portal is listed as missing. The Tim Pembina
  Kecamatan is shown beside the forum but does not decide the kecamatan (its work is pembinaan).
* The **kabupaten figure** counts the community bodies the programme expects: the Forum
  Kabupaten/Kota Sehat, one Forum Kecamatan per kecamatan and one Pokja per desa/kelurahan;
  a body that is not set up counts as not ready. Activity totals cover every body, Tim Pembina
  included.
* A **requirement** (``tatanan.EvidenceRequirement``) is met for a data year when the assessment
  holds at least ``requirement.count`` live files for it and that year, counting distinct stored
  files: the same bytes attached twice count once. Which years a requirement asks is
  ``selectors.requirement_years`` (one year, each data year, or none: then files without year).
* An **indicator is complete** when every requirement of it is met for every year it asks. An
  indicator without any requirement has nothing to prove and counts as complete (shown as such,
  so that Bappeda can add requirements where the instrument's text gave none).
* **Per tatanan**: the share of the assessment's indicators of the tatanan whose evidence is
  complete. **Per OPD**: the same over the indicators assigned to the OPD, with the list of
  missing requirement × year; indicators assigned to no OPD form their own group.
* The kelembagaan items' own requirements (SK scans …) are Bappeda's and reported apart.

Queries: ``kabupaten_readiness`` costs three queries whatever the number of desa and activities
(the kecamatan and desa, the bodies, their rows of ``BodyYearReadiness``: one per body and data
year, kept current by ``evidence.rollups``), and reads no activity: a kabupaten of 10,000
activities costs what one of 100 does (docs/PERFORMANCE.md, "Readiness roll-ups").
``computed_kabupaten_readiness`` gives the same figures from the activities themselves (the
activities with their completeness and partner bodies: an activity held together with other bodies
counts for each of them); it is the rule the rows are kept by and checked against.
``assessment_readiness`` four (entries, requirements, file counts, kelembagaan requirements).
Everything else is Python.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from accounts.models import Opd
from forums.models import Body
from forums.selectors import activities_held_q
from indicators.models import Assessment, IndicatorEntry
from regions.models import Region
from tatanan.models import EvidenceRequirement, Tatanan

from .models import Activity, BodyYearReadiness, EvidenceFile
from .selectors import requirement_years

REQUIRED_KINDS: tuple[str, ...] = tuple(Activity.REQUIRED_KINDS)
KIND_LABELS = dict(EvidenceFile.Kind.choices)
# Kinds the kabupaten figure expects one body of per place.
COMMUNITY_KINDS = (Body.Kind.FORUM_KABKOTA, Body.Kind.FORUM_KECAMATAN, Body.Kind.POKJA_DESA)


def percent(done: int, total: int) -> Decimal | None:
    """``done`` of ``total`` in per cent with one decimal (None when there is nothing to count)."""
    if not total:
        return None
    return (Decimal(done) * 100 / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def kinds_text(kinds) -> str:
    """ "notulen, foto" in the UI's words."""
    return ", ".join(kind_label(kind).lower() for kind in kinds)


# --- Activities -----------------------------------------------------------------------------------


def _has_live_file_of_kind(kind: str) -> Coalesce:
    """Whether the activity of the outer query has a live file of ``kind``.

    A scalar subquery, ``(SELECT true … LIMIT 1)``, rather than ``EXISTS``: PostgreSQL may run an
    ``EXISTS`` in the select list as a hashed subplan, reading every live file of the kind in the
    country once for a page of 50 activities; a scalar subquery is only ever run per row, after the
    page's sort and limit, each run one probe of the partial index ``evidence_live_activity_kind``
    (docs/PERFORMANCE.md, "Fixed causes")."""
    found = (
        EvidenceFile.objects.filter(
            activity=OuterRef("pk"), kind=kind, deleted_at__isnull=True, replaced_by__isnull=True
        )
        .order_by()
        .values(found=Value(True))[:1]
    )
    return Coalesce(Subquery(found, output_field=BooleanField()), Value(False))


def complete_q() -> Q:
    """The condition "complete" for filtering activities: an ``EXISTS`` per required kind in the
    ``WHERE`` clause, which PostgreSQL turns into semi-joins (probing the partial index for a
    kabupaten's activities, hashing for the country's). Gives the rows of
    ``with_completeness(…).filter(is_complete=True)``, without the per-row subqueries."""
    return Q(
        *(
            Exists(
                EvidenceFile.objects.filter(
                    activity=OuterRef("pk"), kind=kind, deleted_at__isnull=True, replaced_by__isnull=True
                )
            )
            for kind in REQUIRED_KINDS
        )
    )


def with_completeness(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """``activities`` annotated with ``has_<kind>`` for each required kind and ``is_complete``;
    both can be filtered on (``.filter(is_complete=False)``)."""
    annotations = {f"has_{kind}": _has_live_file_of_kind(kind) for kind in REQUIRED_KINDS}
    complete = Q()
    for kind in REQUIRED_KINDS:
        complete &= Q(**{f"has_{kind}": True})
    return activities.annotate(**annotations).annotate(
        is_complete=ExpressionWrapper(complete, output_field=BooleanField())
    )


def activity_kind_counts(activity: Activity) -> dict[str, int]:
    """Live files of each required kind of one activity (one query)."""
    counts = dict(
        EvidenceFile.objects.filter(
            activity=activity, kind__in=REQUIRED_KINDS, deleted_at__isnull=True, replaced_by__isnull=True
        )
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {kind: counts.get(kind, 0) for kind in REQUIRED_KINDS}


def activity_missing_kinds(activity: Activity) -> list[str]:
    """The required kinds ``activity`` has no live file of, in the order of ``REQUIRED_KINDS``.

    Uses the annotations of ``with_completeness`` when present, else asks the database once."""
    if all(hasattr(activity, f"has_{kind}") for kind in REQUIRED_KINDS):
        return [kind for kind in REQUIRED_KINDS if not getattr(activity, f"has_{kind}")]
    counts = activity_kind_counts(activity)
    return [kind for kind in REQUIRED_KINDS if not counts[kind]]


def activity_is_complete(activity: Activity) -> bool:
    return not activity_missing_kinds(activity)


@dataclass(frozen=True)
class ActivityState:
    """What the roll-ups keep of one activity."""

    pk: int
    body_id: int
    title: str
    date: datetime.date
    missing_kinds: tuple[str, ...]
    # The bodies that held it together with ``body_id`` (``Activity.partner_bodies``): it counts for them too.
    partner_ids: tuple[int, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.missing_kinds

    @property
    def missing_text(self) -> str:
        return kinds_text(self.missing_kinds)


def activity_states(activities: QuerySet[Activity]) -> list[ActivityState]:
    """One query: the activities (not removed) with the kinds each lacks and their partner bodies
    (joined: one row per partner, gathered here)."""
    fields = ["pk", "body_id", "title", "date", "partner_bodies", *(f"has_{kind}" for kind in REQUIRED_KINDS)]
    rows = with_completeness(activities.filter(deleted_at__isnull=True)).order_by("date", "pk").values(*fields)
    states: dict[int, ActivityState] = {}
    partners: dict[int, set[int]] = {}
    for row in rows:
        if row["pk"] not in states:
            states[row["pk"]] = ActivityState(
                pk=row["pk"],
                body_id=row["body_id"],
                title=row["title"],
                date=row["date"],
                missing_kinds=tuple(kind for kind in REQUIRED_KINDS if not row[f"has_{kind}"]),
            )
            partners[row["pk"]] = set()
        if row["partner_bodies"] is not None:
            partners[row["pk"]].add(row["partner_bodies"])
    return [replace(state, partner_ids=tuple(sorted(partners[pk]))) for pk, state in states.items()]


# --- Bodies ---------------------------------------------------------------------------------------


@dataclass
class YearCount:
    year: int
    total: int = 0
    complete: int = 0

    @property
    def ready(self) -> bool:
        return self.complete > 0


class _BodyFigures:
    """What a body's readiness says, from ``per_year`` and ``incomplete``: shared by the computed
    (``BodyReadiness``) and the stored (``StoredBodyReadiness``) way."""

    years: list[int]

    @property
    def per_year(self) -> list[YearCount]:
        raise NotImplementedError

    @property
    def incomplete(self) -> list[ActivityState]:
        raise NotImplementedError

    @property
    def missing_years(self) -> list[int]:
        return [count.year for count in self.per_year if not count.ready]

    @property
    def ready(self) -> bool:
        return bool(self.years) and not self.missing_years

    @property
    def missing(self) -> list[str]:
        """What the body lacks, in plain words for its secretary and for Bappeda."""
        texts = [
            _("Belum ada kegiatan yang buktinya lengkap pada tahun %(year)s.") % {"year": year}
            for year in self.missing_years
        ]
        texts += [
            _("%(title)s (%(date)s): belum ada %(kinds)s.")
            % {"title": a.title, "date": a.date.strftime("%d-%m-%Y"), "kinds": a.missing_text}
            for a in self.incomplete
        ]
        return texts


@dataclass
class BodyReadiness(_BodyFigures):
    """The documented activities of one body in the data years, computed from the activities."""

    body: Body
    years: list[int]
    activities: list[ActivityState] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.activities)

    @property
    def complete(self) -> int:
        return sum(1 for a in self.activities if a.complete)

    @property
    def per_year(self) -> list[YearCount]:
        counts = {year: YearCount(year) for year in self.years}
        for activity in self.activities:
            count = counts.get(activity.date.year)
            if count is not None:
                count.total += 1
                count.complete += int(activity.complete)
        return list(counts.values())

    @property
    def incomplete(self) -> list[ActivityState]:
        return [a for a in self.activities if not a.complete]


class ListsNotRead(LookupError):
    """A stored readiness was read without the lists of incomplete activities (``lists=``)."""


@dataclass
class StoredBodyReadiness(_BodyFigures):
    """The same figures read from the body's ``BodyYearReadiness`` rows (no activity read).
    ``stored_incomplete`` is ``None`` when the caller did not ask for the lists."""

    body: Body
    years: list[int]
    counts: dict[int, YearCount] = field(default_factory=dict)
    stored_incomplete: list[ActivityState] | None = None

    @property
    def per_year(self) -> list[YearCount]:
        return [self.counts.get(year) or YearCount(year) for year in dict.fromkeys(self.years)]

    @property
    def total(self) -> int:
        return sum(count.total for count in self.per_year)

    @property
    def complete(self) -> int:
        return sum(count.complete for count in self.per_year)

    @property
    def incomplete(self) -> list[ActivityState]:
        if self.stored_incomplete is None:
            raise ListsNotRead(f"readiness of body {self.body.pk} read without its lists")
        return self.stored_incomplete


def body_readiness(bodies: QuerySet[Body], *, years: list[int]) -> list[BodyReadiness]:
    """The readiness of every body of ``bodies``: two queries whatever their number. An activity
    held together with other bodies counts for each of them."""
    states = {b.pk: BodyReadiness(body=b, years=list(years)) for b in bodies.select_related("region")}
    if states and years:
        activities = Activity.objects.filter(
            activities_held_q(list(states)),
            date__gte=datetime.date(min(years), 1, 1),
            date__lte=datetime.date(max(years), 12, 31),
        )
        for activity in activity_states(activities):
            if activity.date.year not in years:
                continue
            for body_id in {activity.body_id, *activity.partner_ids}:
                if body_id in states:
                    states[body_id].activities.append(activity)
    return list(states.values())


def body_readiness_of(body: Body, *, years: list[int]) -> BodyReadiness:
    return body_readiness(Body.objects.filter(pk=body.pk), years=years)[0]


def stored_body_readiness_of(body: Body, *, years: list[int]) -> StoredBodyReadiness:
    """One body's readiness with its list of incomplete activities, from its rows."""
    return stored_body_readiness(Body.objects.filter(pk=body.pk), years=years, listed=lambda _body: True)[0]


# Which bodies' lists of incomplete activities ``kabupaten_readiness`` reads from the rows: every
# body's (the kecamatan page and API), every body's but the Pokja's (the assessment's readiness
# API, which shows the Forum and Tim Pembina of each kecamatan), the kabupaten/kota's own bodies'
# (its readiness page), none (the figures of a dashboard).
ALL_LISTS, ABOVE_DESA_LISTS, KABUPATEN_LISTS, NO_LISTS = "all", "above_desa", "kabupaten", "none"


def _incomplete_of(rows: list[dict]) -> list[ActivityState]:
    states = [
        ActivityState(
            pk=item["id"],
            body_id=item["body"],
            title=item["title"],
            date=datetime.date.fromisoformat(item["date"]),
            missing_kinds=tuple(item["missing"]),
        )
        for row in rows
        for item in row
    ]
    return sorted(states, key=lambda a: (a.date, a.pk))


def stored_body_readiness(
    bodies: QuerySet[Body], *, years: list[int], listed: Callable[[Body], bool] | None = None
) -> list[StoredBodyReadiness]:
    """The readiness of every body of ``bodies`` from their rows: two queries whatever the number
    of bodies and activities. The lists of incomplete activities are read for the bodies ``listed``
    says yes to (``None``: for none)."""
    states = {b.pk: StoredBodyReadiness(body=b, years=list(years)) for b in bodies.select_related("region")}
    chosen = {pk for pk, state in states.items() if listed is not None and listed(state.body)}
    incomplete = defaultdict(list)
    if states and years:
        fields = ["body_id", "year", "total", "complete"]
        rows = BodyYearReadiness.objects.filter(body__in=bodies.values("pk"), year__in=list(years)).order_by()
        if chosen:
            # The JSON of the chosen bodies only: a Pokja's list stays in its row on the kabupaten page.
            every = len(chosen) == len(states)
            rows = rows.annotate(
                listed=F("incomplete")
                if every
                else Case(When(body_id__in=chosen, then=F("incomplete")), default=Value(None), output_field=JSONField())
            )
            fields.append("listed")
        for row in rows.values(*fields):
            states[row["body_id"]].counts[row["year"]] = YearCount(row["year"], row["total"], row["complete"])
            if row.get("listed"):
                incomplete[row["body_id"]].append(row["listed"])
    for pk in chosen:
        states[pk].stored_incomplete = _incomplete_of(incomplete[pk])
    return list(states.values())


@dataclass
class DesaReadiness:
    region: Region
    pokja: _BodyFigures | None

    @property
    def ready(self) -> bool:
        return self.pokja is not None and self.pokja.ready

    @property
    def missing(self) -> list[str]:
        if self.pokja is None:
            return [_("Pokja belum dibentuk di portal.")]
        return self.pokja.missing


@dataclass
class Tally:
    """``done`` of ``total`` (bodies ready, activities complete)."""

    done: int = 0
    total: int = 0

    @property
    def percent(self) -> Decimal | None:
        return percent(self.done, self.total)

    @property
    def complete(self) -> bool:
        return self.done >= self.total

    def add(self, done: bool | int, total: int = 1) -> None:
        self.done += int(done)
        self.total += total

    def __str__(self):
        return f"{self.done}/{self.total}"


@dataclass
class KecamatanReadiness:
    region: Region
    forum: _BodyFigures | None
    tim_pembina: _BodyFigures | None
    desa: list[DesaReadiness]

    @property
    def pokja(self) -> Tally:
        """Desa with a ready Pokja, of all desa of the kecamatan."""
        tally = Tally()
        for desa in self.desa:
            tally.add(desa.ready)
        return tally

    @property
    def forum_ready(self) -> bool:
        return self.forum is not None and self.forum.ready

    @property
    def ready(self) -> bool:
        return self.forum_ready and self.pokja.complete

    @property
    def bodies(self) -> list[_BodyFigures]:
        present = [self.forum, self.tim_pembina, *(d.pokja for d in self.desa)]
        return [b for b in present if b is not None]

    @property
    def activities(self) -> Tally:
        tally = Tally()
        for body in self.bodies:
            tally.add(body.complete, body.total)
        return tally

    @property
    def missing(self) -> list[str]:
        """The short list for the kabupaten table: the forum's state and the desa lacking."""
        texts = []
        if self.forum is None:
            texts.append(_("Forum Kecamatan belum dibentuk di portal."))
        elif not self.forum.ready:
            years = ", ".join(str(y) for y in self.forum.missing_years)
            texts.append(_("Forum Kecamatan: belum ada kegiatan lengkap tahun %(years)s.") % {"years": years})
        lacking = [d.region.name for d in self.desa if not d.ready]
        if lacking:
            texts.append(_("Pokja belum siap: %(desa)s.") % {"desa": ", ".join(lacking)})
        return texts


@dataclass
class KabupatenReadiness:
    kabupaten: Region
    years: list[int]
    tim_pembina: _BodyFigures | None
    forum: _BodyFigures | None
    kecamatan: list[KecamatanReadiness]

    @property
    def bodies(self) -> Tally:
        """Community bodies ready, of those the programme expects (see the module docstring)."""
        tally = Tally()
        tally.add(self.forum is not None and self.forum.ready)
        for row in self.kecamatan:
            tally.add(row.forum_ready)
            pokja = row.pokja
            tally.add(pokja.done, pokja.total)
        return tally

    @property
    def forums_kecamatan(self) -> Tally:
        tally = Tally()
        for row in self.kecamatan:
            tally.add(row.forum_ready)
        return tally

    @property
    def pokja(self) -> Tally:
        tally = Tally()
        for row in self.kecamatan:
            pokja = row.pokja
            tally.add(pokja.done, pokja.total)
        return tally

    @property
    def activities(self) -> Tally:
        tally = Tally()
        for body in (self.tim_pembina, self.forum):
            if body is not None:
                tally.add(body.complete, body.total)
        for row in self.kecamatan:
            counted = row.activities
            tally.add(counted.done, counted.total)
        return tally

    @property
    def kecamatan_ready(self) -> Tally:
        tally = Tally()
        for row in self.kecamatan:
            tally.add(row.ready)
        return tally

    @property
    def missing(self) -> list[str]:
        texts = []
        # "Forum Kota Sehat" for a kota (docs/GLOSSARY.md, "One region, its own words").
        forum = Body.kind_label_in(Body.Kind.FORUM_KABKOTA, self.kabupaten)
        if self.forum is None:
            texts.append(_("%(body)s belum dibentuk di portal.") % {"body": forum})
        elif not self.forum.ready:
            texts += [_("%(body)s: %(text)s") % {"body": forum, "text": text} for text in self.forum.missing]
        for row in self.kecamatan:
            if not row.ready:
                texts.append(
                    _("Kecamatan %(name)s: %(what)s") % {"name": row.region.name, "what": " ".join(row.missing)}
                )
        return texts

    def row(self, code: str) -> KecamatanReadiness | None:
        return next((r for r in self.kecamatan if r.region.code == code), None)


def _inside(code: str, field: str = "code") -> Q:
    return Q(**{field: code}) | Q(**{f"{field}__startswith": code + "."})


def _rollup(
    kabupaten: Region, *, years: list[int], kecamatan_code: str | None, states_of: Callable
) -> KabupatenReadiness:
    """Bodies of ``kabupaten`` (or of one kecamatan of it) rolled up Pokja → Forum Kecamatan →
    kabupaten; ``states_of(bodies)`` gives each body's readiness (computed or stored)."""
    area = kecamatan_code or kabupaten.code
    place = Q(code__startswith=area + ".") | (Q(code=kecamatan_code) if kecamatan_code else Q(pk__in=[]))
    regions = list(
        Region.objects.filter(place, level__in=(Region.Level.KECAMATAN, Region.Level.DESA))
        .only("code", "name", "kind", "level", "parent_id")
        .order_by("name", "code")
    )
    states = states_of(Body.objects.filter(_inside(area, "region__code")))
    by_place = {(s.body.region_id, s.body.kind): s for s in states}
    desa_of = defaultdict(list)
    for region in regions:
        if region.level == Region.Level.DESA:
            desa_of[region.parent_id].append(
                DesaReadiness(region=region, pokja=by_place.get((region.code, Body.Kind.POKJA_DESA)))
            )
    rows = [
        KecamatanReadiness(
            region=region,
            forum=by_place.get((region.code, Body.Kind.FORUM_KECAMATAN)),
            tim_pembina=by_place.get((region.code, Body.Kind.TIM_PEMBINA_KECAMATAN)),
            desa=desa_of[region.code],
        )
        for region in regions
        if region.level == Region.Level.KECAMATAN
    ]
    return KabupatenReadiness(
        kabupaten=kabupaten,
        years=list(years),
        tim_pembina=None if kecamatan_code else by_place.get((kabupaten.code, Body.Kind.TIM_PEMBINA_KABKOTA)),
        forum=None if kecamatan_code else by_place.get((kabupaten.code, Body.Kind.FORUM_KABKOTA)),
        kecamatan=rows,
    )


def kabupaten_readiness(
    kabupaten: Region, *, years: list[int], kecamatan_code: str | None = None, lists: str = ALL_LISTS
) -> KabupatenReadiness:
    """The roll-up read from the bodies' ``BodyYearReadiness`` rows: three queries whatever the
    number of desa, bodies and activities, and no activity read. ``lists`` says whose lists of
    incomplete activities (``BodyReadiness.incomplete`` and ``missing``) are read: ``ALL_LISTS``,
    ``ABOVE_DESA_LISTS`` (all but the Pokja's), ``KABUPATEN_LISTS`` (the Forum and Tim Pembina of
    the kabupaten/kota itself) or ``NO_LISTS``;
    asking a body for a list not read raises ``ListsNotRead``."""
    listed = {
        ALL_LISTS: lambda body: True,
        ABOVE_DESA_LISTS: lambda body: body.kind != Body.Kind.POKJA_DESA,
        KABUPATEN_LISTS: lambda body: body.region_id == kabupaten.code,
        NO_LISTS: None,
    }[lists]
    return _rollup(
        kabupaten,
        years=years,
        kecamatan_code=kecamatan_code,
        states_of=lambda bodies: stored_body_readiness(bodies, years=years, listed=listed),
    )


def computed_kabupaten_readiness(
    kabupaten: Region, *, years: list[int], kecamatan_code: str | None = None
) -> KabupatenReadiness:
    """The same roll-up computed from the activities (three queries, the last reading every
    activity of the area with its four checks): the rule ``evidence.rollups`` keeps the rows by,
    and what the tests compare the stored roll-up with."""
    return _rollup(
        kabupaten,
        years=years,
        kecamatan_code=kecamatan_code,
        states_of=lambda bodies: body_readiness(bodies, years=years),
    )


# --- Indicators -----------------------------------------------------------------------------------


@dataclass
class RequirementYear:
    """One requirement for one data year (``None``: not bound to a year)."""

    requirement: EvidenceRequirement
    year: int | None
    have: int

    @property
    def need(self) -> int:
        return self.requirement.count

    @property
    def met(self) -> bool:
        return self.have >= self.need

    @property
    def year_label(self) -> str:
        return str(self.year) if self.year is not None else _("tanpa tahun")

    @property
    def missing_text(self) -> str:
        return _("%(requirement)s (%(year)s): %(have)s dari %(need)s berkas.") % {
            "requirement": self.requirement.description[:120],
            "year": self.year_label,
            "have": self.have,
            "need": self.need,
        }


@dataclass
class RequirementReadiness:
    requirement: EvidenceRequirement
    years: list[RequirementYear]

    @property
    def complete(self) -> bool:
        return all(y.met for y in self.years)


@dataclass
class IndicatorReadiness:
    entry: IndicatorEntry
    requirements: list[RequirementReadiness]

    @property
    def indicator(self):
        return self.entry.indicator

    @property
    def complete(self) -> bool:
        return all(r.complete for r in self.requirements)

    @property
    def has_requirements(self) -> bool:
        return bool(self.requirements)

    @property
    def cells(self) -> list[RequirementYear]:
        return [year for r in self.requirements for year in r.years]

    @property
    def missing(self) -> list[RequirementYear]:
        return [cell for cell in self.cells if not cell.met]

    @property
    def cells_met(self) -> Tally:
        cells = self.cells
        return Tally(sum(1 for c in cells if c.met), len(cells))


@dataclass
class Group:
    """Indicators of one tatanan or one OPD."""

    key: str
    label: str
    indicators: list[IndicatorReadiness] = field(default_factory=list)
    tatanan: Tatanan | None = None
    opd: Opd | None = None

    @property
    def tally(self) -> Tally:
        return Tally(sum(1 for i in self.indicators if i.complete), len(self.indicators))

    @property
    def incomplete(self) -> list[IndicatorReadiness]:
        return [i for i in self.indicators if not i.complete]


@dataclass
class AssessmentReadiness:
    assessment: Assessment
    indicators: list[IndicatorReadiness]
    kelembagaan: list[RequirementReadiness]

    @property
    def tally(self) -> Tally:
        return Tally(sum(1 for i in self.indicators if i.complete), len(self.indicators))

    @property
    def per_tatanan(self) -> list[Group]:
        groups: dict[int, Group] = {}
        for item in self.indicators:
            tatanan = item.indicator.tatanan
            if tatanan.pk not in groups:
                groups[tatanan.pk] = Group(key=tatanan.code, label=f"{tatanan.code} – {tatanan.name}", tatanan=tatanan)
            groups[tatanan.pk].indicators.append(item)
        return sorted(groups.values(), key=lambda g: (g.tatanan.number, g.key))

    @property
    def per_opd(self) -> list[Group]:
        groups: dict[int | None, Group] = {}
        for item in self.indicators:
            opd = item.entry.assigned_opd
            key = opd.pk if opd is not None else None
            if key not in groups:
                label = f"{opd.short_name} – {opd.name}" if opd is not None else _("Belum ditugaskan ke OPD")
                groups[key] = Group(key=str(key or ""), label=label, opd=opd)
            groups[key].indicators.append(item)
        # OPDs by name, then the unassigned ones last.
        return sorted(groups.values(), key=lambda g: (g.opd is None, g.opd.short_name if g.opd else ""))

    @property
    def kelembagaan_tally(self) -> Tally:
        return Tally(sum(1 for r in self.kelembagaan if r.complete), len(self.kelembagaan))


def requirement_file_counts(assessment: Assessment, requirement_ids=None) -> dict[tuple[int, int | None], int]:
    """(requirement id, data year) → distinct live files of the assessment: one query."""
    files = EvidenceFile.objects.filter(
        assessment=assessment, requirement__isnull=False, deleted_at__isnull=True, replaced_by__isnull=True
    )
    if requirement_ids is not None:
        files = files.filter(requirement_id__in=list(requirement_ids))
    rows = files.values_list("requirement_id", "data_year").annotate(n=Count("blob_id", distinct=True)).order_by()
    return {(requirement_id, year): n for requirement_id, year, n in rows}


def _requirement_readiness(requirement, assessment, counts) -> RequirementReadiness:
    return RequirementReadiness(
        requirement=requirement,
        years=[
            RequirementYear(requirement=requirement, year=year, have=counts.get((requirement.pk, year), 0))
            for year in requirement_years(requirement, assessment)
        ],
    )


def assessment_readiness(
    assessment: Assessment,
    *,
    opd_ids: set[int] | None = None,
    entry_ids: list[int] | None = None,
    with_kelembagaan: bool = True,
) -> AssessmentReadiness:
    """The evidence of ``assessment``'s indicators (only those assigned to ``opd_ids`` when given,
    only ``entry_ids`` when given) and of its kelembagaan items. Four queries."""
    entries = assessment.indicator_entries.select_related("indicator__tatanan", "assigned_opd").order_by(
        "indicator__tatanan__number", "indicator__order", "indicator_id"
    )
    if opd_ids is not None:
        entries = entries.filter(assigned_opd_id__in=opd_ids)
    if entry_ids is not None:
        entries = entries.filter(pk__in=entry_ids)
    entries = list(entries)
    requirements = defaultdict(list)
    indicator_ids = [e.indicator_id for e in entries]
    for requirement in EvidenceRequirement.objects.filter(indicator_id__in=indicator_ids).order_by(
        "order", "data_year", "id"
    ):
        requirements[requirement.indicator_id].append(requirement)
    kelembagaan = []
    if with_kelembagaan and opd_ids is None and entry_ids is None:
        kelembagaan = list(
            EvidenceRequirement.objects.filter(kelembagaan_item__cycle_id=assessment.cycle_id)
            .select_related("kelembagaan_item")
            .order_by("kelembagaan_item__order", "order", "id")
        )
    ids = [r.pk for rs in requirements.values() for r in rs] + [r.pk for r in kelembagaan]
    counts = requirement_file_counts(assessment, ids) if ids else {}
    return AssessmentReadiness(
        assessment=assessment,
        indicators=[
            IndicatorReadiness(
                entry=entry,
                requirements=[_requirement_readiness(r, assessment, counts) for r in requirements[entry.indicator_id]],
            )
            for entry in entries
        ],
        kelembagaan=[_requirement_readiness(r, assessment, counts) for r in kelembagaan],
    )


def indicator_readiness(entry: IndicatorEntry) -> IndicatorReadiness:
    """One indicator of an assessment (three queries)."""
    return assessment_readiness(entry.assessment, entry_ids=[entry.pk]).indicators[0]
