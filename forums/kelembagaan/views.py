"""Kelembagaan pages: Bappeda's table of every body of the kabupaten, the button that fills the
assessment's kelembagaan items, Bappeda's request to the secretaries for their documents, and
the secretary's phone-first home (with what Bappeda asked of them)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import is_bappeda_admin_of
from accounts.models import Role
from accounts.selectors import kabupaten_managed_by, scope_of
from indicators.models import Assessment
from indicators.requests.selectors import open_assessments_q, today
from indicators.requests.services import data_request_documents
from kks_portal.lib.forms import add_service_errors
from kks_portal.lib.text import and_list
from regions.models import Region

from ..models import Body
from ..selectors import body_for_secretary, secretary_regions_of
from .forms import DocumentRequestForm
from .selectors import document_requests_for_secretary, requestable_bodies
from .services import (
    body_status,
    current_cycle,
    data_years_of,
    kabupaten_rollup,
    kelembagaan_fill_assessment,
    missing_texts,
)

READER_ROLES = {Role.BAPPEDA_ADMIN, Role.PROVINCE_VERIFIER, Role.NATIONAL_VERIFIER}


def _kabupaten_for(user, code: str) -> Region:
    """The kabupaten ``code`` if ``user`` is its Bappeda admin or a verifier over it, else 404."""
    region = get_object_or_404(Region, code=code, level=Region.Level.KABKOTA)
    if not scope_of(user, roles=READER_ROLES).covers(region.code):
        raise Http404
    return region


def _latest_assessment(kabupaten: Region) -> Assessment | None:
    return Assessment.objects.filter(kabupaten=kabupaten).select_related("cycle").order_by("-cycle__award_year").first()


@login_required
def kelembagaan_start(request):
    """Bappeda lands on their kabupaten's table."""
    kabupaten = kabupaten_managed_by(request.user).order_by("code").first()
    if kabupaten is None:
        raise Http404
    return redirect("forums:kelembagaan_table", code=kabupaten.code)


@login_required
def kelembagaan_table(request, code: str):
    kabupaten = _kabupaten_for(request.user, code)
    assessment = _latest_assessment(kabupaten)
    cycle = assessment.cycle if assessment else current_cycle()
    years = data_years_of(cycle)
    rollup = kabupaten_rollup(kabupaten, years=years)
    only_lacking = request.GET.get("kurang") == "1"
    rows = [r for r in rollup.kecamatan if r.lacking] if only_lacking else rollup.kecamatan
    return render(
        request,
        "forums/kelembagaan/table.html",
        {
            "kabupaten": kabupaten,
            "rollup": rollup,
            "rows": rows,
            "only_lacking": only_lacking,
            "cycle": cycle,
            "assessment": assessment,
            "can_fill": assessment is not None and is_bappeda_admin_of(request.user, kabupaten.code),
        },
    )


@login_required
@require_POST
def kelembagaan_fill(request, code: str):
    kabupaten = _kabupaten_for(request.user, code)
    assessment = _latest_assessment(kabupaten)
    if assessment is None:
        raise Http404
    try:
        changed = kelembagaan_fill_assessment(assessment=assessment, actor=request.user)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Nilai kelembagaan %(cycle)s diisi dari data lembaga: %(n)s butir berubah.")
            % {"cycle": assessment.cycle, "n": changed},
        )
    return redirect("forums:kelembagaan_table", code=kabupaten.code)


@login_required
def kelembagaan_request(request, code: str):
    """Bappeda asks the secretaries of some Forum/Pokja for their kelembagaan documents (SK,
    rencana kerja, sekretariat) by a deadline, in the kabupaten's open assessment. The table
    shows which documents each body has for the cycle's data years and what it was asked; after
    an error the page comes back with every tick as typed."""
    kabupaten = get_object_or_404(Region, code=code, level=Region.Level.KABKOTA)
    if not is_bappeda_admin_of(request.user, kabupaten.code):
        raise Http404
    assessment = (
        Assessment.objects.filter(open_assessments_q(), kabupaten=kabupaten)
        .select_related("cycle", "kabupaten")
        .order_by("-cycle__award_year")
        .first()
    )
    rows = requestable_bodies(assessment) if assessment is not None else []
    form = DocumentRequestForm(request.POST or None, region_codes=[row.body.region_id for row in rows])
    if request.method == "POST" and assessment is not None and form.is_valid():
        data = form.cleaned_data
        regions = [row.body.region for row in rows if row.body.region_id in set(data["regions"])]
        try:
            made = data_request_documents(
                assessment=assessment,
                regions=regions,
                documents=data["documents"],
                deadline=data["deadline"],
                message=data["message"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Dokumen kelembagaan diminta dari %(n)s lembaga, tenggat %(date)s.")
                % {"n": len(made), "date": data["deadline"].strftime("%d-%m-%Y")},
            )
            return redirect("indicators:request_outstanding", pk=assessment.pk)
    ticked = set(form.data.getlist("regions")) if form.is_bound else set()
    only_lacking = request.GET.get("kurang") == "1"
    shown = [row for row in rows if row.lacking or row.body.region_id in ticked] if only_lacking else rows
    return render(
        request,
        "forums/kelembagaan/request.html",
        {
            "kabupaten": kabupaten,
            "assessment": assessment,
            "form": form,
            "rows": shown,
            "ticked": ticked,
            "only_lacking": only_lacking,
            "today": today(),
        },
    )


def _link(name: str, body: Body) -> str:
    try:
        return reverse(name, kwargs={"pk": body.pk})
    except NoReverseMatch:
        return ""


@login_required
def secretary_home(request):
    """The secretary's body, what it lacks and what to do next; phone first."""
    body = body_for_secretary(request.user)
    requests = document_requests_for_secretary(request.user)
    if body is None:
        if not secretary_regions_of(request.user):
            raise Http404
        return render(
            request,
            "forums/home.html",
            {"body": None, "regions": secretary_regions_of(request.user), "requests": requests},
        )
    cycle = current_cycle()
    years = data_years_of(cycle)
    status = body_status(body, years=years)
    todo = [
        (_("Tambah atau perbarui SK"), _link("forums:decree_list", body), not status.has_sk),
        (_("Tambah anggota"), _link("forums:member_add", body), False),
        (_("Isi alamat dan foto sekretariat"), _link("forums:secretariat_edit", body), not status.has_secretariat),
        (
            _("Susun rencana kerja dan anggaran tahun %(years)s") % {"years": and_list(years)},
            _link("forums:work_plan_list", body),
            not (status.has_rencana_kerja and status.has_anggaran),
        ),
    ]
    # Activities and their evidence live in the evidence app, reached by URL name only.
    activity_count = body.activities.filter(deleted_at__isnull=True).count()
    activities_url = _link("evidence:activity_list", body)
    if activities_url:
        todo.append(
            (
                _("Catat kegiatan dan unggah buktinya (%(n)s kegiatan tercatat)") % {"n": activity_count},
                activities_url,
                activity_count == 0,
            )
        )
    todo.sort(key=lambda t: not t[2])
    return render(
        request,
        "forums/home.html",
        {
            "body": body,
            "status": status,
            "missing": missing_texts(status),
            "todo": todo,
            "cycle": cycle,
            "years": years,
            "detail_url": _link("forums:body_detail", body),
            "requests": requests,
        },
    )
