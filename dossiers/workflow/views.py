"""Pages of the verification workflow: the verifiers' queue, the review page (per tatanan and
indicator: the kabupaten's values, self score and evidence, the verifier's score and note, the
comment threads), the transitions, and the berita acara download.

Whoever does not take part in a dossier's verification gets 404, and so does a participant who
tries a step that is not theirs (a Banten verifier submitting, Bappeda approving). A step tried
at the wrong moment (the status changed meanwhile) comes back with an Indonesian message; a
form with bad input comes back with what was typed.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import is_national_verifier, is_province_verifier_of
from regions.words import kabkota_word

from ..downloads import berita_acara_response
from ..models import Dossier, DossierComment
from .forms import ApproveForm, CommentForm, DecisionForm, ReasonForm, ScoresForm, SubmitForm, TabComments
from .selectors import (
    berita_acara_for,
    berita_acara_of,
    can_see_queue,
    dossier_of,
    national_queue,
    province_queue,
    returned_in_province,
    review_rows,
    tatanan_tabs,
    threads_of,
    workflow_assessment_for,
)
from .services import (
    Action,
    CommentDraft,
    SubmissionRefused,
    allowed_actions,
    chapter_titles,
    comment_add,
    comment_side,
    correction_open,
    correction_submit,
    dossier_approve,
    dossier_decide,
    dossier_return,
    dossier_submit,
    is_kabupaten_admin,
    national_open,
    review_open,
    review_save,
    scoring_layer,
    tier_choices,
    unscored,
    verifies_in_stage,
)

CHAPTERS_TAB = "bab"


def _errors(error: ValidationError) -> list[str]:
    return list(getattr(error, "messages", [str(error)]))


def _flash(request, error: ValidationError) -> None:
    for text in _errors(error):
        messages.error(request, text)


def diff_url(assessment) -> str | None:
    """The diff page of the versions (another part of the app builds it), when it exists."""
    try:
        return reverse("dossiers:diff", kwargs={"pk": assessment.pk})
    except NoReverseMatch:
        return None


# --- The queue ----------------------------------------------------------------------------------------


@login_required
@require_GET
def queue(request):
    """Dossiers awaiting the user: a province verifier's province, the national verifiers' all."""
    if not can_see_queue(request.user):
        raise Http404
    return render(
        request,
        "dossiers/workflow/queue.html",
        {
            "province": list(province_queue(request.user)),
            "returned": list(returned_in_province(request.user)),
            "national": list(national_queue(request.user)),
            "is_national": is_national_verifier(request.user),
        },
    )


# --- The review page ---------------------------------------------------------------------------------


def _approve_progress(assessment) -> dict:
    """How far the provincial scoring is before "Setujui": n of N indicators scored and the first
    one still unscored (the approval itself is refused until all are, ``dossier_approve``)."""
    tabs = tatanan_tabs(assessment, "provincial")
    missing = unscored(assessment, "provincial")
    return {
        "scored": sum(t.scored for t in tabs),
        "total": sum(t.total for t in tabs),
        "missing": len(missing),
        "first": missing[0] if missing else None,
    }


def _review_page(request, assessment, *, forms=None, status=200, code=None):
    dossier = dossier_of(assessment)
    user = request.user
    layer = scoring_layer(user, dossier)
    tabs = tatanan_tabs(assessment, layer or ("national" if dossier.status in Dossier.AWAITING_NATIONAL else None))
    code = ((request.GET.get("tatanan") if code is None else code) or "").upper()
    chapters_tab = code == CHAPTERS_TAB.upper()
    current = None if chapters_tab else next((t for t in tabs if t.tatanan.code == code), tabs[0] if tabs else None)
    rows = review_rows(dossier, current.tatanan) if current else []
    forms = forms or {}
    scores_form = forms.get("scores")
    if scores_form is None and layer and rows:
        scores_form = ScoresForm(entries=[r.entry for r in rows], layer=layer)
    items = [(row, *(scores_form.fields_of(row.entry) if scores_form else (None, None))) for row in rows]
    threads = threads_of(dossier)
    titles = chapter_titles(dossier)
    chapters = [(key, title, threads.by_chapter.get(key, [])) for key, title in titles.items()]
    actions = allowed_actions(user, dossier, assessment)
    context = {
        "assessment": assessment,
        "dossier": dossier,
        "version": dossier.submitted_version,
        "layer": layer,
        "tabs": tabs,
        "current": current,
        "chapters_tab": chapters_tab,
        "items": items,
        "scores_form": scores_form,
        "chapters": chapters,
        "general_threads": threads.general,
        "comment_side": comment_side(user, dossier),
        "can_start_threads": comment_side(user, dossier)
        in (DossierComment.Side.PROVINCE, DossierComment.Side.NATIONAL),
        "actions": actions,
        "return_form": forms.get("return") or ReasonForm(prefix="return"),
        "approve_form": forms.get("approve") or ApproveForm(prefix="approve"),
        "correction_form": forms.get("correction") or ReasonForm(prefix="correction"),
        "decision_form": forms.get("decision") or DecisionForm(prefix="decision", tiers=tier_choices(assessment)),
        "comment_form": forms.get("comment"),
        "comments": forms.get("comments") or TabComments(),
        "approve_progress": _approve_progress(assessment) if Action.APPROVE in actions else None,
        "unscored_national": len(unscored(assessment, "national")) if Action.AWARD in actions else 0,
        "diff_url": diff_url(assessment),
        "berita_acara": berita_acara_of(dossier),
        "this_url": request.get_full_path(),
    }
    return render(request, "dossiers/workflow/review.html", context, status=status)


def _tab_url(pk, code: str, anchor: str = "") -> str:
    return f"{reverse('dossiers:review', kwargs={'pk': pk})}?tatanan={code}{anchor}"


def _tab_comment(comments: TabComments, dossier, rows) -> CommentDraft | None:
    """The comment sent with the scores, its subject looked up on the tab (404 when it is not
    there: an indicator of another tatanan, a comment of another dossier)."""
    if not comments.sent:
        return None
    if comments.kind == "entry":
        entry = next((r.entry for r in rows if r.entry.pk == comments.target), None)
        if entry is None:
            raise Http404
        return CommentDraft(body=comments.body, entry=entry)
    parent = dossier.comments.filter(pk=comments.target).first()
    if parent is None:
        raise Http404
    return CommentDraft(body=comments.body, parent=parent)


@login_required
def review(request, pk):
    """GET: the review page. POST: the verifier's scores and notes for the tatanan shown and, when
    a comment's "Kirim komentar" or "Balas" was pressed, that comment with them (one transaction).
    A refusal comes back with everything typed: scores, notes and every comment box."""
    assessment = workflow_assessment_for(request.user, pk)
    if request.method != "POST":
        return _review_page(request, assessment)
    dossier = dossier_of(assessment)
    layer = scoring_layer(request.user, dossier)
    if layer is None:
        if not verifies_in_stage(request.user, dossier):
            raise Http404  # not their step at all
        messages.error(request, _("Nilai hanya dapat diisi selama verifikasi Anda berlangsung."))
        return redirect(request.get_full_path())
    tabs = tatanan_tabs(assessment, layer)
    code = (request.GET.get("tatanan") or "").upper()
    current = next((t for t in tabs if t.tatanan.code == code), tabs[0] if tabs else None)
    if current is None:
        raise Http404
    rows = review_rows(dossier, current.tatanan)
    form = ScoresForm(request.POST, entries=[r.entry for r in rows], layer=layer)
    comments = TabComments(request.POST)
    draft = _tab_comment(comments, dossier, rows)
    if form.is_valid() and not comments.error:
        try:
            changed, created = review_save(dossier=dossier, actor=request.user, changes=form.changes(), comment=draft)
        except PermissionDenied as error:
            raise Http404 from error
        except ValidationError as error:
            for text in _errors(error):
                form.add_error(None, text)
        else:
            if created is None:
                messages.success(
                    request,
                    _("Nilai %(tatanan)s disimpan (%(n)s indikator berubah).")
                    % {"tatanan": current.tatanan.code, "n": changed},
                )
            else:
                messages.success(
                    request,
                    _("Komentar dikirim dan nilai %(tatanan)s disimpan (%(n)s indikator berubah).")
                    % {"tatanan": current.tatanan.code, "n": changed},
                )
            unsent = comments.unsent()
            if unsent.texts:
                # Other boxes still hold text: show them again rather than drop them on a redirect.
                messages.info(
                    request,
                    _("Komentar lain yang Anda ketik belum dikirim; teksnya masih ada di kotaknya.")
                    if created
                    else _("Komentar yang Anda ketik belum dikirim; teksnya masih ada di kotaknya."),
                )
                return _review_page(request, assessment, forms={"comments": unsent})
            anchor = f"#komentar-{created.parent_id or created.pk}" if created else ""
            return redirect(_tab_url(pk, current.tatanan.code, anchor))
    if comments.sent:
        messages.error(
            request,
            _(
                "Komentar belum dikirim dan nilai belum disimpan. Periksa isian yang ditandai; yang Anda ketik masih ada."
            ),
        )
    else:
        messages.error(request, _("Nilai belum disimpan. Periksa isian yang ditandai."))
    return _review_page(request, assessment, forms={"scores": form, "comments": comments}, status=400)


# --- Transitions ---------------------------------------------------------------------------------------


def _back(pk):
    return redirect("dossiers:review", pk=pk)


@login_required
@require_POST
def submit(request, pk):
    """Bappeda submits (or resubmits) to the province, or submits a correction within the window."""
    assessment = workflow_assessment_for(request.user, pk)
    if not is_kabupaten_admin(request.user, assessment):
        raise Http404
    form = SubmitForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    dossier = dossier_of(assessment)
    try:
        if dossier.status == Dossier.Status.NATIONAL_CORRECTION:
            event = correction_submit(assessment=assessment, actor=request.user, comment=comment)
        else:
            event = dossier_submit(assessment=assessment, actor=request.user, comment=comment)
    except SubmissionRefused as refused:
        messages.error(request, _("Dossier belum dapat diajukan. Lengkapi daftar periksa di bawah."))
        for line in refused.checklist.messages():
            messages.error(request, line)
    except (ValidationError, PermissionDenied) as error:
        _flash(request, error)
    else:
        messages.success(
            request,
            _("Versi %(n)s diajukan: %(status)s.")
            % {"n": event.version.number, "status": event.dossier.get_status_display()},
        )
    return redirect("dossiers:detail", pk=assessment.pk)


def _verifier_step(request, pk, *, province: bool):
    assessment = workflow_assessment_for(request.user, pk)
    allowed = (
        is_province_verifier_of(request.user, assessment.kabupaten_id)
        if province
        else is_national_verifier(request.user)
    )
    if not allowed:
        raise Http404
    return assessment, dossier_of(assessment)


@login_required
@require_POST
def review_open_view(request, pk):
    assessment, dossier = _verifier_step(request, pk, province=True)
    try:
        review_open(dossier=dossier, actor=request.user)
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, _("Verifikasi provinsi dimulai. Beri nilai setiap indikator."))
    return _back(pk)


@login_required
@require_POST
def return_view(request, pk):
    assessment, dossier = _verifier_step(request, pk, province=True)
    form = ReasonForm(request.POST, prefix="return")
    if not form.is_valid():
        messages.error(request, _("Dossier belum dikembalikan: alasan wajib diisi."))
        return _review_page(request, assessment, forms={"return": form}, status=400)
    try:
        dossier_return(dossier=dossier, actor=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        _flash(request, error)
        return _review_page(request, assessment, forms={"return": form}, status=400)
    messages.success(
        request,
        _("Dossier dikembalikan kepada %(kabkota)s untuk perbaikan.") % {"kabkota": kabkota_word(assessment.kabupaten)},
    )
    return _back(pk)


@login_required
@require_POST
def approve_view(request, pk):
    assessment, dossier = _verifier_step(request, pk, province=True)
    form = ApproveForm(request.POST, prefix="approve")
    if not form.is_valid():
        return _review_page(request, assessment, forms={"approve": form}, status=400)
    try:
        event = dossier_approve(dossier=dossier, actor=request.user, comment=form.cleaned_data["comment"])
    except ValidationError as error:
        _flash(request, error)
        return _review_page(request, assessment, forms={"approve": form}, status=400)
    messages.success(
        request,
        _("Dossier disetujui dan diteruskan ke pusat. Berita acara %(number)s dibuat.")
        % {"number": event.data["number"]},
    )
    return redirect("dossiers:detail", pk=pk)


@login_required
@require_POST
def national_open_view(request, pk):
    assessment, dossier = _verifier_step(request, pk, province=False)
    try:
        national_open(dossier=dossier, actor=request.user)
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, _("Verifikasi virtual pusat dimulai."))
    return _back(pk)


@login_required
@require_POST
def correction_open_view(request, pk):
    assessment, dossier = _verifier_step(request, pk, province=False)
    form = ReasonForm(request.POST, prefix="correction")
    if not form.is_valid():
        messages.error(request, _("Jendela perbaikan belum dibuka: tuliskan yang perlu diperbaiki."))
        return _review_page(request, assessment, forms={"correction": form}, status=400)
    try:
        event = correction_open(dossier=dossier, actor=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        _flash(request, error)
        return _review_page(request, assessment, forms={"correction": form}, status=400)
    messages.success(request, _("Jendela perbaikan dibuka selama %(hours)s jam.") % {"hours": event.data.get("hours")})
    return _back(pk)


@login_required
@require_POST
def decide_view(request, pk):
    assessment, dossier = _verifier_step(request, pk, province=False)
    form = DecisionForm(request.POST, prefix="decision", tiers=tier_choices(assessment))
    if not form.is_valid():
        messages.error(request, _("Keputusan belum disimpan. Periksa isian yang ditandai."))
        return _review_page(request, assessment, forms={"decision": form}, status=400)
    try:
        dossier_decide(
            dossier=dossier,
            actor=request.user,
            awarded=form.awarded,
            tier=form.cleaned_data.get("tier") or "",
            comment=form.cleaned_data.get("comment") or "",
        )
    except ValidationError as error:
        _flash(request, error)
        return _review_page(request, assessment, forms={"decision": form}, status=400)
    messages.success(request, _("Keputusan akhir disimpan."))
    return redirect("dossiers:detail", pk=pk)


# --- Comments ----------------------------------------------------------------------------------------------


def _safe_next(request, value: str, pk: int) -> str:
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}, require_https=False):
        return value
    return reverse("dossiers:review", kwargs={"pk": pk})


@login_required
@require_POST
def comment(request, pk):
    """A new thread (verifiers) or a reply (verifiers and Bappeda) about an indicator, a chapter
    or the dossier."""
    assessment = workflow_assessment_for(request.user, pk)
    dossier = dossier_of(assessment)
    if comment_side(request.user, dossier) is None:
        raise Http404  # nobody writes in threads at this stage but the verifiers of it and Bappeda
    form = CommentForm(request.POST)
    target = _safe_next(request, request.POST.get("next", ""), pk)
    tab = parse_qs(urlsplit(target).query).get("tatanan", [""])[0]  # the page comes back on its tab
    if not form.is_valid():
        messages.error(
            request, _("Komentar belum dikirim: %(errors)s") % {"errors": " ".join(form.errors.get("body", []))}
        )
        return _review_page(request, assessment, forms={"comment": form}, status=400, code=tab)
    data = form.cleaned_data
    entry = parent = None
    if data.get("entry"):
        entry = assessment.indicator_entries.filter(pk=data["entry"]).first()
        if entry is None:
            raise Http404
    if data.get("parent"):
        parent = dossier.comments.filter(pk=data["parent"]).first()
        if parent is None:
            raise Http404
    try:
        created = comment_add(
            dossier=dossier,
            actor=request.user,
            body=data["body"],
            entry=entry,
            chapter_key=data.get("chapter") or "",
            parent=parent,
        )
    except PermissionDenied as error:
        raise Http404 from error
    except ValidationError as error:
        for text in _errors(error):
            messages.error(request, text)
        return _review_page(request, assessment, forms={"comment": form}, status=400, code=tab)
    messages.success(request, _("Komentar dikirim."))
    anchor = f"#komentar-{created.parent_id or created.pk}"
    return redirect(target.split("#")[0] + anchor)


# --- Berita acara ------------------------------------------------------------------------------------------


@login_required
@require_GET
def berita_acara_download(request, pk, ba_pk):
    record = berita_acara_for(request.user, pk=pk, ba_pk=ba_pk)
    return berita_acara_response(request, record)
