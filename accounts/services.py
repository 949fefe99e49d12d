"""Writes on users, roles and OPDs. Web views, the API and commands all call these."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from regions.models import Region

from .models import ROLE_REGION_LEVELS, Opd, Role, RoleAssignment, User
from .selectors import admin_scope_of


def _check_role_target(*, role: str, region: Region | None, opd: Opd | None) -> None:
    if role not in Role.values:
        raise ValidationError({"role": _("Peran tidak dikenal.")})
    levels = ROLE_REGION_LEVELS[Role(role)]
    if not levels:
        if region is not None:
            raise ValidationError({"region": _("Peran ini berlaku nasional dan tidak memakai wilayah.")})
    else:
        if region is None:
            raise ValidationError({"region": _("Pilih wilayah untuk peran ini.")})
        if region.level not in levels:
            names = ", ".join(str(Region.Level(level).label) for level in sorted(levels))
            raise ValidationError({"region": _("Peran ini harus berada di tingkat: %(levels)s.") % {"levels": names}})
    if role == Role.OPD_OPERATOR:
        if opd is None:
            raise ValidationError({"opd": _("Operator OPD harus terhubung dengan satu OPD.")})
        if region is not None and opd.kabupaten_id != region.code:
            raise ValidationError({"opd": _("OPD ini bukan milik kabupaten/kota yang dipilih.")})
    elif opd is not None:
        raise ValidationError({"opd": _("Hanya operator OPD yang terhubung dengan OPD.")})


def _check_may_grant(*, actor: User | None, role: str, region: Region | None) -> None:
    """Bappeda admins grant roles inside their kabupaten only, and never verifier roles."""
    if actor is None or actor.is_superuser:
        return
    scope = admin_scope_of(actor)
    if role in (Role.PROVINCE_VERIFIER, Role.NATIONAL_VERIFIER) or region is None or not scope.covers(region.code):
        raise PermissionDenied(_("Anda tidak berwenang memberikan peran ini di wilayah tersebut."))


@transaction.atomic
def role_assign(
    *, user: User, role: str, region: Region | None = None, opd: Opd | None = None, actor: User | None = None
) -> RoleAssignment:
    """Give ``user`` a role; idempotent (an identical assignment is returned as it is)."""
    if opd is not None and region is None:
        region = opd.kabupaten
    _check_role_target(role=role, region=region, opd=opd)
    _check_may_grant(actor=actor, role=role, region=region)
    assignment, _created = RoleAssignment.objects.get_or_create(
        user=user, role=role, region=region, opd=opd, defaults={"created_by": actor}
    )
    user.__dict__.pop("_kks_roles", None)
    return assignment


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment, actor: User | None = None) -> None:
    _check_may_grant(actor=actor, role=assignment.role, region=assignment.region)
    user = assignment.user
    assignment.delete()
    user.__dict__.pop("_kks_roles", None)


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    email: str = "",
    full_name: str = "",
    phone: str = "",
    role: str | None = None,
    region: Region | None = None,
    opd: Opd | None = None,
    actor: User | None = None,
) -> User:
    """Create a user, optionally with a first role. A ``None`` password means an unusable one
    (the person then sets it through the password reset e-mail)."""
    username = username.strip()
    if not username:
        raise ValidationError({"username": _("Nama pengguna wajib diisi.")})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("Nama pengguna ini sudah dipakai.")})
    if actor is not None and not actor.is_superuser and role is None:
        # A Bappeda admin's user must land inside their kabupaten, or they could not see it again.
        raise ValidationError({"role": _("Pilih peran untuk pengguna baru.")})
    user = User(username=username, email=email.strip(), full_name=full_name.strip(), phone=phone.strip())
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    if role:
        role_assign(user=user, role=role, region=region, opd=opd, actor=actor)
    return user


@transaction.atomic
def user_update(*, user: User, actor: User | None = None, **fields) -> User:
    allowed = {"email", "full_name", "phone", "is_active"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Cannot update {', '.join(sorted(unknown))}")
    if actor is not None and actor.pk == user.pk and fields.get("is_active") is False:
        raise ValidationError({"is_active": _("Anda tidak dapat menonaktifkan akun Anda sendiri.")})
    for name, value in fields.items():
        setattr(user, name, value.strip() if isinstance(value, str) else value)
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def opd_create(*, kabupaten: Region, name: str, short_name: str, actor: User | None = None) -> Opd:
    if kabupaten.level != Region.Level.KABKOTA:
        raise ValidationError({"kabupaten": _("OPD harus berada di kabupaten/kota.")})
    if actor is not None and not admin_scope_of(actor).covers(kabupaten.code):
        raise PermissionDenied(_("Anda tidak berwenang mengelola OPD di wilayah ini."))
    short_name = short_name.strip()
    if Opd.objects.filter(kabupaten=kabupaten, short_name__iexact=short_name).exists():
        raise ValidationError({"short_name": _("Singkatan OPD ini sudah ada di kabupaten/kota ini.")})
    opd = Opd(kabupaten=kabupaten, name=name.strip(), short_name=short_name)
    opd.full_clean()
    opd.save()
    return opd
