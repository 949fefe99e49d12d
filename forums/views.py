"""Pages of the bodies (Tim Pembina, Forum, Pokja): list, detail, SK, members, secretariat.

Reading goes through ``forums.selectors.body_for`` (scope, 404 outside it); every write page
goes through ``body_to_edit``: the secretary of the body's own region, the Bappeda admin of its
kabupaten, superusers. Files are private: they are streamed by views that check scope.
"""

import hashlib
import re
from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import quote_etag
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import is_bappeda_admin_of
from accounts.selectors import kabupaten_managed_by
from kks_portal.lib.files.responses import protected_file_response
from kks_portal.lib.files.types import CONTENT_TYPES, FileType, content_type_for
from kks_portal.lib.forms import add_service_errors
from regions.models import kabupaten_code_of

from .forms import BodyFilterForm, BodyRenameForm, DecreeForm, MemberForm, MemberImportForm, SecretariatForm
from .member_import import member_import, member_import_template
from .models import Body, Secretariat
from .selectors import (
    activities_held_q,
    body_counts,
    body_for,
    body_for_secretary,
    body_gaps,
    body_list,
    body_to_edit,
    can_edit_body,
    decree_history,
    default_signer,
    kabupaten_options,
    kecamatan_options,
    secretary_regions_of,
    with_body_figures,
)
from .services import (
    SECRETARIAT_FIELDS,
    body_bulk_setup,
    body_rename,
    decree_add,
    member_create,
    member_set_active,
    member_update,
    secretariat_update,
)

BODY_PAGE_SIZE = 100


@login_required
def home(request):
    """A secretary lands on their home (their body, what it lacks, what to do next); everyone
    else on the list of bodies."""
    body = body_for_secretary(request.user)
    if body is not None and not kabupaten_managed_by(request.user).exists():
        return redirect("forums:secretary_home")
    return redirect("forums:body_list")


@login_required
def body_list_view(request):
    managed = [] if request.user.is_superuser else list(kabupaten_managed_by(request.user)[:5])
    # One kabupaten/kota managed: the kinds read in its words, "Pokja Kelurahan Sehat" (regions/words.py).
    region = managed[0] if len(managed) == 1 else None
    # A reader of several kabupaten/kota (a verifier: 514 of them nationally, 7,000 kecamatan)
    # picks a kabupaten/kota first, then one of its kecamatan.
    kabupaten = list(kabupaten_options(request.user))
    data = request.GET.copy() if request.GET else None
    chosen = ""
    if data is not None and len(kabupaten) > 1:
        # A link naming a kecamatan only (from another page) names its kabupaten/kota too.
        codes = {k.code for k in kabupaten}
        chosen = data.get("kabupaten") or kabupaten_code_of(data.get("kecamatan", ""))
        if chosen not in codes:
            chosen = ""
        data["kabupaten"] = chosen
        # A kecamatan of another kabupaten/kota in scope, left when only the first select changed,
        # is dropped; one outside the reader's scope stays and is refused by the form.
        of_kecamatan = kabupaten_code_of(data.get("kecamatan", ""))
        if data.get("kecamatan") and of_kecamatan in codes and of_kecamatan != chosen:
            data["kecamatan"] = ""
    kecamatan = kecamatan_options(request.user)
    if len(kabupaten) > 1:
        kecamatan = kecamatan.filter(parent_id=chosen) if chosen else kecamatan.none()
    form = BodyFilterForm(
        data,
        kabupaten_choices=[(k.code, f"{k.name} ({k.code})") for k in kabupaten] if len(kabupaten) > 1 else None,
        kecamatan_choices=[(k.code, f"{k.name} ({k.code})") for k in kecamatan],
        region=region,
    )
    kind = code = ""
    if form.is_bound and form.is_valid():
        kind = form.cleaned_data["kind"]
        code = form.cleaned_data["kecamatan"] or form.cleaned_data.get("kabupaten") or ""
    # A page of bodies, not the whole scope: the national list was 99,000 rows cut to 1,000 and
    # 600 KB of HTML. The page's bodies are chosen first and only they get their figures: with
    # the figures in the paged query PostgreSQL worked them out for every row an OFFSET skips
    # (docs/PERFORMANCE.md, "Bodies list").
    page = Paginator(body_list(request.user, kind=kind, kecamatan=code, figures=False), BODY_PAGE_SIZE).get_page(
        request.GET.get("halaman")
    )
    shown = with_body_figures(Body.objects.filter(pk__in=[body.pk for body in page.object_list]))
    page.object_list = list(shown.select_related("region").order_by("region_id", "kind"))
    own_body = body_for_secretary(request.user)
    counts = body_counts(body_list(request.user, kecamatan=code))
    return render(
        request,
        "forums/body_list.html",
        {
            "form": form,
            "bodies": page.object_list,
            "page": page,
            "total": page.paginator.count,
            "counts": [(Body.kind_label_in(k, region), k, n) for k, n in counts.items()],
            # The superuser manages every kabupaten: no button for each of 514, Django admin instead.
            "kabupaten_managed": managed,
            "own_body": own_body,
            "secretary_regions": secretary_regions_of(request.user) if own_body is None else [],
        },
    )


