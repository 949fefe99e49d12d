"""The evidence API: activities, uploads to every owner of evidence, evidence files, completeness
and readiness.

Scope is the portal's one mechanism: every object is looked up through the scoped selectors
(``evidence.selectors``, ``forums.selectors``, ``indicators.selectors``), so outside the caller's
scope it does not exist (404). As on the pages, an owner the caller reads but may not attach to
(a verifier, a kecamatan secretary on a desa's activity) answers a write with 404 too. Writes go
through the services the pages use (``evidence.services`` for activities, ``evidence.uploads``
for files).

Uploads (``POST …/files/``, multipart: ``file`` repeated, ``kind`` once for every file or repeated
once per file in the order of the files, optional ``title`` and, for a single file, ``replaces``) are streamed to disk by ``evidence.uploads.EvidenceUploadHandler``,
installed before DRF (or the CSRF check of session authentication) first reads the body. Each
file is judged on its own by the upload service the web form uses too
(``evidence.uploads.receive_files``, so both answer the same upload the same way) and answered
in ``results``: ``stored``, ``duplicate`` (the same bytes were already stored for the kabupaten:
linked, with ``duplicate_of``), ``already`` (the same bytes are attached to this owner as that
kind already: not linked again; ``file`` is that attachment) or ``refused`` (with ``code`` and
``message``); ``stored``, ``duplicates``, ``already`` and ``refused`` count them. The status is
**201** when every file was accepted (stored, duplicate or already), **400** in the one error
shape (code ``upload_refused``, plus ``results``) when every file was refused, and **200** for a
mix, so that a client can tell "all done" from "look at the list". A request without files, with
a kind the owner does not take, a title longer than 300 characters (refused, never cut) or a bad
``replaces`` (not a current file of this owner, or with several files) is 400 ``invalid`` before
any file is judged; a new version sent without a title keeps the title of the one it replaces.
A JSON body is 415.
"""

from __future__ import annotations

import unicodedata

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.selectors import get_in_scope_or_404
from forums.kelembagaan.services import current_cycle
from forums.selectors import bodies_visible_to, body_for, can_edit_body
from forums.workplans.selectors import pembinaan_visit_for
from indicators.models import TitikPantau
from indicators.selectors import assessment_for
from kks_portal.lib.api_errors import error_body
from kks_portal.lib.url_ids import parse_id
from tatanan.models import Cycle, Indicator, Tatanan

from .completeness import (
    ABOVE_DESA_LISTS,
    REQUIRED_KINDS,
    activity_kind_counts,
    assessment_readiness,
    kabupaten_readiness,
    stored_body_readiness_of,
    with_completeness,
)
from .filters import ActivityFilter, EvidenceFileFilter
from .models import Activity, Blob
from .selectors import (
    Owner,
    activities_visible_to,
    activity_for,
    assessment_kecamatan_for,
    can_attach,
    file_for,
    files_visible_to,
    indicator_opd_limit,
    live,
    requirement_owner,
)
from .serializers import (
    ActivityCompletenessSerializer,
    ActivitySerializer,
    ActivityWriteSerializer,
    AssessmentReadinessSerializer,
    BodyReadinessQuerySerializer,
    BodyReadinessSerializer,
    EvidenceFileSerializer,
    FilesQuerySerializer,
    KecamatanReadinessSerializer,
    UploadRefusedSerializer,
    UploadResponseSerializer,
    UploadSerializer,
    assessment_readiness_data,
    body_readiness_data,
    kecamatan_data,
)
from .services import activity_create, activity_remove, activity_update
from .uploads import (
    ALREADY,
    DUPLICATE,
    REFUSED,
    STORED,
    EvidenceUploadHandler,
    UploadsRefused,
    evidence_remove,
    history_of,
    receive_files,
)

