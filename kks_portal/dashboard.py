"""What the landing page shows each role.

One card per role assignment (plus one for the superuser), built from selectors and real
counts only; later apps (tatanan, forums, evidence, dossiers) add their figures here, since
this module sits above them all. Queries stay few: the user's roles are loaded once, the names
of every region the cards mention in one query, and each card adds one or two counts.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from accounts.models import Opd, Role, RoleAssignment
from accounts.selectors import region_label, role_assignments_of, users_manageable_by
from evidence.completeness import assessment_readiness, kabupaten_readiness
from indicators.models import Assessment, IndicatorEntry
from indicators.requests.selectors import open_assessments_q
from regions.models import Region

# The roles a Bappeda admin hands out inside the kabupaten, in the order the card lists them.
KABUPATEN_ROLES = [Role.BAPPEDA_ADMIN, Role.OPD_OPERATOR, Role.SECRETARY]


@dataclass
class Stat:
    label: str
    value: int | str
    url: str = ""


@dataclass
class Card:
    role: str
    title: str
    body: str = ""  # the body the person serves: "Forum Kecamatan Sehat Carenang"
    subtitle: str = ""  # where: the region and the regions above it
    stats: list[Stat] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)


def _below(code: str) -> Q:
    return Q(code__startswith=code + ".")


def _counts_below(region: Region) -> dict[str, int]:
    """Kabupaten/kota, kecamatan and desa/kelurahan inside ``region``, in one query."""
    levels = Region.Level
    return Region.objects.filter(_below(region.code)).aggregate(
        kabkota=Count("code", filter=Q(level=levels.KABKOTA)),
        kecamatan=Count("code", filter=Q(level=levels.KECAMATAN)),
        desa=Count("code", filter=Q(level=levels.DESA)),
    )


def _region_stats(region: Region, counts: dict[str, int]) -> list[Stat]:
    stats = []
    if region.level < Region.Level.KABKOTA:
        stats.append(Stat(_("Kabupaten/kota"), counts["kabkota"]))
    if region.level < Region.Level.KECAMATAN:
        stats.append(Stat(_("Kecamatan"), counts["kecamatan"]))
    if region.level < Region.Level.DESA:
        stats.append(Stat(_("Desa/kelurahan"), counts["desa"]))
    return stats


def _short_name(region: Region) -> str:
    """ "Serang" for "Kabupaten Serang": the body's name says kabupaten or kota itself."""
    for prefix in ("Kabupaten ", "Kota "):
        if region.name.startswith(prefix):
            return region.name[len(prefix) :]
    return region.name


def body_name(region: Region) -> str:
    """The community body a secretary of ``region`` serves."""
    name = _short_name(region)
    if region.kind == Region.Kind.KOTA:
        return _("Forum Kota Sehat %(name)s") % {"name": name}
    if region.level == Region.Level.KABKOTA:
        return _("Forum Kabupaten Sehat %(name)s") % {"name": name}
    if region.level == Region.Level.KECAMATAN:
        return _("Forum Kecamatan Sehat %(name)s") % {"name": name}
    if region.kind == Region.Kind.KELURAHAN:
        return _("Pokja Kelurahan Sehat %(name)s") % {"name": name}
    return _("Pokja Desa Sehat %(name)s") % {"name": name}


def _place(region: Region, names: dict[str, Region]) -> str:
    """ "Kecamatan Carenang · Kabupaten Serang · Provinsi Banten"."""
    parts = []
    for code in reversed(region.ancestor_codes):
        known = names.get(code) or (region if code == region.code else None)
        if known is not None:
            parts.append(region_label(name=known.name, kind=known.kind))
    return " · ".join(parts)


def _user_list_url(**params) -> str:
    return reverse("accounts:user_list") + ("?" + urlencode(params) if params else "")


def _bappeda_card(card: Card, region: Region) -> None:
    counts = _counts_below(region)
    card.stats = _region_stats(region, counts)
    opd_count = Opd.objects.filter(kabupaten=region).count()
    card.stats.append(Stat(_("OPD"), opd_count, reverse("accounts:opd_list")))
    per_role = dict(
        RoleAssignment.objects.filter(Q(region_id=region.code) | Q(region__code__startswith=region.code + "."))
        .values_list("role")
        .annotate(people=Count("user", distinct=True))
    )
    for role in KABUPATEN_ROLES:
        card.stats.append(
            Stat(_("Pengguna: %(role)s") % {"role": role.label}, per_role.get(role, 0), _user_list_url(role=role))
        )
    card.links = [
        (_("Tambah pengguna"), reverse("accounts:user_create")),
        (_("Kelola pengguna"), reverse("accounts:user_list")),
        (_("Kelola OPD"), reverse("accounts:opd_list")),
        (_("Lihat wilayah"), reverse("regions:detail", args=[region.code])),
    ]
    _assessment_links(card, region)
    if not opd_count:
        card.next_steps.append(
            _("Daftarkan OPD kabupaten/kota Anda (Dinkes, DLH, PUPR, …) agar operatornya dapat diberi akun.")
        )
    if not per_role.get(Role.OPD_OPERATOR):
        card.next_steps.append(_("Buat akun operator untuk setiap OPD yang memegang data indikator."))
    if not per_role.get(Role.SECRETARY):
        card.next_steps.append(
            _(
                "Buat akun sekretaris untuk Forum Kabupaten/Kota Sehat, Forum Kecamatan Sehat dan Pokja Desa/Kelurahan Sehat."
            )
        )


