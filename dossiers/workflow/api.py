"""The verification workflow in the API, under ``/api/dossiers/<assessment id>/``:

* ``GET workflow/``: status, the version under verification, the correction deadline, the final
  tier, the steps the caller may take now, the history, the berita acara, and for the kabupaten's
  Bappeda admin the submission checklist;
* ``POST workflow/<step>/`` for each step (``submit``, ``open-review``, ``return``, ``approve``,
  ``open-national``, ``open-correction``, ``submit-correction``, ``decide``), calling the same
  services as the pages (``dossiers.workflow.services``);
* ``GET/POST comments/``: the threads (never edited; a reply names its ``parent``);
* ``POST scores/``: the verifier's scores (by value of the indicator's own scale) and notes.

Whoever does not take part in the dossier's verification, and a participant trying a step that
is not theirs, gets 404 (never 403). A step tried when the dossier is no longer where it starts
from gets 409 (code ``conflict``); a refused submission 400 with the checklist in ``fields``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import is_national_verifier, is_province_verifier_of
from kks_portal.lib import url_ids  # noqa: F401  (registers the <id:…> and <year:…> path converters)

from ..models import DossierComment
from .selectors import berita_acara_of, dossier_of, events_of, workflow_assessment_for
from .services import (
    COMMENT_MAX,
    ScoreChange,
    SubmissionRefused,
    allowed_actions,
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
    scoring_layer,
    submission_checklist,
    verification_scores_update,
    verifies_in_stage,
)

ASSESSMENT_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Id of the assessment.")
NOT_FOUND = OpenApiResponse(description="Outside the caller's scope, or a step that is not theirs (code not_found).")
INVALID = OpenApiResponse(description="Invalid data: the one error shape with `fields` (code invalid).")
CONFLICT = OpenApiResponse(description="The dossier is no longer in the status this step starts from (code conflict).")


class StatusConflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Status dossier sudah berubah.")
    default_code = "conflict"


def _service_errors(error: DjangoValidationError):
    """A service's refusal in the API's terms."""
    if isinstance(error, SubmissionRefused):
        return ApiValidationError({"checklist": error.checklist.messages()})
    if getattr(error, "code", None) in ("status", "window_open", "closed"):
        return StatusConflict(error.messages[0])
    if hasattr(error, "error_dict"):
        return ApiValidationError(error.message_dict)
    return ApiValidationError({"non_field_errors": error.messages})


# --- What the API shows ---------------------------------------------------------------------------------


class EventSerializer(serializers.Serializer):
    action = serializers.CharField()
    action_label = serializers.CharField(source="get_action_display")
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    actor = serializers.SerializerMethodField()
    version = serializers.IntegerField(source="version.number", allow_null=True, default=None)
    comment = serializers.CharField()
    data = serializers.JSONField()
    created_at = serializers.DateTimeField()

    def get_actor(self, event) -> str | None:
        return event.actor.get_full_name() if event.actor else None


class CheckSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    ok = serializers.BooleanField()
    missing = serializers.ListField(child=serializers.CharField())


class WorkflowSerializer(serializers.Serializer):
    status = serializers.CharField()
    status_label = serializers.CharField()
    submitted_version = serializers.DictField(allow_null=True)
    correction_deadline = serializers.DateTimeField(allow_null=True)
    final_tier = serializers.CharField()
    actions = serializers.ListField(child=serializers.CharField())
    can_score = serializers.CharField(allow_null=True, help_text="The layer the caller scores in now, if any.")
    events = EventSerializer(many=True)
    berita_acara = serializers.ListField(child=serializers.DictField())
    checklist = CheckSerializer(many=True, allow_null=True)


def workflow_state(request, assessment) -> dict:
    user = request.user
    dossier = dossier_of(assessment)
    version = dossier.submitted_version
    checklist = None
    if is_kabupaten_admin(user, assessment) and dossier.status in ("draft", "returned", "national_correction"):
        checklist = submission_checklist(assessment).checks
    return {
        "status": dossier.status,
        "status_label": dossier.get_status_display(),
        "submitted_version": {"number": version.number, "sha256": version.sha256} if version else None,
        "correction_deadline": dossier.correction_deadline,
        "final_tier": dossier.final_tier,
        "actions": sorted(str(a) for a in allowed_actions(user, dossier, assessment)),
        "can_score": scoring_layer(user, dossier),
        "events": events_of(dossier),
        "berita_acara": [
            {
                "number": record.number,
                "version": record.version.number,
                "sha256": record.sha256,
                "created_at": record.created_at.isoformat(),
                "url": request.build_absolute_uri(
                    reverse("dossiers:berita_acara", kwargs={"pk": assessment.pk, "ba_pk": record.pk})
                ),
            }
            for record in berita_acara_of(dossier)
        ],
        "checklist": checklist,
    }


class WorkflowView(APIView):
    @extend_schema(
        summary="Where the dossier stands in verification, and what the caller may do",
        parameters=[ASSESSMENT_ID],
        responses={200: WorkflowSerializer, 404: NOT_FOUND},
        tags=["dossiers"],
    )
    def get(self, request, pk):
        assessment = workflow_assessment_for(request.user, pk)
        return Response(WorkflowSerializer(workflow_state(request, assessment)).data)


# --- Steps ------------------------------------------------------------------------------------------------


class StepSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=COMMENT_MAX, default="")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=COMMENT_MAX, default="")
    awarded = serializers.BooleanField(required=False, allow_null=True, default=None)
    tier = serializers.CharField(required=False, allow_blank=True, default="")


KABUPATEN, PROVINCE, NATIONAL = "kabupaten", "province", "national"
STEPS = {
    "submit": (KABUPATEN, lambda d, a, u, data: dossier_submit(assessment=a, actor=u, comment=data["comment"])),
    "submit-correction": (
        KABUPATEN,
        lambda d, a, u, data: correction_submit(assessment=a, actor=u, comment=data["comment"]),
    ),
    "open-review": (PROVINCE, lambda d, a, u, data: review_open(dossier=d, actor=u)),
    "return": (PROVINCE, lambda d, a, u, data: dossier_return(dossier=d, actor=u, reason=data["reason"])),
    "approve": (PROVINCE, lambda d, a, u, data: dossier_approve(dossier=d, actor=u, comment=data["comment"])),
    "open-national": (NATIONAL, lambda d, a, u, data: national_open(dossier=d, actor=u)),
    "open-correction": (NATIONAL, lambda d, a, u, data: correction_open(dossier=d, actor=u, reason=data["reason"])),
    "decide": (NATIONAL, None),
}


def _role_of_step(user, assessment, role: str) -> bool:
    if role == KABUPATEN:
        return is_kabupaten_admin(user, assessment)
    if role == PROVINCE:
        return is_province_verifier_of(user, assessment.kabupaten_id)
    return is_national_verifier(user)


def _decide(dossier, assessment, user, data):
    if data["awarded"] is None:
        raise ApiValidationError({"awarded": [_("Pilih keputusan: true (mendapat penghargaan) atau false.")]})
    return dossier_decide(
        dossier=dossier, actor=user, awarded=data["awarded"], tier=data["tier"], comment=data["comment"]
    )


class StepView(APIView):
    """One workflow step; ``step`` is fixed per URL."""

    step = ""

    @extend_schema(
        summary="Take a workflow step",
        description=(
            "`submit`/`submit-correction` (Bappeda; optional `comment`), `open-review`, `return` (`reason`, "
            "at least 10 characters), `approve` (optional `comment`; makes the berita acara) for the "
            "province's verifiers, `open-national`, `open-correction` (`reason`), `decide` (`awarded`, "
            "`tier` when awarded, `comment` required when not) for the national verifiers."
        ),
        parameters=[ASSESSMENT_ID],
        request=StepSerializer,
        responses={200: WorkflowSerializer, 400: INVALID, 404: NOT_FOUND, 409: CONFLICT},
        tags=["dossiers"],
    )
    def post(self, request, pk):
        assessment = workflow_assessment_for(request.user, pk)
        role, run = STEPS[self.step]
        if not _role_of_step(request.user, assessment, role):
            raise Http404
        serializer = StepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        dossier = dossier_of(assessment)
        try:
            (run or _decide)(dossier, assessment, request.user, serializer.validated_data)
        except DjangoValidationError as error:
            raise _service_errors(error) from error
        return Response(WorkflowSerializer(workflow_state(request, assessment)).data)


def step_view(step: str):
    return type(f"{step.title().replace('-', '')}StepView", (StepView,), {"step": step}).as_view()


# --- Comments -------------------------------------------------------------------------------------------------


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    version = serializers.IntegerField(source="version.number", allow_null=True, default=None, read_only=True)
    chapter = serializers.CharField(source="chapter_key", read_only=True)

    class Meta:
        model = DossierComment
        fields = [
            "id",
            "parent",
            "entry",
            "chapter",
            "chapter_title",
            "side",
            "author",
            "body",
            "version",
            "created_at",
        ]
        read_only_fields = fields

    def get_author(self, comment) -> str | None:
        return comment.author.get_full_name() if comment.author else None


class CommentCreateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=COMMENT_MAX)
    entry = serializers.IntegerField(required=False, allow_null=True, default=None)
    chapter = serializers.CharField(required=False, allow_blank=True, max_length=40, default="")
    parent = serializers.IntegerField(required=False, allow_null=True, default=None)


class CommentsView(APIView):
    @extend_schema(
        summary="Every comment of the dossier's threads, oldest first",
        parameters=[ASSESSMENT_ID],
        responses={200: CommentSerializer(many=True), 404: NOT_FOUND},
        tags=["dossiers"],
    )
    def get(self, request, pk):
        assessment = workflow_assessment_for(request.user, pk)
        comments = dossier_of(assessment).comments.select_related("author", "version").order_by("created_at", "id")
        return Response(CommentSerializer(comments, many=True).data)

    @extend_schema(
        summary="Start a thread (verifiers) or reply to one (verifiers and Bappeda)",
        parameters=[ASSESSMENT_ID],
        request=CommentCreateSerializer,
        responses={201: CommentSerializer, 400: INVALID, 404: NOT_FOUND},
        tags=["dossiers"],
    )
    def post(self, request, pk):
        assessment = workflow_assessment_for(request.user, pk)
        dossier = dossier_of(assessment)
        if comment_side(request.user, dossier) is None:
            raise Http404
        serializer = CommentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        entry = parent = None
        if data["entry"]:
            entry = assessment.indicator_entries.filter(pk=data["entry"]).first()
            if entry is None:
                raise ApiValidationError({"entry": [_("Indikator ini bukan bagian dari penilaian ini.")]})
        if data["parent"]:
            parent = dossier.comments.filter(pk=data["parent"]).first()
            if parent is None:
                raise ApiValidationError({"parent": [_("Komentar yang dibalas tidak ditemukan.")]})
        try:
            created = comment_add(
                dossier=dossier,
                actor=request.user,
                body=data["body"],
                entry=entry,
                chapter_key=data["chapter"],
                parent=parent,
            )
        except DjangoValidationError as error:
            raise _service_errors(error) from error
        return Response(CommentSerializer(created).data, status=status.HTTP_201_CREATED)


# --- Scores -----------------------------------------------------------------------------------------------------


class ScoreSerializer(serializers.Serializer):
    entry = serializers.IntegerField()
    value = serializers.IntegerField(allow_null=True, min_value=0, max_value=100)
    note = serializers.CharField(required=False, allow_blank=True, max_length=COMMENT_MAX, default="")


class ScoresSerializer(serializers.Serializer):
    scores = ScoreSerializer(many=True, allow_empty=False)


class ScoresView(APIView):
    @extend_schema(
        summary="Record the caller's scores and notes (provincial or national, by the stage)",
        description=(
            "`value` is one of the indicator's own scale values (e.g. 100, 75, 50, 25, 0) or null to "
            "clear. All or nothing: one bad row refuses the lot, every problem named in `fields`."
        ),
        parameters=[ASSESSMENT_ID],
        request=ScoresSerializer,
        responses={200: OpenApiTypes.OBJECT, 400: INVALID, 404: NOT_FOUND, 409: CONFLICT},
        tags=["dossiers"],
    )
    def post(self, request, pk):
        assessment = workflow_assessment_for(request.user, pk)
        dossier = dossier_of(assessment)
        layer = scoring_layer(request.user, dossier)
        if layer is None:
            if verifies_in_stage(request.user, dossier):
                raise StatusConflict(_("Nilai hanya dapat diisi selama verifikasi Anda berlangsung."))
            raise Http404
        serializer = ScoresSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rows = serializer.validated_data["scores"]
        entries = {
            e.pk: e
            for e in assessment.indicator_entries.filter(pk__in=[r["entry"] for r in rows]).prefetch_related(
                "indicator__scale_options"
            )
        }
        changes, errors = [], {}
        for index, row in enumerate(rows):
            entry = entries.get(row["entry"])
            if entry is None:
                errors[str(index)] = [_("Indikator ini bukan bagian dari penilaian ini.")]
                continue
            option_id = None
            if row["value"] is not None:
                options = {o.value: o.pk for o in entry.indicator.scale_options.all()}
                if row["value"] not in options:
                    allowed = ", ".join(str(v) for v in sorted(options, reverse=True))
                    errors[str(index)] = [
                        _("Nilai %(value)s bukan opsi skala indikator ini (%(allowed)s).")
                        % {"value": row["value"], "allowed": allowed}
                    ]
                    continue
                option_id = options[row["value"]]
            changes.append(ScoreChange(entry_id=entry.pk, option_id=option_id, note=row["note"]))
        if errors:
            raise ApiValidationError({"scores": errors})
        try:
            changed = verification_scores_update(dossier=dossier, actor=request.user, changes=changes)
        except DjangoValidationError as error:
            raise _service_errors(error) from error
        return Response({"layer": layer, "changed": changed})


urlpatterns = [
    path("dossiers/<id:pk>/workflow/", WorkflowView.as_view(), name="dossier-workflow"),
    *(path(f"dossiers/<id:pk>/workflow/{step}/", step_view(step), name=f"dossier-workflow-{step}") for step in STEPS),
    path("dossiers/<id:pk>/comments/", CommentsView.as_view(), name="dossier-comments"),
    path("dossiers/<id:pk>/scores/", ScoresView.as_view(), name="dossier-scores"),
]