NOT_FOUND = OpenApiResponse(description="Outside the caller's scope, or not theirs to change (code not_found).")
INVALID = OpenApiResponse(description="Invalid data: the one error shape with `fields` (code invalid).")
ALL_REFUSED = OpenApiResponse(
    UploadRefusedSerializer,
    description="Invalid request (code invalid), or every file refused: code upload_refused plus `results` per file.",
)
FILES_PARAMS = [
    OpenApiParameter("all", OpenApiTypes.BOOL, description="true: removed and replaced files too (history)."),
]


# --- Uploads --------------------------------------------------------------------------------------


class StreamedUploadMixin:
    """Installs ``EvidenceUploadHandler`` for uploading requests before anything reads the body.

    ``initial`` runs authentication, whose session CSRF check reads ``request.POST``; the handler
    must be in place before that, or Django's default handlers would have parsed the upload."""

    def receives_upload(self, request) -> bool:
        return request.method == "POST"

    def initial(self, request, *args, **kwargs):
        if self.receives_upload(request):
            request._request.upload_handlers = [EvidenceUploadHandler(request._request)]
        super().initial(request, *args, **kwargs)


def _printable(name) -> str:
    """The name a client sent, safe to echo: control characters shown as U+FFFD, at most 200."""
    text = "".join("\ufffd" if unicodedata.category(ch) in ("Cc", "Cf") else ch for ch in str(name or ""))
    return text[:200]


def _where(outcome) -> dict:
    """The earlier attachment of the same bytes, named only if the caller reads it."""
    if not outcome.duplicate_visible:
        return {"id": None, "in_scope": False}
    owner = outcome.duplicate_of.owner
    return {"id": outcome.duplicate_of.pk, "in_scope": True, "owner": str(owner) if owner is not None else ""}


COUNTS = {STORED: "stored", DUPLICATE: "duplicates", ALREADY: "already", REFUSED: "refused"}


def _result(upload, outcome) -> dict:
    """One file's answer (see the module)."""
    result = {"name": _printable(getattr(upload, "name", "")), "status": outcome.status}
    if outcome.status == REFUSED:
        return result | {"code": outcome.code, "message": str(outcome.message)}
    result |= {"message": outcome.message, "file": EvidenceFileSerializer(outcome.evidence).data}
    if outcome.status == DUPLICATE:
        result["duplicate_of"] = _where(outcome) if outcome.duplicate_of else None
    return result


def receive_uploads(request, owner: Owner) -> Response:
    """Attach every ``file`` of the request to ``owner`` through the upload service; one result per
    file (see the module)."""
    uploads = request.FILES.getlist("file")
    try:
        outcomes = receive_files(
            owner,
            uploads,
            kind=request.data.getlist("kind"),
            title=str(request.data.get("title", "") or ""),
            replaces=str(request.data.get("replaces", "") or "").strip(),
            actor=request.user,
        )
    except UploadsRefused as refused:
        raise ValidationError({field: [message] for field, message in refused.problems.items()}) from refused

    results = [_result(upload, outcome) for upload, outcome in zip(uploads, outcomes, strict=True)]
    counts = dict.fromkeys(COUNTS.values(), 0)
    for outcome in outcomes:
        counts[COUNTS[outcome.status]] += 1
    body = {**counts, "results": results}
    if not counts["refused"]:
        return Response(body, status=status.HTTP_201_CREATED)
    if counts["refused"] == len(uploads):
        messages = [f"{r['name']}: {r['message']}" for r in results]
        refused = error_body(
            status_code=400,
            code="upload_refused",
            message=_("Tidak ada berkas yang diterima.") if len(uploads) > 1 else results[0]["message"],
            fields={"file": messages},
        )
        return Response({**refused, **body}, status=status.HTTP_400_BAD_REQUEST)
    return Response(body, status=status.HTTP_200_OK)


def list_owner_files(request, owner: Owner) -> Response:
    params = FilesQuerySerializer(data=request.query_params)
    params.is_valid(raise_exception=True)
    files = owner.files().filter(blob__state=Blob.State.READY).select_related("blob", "uploaded_by")
    if not params.validated_data["all"]:
        files = live(files)
    return Response(EvidenceFileSerializer(files.order_by("kind", "-uploaded_at", "-id"), many=True).data)


