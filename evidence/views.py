"""Pages of activities and evidence: a body's activities, an activity with its evidence, the pages
of the other owners' files, the one upload view for every owner, removal, and the galleries.

Reading goes through the scoped selectors (outside the scope, 404). Writing needs more: the
body's editors for its activities (``activity_to_edit``), ``can_attach`` for files, else 404.

The upload view streams files to disk (``use_evidence_upload_handler``) and must install that
handler before anything reads the request body, so it is ``csrf_exempt`` outside and checks CSRF
itself (``csrf_protect``) once the handler is in place, as Django documents for changing upload
handlers. Who may attach is checked before the body is read at all: a stranger's upload is
refused without a byte of it being written anywhere.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from accounts.selectors import get_in_scope_or_404
from forums.selectors import activities_held_q, body_for, body_to_edit, can_edit_body
from forums.workplans.selectors import pembinaan_visit_for, rupiah
from indicators.models import IndicatorEntry, TitikPantau
from indicators.selectors import assessment_for
from kks_portal.lib.forms import add_service_errors
from kks_portal.lib.pagination import CappedPaginator
from tatanan.models import Tatanan

from .completeness import activity_missing_kinds, complete_q, kinds_text, with_completeness
from .forms import ActivityForm
from .models import IMAGE_TYPES, Activity, Blob, EvidenceFile
from .selectors import (
    Owner,
    activities_visible_to,
    activity_for,
    activity_to_edit,
    can_attach,
    file_for,
    files_visible_to,
    live,
    requirement_owner,
)
from .services import ACTIVITY_FIELDS, MANY_FIELDS, activity_create, activity_remove, activity_update
from .uploads import (
    REFUSED,
    STORED,
    UploadOutcome,
    UploadsRefused,
    evidence_remove,
    histories_of,
    receive_files,
    use_evidence_upload_handler,
)

KIND_LABELS = dict(EvidenceFile.Kind.choices)
# What the file inputs offer (the server decides by content anyway).
ACCEPT = (
    ".pdf,.jpg,.jpeg,.png,.webp,.docx,.xlsx,application/pdf,image/jpeg,image/png,image/webp,"
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)
GALLERY_PAGE_SIZE = 24
# A gallery counts at most this many photos (100 pages): beyond it the page says "more than" and
# the newest are shown (kks_portal/lib/pagination.py, docs/PERFORMANCE.md "Galleries").
GALLERY_COUNT_CAP = 100 * GALLERY_PAGE_SIZE
ACTIVITY_PAGE_SIZE = 50


def _url(name: str, *args) -> str:
    """``reverse`` that answers "" for a route another part of the portal has not added yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


# --- Completeness of activities -----------------------------------------------------------------


def _badge(missing: list[str]) -> dict:
    if not missing:
        return {"complete": True, "text": _("Lengkap")}
    return {"complete": False, "text": _("Kurang: %(kinds)s") % {"kinds": kinds_text(missing)}}


# --- Owners: where their files are shown and uploaded ---------------------------------------------


def owner_page_url(owner: Owner) -> str:
    return reverse(owner.kind.page_url, args=owner.url_args)


def owner_upload_url(owner: Owner) -> str:
    return reverse(owner.kind.upload_url, args=owner.url_args)


# The part of an owner's page that an upload changes (the activity's badge, its checklist of
# required kinds, the file list), asked for with ?bagian=berkas: the upload widget puts it in
# place after each answer, so the page tells the truth without a reload.
FRAGMENT = "evidence/_owner_fragment.html"


def _wants_fragment(request) -> bool:
    return request.GET.get("bagian") == "berkas"


def owner_fragment_url(owner: Owner) -> str:
    return owner_page_url(owner) + "?bagian=berkas"


def _file_rows(owner: Owner, user) -> tuple[list[EvidenceFile], list[EvidenceFile]]:
    """The owner's current files (each with its history) and its removed ones."""
    files = owner.files().filter(blob__state=Blob.State.READY).select_related("blob", "uploaded_by", "deleted_by")
    current = list(live(files).order_by("kind", "-uploaded_at", "-id"))
    histories = histories_of(owner, current)  # one query, not one per file and version
    for evidence in current:
        evidence.history = histories[evidence.pk]
        evidence.is_image = evidence.blob.file_type in IMAGE_TYPES
    removed = list(files.filter(deleted_at__isnull=False).order_by("-deleted_at")[:50])
    return current, removed


