"""Writes on users, roles and OPDs. Web views, the API and commands all call these."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template import loader
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from regions.models import Region

from . import lockout
from .access import require_kabupaten_admin
from .functions import BY_CODE as FUNCTIONS_BY_CODE
from .models import ROLE_REGION_LEVELS, Opd, OpdFunction, Role, RoleAssignment, User
from .selectors import admin_scope_of
from .tasks import send_email

# The templates Django's own password reset uses; an invitation goes through the same link.
PASSWORD_RESET_SUBJECT_TEMPLATE = "registration/password_reset_subject.txt"
PASSWORD_RESET_EMAIL_TEMPLATE = "registration/password_reset_email.html"


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


def _check_may_manage_user(*, actor: User | None, user: User) -> None:
    """A Bappeda admin changes a person's account (e-mail, active flag, password e-mail) only
    while every role that person holds lies inside the admin's kabupaten: someone who also
    serves elsewhere, or a verifier, is changed by the superuser."""
    if actor is None or actor.is_superuser:
        return
    scope = admin_scope_of(actor)
    if user.is_superuser or scope.empty:
        raise PermissionDenied(_("Anda tidak berwenang mengubah akun ini."))
    if actor.pk == user.pk:
        return
    for assignment in RoleAssignment.objects.filter(user=user):
        if not scope.covers(assignment.region_id):
            raise PermissionDenied(
                _(
                    "Pengguna ini juga memegang peran di luar wilayah Anda, sehingga akunnya hanya dapat "
                    "diubah oleh admin pusat."
                )
            )


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
    """Take a role away. A Bappeda admin may not take away the last role a person holds in
    their kabupaten: the person would vanish from the admin's pages (deactivate instead)."""
    _check_may_grant(actor=actor, role=assignment.role, region=assignment.region)
    user = assignment.user
    if actor is not None and not actor.is_superuser:
        scope = admin_scope_of(actor)
        others = RoleAssignment.objects.filter(user=user).exclude(pk=assignment.pk).select_related("region")
        if not any(scope.covers(other.region_id) for other in others):
            raise ValidationError(
                {
                    "role": _(
                        "Ini peran terakhir pengguna di wilayah Anda. Tambahkan peran penggantinya dahulu, "
                        "atau nonaktifkan pengguna bila ia tidak lagi bertugas."
                    )
                }
            )
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
    """Change a user's contact details or active flag. Deactivating also drops their API token,
    so that scripts using it stop at once (the web session ends by itself: Django refuses
    inactive users)."""
    allowed = {"email", "full_name", "phone", "is_active"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Cannot update {', '.join(sorted(unknown))}")
    if actor is not None and actor.pk == user.pk and fields.get("is_active") is False:
        raise ValidationError({"is_active": _("Anda tidak dapat menonaktifkan akun Anda sendiri.")})
    _check_may_manage_user(actor=actor, user=user)
    for name, value in fields.items():
        setattr(user, name, value.strip() if isinstance(value, str) else value)
    user.full_clean(exclude=["password"])
    user.save()
    if fields.get("is_active") is False:
        Token.objects.filter(user=user).delete()
    return user


def user_unlock(*, user: User, actor: User | None = None) -> int:
    """Lift the login lockout of ``user`` before its cooldown ends (their failed logins from every
    address are forgotten). Returns the number of attempt rows removed (0: nothing was locked)."""
    _check_may_manage_user(actor=actor, user=user)
    return lockout.lockout_reset(username=user.username)


def password_link_days() -> int:
    """How many days a password link stays valid, as the e-mail tells the reader."""
    return max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 3600))


def user_password_email_send(
    *, user: User, domain: str, use_https: bool = False, actor: User | None = None, invitation: bool = False
) -> None:
    """Queue the e-mail with a one-time link where ``user`` chooses a new password.

    The link is the one of Django's password reset (same token, same pages), so an invitation
    to a new account and a forgotten password take one road. The message is rendered here and
    handed to the worker once the surrounding transaction commits.
    """
    _check_may_manage_user(actor=actor, user=user)
    if not user.is_active:
        raise ValidationError({"is_active": _("Akun ini tidak aktif. Aktifkan akun terlebih dahulu.")})
    if not user.email:
        raise ValidationError({"email": _("Pengguna ini belum memiliki alamat email.")})
    context = {
        "email": user.email,
        "domain": domain,
        "site_name": domain,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": "https" if use_https else "http",
        "invitation": invitation,
        "valid_days": password_link_days(),
    }
    subject = "".join(loader.render_to_string(PASSWORD_RESET_SUBJECT_TEMPLATE, context).splitlines())
    body = loader.render_to_string(PASSWORD_RESET_EMAIL_TEMPLATE, context)
    to = [user.email]
    transaction.on_commit(lambda: send_email.delay(subject=subject, body=body, to=to))


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


@transaction.atomic
def opd_update(*, opd: Opd, name: str, short_name: str, actor: User | None = None) -> Opd:
    """Rename an OPD. Its kabupaten never changes: its operators' roles are tied to it."""
    if actor is not None and not admin_scope_of(actor).covers(opd.kabupaten_id):
        raise PermissionDenied(_("Anda tidak berwenang mengelola OPD di wilayah ini."))
    short_name = short_name.strip()
    clash = Opd.objects.filter(kabupaten_id=opd.kabupaten_id, short_name__iexact=short_name).exclude(pk=opd.pk)
    if clash.exists():
        raise ValidationError({"short_name": _("Singkatan OPD ini sudah ada di kabupaten/kota ini.")})
    opd.name = name.strip()
    opd.short_name = short_name
    opd.full_clean()
    opd.save()
    return opd


@transaction.atomic
def opd_functions_set(*, kabupaten: Region, actor: User, mapping: dict[str, Opd | None]) -> int:
    """Save which OPD of ``kabupaten`` carries each function (``accounts.functions``); a function
    mapped to ``None`` is cleared. Returns the number of functions mapped. The kabupaten's Bappeda
    admin (or a superuser) only; every OPD must be the kabupaten's own."""
    require_kabupaten_admin(actor, kabupaten.code)
    unknown = sorted(set(mapping) - set(FUNCTIONS_BY_CODE))
    if unknown:
        raise ValidationError(_("Fungsi tidak dikenal: %(codes)s") % {"codes": ", ".join(unknown)})
    foreign = sorted(
        {opd.short_name for opd in mapping.values() if opd is not None and opd.kabupaten_id != kabupaten.code}
    )
    if foreign:
        raise ValidationError(
            _("OPD berikut bukan OPD %(kabupaten)s: %(names)s.")
            % {"kabupaten": kabupaten.name, "names": ", ".join(foreign)}
        )
    for function, opd in mapping.items():
        if opd is None:
            OpdFunction.objects.filter(kabupaten=kabupaten, function=function).delete()
        else:
            OpdFunction.objects.update_or_create(kabupaten=kabupaten, function=function, defaults={"opd": opd})
    return OpdFunction.objects.filter(kabupaten=kabupaten).count()
