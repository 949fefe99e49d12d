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
from .forms import CycleNextForm, InstrumentUploadForm
from .importer import instrument_import
from .models import Cycle, Tatanan
from .selectors import (
    can_import_instrument,
    cycle_for,
    cycles_visible_to,
    indicators_visible_to,
    kelembagaan_items_of,
    tatanan_of_cycle,
)

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
