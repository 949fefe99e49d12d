"""Field-work pages of an assessment: titik pantau, ODF, kelembagaan, chosen tatanan and local
indicators.

Reading titik pantau is for everyone who reads the assessment; every other page, and every
write, is for the Bappeda admin of the kabupaten/kota (and superusers). The one exception: the
operators of an OPD Bappeda asked for titik pantau add and change those (README "Permintaan
data"). Anyone else gets 404, as for an assessment outside their scope.
"""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import is_bappeda_admin_of
from kks_portal.lib.forms import add_service_errors
from kks_portal.lib.query_filters import query_text
from regions.words import kabkota_word, village_word, village_word_of_kinds
from tatanan.forms_local import LocalIndicatorForm
from tatanan.models import Cycle, Indicator, Tatanan
from tatanan.services import local_indicator_update

from ..requests.selectors import may_write_titik_pantau, titik_pantau_requests_of
from ..selectors import assessment_for, odf_percent, usulan_of
from .forms import (
    KelembagaanFormSet,
    OdfChecklistForm,
    OdfCountsForm,
    TatananChoiceForm,
    TitikPantauForm,
    UsulanForm,
)
from .services import (
    assessment_tatanan_update,
    assessment_usulan_update,
    desa_of,
    kecamatan_of,
    kelembagaan_entries_update,
    local_entries_of,
    local_indicator_add,
    local_indicator_remove,
    odf_checklist_set,
    odf_counts_set,
    odf_rows_by_kecamatan,
    outside_indonesia,
    titik_pantau_by_tatanan,
    titik_pantau_create,
    titik_pantau_delete,
    titik_pantau_update,
)


def _posted(request):
    """The POST data, or None for a GET; an empty POST (every checkbox unticked) still binds."""
    return request.POST if request.method == "POST" else None


def _admin_assessment(request, pk):
    """The assessment, for its Bappeda admin only; 404 for everyone else."""
    assessment = assessment_for(request.user, pk)
    if not is_bappeda_admin_of(request.user, assessment.kabupaten_id):
        raise Http404
    return assessment


# --- Titik pantau -------------------------------------------------------------------------------


def _point_scope(user, assessment) -> tuple[set[int], set[str]] | None:
    """What ``user`` may write of the assessment's titik pantau: None for everything (the Bappeda
    admin), else the tatanan ids and kinds asked of their OPD(s) (an empty set of kinds: every
    kind). 404 for someone who may write none."""
    if is_bappeda_admin_of(user, assessment.kabupaten_id):
        return None
    requests = list(titik_pantau_requests_of(user, assessment))
    if not requests:
        raise Http404
    tatanan = {t.pk for r in requests for t in r.tatanan.all()}
    kinds = set() if any(not r.point_kinds for r in requests) else {k for r in requests for k in r.point_kinds}
    return tatanan, kinds


def _writable(user, assessment, form) -> bool:
    """For an OPD operator: the tatanan and kind chosen must be asked of their OPD together;
    otherwise the form says so (nothing is saved)."""
    data = form.cleaned_data
    if may_write_titik_pantau(user, assessment, tatanan_id=data["tatanan"].pk, kind=data["kind"]):
        return True
    form.add_error("kind", _("Jenis titik pantau ini tidak diminta dari OPD Anda untuk tatanan itu."))
    return False


@login_required
def titik_pantau_list(request, pk):
    assessment = assessment_for(request.user, pk)
    groups = titik_pantau_by_tatanan(assessment)
    is_admin = is_bappeda_admin_of(request.user, assessment.kabupaten_id)
    requests = [] if is_admin else list(titik_pantau_requests_of(request.user, assessment))
    for _tatanan, points in groups:
        for point in points:
            point.can_edit = is_admin or may_write_titik_pantau(
                request.user, assessment, tatanan_id=point.tatanan_id, kind=point.kind, requests=requests
            )
            point.can_delete = is_admin or (point.can_edit and point.created_by_id == request.user.pk)
    asked = {t.pk for r in requests for t in r.tatanan.all()}
    return render(
        request,
        "indicators/fieldwork/titik_pantau_list.html",
        {
            "assessment": assessment,
            "groups": groups,
            "addable": {t.pk for t, _points in groups if is_admin or t.pk in asked},
            "can_edit": is_admin or bool(requests),
        },
    )


