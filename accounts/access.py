"""Who may: the one home of the portal's role checks.

Reads go through ``accounts.selectors`` (``scope_of``, ``scope_filter``): what a user may *see*.
This module answers what a user may *do* with something they see, per role (README "Roles and
scope"):

- the superuser (active) may do everything;
- the Bappeda admin administers exactly their kabupaten/kota: its assessment, field work, data
  requests, local indicators, dossier;
- the OPD operator reads and fills exactly the indicator entries assigned to their OPD(s), and the
  data requests made to it, nothing else of the assessment's entries; and adds the titik pantau
  Bappeda asked of their OPD (``indicators.requests.selectors.may_write_titik_pantau``);
- the province verifier verifies the kabupaten/kota of their province;
- the national verifier reads everything and runs the national stage.

The one rule for refusals (docs/ARCHITECTURE.md, "Where each rule lives"): a write the actor
may not make answers **404**, whether the actor cannot see the object at all or sees it but may not
administer it. ``require_kabupaten_admin`` raises ``Http404`` for both, so a reader learns nothing
from a refusal they could not learn from reading, and the web pages and the API answer alike.
"""

from __future__ import annotations

from django.http import Http404

from .models import Role, User
from .selectors import role_assignments_of, scope_of


def is_superuser(user: User) -> bool:
    """An active superuser: Django's own flag alone does not count for a deactivated account."""
    return bool(getattr(user, "is_superuser", False) and getattr(user, "is_active", False))


def roles_of(user: User) -> set[str]:
    """The roles ``user`` holds anywhere (empty for anonymous users)."""
    return {a.role for a in role_assignments_of(user)}


def is_bappeda_admin_of(user: User, kabupaten_code: str) -> bool:
    """Superusers, and Bappeda admins of exactly this kabupaten/kota, administer it."""
    if is_superuser(user):
        return True
    return any(a.role == Role.BAPPEDA_ADMIN and a.region_id == kabupaten_code for a in role_assignments_of(user))


def require_kabupaten_admin(user: User, kabupaten_code: str) -> None:
    """Raise ``Http404`` unless ``user`` administers this kabupaten/kota (the module's one rule)."""
    if not is_bappeda_admin_of(user, kabupaten_code):
        raise Http404


def is_province_verifier_of(user: User, region_code: str) -> bool:
    """A province verifier whose province holds this region (or the superuser)."""
    return is_superuser(user) or scope_of(user, roles={Role.PROVINCE_VERIFIER}).covers(region_code)


def is_any_province_verifier(user: User) -> bool:
    return Role.PROVINCE_VERIFIER in roles_of(user)


def is_national_verifier(user: User) -> bool:
    return is_superuser(user) or Role.NATIONAL_VERIFIER in roles_of(user)


def opd_ids_operated_by(user: User) -> set[int]:
    """The OPDs ``user`` operates for: the entries and data requests assigned to them are theirs."""
    return {a.opd_id for a in role_assignments_of(user) if a.role == Role.OPD_OPERATOR and a.opd_id}


# Roles that read every indicator entry of the assessments in their scope. An OPD operator's
# region role lets them read the assessment, but of its entries only those assigned to their OPD.
ALL_ENTRIES_ROLES = frozenset(role for role in Role if role != Role.OPD_OPERATOR)