def _attachable(user, owner: Owner) -> Owner:
    if not can_attach(user, owner):
        raise Http404
    return owner


def owner_files_schema(owner_name: str):
    """The schema of GET (files) and POST (upload) of one kind of owner."""
    return extend_schema_view(
        get=extend_schema(
            summary=f"Files of one {owner_name} (live; all=true for history)",
            parameters=FILES_PARAMS,
            responses={200: EvidenceFileSerializer(many=True), 404: NOT_FOUND},
            tags=["evidence"],
        ),
        post=extend_schema(
            summary=f"Upload files to one {owner_name} (streamed; one result per file)",
            request={"multipart/form-data": UploadSerializer},
            responses={201: UploadResponseSerializer, 200: UploadResponseSerializer, 400: ALL_REFUSED, 404: NOT_FOUND},
            tags=["evidence"],
        ),
    )


class OwnerFilesView(StreamedUploadMixin, APIView):
    """Files of one owner: GET lists them, POST uploads (multipart only)."""

    parser_classes = [MultiPartParser]

    def owner(self, request, **kwargs) -> Owner:
        raise NotImplementedError

    def get(self, request, **kwargs):
        return list_owner_files(request, self.owner(request, **kwargs))

    def post(self, request, **kwargs):
        return receive_uploads(request, _attachable(request.user, self.owner(request, **kwargs)))


@owner_files_schema("body")
class BodyFilesView(OwnerFilesView):
    def owner(self, request, pk):
        return Owner(body=body_for(request.user, pk))


@owner_files_schema("evidence requirement × data year (year 0: not bound to a year)")
class RequirementFilesView(OwnerFilesView):
    def owner(self, request, pk, requirement_pk, year):
        assessment = assessment_for(request.user, pk)
        owner = requirement_owner(
            request.user, assessment=assessment, requirement_pk=requirement_pk, data_year=year or None
        )
        opds = indicator_opd_limit(request.user, assessment)
        if opds is not None:
            # An OPD operator reads the requirements of the indicators assigned to their OPD only.
            indicator_id = owner.requirement.indicator_id
            if (
                indicator_id is None
                or not assessment.indicator_entries.filter(indicator_id=indicator_id, assigned_opd_id__in=opds).exists()
            ):
                raise Http404
        return owner


@owner_files_schema("titik pantau")
class TitikPantauFilesView(OwnerFilesView):
    def owner(self, request, pk):
        point = get_in_scope_or_404(
            TitikPantau.objects.select_related("assessment__kabupaten", "assessment__cycle"),
            user=request.user,
            field="assessment__kabupaten__code",
            pk=pk,
        )
        return Owner(titik_pantau=point)


@owner_files_schema("pembinaan visit")
class PembinaanFilesView(OwnerFilesView):
    def owner(self, request, pk):
        return Owner(pembinaan_visit=pembinaan_visit_for(request.user, pk))


# --- Activities -----------------------------------------------------------------------------------


def _activities(user):
    return with_completeness(activities_visible_to(user)).prefetch_related(
        Prefetch("tatanan", queryset=Tatanan.objects.only("id", "code", "number")),
        Prefetch("indicators", queryset=Indicator.objects.only("id")),
    )