@login_required
@require_POST
def body_bulk_setup_view(request):
    kabupaten = get_object_or_404(kabupaten_managed_by(request.user), code=request.POST.get("kabupaten", ""))
    counts = body_bulk_setup(kabupaten=kabupaten, actor=request.user)
    messages.success(
        request,
        _(
            "%(kabupaten)s: %(created)d lembaga dibentuk (%(kec)d Forum Kecamatan Sehat, %(pokja)d Pokja), "
            "%(existing)d sudah ada."
        )
        % {
            "kabupaten": kabupaten.name,
            "created": counts["created"],
            "kec": counts[Body.Kind.FORUM_KECAMATAN],
            "pokja": counts[Body.Kind.POKJA_DESA],
            "existing": counts["existing"],
        },
    )
    return redirect("forums:body_list")


@login_required
def body_detail(request, pk):
    body = body_for(request.user, pk)
    secretariat = Secretariat.objects.filter(body=body).first()
    return render(
        request,
        "forums/body_detail.html",
        {
            "body": body,
            "decree": body.decrees.filter(is_current=True).first(),
            "history_count": body.decrees.filter(is_current=False).count(),
            "members": body.members.prefetch_related("tatanan").order_by("-active", "order", "id"),
            "secretariat": secretariat,
            "gaps": body_gaps(body),
            "can_edit": can_edit_body(request.user, body),
            "can_rename": is_bappeda_admin_of(request.user, kabupaten_code_of(body.region_id)),
            # Activities are the evidence app's (linked by URL name, counted through the relation).
            # Its own and those held together with another body (``partner_bodies``).
            "activity_count": body.activities.model.objects.filter(
                activities_held_q([body.pk]), deleted_at__isnull=True
            ).count(),
        },
    )


# --- SK -----------------------------------------------------------------------------------------


@login_required
def decree_list(request, pk):
    """The SK history of a body, and for editors the form to record a new SK."""
    body = body_for(request.user, pk)
    can_edit = can_edit_body(request.user, body)
    form = None
    if can_edit:
        form = DecreeForm(
            request.POST or None, request.FILES or None, body=body, initial={"signer": default_signer(body)}
        )
        if request.method == "POST" and form.is_valid():
            try:
                decree = decree_add(body=body, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("SK %(number)s disimpan sebagai SK yang berlaku.") % {"number": decree.number}
                )
                return redirect("forums:decree_list", pk=body.pk)
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "forums/decree_list.html",
        {"body": body, "decrees": decree_history(body), "form": form, "can_edit": can_edit},
    )


@login_required
def decree_file(request, pk, decree_pk):
    body = body_for(request.user, pk)
    decree = get_object_or_404(body.decrees, pk=decree_pk)
    if not decree.file:
        raise Http404
    # A readable download name from the SK number; the stored name stays random.
    stem = re.sub(r"[^\w.-]+", "-", f"SK-{decree.number}").strip("-")[:80]
    name = stem + PurePosixPath(decree.file.name).suffix
    return protected_file_response(
        request,
        name=decree.file.name,
        storage=decree.file.storage,
        content_type=content_type_for(decree.file.name),
        filename=name,
    )


# --- Members ------------------------------------------------------------------------------------