def upload_messages() -> dict[str, str]:
    """The widget's texts (the script is not translated on its own)."""
    return {
        "queued": _("Menunggu"),
        "sending": _("Mengunggah… %(percent)s%"),
        "checking": _("Diperiksa di server…"),
        "stored": _("Tersimpan"),
        "no_files": _("Pilih atau seret berkas terlebih dahulu."),
        "no_kind": _("Pilih jenis bukti terlebih dahulu."),
        "too_large": _("Lebih besar dari batas %(limit)s MB; tidak dikirim."),
        "network": _("Koneksi terputus. Periksa sinyal lalu coba lagi."),
        "session": _("Sesi Anda berakhir atau halaman kedaluwarsa. Muat ulang halaman lalu coba lagi."),
        "not_found": _("Tempat unggah ini tidak ditemukan atau bukan wewenang Anda."),
        "too_big_server": _("Server menolak: berkas terlalu besar."),
        "server": _("Terjadi galat di server (%(status)s). Coba lagi nanti."),
        "retry": _("Coba lagi"),
        "remove": _("Batal"),
        "kind_for": _("Jenis bukti untuk %(name)s"),
        "send_one": _("Kirim berkas ini"),
        "in_list": _("%(name)s sudah ada di daftar."),
        "done": _("Selesai: %(ok)s diterima, %(bad)s ditolak."),
    }


def _indicator_evidence_url(owner: Owner) -> str:
    """A requirement's indicator page (all its requirements, and the way back to the entry form):
    the breadcrumb's step between the assessment and this requirement's files."""
    if owner.requirement is None or owner.requirement.indicator_id is None:
        return ""
    entry_pk = (
        IndicatorEntry.objects.filter(assessment=owner.assessment, indicator_id=owner.requirement.indicator_id)
        .values_list("pk", flat=True)
        .first()
    )
    return reverse("evidence:indicator_evidence", args=[owner.assessment.pk, entry_pk]) if entry_pk else ""


def _owner_context(request, owner: Owner) -> dict:
    current, removed = _file_rows(owner, request.user)
    attach = can_attach(request.user, owner)
    for evidence in current:
        evidence.can_change = attach
    return {
        "owner": owner,
        "owner_label": owner.label,
        "files": current,
        "removed_files": removed,
        "can_attach": attach,
        "upload_url": owner_upload_url(owner) if attach else "",
        "page_url": owner_page_url(owner),
        "indicator_evidence_url": _indicator_evidence_url(owner),
        "fragment_url": owner_fragment_url(owner),
        "kinds": [(kind, KIND_LABELS[kind]) for kind in owner.evidence_kinds],
        "accept": ACCEPT,
        "max_upload_mb": settings.EVIDENCE_MAX_UPLOAD_MB,
        "max_upload_bytes": settings.EVIDENCE_MAX_UPLOAD_MB * 1024 * 1024,
        "upload_messages": upload_messages(),
    }


# --- Activities ---------------------------------------------------------------------------------


@login_required
def activity_list(request, pk):
    body = body_for(request.user, pk)
    # Its own activities and those it held together with another body (``Activity.partner_bodies``).
    activities = (
        activities_visible_to(request.user)
        .filter(activities_held_q([body.pk]))
        .prefetch_related("tatanan", "partner_bodies")
        .select_related("work_plan_item__work_plan", "body")
    )
    page = Paginator(with_completeness(activities), ACTIVITY_PAGE_SIZE).get_page(request.GET.get("halaman"))
    for activity in page.object_list:
        activity.badge = _badge(activity_missing_kinds(activity))
        activity.budget_display = rupiah(activity.realised_budget)
    total = activities.count()
    return render(
        request,
        "evidence/activity_list.html",
        {
            "body": body,
            "page": page,
            "activities": page.object_list,
            "total": total,
            "complete": activities.filter(complete_q()).count(),
            "can_edit": can_edit_body(request.user, body),
            "removed_count": Activity.objects.filter(body=body, deleted_at__isnull=False).count(),
        },
    )


def _activity_form_page(request, body, activity=None):
    initial = None
    if activity is not None:
        initial = {key: getattr(activity, key) for key in ACTIVITY_FIELDS if key not in MANY_FIELDS}
        initial |= {key: list(getattr(activity, key).all()) for key in MANY_FIELDS}
    form = ActivityForm(request.POST or None, initial=initial, body=body)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if data.get("realised_budget") is None:
            data["realised_budget"] = 0
        try:
            if activity is None:
                activity = activity_create(body=body, actor=request.user, **data)
                messages.success(request, _("Kegiatan dicatat. Sekarang unggah bukti dukungnya."))
            else:
                activity_update(activity=activity, actor=request.user, **data)
                messages.success(request, _("Kegiatan disimpan."))
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("evidence:activity_detail", pk=activity.pk)
    return render(request, "evidence/activity_form.html", {"body": body, "activity": activity, "form": form})


@login_required
def activity_add(request, pk):
    body = body_to_edit(request.user, pk)
    return _activity_form_page(request, body)


@login_required
def activity_edit(request, pk):
    activity = activity_to_edit(request.user, pk)
    return _activity_form_page(request, activity.body, activity)


