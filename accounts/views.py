"""Sign-in and user/OPD management pages.

Every management page finds its objects through ``accounts.selectors``, so a user, role or OPD
outside the admin's kabupaten is simply not found (404), and a person without admin rights
finds no page at all (404 too: the pages do not exist for them). Writes go through
``accounts.services``; what a service refuses comes back as a form error or a message.
"""

from __future__ import annotations

import hashlib
import logging
import math
from functools import wraps

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kks_portal.lib.client_ip import client_ip
from kks_portal.lib.query_filters import query_text
from kks_portal.lib.throttling import SimpleRateThrottle

from . import lockout, services
from .forms import (
    OpdForm,
    QueuedPasswordResetForm,
    RoleAddForm,
    UserCreateForm,
    UserEditForm,
    UserFilterForm,
    add_service_errors,
)
from .models import Role
from .selectors import (
    can_manage_users,
    opds_manageable_by,
    role_assignments_manageable_by,
    user_search,
    users_manageable_by,
)

log = logging.getLogger(__name__)

PAGE_SIZE = 25
# Service error keys that have another name on the forms.
ROLE_FIELDS = {"region": "region_code"}


class PasswordResetAddressThrottle(SimpleRateThrottle):
    """Reset requests per client address (``password_reset_address`` rate)."""

    scope = "password_reset_address"


class PasswordResetEmailThrottle(SimpleRateThrottle):
    """Reset requests per e-mail address typed (``password_reset_email`` rate): one address cannot
    flood somebody's inbox from many clients. Counted whether or not an account has the e-mail,
    so being refused tells nothing about the account."""

    scope = "password_reset_email"

    def get_cache_key(self, request, view):
        email = request.POST.get("email", "").strip().casefold()
        if not email:
            return None
        return self.cache_format % {"scope": self.scope, "ident": hashlib.sha256(email.encode()).hexdigest()}


class PasswordResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm

    @property
    def extra_email_context(self):
        return {"valid_days": services.password_link_days()}

    def post(self, request, *args, **kwargs):
        # The address first: a client already refused does not use up the e-mail's allowance.
        for throttle in (PasswordResetAddressThrottle(), PasswordResetEmailThrottle()):
            if not throttle.allow_request(request, None):
                log.warning(
                    "Password reset refused, too many requests (%s): address=%s", throttle.scope, client_ip(request)
                )
                wait = math.ceil(throttle.wait() or 60)
                form = self.get_form()
                form.add_error(
                    None,
                    _("Terlalu banyak permintaan tautan reset kata sandi. Coba lagi dalam %(minutes)s menit.")
                    % {"minutes": max(1, math.ceil(wait / 60))},
                )
                response = self.render_to_response(self.get_context_data(form=form), status=429)
                response["Retry-After"] = str(wait)
                return response
        return super().post(request, *args, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever followed the e-mailed link owns the account: a lockout from their own wrong
        # passwords ends with the new password.
        lockout.lockout_reset(username=form.user.get_username())
        return response


def manager_required(view):
    """Login required, then 404 for anyone who manages no users."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_manage_users(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _managed_user_or_404(request, pk):
    return get_object_or_404(users_manageable_by(request.user), pk=pk)


def _refused(request, exc: ValidationError | PermissionDenied) -> None:
    """A service's refusal as a message on the next page."""
    if isinstance(exc, PermissionDenied):
        messages.error(request, str(exc) or _("Anda tidak berwenang melakukan tindakan ini."))
    else:
        for message in exc.messages:
            messages.error(request, message)


# --- Users --------------------------------------------------------------------------------------


@manager_required
def user_list(request):
    filters = UserFilterForm(request.GET or None, actor=request.user)
    users = user_search(actor=request.user, **filters.filters())
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"filter_form": filters, "page": page, "users": page})


@manager_required
def user_create(request):
    form = UserCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                user = services.user_create(
                    username=data["username"],
                    password=None if form.sends_email else data["password1"],
                    email=data["email"],
                    full_name=data["full_name"],
                    phone=data["phone"],
                    role=data["role"] or None,
                    region=data["region_code"],
                    opd=data["opd"],
                    actor=request.user,
                )
                if form.sends_email:
                    services.user_password_email_send(
                        user=user,
                        domain=get_current_site(request).domain,
                        use_https=request.is_secure(),
                        actor=request.user,
                        invitation=True,
                    )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc, ROLE_FIELDS)
        else:
            if form.sends_email:
                messages.success(
                    request,
                    _("Pengguna %(name)s dibuat. Tautan untuk menentukan kata sandi dikirim ke %(email)s.")
                    % {"name": user.get_full_name(), "email": user.email},
                )
            else:
                messages.success(request, _("Pengguna %(name)s dibuat.") % {"name": user.get_full_name()})
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form, "title": _("Pengguna baru")})


