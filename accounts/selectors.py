"""Reads that depend on who is asking: the one access-scope mechanism of the portal.

Every page and API endpoint that shows region-bound data gets its queryset through
``scope_filter`` (or a selector built on it). A region code is hierarchical, so a user's
scope is a set of code prefixes: a Bappeda admin of ``36.04`` sees ``36.04`` and everything
below it. Objects outside the scope are simply absent from the queryset, so a lookup by id
answers 404, never 403.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from regions.models import Region
from regions.scope import Scope

from .functions import suggested_functions
from .models import Opd, OpdFunction, Role, RoleAssignment, User


def role_assignments_of(user: User) -> list[RoleAssignment]:
    """The user's role assignments, loaded once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_kks_roles", None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.filter(user=user).select_related("region", "opd").order_by("role", "region_id")
        )
        user._kks_roles = cached
    return cached


def _minimal(prefixes: set[str]) -> tuple[str, ...]:
    """Drop prefixes already covered by a shorter one."""
    kept: list[str] = []
    for prefix in sorted(prefixes, key=lambda p: (len(p), p)):
        if not any(prefix == k or prefix.startswith(k + ".") for k in kept):
            kept.append(prefix)
    return tuple(sorted(kept))


def scope_of(user: User, *, roles: set[str] | None = None) -> Scope:
    """The read scope of ``user``, optionally limited to some of their roles."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope(False, ())
    if user.is_superuser:
        return Scope(True, ())
    prefixes: set[str] = set()
    for assignment in role_assignments_of(user):
        if roles is not None and assignment.role not in roles:
            continue
        if assignment.role == Role.NATIONAL_VERIFIER:
            return Scope(True, ())
        if assignment.region_id:
            prefixes.add(assignment.region_id)
    return Scope(False, _minimal(prefixes))


def scope_filter(
    queryset: QuerySet, *, user: User, field: str = "region__code", roles: set[str] | None = None
) -> QuerySet:
    """Limit ``queryset`` to rows whose region code field lies in the user's scope."""
    return queryset.filter(scope_of(user, roles=roles).q(field))


def get_in_scope_or_404(queryset: QuerySet, *, user: User, field: str = "region__code", **lookup):
    return get_object_or_404(scope_filter(queryset, user=user, field=field), **lookup)


def admin_scope_of(user: User) -> Scope:
    """The regions whose users and OPDs ``user`` manages: superuser everything, Bappeda its kabupaten."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return Scope(True, ())
    return scope_of(user, roles={Role.BAPPEDA_ADMIN})


def can_manage_users(user: User) -> bool:
    return not admin_scope_of(user).empty


def users_manageable_by(user: User) -> QuerySet[User]:
    """Users a Bappeda admin may see and edit: those with a role inside their kabupaten.

    Superusers are never managed from the portal's own pages, only from Django admin.
    """
    scope = admin_scope_of(user)
    users = User.objects.all()
    if scope.everything:
        return users.order_by("username")
    if scope.empty:
        return users.none()
    in_scope = RoleAssignment.objects.filter(scope.q("region__code"))
    return users.filter(is_superuser=False, pk__in=in_scope.values("user_id")).distinct().order_by("username")


def opds_visible_to(user: User) -> QuerySet[Opd]:
    return scope_filter(Opd.objects.select_related("kabupaten"), user=user, field="kabupaten__code")


def opds_manageable_by(user: User) -> QuerySet[Opd]:
    return Opd.objects.select_related("kabupaten").filter(admin_scope_of(user).q("kabupaten__code"))


def kabupaten_managed_by(user: User) -> QuerySet[Region]:
    """The kabupaten/kota a user administers (for choices in forms)."""
    return Region.objects.filter(level=Region.Level.KABKOTA).filter(admin_scope_of(user).q("code"))


def role_assignments_manageable_by(user: User) -> QuerySet[RoleAssignment]:
    """Role assignments ``user`` may see on the management pages and revoke: those inside their
    admin scope (everything for the superuser)."""
    return RoleAssignment.objects.select_related("region", "opd").filter(admin_scope_of(user).q("region__code"))


def user_search(*, actor: User, query: str = "", role: str = "", is_active: bool | None = None) -> QuerySet[User]:
    """The users ``actor`` manages, narrowed by a free-text search, a role and an active flag.

    The role filter looks only at roles inside the actor's scope, so that a Bappeda admin who
    filters on "Sekretaris" does not get a person who is a secretary somewhere else. Each user
    carries ``managed_roles``: their role assignments inside the actor's scope.
    """
    users = users_manageable_by(actor)
    query = query.strip()
    if query:
        users = users.filter(Q(username__icontains=query) | Q(full_name__icontains=query) | Q(email__icontains=query))
    managed = role_assignments_manageable_by(actor)
    if role:
        users = users.filter(pk__in=managed.filter(role=role).values("user_id"))
    if is_active is not None:
        users = users.filter(is_active=is_active)
    return users.prefetch_related(
        Prefetch("role_assignments", queryset=managed.order_by("role", "region_id"), to_attr="managed_roles")
    )


def region_options_for(user: User, *, limit: int = 2000) -> list[tuple[str, str]]:
    """(code, label) of the regions where ``user`` may grant roles, for a form's suggestion list.

    Empty for a national scope: 90,000 regions are no list, the superuser types the code.
    """
    scope = admin_scope_of(user)
    if scope.everything or scope.empty:
        return []
    regions = (
        Region.objects.filter(scope.q("code"), level__gte=Region.Level.KABKOTA)
        .order_by("code")
        .values_list("code", "name", "kind")[:limit]
    )
    return [(code, region_label(name=name, kind=kind)) for code, name, kind in regions]


def region_label(*, name: str, kind: str) -> str:
    """A label such as "Kecamatan Carenang"; kabupaten/kota names already say what they are."""
    if kind in (Region.Kind.KABUPATEN, Region.Kind.KOTA):
        return name
    return f"{Region.Kind(kind).label} {name}"


def opd_function_map(kabupaten_code: str) -> dict[str, Opd]:
    """The OPD of the kabupaten/kota mapped to each function (``accounts.functions``)."""
    rows = OpdFunction.objects.filter(kabupaten_id=kabupaten_code).select_related("opd")
    return {row.function: row.opd for row in rows}


def opd_function_suggestions(kabupaten_code: str) -> dict[str, Opd]:
    """For each function, the first OPD of the kabupaten (by short name) whose name suggests it."""
    suggestions: dict[str, Opd] = {}
    for opd in Opd.objects.filter(kabupaten_id=kabupaten_code).order_by("short_name"):
        for function in suggested_functions(opd.name, opd.short_name):
            suggestions.setdefault(function, opd)
    return suggestions
