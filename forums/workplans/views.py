"""Pages of the work plans (rencana kerja) and pembinaan visits.

Reading goes through ``forums.workplans.selectors`` (scope; 404 outside it). Writes go through
``forums.workplans.services``, which check rights themselves; a ``PermissionDenied`` there
answers 404 here too: the action does not exist for that user.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kks_portal.lib.forms import add_service_errors

from ..models import WorkPlanItem
from ..selectors import body_for, can_edit_body
from .forms import PembinaanVisitForm, WorkPlanCreateForm, WorkPlanItemForm, WorkPlanReturnForm
from .selectors import (
    can_decide_work_plan,
    can_edit_pembinaan_visit,
    can_edit_work_plan,
    can_record_pembinaan,
    pembinaan_team_regions_of,
    pembinaan_visit_to_edit,
    pembinaan_visits_visible_to,
    rupiah,
    work_plan_for,
    work_plan_items,
    work_plan_totals,
    work_plan_years,
    work_plans_awaiting,
    work_plans_of_body,
)
from .services import (
    ITEM_FIELDS,
    VISIT_FIELDS,
    pembinaan_visit_update,
    pembinaan_visits_create,
    work_plan_approve,
    work_plan_create,
    work_plan_item_add,
    work_plan_item_delete,
    work_plan_item_update,
    work_plan_return,
    work_plan_submit,
)


def _message_errors(request, error: ValidationError):
    for message in error.messages:
        messages.error(request, message)


# --- Work plans ---------------------------------------------------------------------------------


def _with_realisation(items):
    """Each item with the activities recorded as realising it (the evidence app's, read through
    the ``activities`` relation so that this app imports nothing of it) and their realised budget."""
    by_item = {item.pk: item for item in items}
    for item in items:
        item.realised = []
        item.realised_budget = 0
    rows = (
        WorkPlanItem.objects.filter(pk__in=list(by_item), activities__isnull=False, activities__deleted_at__isnull=True)
        .values_list("pk", "activities__pk", "activities__title", "activities__date", "activities__realised_budget")
        .order_by("activities__date", "activities__pk")
    )
    for item_pk, pk, title, date, budget in rows:
        item = by_item[item_pk]
        item.realised.append({"pk": pk, "title": title, "date": date})
        item.realised_budget += budget or 0
    for item in items:
        item.realised_budget_display = rupiah(item.realised_budget)
    return items


@login_required
def work_plan_list(request, pk):
    body = body_for(request.user, pk)
    can_edit = can_edit_body(request.user, body)
    form = None
    if can_edit:
        form = WorkPlanCreateForm(request.POST or None, years=work_plan_years(body))
        if request.method == "POST" and form.is_valid():
            try:
                plan = work_plan_create(body=body, year=form.cleaned_data["year"], actor=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Rencana kerja tahun %(year)s dibuat.") % {"year": plan.year})
                return redirect("forums:work_plan_detail", pk=plan.pk)
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "forums/workplans/list.html",
        {"body": body, "plans": work_plans_of_body(body), "form": form, "can_edit": can_edit},
    )


@login_required
def work_plan_detail(request, pk):
    plan = work_plan_for(request.user, pk)
    return render(
        request,
        "forums/workplans/detail.html",
        {
            "plan": plan,
            "body": plan.body,
            "items": _with_realisation(work_plan_items(plan)),
            "totals": work_plan_totals(plan),
            "can_edit": can_edit_work_plan(request.user, plan),
            "can_decide": plan.status == plan.Status.SUBMITTED and can_decide_work_plan(request.user, plan),
            "return_form": WorkPlanReturnForm(),
        },
    )


def _plan_to_edit(request, pk):
    plan = work_plan_for(request.user, pk)
    if not can_edit_body(request.user, plan.body):
        raise Http404
    return plan


@login_required
def work_plan_item_form(request, pk, item_pk=None):
    plan = _plan_to_edit(request, pk)
    item = get_object_or_404(plan.items, pk=item_pk) if item_pk else None
    if not can_edit_work_plan(request.user, plan):
        messages.error(request, _("Rencana kerja ini tidak dapat diubah lagi."))
        return redirect("forums:work_plan_detail", pk=plan.pk)
    initial = {key: getattr(item, key) for key in ITEM_FIELDS if key != "order"} if item else None
    form = WorkPlanItemForm(request.POST or None, initial=initial, user=request.user, work_plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            if item is None:
                work_plan_item_add(work_plan=plan, actor=request.user, **form.cleaned_data)
            else:
                work_plan_item_update(item=item, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Kegiatan disimpan."))
            return redirect("forums:work_plan_detail", pk=plan.pk)
    return render(
        request, "forums/workplans/item_form.html", {"plan": plan, "body": plan.body, "item": item, "form": form}
    )


@login_required
@require_POST
def work_plan_item_remove(request, pk, item_pk):
    plan = _plan_to_edit(request, pk)
    item = get_object_or_404(plan.items, pk=item_pk)
    try:
        work_plan_item_delete(item=item, actor=request.user)
    except ValidationError as error:
        _message_errors(request, error)
    else:
        messages.success(request, _("Kegiatan dihapus."))
    return redirect("forums:work_plan_detail", pk=plan.pk)


@login_required
@require_POST
def work_plan_submit_view(request, pk):
    plan = _plan_to_edit(request, pk)
    try:
        work_plan_submit(work_plan=plan, actor=request.user)
    except ValidationError as error:
        _message_errors(request, error)
    else:
        messages.success(request, _("Rencana kerja diajukan untuk disetujui."))
    return redirect("forums:work_plan_detail", pk=plan.pk)


@login_required
@require_POST
def work_plan_decide(request, pk, decision):
    plan = work_plan_for(request.user, pk)
    try:
        if decision == "approve":
            work_plan_approve(work_plan=plan, actor=request.user)
            messages.success(request, _("Rencana kerja disetujui."))
        else:
            work_plan_return(work_plan=plan, actor=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("Rencana kerja dikembalikan."))
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as error:
        if decision != "approve" and plan.status == plan.Status.SUBMITTED:
            form = WorkPlanReturnForm(request.POST)
            form.is_valid()
            add_service_errors(form, error)
            return render(
                request,
                "forums/workplans/detail.html",
                {
                    "plan": plan,
                    "body": plan.body,
                    "items": _with_realisation(work_plan_items(plan)),
                    "totals": work_plan_totals(plan),
                    "can_edit": False,
                    "can_decide": True,
                    "return_form": form,
                },
                status=400,
            )
        _message_errors(request, error)
    return redirect("forums:work_plan_detail", pk=plan.pk)


@login_required
def work_plan_queue(request):
    return render(request, "forums/workplans/queue.html", {"plans": work_plans_awaiting(request.user)[:500]})


# --- Pembinaan ----------------------------------------------------------------------------------


@login_required
def pembinaan_list(request):
    # Their evidence files are the evidence app's, counted through the ``files`` relation.
    live_files = Q(files__deleted_at__isnull=True, files__replaced_by__isnull=True)
    visits = list(
        pembinaan_visits_visible_to(request.user).annotate(file_count=Count("files", filter=live_files))[:500]
    )
    for visit in visits:
        visit.can_edit = can_edit_pembinaan_visit(request.user, visit)
    return render(
        request,
        "forums/pembinaan/list.html",
        {"visits": visits, "can_record": can_record_pembinaan(request.user)},
    )


@login_required
def pembinaan_form(request, pk=None):
    visit = pembinaan_visit_to_edit(request.user, pk) if pk else None
    if visit is not None:
        team_regions = [visit.visiting_body.region]
        initial = {key: getattr(visit, key) for key in VISIT_FIELDS} | {"team_region": visit.visiting_body.region}
    else:
        team_regions = pembinaan_team_regions_of(request.user)
        if not team_regions:
            raise Http404
        posted_team = request.POST.get("team_region")
        if posted_team and posted_team not in {region.code for region in team_regions}:
            raise Http404  # another team's visits are not the user's to record
        initial = None
    form = PembinaanVisitForm(request.POST or None, initial=initial, team_regions=team_regions)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        team_region = data.pop("team_region")
        try:
            if visit is None:
                visits = pembinaan_visits_create(team_region=team_region, actor=request.user, **data)
            else:
                pembinaan_visit_update(visit=visit, actor=request.user, **data)
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if visit is None and len(visits) > 1:
                messages.success(
                    request,
                    _("Kunjungan pembinaan disimpan untuk %(n)s wilayah: %(names)s.")
                    % {"n": len(visits), "names": ", ".join(v.target_region.name for v in visits)},
                )
            else:
                messages.success(request, _("Kunjungan pembinaan disimpan."))
            return redirect("forums:pembinaan_list")
    return render(request, "forums/pembinaan/form.html", {"form": form, "visit": visit})