@login_required
def activity_detail(request, pk):
    activity = activity_for(request.user, pk)
    owner = Owner(activity=activity)
    context = _owner_context(request, owner)
    by_kind = defaultdict(list)
    for evidence in context["files"]:
        by_kind[evidence.kind].append(evidence)
    required = [
        {"kind": kind, "label": KIND_LABELS[kind], "files": by_kind.get(kind, [])} for kind in Activity.REQUIRED_KINDS
    ]
    others = [
        {"kind": kind, "label": label, "files": by_kind[kind]}
        for kind, label in EvidenceFile.Kind.choices
        if kind not in Activity.REQUIRED_KINDS and by_kind.get(kind)
    ]
    missing = activity_missing_kinds(activity)
    context |= {
        "activity": activity,
        "body": activity.body,
        "required": required,
        "others": others,
        "badge": _badge(missing),
        "budget_display": rupiah(activity.realised_budget),
        "can_edit": can_edit_body(request.user, activity.body),
        # The first missing kind is what the secretary most likely uploads next.
        "default_kind": missing[0] if missing else "",
    }
    if _wants_fragment(request):
        return render(request, FRAGMENT, context)
    return render(request, "evidence/activity_detail.html", context)


@login_required
def activity_remove_view(request, pk):
    activity = activity_to_edit(request.user, pk)
    if request.method == "POST":
        try:
            activity_remove(activity=activity, actor=request.user)
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Kegiatan “%(title)s” dihapus.") % {"title": activity.title})
        return redirect("evidence:activity_list", pk=activity.body_id)
    return render(
        request,
        "evidence/activity_remove.html",
        {"activity": activity, "body": activity.body, "file_count": live(activity.files.all()).count()},
    )


# --- The other owners' pages ----------------------------------------------------------------------


def _body_owner(request, pk) -> Owner:
    return Owner(body=body_for(request.user, pk))


def _requirement_owner(request, assessment_pk, requirement_pk, year) -> Owner:
    assessment = assessment_for(request.user, assessment_pk)
    return requirement_owner(request.user, assessment=assessment, requirement_pk=requirement_pk, data_year=year or None)


def _titik_pantau_owner(request, pk) -> Owner:
    point = get_in_scope_or_404(
        TitikPantau.objects.select_related("assessment__kabupaten", "assessment__cycle", "tatanan", "desa"),
        user=request.user,
        field="assessment__kabupaten__code",
        pk=pk,
    )
    return Owner(titik_pantau=point)


def _pembinaan_owner(request, pk) -> Owner:
    return Owner(pembinaan_visit=pembinaan_visit_for(request.user, pk))


def _owner_page(request, owner: Owner, template: str = "evidence/owner_files.html"):
    if _wants_fragment(request):
        return render(request, FRAGMENT, _owner_context(request, owner))
    return render(request, template, _owner_context(request, owner))


@login_required
def body_files(request, pk):
    return _owner_page(request, _body_owner(request, pk))


@login_required
def requirement_files(request, assessment_pk, requirement_pk, year):
    return _owner_page(request, _requirement_owner(request, assessment_pk, requirement_pk, year))


@login_required
def titik_pantau_files(request, pk):
    return _owner_page(request, _titik_pantau_owner(request, pk))


@login_required
def pembinaan_files(request, pk):
    return _owner_page(request, _pembinaan_owner(request, pk))


# --- Upload ---------------------------------------------------------------------------------------


def _where(evidence: EvidenceFile) -> dict:
    """Where an earlier copy of a file is (told only when the uploader may read it there)."""
    owner = Owner.of(evidence)
    return {"id": evidence.pk, "name": evidence.original_name, "where": owner.label, "url": owner_page_url(owner)}


def _told(outcome: UploadOutcome) -> str:
    """The outcome's sentence, naming the file when it does not already."""
    if outcome.name in outcome.message:
        return outcome.message
    return f"{outcome.name}: {outcome.message}"


def _row(outcome: UploadOutcome) -> dict:
    """One file's verdict for the upload widget."""
    row = {"name": outcome.name, "status": outcome.status, "ok": outcome.accepted, "message": _told(outcome)}
    if not outcome.accepted:
        return row | {"code": outcome.code}
    evidence = outcome.evidence
    row |= {
        "id": evidence.pk,
        "kind": evidence.kind,
        "kind_label": str(KIND_LABELS[evidence.kind]),
        "download_url": _url("evidence:file_download", evidence.pk),
    }
    if outcome.duplicate_visible:
        row["duplicate_of"] = _where(outcome.duplicate_of)
    return row


