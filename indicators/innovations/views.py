"""The innovations of an assessment: read by everyone who reads the assessment, written by its
Bappeda admin (and superusers); anyone else gets 404, as for an assessment outside their scope."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import is_bappeda_admin_of
from kks_portal.lib.forms import add_service_errors

from ..fieldwork.views import _admin_assessment, _posted
from ..selectors import assessment_for
from .forms import InnovationForm
from .services import innovation_create, innovation_delete, innovation_update, innovations_of


@login_required
def innovation_list(request, pk):
    assessment = assessment_for(request.user, pk)
    return render(
        request,
        "indicators/innovations/list.html",
        {
            "assessment": assessment,
            "innovations": innovations_of(assessment),
            "can_edit": is_bappeda_admin_of(request.user, assessment.kabupaten_id),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def innovation_create_view(request, pk):
    assessment = _admin_assessment(request, pk)
    form = InnovationForm(_posted(request), initial={"year": assessment.cycle.last_data_year}, assessment=assessment)
    if request.method == "POST" and form.is_valid():
        try:
            innovation = innovation_create(assessment=assessment, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Inovasi %(title)s ditambahkan.") % {"title": innovation.title})
            return redirect("indicators:innovation_list", pk=assessment.pk)
    return render(
        request, "indicators/innovations/form.html", {"assessment": assessment, "form": form, "innovation": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def innovation_edit(request, pk, innovation_pk):
    assessment = _admin_assessment(request, pk)
    innovation = get_object_or_404(assessment.innovations, pk=innovation_pk)
    initial = {
        "title": innovation.title,
        "tatanan": innovation.tatanan_id,
        "year": innovation.year,
        "description": innovation.description,
        "result": innovation.result,
    }
    form = InnovationForm(_posted(request), initial=initial, assessment=assessment)
    if request.method == "POST" and form.is_valid():
        try:
            innovation_update(innovation=innovation, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Inovasi %(title)s disimpan.") % {"title": innovation.title})
            return redirect("indicators:innovation_list", pk=assessment.pk)
    return render(
        request, "indicators/innovations/form.html", {"assessment": assessment, "form": form, "innovation": innovation}
    )


@login_required
@require_http_methods(["GET", "POST"])
def innovation_delete_view(request, pk, innovation_pk):
    assessment = _admin_assessment(request, pk)
    innovation = get_object_or_404(assessment.innovations, pk=innovation_pk)
    if request.method == "POST":
        innovation_delete(innovation=innovation, actor=request.user)
        messages.success(request, _("Inovasi %(title)s dihapus.") % {"title": innovation.title})
        return redirect("indicators:innovation_list", pk=assessment.pk)
    return render(
        request,
        "indicators/fieldwork/confirm_delete.html",
        {"assessment": assessment, "object_label": innovation.title, "back": "indicators:innovation_list"},
    )