@login_required
def member_add(request, pk):
    body = body_to_edit(request.user, pk)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = member_create(body=body, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s ditambahkan sebagai anggota.") % {"name": member.name})
            return redirect("forums:body_detail", pk=body.pk)
    return render(request, "forums/member_form.html", {"body": body, "form": form, "member": None})


@login_required
def member_edit(request, pk, member_pk):
    body = body_to_edit(request.user, pk)
    member = get_object_or_404(body.members, pk=member_pk)
    initial = {
        "name": member.name,
        "position": member.position,
        "origin": member.origin,
        "tatanan": list(member.tatanan.all()),
        "phone": member.phone,
        "email": member.email,
        "order": member.order,
    }
    form = MemberForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            member_update(member=member, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Data %(name)s disimpan.") % {"name": member.name})
            return redirect("forums:body_detail", pk=body.pk)
    return render(request, "forums/member_form.html", {"body": body, "form": form, "member": member})


@login_required
@require_POST
def member_toggle_active(request, pk, member_pk):
    body = body_to_edit(request.user, pk)
    member = get_object_or_404(body.members, pk=member_pk)
    member_set_active(member=member, actor=request.user, active=not member.active)
    if member.active:
        messages.success(request, _("%(name)s diaktifkan kembali.") % {"name": member.name})
    else:
        messages.success(request, _("%(name)s dinonaktifkan.") % {"name": member.name})
    return redirect("forums:body_detail", pk=body.pk)


@login_required
def member_import_view(request, pk):
    body = body_to_edit(request.user, pk)
    form = MemberImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = member_import(
            body=body, actor=request.user, file=form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"]
        )
    return render(request, "forums/member_import.html", {"body": body, "form": form, "report": report})


@login_required
def member_import_template_view(request, pk):
    body = body_to_edit(request.user, pk)
    return protected_file_response(
        request,
        content=member_import_template(),
        content_type=CONTENT_TYPES[FileType.XLSX],
        filename=f"anggota-{body.region_id}.xlsx",
    )


# --- Secretariat --------------------------------------------------------------------------------


@login_required
def secretariat_edit(request, pk):
    body = body_to_edit(request.user, pk)
    secretariat = Secretariat.objects.filter(body=body).first()
    initial = {}
    if secretariat is not None:
        initial = {key: getattr(secretariat, key) for key in SECRETARIAT_FIELDS}
    form = SecretariatForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {key: form.cleaned_data[key] for key in SECRETARIAT_FIELDS}
        try:
            secretariat_update(body=body, actor=request.user, **fields, **form.photo_changes())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Data sekretariat disimpan."))
            return redirect("forums:body_detail", pk=body.pk)
    return render(request, "forums/secretariat_form.html", {"body": body, "form": form, "secretariat": secretariat})


def _secretariat_photo(request, pk, field):
    body = body_for(request.user, pk)
    secretariat = Secretariat.objects.filter(body=body).first()
    photo = getattr(secretariat, field) if secretariat else None
    if not photo:
        raise Http404
    # Shown inline in the body's pages. A new photo gets a new random name, so the name is its
    # version: the browser keeps the photo and asks again (scope checked, 304 while unchanged).
    label = "papan-nama" if field == "name_board_photo" else "struktur-organisasi"
    return protected_file_response(
        request,
        name=photo.name,
        storage=photo.storage,
        content_type=content_type_for(photo.name),
        filename=f"{label}-{body.region_id}{PurePosixPath(photo.name).suffix}",
        inline=True,
        etag=quote_etag(hashlib.sha256(photo.name.encode()).hexdigest()[:32]),
    )


@login_required
def name_board_photo(request, pk):
    return _secretariat_photo(request, pk, "name_board_photo")


@login_required
def org_chart_photo(request, pk):
    return _secretariat_photo(request, pk, "org_chart_photo")


@login_required
def body_rename_view(request, pk):
    """Bappeda gives a body the name of its SK (kota bodies often differ from the default)."""
    body = body_for(request.user, pk)
    if not is_bappeda_admin_of(request.user, kabupaten_code_of(body.region_id)):
        raise Http404
    form = BodyRenameForm(request.POST or None, initial={"name": body.name})
    if request.method == "POST" and form.is_valid():
        try:
            body_rename(body=body, actor=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Nama lembaga disimpan: %(name)s.") % {"name": body.name})
            return redirect("forums:body_detail", pk=body.pk)
    return render(request, "forums/body_rename.html", {"body": body, "form": form})
