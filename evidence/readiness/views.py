"""Readiness pages: how much of a kabupaten's evidence is in place for an assessment, and where
its indicators' evidence is seen and uploaded.

Who sees what (outside it the page does not exist: 404):

* ``readiness`` (one assessment): whoever reads the assessment (its kabupaten's Bappeda admin and
  OPD operators, the verifiers of the province and the centre, the superuser). An OPD operator's
  indicator figures cover the indicators assigned to their OPD, as everywhere else.
* ``readiness_kecamatan`` (one kecamatan of the assessment's kabupaten, down to its desa): the
  readers above and the secretaries whose region covers the kecamatan (the Forum Kecamatan's
  secretary; not the secretary of another kecamatan, nor of one desa).
* ``assessment_evidence`` and ``indicator_evidence``: the assessment's readers; an OPD operator
  sees exactly the indicators assigned to their OPD. Uploading is for whoever ``can_attach``
  (Bappeda for every requirement, the OPD's operators for their indicators); verifiers read.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.dispatch import receiver
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse

from accounts.selectors import scope_of
from indicators.models import Assessment, IndicatorEntry
from indicators.requests.views import assessment_dashboard_panels
from indicators.selectors import assessment_for, can_edit_entry

from ..completeness import KABUPATEN_LISTS, NO_LISTS, assessment_readiness, kabupaten_readiness
from ..models import EvidenceFile
from ..selectors import Owner, assessment_kecamatan_for, can_attach, indicator_opd_limit, live


def requirement_page_url(assessment_pk: int, requirement_pk: int, year: int | None) -> str:
    """The page of one requirement × data year (``0`` names "no data year"), with its file list
    and, for those who may attach, the upload widget (``evidence.views``)."""
    args = [assessment_pk, requirement_pk, year or 0]
    try:
        return reverse("evidence:requirement_files", args=args)
    except NoReverseMatch:  # the activity pages are routed separately
        return "/bukti/penilaian/{}/syarat/{}/{}/".format(*args)


@login_required
def readiness(request, pk):
    assessment = assessment_for(request.user, pk)
    opds = indicator_opd_limit(request.user, assessment)
    years = assessment.cycle.data_years
    # The lists of the Forum and Tim Pembina of the kabupaten/kota, the only ones the page shows.
    bodies = kabupaten_readiness(assessment.kabupaten, years=years, lists=KABUPATEN_LISTS)
    evidence = assessment_readiness(assessment, opd_ids=opds)
    only_lacking = request.GET.get("kurang") == "1"
    rows = [row for row in bodies.kecamatan if not (only_lacking and row.ready)]
    return render(
        request,
        "evidence/readiness/kabupaten.html",
        {
            "assessment": assessment,
            "years": years,
            "bodies": bodies,
            "rows": rows,
            "only_lacking": only_lacking,
            "evidence": evidence,
            "per_tatanan": evidence.per_tatanan,
            "per_opd": evidence.per_opd,
            "opd_only": opds is not None,
        },
    )


@login_required
def readiness_kecamatan(request, pk, code):
    assessment, kecamatan = assessment_kecamatan_for(request.user, pk, code)
    years = assessment.cycle.data_years
    rollup = kabupaten_readiness(assessment.kabupaten, years=years, kecamatan_code=kecamatan.code)
    row = rollup.kecamatan[0]
    return render(
        request,
        "evidence/readiness/kecamatan.html",
        {
            "assessment": assessment,
            "years": years,
            "kecamatan": kecamatan,
            "row": row,
            "reads_kabupaten": scope_of(request.user).covers(assessment.kabupaten_id),
        },
    )


@login_required
def assessment_evidence(request, pk):
    assessment = assessment_for(request.user, pk)
    opds = indicator_opd_limit(request.user, assessment)
    evidence = assessment_readiness(assessment, opd_ids=opds)
    tatanan = request.GET.get("tatanan", "").strip().upper()
    groups = [g for g in evidence.per_tatanan if not tatanan or g.key == tatanan]
    can_upload_kelembagaan = bool(evidence.kelembagaan) and can_attach(
        request.user, Owner(requirement=evidence.kelembagaan[0].requirement, assessment=assessment)
    )
    cells = [
        {"cell": cell, "url": requirement_page_url(assessment.pk, cell.requirement.pk, cell.year)}
        for r in evidence.kelembagaan
        for cell in r.years
    ]
    return render(
        request,
        "evidence/readiness/assessment.html",
        {
            "assessment": assessment,
            "evidence": evidence,
            "groups": groups,
            "tatanan_options": [(g.key, g.label) for g in evidence.per_tatanan],
            "tatanan": tatanan,
            "kelembagaan_cells": cells,
            "can_upload_kelembagaan": can_upload_kelembagaan,
            "opd_only": opds is not None,
        },
    )


def _entry_for(user, assessment: Assessment, entry_pk: int) -> IndicatorEntry:
    entry = (
        IndicatorEntry.objects.select_related("assessment__cycle", "assessment__kabupaten", "indicator__tatanan")
        .select_related("assigned_opd")
        .filter(assessment=assessment, pk=entry_pk)
        .first()
    )
    opds = indicator_opd_limit(user, assessment)
    if entry is None or (opds is not None and entry.assigned_opd_id not in opds):
        raise Http404
    return entry


@login_required
def indicator_evidence(request, pk, entry_pk):
    assessment = assessment_for(request.user, pk)
    entry = _entry_for(request.user, assessment, entry_pk)
    entry.assessment = assessment
    state = assessment_readiness(assessment, entry_ids=[entry.pk]).indicators[0]
    requirement_ids = [r.requirement.pk for r in state.requirements]
    files = defaultdict(list)
    for evidence in (
        live(EvidenceFile.objects.filter(assessment=assessment, requirement_id__in=requirement_ids))
        .select_related("blob", "uploaded_by")
        .order_by("uploaded_at", "id")
    ):
        files[(evidence.requirement_id, evidence.data_year)].append(evidence)
    may_upload = bool(state.requirements) and can_attach(
        request.user, Owner(requirement=state.requirements[0].requirement, assessment=assessment, data_year=None)
    )
    sections = [
        {
            "requirement": r.requirement,
            "complete": r.complete,
            "cells": [
                {
                    "cell": cell,
                    "files": [(f, _download_url(f)) for f in files[(r.requirement.pk, cell.year)]],
                    "page_url": requirement_page_url(assessment.pk, r.requirement.pk, cell.year),
                    "dom_id": f"req-{r.requirement.pk}-{cell.year or 0}",
                }
                for cell in r.years
            ],
        }
        for r in state.requirements
    ]
    return render(
        request,
        "evidence/readiness/indicator.html",
        {
            "assessment": assessment,
            "entry": entry,
            "indicator": entry.indicator,
            "state": state,
            "sections": sections,
            "may_upload": may_upload,
            # Back to the entry's data for whoever fills it (issue 12: task → entry → evidence → entry).
            "entry_url": reverse("indicators:entry_edit", args=[assessment.pk, entry.pk])
            if can_edit_entry(request.user, entry)
            else "",
        },
    )


def _download_url(evidence: EvidenceFile) -> str:
    try:
        return reverse("evidence:file_download", args=[evidence.pk])
    except NoReverseMatch:
        return ""


@receiver(assessment_dashboard_panels)
def dashboard_panel(sender, *, request, assessment: Assessment, **kwargs) -> str:
    """The evidence readiness on the catalogue's readiness dashboard (``indicators``), which only
    the kabupaten's Bappeda admin opens: every indicator counts. Connected when the URLs load."""
    return render_to_string(
        "evidence/readiness/_dashboard_panel.html",
        {
            "assessment": assessment,
            "bodies": kabupaten_readiness(assessment.kabupaten, years=assessment.cycle.data_years, lists=NO_LISTS),
            "evidence": assessment_readiness(assessment),
        },
        request=request,
    )
