"""What the landing page shows each role.

One card per role assignment, built from selectors; later apps (tatanan, forums, evidence,
dossiers) add their figures here, since this module sits above them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.selectors import role_assignments_of, users_manageable_by
from regions.models import Region


@dataclass
class Card:
    role: str
    title: str
    subtitle: str = ""
    stats: list[tuple[str, int | str]] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)


def _region_stats(region: Region) -> list[tuple[str, int]]:
    below = Region.objects.filter(code__startswith=region.code + ".")
    stats = []
    if region.level < Region.Level.KABKOTA:
        stats.append((_("Kabupaten/kota"), below.filter(level=Region.Level.KABKOTA).count()))
    if region.level < Region.Level.KECAMATAN:
        stats.append((_("Kecamatan"), below.filter(level=Region.Level.KECAMATAN).count()))
    if region.level < Region.Level.DESA:
        stats.append((_("Desa/kelurahan"), below.filter(level=Region.Level.DESA).count()))
    return stats


def cards_for(user) -> list[Card]:
    cards: list[Card] = []
    if user.is_superuser:
        cards.append(
            Card(
                role="superuser",
                title=_("Superuser"),
                subtitle=_("Seluruh Indonesia"),
                stats=[(_("Pengguna"), users_manageable_by(user).count())],
                links=[(_("Admin Django"), reverse("admin:index")), (_("Pengguna"), reverse("accounts:user_list"))],
            )
        )
    for assignment in role_assignments_of(user):
        region = assignment.region
        browse = reverse("regions:detail", args=[region.code]) if region else reverse("regions:browse")
        card = Card(
            role=assignment.role,
            title=assignment.get_role_display(),
            subtitle=region.name if region else _("Seluruh Indonesia"),
            stats=_region_stats(region) if region else [],
            links=[(_("Lihat wilayah"), browse)],
        )
        if assignment.role == Role.BAPPEDA_ADMIN:
            card.stats.append(
                (
                    _("Pengguna di wilayah ini"),
                    users_manageable_by(user)
                    .filter(role_assignments__region__code__startswith=region.code)
                    .distinct()
                    .count(),
                )
            )
            card.links += [
                (_("Kelola pengguna"), reverse("accounts:user_list")),
                (_("Kelola OPD"), reverse("accounts:opd_list")),
            ]
        elif assignment.role == Role.OPD_OPERATOR and assignment.opd:
            card.subtitle = f"{assignment.opd.name} · {region.name}"
        cards.append(card)
    return cards
