"""Data requests to OPDs (entries, titik pantau) and to the Forum/Pokja secretaries (kelembagaan
documents, asked on the forums app's page), the OPD operator's to-do list and Bappeda's readiness
dashboard.

Bappeda pages go through ``assessment_administered_by``: for anyone but the Bappeda admin of
the kabupaten (and superusers) they do not exist (404). Writes go through the services.
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.dispatch import Signal
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts.selectors import opd_function_map, opd_function_suggestions
from accounts.services import opd_functions_set
from kks_portal.lib.forms import add_service_errors
from kks_portal.lib.url_ids import parse_id

from ..models import DataRequest, IndicatorEntry
from ..scoring import assessment_score
from ..selectors import assessment_for, entries_of, entry_for
from ..services import entries_assign_by_function, indicator_entry_update
from .forms import DataRequestAssignForm, OpdFunctionForm, TitikPantauRequestForm
from .selectors import (
    assessment_administered_by,
    data_request_for,
    data_request_of,
    function_counts,
    opds_of,
    other_requests_progress,
    request_progress,
    titik_pantau_todo,
    today,
    todo_for_operator,
    unassigned_count,
)
from .services import (
    data_request_assign,
    data_request_cancel,
    data_request_remind,
    data_request_titik_pantau,
    data_requests_remind_overdue,
)


@dataclass
class _TatananGroup:
    """One tatanan of the assign page: its entries and how many of them are ticked."""

    tatanan: object
    entries: list = field(default_factory=list)
    ticked: int = 0


def _entries_by_tatanan(entries, ticked: set[str]) -> list[_TatananGroup]:
    """The entries grouped per tatanan in catalogue order, for the grouped checkboxes; each
    entry carries ``ticked``."""
    groups: list[_TatananGroup] = []
    for entry in entries:
        tatanan = entry.indicator.tatanan
        if not groups or groups[-1].tatanan.pk != tatanan.pk:
            groups.append(_TatananGroup(tatanan=tatanan))
        entry.ticked = str(entry.pk) in ticked
        groups[-1].entries.append(entry)
        groups[-1].ticked += entry.ticked
    return groups


@login_required
def request_assign(request, pk):
    """One page for the entries of every tatanan: tick them (static/js/request-assign.js adds
    "Pilih semua"/"Kosongkan" and the filter in the browser, without a reload), choose the OPD,
    deadline and message in the sticky bar, save. After an error the page comes back with every
    tick and field as typed."""
    assessment = assessment_administered_by(request.user, pk)
    initial = {}
    chosen_opd = request.GET.get("opd", "")
    opd_id = parse_id(chosen_opd)
    if opd_id is not None:
        # The per-OPD form: this OPD's entries ticked, its deadline filled, and what is
        # unticked on saving is taken away from it.
        initial = {
            "opd": opd_id,
            "entries": list(assessment.indicator_entries.filter(assigned_opd_id=opd_id).values_list("pk", flat=True)),
            "replace": True,
        }
        data_request = assessment.data_requests.filter(opd_id=opd_id).first()
        if data_request is not None:
            initial["deadline"] = data_request.deadline
            initial["message"] = data_request.message
    form = DataRequestAssignForm(request.POST or None, initial=initial, assessment=assessment)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Replacing is only ever meant for the OPD whose per-OPD form this is: if the select
        # was changed to another OPD, the ticked entries are added to that one instead.
        data["replace"] = data["replace"] and str(data["opd"].pk) == chosen_opd
        try:
            data_request = data_request_assign(
                assessment=assessment,
                opd=data["opd"],
                entries=list(data["entries"]),
                deadline=data["deadline"],
                message=data["message"],
                replace=data["replace"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s indikator diminta dari %(opd)s, tenggat %(date)s.",
                    "%(count)s indikator diminta dari %(opd)s, tenggat %(date)s.",
                    len(data["entries"]),
                )
                % {
                    "count": len(data["entries"]),
                    "opd": data_request.opd.short_name,
                    "date": data_request.deadline.strftime("%d-%m-%Y"),
                },
            )
            return redirect("indicators:request_outstanding", pk=assessment.pk)
    if form.is_bound:
        ticked = {str(v) for v in form.data.getlist("entries")}
    else:
        ticked = {str(v) for v in initial.get("entries", [])}
    groups = _entries_by_tatanan(entries_of(assessment, user=request.user), ticked)
    return render(
        request,
        "indicators/requests/assign.html",
        {
            "assessment": assessment,
            "form": form,
            "groups": groups,
            "ticked_count": sum(group.ticked for group in groups),
            "entry_count": sum(len(group.entries) for group in groups),
            "opds": opds_of(assessment),
            "chosen_opd": chosen_opd,
            "replace": bool(initial.get("replace")) or (form.is_bound and form.data.get("replace") in ("True", "on")),
            "today": today(),
        },
    )


@login_required
def request_outstanding(request, pk):
    """Every request of the assessment with how much of it is outstanding: the entries per OPD
    and per tatanan, then the titik pantau and kelembagaan requests one by one."""
    assessment = assessment_administered_by(request.user, pk)
    progress = request_progress(assessment)
    others = other_requests_progress(assessment)
    return render(
        request,
        "indicators/requests/outstanding.html",
        {
            "assessment": assessment,
            "progress": progress,
            "others": others,
            "overdue_count": len(progress.overdue) + sum(1 for row in others if row.overdue),
        },
    )


@login_required
def request_titik_pantau(request, pk):
    """Ask an OPD for the titik pantau of some tatanan (and kinds) by a deadline; "?opd=<id>"
    opens what that OPD was asked, to change it. After an error the page comes back as typed."""
    assessment = assessment_administered_by(request.user, pk)
    initial: dict = {"points_min": 1}
    opd_id = parse_id(request.GET.get("opd", ""))
    existing = (
        assessment.data_requests.filter(kind=DataRequest.Kind.TITIK_PANTAU, opd_id=opd_id).first()
        if opd_id is not None
        else None
    )
    if existing is not None:
        initial = {
            "opd": existing.opd_id,
            "tatanan": list(existing.tatanan.values_list("pk", flat=True)),
            "point_kinds": existing.point_kinds,
            "points_min": existing.points_min,
            "deadline": existing.deadline,
            "message": existing.message,
        }
    form = TitikPantauRequestForm(request.POST or None, initial=initial, assessment=assessment)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            data_request = data_request_titik_pantau(
                assessment=assessment,
                opd=data["opd"],
                tatanan=list(data["tatanan"]),
                point_kinds=data["point_kinds"],
                points_min=data["points_min"],
                deadline=data["deadline"],
                message=data["message"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Titik pantau %(tatanan)s diminta dari %(opd)s, tenggat %(date)s.")
                % {
                    "tatanan": ", ".join(t.code for t in data["tatanan"]),
                    "opd": data_request.opd.short_name,
                    "date": data_request.deadline.strftime("%d-%m-%Y"),
                },
            )
            return redirect("indicators:request_outstanding", pk=assessment.pk)
    return render(
        request,
        "indicators/requests/titik_pantau_request.html",
        {"assessment": assessment, "form": form, "existing": existing, "today": today()},
    )


@login_required
@require_POST
def request_remind_one(request, pk, request_pk):
    """Remind those asked by one request of any kind (the OPD's operators, or the secretaries)."""
    assessment = assessment_administered_by(request.user, pk)
    data_request = data_request_of(request.user, assessment=assessment, pk=request_pk)
    data_request_remind(data_request=data_request, actor=request.user, base_url=request.build_absolute_uri("/"))
    messages.success(request, _("Pengingat untuk %(asked)s sedang dikirim.") % {"asked": data_request.asked_label})
    return redirect("indicators:request_outstanding", pk=assessment.pk)


@login_required
@require_http_methods(["GET", "POST"])
def request_cancel(request, pk, request_pk):
    """Withdraw a titik pantau or kelembagaan request, after a confirmation page."""
    assessment = assessment_administered_by(request.user, pk)
    data_request = data_request_of(request.user, assessment=assessment, pk=request_pk)
    if data_request.kind == DataRequest.Kind.ENTRIES:
        # Entry requests are changed on "Tugaskan ke OPD", where unticking takes entries away.
        raise Http404
    if request.method == "POST":
        data_request_cancel(data_request=data_request, actor=request.user)
        messages.success(request, _("Permintaan kepada %(asked)s dibatalkan.") % {"asked": data_request.asked_label})
        return redirect("indicators:request_outstanding", pk=assessment.pk)
    return render(
        request,
        "indicators/requests/cancel.html",
        {"assessment": assessment, "data_request": data_request},
    )


@login_required
@require_POST
def request_remind(request, pk, opd_pk):
    assessment = assessment_administered_by(request.user, pk)
    data_request = data_request_for(request.user, assessment=assessment, opd_id=opd_pk)
    data_request_remind(data_request=data_request, actor=request.user, base_url=request.build_absolute_uri("/"))
    messages.success(
        request, _("Pengingat untuk operator %(opd)s sedang dikirim.") % {"opd": data_request.opd.short_name}
    )
    return redirect("indicators:request_outstanding", pk=assessment.pk)


@login_required
@require_POST
def request_remind_overdue(request, pk):
    assessment = assessment_administered_by(request.user, pk)
    reminded = data_requests_remind_overdue(
        assessment=assessment, actor=request.user, base_url=request.build_absolute_uri("/")
    )
    if reminded:
        messages.success(
            request,
            _("Pengingat sedang dikirim ke operator %(opds)s.")
            % {"opds": ", ".join(r.opd.short_name for r in reminded)},
        )
    else:
        messages.info(request, _("Tidak ada OPD yang terlambat."))
    return redirect("indicators:request_outstanding", pk=assessment.pk)


@login_required
def todo(request):
    """The OPD operator's list: the entries assigned to their OPD, and the titik pantau asked of it."""
    groups = todo_for_operator(request.user)
    return render(
        request,
        "indicators/requests/todo.html",
        {"groups": groups, "point_requests": titik_pantau_todo(request.user), "today": today()},
    )


@login_required
@require_POST
def entry_mark_done(request, pk, entry_pk):
    """An OPD operator returns an entry: its status becomes ``selesai``."""
    assessment = assessment_for(request.user, pk)
    entry = entry_for(request.user, assessment=assessment, pk=entry_pk)
    indicator_entry_update(entry=entry, actor=request.user, status=IndicatorEntry.Status.SELESAI)
    messages.success(request, _("%(indicator)s ditandai selesai.") % {"indicator": entry.indicator})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "indicators:todo"
    return redirect(target)


# Apps above this one (evidence: its readiness figures) add a panel of HTML to the readiness
# dashboard by connecting a receiver of (request, assessment) that returns it; this app imports none of them.
assessment_dashboard_panels = Signal()


def _chart_data(assessment, score) -> dict:
    """What readiness-chart.js draws: one bar per tatanan, and the tiers' minimum scores as lines."""
    rules = assessment.cycle.tier_rules.exclude(score_min=None).order_by("rank")
    return {
        "labels": [f"{t.code} – {t.name}" for t in score.tatanan],
        "codes": [t.code for t in score.tatanan],
        "percents": [float(t.percent) for t in score.tatanan],
        "thresholds": [{"label": str(r.get_tier_display()), "value": float(r.score_min)} for r in rules],
    }


@login_required
def assessment_dashboard(request, pk):
    assessment = assessment_administered_by(request.user, pk)
    score = assessment_score(assessment=assessment)
    reached_rank = next((o.rank for o in score.outcomes if o.tier == score.tier), 0)
    above = sorted((o for o in score.outcomes if o.rank > reached_rank), key=lambda o: o.rank)
    return render(
        request,
        "indicators/dashboard.html",
        {
            "assessment": assessment,
            "score": score,
            "next_tier": above[0] if above else None,
            "chart": _chart_data(assessment, score),
            "progress": request_progress(assessment),
            "panels": [
                html
                for _receiver, html in assessment_dashboard_panels.send(
                    sender=assessment.__class__, request=request, assessment=assessment
                )
                if html
            ],
        },
    )


@login_required
def opd_functions(request, pk):
    """The kabupaten's map of government functions to its OPDs (``accounts.functions``), saved
    once for every round; saving also assigns this round's entries that have no OPD yet."""
    assessment = assessment_administered_by(request.user, pk)
    kabupaten = assessment.kabupaten
    form = OpdFunctionForm(
        request.POST or None,
        opds=opds_of(assessment),
        saved=opd_function_map(kabupaten.code),
        suggested=opd_function_suggestions(kabupaten.code),
        counts=function_counts(assessment),
    )
    if request.method == "POST" and form.is_valid():
        try:
            mapped = opd_functions_set(kabupaten=kabupaten, actor=request.user, mapping=form.mapping())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            text = _("Peta fungsi OPD %(kabupaten)s disimpan: %(n)s fungsi.") % {
                "kabupaten": kabupaten.name,
                "n": mapped,
            }
            if form.cleaned_data["apply"]:
                assigned = entries_assign_by_function(assessment=assessment, actor=request.user)
                text += " " + ngettext(
                    "%(n)s isian yang belum punya OPD kini ditugaskan.",
                    "%(n)s isian yang belum punya OPD kini ditugaskan.",
                    assigned,
                ) % {"n": assigned}
            messages.success(request, text)
            return redirect("indicators:request_outstanding", pk=assessment.pk)
    unassigned = unassigned_count(assessment)
    return render(
        request,
        "indicators/requests/opd_functions.html",
        {"assessment": assessment, "form": form, "unassigned": unassigned},
    )
