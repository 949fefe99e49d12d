"""Assessment pages: the list (and opening an assessment), the score page and the entry form.

Everything is read through the scoped selectors, so an assessment of another province simply
does not exist (404) for a verifier; writes go through the services.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import is_bappeda_admin_of
from accounts.selectors import kabupaten_managed_by
from kks_portal.lib.forms import add_service_errors
from kks_portal.lib.query_filters import query_text
from tatanan.models import Cycle

from .forms import AssessmentOpenForm, IndicatorEntryForm
from .scoring import LAYERS, assessment_score
from .selectors import (
    assessment_for,
    assessments_visible_to,
    can_edit_entry,
    entries_of,
    entry_for,
)
from .services import assessment_open, indicator_entry_update

ASSESSMENT_PAGE_SIZE = 100


@login_required
def assessment_list(request):
    can_open = kabupaten_managed_by(request.user).exists()
    form = None
    if can_open:
        year = query_text(request.GET, "siklus")
        chosen = Cycle.objects.filter(award_year=year).first() if year.isdigit() and len(year) == 4 else None
        kept = {"kabupaten": query_text(request.GET, "kabupaten")} if request.GET.get("kabupaten") else {}
        form = AssessmentOpenForm(request.POST or None, user=request.user, cycle=chosen, initial=kept)
        if request.method == "POST" and form.is_valid():
            try:
                assessment = assessment_open(
                    kabupaten=form.cleaned_data["kabupaten"],
                    cycle=form.cleaned_data["cycle"],
                    actor=request.user,
                    tatanan=list(form.cleaned_data.get("tatanan") or []),
                    category=form.cleaned_data["category"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Penilaian %(name)s dibuka.") % {"name": assessment})
                return redirect("indicators:assessment_detail", pk=assessment.pk)
    elif request.method == "POST":
        raise Http404
    # A page at a time: a national verifier reads every kabupaten/kota of every cycle.
    page = Paginator(assessments_visible_to(request.user), ASSESSMENT_PAGE_SIZE).get_page(request.GET.get("halaman"))
    return render(
        request,
        "indicators/assessment_list.html",
        {"assessments": page.object_list, "page": page, "form": form},
    )


@login_required
def assessment_detail(request, pk):
    assessment = assessment_for(request.user, pk)
    layer = request.GET.get("lapisan", "self")
    if layer not in LAYERS:
        layer = "self"
    entries = list(entries_of(assessment, user=request.user))
    for entry in entries:
        entry.editable = can_edit_entry(request.user, entry)
    return render(
        request,
        "indicators/assessment_detail.html",
        {
            "assessment": assessment,
            "score": assessment_score(assessment=assessment, layer=layer),
            "layer": layer,
            "layers": [("self", _("Mandiri")), ("provincial", _("Provinsi")), ("national", _("Pusat"))],
            "entries": entries,
        },
    )


@login_required
def entry_edit(request, pk, entry_pk):
    assessment = assessment_for(request.user, pk)
    entry = entry_for(request.user, assessment=assessment, pk=entry_pk)
    if not can_edit_entry(request.user, entry):
        raise Http404
    can_assign = is_bappeda_admin_of(request.user, assessment.kabupaten_id)
    initial = {
        "value_year1": entry.value_year1,
        "value_year2": entry.value_year2,
        "target": entry.target,
        "explanation": entry.explanation,
        "evidence_link": entry.evidence_link,
        "self_score": entry.self_score_id,
        "status": entry.status,
        "assigned_opd": entry.assigned_opd_id,
    }
    form = IndicatorEntryForm(request.POST or None, initial=initial, entry=entry, can_assign=can_assign)
    if request.method == "POST" and form.is_valid():
        try:
            indicator_entry_update(entry=entry, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Isian indikator disimpan."))
            return redirect("indicators:assessment_detail", pk=assessment.pk)
    return render(request, "indicators/entry_form.html", {"assessment": assessment, "entry": entry, "form": form})