@extend_schema_view(
    list=extend_schema(summary="Activities of the bodies in the caller's scope", tags=["activities"]),
    retrieve=extend_schema(
        summary="One activity with its completeness",
        responses={200: ActivitySerializer, 404: NOT_FOUND},
        tags=["activities"],
    ),
    create=extend_schema(
        summary="Record an activity of a body (its editors)",
        request=ActivityWriteSerializer,
        responses={201: ActivitySerializer, 400: INVALID, 404: NOT_FOUND},
        tags=["activities"],
    ),
    partial_update=extend_schema(
        summary="Change an activity (its body's editors)",
        request=ActivityWriteSerializer,
        responses={200: ActivitySerializer, 400: INVALID, 404: NOT_FOUND},
        tags=["activities"],
    ),
    destroy=extend_schema(
        summary="Remove an activity (soft: who and when are kept; it no longer counts)",
        responses={204: None, 400: INVALID, 404: NOT_FOUND},
        tags=["activities"],
    ),
)
class ActivityViewSet(
    StreamedUploadMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def receives_upload(self, request) -> bool:
        return request.method == "POST" and getattr(self, "action", None) == "files"

    def get_queryset(self):
        return _activities(self.request.user).order_by("-date", "-id")

    def _editable(self, activity: Activity) -> Activity:
        if not can_edit_body(self.request.user, activity.body):
            raise Http404
        return activity

    def _answer(self, activity: Activity, code=status.HTTP_200_OK) -> Response:
        fresh = _activities(self.request.user).get(pk=activity.pk)
        return Response(ActivitySerializer(fresh).data, status=code)

    def create(self, request, *args, **kwargs):
        # The body is the parent the activity is written into: one the caller does not edit (or
        # that does not exist) answers 404, as a URL would, before the other fields are judged.
        body = None
        named = request.data.get("body") if hasattr(request.data, "get") else None
        if named not in (None, ""):
            body_pk = parse_id(named)
            body = bodies_visible_to(request.user).filter(pk=body_pk).first() if body_pk is not None else None
            if body is None or not can_edit_body(request.user, body):
                raise Http404
        serializer = ActivityWriteSerializer(data=request.data, context={**self.get_serializer_context(), "body": body})
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        body = fields.pop("body")
        activity = activity_create(body=body, actor=request.user, **fields)
        return self._answer(activity, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        activity = self._editable(self.get_object())
        context = {**self.get_serializer_context(), "body": activity.body}
        serializer = ActivityWriteSerializer(data=request.data, partial=True, context=context)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        body = fields.pop("body", None)
        if body is not None and body.pk != activity.body_id:
            raise ValidationError({"body": [_("Lembaga sebuah kegiatan tidak dapat diubah.")]})
        activity = activity_update(activity=activity, actor=request.user, **fields)
        return self._answer(activity)

    def destroy(self, request, *args, **kwargs):
        activity_remove(activity=self._editable(self.get_object()), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        methods=["GET"],
        summary="Files of one activity (live; all=true for history)",
        parameters=FILES_PARAMS,
        responses={200: EvidenceFileSerializer(many=True), 404: NOT_FOUND},
        tags=["activities"],
    )
    @extend_schema(
        methods=["POST"],
        summary="Upload files to one activity (streamed; one result per file)",
        request={"multipart/form-data": UploadSerializer},
        responses={201: UploadResponseSerializer, 200: UploadResponseSerializer, 400: ALL_REFUSED, 404: NOT_FOUND},
        tags=["activities"],
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="files",
        parser_classes=[MultiPartParser],
        pagination_class=None,
        filterset_class=None,
    )
    def files(self, request, pk=None):
        activity = activity_for(request.user, pk)
        owner = Owner(activity=activity)
        if request.method == "GET":
            return list_owner_files(request, owner)
        return receive_uploads(request, _attachable(request.user, owner))

    @extend_schema(
        summary="What the activity has and lacks of undangan, daftar hadir, notulen and foto",
        responses={200: ActivityCompletenessSerializer, 404: NOT_FOUND},
        tags=["activities"],
    )
    @action(detail=True, methods=["get"], url_path="completeness", filterset_class=None)
    def completeness(self, request, pk=None):
        activity = activity_for(request.user, pk)
        counts = activity_kind_counts(activity)
        missing = [kind for kind in REQUIRED_KINDS if not counts[kind]]
        return Response({"complete": not missing, "missing_kinds": missing, "counts": counts})


# --- Evidence files -------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Evidence files in the caller's scope (history included unless filtered)", tags=["evidence"]
    ),
    retrieve=extend_schema(
        summary="One evidence file", responses={200: EvidenceFileSerializer, 404: NOT_FOUND}, tags=["evidence"]
    ),
    destroy=extend_schema(
        summary="Remove a file (soft: it stays as history; whoever may attach to its owner)",
        responses={204: None, 404: NOT_FOUND},
        tags=["evidence"],
    ),
)
class EvidenceFileViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    serializer_class = EvidenceFileSerializer
    filterset_class = EvidenceFileFilter
    http_method_names = ["get", "delete", "head", "options"]

    def get_queryset(self):
        # No ``blob__state`` filter: an attachment is only ever made in the transaction that makes
        # its blob ready, or to a blob already ready (``evidence.uploads``), so the filter kept
        # nothing out and cost the page's COUNT a join of every visible row with its blob. The
        # order is served by the index ``evidence_uploaded`` (docs/PERFORMANCE.md, "Fixed causes").
        return files_visible_to(self.request.user).order_by("-uploaded_at", "-id")

    def get_object(self):
        return file_for(self.request.user, self.kwargs["pk"])

    def destroy(self, request, *args, **kwargs):
        evidence = self.get_object()
        _attachable(request.user, Owner.of(evidence))
        evidence_remove(evidence=evidence, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="The versions this file replaced, newest first",
        responses={200: EvidenceFileSerializer(many=True), 404: NOT_FOUND},
        tags=["evidence"],
    )
    @action(detail=True, methods=["get"], url_path="history", pagination_class=None, filterset_class=None)
    def history(self, request, pk=None):
        return Response(EvidenceFileSerializer(history_of(self.get_object()), many=True).data)


