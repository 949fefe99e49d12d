"""Reads of bodies (Tim Pembina, Forum, Pokja), limited to what the asking user may see.

Reading follows the portal's one scope mechanism (``accounts.selectors.scope_filter`` on the
body's region code): a Bappeda admin reads every body of the kabupaten, a provincial verifier
those of the province, a secretary their own region and what lies below it. Editing is
narrower (``can_edit_body``): a secretary edits only the Forum/Pokja of their own region, the
Bappeda admin every body of the kabupaten. A body outside the read scope answers 404.
"""

from __future__ import annotations

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.selectors import admin_scope_of, get_in_scope_or_404, role_assignments_of, scope_filter
from regions.models import Region
from regions.words import head_title

from .models import Body, Decree, Member, Secretariat

# The body a secretary of a region of each level keeps.
SECRETARY_KIND_FOR_LEVEL = {
    Region.Level.KABKOTA: Body.Kind.FORUM_KABKOTA,
    Region.Level.KECAMATAN: Body.Kind.FORUM_KECAMATAN,
    Region.Level.DESA: Body.Kind.POKJA_DESA,
}


def bodies_visible_to(user: User) -> QuerySet[Body]:
    return scope_filter(Body.objects.select_related("region"), user=user)


def body_for(user: User, pk: int) -> Body:
    """The body ``pk`` if ``user`` may read it, else 404."""
    return get_in_scope_or_404(Body.objects.select_related("region", "region__parent"), user=user, pk=pk)


def secretary_regions_of(user: User) -> list[Region]:
    return [a.region for a in role_assignments_of(user) if a.role == Role.SECRETARY and a.region_id]


def body_for_secretary(user: User) -> Body | None:
    """The Forum/Pokja of the secretary's region (the first, for the rare secretary of two), or None."""
    for region in secretary_regions_of(user):
        kind = SECRETARY_KIND_FOR_LEVEL.get(region.level)
        body = Body.objects.select_related("region").filter(kind=kind, region=region).first()
        if body is not None:
            return body
    return None


def can_edit_body(user: User, body: Body) -> bool:
    """Superusers and the Bappeda admin of the body's kabupaten edit it; a secretary edits only
    the Forum/Pokja of exactly their own region (not the bodies of the desa below a kecamatan,
    and not the Tim Pembina, which Bappeda and the Camat run)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if admin_scope_of(user).covers(body.region_id):
        return True
    if body.kind not in Body.SECRETARY_KINDS:
        return False
    return any(region.code == body.region_id for region in secretary_regions_of(user))


def body_to_edit(user: User, pk: int) -> Body:
    """The body ``pk`` if ``user`` may edit it. Outside the read scope 404; inside it but not
    editable (a verifier, a kecamatan secretary on a desa Pokja) also 404: the page does not exist
    for them."""
    body = body_for(user, pk)
    if not can_edit_body(user, body):
        raise Http404
    return body


def active_member_count():
    """The number of active members of the body of the outer query, as a correlated subquery.

    Not a ``Count`` over a join: that groups every body in scope before the list is cut to its
    page, and multiplies the rows any other count over the same queryset sees (docs/PERFORMANCE.md,
    "Fixed causes"). PostgreSQL evaluates an expensive select-list item after the sort and the
    limit, so only the bodies of the page are counted, each through the index on ``body_id``."""
    members = (
        Member.objects.filter(body=OuterRef("pk"), active=True)
        .order_by()
        .values("body")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(members, output_field=IntegerField()), 0)


def body_list(user: User, *, kind: str = "", kecamatan: str = "", figures: bool = True) -> QuerySet[Body]:
    """The bodies ``user`` reads, optionally narrowed to one kind and one kecamatan (and its desa),
    in the list's order, each with ``with_body_figures`` unless ``figures`` is false."""
    bodies = bodies_visible_to(user)
    if kind:
        bodies = bodies.filter(kind=kind)
    if kecamatan:
        bodies = bodies.filter(Q(region__code=kecamatan) | Q(region__code__startswith=kecamatan + "."))
    bodies = bodies.order_by("region_id", "kind")
    return with_body_figures(bodies) if figures else bodies