def _warn_if_far(request, point):
    if outside_indonesia(point.latitude, point.longitude):
        messages.warning(
            request,
            _(
                "Koordinat %(name)s berada jauh di luar wilayah Indonesia; periksa apakah lintang dan bujur "
                "tertukar atau tanda minusnya hilang."
            )
            % {"name": point.name},
        )


@login_required
def titik_pantau_create_view(request, pk):
    assessment = assessment_for(request.user, pk)
    scope = _point_scope(request.user, assessment)
    form = TitikPantauForm(
        _posted(request), assessment=assessment, tatanan_code=query_text(request.GET, "tatanan"), scope=scope
    )
    if request.method == "POST" and form.is_valid() and _writable(request.user, assessment, form):
        try:
            point = titik_pantau_create(assessment=assessment, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Titik pantau %(name)s ditambahkan.") % {"name": point.name})
            _warn_if_far(request, point)
            return redirect("indicators:titik_pantau_list", pk=assessment.pk)
    return render(
        request, "indicators/fieldwork/titik_pantau_form.html", {"assessment": assessment, "form": form, "point": None}
    )


@login_required
def titik_pantau_edit(request, pk, point_pk):
    assessment = assessment_for(request.user, pk)
    scope = _point_scope(request.user, assessment)
    point = get_object_or_404(assessment.titik_pantau, pk=point_pk)
    if not may_write_titik_pantau(request.user, assessment, tatanan_id=point.tatanan_id, kind=point.kind):
        raise Http404
    initial = {
        "tatanan": point.tatanan_id,
        "name": point.name,
        "kind": point.kind,
        "desa": point.desa_id or "",
        "address": point.address,
        "latitude": point.latitude,
        "longitude": point.longitude,
        "description": point.description,
    }
    form = TitikPantauForm(_posted(request), initial=initial, assessment=assessment, scope=scope)
    if request.method == "POST" and form.is_valid() and _writable(request.user, assessment, form):
        try:
            titik_pantau_update(titik_pantau=point, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Titik pantau %(name)s disimpan.") % {"name": point.name})
            _warn_if_far(request, point)
            return redirect("indicators:titik_pantau_list", pk=assessment.pk)
    return render(
        request, "indicators/fieldwork/titik_pantau_form.html", {"assessment": assessment, "form": form, "point": point}
    )


@login_required
@require_http_methods(["GET", "POST"])
def titik_pantau_delete_view(request, pk, point_pk):
    assessment = assessment_for(request.user, pk)
    _point_scope(request.user, assessment)
    point = get_object_or_404(assessment.titik_pantau, pk=point_pk)
    if not is_bappeda_admin_of(request.user, assessment.kabupaten_id) and not (
        point.created_by_id == request.user.pk
        and may_write_titik_pantau(request.user, assessment, tatanan_id=point.tatanan_id, kind=point.kind)
    ):
        raise Http404
    if request.method == "POST":
        titik_pantau_delete(titik_pantau=point, actor=request.user)
        messages.success(request, _("Titik pantau %(name)s dihapus.") % {"name": point.name})
        return redirect("indicators:titik_pantau_list", pk=assessment.pk)
    return render(
        request,
        "indicators/fieldwork/confirm_delete.html",
        {"assessment": assessment, "object_label": point.name, "back": "indicators:titik_pantau_list"},
    )


# --- ODF ----------------------------------------------------------------------------------------


@login_required
def odf_overview(request, pk):
    assessment = _admin_assessment(request, pk)
    return render(
        request,
        "indicators/fieldwork/odf_overview.html",
        {
            "assessment": assessment,
            "rows": odf_rows_by_kecamatan(assessment),
            "odf": odf_percent(assessment),
            "usulan": any(usulan_of(assessment)),
        },
    )


@login_required
def odf_edit(request, pk, kecamatan):
    assessment = _admin_assessment(request, pk)
    kecamatan = get_object_or_404(kecamatan_of(assessment.kabupaten), code=kecamatan)
    statuses = list(assessment.odf_statuses.filter(kecamatan=kecamatan))
    count_row = next((s for s in statuses if not s.desa_id), None)
    declared = [s.desa_id for s in statuses if s.desa_id and s.declared_odf]
    counts_form = OdfCountsForm(
        request.POST if "save_counts" in request.POST else None,
        kecamatan=kecamatan,
        initial={
            "desa_total": count_row.desa_total if count_row else desa_of(kecamatan).count(),
            "desa_odf": count_row.desa_odf if count_row else None,
        },
    )
    checklist_form = OdfChecklistForm(
        request.POST if "save_checklist" in request.POST else None, initial={"odf_desa": declared}, kecamatan=kecamatan
    )
    if request.method == "POST":
        form = counts_form if "save_counts" in request.POST else checklist_form
        if form.is_valid():
            try:
                if form is counts_form:
                    odf_counts_set(assessment=assessment, actor=request.user, kecamatan=kecamatan, **form.cleaned_data)
                else:
                    odf_checklist_set(
                        assessment=assessment,
                        actor=request.user,
                        kecamatan=kecamatan,
                        odf_desa=form.cleaned_data["odf_desa"],
                    )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                percent = odf_percent(assessment)
                messages.success(
                    request,
                    _("Status ODF Kecamatan %(name)s disimpan. %(village)s ODF %(kabkota)s: %(percent)s %%.")
                    % {
                        "name": kecamatan.name,
                        "village": capfirst(village_word(assessment.kabupaten)),
                        "kabkota": kabkota_word(assessment.kabupaten),
                        "percent": number_format(percent, 2) if percent is not None else "–",
                    },
                )
                return redirect("indicators:odf_overview", pk=assessment.pk)
    mode = request.GET.get("cara") or ("jumlah" if count_row or "save_counts" in request.POST else "desa")
    return render(
        request,
        "indicators/fieldwork/odf_edit.html",
        {
            "assessment": assessment,
            "kecamatan": kecamatan,
            "counts_form": counts_form,
            "checklist_form": checklist_form,
            "mode": mode,
            "odf": odf_percent(assessment),
        },
    )


# --- Kelembagaan --------------------------------------------------------------------------------


@login_required
def kelembagaan_edit(request, pk):
    assessment = _admin_assessment(request, pk)
    entries = {
        e.pk: e
        for e in assessment.kelembagaan_entries.select_related("item", "self_score").prefetch_related(
            "item__scale_options"
        )
    }
    initial = [{"entry": e.pk, "self_score": e.self_score_id, "note": e.note} for e in entries.values()]
    formset = KelembagaanFormSet(
        _posted(request), initial=initial, form_kwargs={"entries": entries}, prefix="kelembagaan"
    )
    if request.method == "POST" and formset.is_valid():
        changes = [
            (form.kelembagaan_entry, form.cleaned_data.get("self_score"), form.cleaned_data.get("note", ""))
            for form in formset
        ]
        try:
            count = kelembagaan_entries_update(assessment=assessment, actor=request.user, changes=changes)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Isian kelembagaan disimpan (%(count)s butir berubah).") % {"count": count})
            return redirect("indicators:kelembagaan_edit", pk=assessment.pk)
    elif request.method == "POST":
        messages.error(request, _("Periksa isian yang ditandai."))
    return render(request, "indicators/fieldwork/kelembagaan.html", {"assessment": assessment, "formset": formset})


# --- Chosen tatanan -----------------------------------------------------------------------------


@login_required
def tatanan_choose(request, pk):
    assessment = _admin_assessment(request, pk)
    if assessment.cycle.tatanan_selection != Cycle.TatananSelection.CHOSEN:
        raise Http404
    form = TatananChoiceForm(
        _posted(request), initial={"tatanan": list(assessment.tatanan.all())}, cycle=assessment.cycle
    )
    if request.method == "POST" and form.is_valid():
        try:
            assessment_tatanan_update(assessment=assessment, actor=request.user, tatanan=form.cleaned_data["tatanan"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Pilihan tatanan disimpan."))
            return redirect("indicators:assessment_detail", pk=assessment.pk)
    return render(request, "indicators/fieldwork/tatanan_choose.html", {"assessment": assessment, "form": form})


@login_required
def usulan_edit(request, pk):
    """The category registered for and the kecamatan proposed (usulan), for the Bappeda admin."""
    assessment = _admin_assessment(request, pk)
    form = UsulanForm(
        _posted(request),
        initial={
            "category": assessment.category,
            "kecamatan": list(assessment.proposed_kecamatan.all()),
            "desa": list(assessment.proposed_desa.all()),
        },
        assessment=assessment,
    )
    if request.method == "POST" and form.is_valid():
        try:
            assessment_usulan_update(
                assessment=assessment,
                actor=request.user,
                category=form.cleaned_data["category"],
                kecamatan=form.cleaned_data["kecamatan"],
                desa=form.cleaned_data["desa"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Usulan dan kategori disimpan."))
            return redirect("indicators:assessment_detail", pk=assessment.pk)
    # What is ticked: as posted (a refused form keeps every tick), else as saved.
    if form.is_bound:
        ticked_kecamatan = set(request.POST.getlist("kecamatan"))
        ticked_desa = set(request.POST.getlist("desa"))
    else:
        ticked_kecamatan = {k.code for k in form.initial["kecamatan"]}
        ticked_desa = {d.code for d in form.initial["desa"]}
    villages = defaultdict(list)
    for village in form.fields["desa"].queryset:
        villages[village.parent_id].append((village, village.code in ticked_desa))
    # Each kecamatan with the word for its villages, "12 kelurahan" (regions/words.py).
    groups = [
        (
            kecamatan,
            kecamatan.code in ticked_kecamatan,
            villages[kecamatan.code],
            village_word_of_kinds({village.kind for village, _ticked in villages[kecamatan.code]}),
        )
        for kecamatan in form.fields["kecamatan"].queryset
    ]
    return render(
        request,
        "indicators/fieldwork/usulan.html",
        {"assessment": assessment, "form": form, "kecamatan_total": len(groups), "groups": groups},
    )


# --- Local indicators ---------------------------------------------------------------------------


@login_required
def local_indicator_list(request, pk):
    """The kabupaten's own indicators in this assessment, and the form to add one."""
    assessment = _admin_assessment(request, pk)
    form = LocalIndicatorForm(
        _posted(request),
        tatanan_choices=assessment.tatanan.order_by("number"),
        submit_label=_("Tambah indikator lokal"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            entry = local_indicator_add(assessment=assessment, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Indikator lokal %(name)s ditambahkan.") % {"name": entry.indicator})
            return redirect("indicators:local_indicator_list", pk=assessment.pk)
    return render(
        request,
        "indicators/fieldwork/local_indicators.html",
        {"assessment": assessment, "entries": local_entries_of(assessment), "form": form},
    )


def _local_indicator(assessment, indicator_pk) -> Indicator:
    return get_object_or_404(
        Indicator, pk=indicator_pk, is_local=True, owner_kabupaten=assessment.kabupaten, cycle=assessment.cycle
    )


@login_required
def local_indicator_edit(request, pk, indicator_pk):
    assessment = _admin_assessment(request, pk)
    indicator = _local_indicator(assessment, indicator_pk)
    fields = ("number", "name", "definisi_operasional", "sumber_data", "target", "responsible_opd", "scale_text")
    initial = {name: getattr(indicator, name) for name in fields}
    initial["tatanan"] = indicator.tatanan_id
    form = LocalIndicatorForm(
        _posted(request), initial=initial, tatanan_choices=Tatanan.objects.filter(pk=indicator.tatanan_id)
    )
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in fields}
        try:
            local_indicator_update(indicator=indicator, actor=request.user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Indikator lokal disimpan."))
            return redirect("indicators:local_indicator_list", pk=assessment.pk)
    return render(
        request,
        "indicators/fieldwork/local_indicator_form.html",
        {"assessment": assessment, "form": form, "indicator": indicator},
    )


@login_required
@require_http_methods(["GET", "POST"])
def local_indicator_delete(request, pk, indicator_pk):
    assessment = _admin_assessment(request, pk)
    indicator = _local_indicator(assessment, indicator_pk)
    if request.method == "POST":
        try:
            local_indicator_remove(assessment=assessment, actor=request.user, indicator=indicator)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Indikator lokal dihapus."))
        return redirect("indicators:local_indicator_list", pk=assessment.pk)
    return render(
        request,
        "indicators/fieldwork/confirm_delete.html",
        {"assessment": assessment, "object_label": str(indicator), "back": "indicators:local_indicator_list"},
    )