def _assessment_links(card: Card, region: Region) -> None:
    """The readiness dashboard and the data requests of the kabupaten's open assessments, with
    their evidence readiness (a handful of queries each: ``evidence.completeness``)."""
    for assessment in Assessment.objects.filter(open_assessments_q(), kabupaten=region).select_related("cycle"):
        year = assessment.cycle.award_year
        assessment.kabupaten = region
        card.links.append(
            (
                _("Dasbor penilaian %(year)s") % {"year": year},
                reverse("indicators:assessment_dashboard", args=[assessment.pk]),
            )
        )
        card.links.append(
            (
                _("Permintaan data %(year)s") % {"year": year},
                reverse("indicators:request_outstanding", args=[assessment.pk]),
            )
        )
        _evidence_stats(card, assessment)


def _evidence_stats(card: Card, assessment: Assessment, *, opd: Opd | None = None) -> None:
    """How much of the assessment's evidence is in place: the community bodies ready (for
    Bappeda) and the indicators whose evidence is complete (an OPD's own, for its operator)."""
    year = assessment.cycle.award_year
    url = reverse("evidence:readiness", args=[assessment.pk])
    if opd is None:
        bodies = kabupaten_readiness(assessment.kabupaten, years=assessment.cycle.data_years).bodies
        card.stats.append(Stat(_("Lembaga siap (bukti kegiatan) %(year)s") % {"year": year}, str(bodies), url))
        card.links.append((_("Kesiapan bukti %(year)s") % {"year": year}, url))
    evidence = assessment_readiness(
        assessment, opd_ids={opd.pk} if opd is not None else None, with_kelembagaan=False
    ).tally
    if opd is not None and not evidence.total:
        return
    card.stats.append(
        Stat(
            _("Indikator dengan bukti lengkap %(year)s") % {"year": year},
            str(evidence),
            reverse("evidence:assessment_evidence", args=[assessment.pk]) if opd is not None else url,
        )
    )
    if opd is not None:
        card.links.append(
            (_("Bukti dukung %(year)s") % {"year": year}, reverse("evidence:assessment_evidence", args=[assessment.pk]))
        )


def _opd_todo(card: Card, assignment: RoleAssignment) -> None:
    """What the OPD still owes Bappeda in open assessments, with the way to the to-do list.

    The count appears once the OPD has been asked for something."""
    counts = IndicatorEntry.objects.filter(open_assessments_q("assessment__"), assigned_opd=assignment.opd).aggregate(
        assigned=Count("pk"), pending=Count("pk", filter=~Q(status=IndicatorEntry.Status.SELESAI))
    )
    if counts["assigned"]:
        card.stats.append(Stat(_("Indikator belum selesai"), counts["pending"], reverse("indicators:todo")))
    card.links.append((_("Daftar tugas"), reverse("indicators:todo")))


def _opd_card(card: Card, assignment: RoleAssignment, names: dict[str, Region]) -> None:
    opd, region = assignment.opd, assignment.region
    if opd is None:
        return
    card.body = opd.name
    card.subtitle = _place(region, names)
    colleagues = RoleAssignment.objects.filter(role=Role.OPD_OPERATOR, opd=opd).values("user").distinct().count()
    card.stats = [Stat(_("Singkatan"), opd.short_name), Stat(_("Operator di OPD ini"), colleagues)]
    _opd_todo(card, assignment)
    for assessment in Assessment.objects.filter(open_assessments_q(), kabupaten_id=opd.kabupaten_id).select_related(
        "cycle", "kabupaten"
    ):
        _evidence_stats(card, assessment, opd=opd)


def _secretary_card(card: Card, region: Region, names: dict[str, Region]) -> None:
    card.body = body_name(region)
    card.subtitle = _place(region, names)
    if region.level < Region.Level.DESA:
        card.stats = _region_stats(region, _counts_below(region))
    if region.level == Region.Level.KECAMATAN:
        with_pokja = (
            RoleAssignment.objects.filter(role=Role.SECRETARY, region__code__startswith=region.code + ".")
            .values("region")
            .distinct()
            .count()
        )
        card.stats.append(Stat(_("Desa/kelurahan dengan sekretaris Pokja di portal"), with_pokja))
        _kecamatan_readiness(card, region)
    card.next_steps.append(
        _("Siapkan SK, data sekretariat, anggota, rencana kerja dan bukti kegiatan %(body)s untuk diunggah.")
        % {"body": card.body}
    )
    with contextlib.suppress(NoReverseMatch):  # until the forums pages are routed
        card.links.insert(0, (_("Beranda lembaga saya"), reverse("forums:secretary_home")))