def activities_held_q(body_ids: list[int]) -> Q:
    """Which activities count for these bodies: those one of them recorded and those held with one
    of them as a partner body (``Activity.partner_bodies``, reverse ``Body.shared_activities``).

    A condition on the activity's own columns, the shared ones read first (one indexed query):
    ``body = … OR partner_bodies = …`` joins every activity with its partners and needs a
    DISTINCT, which PostgreSQL answered by scanning them all (docs/PERFORMANCE.md, "Activities of
    a body"). Forums sit below evidence, so the rule lives here and takes no Activity import."""
    shared = Body.shared_activities.through.objects.filter(body_id__in=body_ids)
    return Q(body_id__in=body_ids) | Q(pk__in=list(shared.values_list("activity_id", flat=True).distinct()))


def with_body_figures(bodies: QuerySet[Body]) -> QuerySet[Body]:
    """Each body annotated with its number of active members and whether it has a current SK and a
    secretariat (each a correlated subquery: one row per body, no GROUP BY)."""
    return bodies.annotate(
        member_count=active_member_count(),
        has_decree=Exists(Decree.objects.filter(body=OuterRef("pk"), is_current=True)),
        has_secretariat=Exists(Secretariat.objects.filter(body=OuterRef("pk"))),
    )


def body_counts(bodies: QuerySet[Body]) -> dict[str, int]:
    """Number of bodies per kind, every kind present (0 when none).

    ``bodies`` is one row per body (``body_list`` joins nothing to it), so the rows are counted
    as they are, grouped by kind alone; the annotations of the list are dropped first."""
    counts = dict(bodies.order_by().values("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    return {kind: counts.get(kind, 0) for kind in Body.Kind.values}


def kabupaten_options(user: User) -> QuerySet[Region]:
    """Kabupaten/kota within the user's read scope, for the list filter of a reader of several
    (the bodies list's ``kecamatan`` filter takes a kabupaten/kota code as well: a code prefix)."""
    kabupaten = Region.objects.filter(level=Region.Level.KABKOTA)
    return scope_filter(kabupaten, user=user, field="code").order_by("code")


def kecamatan_options(user: User) -> QuerySet[Region]:
    """Kecamatan within the user's read scope that have a body, for the list filter."""
    # The kecamatan's own code against the scope and an EXISTS probe of its bodies: no join with
    # every body in scope and no DISTINCT over it (docs/PERFORMANCE.md, "Bodies list").
    kecamatan = Region.objects.filter(level=Region.Level.KECAMATAN).filter(
        Exists(Body.objects.filter(region=OuterRef("pk")))
    )
    return scope_filter(kecamatan, user=user, field="code").order_by("code")


def decree_history(body: Body) -> QuerySet[Decree]:
    return body.decrees.select_related("created_by").order_by("-is_current", "-date", "-id")


def body_gaps(body: Body) -> list[str]:
    """What the body's page says is still missing, in plain words (not the kelembagaan score)."""
    gaps = []
    if not body.decrees.filter(is_current=True).exists():
        gaps.append(_("Belum ada SK yang berlaku."))
    positions = set(body.members.filter(active=True).values_list("position", flat=True))
    if Member.Position.KETUA not in positions:
        gaps.append(_("Belum ada ketua."))
    if Member.Position.SEKRETARIS not in positions:
        gaps.append(_("Belum ada sekretaris."))
    secretariat = Secretariat.objects.filter(body=body).first()
    if secretariat is None or not secretariat.address:
        gaps.append(_("Alamat sekretariat belum diisi."))
    elif not secretariat.name_board_photo:
        gaps.append(_("Foto papan nama sekretariat belum diunggah."))
    return gaps


def default_signer(body: Body) -> str:
    """Who usually signs the SK of ``body``: "Bupati Serang", "Camat Carenang", "Kepala Desa Carenang"."""
    return head_title(body.region)  # regions/words.py
