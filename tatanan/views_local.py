"""The catalogue of local indicators: every kabupaten/kota's own indicators in one cycle, for
users whose scope covers that kabupaten/kota (a provincial verifier sees those of their
province, no one sees those of another region).

Its Bappeda admin edits the wording here. Adding a local indicator happens on the assessment
(``indicators`` app), which also creates its entry; deleting one here is refused while an
assessment still holds it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import is_bappeda_admin_of, require_kabupaten_admin

from .forms_local import LocalIndicatorForm
from .models import Indicator, Tatanan
from .selectors import cycle_for, indicators_visible_to
from .services import LOCAL_FIELDS, local_indicator_delete, local_indicator_update


def _local(request, award_year, pk) -> Indicator:
    """A local indicator the user administers; 404 for everyone else, as if it did not exist."""
    cycle = cycle_for(request.user, award_year)
    indicator = get_object_or_404(indicators_visible_to(request.user, cycle=cycle).filter(is_local=True), pk=pk)
    require_kabupaten_admin(request.user, indicator.owner_kabupaten_id)
    return indicator


@login_required
def local_list(request, award_year):
    cycle = cycle_for(request.user, award_year)
    indicators = indicators_visible_to(request.user, cycle=cycle).filter(is_local=True)
    indicators = indicators.order_by("owner_kabupaten__code", "tatanan__number", "order", "id")
    groups: dict = {}
    for indicator in indicators:
        indicator.editable = is_bappeda_admin_of(request.user, indicator.owner_kabupaten_id)
        groups.setdefault(indicator.owner_kabupaten, []).append(indicator)
    return render(request, "tatanan/local/list.html", {"cycle": cycle, "groups": list(groups.items())})


@login_required
def local_edit(request, award_year, pk):
    indicator = _local(request, award_year, pk)
    initial = {name: getattr(indicator, name) for name in LOCAL_FIELDS}
    initial["tatanan"] = indicator.tatanan_id
    form = LocalIndicatorForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        tatanan_choices=Tatanan.objects.filter(pk=indicator.tatanan_id),
    )
    if request.method == "POST" and form.is_valid():
        try:
            local_indicator_update(
                indicator=indicator, actor=request.user, **{name: form.cleaned_data[name] for name in LOCAL_FIELDS}
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(request, _("Indikator lokal disimpan."))
            return redirect("tatanan:local_list", award_year=award_year)
    return render(request, "tatanan/local/form.html", {"cycle": indicator.cycle, "indicator": indicator, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def local_delete(request, award_year, pk):
    indicator = _local(request, award_year, pk)
    if request.method == "POST":
        try:
            local_indicator_delete(indicator=indicator, actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Indikator lokal dihapus."))
        return redirect("tatanan:local_list", award_year=award_year)
    return render(request, "tatanan/local/confirm_delete.html", {"cycle": indicator.cycle, "indicator": indicator})