def _kecamatan_readiness(card: Card, kecamatan: Region) -> None:
    """The kecamatan's documented activities for its kabupaten's open assessments: the Pokja
    ready, and the way to the desa-by-desa page."""
    for assessment in Assessment.objects.filter(open_assessments_q(), kabupaten_id=kecamatan.parent_id).select_related(
        "cycle", "kabupaten"
    ):
        year = assessment.cycle.award_year
        url = reverse("evidence:readiness_kecamatan", args=[assessment.pk, kecamatan.code])
        rollup = kabupaten_readiness(
            assessment.kabupaten, years=assessment.cycle.data_years, kecamatan_code=kecamatan.code
        )
        card.stats.append(Stat(_("Pokja siap (bukti kegiatan) %(year)s") % {"year": year}, str(rollup.pokja), url))
        card.links.append((_("Kesiapan bukti kecamatan %(year)s") % {"year": year}, url))


def _province_card(card: Card, region: Region) -> None:
    card.subtitle = region_label(name=region.name, kind=region.kind)
    card.stats = _region_stats(region, _counts_below(region))
    with_admin = (
        RoleAssignment.objects.filter(role=Role.BAPPEDA_ADMIN, region__code__startswith=region.code + ".")
        .values("region")
        .distinct()
        .count()
    )
    card.stats.append(Stat(_("Kabupaten/kota dengan admin Bappeda di portal"), with_admin))
    card.links.append((_("Antrean verifikasi dossier"), reverse("dossiers:queue")))
    card.next_steps.append(
        _("Dokumen penilaian yang diajukan kabupaten/kota di provinsi Anda muncul di antrean verifikasi.")
    )


def _national_counts() -> list[Stat]:
    counts = Region.objects.filter(level__lte=Region.Level.KABKOTA).aggregate(
        provinsi=Count("code", filter=Q(level=Region.Level.PROVINSI)),
        kabkota=Count("code", filter=Q(level=Region.Level.KABKOTA)),
    )
    return [Stat(_("Provinsi"), counts["provinsi"]), Stat(_("Kabupaten/kota"), counts["kabkota"])]


def _region_names(assignments: list[RoleAssignment]) -> dict[str, Region]:
    """Every region above the cards' regions, in one query."""
    codes = {code for a in assignments if a.region for code in a.region.ancestor_codes}
    return {r.code: r for r in Region.objects.filter(code__in=codes).only("code", "name", "kind", "level")}


def cards_for(user) -> list[Card]:
    cards: list[Card] = []
    assignments = role_assignments_of(user)
    if user.is_superuser:
        cards.append(
            Card(
                role="superuser",
                title=_("Superuser"),
                subtitle=_("Seluruh Indonesia"),
                stats=[
                    Stat(_("Pengguna"), users_manageable_by(user).count(), reverse("accounts:user_list")),
                    *_national_counts(),
                ],
                links=[
                    (_("Kelola pengguna"), reverse("accounts:user_list")),
                    (_("Kelola OPD"), reverse("accounts:opd_list")),
                    (_("Admin Django"), reverse("admin:index")),
                ],
            )
        )
    names = _region_names(assignments) if any(a.role != Role.BAPPEDA_ADMIN for a in assignments) else {}
    for assignment in assignments:
        region = assignment.region
        card = Card(role=assignment.role, title=assignment.get_role_display())
        if region is not None:
            card.subtitle = region_label(name=region.name, kind=region.kind)
            card.links = [(_("Lihat wilayah"), reverse("regions:detail", args=[region.code]))]
        if assignment.role == Role.BAPPEDA_ADMIN and region is not None:
            _bappeda_card(card, region)
        elif assignment.role == Role.OPD_OPERATOR and region is not None:
            _opd_card(card, assignment, names)
        elif assignment.role == Role.SECRETARY and region is not None:
            _secretary_card(card, region, names)
        elif assignment.role == Role.PROVINCE_VERIFIER and region is not None:
            _province_card(card, region)
        elif assignment.role == Role.NATIONAL_VERIFIER:
            card.subtitle = _("Seluruh Indonesia")
            card.stats = _national_counts()
            card.links = [
                (_("Jelajahi wilayah"), reverse("regions:browse")),
                (_("Antrean verifikasi dossier"), reverse("dossiers:queue")),
            ]
            card.next_steps.append(
                _("Dokumen penilaian yang disetujui provinsi muncul di antrean verifikasi untuk verifikasi pusat.")
            )
        cards.append(card)
    return cards
