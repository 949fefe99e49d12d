"""Catalogue pages (every logged-in user) and the instrument upload (superusers only)."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kks_portal.lib.forms import add_service_errors

from .cycles import cycle_create_from
from .forms import CycleNextForm, InstrumentUploadForm, RequirementsMergeForm, RequirementsSplitForm
from .importer import instrument_import
from .models import Cycle, Tatanan
from .selectors import (
    can_import_instrument,
    cycle_for,
    cycles_visible_to,
    indicators_visible_to,
    kelembagaan_items_of,
    requirement_documents,
    requirements_review,
    requirements_review_owner,
    tatanan_of_cycle,
)
from .services import requirements_merge, requirements_split

logger = logging.getLogger(__name__)


@login_required
def cycle_list(request):
    return render(
        request,
        "tatanan/cycle_list.html",
        {"cycles": cycles_visible_to(request.user), "can_import": can_import_instrument(request.user)},
    )


@login_required
def cycle_detail(request, award_year):
    cycle = cycle_for(request.user, award_year)
    return render(
        request,
        "tatanan/cycle_detail.html",
        {
            "cycle": cycle,
            "tatanan_list": tatanan_of_cycle(request.user, cycle=cycle),
            "tier_rules": cycle.tier_rules.all(),
            "can_import": can_import_instrument(request.user),
        },
    )


@login_required
def tatanan_detail(request, award_year, code):
    cycle = cycle_for(request.user, award_year)
    tatanan = get_object_or_404(Tatanan, tatanan_set=cycle.tatanan_set_id, code=code.upper())
    indicators = indicators_visible_to(request.user, cycle=cycle, tatanan=tatanan)
    return render(
        request, "tatanan/tatanan_detail.html", {"cycle": cycle, "tatanan": tatanan, "indicators": indicators}
    )


@login_required
def kelembagaan(request, award_year):
    cycle = cycle_for(request.user, award_year)
    return render(request, "tatanan/kelembagaan.html", {"cycle": cycle, "items": kelembagaan_items_of(cycle=cycle)})


@login_required
def instrument_upload(request):
    """Upload of the official instrument workbook. Runs in the request: the 2025 workbook takes
    about two seconds, and the user needs the report right away to fix the file."""
    if not can_import_instrument(request.user):
        raise Http404
    report = None
    if request.method == "POST":
        form = InstrumentUploadForm(request.POST, request.FILES)
        if form.is_valid():
            cycle = form.cleaned_data["cycle"]
            report = instrument_import(
                cycle=cycle, file=form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"]
            )
            logger.info(
                "instrument import by %s into %s from %s: %s",
                request.user.username,
                cycle.award_year,
                report.filename,
                report.summary(),
            )
            form = InstrumentUploadForm(initial={"cycle": cycle})
    else:
        form = InstrumentUploadForm()
    return render(request, "tatanan/instrument_upload.html", {"form": form, "report": report})


@login_required
def cycle_next(request):
    """A superuser adds the next cycle from a previous one (rules and catalogue copied)."""
    if not can_import_instrument(request.user):
        raise Http404
    form = CycleNextForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        existed = Cycle.objects.filter(award_year=data["award_year"]).exists()
        try:
            cycle = cycle_create_from(
                source=data["source"],
                award_year=data["award_year"],
                actor=request.user,
                first_data_year=data["first_data_year"],
                last_data_year=data["last_data_year"],
                guideline_reference=data["guideline_reference"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            logger.info("cycle %s added by %s from %s", cycle.award_year, request.user.username, data["source"])
            text = (
                _("Katalog %(source)s disalin ke %(cycle)s; aturan strata dan tahun datanya tetap.")
                if existed
                else _("Siklus %(cycle)s ditambahkan dari %(source)s.")
            )
            messages.success(request, text % {"cycle": cycle, "source": data["source"]})
            return redirect("tatanan:cycle_detail", cycle.award_year)
    return render(request, "tatanan/cycle_next.html", {"form": form})


REVIEW_FORMS = {"merge": RequirementsMergeForm, "split": RequirementsSplitForm}


@login_required
def requirements_review_page(request, award_year):
    """The superuser reviews the evidence requirements the importer derived, next to the bukti
    dukung texts, and merges or splits documents before the kabupaten upload evidence."""
    if not can_import_instrument(request.user):
        raise Http404
    cycle = cycle_for(request.user, award_year)
    failed = None  # (owner as the forms name it, action, bound form) of a refused change
    page_errors = []
    if request.method == "POST":
        action = request.POST.get("action")
        owner = requirements_review_owner(cycle=cycle, form_owner=request.POST.get("owner", ""))
        if action not in REVIEW_FORMS or owner is None:
            page_errors.append(_("Indikator atau butir kelembagaan yang dipilih tidak ada pada siklus ini."))
        else:
            form = REVIEW_FORMS[action](
                request.POST,
                documents=requirement_documents(owner.evidence_requirements.order_by("order", "data_year", "id")),
            )
            if form.is_valid():
                data = form.cleaned_data
                try:
                    if action == "merge":
                        requirements_merge(
                            owner=owner,
                            keys=data["requirement_ids"],
                            description=data["description"],
                            actor=request.user,
                        )
                    else:
                        requirements_split(
                            owner=owner,
                            key=data["requirement_id"],
                            descriptions=data["descriptions"],
                            actor=request.user,
                        )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    logger.info("requirements of %s %s by %s", request.POST["owner"], action, request.user.username)
                    messages.success(
                        request,
                        _("Dokumen digabung.") if action == "merge" else _("Dokumen dipisah."),
                    )
                    return redirect(f"{request.path}#{request.POST['owner']}")
            failed = (request.POST["owner"], action, form)
    rows = requirements_review(cycle=cycle)
    for row in rows:
        documents = row.documents
        row.merge_form = RequirementsMergeForm(initial={"owner": row.form_owner}, documents=documents)
        row.split_form = RequirementsSplitForm(initial={"owner": row.form_owner}, documents=documents)
        row.failed = row.locked_error = None
        if failed and failed[0] == row.form_owner:
            setattr(row, f"{failed[1]}_form", failed[2])
            row.failed = failed[1]
            row.locked_error = failed[2].non_field_errors() if row.locked else None
    return render(
        request,
        "tatanan/requirements_review.html",
        {"cycle": cycle, "rows": rows, "page_errors": page_errors},
    )