# --- Readiness ------------------------------------------------------------------------------------


class BodyReadinessView(APIView):
    @extend_schema(
        summary="Documented activities of one body in a cycle's data years (ready, per year, missing)",
        parameters=[OpenApiParameter("cycle", OpenApiTypes.INT, description="Award year; default the newest cycle.")],
        responses={200: BodyReadinessSerializer, 400: INVALID, 404: NOT_FOUND},
        tags=["readiness"],
    )
    def get(self, request, pk):
        body = body_for(request.user, pk)
        params = BodyReadinessQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        award_year = params.validated_data.get("cycle")
        if award_year is not None:
            cycle = Cycle.objects.filter(award_year=award_year).first()
            if cycle is None:
                raise ValidationError({"cycle": [_("Siklus dengan tahun penghargaan itu tidak ada.")]})
        else:
            cycle = current_cycle()
        years = cycle.data_years if cycle is not None else []
        return Response(body_readiness_data(stored_body_readiness_of(body, years=years)))


class AssessmentReadinessView(APIView):
    @extend_schema(
        summary="Readiness of an assessment: bodies per kecamatan, indicator evidence per tatanan and per OPD",
        description="An OPD operator's indicator figures cover the indicators assigned to their OPD.",
        responses={200: AssessmentReadinessSerializer, 404: NOT_FOUND},
        tags=["readiness"],
    )
    def get(self, request, pk):
        assessment = assessment_for(request.user, pk)
        opds = indicator_opd_limit(request.user, assessment)
        bodies = kabupaten_readiness(assessment.kabupaten, years=assessment.cycle.data_years, lists=ABOVE_DESA_LISTS)
        evidence = assessment_readiness(assessment, opd_ids=opds)
        return Response(assessment_readiness_data(assessment, bodies, evidence, opd_only=opds is not None))


class KecamatanReadinessView(APIView):
    @extend_schema(
        summary="Readiness of one kecamatan of the assessment's kabupaten, down to each desa",
        description="Also for the secretaries whose region covers the kecamatan.",
        responses={200: KecamatanReadinessSerializer, 404: NOT_FOUND},
        tags=["readiness"],
    )
    def get(self, request, pk, code):
        assessment, kecamatan = assessment_kecamatan_for(request.user, pk, code)
        rollup = kabupaten_readiness(
            assessment.kabupaten, years=assessment.cycle.data_years, kecamatan_code=kecamatan.code
        )
        return Response(kecamatan_data(rollup.kecamatan[0], with_desa=True))