@manager_required
def user_detail(request, pk):
    person = _managed_user_or_404(request, pk)
    roles = list(role_assignments_manageable_by(request.user).filter(user=person).order_by("role", "region_id"))
    roles_elsewhere = person.role_assignments.count() - len(roles)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "person": person,
            "roles": roles,
            "roles_elsewhere": roles_elsewhere,
            "locked_until": lockout.user_locked_until(username=person.username),
        },
    )


@manager_required
def user_edit(request, pk):
    person = _managed_user_or_404(request, pk)
    initial = {"full_name": person.full_name, "email": person.email, "phone": person.phone}
    form = UserEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(user=person, actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Data pengguna disimpan."))
            return redirect("accounts:user_detail", pk=person.pk)
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "person": person, "title": _("Ubah data %(name)s") % {"name": person.get_full_name()}},
    )


def _set_active(request, pk, active: bool):
    person = _managed_user_or_404(request, pk)
    try:
        services.user_update(user=person, actor=request.user, is_active=active)
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        if active:
            messages.success(request, _("Akun %(name)s aktif kembali.") % {"name": person.get_full_name()})
        else:
            messages.success(
                request, _("Akun %(name)s dinonaktifkan: ia tidak dapat masuk lagi.") % {"name": person.get_full_name()}
            )
    return redirect("accounts:user_detail", pk=person.pk)


@manager_required
@require_POST
def user_deactivate(request, pk):
    return _set_active(request, pk, False)


@manager_required
@require_POST
def user_activate(request, pk):
    return _set_active(request, pk, True)


@manager_required
@require_POST
def user_unlock(request, pk):
    person = _managed_user_or_404(request, pk)
    try:
        services.user_unlock(user=person, actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(
            request, _("Kunci masuk akun %(name)s dibuka: ia dapat masuk lagi.") % {"name": person.get_full_name()}
        )
    return redirect("accounts:user_detail", pk=person.pk)


@manager_required
@require_POST
def user_password_email(request, pk):
    person = _managed_user_or_404(request, pk)
    try:
        services.user_password_email_send(
            user=person,
            domain=get_current_site(request).domain,
            use_https=request.is_secure(),
            actor=request.user,
        )
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Tautan untuk mengatur kata sandi dikirim ke %(email)s.") % {"email": person.email})
    return redirect("accounts:user_detail", pk=person.pk)


# --- Roles --------------------------------------------------------------------------------------


@manager_required
def role_add(request, pk):
    person = _managed_user_or_404(request, pk)
    form = RoleAddForm(request.POST or None, actor=request.user, user=person)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.role_assign(
                user=person, role=data["role"], region=data["region_code"], opd=data["opd"], actor=request.user
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc, ROLE_FIELDS)
        else:
            messages.success(request, _("Peran ditambahkan."))
            return redirect("accounts:user_detail", pk=person.pk)
    return render(request, "accounts/role_form.html", {"form": form, "person": person})


@manager_required
def role_remove(request, pk, role_pk):
    person = _managed_user_or_404(request, pk)
    assignment = get_object_or_404(role_assignments_manageable_by(request.user), pk=role_pk, user=person)
    if request.method == "POST":
        try:
            services.role_revoke(assignment=assignment, actor=request.user)
        except (ValidationError, PermissionDenied) as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("Peran %(role)s dicabut.") % {"role": assignment})
        return redirect("accounts:user_detail", pk=person.pk)
    return render(request, "accounts/role_confirm_remove.html", {"person": person, "assignment": assignment})


# --- OPDs ---------------------------------------------------------------------------------------


@manager_required
def opd_list(request):
    query = query_text(request.GET, "q")
    opds = opds_manageable_by(request.user).annotate(
        operators=Count("roleassignment", filter=Q(roleassignment__role=Role.OPD_OPERATOR))
    )
    if query:
        opds = opds.filter(
            Q(name__icontains=query) | Q(short_name__icontains=query) | Q(kabupaten__name__icontains=query)
        )
    page = Paginator(opds.order_by("kabupaten_id", "short_name"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/opd_list.html", {"page": page, "opds": page, "query": query})


@manager_required
def opd_create(request):
    form = OpdForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            opd = services.opd_create(actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("OPD %(opd)s ditambahkan.") % {"opd": opd.short_name})
            return redirect("accounts:opd_list")
    return render(request, "accounts/opd_form.html", {"form": form, "title": _("OPD baru")})


@manager_required
def opd_edit(request, pk):
    opd = get_object_or_404(opds_manageable_by(request.user), pk=pk)
    form = OpdForm(
        request.POST or None, actor=request.user, opd=opd, initial={"name": opd.name, "short_name": opd.short_name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.opd_update(opd=opd, actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("OPD %(opd)s disimpan.") % {"opd": opd.short_name})
            return redirect("accounts:opd_list")
    return render(
        request, "accounts/opd_form.html", {"form": form, "opd": opd, "title": _("Ubah OPD %(opd)s") % {"opd": opd}}
    )