@csrf_protect
def _receive(request, *, owner: Owner):
    """Attach every file of the request to ``owner`` through the upload service and tell how each
    fared (CSRF checked here, after the streaming handler is in place)."""
    wants_json = "application/json" in request.headers.get("Accept", "")
    back = owner_page_url(owner)
    try:
        outcomes = receive_files(
            owner,
            request.FILES.getlist("files"),
            kind=request.POST.getlist("kind"),
            title=request.POST.get("title", ""),
            replaces=request.POST.get("replaces"),
            actor=request.user,
        )
    except UploadsRefused as refused:
        if wants_json:
            return JsonResponse(
                {"ok": False, "message": str(refused), "problems": refused.problems, "files": []}, status=400
            )
        for problem in refused.problems.values():
            messages.error(request, problem)
        return redirect(back)

    rows = [_row(outcome) for outcome in outcomes]
    accepted = sum(1 for outcome in outcomes if outcome.accepted)
    if wants_json:
        return JsonResponse(
            {"ok": accepted > 0, "accepted": accepted, "refused": len(rows) - accepted, "files": rows},
            status=200 if accepted else 400,
        )
    for outcome in outcomes:
        if outcome.status == STORED:
            messages.success(request, outcome.message)
        elif outcome.status == REFUSED:
            messages.error(request, _told(outcome))
        else:
            messages.warning(request, outcome.message)
    return redirect(back + "#berkas")


def _upload_view(resolve):
    """An upload view for one kind of owner; ``resolve(request, **kwargs)`` finds the owner in
    the user's read scope (404 otherwise)."""

    @login_required
    def view(request, **kwargs):
        use_evidence_upload_handler(request)  # before anything reads the body
        owner = resolve(request, **kwargs)
        if not can_attach(request.user, owner):
            raise Http404
        if request.method != "POST":
            return redirect(owner_page_url(owner))
        return _receive(request, owner=owner)

    view.__name__ = view.__qualname__ = f"upload_{resolve.__name__.strip('_')}"
    return csrf_exempt(view)


activity_upload = _upload_view(lambda request, pk: Owner(activity=activity_for(request.user, pk)))
body_upload = _upload_view(_body_owner)
requirement_upload = _upload_view(_requirement_owner)
titik_pantau_upload = _upload_view(_titik_pantau_owner)
pembinaan_upload = _upload_view(_pembinaan_owner)


# --- Removing a file ------------------------------------------------------------------------------


@login_required
def file_remove(request, pk):
    evidence = file_for(request.user, pk)
    owner = Owner.of(evidence)
    if not can_attach(request.user, owner):
        raise Http404
    back = owner_page_url(owner)
    if request.method == "POST":
        if not evidence.is_current:
            messages.error(request, _("Berkas itu sudah dihapus atau sudah diganti."))
        else:
            evidence_remove(evidence=evidence, actor=request.user)
            messages.success(request, _("%(name)s dihapus.") % {"name": evidence.original_name})
        return redirect(back + "#berkas")
    return render(
        request,
        "evidence/file_remove.html",
        {"evidence": evidence, "owner_label": owner.label, "page_url": back},
    )


# --- Galleries ------------------------------------------------------------------------------------


def _photos(files):
    return live(files).filter(blob__state=Blob.State.READY, blob__file_type__in=list(IMAGE_TYPES))


def _gallery(request, photos, context: dict):
    photos = photos.select_related("blob", "uploaded_by", "activity", "body").order_by("-uploaded_at", "-id")
    page = CappedPaginator(photos, GALLERY_PAGE_SIZE, cap=GALLERY_COUNT_CAP).get_page(request.GET.get("halaman"))
    return render(request, "evidence/gallery.html", context | {"page": page, "photos": page.object_list})


@login_required
def body_gallery(request, pk):
    body = body_for(request.user, pk)
    # Two queries, not ``Q(body=…) | Q(activity__body=…)``: an OR across the join to activities
    # scanned every activity; the body's activity ids first, then an OR of two indexed columns
    # of the files (docs/PERFORMANCE.md, "Fixed causes").
    activity_ids = list(Activity.objects.filter(body=body, deleted_at__isnull=True).values_list("pk", flat=True))
    photos = _photos(files_visible_to(request.user)).filter(Q(body=body) | Q(activity_id__in=activity_ids))
    return _gallery(request, photos, {"body": body, "title": _("Galeri foto %(name)s") % {"name": body.name}})


@login_required
def tatanan_gallery(request, pk):
    tatanan = get_object_or_404(Tatanan, pk=pk)
    # The activities of the tatanan as a subquery: each file once without ``distinct()`` over
    # every column, which the paginator's count had to build in full (docs/PERFORMANCE.md).
    activities = Activity.objects.filter(tatanan=tatanan, deleted_at__isnull=True).values("pk")
    photos = _photos(files_visible_to(request.user)).filter(activity_id__in=activities)
    return _gallery(
        request,
        photos,
        {"tatanan": tatanan, "title": _("Galeri foto tatanan %(name)s") % {"name": tatanan.name}},
    )
